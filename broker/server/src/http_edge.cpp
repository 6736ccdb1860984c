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
#include "http_message.h"

namespace broker::server {

namespace {

using std::chrono::milliseconds;
using std::chrono::seconds;

// After an answer that closes: how long, and how much, the rest of what the client sends is
// read and dropped, so that the answer is not destroyed by a reset before the client reads it.
constexpr milliseconds kLingerTime{2000};
constexpr std::uint64_t kLingerBytes = 1 << 20;
// How long a worker waits for the next request on its connection before handing the
// connection back to the poller (only when no other request waits for a worker).
constexpr milliseconds kWorkerLinger{2};
constexpr milliseconds kScanInterval{100};

struct Job {
  std::unique_ptr<Connection> connection;
  RequestHead head;
};

// Leading empty lines before a request line are ignored (RFC 9112 §2.2).
void skipEmptyLines(Connection& connection) {
  const std::string_view have = connection.buffered();
  std::size_t count = 0;
  while (count < have.size() && (have[count] == '\r' || have[count] == '\n')) ++count;
  if (count > 0) {
    connection.consume(count);
    connection.headScanned = 0;
  }
}

std::string inSeconds(std::chrono::seconds value) { return std::to_string(value.count()) + " s"; }

}  // namespace

struct HttpEdge::Impl {
  Impl(EdgeSettings settings, Poco::Net::HTTPRequestHandlerFactory& factory)
      : settings(std::move(settings)), factory(factory), params(new Poco::Net::HTTPServerParams) {}

  EdgeSettings settings;
  Poco::Net::HTTPRequestHandlerFactory& factory;
  Poco::AutoPtr<Poco::Net::HTTPServerParams> params;
  int listenFd = -1;
  int epollFd = -1;
  int wakeFd = -1;
  std::uint16_t port = 0;
  std::thread poller;
  std::vector<std::thread> workers;

  std::mutex mutex;  // guards everything below up to `waiting`
  std::condition_variable jobReady;
  std::deque<Job> jobs;
  std::size_t idleWorkers = 0;
  bool stopping = false;
  std::vector<std::unique_ptr<Connection>> returned;
  std::unordered_map<std::string, std::size_t> perClient;
  std::size_t open = 0;

  // The poller's own: connections waiting for a head, or lingering before their close.
  std::unordered_map<int, std::unique_ptr<Connection>> waiting;
  EdgeClock::time_point nextScan;
  bool acceptPaused = false;

  void bind();
  void pollLoop();
  void acceptAll();
  void watch(std::unique_ptr<Connection> connection);
  void onReadable(int fd);
  void advance(std::unordered_map<int, std::unique_ptr<Connection>>::iterator it);
  void answerAndLinger(Connection& connection, const ProtocolError& error,
                       std::string_view extraFields = {});
  void expire();
  void takeReturned();
  bool isStopping();

  void workerLoop();
  void serve(Job job);
  bool exchange(Connection& connection, const RequestHead& head);
  enum class Next { kReady, kWait, kClose };
  Next nextHead(Connection& connection, RequestHead& head);
  void handBack(std::unique_ptr<Connection> connection);
  void release(const std::string& client);
};

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
  connection.shutdownWrite();
  connection.closing = true;
  connection.discarded = connection.buffered().size();
  connection.consume(connection.buffered().size());
  connection.deadline = EdgeClock::now() + kLingerTime;
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

// ---- the workers ----

void HttpEdge::Impl::workerLoop() {
  for (;;) {
    Job job;
    {
      std::unique_lock lock(mutex);
      ++idleWorkers;
      jobReady.wait(lock, [this] { return !jobs.empty() || stopping; });
      --idleWorkers;
      if (jobs.empty()) return;
      job = std::move(jobs.front());
      jobs.pop_front();
    }
    serve(std::move(job));
  }
}

void HttpEdge::Impl::serve(Job job) {
  Connection& connection = *job.connection;
  for (;;) {
    if (!exchange(connection, job.head)) {
      connection.shutdownWrite();
      connection.closing = true;
      connection.deadline = EdgeClock::now() + kLingerTime;
      connection.consume(connection.buffered().size());
      return handBack(std::move(job.connection));
    }
    switch (nextHead(connection, job.head)) {
      case Next::kReady:
        continue;
      case Next::kWait:
        return handBack(std::move(job.connection));
      case Next::kClose:
        return;  // the client has gone
    }
  }
}

bool HttpEdge::Impl::exchange(Connection& connection, const RequestHead& head) {
  EdgeResponse* response = nullptr;
  BodyReader body(connection, head, settings.body, [&response] { response->sendContinue(); });
  EdgeResponse edgeResponse(
      connection, head, body,
      ResponsePolicy{isStopping(), settings.maxDrainBytes, settings.writeTimeout});
  response = &edgeResponse;
  EdgeRequest request(head, connection, body, edgeResponse, *params);
  try {
    std::unique_ptr<Poco::Net::HTTPRequestHandler> handler(factory.createRequestHandler(request));
    handler->handleRequest(request, edgeResponse);
  } catch (const ProtocolError& e) {
    if (!edgeResponse.sent()) {
      edgeResponse.setStatusAndReason(static_cast<Poco::Net::HTTPResponse::HTTPStatus>(e.status()));
      edgeResponse.setContentType("application/json; charset=utf-8");
      const std::string json = protocolErrorJson(e);
      edgeResponse.sendBuffer(json.data(), json.size());
    }
  } catch (const std::exception& e) {
    core::log(core::LogLevel::kError, std::string("a request handler failed: ") + e.what());
  }
  return edgeResponse.finish() && !body.failed();
}

HttpEdge::Impl::Next HttpEdge::Impl::nextHead(Connection& connection, RequestHead& head) {
  try {
    skipEmptyLines(connection);
    std::size_t end = findHeadEnd(connection.buffered(), connection.headScanned, settings.head);
    bool quiet = false;
    {
      std::lock_guard lock(mutex);
      quiet = jobs.empty() && !stopping;
    }
    if (end == 0 && connection.buffered().empty() && quiet &&
        connection.waitReadable(EdgeClock::now() + kWorkerLinger)) {
      if (connection.readAvailable() == Connection::Read::kClosed) return Next::kClose;
      skipEmptyLines(connection);
      end = findHeadEnd(connection.buffered(), connection.headScanned, settings.head);
    }
    if (end == 0) return Next::kWait;
    head = parseHead(connection.buffered().substr(0, end), settings.head);
    connection.consume(end);
    connection.headScanned = 0;
    return Next::kReady;
  } catch (const ProtocolError& e) {
    answerAndLinger(connection, e);  // the poller then reads and drops what follows
    return Next::kWait;
  }
}

void HttpEdge::Impl::handBack(std::unique_ptr<Connection> connection) {
  {
    std::lock_guard lock(mutex);
    if (stopping) return;  // destroyed here: the poller no longer watches
    returned.push_back(std::move(connection));
  }
  const std::uint64_t one = 1;
  [[maybe_unused]] const auto written = ::write(wakeFd, &one, sizeof one);
}

void HttpEdge::Impl::release(const std::string& client) {
  std::lock_guard lock(mutex);
  --open;
  const auto it = perClient.find(client);
  if (it != perClient.end() && --it->second == 0) perClient.erase(it);
}

}  // namespace broker::server
