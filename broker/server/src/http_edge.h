// The broker's inbound HTTP/1.1 server. One poller thread accepts connections and reads
// request heads, each against a deadline of its own, so a slow client costs a buffer and never
// a thread; a complete head goes to a fixed pool of workers that run the handler and read the
// body. When the workers and their queue are full the poller answers 503 with Retry-After, and
// connections over the total or per-address bound get the same answer rather than a reset.
// A connection is kept for another request only when no unread byte of this one remains.
#pragma once

#include <Poco/Net/HTTPRequestHandlerFactory.h>

#include <chrono>
#include <cstdint>
#include <memory>
#include <string>

#include "http_body.h"
#include "http_head.h"

namespace broker::server {

struct EdgeSettings {
  std::string host = "127.0.0.1";
  int port = 0;
  int threads = 16;     ///< workers
  int queueSize = 100;  ///< complete request heads waiting for a worker
  std::size_t maxConnections = 1024;
  std::size_t maxConnectionsPerClient = 256;
  HeadLimits head;
  BodyLimits body;
  std::chrono::seconds headerTimeout{10};     ///< for a whole head, however it trickles in
  std::chrono::seconds keepAliveTimeout{10};  ///< idle between requests
  std::chrono::milliseconds writeTimeout{120000};
  std::uint64_t maxDrainBytes = 64 * 1024;  ///< unread body read and dropped to keep a connection
};

class HttpEdge {
 public:
  /// Serves requests with handlers from `factory`, which must outlive the edge.
  HttpEdge(EdgeSettings settings, Poco::Net::HTTPRequestHandlerFactory& factory);
  ~HttpEdge();
  HttpEdge(const HttpEdge&) = delete;
  HttpEdge& operator=(const HttpEdge&) = delete;

  /// Binds, listens and starts the threads. Throws core::Error(kInvalidArgument) naming the
  /// address when it cannot bind.
  void start();
  /// The port listened on.
  std::uint16_t port() const;
  /// Stops accepting, closes connections waiting for a request, lets the requests that have
  /// arrived finish (their answers close the connection) and joins the threads.
  void stop();

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace broker::server
