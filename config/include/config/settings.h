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

namespace config {

struct BrokerSettings {
  std::string host = "127.0.0.1";
  int port = 8080;  ///< 0: a free port
  std::filesystem::path dataDir = "odata-broker-data";
  std::optional<std::filesystem::path> secretKeyFile;  ///< default: <dataDir>/secret.key
  std::vector<std::string> adminKeys;                  ///< API keys with the admin role
  std::vector<std::string> callerKeys;                 ///< API keys with the caller role
  int threads = 16;                                    ///< request threads
  int queueSize = 100;                                 ///< connections waiting for a thread
  std::size_t maxBodyBytes = 16u << 20;                ///< request body limit (file contents aside)
  std::uint64_t maxStreamBytes = std::uint64_t{4} << 30;  ///< file content a call may upload
  std::chrono::seconds requestTimeout{120};               ///< socket read/write timeout
  std::string logLevel = "info";
  std::string serviceAccountUsername;  ///< the broker's own credentials (auth mode serviceAccount)
  std::string serviceAccountPassword;
  std::optional<std::filesystem::path> uiDir;      ///< the config UI's files
  std::optional<std::filesystem::path> readyFile;  ///< written with the URL once listening

  std::filesystem::path storeFile() const { return dataDir / "broker.db"; }
  std::filesystem::path keyFile() const { return secretKeyFile.value_or(dataDir / "secret.key"); }
};

/// The names a settings file may use, with a description each (for --help and errors).
std::span<const std::pair<std::string_view, std::string_view>> settingNames();

/// Builds the settings: defaults, then `file` (Java-style properties "name = value", or a
/// JSON object when the name ends in .json), then ODATA_BROKER_ADMIN_KEY /
/// ODATA_BROKER_CALLER_KEY from the environment, then `overrides` (setting name → value, from
/// the command line). Throws core::Error(kInvalidArgument) naming the setting and where it
/// came from for an unknown name or a bad value.
BrokerSettings loadSettings(const std::optional<std::filesystem::path>& file,
                            std::span<const std::pair<std::string, std::string>> overrides);

}  // namespace config
