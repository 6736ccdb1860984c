#include "http_connection.h"

#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>

namespace broker::server {

namespace {

constexpr std::size_t kReadSize = 64 * 1024;

int millisecondsUntil(EdgeClock::time_point deadline) {
  const auto left =
      std::chrono::duration_cast<std::chrono::milliseconds>(deadline - EdgeClock::now()).count();
  return left <= 0 ? 0 : static_cast<int>(std::min<long long>(left + 1, 1 << 30));
}

bool waitFor(int fd, short events, int timeoutMs) {
  pollfd entry{fd, events, 0};
  for (;;) {
    const int ready = ::poll(&entry, 1, timeoutMs);
    if (ready >= 0) return ready > 0;
    if (errno != EINTR) return true;  // let the next read or write report the error
  }
}

}  // namespace

Connection::Connection(int fd, Poco::Net::SocketAddress peer, Poco::Net::SocketAddress local,
                       std::function<void()> onClose)
    : fd_(fd), peer_(std::move(peer)), local_(std::move(local)), onClose_(std::move(onClose)) {}

Connection::~Connection() {
  ::close(fd_);
  if (onClose_) onClose_();
}

void Connection::consume(std::size_t count) {
  start_ += count;
  if (start_ >= in_.size()) {
    in_.clear();
    start_ = 0;
  }
}

Connection::Read Connection::readAvailable() {
  // Read through a buffer of the thread's, so a connection holds only the bytes it has.
  thread_local char chunk[kReadSize];
  for (;;) {
    const ssize_t got = ::recv(fd_, chunk, kReadSize, 0);
    if (got > 0) {
      if (start_ > 0 && start_ >= in_.size() / 2) {
        in_.erase(0, start_);
        start_ = 0;
      }
      in_.append(chunk, static_cast<std::size_t>(got));
      return Read::kData;
    }
    if (got == 0) return Read::kClosed;
    if (errno == EINTR) continue;
    return errno == EAGAIN || errno == EWOULDBLOCK ? Read::kWouldBlock : Read::kClosed;
  }
}

void Connection::releaseBuffer() {
  if (start_ == in_.size()) {
    std::string().swap(in_);
    start_ = 0;
  }
}

bool Connection::waitReadable(EdgeClock::time_point deadline) const {
  return waitFor(fd_, POLLIN, millisecondsUntil(deadline));
}

Connection::Read Connection::readUntil(EdgeClock::time_point deadline) {
  for (;;) {
    const Read read = readAvailable();
    if (read != Read::kWouldBlock) return read;
    if (EdgeClock::now() >= deadline || !waitReadable(deadline)) return Read::kWouldBlock;
  }
}

bool Connection::writeAll(std::string_view data, std::chrono::milliseconds timeout) {
  while (!data.empty() && !writeFailed_) {
    const ssize_t sent = ::send(fd_, data.data(), data.size(), MSG_NOSIGNAL);
    if (sent > 0) {
      data.remove_prefix(static_cast<std::size_t>(sent));
      continue;
    }
    if (sent < 0 && errno == EINTR) continue;
    if (sent < 0 && (errno == EAGAIN || errno == EWOULDBLOCK) &&
        waitFor(fd_, POLLOUT, static_cast<int>(timeout.count()))) {
      continue;
    }
    writeFailed_ = true;
  }
  return !writeFailed_;
}

void Connection::shutdownWrite() { ::shutdown(fd_, SHUT_WR); }

}  // namespace broker::server
