#include "proxy_peer.h"

#include <stdlib.h>

#include <fstream>
#include <stdexcept>

namespace broker::testing {

namespace fs = std::filesystem;

ProxyPeer::ProxyPeer(const std::string& user, const std::string& password) {
  char pattern[] = "/tmp/proxy-peer-XXXXXX";
  if (mkdtemp(pattern) == nullptr) throw std::runtime_error("cannot create a temporary folder");
  dir_ = pattern;
  port_ = freeLoopbackPort();
  std::ofstream(dir_ / "tinyproxy.conf")
      << "Port " << port_ << "\nListen 127.0.0.1\nTimeout 30\nMaxClients 64\n"
      << "Allow 127.0.0.1\nLogLevel Connect\nLogFile \"" << (dir_ / "tinyproxy.log").string()
      << "\"\nBasicAuth " << user << " " << password << "\n";
  try {
    process_ = std::make_unique<PeerProcess>(
        PeerCommand{.name = "tinyproxy (installed by ./run.sh deps)",
                    .directory = dir_,
                    .arguments = {"-d", "-c", (dir_ / "tinyproxy.conf").string()},
                    .readyVariable = "",
                    .program = "tinyproxy",
                    .listening = [this] {
                      return acceptsOnLoopback(port_) ? "http://" + hostPort() : std::string();
                    }});
  } catch (const std::runtime_error& e) {
    const std::string log = this->log();
    std::error_code ignored;
    fs::remove_all(dir_, ignored);
    throw std::runtime_error(std::string(e.what()) + "\n" + log);
  }
}

ProxyPeer::~ProxyPeer() {
  process_.reset();
  std::error_code ignored;
  fs::remove_all(dir_, ignored);
}

std::string ProxyPeer::log() const { return readTextFile(dir_ / "tinyproxy.log"); }

}  // namespace broker::testing
