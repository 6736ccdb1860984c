#include "sql_store.h"

#include <Poco/Data/Statement.h>
#include <Poco/Exception.h>

#include "broker/core/error.h"
#include "broker/core/log.h"

namespace config::internal {

namespace {

using broker::core::Error;
using broker::core::ErrorCode;
using namespace Poco::Data::Keywords;

constexpr std::string_view kColumns = "name, definition, metadata, revision, updated_at";
constexpr std::string_view kKeyCheck = "secretKeyCheck";

}  // namespace

Migration sharedMigration(int version) {
  if (version == 0) {
    return {
        "CREATE TABLE instances ("
        " name TEXT PRIMARY KEY NOT NULL,"
        " definition TEXT NOT NULL,"
        " metadata TEXT NOT NULL,"
        " revision BIGINT NOT NULL,"
        " updated_at TEXT NOT NULL)",
    };
  }
  return {
      "CREATE TABLE store_counter (id INTEGER PRIMARY KEY NOT NULL, "
      "last_revision BIGINT NOT NULL)",
      "INSERT INTO store_counter (id, last_revision) "
      "SELECT 1, COALESCE(MAX(revision), 0) FROM instances",
      "CREATE TABLE store_properties (name TEXT PRIMARY KEY NOT NULL, value TEXT NOT NULL)",
  };
}

std::string SqlStore::sql(std::string_view text) const {
  if (placeholders_ == '?') return std::string(text);
  std::string numbered;
  int count = 0;
  for (const char c : text) {
    if (c == '?') {
      numbered += '$' + std::to_string(++count);
    } else {
      numbered += c;
    }
  }
  return numbered;
}

void SqlStore::fail(std::string_view what, const std::string& why, bool lost) const {
  throw Error(lost ? ErrorCode::kUnavailable : ErrorCode::kInternal,
              "store '" + describe() + "': " + std::string(what) + " failed: " + why);
}

template <typename F>
auto SqlStore::guarded(std::string_view what, F&& work) {
  const std::lock_guard lock(mutex_);
  for (int attempt = 0;; ++attempt) {
    bool lost = false;
    std::string why;
    try {
      if (!session_) session_.emplace(connect());
      return work(*session_);
    } catch (const Error&) {
      if (session_ && session_->isTransaction()) session_->rollback();
      throw;
    } catch (const Poco::Exception& e) {
      why = e.displayText();
      lost = connectionLost(*session_);
      try {
        if (!lost && session_->isTransaction()) session_->rollback();
      } catch (const Poco::Exception&) {
        lost = true;
      }
    }
    // A lost connection is dropped; a request that failed on one that had gone stale (the
    // server restarted since) is tried once more on a new one.
    if (lost) session_.reset();
    if (!lost || attempt > 0) fail(what, why, lost);
  }
}

void SqlStore::open() {
  guarded("migrate", [&](Poco::Data::Session& session) {
    migrate(session);
    return 0;
  });
}

void SqlStore::migrate(Poco::Data::Session& session) {
  const std::span<const Migration> steps = migrations();
  const int latest = static_cast<int>(steps.size());
  for (;;) {
    session.begin();
    lockForMigration(session);
    const int version = schemaVersion(session);
    if (version > latest) {
      throw Error(ErrorCode::kInvalidArgument,
                  "store '" + describe() + "' has schema version " + std::to_string(version) +
                      ", newer than this broker's " + std::to_string(latest));
    }
    if (version == latest) {
      session.commit();
      return;
    }
    for (const std::string_view statement : steps[static_cast<std::size_t>(version)]) {
      session << std::string(statement), now;
    }
    setSchemaVersion(session, version + 1);
    session.commit();
  }
}

std::vector<StoredInstance> SqlStore::loadAll() {
  return guarded("read", [&](Poco::Data::Session& session) {
    std::vector<StoredInstance> all;
    StoredInstance row;
    Poco::Data::Statement select(session);
    select << "SELECT " + std::string(kColumns) + " FROM instances ORDER BY name", into(row.name),
        into(row.definition), into(row.metadata), into(row.revision), into(row.updatedAt),
        range(0, 1);
    while (!select.done()) {
      if (select.execute() > 0) all.push_back(row);
    }
    return all;
  });
}

std::optional<StoredInstance> SqlStore::load(std::string_view name) {
  return guarded("read", [&](Poco::Data::Session& session) -> std::optional<StoredInstance> {
    StoredInstance row;
    std::string key(name);
    Poco::Data::Statement select(session);
    select << sql("SELECT " + std::string(kColumns) + " FROM instances WHERE name = ?"), use(key),
        into(row.name), into(row.definition), into(row.metadata), into(row.revision),
        into(row.updatedAt);
    if (select.execute() == 0) return std::nullopt;
    return row;
  });
}

std::vector<StoredRevision> SqlStore::revisions() {
  return guarded("read", [&](Poco::Data::Session& session) {
    std::vector<std::string> names;
    std::vector<std::int64_t> numbers;
    session << "SELECT name, revision FROM instances ORDER BY name", into(names), into(numbers),
        now;
    std::vector<StoredRevision> all(names.size());
    for (std::size_t i = 0; i < names.size(); ++i) all[i] = {std::move(names[i]), numbers[i]};
    return all;
  });
}

std::int64_t SqlStore::nextRevision(Poco::Data::Session& session) {
  std::int64_t revision = 0;
  session << "UPDATE store_counter SET last_revision = last_revision + 1 WHERE id = 1 "
             "RETURNING last_revision",
      into(revision), now;
  return revision;
}

StoredInstance SqlStore::insert(const StoredInstance& instance) {
  return guarded("write", [&](Poco::Data::Session& session) {
    StoredInstance written = instance;
    written.updatedAt = broker::core::utcTimestamp();
    session.begin();
    written.revision = nextRevision(session);
    Poco::Data::Statement statement(session);
    statement << sql("INSERT INTO instances (" + std::string(kColumns) +
                     ") VALUES (?, ?, ?, ?, ?) ON CONFLICT (name) DO NOTHING"),
        use(written.name), use(written.definition), use(written.metadata), use(written.revision),
        use(written.updatedAt);
    if (statement.execute() == 0) {
      session.rollback();
      throw Error(ErrorCode::kConflict,
                  "an instance named '" + instance.name + "' is already registered");
    }
    session.commit();
    return written;
  });
}

StoredInstance SqlStore::replace(const StoredInstance& instance) {
  return guarded("write", [&](Poco::Data::Session& session) {
    StoredInstance written = instance;
    written.updatedAt = broker::core::utcTimestamp();
    std::int64_t base = instance.revision;
    session.begin();
    written.revision = nextRevision(session);
    Poco::Data::Statement statement(session);
    statement << sql(
        "UPDATE instances SET definition = ?, metadata = ?, revision = ?, "
        "updated_at = ? WHERE name = ? AND (? = 0 OR revision = ?)"),
        use(written.definition), use(written.metadata), use(written.revision),
        use(written.updatedAt), use(written.name), use(base), use(base);
    if (statement.execute() == 0) {
      session.rollback();
      std::vector<std::int64_t> current;
      session << sql("SELECT revision FROM instances WHERE name = ?"), use(written.name),
          into(current), now;
      if (current.empty()) {
        throw Error(ErrorCode::kNotFound, "no instance named '" + instance.name + "'");
      }
      throw Error(ErrorCode::kConflict,
                  "instance '" + instance.name + "' was changed meanwhile (revision " +
                      std::to_string(current.front()) + ", not " + std::to_string(base) +
                      "), on another node: read it again and retry");
    }
    session.commit();
    return written;
  });
}

bool SqlStore::remove(std::string_view name) {
  return guarded("write", [&](Poco::Data::Session& session) {
    std::string key(name);
    Poco::Data::Statement statement(session);
    statement << sql("DELETE FROM instances WHERE name = ?"), use(key);
    return statement.execute() > 0;
  });
}

std::string SqlStore::keyCheck(const std::string& proposed) {
  return guarded("key check", [&](Poco::Data::Session& session) {
    std::string name(kKeyCheck);
    std::string value = proposed;
    session << sql(
        "INSERT INTO store_properties (name, value) VALUES (?, ?) "
        "ON CONFLICT (name) DO NOTHING"),
        use(name), use(value), now;
    std::string kept;
    session << sql("SELECT value FROM store_properties WHERE name = ?"), use(name), into(kept), now;
    return kept;
  });
}

}  // namespace config::internal
