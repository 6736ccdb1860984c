#include "postgres_peer.h"

#include <pwd.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <array>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <stdexcept>
#include <thread>
#include <vector>

namespace broker::testing {

namespace fs = std::filesystem;

namespace {

// Debian installs the server's programs under /usr/lib/postgresql/<version>/bin.
fs::path serverBin() {
  std::vector<fs::path> found;
  std::error_code error;
  for (const auto& entry : fs::directory_iterator("/usr/lib/postgresql", error)) {
    if (fs::exists(entry.path() / "bin" / "initdb")) found.push_back(entry.path() / "bin");
  }
  if (found.empty()) {
    throw std::runtime_error(
        "PostgreSQL's server is not installed (Debian package postgresql): "
        "run ./run.sh deps");
  }
  std::sort(found.begin(), found.end());
  return found.back();
}

// The account the server runs as: postgres refuses to run as root.
const passwd* serverUser() {
  if (::geteuid() != 0) return nullptr;
  for (const char* name : {"postgres", "nobody"}) {
    if (const passwd* user = ::getpwnam(name)) return user;
  }
  throw std::runtime_error("no unprivileged account to run PostgreSQL as");
}

std::vector<std::string> asServerUser(std::vector<std::string> command) {
  const passwd* user = serverUser();
  if (user == nullptr) return command;
  std::vector<std::string> wrapped = {"setpriv", "--reuid=" + std::to_string(user->pw_uid),
                                      "--regid=" + std::to_string(user->pw_gid), "--clear-groups"};
  wrapped.insert(wrapped.end(), command.begin(), command.end());
  return wrapped;
}

std::string shellQuoted(const std::string& text) {
  std::string quoted = "'";
  for (const char c : text) quoted += c == '\'' ? std::string("'\\''") : std::string(1, c);
  return quoted + "'";
}

std::string commandLine(const std::vector<std::string>& argv) {
  std::string line;
  for (const std::string& argument : argv) line += shellQuoted(argument) + " ";
  return line;
}

}  // namespace

PostgresPeer::PostgresPeer() {
  char pattern[] = "/tmp/postgres-peer-XXXXXX";
  if (::mkdtemp(pattern) == nullptr) throw std::runtime_error("cannot create a temporary folder");
  dir_ = pattern;
  password_ = "pw-" + std::to_string(::getpid()) + "-" + std::to_string(std::rand());
  std::ofstream(dir_ / "password") << password_ << "\n";
  fs::permissions(dir_ / "password", fs::perms::owner_read | fs::perms::owner_write);
  fs::create_directories(dir_ / "cluster");
  std::ofstream(dir_ / "cluster" / "pwfile") << password_ << "\n";
  if (const passwd* user = serverUser()) {
    for (const fs::path& path : {dir_ / "cluster", dir_ / "cluster" / "pwfile"}) {
      if (::chown(path.c_str(), user->pw_uid, user->pw_gid) != 0) {
        throw std::runtime_error("cannot hand " + path.string() + " to the server's account");
      }
    }
    fs::permissions(dir_, fs::perms::others_exec | fs::perms::group_exec, fs::perm_options::add);
  }
  const std::string initdb =
      commandLine(asServerUser(
          {(serverBin() / "initdb").string(), "--pgdata", (dir_ / "cluster" / "data").string(),
           "--username=broker", "--auth=scram-sha-256",
           "--pwfile=" + (dir_ / "cluster" / "pwfile").string(), "--encoding=UTF8", "--no-sync"})) +
      " >" + shellQuoted((dir_ / "initdb.log").string()) + " 2>&1";
  if (std::system(initdb.c_str()) != 0) {
    const std::string log = readTextFile(dir_ / "initdb.log");
    fs::remove_all(dir_);
    throw std::runtime_error("initdb failed: " + log);
  }
  port_ = freeLoopbackPort();
  start();
}

PostgresPeer::~PostgresPeer() {
  process_.reset();
  std::error_code ignored;
  fs::remove_all(dir_, ignored);
}

void PostgresPeer::start() {
  PeerCommand command;
  command.name = "PostgreSQL";
  command.directory = dir_ / "cluster";
  const std::vector<std::string> argv =
      asServerUser({(serverBin() / "postgres").string(), "-D", (dir_ / "cluster" / "data").string(),
                    "-p", std::to_string(port_), "-c", "listen_addresses=127.0.0.1", "-c",
                    "unix_socket_directories=" + (dir_ / "cluster").string(), "-c", "fsync=off",
                    "-c", "max_connections=200", "-c", "shared_buffers=32MB"});
  command.program = argv.front();
  command.arguments.assign(argv.begin() + 1, argv.end());
  const std::string ready = commandLine({(serverBin() / "pg_isready").string(), "-q", "-h",
                                         "127.0.0.1", "-p", std::to_string(port_)});
  command.listening = [ready, port = port_]() -> std::string {
    return std::system(ready.c_str()) == 0 ? "postgresql://127.0.0.1:" + std::to_string(port) : "";
  };
  process_ = std::make_unique<PeerProcess>(command);
}

void PostgresPeer::stop() {
  if (!process_) return;
  ::kill(process_->pid(), SIGINT);  // fast shutdown
  for (int i = 0; i < 200 && ::kill(process_->pid(), 0) == 0; ++i) {
    int status = 0;
    if (::waitpid(process_->pid(), &status, WNOHANG) == process_->pid()) break;
    std::this_thread::sleep_for(std::chrono::milliseconds(25));
  }
  process_.reset();
}

std::string PostgresPeer::sql(const std::string& database, const std::string& statement) const {
  const std::string line =
      "PGPASSWORD=" + shellQuoted(password_) + " " +
      commandLine({(serverBin() / "psql").string(), "-X", "-A", "-t", "-q", "-v", "ON_ERROR_STOP=1",
                   "-h", "127.0.0.1", "-p", std::to_string(port_), "-U", "broker", "-d", database,
                   "-c", statement}) +
      " 2>&1";
  FILE* pipe = ::popen(line.c_str(), "r");
  if (pipe == nullptr) throw std::runtime_error("cannot run psql");
  std::string output;
  std::array<char, 4096> buffer{};
  while (const std::size_t got = std::fread(buffer.data(), 1, buffer.size(), pipe)) {
    output.append(buffer.data(), got);
  }
  if (::pclose(pipe) != 0)
    throw std::runtime_error("psql failed on '" + statement + "': " + output);
  while (!output.empty() && output.back() == '\n') output.pop_back();
  return output;
}

std::string PostgresPeer::createDatabase(const std::string& name) const {
  sql("postgres", "CREATE DATABASE " + name);
  return "postgresql://broker@127.0.0.1:" + std::to_string(port_) + "/" + name;
}

}  // namespace broker::testing
