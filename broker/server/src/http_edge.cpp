// The HTTP edge's public face and its poller: binding, accepting with the connection bounds,
// reading request heads against their deadlines, answering what no worker needs to (400s,
// 408, 503), and lingering closes.
#include "http_edge.h"

#include <Poco/Net/HTTPRequestHandler.h>
#include <Poco/Net/HTTPServerParams.h>
#include <Poco/Net/SocketAddress.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/epoll.h>
#include <sys/eventfd.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <condition_variable>
#include <cstring>
#include <deque>
#include <mutex>
#include <thread>
#include <unordered_map>
#include <vector>

#include "broker/core/error.h"
#include "broker/core/log.h"
#include "http_connection.h"
#include "http_edge_impl.h"
#include "http_message.h"

namespace broker::server {

using namespace edge;
using std::chrono::milliseconds;

HttpEdge::HttpEdge(EdgeSettings settings, Poco::Net::HTTPRequestHandlerFactory& factory)
    : impl_(std::make_unique<Impl>(std::move(settings), factory)) {}

HttpEdge::~HttpEdge() { stop(); }

std::uint16_t HttpEdge::port() const { return impl_->port; }

void HttpEdge::start() {
  Impl& edge = *impl_;
  edge.bind();
  edge.epollFd = ::epoll_create1(EPOLL_CLOEXEC);
  edge.wakeFd = ::eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC);
  epoll_event event{};
  event.events = EPOLLIN;
  event.data.fd = edge.listenFd;
  ::epoll_ctl(edge.epollFd, EPOLL_CTL_ADD, edge.listenFd, &event);
  event.data.fd = edge.wakeFd;
  ::epoll_ctl(edge.epollFd, EPOLL_CTL_ADD, edge.wakeFd, &event);
  for (int i = 0; i < edge.settings.threads; ++i) {
    edge.workers.emplace_back([&edge] { edge.workerLoop(); });
  }
  edge.poller = std::thread([&edge] { edge.pollLoop(); });
}

void HttpEdge::stop() {
  Impl& edge = *impl_;
  if (!edge.poller.joinable()) return;
  {
    std::lock_guard lock(edge.mutex);
    edge.stopping = true;
  }
  const std::uint64_t one = 1;
  [[maybe_unused]] const auto written = ::write(edge.wakeFd, &one, sizeof one);
  edge.poller.join();
  edge.jobReady.notify_all();
  for (std::thread& worker : edge.workers) worker.join();
  edge.workers.clear();
  edge.returned.clear();
  ::close(edge.epollFd);
  ::close(edge.wakeFd);
}

void HttpEdge::Impl::bind() {
  const std::string where = settings.host + ":" + std::to_string(settings.port);
  try {
    const Poco::Net::SocketAddress address(settings.host,
                                           static_cast<std::uint16_t>(settings.port));
    listenFd = ::socket(address.family() == Poco::Net::AddressFamily::IPv6 ? AF_INET6 : AF_INET,
                        SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
    const int yes = 1;
    ::setsockopt(listenFd, SOL_SOCKET, SO_REUSEADDR, &yes, sizeof yes);
    if (listenFd < 0 || ::bind(listenFd, address.addr(), address.length()) != 0 ||
        ::listen(listenFd, SOMAXCONN) != 0) {
      const int error = errno;
      if (listenFd >= 0) ::close(listenFd);
      errno = error;
      throw core::Error(core::ErrorCode::kInvalidArgument,
                        "cannot listen on " + where + ": " + std::strerror(errno));
    }
    sockaddr_storage bound{};
    socklen_t length = sizeof bound;
    ::getsockname(listenFd, reinterpret_cast<sockaddr*>(&bound), &length);
    port = Poco::Net::SocketAddress(reinterpret_cast<sockaddr*>(&bound), length).port();
  } catch (const Poco::Exception& e) {
    throw core::Error(core::ErrorCode::kInvalidArgument,
                      "cannot listen on " + where + ": " + e.displayText());
  }
}

bool HttpEdge::Impl::isStopping() {
  std::lock_guard lock(mutex);
  return stopping;
}

// ---- the poller ----

void HttpEdge::Impl::pollLoop() {
  epoll_event events[64];
  while (!isStopping()) {
    const int count = ::epoll_wait(epollFd, events, 64, static_cast<int>(kScanInterval.count()));
    for (int i = 0; i < count; ++i) {
      const int fd = events[i].data.fd;
      if (fd == listenFd) {
        acceptAll();
      } else if (fd == wakeFd) {
        std::uint64_t ignored = 0;
        [[maybe_unused]] const auto read = ::read(wakeFd, &ignored, sizeof ignored);
        takeReturned();
      } else {
        onReadable(fd);
      }
    }
    if (EdgeClock::now() >= nextScan) expire();
  }
  ::close(listenFd);
  waiting.clear();
}

void HttpEdge::Impl::acceptAll() {
  for (;;) {
    sockaddr_storage address{};
    socklen_t length = sizeof address;
    const int fd = ::accept4(listenFd, reinterpret_cast<sockaddr*>(&address), &length,
                             SOCK_NONBLOCK | SOCK_CLOEXEC);
    if (fd < 0) {
      if (errno == EINTR || errno == ECONNABORTED) continue;
      if (errno == EMFILE || errno == ENFILE || errno == ENOBUFS || errno == ENOMEM) {
        // Out of descriptors: stop accepting until the next scan instead of spinning.
        core::log(core::LogLevel::kWarning,
                  std::string("cannot accept a connection: ") + std::strerror(errno));
        ::epoll_ctl(epollFd, EPOLL_CTL_DEL, listenFd, nullptr);
        acceptPaused = true;
      }
      return;
    }
    const int yes = 1;
    ::setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &yes, sizeof yes);
    sockaddr_storage local{};
    socklen_t localLength = sizeof local;
    ::getsockname(fd, reinterpret_cast<sockaddr*>(&local), &localLength);
    Poco::Net::SocketAddress peer(reinterpret_cast<sockaddr*>(&address), length);
    std::string client = peer.host().toString();
    bool overTotal = false;
    bool overClient = false;
    {
      std::lock_guard lock(mutex);
      std::size_t& mine = perClient[client];
      overTotal = open >= settings.maxConnections;
      overClient = mine >= settings.maxConnectionsPerClient;
      ++mine;
      ++open;
    }
    auto connection = std::make_unique<Connection>(
        fd, std::move(peer),
        Poco::Net::SocketAddress(reinterpret_cast<sockaddr*>(&local), localLength),
        [this, client] { release(client); });
    connection->deadline = EdgeClock::now() + settings.headerTimeout;
    if (overTotal || overClient) {
      const ProtocolError busy(
          503, overTotal
                   ? "the broker has " + std::to_string(settings.maxConnections) +
                         " connections open, its limit (setting maxConnections)"
                   : "this client address has " + std::to_string(settings.maxConnectionsPerClient) +
                         " connections open, its limit (setting maxConnectionsPerClient)");
      answerAndLinger(*connection, busy, "Retry-After: 1\r\n");
    }
    watch(std::move(connection));
  }
}

void HttpEdge::Impl::watch(std::unique_ptr<Connection> connection) {
  epoll_event event{};
  event.events = EPOLLIN;
  event.data.fd = connection->fd();
  if (::epoll_ctl(epollFd, EPOLL_CTL_ADD, connection->fd(), &event) != 0) return;  // dropped
  const int fd = connection->fd();
  waiting[fd] = std::move(connection);
}

void HttpEdge::Impl::onReadable(int fd) {
  const auto it = waiting.find(fd);
  if (it == waiting.end()) return;
  Connection& connection = *it->second;
  const Connection::Read read = connection.readAvailable();
  if (read == Connection::Read::kWouldBlock) return;
  if (read == Connection::Read::kClosed) {
    waiting.erase(it);
    return;
  }
  if (connection.closing) {
    connection.discarded += connection.buffered().size();
    connection.consume(connection.buffered().size());
    if (connection.discarded > kLingerBytes) waiting.erase(it);
    return;
  }
  if (connection.idle) {
    // The first byte of a new request: from now on, the head's own deadline.
    connection.idle = false;
    connection.deadline = EdgeClock::now() + settings.headerTimeout;
  }
  advance(it);
}

void HttpEdge::Impl::advance(std::unordered_map<int, std::unique_ptr<Connection>>::iterator it) {
  Connection& connection = *it->second;
  try {
    skipEmptyLines(connection);
    const std::size_t end =
        findHeadEnd(connection.buffered(), connection.headScanned, settings.head);
    if (end == 0) return;
    RequestHead head = parseHead(connection.buffered().substr(0, end), settings.head);
    bool saturated = false;
    {
      std::lock_guard lock(mutex);
      saturated = idleWorkers <= jobs.size() &&
                  jobs.size() - idleWorkers >= static_cast<std::size_t>(settings.queueSize);
    }
    if (saturated) {
      answerAndLinger(
          connection,
          ProtocolError(503, "the broker is busy: " + std::to_string(settings.threads) +
                                 " requests are running and " + std::to_string(settings.queueSize) +
                                 " are waiting (settings threads and queueSize)"),
          "Retry-After: 1\r\n");
      return;
    }
    connection.consume(end);
    connection.headScanned = 0;
    ::epoll_ctl(epollFd, EPOLL_CTL_DEL, connection.fd(), nullptr);
    Job job{std::move(it->second), std::move(head)};
    waiting.erase(it);
    {
      std::lock_guard lock(mutex);
      jobs.push_back(std::move(job));
    }
    jobReady.notify_one();
  } catch (const ProtocolError& e) {
    answerAndLinger(connection, e);
  }
}

void HttpEdge::Impl::answerAndLinger(Connection& connection, const ProtocolError& error,
                                     std::string_view extraFields) {
  if (error.status() >= 500) {
    core::log(
        core::LogLevel::kWarning,
        "refused a request from " + connection.peer().host().toString() + ": " + error.message());
  }
  // The answer is small: it fits the socket's buffer, so the poller never waits on it.
  connection.writeAll(protocolAnswer(error, extraFields), milliseconds(0));
  startLinger(connection);
}

void HttpEdge::Impl::expire() {
  const auto now = EdgeClock::now();
  nextScan = now + kScanInterval;
  if (acceptPaused) {
    epoll_event event{};
    event.events = EPOLLIN;
    event.data.fd = listenFd;
    acceptPaused = ::epoll_ctl(epollFd, EPOLL_CTL_ADD, listenFd, &event) != 0;
  }
  for (auto it = waiting.begin(); it != waiting.end();) {
    Connection& connection = *it->second;
    if (now < connection.deadline) {
      ++it;
    } else if (connection.closing || connection.idle) {
      it = waiting.erase(it);
    } else {
      answerAndLinger(connection, ProtocolError(408, "the request head did not arrive within " +
                                                         inSeconds(settings.headerTimeout) +
                                                         " (setting requestHeaderTimeoutSeconds)"));
      ++it;
    }
  }
}

void HttpEdge::Impl::takeReturned() {
  std::vector<std::unique_ptr<Connection>> back;
  {
    std::lock_guard lock(mutex);
    back.swap(returned);
  }
  const auto now = EdgeClock::now();
  for (std::unique_ptr<Connection>& connection : back) {
    connection->releaseBuffer();
    if (!connection->closing) {
      connection->idle = connection->buffered().empty();
      connection->deadline =
          now + (connection->idle ? settings.keepAliveTimeout : settings.headerTimeout);
    }
    watch(std::move(connection));
  }
}

}  // namespace broker::server
