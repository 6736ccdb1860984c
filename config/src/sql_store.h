// What the SQLite and PostgreSQL stores share: the statements on the instances table, the
// revision counter, the key check, the schema migration loop, and turning POCO's exceptions
// into core::Error. A store supplies its session, its migrations and where it keeps the
// schema version; one session, used under a mutex, reopened after a lost connection.
#pragma once

#include <Poco/Data/Session.h>

#include <mutex>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "config/store.h"

namespace config::internal {

/// The statements that take the schema from version N to N + 1, run in one transaction.
using Migration = std::vector<std::string_view>;

/// What migration `version` does in every store: 0 makes the instances table, 1 the revision
/// counter (counting on from the rows) and the store's properties. A store may add statements.
Migration sharedMigration(int version);

class SqlStore : public Store {
 public:
  std::vector<StoredInstance> loadAll() override;
  std::optional<StoredInstance> load(std::string_view name) override;
  std::vector<StoredRevision> revisions() override;
  StoredInstance insert(const StoredInstance& instance) override;
  StoredInstance replace(const StoredInstance& instance) override;
  bool remove(std::string_view name) override;
  std::string keyCheck(const std::string& proposed) override;

 protected:
  /// `placeholders`: "?" (SQLite) or "$" ($1, $2, …: PostgreSQL).
  explicit SqlStore(char placeholders) : placeholders_(placeholders) {}

  /// Opens the session (or reopens it); throws core::Error.
  virtual Poco::Data::Session connect() = 0;
  virtual std::span<const Migration> migrations() const = 0;
  /// The schema version the store holds (0 for an empty one), read inside the migration's
  /// transaction after `lockForMigration`.
  virtual int schemaVersion(Poco::Data::Session& session) = 0;
  virtual void setSchemaVersion(Poco::Data::Session& session, int version) = 0;
  /// Keeps other nodes from migrating at the same time (PostgreSQL: an advisory lock).
  virtual void lockForMigration(Poco::Data::Session&) {}
  /// Whether the last failure lost the connection (the session is then reopened).
  virtual bool connectionLost(Poco::Data::Session&) { return false; }

  /// Connects and migrates; for the constructor of a derived store.
  void open();

 private:
  /// Runs `work` on the session under the mutex; a Poco exception becomes core::Error naming
  /// `what`: kUnavailable when the connection was lost (tried once more on a new one first),
  /// else kInternal.
  template <typename F>
  auto guarded(std::string_view what, F&& work);
  std::string sql(std::string_view text) const;
  // The next revision, inside the caller's transaction.
  std::int64_t nextRevision(Poco::Data::Session& session);
  void migrate(Poco::Data::Session& session);
  [[noreturn]] void fail(std::string_view what, const std::string& why, bool lost) const;

  char placeholders_;
  std::mutex mutex_;
  std::optional<Poco::Data::Session> session_;
};

}  // namespace config::internal
