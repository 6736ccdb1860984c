// The registry's persistent store: each instance's definition (JSON, secrets already
// encrypted by the caller) and its last good $metadata. Every write is one transaction: a
// crash at any point leaves a committed registration whole and an uncommitted one absent.
// SQLite keeps it for one node; PostgreSQL for several nodes sharing one registry, each
// learning of the others' writes through a change feed.
#pragma once

#include <chrono>
#include <cstdint>
#include <filesystem>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace config {

struct BrokerSettings;

struct StoredInstance {
  std::string name{};
  std::string definition{};  ///< InstanceDefinition JSON with sealed secrets
  std::string metadata{};    ///< the last $metadata document that loaded
  /// Set by the store on every write; never reused within a store, even across names and
  /// removals, so a node that saw revision R of a name knows whether it has the row.
  std::int64_t revision = 0;
  std::string updatedAt{};  ///< ISO 8601 UTC (set by the store)
};

/// A name and the revision of its row, to learn what changed without reading the rows.
struct StoredRevision {
  std::string name;
  std::int64_t revision = 0;
};

/// What other nodes wrote, as it happens. One connection of its own; not thread-safe.
class ChangeFeed {
 public:
  virtual ~ChangeFeed() = default;
  /// Waits up to `timeout` for a write to the store (by any node, this one included); true
  /// when there was one. Throws core::Error(kUnavailable) when the connection is lost.
  virtual bool wait(std::chrono::milliseconds timeout) = 0;
};

/// Every operation is safe from several threads. Operations that cannot reach the store
/// throw core::Error(kUnavailable) naming it; the next operation connects again.
class Store {
 public:
  virtual ~Store() = default;
  /// Every instance, by name.
  virtual std::vector<StoredInstance> loadAll() = 0;
  /// One instance; nullopt when there is none.
  virtual std::optional<StoredInstance> load(std::string_view name) = 0;
  /// Every name with its revision, by name.
  virtual std::vector<StoredRevision> revisions() = 0;
  /// Adds a new instance; throws core::Error(kConflict) when the name is taken (by any node).
  virtual StoredInstance insert(const StoredInstance& instance) = 0;
  /// Replaces the instance of that name if its row is still at `instance.revision` (any
  /// revision when 0). Throws core::Error(kNotFound) when there is none, kConflict when another
  /// write (by another node) came after that revision.
  virtual StoredInstance replace(const StoredInstance& instance) = 0;
  /// Removes it; false if there was none.
  virtual bool remove(std::string_view name) = 0;
  /// The store's check value of the secret key: `proposed` is kept when the store has none
  /// yet; the one kept is returned.
  virtual std::string keyCheck(const std::string& proposed) = 0;
  /// A feed of writes by other nodes; null for a store only this node writes (SQLite).
  virtual std::unique_ptr<ChangeFeed> changes() { return nullptr; }
  /// "sqlite:/path/broker.db" or "postgresql://user@host:port/db" (never a password).
  virtual std::string describe() const = 0;
};

/// The schema version this broker writes; older stores are migrated on open.
inline constexpr int kStoreSchemaVersion = 2;

/// Opens (creating if needed) the SQLite store at `file` in WAL mode with full sync, and
/// migrates its schema. Throws core::Error(kInvalidArgument) naming the file when it cannot
/// be opened or was written by a newer broker.
std::unique_ptr<Store> openSqliteStore(const std::filesystem::path& file);

/// Opens the PostgreSQL store at `url` (postgresql://[user@]host[:port]/database[?param=value
/// …], the parameters those of libpq, e.g. sslmode), with `password` when not empty, and
/// creates or migrates its schema. Throws core::Error: kInvalidArgument for a bad URL or a
/// schema newer than this broker's, kUnavailable when the server cannot be reached.
std::unique_ptr<Store> openPostgresqlStore(const std::string& url, const std::string& password);

/// The store the settings name (setting `store`): SQLite under dataDir by default.
std::unique_ptr<Store> openStore(const BrokerSettings& settings);

}  // namespace config
