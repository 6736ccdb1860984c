#include "cluster_support.h"

#include <chrono>
#include <fstream>
#include <sstream>
#include <thread>

namespace broker::testing {

namespace fs = std::filesystem;

Cluster::Cluster(const PostgresPeer& server, const std::string& database, std::size_t nodes)
    : server_(server), storeUrl_(server.createDatabase(database)) {
  for (std::size_t index = 0; index < nodes; ++index) start(index);
}

fs::path Cluster::dataDir(std::size_t index) const {
  return dir_.path() / ("node" + std::to_string(index));
}

std::vector<std::string> Cluster::storeArguments() const {
  return {"--set", "store=" + storeUrl_, "--set",
          "storePasswordFile=" + server_.passwordFile().string()};
}

BrokerProcess& Cluster::start(std::size_t index, bool ownKey) {
  const fs::path dir = dataDir(index);
  fs::create_directories(dir);
  const fs::path key = dir / "secret.key";
  if (index > 0 && !ownKey && !fs::exists(key)) {
    fs::copy_file(dataDir(0) / "secret.key", key);
    fs::permissions(key, fs::perms::owner_read | fs::perms::owner_write);
  }
  if (nodes_.size() <= index) nodes_.resize(index + 1);
  nodes_[index].reset();
  nodes_[index] = std::make_unique<BrokerProcess>(dir, storeArguments());
  return *nodes_[index];
}

NginxFront::NginxFront(const std::vector<std::string>& upstreams) : port_(freeLoopbackPort()) {
  std::string servers;
  for (const std::string& upstream : upstreams) {
    servers += "server " + upstream.substr(upstream.find("//") + 2) +
               " max_fails=1 fail_timeout=5s;\n    ";
  }
  std::string text = readTextFile(sourceDir() / "installer" / "cluster" / "nginx.conf.in");
  const auto substitute = [&text](const std::string& name, const std::string& value) {
    for (auto at = text.find(name); at != std::string::npos; at = text.find(name, at)) {
      text.replace(at, name.size(), value);
      at += value.size();
    }
  };
  const std::string dir = dir_.path().string();
  substitute("@DIR@", dir);
  substitute("@LISTEN@", "127.0.0.1:" + std::to_string(port_));
  substitute("@SERVERS@", servers);
  fs::create_directories(dir_.path() / "tmp");
  std::ofstream(dir_.path() / "nginx.conf") << text;
  PeerCommand command;
  command.name = "nginx (installed by ./run.sh deps)";
  command.directory = dir_.path();
  command.program = "nginx";
  command.arguments = {"-p", dir, "-e", dir + "/error.log", "-c", dir + "/nginx.conf"};
  command.listening = [port = port_]() -> std::string {
    return acceptsOnLoopback(port) ? "http://127.0.0.1:" + std::to_string(port) : "";
  };
  process_ = std::make_unique<PeerProcess>(command);
}

std::chrono::milliseconds waitUntil(const std::function<bool()>& check,
                                    std::chrono::milliseconds limit) {
  const auto started = std::chrono::steady_clock::now();
  for (;;) {
    const bool holds = check();
    const auto took = std::chrono::duration_cast<std::chrono::milliseconds>(
        std::chrono::steady_clock::now() - started);
    if (holds) return took;
    if (took > limit) return std::chrono::milliseconds(-1);
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
}

}  // namespace broker::testing
