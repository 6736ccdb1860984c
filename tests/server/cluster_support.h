// Several broker processes on one PostgreSQL store, and nginx in front of them (the template
// installer/cluster/nginx.conf.in, as ./run.sh cluster uses it).
#pragma once

#include <filesystem>
#include <memory>
#include <string>
#include <vector>

#include "broker_process.h"
#include "broker_support.h"
#include "peer_process.h"
#include "postgres_peer.h"

namespace broker::testing {

class Cluster {
 public:
  /// A new database on `server`, with `nodes` nodes started on it (start(0), start(1), …).
  Cluster(const PostgresPeer& server, const std::string& database, std::size_t nodes = 0);

  /// Starts node `index` (0, 1, …) on the store. Node 0 makes the secret key on its first
  /// start; the others get a copy of it unless `ownKey`, when they make their own.
  BrokerProcess& start(std::size_t index, bool ownKey = false);
  BrokerProcess& node(std::size_t index) { return *nodes_.at(index); }
  std::string url(std::size_t index) const { return nodes_.at(index)->url(); }
  /// The arguments `odata-broker serve` gets for the store.
  std::vector<std::string> storeArguments() const;
  std::filesystem::path dataDir(std::size_t index) const;
  const std::string& storeUrl() const { return storeUrl_; }

 private:
  const PostgresPeer& server_;
  std::string storeUrl_;
  TempDir dir_;
  std::vector<std::unique_ptr<BrokerProcess>> nodes_;
};

/// nginx on a free loopback port, balancing over `upstreams` (http://127.0.0.1:PORT each).
class NginxFront {
 public:
  explicit NginxFront(const std::vector<std::string>& upstreams);
  std::string url() const { return "http://127.0.0.1:" + std::to_string(port_); }

 private:
  TempDir dir_;
  int port_ = 0;
  std::unique_ptr<PeerProcess> process_;
};

/// Polls `check` every 20 ms until it is true or `limit` passes; returns the time it took, or
/// -1 ms when it never held.
std::chrono::milliseconds waitUntil(const std::function<bool()>& check,
                                    std::chrono::milliseconds limit);

}  // namespace broker::testing
