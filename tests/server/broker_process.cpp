#include "broker_process.h"

#include <fcntl.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <fstream>
#include <sstream>
#include <stdexcept>
#include <thread>

namespace broker::testing {

BrokerProcess::BrokerProcess(const std::filesystem::path& dataDir,
                             std::vector<std::string> extraArguments)
    : dataDir_(dataDir) {
  std::filesystem::create_directories(dataDir);
  const std::filesystem::path ready = dataDir / "ready";
  const std::filesystem::path logFile = dataDir / "broker.log";
  std::filesystem::remove(ready);
  pid_ = ::fork();
  if (pid_ == 0) {
    ::prctl(PR_SET_PDEATHSIG, SIGKILL);  // no broker outlives a test that dies
    const int log = ::open(logFile.c_str(), O_WRONLY | O_CREAT | O_APPEND, 0600);
    ::dup2(log, STDOUT_FILENO);
    ::dup2(log, STDERR_FILENO);
    std::vector<std::string> arguments = {
        BROKER_BINARY,    "serve",        "--port",       "0",         "--data-dir",
        dataDir.string(), "--ready-file", ready.string(), "--threads", "8"};
    arguments.insert(arguments.end(), extraArguments.begin(), extraArguments.end());
    std::vector<char*> argv;
    for (std::string& argument : arguments) argv.push_back(argument.data());
    argv.push_back(nullptr);
    ::execv(BROKER_BINARY, argv.data());
    ::_exit(127);
  }
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(30);
  while (std::chrono::steady_clock::now() < deadline) {
    std::ifstream in(ready);
    if (std::getline(in, url_) && !url_.empty()) return;
    int status = 0;
    if (::waitpid(pid_, &status, WNOHANG) == pid_) {
      pid_ = -1;
      throw std::runtime_error("odata-broker exited at start: " + log());
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  stop(SIGKILL);
  throw std::runtime_error("odata-broker did not start in 30 s: " + log());
}

BrokerProcess::~BrokerProcess() {
  if (pid_ > 0) stop(SIGKILL);
}

int BrokerProcess::stop(int signal) {
  if (pid_ <= 0) return -1;
  ::kill(pid_, signal);
  int status = 0;
  ::waitpid(pid_, &status, 0);
  pid_ = -1;
  return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
}

void BrokerProcess::resetPeakRss() const {
  std::ofstream("/proc/" + std::to_string(pid_) + "/clear_refs") << "5";
}

long BrokerProcess::peakRssKb() const {
  std::ifstream status("/proc/" + std::to_string(pid_) + "/status");
  std::string line;
  while (std::getline(status, line)) {
    if (line.rfind("VmHWM:", 0) == 0) return std::stol(line.substr(6));
  }
  return -1;
}

std::string BrokerProcess::log() const {
  std::ifstream in(dataDir_ / "broker.log");
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

}  // namespace broker::testing
