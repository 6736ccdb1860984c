// tinyproxy from Debian as the tests' forward proxy: on 127.0.0.1 with a free port, in a
// folder of its own, with HTTP Basic proxy authentication for one user; CONNECT to any port.
#pragma once

#include <filesystem>
#include <memory>
#include <string>

#include "peer_process.h"

namespace broker::testing {

class ProxyPeer {
 public:
  /// Starts tinyproxy and waits until it accepts; throws std::runtime_error with its log when
  /// it does not (not installed: ./run.sh deps).
  ProxyPeer(const std::string& user, const std::string& password);
  ~ProxyPeer();
  ProxyPeer(const ProxyPeer&) = delete;
  ProxyPeer& operator=(const ProxyPeer&) = delete;

  /// "127.0.0.1:PORT"
  std::string hostPort() const { return "127.0.0.1:" + std::to_string(port_); }
  /// What tinyproxy logged: every request it relayed, CONNECTs included.
  std::string log() const;

 private:
  std::filesystem::path dir_;
  std::unique_ptr<PeerProcess> process_;
  int port_ = 0;
};

}  // namespace broker::testing
