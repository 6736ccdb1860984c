#include "peer_process.h"

#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstdlib>
#include <fstream>
#include <sstream>
#include <stdexcept>
#include <thread>

namespace broker::testing {
namespace fs = std::filesystem;

int freeLoopbackPort() {
  const int fd = socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  bind(fd, reinterpret_cast<sockaddr*>(&address), sizeof address);
  socklen_t size = sizeof address;
  getsockname(fd, reinterpret_cast<sockaddr*>(&address), &size);
  close(fd);
  return ntohs(address.sin_port);
}

bool acceptsOnLoopback(int port) {
  const int fd = socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_port = htons(static_cast<std::uint16_t>(port));
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  const bool ok = connect(fd, reinterpret_cast<sockaddr*>(&address), sizeof address) == 0;
  close(fd);
  return ok;
}

std::string readTextFile(const fs::path& path) {
  std::ifstream in(path);
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

fs::path sourceDir() { return BROKER_SOURCE_DIR; }

PeerProcess::PeerProcess(const PeerCommand& command) {
  if (fs::exists(command.directory / "package.json") &&
      !fs::exists(command.directory / "node_modules")) {
    throw std::runtime_error(command.name + ": packages are not installed: run ./run.sh deps");
  }
  char pattern[] = "/tmp/peer-XXXXXX";
  if (mkdtemp(pattern) == nullptr) throw std::runtime_error("cannot create a temporary folder");
  workDir_ = pattern;
  const std::string ready = workDir_ + "/ready";
  const std::string log = workDir_ + "/log";
  std::vector<std::string> argv = {command.program};
  argv.insert(argv.end(), command.arguments.begin(), command.arguments.end());

  pid_ = fork();
  if (pid_ < 0) throw std::runtime_error("fork failed");
  if (pid_ == 0) {
    setpgid(0, 0);
    prctl(PR_SET_PDEATHSIG, SIGTERM);  // no peer outlives a test that dies
    const int out = open(log.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
    dup2(out, STDOUT_FILENO);
    dup2(out, STDERR_FILENO);
    if (chdir(command.directory.c_str()) != 0) _exit(127);
    setenv("PORT", "0", 1);
    setenv("HOST", "127.0.0.1", 1);
    setenv("NODE_ENV", "test", 1);
    if (!command.readyVariable.empty()) setenv(command.readyVariable.c_str(), ready.c_str(), 1);
    for (const auto& [name, value] : command.environment) setenv(name.c_str(), value.c_str(), 1);
    std::vector<char*> args;
    for (std::string& arg : argv) args.push_back(arg.data());
    args.push_back(nullptr);
    execvp(command.program.c_str(), args.data());
    _exit(127);
  }
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(60);
  while (std::chrono::steady_clock::now() < deadline) {
    int status = 0;
    if (waitpid(pid_, &status, WNOHANG) == pid_) {
      pid_ = -1;
      const std::string text = this->log();
      stop();  // no destructor runs for a constructor that throws: remove the work folder here
      throw std::runtime_error(command.name + " exited at start:\n" + text);
    }
    if (command.listening) {
      origin_ = command.listening();
      if (!origin_.empty()) return;
    } else if (const std::string address = readTextFile(ready); address.ends_with('\n')) {
      origin_ = address.substr(0, address.size() - 1);  // written whole
      return;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  const std::string text = this->log();
  stop();
  throw std::runtime_error(command.name + " did not listen within 60 s:\n" + text);
}

PeerProcess::~PeerProcess() { stop(); }

void PeerProcess::stop() {
  if (pid_ > 0) {
    kill(-pid_, SIGTERM);
    int status = 0;
    for (int i = 0; i < 100 && waitpid(pid_, &status, WNOHANG) == 0; ++i) {
      std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
    if (waitpid(pid_, &status, WNOHANG) == 0) {
      kill(-pid_, SIGKILL);
      waitpid(pid_, &status, 0);
    }
    pid_ = -1;
  }
  if (!workDir_.empty()) {
    std::error_code ignored;
    fs::remove_all(workDir_, ignored);
    workDir_.clear();
  }
}

std::string PeerProcess::log() const { return readTextFile(workDir_ + "/log"); }

}  // namespace broker::testing
