// `serve`: the broker itself. Settings from defaults, --config, the environment and flags; the
// store and secret key in the data dir; the registry restored from the store; the HTTP server
// until SIGTERM or SIGINT, after which the calls in flight finish before the process exits.
#include <pthread.h>
#include <signal.h>
#include <sys/resource.h>
#include <sys/stat.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <ostream>
#include <string>
#include <utility>
#include <vector>

#include "broker/core/error.h"
#include "broker/core/log.h"
#include "broker/engine/registry.h"
#include "config/settings.h"
#include "server/commands.h"
#include "server/server.h"

namespace broker::server {

namespace {

// Flags of `serve` and the settings they set.
constexpr std::pair<std::string_view, std::string_view> kFlags[] = {
    {"--host", "host"},        {"--port", "port"},
    {"--data-dir", "dataDir"}, {"--secret-key-file", "secretKeyFile"},
    {"--threads", "threads"},  {"--log-level", "logLevel"},
    {"--ui-dir", "uiDir"},     {"--ready-file", "readyFile"},
};

void usage(std::ostream& err) {
  err << "usage: odata-broker serve [--config FILE] [--host H] [--port P] [--data-dir DIR]\n"
         "         [--secret-key-file FILE] [--threads N] [--log-level L] [--ui-dir DIR]\n"
         "         [--ready-file FILE] [--set NAME=VALUE ...]\n"
         "settings (in the --config file as name = value, or a .json object, or as --set):\n";
  for (const auto& [name, description] : config::settingNames()) {
    err << "  " << name << ": " << description << "\n";
  }
}

// Written under a temporary name and renamed, so a reader never sees half a URL.
void writeReadyFile(const std::filesystem::path& file, const std::string& url) {
  const std::filesystem::path temporary = file.string() + ".tmp";
  {
    std::ofstream out(temporary, std::ios::trunc);
    out << url << "\n";
    if (!out.flush()) {
      throw core::Error(core::ErrorCode::kInvalidArgument,
                        "ready file '" + file.string() + "' cannot be written");
    }
  }
  std::filesystem::rename(temporary, file);
}

// The broker's service account and its client-certificate stores: LocalMachine under the
// data dir, CurrentUser under the service user's home.

// Every client connection, outbound connection and store file is a descriptor; the usual soft
// limit of 1024 is below maxConnections, so the soft limit goes up to the hard one.
void raiseOpenFileLimit(const config::BrokerSettings& settings) {
  rlimit limit{};
  if (::getrlimit(RLIMIT_NOFILE, &limit) != 0) return;
  if (limit.rlim_cur < limit.rlim_max) {
    limit.rlim_cur = limit.rlim_max;
    ::setrlimit(RLIMIT_NOFILE, &limit);
  }
  const rlim_t wanted = settings.maxConnections + 256;
  if (limit.rlim_cur != RLIM_INFINITY && limit.rlim_cur < wanted) {
    core::log(core::LogLevel::kWarning,
              "the open-file limit (" + std::to_string(limit.rlim_cur) +
                  ") is below maxConnections plus room for upstream connections (" +
                  std::to_string(wanted) + "); raise LimitNOFILE or lower maxConnections");
  }
}

}  // namespace

int runServe(Arguments args, std::ostream& out, std::ostream& err) {
  std::optional<std::filesystem::path> configFile;
  std::vector<std::pair<std::string, std::string>> overrides;
  for (std::size_t i = 0; i < args.size(); ++i) {
    if (args[i] == "--help" || args[i] == "-h") {
      usage(out);
      return 0;
    }
    if (i + 1 >= args.size()) {
      err << "serve: " << args[i] << " needs a value\n";
      usage(err);
      return 2;
    }
    if (args[i] == "--config") {
      configFile = std::filesystem::path(args[++i]);
      continue;
    }
    if (args[i] == "--set") {
      const std::string setting(args[++i]);
      const std::size_t equals = setting.find('=');
      if (equals == std::string::npos || equals == 0) {
        err << "serve: --set takes NAME=VALUE, not '" << setting << "'\n";
        return 2;
      }
      overrides.emplace_back(setting.substr(0, equals), setting.substr(equals + 1));
      continue;
    }
    const auto* flag = std::find_if(std::begin(kFlags), std::end(kFlags),
                                    [&](const auto& f) { return f.first == args[i]; });
    if (flag == std::end(kFlags)) {
      err << "serve: unknown argument '" << args[i] << "'\n";
      usage(err);
      return 2;
    }
    overrides.emplace_back(flag->second, args[++i]);
  }

  // SIGTERM and SIGINT are taken by sigwait below; blocked before any thread starts, so every
  // thread inherits the mask and none is interrupted.
  sigset_t signals;
  sigemptyset(&signals);
  sigaddset(&signals, SIGTERM);
  sigaddset(&signals, SIGINT);
  pthread_sigmask(SIG_BLOCK, &signals, nullptr);

  try {
    const config::BrokerSettings settings = config::loadSettings(configFile, overrides);
    core::LogLevel level = core::LogLevel::kInfo;
    core::parseLogLevel(settings.logLevel, level);
    core::setLogLevel(level);

    std::error_code error;
    std::filesystem::create_directories(settings.dataDir, error);
    if (error || !std::filesystem::is_directory(settings.dataDir)) {
      throw core::Error(core::ErrorCode::kInvalidArgument,
                        "data dir '" + settings.dataDir.string() + "' cannot be created");
    }
    ::chmod(settings.dataDir.c_str(), 0700);
    raiseOpenFileLimit(settings);
    const std::unique_ptr<engine::Registry> registry = engine::openRegistry(settings);
    core::log(core::LogLevel::kInfo, "store " + registry->store().describe() + ": " +
                                         std::to_string(registry->list().size()) +
                                         " instances restored");

    Server server(settings, *registry);
    server.start();
    core::log(core::LogLevel::kInfo, "listening on " + server.url() + " (API " + server.url() +
                                         "/api/v1, UI " + server.url() + "/ui/)");
    if (settings.readyFile) writeReadyFile(*settings.readyFile, server.url());

    int received = 0;
    sigwait(&signals, &received);
    core::log(core::LogLevel::kInfo, std::string("received ") +
                                         (received == SIGTERM ? "SIGTERM" : "SIGINT") +
                                         "; finishing the calls in flight");
    server.stop();
    core::log(core::LogLevel::kInfo, "stopped");
    return 0;
  } catch (const core::Error& e) {
    err << "serve: " << e.message() << "\n";
    return 1;
  }
}

}  // namespace broker::server
