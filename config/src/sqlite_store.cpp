// The SQLite store (Poco Data): one file, WAL journal, synchronous=FULL, schema version kept in
// PRAGMA user_version.
#include <Poco/Data/SQLite/Connector.h>
#include <Poco/Data/Session.h>
#include <Poco/Exception.h>

#include <array>
#include <mutex>

#include "broker/core/error.h"
#include "sql_store.h"

namespace config {

namespace {

using broker::core::Error;
using broker::core::ErrorCode;
using namespace Poco::Data::Keywords;

// SQLite takes BIGINT as INTEGER, as version 1 of this file created it.
const std::array<internal::Migration, kStoreSchemaVersion> kMigrations = {
    internal::sharedMigration(0), internal::sharedMigration(1)};

constexpr std::size_t kOpenTimeoutSeconds = 5;

class SqliteStore final : public internal::SqlStore {
 public:
  explicit SqliteStore(const std::filesystem::path& file) : SqlStore('?'), file_(file) { open(); }

  std::string describe() const override { return "sqlite:" + file_.string(); }

 private:
  Poco::Data::Session connect() override {
    static std::once_flag registered;
    std::call_once(registered, [] { Poco::Data::SQLite::Connector::registerConnector(); });
    const std::filesystem::path folder = file_.parent_path().empty() ? "." : file_.parent_path();
    if (!std::filesystem::is_directory(folder)) {
      throw Error(
          ErrorCode::kInvalidArgument,
          "store '" + file_.string() + "' cannot be opened: no folder '" + folder.string() + "'");
    }
    try {
      Poco::Data::Session session("SQLite", file_.string(), kOpenTimeoutSeconds);
      std::string mode;
      session << "PRAGMA journal_mode=WAL", into(mode), now;
      session << "PRAGMA synchronous=FULL", now;
      session << "PRAGMA busy_timeout=5000", now;
      return session;
    } catch (const Poco::Exception& e) {
      throw Error(ErrorCode::kInvalidArgument,
                  "store '" + file_.string() + "' cannot be opened: " + e.displayText());
    }
  }

  std::span<const internal::Migration> migrations() const override { return kMigrations; }

  int schemaVersion(Poco::Data::Session& session) override {
    int version = 0;
    session << "PRAGMA user_version", into(version), now;
    return version;
  }

  void setSchemaVersion(Poco::Data::Session& session, int version) override {
    session << "PRAGMA user_version = " + std::to_string(version), now;
  }

  std::filesystem::path file_;
};

}  // namespace

std::unique_ptr<Store> openSqliteStore(const std::filesystem::path& file) {
  return std::make_unique<SqliteStore>(file);
}

}  // namespace config
