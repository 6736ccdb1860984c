// The registry's persistent store: each instance's definition (JSON, secrets already
// encrypted by the caller) and its last good $metadata. Every write is one transaction: a
// crash at any point leaves a committed registration whole and an uncommitted one absent.
#pragma once

#include <cstdint>
#include <filesystem>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

namespace config {

struct StoredInstance {
  std::string name{};
  std::string definition{};   ///< InstanceDefinition JSON with sealed secrets
  std::string metadata{};     ///< the last $metadata document that loaded
  std::int64_t revision = 0;  ///< increases with every write of this instance (set by the store)
  std::string updatedAt{};    ///< ISO 8601 UTC (set by the store)
};

class Store {
 public:
  virtual ~Store() = default;
  /// Every instance, by name.
  virtual std::vector<StoredInstance> loadAll() = 0;
  /// Inserts or replaces the instance of that name atomically; returns its new revision and
  /// update time.
  virtual StoredInstance put(const StoredInstance& instance) = 0;
  /// Removes it; false if there was none.
  virtual bool remove(std::string_view name) = 0;
  /// "sqlite:/path/broker.db", for the log.
  virtual std::string describe() const = 0;
};

/// The schema version this broker writes; older stores are migrated on open.
inline constexpr int kStoreSchemaVersion = 1;

/// Opens (creating if needed) the SQLite store at `file` in WAL mode with full sync, and
/// migrates its schema. Throws core::Error(kInvalidArgument) naming the file when it cannot
/// be opened or was written by a newer broker.
std::unique_ptr<Store> openSqliteStore(const std::filesystem::path& file);

}  // namespace config
