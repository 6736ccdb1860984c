#include "config/settings.h"

#include <Poco/AutoPtr.h>
#include <Poco/Exception.h>
#include <Poco/Util/JSONConfiguration.h>
#include <Poco/Util/PropertyFileConfiguration.h>

#include <algorithm>
#include <charconv>
#include <cstdlib>
#include <fstream>
#include <functional>

#include "broker/core/error.h"
#include "broker/core/log.h"
#include "broker/core/text.h"

namespace config {

namespace {

using broker::core::Error;
using broker::core::ErrorCode;

constexpr std::pair<std::string_view, std::string_view> kNames[] = {
    {"host", "address to listen on (default 127.0.0.1)"},
    {"port", "port to listen on, 0 for a free one (default 8080)"},
    {"dataDir", "folder of the store and the secret key (default ./odata-broker-data)"},
    {"secretKeyFile", "AES-256 key file for secrets at rest (default <dataDir>/secret.key)"},
    {"store",
     "where the registry is kept: sqlite:PATH (one node) or postgresql://user@host:port/db for "
     "several nodes sharing it (default sqlite:<dataDir>/broker.db)"},
    {"storePasswordFile",
     "file holding the PostgreSQL store's password (default: the environment's "
     "ODATA_BROKER_STORE_PASSWORD, else libpq's PGPASSWORD or ~/.pgpass)"},
    {"adminKeys", "comma-separated API keys that may register and change instances"},
    {"callerKeys", "comma-separated API keys that may execute methods and read"},
    {"threads", "request threads (default 16)"},
    {"queueSize",
     "requests waiting for a thread before new ones are answered 503 with Retry-After "
     "(default 100)"},
    {"maxBodyBytes", "largest request body accepted, file contents aside (default 16777216)"},
    {"maxStreamBytes", "largest file content a call may upload (default 4294967296)"},
    {"maxFilesPerCall",
     "most file contents one execute body may carry, each spooled to a temporary file "
     "(default 16)"},
    {"requestTimeoutSeconds",
     "longest wait for a client to take the bytes of a response (default 120)"},
    {"requestHeaderTimeoutSeconds",
     "time for a whole request head, however slowly it arrives; also for a new connection's "
     "first request (default 10)"},
    {"requestBodyTimeoutSeconds",
     "time for a whole request body, plus a second per minRequestBodyBytesPerSecond bytes "
     "(default 60)"},
    {"minRequestBodyBytesPerSecond",
     "slowest average rate a large body may arrive at (default 65536)"},
    {"keepAliveTimeoutSeconds", "idle time before a kept-alive connection is closed (default 10)"},
    {"maxConnections",
     "open client connections; more are answered 503 with Retry-After (default 2048)"},
    {"maxConnectionsPerClient",
     "open connections from one client address; more are answered 503 (default 512)"},
    {"maxHeaderBytes", "largest request line and header fields together (default 32768)"},
    {"maxHeaderFields", "most header fields in a request (default 100)"},
    {"maxDrainBytes",
     "request body left unread by an early answer that is still read and dropped to keep the "
     "connection; a larger rest closes it (default 65536)"},
    {"maxJsonDepth", "deepest nesting of arrays and objects in a request body (default 64)"},
    {"maxUpstreamResponseBytes",
     "largest body of one answer from a service (a page, $metadata), inflated; stopped while "
     "reading with a 502 (default 67108864)"},
    {"maxUpstreamCallBytes",
     "bytes of all the answers one call may read from its service (pages followed included; "
     "default 1073741824)"},
    {"maxUpstreamInflationRatio",
     "most a gzip or deflate answer from a service may inflate, as a multiple of its size "
     "(default 100)"},
    {"maxJsonValues", "most JSON values in a request body, file contents aside (default 100000)"},
    {"maxBatchCalls", "most method calls in one batch request (default 1000)"},
    {"logLevel", "debug, info, warning, error or off (default info)"},
    {"serviceAccountUsername",
     "the broker's own user name, for instances in auth mode serviceAccount"},
    {"serviceAccountPassword",
     "the broker's own password, for instances in auth mode serviceAccount"},
    {"httpProxy",
     "forward proxy for requests to http:// services, http://[user:password@]host:port "
     "(default: the environment's HTTP_PROXY; empty: none)"},
    {"httpsProxy",
     "forward proxy for requests to https:// services, tunnelled by CONNECT (default: the "
     "environment's HTTPS_PROXY; empty: none)"},
    {"noProxy",
     "hosts reached without the proxy, comma-separated: names, domains (.example.com), "
     "addresses, host:port, * for all (default: the environment's NO_PROXY)"},
    {"uiDir", "folder of the config UI's files (default: the one installed)"},
    {"readyFile", "file to write the broker's URL to once it listens"},
};

[[noreturn]] void bad(std::string_view name, std::string_view value, std::string_view origin,
                      std::string_view why) {
  throw Error(ErrorCode::kInvalidArgument, "setting '" + std::string(name) + "' from " +
                                               std::string(origin) + ": '" + std::string(value) +
                                               "' " + std::string(why));
}

long long integer(std::string_view name, std::string_view value, std::string_view origin,
                  long long min, long long max) {
  const std::string_view text = broker::core::trim(value);
  long long number = 0;
  const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), number);
  if (error != std::errc() || end != text.data() + text.size() || text.empty() || number < min ||
      number > max) {
    bad(name, value, origin,
        "is not an integer from " + std::to_string(min) + " to " + std::to_string(max));
  }
  return number;
}

std::vector<std::string> list(std::string_view value) {
  std::vector<std::string> items;
  for (std::string_view item : broker::core::split(value, ',')) {
    item = broker::core::trim(item);
    if (!item.empty()) items.emplace_back(item);
  }
  return items;
}

void apply(BrokerSettings& s, std::string_view name, const std::string& value,
           std::string_view origin) {
  if (name == "host") {
    if (broker::core::trim(value).empty()) bad(name, value, origin, "is empty");
    s.host = std::string(broker::core::trim(value));
  } else if (name == "port") {
    s.port = static_cast<int>(integer(name, value, origin, 0, 65535));
  } else if (name == "dataDir") {
    if (value.empty()) bad(name, value, origin, "is empty");
    s.dataDir = value;
  } else if (name == "secretKeyFile") {
    s.secretKeyFile = value;
  } else if (name == "store") {
    const std::string_view text = broker::core::trim(value);
    if (!text.starts_with("sqlite:") && !text.starts_with("postgresql://") &&
        !text.starts_with("postgres://")) {
      bad(name, value, origin, "is not sqlite:PATH or postgresql://user@host:port/database");
    }
    if (text == "sqlite:") bad(name, value, origin, "names no file");
    s.store = std::string(text);
  } else if (name == "storePasswordFile") {
    constexpr std::size_t kMaxPasswordBytes = 4096;
    std::error_code error;
    if (!std::filesystem::is_regular_file(value, error)) bad(name, value, origin, "is not a file");
    std::ifstream in(value, std::ios::binary);
    if (!in) bad(name, value, origin, "cannot be read");
    std::string password(kMaxPasswordBytes + 1, '\0');
    in.read(password.data(), static_cast<std::streamsize>(password.size()));
    password.resize(static_cast<std::size_t>(in.gcount()));
    if (password.size() > kMaxPasswordBytes) bad(name, value, origin, "holds more than 4096 bytes");
    while (!password.empty() && (password.back() == '\n' || password.back() == '\r')) {
      password.pop_back();
    }
    if (password.empty()) bad(name, value, origin, "is empty");
    s.storePassword = std::move(password);
  } else if (name == "adminKeys") {
    s.adminKeys = list(value);
  } else if (name == "callerKeys") {
    s.callerKeys = list(value);
  } else if (name == "threads") {
    s.threads = static_cast<int>(integer(name, value, origin, 1, 1024));
  } else if (name == "queueSize") {
    s.queueSize = static_cast<int>(integer(name, value, origin, 1, 100000));
  } else if (name == "maxBodyBytes") {
    s.maxBodyBytes = static_cast<std::size_t>(integer(name, value, origin, 1024, 1LL << 32));
  } else if (name == "serviceAccountUsername") {
    s.serviceAccountUsername = value;
  } else if (name == "serviceAccountPassword") {
    s.serviceAccountPassword = value;
  } else if (name == "maxFilesPerCall") {
    s.maxFilesPerCall = static_cast<std::size_t>(integer(name, value, origin, 1, 10000));
  } else if (name == "maxStreamBytes") {
    s.maxStreamBytes = static_cast<std::uint64_t>(integer(name, value, origin, 1024, 1LL << 40));
  } else if (name == "requestTimeoutSeconds") {
    s.requestTimeout = std::chrono::seconds(integer(name, value, origin, 1, 86400));
  } else if (name == "requestHeaderTimeoutSeconds") {
    s.requestHeaderTimeout = std::chrono::seconds(integer(name, value, origin, 1, 3600));
  } else if (name == "requestBodyTimeoutSeconds") {
    s.requestBodyTimeout = std::chrono::seconds(integer(name, value, origin, 1, 86400));
  } else if (name == "minRequestBodyBytesPerSecond") {
    s.minRequestBodyBytesPerSecond =
        static_cast<std::uint64_t>(integer(name, value, origin, 1, 1LL << 40));
  } else if (name == "keepAliveTimeoutSeconds") {
    s.keepAliveTimeout = std::chrono::seconds(integer(name, value, origin, 1, 3600));
  } else if (name == "maxConnections") {
    s.maxConnections = static_cast<std::size_t>(integer(name, value, origin, 1, 1000000));
  } else if (name == "maxConnectionsPerClient") {
    s.maxConnectionsPerClient = static_cast<std::size_t>(integer(name, value, origin, 1, 1000000));
  } else if (name == "maxHeaderBytes") {
    s.maxHeaderBytes = static_cast<std::size_t>(integer(name, value, origin, 1024, 1 << 20));
  } else if (name == "maxHeaderFields") {
    s.maxHeaderFields = static_cast<std::size_t>(integer(name, value, origin, 8, 10000));
  } else if (name == "maxDrainBytes") {
    s.maxDrainBytes = static_cast<std::size_t>(integer(name, value, origin, 0, 1LL << 30));
  } else if (name == "maxJsonDepth") {
    s.maxJsonDepth = static_cast<std::size_t>(integer(name, value, origin, 2, 1000));
  } else if (name == "maxUpstreamResponseBytes") {
    s.maxUpstreamResponseBytes =
        static_cast<std::uint64_t>(integer(name, value, origin, 1024, 1LL << 40));
  } else if (name == "maxUpstreamCallBytes") {
    s.maxUpstreamCallBytes =
        static_cast<std::uint64_t>(integer(name, value, origin, 1024, 1LL << 50));
  } else if (name == "maxUpstreamInflationRatio") {
    s.maxUpstreamInflationRatio =
        static_cast<std::uint64_t>(integer(name, value, origin, 2, 100000));
  } else if (name == "maxJsonValues") {
    s.maxJsonValues = static_cast<std::size_t>(integer(name, value, origin, 16, 100000000));
  } else if (name == "maxBatchCalls") {
    s.maxBatchCalls = static_cast<std::size_t>(integer(name, value, origin, 1, 100000));
  } else if (name == "logLevel") {
    broker::core::LogLevel level{};
    if (!broker::core::parseLogLevel(value, level)) {
      bad(name, value, origin, "is not one of debug, info, warning, error, off");
    }
    s.logLevel = value;
  } else if (name == "httpProxy" || name == "httpsProxy") {
    std::optional<ProxyUrl>& proxy = name == "httpProxy" ? s.proxy.http : s.proxy.https;
    proxy.reset();
    if (!broker::core::trim(value).empty()) {
      proxy =
          parseProxyUrl(value, "setting '" + std::string(name) + "' from " + std::string(origin));
    }
  } else if (name == "noProxy") {
    s.proxy.noProxy = value;
  } else if (name == "uiDir") {
    s.uiDir = value;
  } else if (name == "readyFile") {
    s.readyFile = value;
  } else {
    throw Error(ErrorCode::kInvalidArgument,
                "unknown setting '" + std::string(name) + "' in " + std::string(origin));
  }
}

void applyFile(BrokerSettings& settings, const std::filesystem::path& file) {
  const std::string origin = "'" + file.string() + "'";
  Poco::AutoPtr<Poco::Util::AbstractConfiguration> configuration;
  try {
    if (file.extension() == ".json") {
      configuration = new Poco::Util::JSONConfiguration(file.string());
    } else {
      configuration = new Poco::Util::PropertyFileConfiguration(file.string());
    }
  } catch (const Poco::Exception& e) {
    throw Error(ErrorCode::kInvalidArgument,
                "settings file " + origin + " cannot be read: " + e.displayText());
  }
  Poco::Util::AbstractConfiguration::Keys keys;
  configuration->keys(keys);
  for (const std::string& key : keys) {
    std::string value;
    try {
      value = configuration->getRawString(key);
    } catch (const Poco::Exception&) {
      throw Error(ErrorCode::kInvalidArgument,
                  "setting '" + key + "' in " + origin + " is not a single value");
    }
    apply(settings, key, value, origin);
  }
}

}  // namespace

std::span<const std::pair<std::string_view, std::string_view>> settingNames() { return kNames; }

std::optional<std::filesystem::path> BrokerSettings::storeFile() const {
  if (store.empty()) return dataDir / "broker.db";
  if (store.starts_with("sqlite:")) return std::filesystem::path(store.substr(7));
  return std::nullopt;
}

BrokerSettings loadSettings(const std::optional<std::filesystem::path>& file,
                            std::span<const std::pair<std::string, std::string>> overrides) {
  BrokerSettings settings;
  // The environment's proxies, as tools on this machine take them: lower case first (only it
  // for http, as curl does: HTTP_PROXY can be set by a request's Proxy header under CGI).
  for (const auto& [name, variables] :
       {std::pair<std::string_view, std::vector<const char*>>{"httpProxy", {"http_proxy"}},
        {"httpsProxy", {"https_proxy", "HTTPS_PROXY"}},
        {"noProxy", {"no_proxy", "NO_PROXY"}}}) {
    for (const char* variable : variables) {
      if (const char* value = std::getenv(variable); value && *value) {
        apply(settings, name, value, std::string("the environment (") + variable + ")");
        break;
      }
    }
  }
  if (const char* password = std::getenv("ODATA_BROKER_STORE_PASSWORD"); password && *password) {
    settings.storePassword = password;
  }
  if (file) applyFile(settings, *file);
  for (auto [variable, name] : {std::pair{"ODATA_BROKER_ADMIN_KEY", "adminKeys"},
                                std::pair{"ODATA_BROKER_CALLER_KEY", "callerKeys"}}) {
    if (const char* value = std::getenv(variable); value && *value) {
      apply(settings, name, value, std::string("the environment (") + variable + ")");
    }
  }
  for (const auto& [name, value] : overrides) apply(settings, name, value, "the command line");
  return settings;
}

}  // namespace config
