// The broker's HTTP server (API.md §4): the REST API under /api/v1, /metrics and the config
// UI, on POCO's HTTP server with a bounded thread pool.
#pragma once

#include <cstdint>
#include <memory>
#include <string>

#include "broker/engine/registry.h"
#include "config/settings.h"

namespace broker::server {

class Server {
 public:
  /// Serves `registry` as `settings` say. The registry must outlive the server.
  Server(const config::BrokerSettings& settings, engine::Registry& registry);
  ~Server();
  Server(const Server&) = delete;
  Server& operator=(const Server&) = delete;

  /// Binds and starts listening. Throws core::Error(kInvalidArgument) naming the address when
  /// it cannot bind.
  void start();
  /// The port listened on (the one chosen when the settings said 0).
  std::uint16_t port() const;
  /// "http://host:port"
  std::string url() const;
  /// Stops accepting connections and returns once the requests in flight have finished.
  void stop();

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace broker::server
