// The PostgreSQL store (Poco Data PostgreSQL), shared by several broker nodes: the schema
// version in store_schema, migrations under an advisory lock so nodes starting together
// migrate once, and a trigger that notifies channel odata_broker_instances of every write,
// which each node's change feed LISTENs to.
#include <Poco/Data/PostgreSQL/Connector.h>
#include <Poco/Data/PostgreSQL/SessionImpl.h>
#include <Poco/Data/Session.h>
#include <Poco/Exception.h>
#include <Poco/URI.h>
#include <libpq-fe.h>
#include <poll.h>

#include <array>
#include <cerrno>
#include <mutex>

#include "broker/core/error.h"
#include "broker/core/log.h"
#include "broker/core/text.h"
#include "sql_store.h"

namespace config {

namespace {

using broker::core::Error;
using broker::core::ErrorCode;
using namespace Poco::Data::Keywords;

constexpr std::string_view kChannel = "odata_broker_instances";  // the trigger names it too

// Version 1 adds the trigger that notifies every write.
internal::Migration withNotifications(internal::Migration steps) {
  steps.push_back(
      "CREATE FUNCTION odata_broker_instance_written() RETURNS trigger LANGUAGE plpgsql AS "
      "'BEGIN PERFORM pg_notify(''odata_broker_instances'', COALESCE(NEW.name, OLD.name)); "
      "RETURN NULL; END'");
  steps.push_back(
      "CREATE TRIGGER instance_written AFTER INSERT OR UPDATE OR DELETE ON instances "
      "FOR EACH ROW EXECUTE FUNCTION odata_broker_instance_written()");
  return steps;
}

const std::array<internal::Migration, kStoreSchemaVersion> kMigrations = {
    internal::sharedMigration(0), withNotifications(internal::sharedMigration(1))};

// Seconds: to connect, and before TCP keepalives notice a server that went away silently.
constexpr int kConnectTimeout = 5;
constexpr int kKeepaliveIdle = 10;

// A libpq connection parameter, quoted. POCO's connector splits the connection string at
// spaces before libpq reads it, so a value cannot hold one.
std::string parameter(std::string_view name, std::string_view value) {
  if (value.find_first_of(" \t\r\n") != std::string_view::npos) {
    throw Error(ErrorCode::kInvalidArgument,
                "setting 'store': the " + std::string(name) +
                    " contains white space, which the PostgreSQL connector cannot pass on" +
                    (name == "password" ? " (libpq's PGPASSWORD or ~/.pgpass can)" : ""));
  }
  std::string text = std::string(name) + "='";
  for (const char c : value) {
    if (c == '\'' || c == '\\') text += '\\';
    text += c;
  }
  return text + "'";
}

struct Location {
  std::string conninfo;  ///< for libpq, with the password
  std::string shown;     ///< the URL without its password
};

Location parseLocation(const std::string& url, const std::string& password) {
  const auto bad = [&](const std::string& why) -> Error {
    return Error(
        ErrorCode::kInvalidArgument,
        "setting 'store': not a PostgreSQL URL (postgresql://user@host:port/database): " + why);
  };
  Poco::URI uri;
  try {
    uri = Poco::URI(url);
  } catch (const Poco::Exception& e) {
    throw bad(e.message());
  }
  if (uri.getScheme() != "postgresql" && uri.getScheme() != "postgres") throw bad("scheme");
  if (uri.getHost().empty()) throw bad("no host");
  std::string database = uri.getPath();
  if (database.starts_with('/')) database.erase(0, 1);
  if (database.empty() || database.find('/') != std::string::npos) throw bad("no database name");
  std::string user = uri.getUserInfo();
  std::string inlinePassword;
  if (const auto colon = user.find(':'); colon != std::string::npos) {
    inlinePassword = user.substr(colon + 1);
    user.resize(colon);
  }
  Location location;
  location.conninfo = parameter("host", uri.getHost()) + " " + parameter("dbname", database);
  location.shown = uri.getScheme() + "://" + (user.empty() ? "" : user + "@") + uri.getHost();
  if (uri.getPort() != 0) {
    location.conninfo += " port=" + std::to_string(uri.getPort());
    location.shown += ":" + std::to_string(uri.getPort());
  }
  location.shown += "/" + database;
  if (!user.empty()) location.conninfo += " " + parameter("user", user);
  const std::string& secret = password.empty() ? inlinePassword : password;
  if (!secret.empty()) location.conninfo += " " + parameter("password", secret);
  bool timeoutGiven = false;
  for (const auto& [name, value] : uri.getQueryParameters()) {
    if (name.empty() ||
        name.find_first_not_of("abcdefghijklmnopqrstuvwxyz_") != std::string::npos) {
      throw bad("parameter '" + name + "'");
    }
    if (name == "password") throw bad("give the password in a file or the environment");
    timeoutGiven = timeoutGiven || name == "connect_timeout";
    location.conninfo += " " + parameter(name, value);
  }
  if (!timeoutGiven) location.conninfo += " connect_timeout=" + std::to_string(kConnectTimeout);
  location.conninfo += " keepalives=1 keepalives_idle=" + std::to_string(kKeepaliveIdle) +
                       " keepalives_interval=5 keepalives_count=3"
                       " application_name='odata-broker'";
  return location;
}

PGconn* handleOf(Poco::Data::Session& session) {
  auto* impl = dynamic_cast<Poco::Data::PostgreSQL::SessionImpl*>(session.impl());
  return impl == nullptr ? nullptr : static_cast<PGconn*>(impl->handle());
}

Poco::Data::Session connectTo(const Location& location) {
  static std::once_flag registered;
  std::call_once(registered, [] { Poco::Data::PostgreSQL::Connector::registerConnector(); });
  try {
    Poco::Data::Session session("PostgreSQL", location.conninfo);
    // The server's warnings (and its goodbye on shutdown) go to the broker's log, not stderr.
    PQsetNoticeProcessor(
        handleOf(session),
        [](void*, const char* message) {
          broker::core::log(broker::core::LogLevel::kWarning,
                            "store: " + std::string(broker::core::trim(message)));
        },
        nullptr);
    session << "SET client_min_messages = warning", now;
    return session;
  } catch (const Poco::Exception& e) {
    throw Error(ErrorCode::kUnavailable, "store '" + location.shown + "' cannot be reached: " +
                                             std::string(broker::core::trim(e.message())));
  }
}

// LISTEN on a connection of its own.
class PostgresqlFeed final : public ChangeFeed {
 public:
  explicit PostgresqlFeed(const Location& location)
      : shown_(location.shown), session_(connectTo(location)) {
    try {
      session_ << "LISTEN " + std::string(kChannel), now;
    } catch (const Poco::Exception& e) {
      lost(e.message());
    }
  }

  bool wait(std::chrono::milliseconds timeout) override {
    PGconn* connection = handleOf(session_);
    if (connection == nullptr || PQstatus(connection) != CONNECTION_OK) lost("connection closed");
    if (drain(connection)) return true;
    pollfd ready{PQsocket(connection), POLLIN, 0};
    const int polled = ::poll(&ready, 1, static_cast<int>(timeout.count()));
    if (polled == 0 || (polled < 0 && errno == EINTR)) return false;
    if (polled < 0 || PQconsumeInput(connection) == 0) lost(PQerrorMessage(connection));
    return drain(connection);
  }

 private:
  static bool drain(PGconn* connection) {
    bool any = false;
    while (PGnotify* note = PQnotifies(connection)) {
      any = true;
      PQfreemem(note);
    }
    return any;
  }

  [[noreturn]] void lost(std::string_view why) const {
    throw Error(ErrorCode::kUnavailable, "store '" + shown_ + "': the change feed lost its " +
                                             "connection: " + std::string(broker::core::trim(why)));
  }

  std::string shown_;
  Poco::Data::Session session_;
};

class PostgresqlStore final : public internal::SqlStore {
 public:
  explicit PostgresqlStore(Location location) : SqlStore('$'), location_(std::move(location)) {
    open();
  }

  std::unique_ptr<ChangeFeed> changes() override {
    return std::make_unique<PostgresqlFeed>(location_);
  }

  std::string describe() const override { return location_.shown; }

 private:
  Poco::Data::Session connect() override { return connectTo(location_); }

  std::span<const internal::Migration> migrations() const override { return kMigrations; }

  void lockForMigration(Poco::Data::Session& session) override {
    int locked = 0;
    session << "SELECT 1 FROM (SELECT pg_advisory_xact_lock(7302004)) AS migration", into(locked),
        now;
  }

  int schemaVersion(Poco::Data::Session& session) override {
    session << "CREATE TABLE IF NOT EXISTS store_schema (id INTEGER PRIMARY KEY NOT NULL, "
               "version INTEGER NOT NULL)",
        now;
    session << "INSERT INTO store_schema (id, version) VALUES (1, 0) ON CONFLICT (id) DO NOTHING",
        now;
    int version = 0;
    session << "SELECT version FROM store_schema WHERE id = 1", into(version), now;
    return version;
  }

  void setSchemaVersion(Poco::Data::Session& session, int version) override {
    session << "UPDATE store_schema SET version = $1 WHERE id = 1", use(version), now;
  }

  bool connectionLost(Poco::Data::Session& session) override {
    PGconn* connection = handleOf(session);
    return connection == nullptr || PQstatus(connection) != CONNECTION_OK;
  }

  Location location_;
};

}  // namespace

std::unique_ptr<Store> openPostgresqlStore(const std::string& url, const std::string& password) {
  return std::make_unique<PostgresqlStore>(parseLocation(url, password));
}

}  // namespace config
