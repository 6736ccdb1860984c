// A test peer as a child process (a Node.js service by default): started in its own process
// group, waited for until it writes its address to a ready file (or until a check says it
// listens), stopped (SIGTERM, then SIGKILL) when destroyed.
#pragma once

#include <sys/types.h>

#include <filesystem>
#include <functional>
#include <string>
#include <utility>
#include <vector>

namespace broker::testing {

struct PeerCommand {
  std::string name;  ///< for messages: "the demo service"
  std::filesystem::path
      directory;  ///< working directory (with node_modules if it has package.json)
  std::vector<std::string> arguments;  ///< after "node"
  std::string readyVariable;           ///< the environment variable naming the ready file
  std::vector<std::pair<std::string, std::string>> environment{};
  std::string program = "node";
  /// Instead of a ready file: the peer's origin once it listens, "" until then.
  std::function<std::string()> listening{};
};

class PeerProcess {
 public:
  /// Starts the peer and waits (up to 60 s) until it listens; throws std::runtime_error
  /// naming the reason (packages not installed, process exited, no answer).
  explicit PeerProcess(const PeerCommand& command);
  ~PeerProcess();
  PeerProcess(const PeerProcess&) = delete;
  PeerProcess& operator=(const PeerProcess&) = delete;

  /// "http://127.0.0.1:PORT"
  const std::string& origin() const { return origin_; }
  /// The process (and its group's) id.
  pid_t pid() const { return pid_; }
  /// The peer's stdout and stderr.
  std::string log() const;

 private:
  void stop();

  pid_t pid_ = -1;
  std::string origin_;
  std::string workDir_;
};

/// The source tree's root (for peers and sample data).
std::filesystem::path sourceDir();

/// A file's whole text ("" when it cannot be read).
std::string readTextFile(const std::filesystem::path& path);

/// A TCP port on 127.0.0.1 that was free a moment ago, for peers told their port.
int freeLoopbackPort();

/// Whether something accepts connections on 127.0.0.1:`port`.
bool acceptsOnLoopback(int port);

}  // namespace broker::testing
