#include "api.h"

#include <Poco/Net/HTTPRequestHandler.h>
#include <Poco/Net/HTTPServerRequest.h>
#include <Poco/Net/HTTPServerResponse.h>
#include <Poco/SHA2Engine.h>

#include <algorithm>
#include <chrono>
#include <fstream>
#include <optional>
#include <span>
#include <sstream>

#include "batch.h"
#include "broker/core/json_writer.h"
#include "broker/core/log.h"
#include "broker/core/text.h"
#include "broker/edm/type_ref.h"
#include "broker/engine/filter.h"
#include "exchange.h"
#include "execute.h"
#include "http_message.h"
#include "openapi.h"
#include "serviceobjects/catalog_json.h"

namespace broker::server {

namespace {

using core::Error;
using core::ErrorCode;
using core::JsonWriter;
using Clock = std::chrono::steady_clock;
namespace so = serviceobjects;

// Compares without an early exit, so the time taken does not tell how much of a key matched.
bool sameKey(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  unsigned char difference = 0;
  for (std::size_t i = 0; i < a.size(); ++i) {
    difference |= static_cast<unsigned char>(a[i] ^ b[i]);
  }
  return difference == 0;
}

// A stable short name for an API key in logs: the first 64 bits of its SHA-256, never the key.
std::string keyFingerprint(const std::string& key) {
  if (key.empty()) return "none";
  Poco::SHA2Engine sha(Poco::SHA2Engine::SHA_256);
  sha.update(key);
  return "sha256:" + Poco::DigestEngine::digestToHex(sha.digest()).substr(0, 16);
}

double seconds(Clock::duration duration) { return std::chrono::duration<double>(duration).count(); }

std::string milliseconds(Clock::duration duration) {
  char text[32];
  std::snprintf(text, sizeof text, "%.1f", seconds(duration) * 1000);
  return text;
}

// The path's segments, percent-decoded one by one (so an encoded '/' stays inside a name).
std::vector<std::string> segments(const std::string& uri) {
  std::string_view path(uri);
  path = path.substr(0, path.find_first_of("?#"));
  std::vector<std::string> parts;
  for (std::string_view part : core::split(path, '/')) {
    if (!part.empty()) parts.push_back(core::percentDecode(part));
  }
  return parts;
}

void writeObjectSummary(JsonWriter& json, const so::ServiceObject& object) {
  json.beginObject().key("name").value(object.name);
  json.key("folder").value(so::toString(object.folder));
  json.key("methods").beginArray();
  for (const so::Method& method : object.methods) json.value(method.name);
  json.endArray().endObject();
}

// The fields every view of a registration shows besides its definition.
void writeStatus(JsonWriter& json, const engine::Registration& registration) {
  json.key("status").value(registration.instance ? "ready" : "unusable");
  if (!registration.problem.empty()) json.key("problem").value(registration.problem);
  if (registration.instance) {
    const so::Catalog& catalog = *registration.instance->catalog;
    json.key("odataVersion").value(edm::toString(catalog.model().version));
    json.key("objectCount").value(static_cast<std::int64_t>(catalog.objects().size()));
    if (!catalog.warnings().empty()) json.key("warnings").values(catalog.warnings());
  }
  json.key("revision").value(registration.revision);
  json.key("updatedAt").value(registration.updatedAt);
}

std::string summaryJson(const engine::Registration& registration, bool withObjects) {
  std::string text;
  JsonWriter json(text);
  json.beginObject().key("name").value(registration.definition->name);
  if (!registration.definition->description.empty()) {
    json.key("description").value(registration.definition->description);
  }
  json.key("serviceUrl").value(registration.definition->keys.serviceUrl);
  writeStatus(json, registration);
  if (withObjects && registration.instance) {
    json.key("objects").beginArray();
    for (const so::ServiceObject& object : registration.instance->catalog->objects()) {
      writeObjectSummary(json, object);
    }
    json.endArray();
  }
  json.endObject();
  return text;
}

std::string serviceTypeJson() {
  std::string text;
  JsonWriter json(text);
  json.beginObject().key("name").value("odata").key("serviceKeys").beginArray();
  for (const config::ServiceKeyDefinition& key : config::serviceKeySchema()) {
    json.beginObject().key("name").value(key.name);
    json.key("type").value(config::toString(key.type));
    json.key("default");
    if (key.defaultValue.empty()) {
      json.null();
    } else {
      json.value(key.defaultValue);
    }
    json.key("description").value(key.description);
    json.key("required").value(key.required);
    if (!key.choices.empty()) {
      json.key("choices").beginArray();
      for (std::string_view choice : key.choices) json.value(choice);
      json.endArray();
    }
    json.endObject();
  }
  json.endArray().key("authModes").beginArray();
  for (auto mode :
       {config::AuthMode::kNone, config::AuthMode::kStatic, config::AuthMode::kServiceAccount,
        config::AuthMode::kOAuth, config::AuthMode::kImpersonate, config::AuthMode::kSso}) {
    json.value(config::toString(mode));
  }
  json.endArray().key("authFields").beginArray();
  for (const config::AuthFieldDefinition& field : config::authFieldSchema()) {
    json.beginObject().key("name").value(field.name).key("type").value(field.type);
    json.key("modes").beginArray();
    for (std::string_view mode : core::split(field.modes, ',')) json.value(mode);
    json.endArray().key("description").value(field.description).endObject();
  }
  json.endArray().endObject();
  return text;
}

std::string_view contentTypeOf(const std::filesystem::path& file) {
  const std::string extension = file.extension().string();
  if (extension == ".html") return "text/html; charset=utf-8";
  if (extension == ".js") return "text/javascript; charset=utf-8";
  if (extension == ".css") return "text/css; charset=utf-8";
  if (extension == ".json") return "application/json";
  if (extension == ".svg") return "image/svg+xml";
  if (extension == ".png") return "image/png";
  return "application/octet-stream";
}

class ApiHandler final : public Poco::Net::HTTPRequestHandler {
 public:
  explicit ApiHandler(ApiContext& context) : context_(context) {}

  void handleRequest(Poco::Net::HTTPServerRequest& request,
                     Poco::Net::HTTPServerResponse& response) override {
    Exchange exchange(request, response, context_.maxBodyBytes, context_.jsonLimits);
    try {
      route(exchange, segments(request.getURI()));
    } catch (const ProtocolError& e) {
      // The body's framing failed or it did not arrive in time; the edge closes the connection.
      if (audit_) audit_->error = "BadRequestBody";
      if (!exchange.sent()) exchange.reply(e.status(), protocolErrorJson(e));
    } catch (const Error& e) {
      fail(exchange, e);
    } catch (const Poco::Exception& e) {
      // The connection or the request itself is broken (a bad chunk, a reset).
      fail(exchange, Error(ErrorCode::kInvalidArgument, "bad request: " + e.displayText()));
    } catch (const std::exception& e) {
      core::log(core::LogLevel::kError, std::string("internal error: ") + e.what());
      fail(exchange, Error(ErrorCode::kInternal, "internal error; see the broker's log"));
    }
    context_.metrics.recordRequest(exchange.status());
    if (audit_) logAudit(exchange);
  }

 private:
  using Path = std::vector<std::string>;

  void fail(Exchange& exchange, const Error& error) {
    if (audit_) audit_->error = core::errorCodeName(error.code());
    if (exchange.sent()) return;  // a streamed reply ends itself
    exchange.replyError(error);
  }

  // ---- audit ----

  // An admin action, recorded whatever its outcome.
  struct Audit {
    std::string action;
    std::string instance;
    std::string error;  // the error code's name when it failed
  };

  void audit(std::string action, std::string instance) {
    audit_ = Audit{std::move(action), std::move(instance), {}};
  }

  // "audit action=register instance="demo" outcome=success status=201 client=127.0.0.1
  // key=sha256:…": the key as a fingerprint only, never itself.
  void logAudit(Exchange& exchange) {
    const int status = exchange.status();
    const bool success = status >= 200 && status < 300;
    std::string line =
        "audit action=" + audit_->action + " instance=" + core::jsonQuote(audit_->instance) +
        " outcome=" + (success ? "success" : "failure") + " status=" + std::to_string(status) +
        " client=" + exchange.request().clientAddress().host().toString() +
        " key=" + keyFingerprint(bearerKey(exchange));
    if (!success && !audit_->error.empty()) line += " error=" + audit_->error;
    core::log(success ? core::LogLevel::kInfo : core::LogLevel::kWarning, line);
  }

  // ---- routing ----

  // One endpoint: verb, path (segments; "{}" takes any one, passed to the handler in order),
  // the role it needs, and the admin action it records ("" for none).
  struct Route {
    std::string_view verb;
    std::string_view path;
    Role role;
    std::string_view audit;
    void (ApiHandler::*handle)(Exchange&, const Path& captured);
  };

  static std::span<const Route> routes();  // the table, after the class

  // Whether `path` has the route's segments; fills `captured` with what its "{}" took.
  static bool matches(std::string_view pattern, const Path& path, Path& captured) {
    captured.clear();
    std::size_t i = 0;
    for (std::string_view segment : core::split(pattern, '/')) {
      if (i >= path.size()) return false;
      if (segment == "{}") {
        captured.push_back(path[i]);
      } else if (segment != path[i]) {
        return false;
      }
      ++i;
    }
    return i == path.size();
  }

  void route(Exchange& exchange, const Path& path) {
    if (!path.empty() && path[0] == "ui") return serveUi(exchange, path);
    if (path.empty()) return redirect(exchange, "/ui/");
    const std::string& verb = exchange.request().getMethod();
    Path captured;
    std::string allowed;  // the verbs the path takes, for a 405
    for (const Route& route : routes()) {
      if (!matches(route.path, path, captured)) continue;
      if (route.verb != verb) {
        allowed += (allowed.empty() ? "" : ", ") + std::string(route.verb);
        continue;
      }
      if (!route.audit.empty()) {
        audit(std::string(route.audit), captured.empty() ? "" : captured.front());
      }
      if (route.role != Role::kNone) authorize(exchange, route.role);
      return (this->*route.handle)(exchange, captured);
    }
    if (allowed.empty()) notFound(exchange);
    exchange.response().set("Allow", allowed);
    throw Error(
        ErrorCode::kMethodNotAllowed,
        verb + " is not allowed on " + exchange.request().getURI() + " (allowed: " + allowed + ")");
  }

  void metrics(Exchange& exchange, const Path&) {
    exchange.replyText(200, "text/plain; version=0.0.4; charset=utf-8", context_.metrics.render());
  }

  void serviceTypes(Exchange& exchange, const Path&) { exchange.reply(200, serviceTypeJson()); }

  void openApi(Exchange& exchange, const Path&) { exchange.reply(200, brokerOpenApi()); }

  // Built from the catalog of the moment: it follows refreshes.
  void instanceApi(Exchange& exchange, const Path& captured) {
    const auto registration = context_.registry.find(captured[0]);
    const auto instance = context_.registry.instance(captured[0]);
    exchange.reply(200, instanceOpenApi(*instance, registration->revision));
  }

  void refresh(Exchange& exchange, const Path& captured) {
    const std::string& name = captured[0];
    const auto started = Clock::now();
    auto registration = context_.registry.refresh(name, forwardedAuthorization(exchange));
    core::log(core::LogLevel::kInfo,
              "refresh instance=" + name + " total_ms=" + milliseconds(Clock::now() - started));
    exchange.reply(200, summaryJson(*registration, false));
  }

  [[noreturn]] void notFound(Exchange& exchange) {
    throw Error(ErrorCode::kNotFound, "no endpoint " + exchange.request().getMethod() + " " +
                                          exchange.request().getURI());
  }

  void allow(Exchange& exchange, std::initializer_list<std::string_view> verbs) {
    const std::string& verb = exchange.request().getMethod();
    std::string list;
    for (std::string_view allowed : verbs) {
      if (allowed == verb) return;
      list += (list.empty() ? "" : ", ") + std::string(allowed);
    }
    exchange.response().set("Allow", list);
    throw Error(
        ErrorCode::kMethodNotAllowed,
        verb + " is not allowed on " + exchange.request().getURI() + " (allowed: " + list + ")");
  }

  // ---- access ----

  // The key of "Authorization: Bearer <key>", empty without one.
  static std::string bearerKey(Exchange& exchange) {
    const std::string header = exchange.request().get("Authorization", "");
    const std::string_view prefix = "Bearer ";
    if (header.size() <= prefix.size() ||
        !core::equalsIgnoreCase(std::string_view(header).substr(0, prefix.size()), prefix)) {
      return {};
    }
    return std::string(core::trim(std::string_view(header).substr(prefix.size())));
  }

  Role roleOf(Exchange& exchange) const {
    const std::string key = bearerKey(exchange);
    if (key.empty()) return Role::kNone;
    bool admin = false;
    bool caller = false;
    for (const std::string& known : context_.adminKeys) admin = sameKey(key, known) || admin;
    for (const std::string& known : context_.callerKeys) caller = sameKey(key, known) || caller;
    return admin ? Role::kAdmin : caller ? Role::kCaller : Role::kNone;
  }

  // The caller's own credentials, forwarded upstream by instances in auth modes impersonate
  // and sso: X-Upstream-Authorization, else Authorization when it is not a broker API key.
  std::string forwardedAuthorization(Exchange& exchange) const {
    const std::string upstream = exchange.request().get("X-Upstream-Authorization", "");
    if (!upstream.empty()) return upstream;
    const std::string header = exchange.request().get("Authorization", "");
    return roleOf(exchange) == Role::kNone ? header : std::string();
  }

  void authorize(Exchange& exchange, Role needed) const {
    if (context_.adminKeys.empty() && context_.callerKeys.empty()) {
      if (exchange.request().clientAddress().host().isLoopback()) return;
      throw Error(ErrorCode::kPermissionDenied,
                  "no API keys are configured, so only loopback clients are accepted");
    }
    const Role role = roleOf(exchange);
    if (role == Role::kNone) {
      throw Error(ErrorCode::kUnauthenticated, "send an API key as 'Authorization: Bearer <key>'");
    }
    if (needed == Role::kAdmin && role != Role::kAdmin) {
      throw Error(ErrorCode::kPermissionDenied, "this needs an admin API key");
    }
  }

  // ---- endpoints ----

  void health(Exchange& exchange, const Path&) {
    const auto registrations = context_.registry.list();
    std::int64_t unusable = 0;
    for (const auto& registration : registrations) unusable += registration->instance ? 0 : 1;
    const engine::StoreState store = context_.registry.storeState();
    std::string text;
    JsonWriter json(text);
    // A node whose store is unreachable still serves calls from its catalogs: ready, degraded.
    json.beginObject().key("status").value(store.reachable ? "ok" : "degraded");
    json.key("ready").value(true);
    json.key("instances").value(static_cast<std::int64_t>(registrations.size()));
    json.key("unusableInstances").value(unusable);
    json.key("store").beginObject().key("location").value(store.location);
    json.key("shared").value(store.shared);
    json.key("state").value(store.reachable ? "reachable" : "unreachable");
    if (!store.reachable) json.key("problem").value(store.problem);
    json.endObject().endObject();
    exchange.reply(200, text);
  }

  void listInstances(Exchange& exchange, const Path&) {
    std::string text;
    JsonWriter json(text);
    json.beginObject().key("instances").beginArray();
    for (const auto& registration : context_.registry.list()) {
      json.raw(summaryJson(*registration, false));
    }
    json.endArray().endObject();
    exchange.reply(200, text);
  }

  void registerInstance(Exchange& exchange, const Path&) {
    const auto started = Clock::now();
    auto definition = config::InstanceDefinition::fromJson(exchange.body(), config::keepSecret);
    const std::string name = definition.name;
    audit_->instance = name;
    auto registration =
        context_.registry.add(std::move(definition), forwardedAuthorization(exchange));
    core::log(core::LogLevel::kInfo,
              "register instance=" + name +
                  " objects=" + std::to_string(registration->instance->catalog->objects().size()) +
                  " total_ms=" + milliseconds(Clock::now() - started));
    exchange.response().set("Location", "/api/v1/instances/" + name);
    exchange.reply(201, summaryJson(*registration, true));
  }

  void readInstance(Exchange& exchange, const Path& captured) {
    const std::string& name = captured[0];
    auto registration = context_.registry.find(name);
    std::string text;
    JsonWriter json(text);
    json.beginObject();
    registration->definition->writeMembers(json, config::maskSecret);
    writeStatus(json, *registration);
    json.endObject();
    exchange.reply(200, text);
  }

  void changeInstance(Exchange& exchange, const Path& captured) {
    const std::string& name = captured[0];
    auto definition = config::InstanceDefinition::fromJson(exchange.body(), config::keepSecret);
    auto registration =
        context_.registry.change(name, std::move(definition), forwardedAuthorization(exchange));
    core::log(core::LogLevel::kInfo, "change instance=" + name);
    exchange.reply(200, summaryJson(*registration, true));
  }

  void removeInstance(Exchange& exchange, const Path& captured) {
    const std::string& name = captured[0];
    context_.registry.remove(name);
    core::log(core::LogLevel::kInfo, "remove instance=" + name);
    exchange.replyEmpty(204);
  }

  void listObjects(Exchange& exchange, const Path& captured) {
    const std::string& name = captured[0];
    auto instance = context_.registry.instance(name);
    std::string text;
    JsonWriter json(text);
    json.beginObject().key("objects").beginArray();
    for (const so::ServiceObject& object : instance->catalog->objects()) {
      writeObjectSummary(json, object);
    }
    json.endArray().endObject();
    exchange.reply(200, text);
  }

  void readObject(Exchange& exchange, const Path& captured) {
    const std::string& name = captured[0];
    const std::string& objectName = captured[1];
    auto instance = context_.registry.instance(name);
    const so::ServiceObject* object = instance->catalog->find(objectName);
    if (object == nullptr) {
      throw Error(ErrorCode::kNotFound,
                  "instance '" + name + "' has no service object '" + objectName + "'");
    }
    std::string text;
    JsonWriter json(text);
    so::writeJson(json, *object);
    exchange.reply(200, text);
  }

  void execute(Exchange& exchange, const Path& captured) {
    const std::string& name = captured[0];
    const std::string& object = captured[1];
    const std::string& method = captured[2];
    const auto started = Clock::now();
    // Resolved first: calls to unknown instances are not counted (their names are arbitrary).
    const auto instance = context_.registry.instance(name);
    engine::CallStats stats;
    ExecuteOutcome outcome;
    try {
      outcome = executeMethod(exchange, *instance, object, method, forwardedAuthorization(exchange),
                              context_.callLimits, stats);
    } catch (const Error& e) {
      outcome.status = core::httpStatus(e.code());
      logCall(name, object, method, outcome, stats, started);
      throw;
    }
    logCall(name, object, method, outcome, stats, started);
  }

  void batch(Exchange& exchange, const Path& captured) {
    const std::string& name = captured[0];
    const auto started = Clock::now();
    const auto instance = context_.registry.instance(name);
    engine::CallStats stats;
    ExecuteOutcome outcome;
    try {
      executeBatchRequest(exchange, *instance, forwardedAuthorization(exchange),
                          context_.callLimits, stats);
    } catch (const Error& e) {
      outcome.status = core::httpStatus(e.code());
      logCall(name, "", "$batch", outcome, stats, started);
      throw;
    }
    logCall(name, "", "$batch", outcome, stats, started);
  }

  // {"filter": {...}} → {"filter": "<$filter>", "url": "...", "evaluatedBy": "service"|"broker"}
  void translateFilter(Exchange& exchange, const Path& captured) {
    const std::string& name = captured[0];
    const std::string& object = captured[1];
    const auto instance = context_.registry.instance(name);
    Poco::JSON::Object::Ptr body = exchange.jsonBody();
    for (const std::string& member : body->getNames()) {
      if (member != "filter") {
        throw Error(ErrorCode::kInvalidArgument,
                    "unknown member '" + member + "' (expected filter)");
      }
    }
    if (!body->has("filter")) throw Error(ErrorCode::kInvalidArgument, "filter is required");
    const engine::FilterPlan plan =
        engine::planFilter(*instance, object, filterJson(body->get("filter")));
    std::string text;
    JsonWriter json(text);
    json.beginObject().key("filter").value(plan.filter).key("url").value(plan.url);
    json.key("evaluatedBy").value(plan.evaluatedByBroker ? "broker" : "service").endObject();
    exchange.reply(200, text);
  }

  void logCall(const std::string& name, const std::string& object, const std::string& method,
               const ExecuteOutcome& outcome, const engine::CallStats& stats,
               Clock::time_point started) {
    const Clock::duration total = Clock::now() - started;
    context_.metrics.recordCall(name, outcome.status, seconds(total));
    if (!core::logEnabled(core::LogLevel::kInfo)) return;
    core::log(core::LogLevel::kInfo,
              "call instance=" + name + " object=" + core::jsonQuote(object) + " method=" +
                  core::jsonQuote(method) + " status=" + std::to_string(outcome.status) +
                  " rows=" + std::to_string(outcome.rows) +
                  " upstream_requests=" + std::to_string(stats.upstreamRequests) + " upstream_ms=" +
                  milliseconds(std::chrono::duration_cast<Clock::duration>(stats.upstreamTime)) +
                  " total_ms=" + milliseconds(total));
  }

  void redirect(Exchange& exchange, const std::string& location) {
    exchange.response().set("Location", location);
    exchange.replyText(302, "text/plain; charset=utf-8", "see " + location + "\n");
  }

  void serveUi(Exchange& exchange, const Path& path) {
    allow(exchange, {"GET", "HEAD"});
    if (context_.uiDir.empty()) {
      throw Error(ErrorCode::kNotFound, "the config UI is not installed with this broker");
    }
    std::filesystem::path file = context_.uiDir;
    for (std::size_t i = 1; i < path.size(); ++i) {
      // No way out of the UI folder: no "..", no hidden files, no separators inside a segment.
      if (path[i].starts_with('.') || std::any_of(path[i].begin(), path[i].end(), [](char c) {
            return c == '/' || c == '\\' || static_cast<unsigned char>(c) < 0x20 || c == 0x7f;
          })) {
        notFound(exchange);
      }
      file /= path[i];
    }
    if (path.size() == 1 || std::filesystem::is_directory(file)) file /= "index.html";
    std::ifstream in(file, std::ios::binary);
    std::ostringstream content;
    if (!in || !(content << in.rdbuf())) notFound(exchange);
    // Revalidated on every load (no stale UI after an upgrade), answered 304 when unchanged.
    std::error_code ignored;
    const auto modified = std::filesystem::last_write_time(file, ignored).time_since_epoch();
    const std::string etag =
        "\"" + std::to_string(content.str().size()) + "-" + std::to_string(modified.count()) + "\"";
    auto& response = exchange.response();
    response.set("Cache-Control", "no-cache");
    response.set("ETag", etag);
    response.set("X-Content-Type-Options", "nosniff");
    response.set("Content-Security-Policy",
                 "default-src 'self'; img-src 'self' data: blob:; frame-ancestors 'none'");
    if (exchange.request().get("If-None-Match", "") == etag) {
      exchange.replyText(304, contentTypeOf(file), "");
      return;
    }
    exchange.replyText(200, contentTypeOf(file), content.str());
  }

  ApiContext& context_;
  std::optional<Audit> audit_;
};

std::span<const ApiHandler::Route> ApiHandler::routes() {
  static constexpr Route kRoutes[] = {
      {"GET", "metrics", Role::kCaller, "", &ApiHandler::metrics},
      {"GET", "api/v1/health", Role::kNone, "", &ApiHandler::health},
      {"GET", "api/v1/openapi.json", Role::kNone, "", &ApiHandler::openApi},
      {"GET", "api/v1/service-types/odata", Role::kCaller, "", &ApiHandler::serviceTypes},
      {"GET", "api/v1/instances", Role::kCaller, "", &ApiHandler::listInstances},
      {"POST", "api/v1/instances", Role::kAdmin, "register", &ApiHandler::registerInstance},
      {"GET", "api/v1/instances/{}", Role::kCaller, "", &ApiHandler::readInstance},
      {"PUT", "api/v1/instances/{}", Role::kAdmin, "change", &ApiHandler::changeInstance},
      {"DELETE", "api/v1/instances/{}", Role::kAdmin, "remove", &ApiHandler::removeInstance},
      {"POST", "api/v1/instances/{}/refresh", Role::kAdmin, "refresh", &ApiHandler::refresh},
      {"POST", "api/v1/instances/{}/batch", Role::kCaller, "", &ApiHandler::batch},
      {"GET", "api/v1/instances/{}/openapi.json", Role::kCaller, "", &ApiHandler::instanceApi},
      {"GET", "api/v1/instances/{}/objects", Role::kCaller, "", &ApiHandler::listObjects},
      {"GET", "api/v1/instances/{}/objects/{}", Role::kCaller, "", &ApiHandler::readObject},
      {"POST", "api/v1/instances/{}/objects/{}/methods/{}", Role::kCaller, "",
       &ApiHandler::execute},
      {"POST", "api/v1/instances/{}/objects/{}/filter", Role::kCaller, "",
       &ApiHandler::translateFilter},
  };
  return kRoutes;
}

}  // namespace

Poco::Net::HTTPRequestHandler* ApiHandlerFactory::createRequestHandler(
    const Poco::Net::HTTPServerRequest&) {
  return new ApiHandler(context_);
}

}  // namespace broker::server
