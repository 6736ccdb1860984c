// The broker's own settings: from defaults, then a settings file (--config), then the
// environment (API keys), then command-line flags, each overriding the one before.
#pragma once

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <optional>
#include <span>
#include <string>
#include <utility>
#include <vector>

#include "config/proxy.h"

namespace config {

struct BrokerSettings {
  std::string host = "127.0.0.1";
  int port = 8080;  ///< 0: a free port
  std::filesystem::path dataDir = "odata-broker-data";
  std::optional<std::filesystem::path> secretKeyFile;  ///< default: <dataDir>/secret.key
  /// "sqlite:PATH" or "postgresql://user@host:port/db"; empty: sqlite:<dataDir>/broker.db
  std::string store;
  /// The PostgreSQL store's password: from storePasswordFile, else ODATA_BROKER_STORE_PASSWORD
  /// (else libpq's own PGPASSWORD or ~/.pgpass). Never logged.
  std::string storePassword;
  std::vector<std::string> adminKeys;    ///< API keys with the admin role
  std::vector<std::string> callerKeys;   ///< API keys with the caller role
  int threads = 16;                      ///< request threads
  int queueSize = 100;                   ///< requests waiting for a thread
  std::size_t maxBodyBytes = 16u << 20;  ///< request body limit (file contents aside)
  std::uint64_t maxStreamBytes = std::uint64_t{4} << 30;  ///< file content a call may upload
  std::size_t maxFilesPerCall = 16;  ///< file contents in one execute body (temporary files)
  std::size_t maxBatchCalls = 1000;  ///< method calls in one batch request
  std::chrono::seconds requestTimeout{120};  ///< longest wait for a client to take response bytes
  std::chrono::seconds requestHeaderTimeout{10};  ///< for a whole request head
  std::chrono::seconds requestBodyTimeout{60};    ///< for a whole body, plus the rate allowance
  std::uint64_t minRequestBodyBytesPerSecond = 65536;  ///< each such many bytes add a second
  std::chrono::seconds keepAliveTimeout{10};           ///< idle connection between requests
  std::size_t maxConnections = 2048;                   ///< open client connections
  std::size_t maxConnectionsPerClient = 512;           ///< open connections of one address
  std::size_t maxHeaderBytes = 32768;                  ///< request line and header fields
  std::size_t maxHeaderFields = 100;
  std::size_t maxDrainBytes = 65536;   ///< unread body dropped to keep a connection after an answer
  std::size_t maxJsonDepth = 64;       ///< nesting of arrays and objects in a request body
  std::size_t maxJsonValues = 100000;  ///< values in a request body (each a document node)
  std::uint64_t maxUpstreamResponseBytes = std::uint64_t{64} << 20;  ///< one upstream answer
  std::uint64_t maxUpstreamInflationRatio = 100;  ///< inflated ÷ received for gzip answers
  std::uint64_t maxUpstreamCallBytes = std::uint64_t{1} << 30;  ///< all answers of one call
  std::string logLevel = "info";
  std::string serviceAccountUsername;  ///< the broker's own credentials (auth mode serviceAccount)
  std::string serviceAccountPassword;
  ProxySettings proxy;  ///< httpProxy, httpsProxy, noProxy (and the environment's)
  std::optional<std::filesystem::path> uiDir;      ///< the config UI's files
  std::optional<std::filesystem::path> readyFile;  ///< written with the URL once listening

  /// The SQLite file when the store is SQLite, else nullopt.
  std::optional<std::filesystem::path> storeFile() const;
  std::filesystem::path keyFile() const { return secretKeyFile.value_or(dataDir / "secret.key"); }
};

/// The names a settings file may use, with a description each (for --help and errors).
std::span<const std::pair<std::string_view, std::string_view>> settingNames();

/// Builds the settings: defaults, then the environment's proxies (HTTP_PROXY, HTTPS_PROXY,
/// NO_PROXY, also in lower case), then `file` (Java-style properties "name = value", or a
/// JSON object when the name ends in .json), then ODATA_BROKER_ADMIN_KEY /
/// ODATA_BROKER_CALLER_KEY from the environment, then `overrides` (setting name → value, from
/// the command line). Throws core::Error(kInvalidArgument) naming the setting and where it
/// came from for an unknown name or a bad value.
BrokerSettings loadSettings(const std::optional<std::filesystem::path>& file,
                            std::span<const std::pair<std::string, std::string>> overrides);

}  // namespace config
