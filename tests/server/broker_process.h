// The odata-broker executable run as a child process on a data dir, for tests that restart or
// kill it.
#pragma once

#include <sys/types.h>

#include <filesystem>
#include <string>
#include <vector>

namespace broker::testing {

class BrokerProcess {
 public:
  /// Runs `odata-broker serve` on 127.0.0.1 with a free port and `dataDir`; waits (up to 30 s)
  /// until it listens. Throws std::runtime_error with its log when it does not.
  explicit BrokerProcess(const std::filesystem::path& dataDir,
                         std::vector<std::string> extraArguments = {});
  /// Kills it (SIGKILL) if still running.
  ~BrokerProcess();
  BrokerProcess(const BrokerProcess&) = delete;
  BrokerProcess& operator=(const BrokerProcess&) = delete;

  const std::string& url() const { return url_; }
  pid_t pid() const { return pid_; }
  /// Sends `signal` and waits for the process; returns its exit status (or 128 + signal).
  int stop(int signal);
  std::string log() const;
  /// Sets the process's peak RSS back to its current RSS (Linux: "5" to /proc/PID/clear_refs),
  /// so that a following peakRssKb() measures from now.
  void resetPeakRss() const;
  /// The process's peak RSS in KiB (VmHWM), -1 when it cannot be read.
  long peakRssKb() const;

 private:
  pid_t pid_ = -1;
  std::filesystem::path dataDir_;
  std::string url_;
};

}  // namespace broker::testing
