// A PostgreSQL server from Debian's packages for the multi-node tests: a cluster made with
// initdb in a temporary folder, run by `postgres` on a free loopback port as an unprivileged
// user (the package's `postgres` account when the test runs as root), with password
// (SCRAM) authentication for user "broker". Removed when destroyed.
#pragma once

#include <filesystem>
#include <memory>
#include <string>

#include "peer_process.h"

namespace broker::testing {

class PostgresPeer {
 public:
  /// initdb and start; throws std::runtime_error with the server's log when it fails.
  PostgresPeer();
  ~PostgresPeer();
  PostgresPeer(const PostgresPeer&) = delete;
  PostgresPeer& operator=(const PostgresPeer&) = delete;

  /// Creates an empty database; returns its URL, postgresql://broker@127.0.0.1:PORT/NAME.
  std::string createDatabase(const std::string& name) const;
  /// Runs one SQL statement as "broker" in database `database` with psql; returns its
  /// unaligned output. Throws when psql fails.
  std::string sql(const std::string& database, const std::string& statement) const;
  /// The password of user "broker", and a file holding it (readable by the test's user).
  const std::string& password() const { return password_; }
  std::filesystem::path passwordFile() const { return dir_ / "password"; }
  int port() const { return port_; }

  /// Stops the server (fast shutdown: clients are disconnected); start() runs it again on
  /// the same port and data.
  void stop();
  void start();

 private:
  std::filesystem::path dir_;
  std::string password_;
  int port_ = 0;
  std::unique_ptr<PeerProcess> process_;
};

}  // namespace broker::testing
