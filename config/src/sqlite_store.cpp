// The SQLite store (Poco Data): one file, WAL journal, synchronous=FULL, schema version kept in
// PRAGMA user_version and migrated forward in a transaction per step.
#include <Poco/Data/SQLite/Connector.h>
#include <Poco/Data/Session.h>
#include <Poco/Data/Statement.h>
#include <Poco/Exception.h>

#include <array>
#include <mutex>

#include "broker/core/error.h"
#include "config/store.h"

namespace config {

namespace {

using broker::core::Error;
using broker::core::ErrorCode;
using namespace Poco::Data::Keywords;

// Migration N takes the schema from version N to N + 1.
constexpr std::array<std::string_view, kStoreSchemaVersion> kMigrations = {
    "CREATE TABLE instances ("
    " name TEXT PRIMARY KEY NOT NULL,"
    " definition TEXT NOT NULL,"
    " metadata TEXT NOT NULL,"
    " revision INTEGER NOT NULL,"
    " updated_at TEXT NOT NULL)",
};

constexpr std::size_t kOpenTimeoutSeconds = 5;

class SqliteStore final : public Store {
 public:
  explicit SqliteStore(const std::filesystem::path& file)
      : file_(file), session_(openSession(file)) {
    migrate();
  }

  std::vector<StoredInstance> loadAll() override {
    const std::lock_guard lock(mutex_);
    return guarded("read", [&] {
      std::vector<StoredInstance> all;
      StoredInstance row;
      Poco::Data::Statement select(session_);
      select << "SELECT name, definition, metadata, revision, updated_at FROM instances "
                "ORDER BY name",
          into(row.name), into(row.definition), into(row.metadata), into(row.revision),
          into(row.updatedAt), range(0, 1);
      while (!select.done()) {
        if (select.execute() > 0) all.push_back(row);
      }
      return all;
    });
  }

  StoredInstance put(const StoredInstance& instance) override {
    const std::lock_guard lock(mutex_);
    return guarded("write", [&] {
      StoredInstance written = instance;
      session_ << "INSERT INTO instances (name, definition, metadata, revision, updated_at) "
                  "VALUES (?, ?, ?, 1, strftime('%Y-%m-%dT%H:%M:%fZ', 'now')) "
                  "ON CONFLICT(name) DO UPDATE SET definition = excluded.definition, "
                  "metadata = excluded.metadata, revision = instances.revision + 1, "
                  "updated_at = excluded.updated_at RETURNING revision, updated_at",
          use(written.name), use(written.definition), use(written.metadata), into(written.revision),
          into(written.updatedAt), now;
      return written;
    });
  }

  bool remove(std::string_view name) override {
    const std::lock_guard lock(mutex_);
    return guarded("write", [&] {
      std::string key(name);
      Poco::Data::Statement statement(session_);
      statement << "DELETE FROM instances WHERE name = ?", use(key);
      return statement.execute() > 0;
    });
  }

  std::string describe() const override { return "sqlite:" + file_.string(); }

 private:
  static Poco::Data::Session openSession(const std::filesystem::path& file) {
    static std::once_flag registered;
    std::call_once(registered, [] { Poco::Data::SQLite::Connector::registerConnector(); });
    const std::filesystem::path folder = file.parent_path().empty() ? "." : file.parent_path();
    if (!std::filesystem::is_directory(folder)) {
      throw Error(
          ErrorCode::kInvalidArgument,
          "store '" + file.string() + "' cannot be opened: no folder '" + folder.string() + "'");
    }
    try {
      Poco::Data::Session session("SQLite", file.string(), kOpenTimeoutSeconds);
      std::string mode;
      session << "PRAGMA journal_mode=WAL", into(mode), now;
      session << "PRAGMA synchronous=FULL", now;
      session << "PRAGMA busy_timeout=5000", now;
      return session;
    } catch (const Poco::Exception& e) {
      throw Error(ErrorCode::kInvalidArgument,
                  "store '" + file.string() + "' cannot be opened: " + e.displayText());
    }
  }

  void migrate() {
    guarded("migrate", [&] {
      int version = 0;
      session_ << "PRAGMA user_version", into(version), now;
      if (version > kStoreSchemaVersion) {
        throw Error(ErrorCode::kInvalidArgument,
                    "store '" + file_.string() + "' has schema version " + std::to_string(version) +
                        ", newer than this broker's " + std::to_string(kStoreSchemaVersion));
      }
      for (; version < kStoreSchemaVersion; ++version) {
        session_.begin();
        session_ << std::string(kMigrations[static_cast<std::size_t>(version)]), now;
        session_ << "PRAGMA user_version = " + std::to_string(version + 1), now;
        session_.commit();
      }
      return 0;
    });
  }

  template <typename F>
  auto guarded(std::string_view what, F&& work) -> decltype(work()) {
    try {
      return work();
    } catch (const Error&) {
      throw;
    } catch (const Poco::Exception& e) {
      if (session_.isTransaction()) session_.rollback();
      throw Error(ErrorCode::kInternal, "store '" + file_.string() + "': " + std::string(what) +
                                            " failed: " + e.displayText());
    }
  }

  std::filesystem::path file_;
  std::mutex mutex_;
  Poco::Data::Session session_;
};

}  // namespace

std::unique_ptr<Store> openSqliteStore(const std::filesystem::path& file) {
  return std::make_unique<SqliteStore>(file);
}

}  // namespace config
