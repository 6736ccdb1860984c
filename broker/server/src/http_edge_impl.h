// The HTTP edge's shared state, private to its two halves: the poller (http_edge.cpp) that
// accepts connections and reads request heads, and the workers (http_edge_worker.cpp) that run
// requests and hand kept connections back.
#pragma once

#include <Poco/AutoPtr.h>
#include <Poco/Net/HTTPServerParams.h>

#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <deque>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <unordered_map>
#include <vector>

#include "http_connection.h"
#include "http_edge.h"

namespace broker::server::edge {

// After an answer that closes: how long, and how much, the rest of what the client sends is
// read and dropped, so that the answer is not destroyed by a reset before the client reads it.
constexpr std::chrono::milliseconds kLingerTime{2000};
constexpr std::uint64_t kLingerBytes = 1 << 20;
// How long a worker waits for the next request on its connection before handing the
// connection back to the poller (only when no other request waits for a worker).
constexpr std::chrono::milliseconds kWorkerLinger{2};
constexpr std::chrono::milliseconds kScanInterval{100};

struct Job {
  std::unique_ptr<Connection> connection;
  RequestHead head;
};

// Leading empty lines before a request line are ignored (RFC 9112 §2.2).
inline void skipEmptyLines(Connection& connection) {
  const std::string_view have = connection.buffered();
  std::size_t count = 0;
  while (count < have.size() && (have[count] == '\r' || have[count] == '\n')) ++count;
  if (count > 0) {
    connection.consume(count);
    connection.headScanned = 0;
  }
}

// After an answer that ends the connection: no more responses, and what the client still sends
// is read and dropped (by the poller) until it stops or kLingerTime passes.
inline void startLinger(Connection& connection) {
  connection.shutdownWrite();
  connection.closing = true;
  connection.discarded = connection.buffered().size();
  connection.consume(connection.buffered().size());
  connection.deadline = EdgeClock::now() + kLingerTime;
}

inline std::string inSeconds(std::chrono::seconds value) {
  return std::to_string(value.count()) + " s";
}

}  // namespace broker::server::edge

namespace broker::server {

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
  std::deque<edge::Job> jobs;
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
  void serve(edge::Job job);
  bool exchange(Connection& connection, const RequestHead& head);
  enum class Next { kReady, kWait, kClose };
  Next nextHead(Connection& connection, RequestHead& head);
  void handBack(std::unique_ptr<Connection> connection);
  void release(const std::string& client);
};

}  // namespace broker::server
