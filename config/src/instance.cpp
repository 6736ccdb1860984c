#include "config/instance.h"

#include <Poco/JSON/Array.h>
#include <Poco/JSON/Object.h>
#include <Poco/JSON/Parser.h>

#include <algorithm>
#include <array>
#include <cctype>
#include <set>
#include <sstream>

#include "broker/core/error.h"
#include "broker/core/json_writer.h"
#include "broker/core/text.h"

namespace config {

namespace {

using broker::core::Error;
using broker::core::ErrorCode;
using broker::core::JsonWriter;

[[noreturn]] void invalid(std::string message) {
  throw Error(ErrorCode::kInvalidArgument, std::move(message));
}

constexpr std::array<std::string_view, 6> kModeNames = {"none",  "static",      "serviceAccount",
                                                        "oauth", "impersonate", "sso"};

// The auth members: their definition and their field (none for the one boolean). The one
// list of them.
struct AuthMember {
  AuthFieldDefinition definition;
  std::string AuthSettings::*field;

  std::string_view name() const { return definition.name; }
  bool secret() const { return definition.type == "secret"; }
};

constexpr AuthMember kAuthMembers[] = {
    {{"username", "string", "static", "user name for HTTP Basic"}, &AuthSettings::username},
    {{"password", "secret", "static", "password for HTTP Basic"}, &AuthSettings::password},
    {{"tokenUrl", "string", "oauth", "the token endpoint"}, &AuthSettings::tokenUrl},
    {{"clientId", "string", "oauth", "the client's id"}, &AuthSettings::clientId},
    {{"clientSecret", "secret", "oauth", "the client's secret"}, &AuthSettings::clientSecret},
    {{"clientAuthentication", "string", "oauth",
      "basic (client_secret_basic, the default) or post (in the form)"},
     &AuthSettings::clientAuthentication},
    {{"scope", "string", "oauth", "scopes asked for, space-separated"}, &AuthSettings::scope},
    {{"audience", "string", "oauth", "sent as audience when set"}, &AuthSettings::audience},
    {{"refreshToken", "secret", "oauth", "use the refresh_token grant with this token"},
     &AuthSettings::refreshToken},
    {{"certificateKeyPassphrase", "secret", "*",
      "passphrase of the client certificate's PKCS#12 file or key"},
     &AuthSettings::certificateKeyPassphrase},
    {{"caBundleFile", "string", "*", "PEM file of CAs to trust for this service's TLS"},
     &AuthSettings::caBundleFile},
    {{"skipTlsVerification", "boolean", "*", "accept any server certificate (logged loudly)"},
     nullptr},
    {{"proxyUsername", "string", "*",
      "user name for the forward proxy (HTTP Basic), instead of the proxy URL's"},
     &AuthSettings::proxyUsername},
    {{"proxyPassword", "secret", "*", "password for the forward proxy"},
     &AuthSettings::proxyPassword},
};

const ServiceKeyDefinition* findKey(std::string_view name) {
  for (const ServiceKeyDefinition& key : serviceKeySchema()) {
    if (key.name == name) return &key;
  }
  return nullptr;
}

std::string jsonTypeError(std::string_view key, std::string_view expected) {
  return "service key '" + std::string(key) + "' must be " + std::string(expected);
}

std::string headerField(std::string_view name) {
  return "serviceKeys.defaultHttpRequestHeaders." + std::string(name);
}

void writeHeaders(JsonWriter& json, const std::vector<HttpHeader>& headers,
                  const SecretTransform& writeSecret) {
  json.beginArray();
  for (const HttpHeader& header : headers) {
    json.beginObject().key("Name").value(header.name).key("Value");
    if (isSecretHeader(header.name) && !header.value.empty()) {
      json.value(writeSecret(headerField(header.name), header.value));
    } else {
      json.value(header.value);
    }
    json.endObject();
  }
  json.endArray();
}

std::string headersText(const std::vector<HttpHeader>& headers) {
  std::string text;
  JsonWriter json(text);
  writeHeaders(json, headers, keepSecret);
  return text;
}

// A service key's JSON value as the text ServiceKeys::parse takes.
std::string keyText(const ServiceKeyDefinition& key, const Poco::Dynamic::Var& value,
                    const SecretTransform& readSecret) {
  const std::string name(key.name);
  if (value.isString()) return value.extract<std::string>();
  switch (key.type) {
    case ServiceKeyType::kBoolean:
      if (!value.isBoolean()) invalid(jsonTypeError(name, "true or false"));
      return value.extract<bool>() ? "true" : "false";
    case ServiceKeyType::kInteger:
      if (!value.isInteger() || value.isBoolean()) invalid(jsonTypeError(name, "an integer"));
      return value.convert<std::string>();
    case ServiceKeyType::kStringList: {
      if (value.type() != typeid(Poco::JSON::Array::Ptr)) {
        invalid(jsonTypeError(name, "an array of strings or a comma-separated string"));
      }
      std::string text;
      for (const auto& item : *value.extract<Poco::JSON::Array::Ptr>()) {
        if (!item.isString()) invalid(jsonTypeError(name, "an array of strings"));
        if (!text.empty()) text += ',';
        text += item.extract<std::string>();
      }
      return text;
    }
    case ServiceKeyType::kHeaderList: {
      if (value.type() != typeid(Poco::JSON::Array::Ptr)) {
        invalid(jsonTypeError(name, "an array of {\"Name\", \"Value\"} objects"));
      }
      auto array = value.extract<Poco::JSON::Array::Ptr>();
      for (std::size_t i = 0; i < array->size(); ++i) {
        Poco::JSON::Object::Ptr header = array->getObject(static_cast<unsigned>(i));
        if (!header || !header->has("Name") || !header->get("Name").isString()) {
          invalid(jsonTypeError(name, "an array of {\"Name\", \"Value\"} objects"));
        }
        const std::string headerName = header->getValue<std::string>("Name");
        if (header->has("Value") && !header->get("Value").isString()) {
          invalid("service key '" + name + "': the value of header '" + headerName +
                  "' must be a string");
        }
        const std::string headerValue =
            header->has("Value") ? header->getValue<std::string>("Value") : "";
        if (isSecretHeader(headerName) && !headerValue.empty()) {
          header->set("Value", readSecret(headerField(headerName), headerValue));
        }
      }
      std::ostringstream text;
      array->stringify(text);
      return text.str();
    }
    case ServiceKeyType::kString:
    case ServiceKeyType::kChoice:
      break;
  }
  invalid(jsonTypeError(name, "a string"));
}

Poco::JSON::Object::Ptr parseObject(std::string_view json) {
  try {
    Poco::JSON::Parser parser;
    Poco::Dynamic::Var root = parser.parse(std::string(json));
    if (root.type() != typeid(Poco::JSON::Object::Ptr)) invalid("the body must be a JSON object");
    return root.extract<Poco::JSON::Object::Ptr>();
  } catch (const Poco::Exception& e) {
    invalid("the body is not valid JSON: " + e.message());
  }
}

std::string stringMember(const Poco::JSON::Object& object, const std::string& member,
                         std::string_view where) {
  if (!object.has(member) || object.isNull(member)) return {};
  const Poco::Dynamic::Var value = object.get(member);
  if (!value.isString()) invalid(std::string(where) + member + " must be a string");
  return value.extract<std::string>();
}

AuthSettings parseAuth(const Poco::JSON::Object& object, const SecretTransform& readSecret) {
  AuthSettings auth;
  for (const std::string& member : object.getNames()) {
    const bool known =
        member == "mode" || std::any_of(std::begin(kAuthMembers), std::end(kAuthMembers),
                                        [&](const AuthMember& m) { return m.name() == member; });
    if (!known) invalid("auth: unknown member '" + member + "'");
  }
  const std::string mode = stringMember(object, "mode", "auth.");
  const auto found = std::find(kModeNames.begin(), kModeNames.end(), mode.empty() ? "none" : mode);
  if (found == kModeNames.end()) {
    invalid("auth.mode: '" + mode +
            "' is not one of none, static, serviceAccount, oauth, impersonate, sso");
  }
  auth.mode = static_cast<AuthMode>(found - kModeNames.begin());
  for (const AuthMember& member : kAuthMembers) {
    if (member.field == nullptr) continue;
    std::string value = stringMember(object, std::string(member.name()), "auth.");
    if (member.secret() && !value.empty()) {
      value = readSecret("auth." + std::string(member.name()), value);
    }
    auth.*member.field = std::move(value);
  }
  if (object.has("skipTlsVerification") && !object.isNull("skipTlsVerification")) {
    const Poco::Dynamic::Var skip = object.get("skipTlsVerification");
    if (!skip.isBoolean()) invalid("auth.skipTlsVerification must be true or false");
    auth.skipTlsVerification = skip.extract<bool>();
  }
  if (!auth.clientAuthentication.empty() && auth.clientAuthentication != "basic" &&
      auth.clientAuthentication != "post") {
    invalid("auth.clientAuthentication: '" + auth.clientAuthentication + "' is not basic or post");
  }
  if (auth.mode == AuthMode::kStatic && auth.username.empty()) {
    invalid("auth.username is required for mode 'static'");
  }
  if (auth.mode == AuthMode::kOAuth) {
    if (auth.tokenUrl.empty()) invalid("auth.tokenUrl is required for mode 'oauth'");
    if (auth.clientId.empty()) invalid("auth.clientId is required for mode 'oauth'");
  }
  return auth;
}

}  // namespace

std::span<const AuthFieldDefinition> authFieldSchema() {
  static const std::vector<AuthFieldDefinition> schema = [] {
    std::vector<AuthFieldDefinition> all;
    for (const AuthMember& member : kAuthMembers) all.push_back(member.definition);
    return all;
  }();
  return schema;
}

std::string_view toString(AuthMode mode) noexcept {
  return kModeNames[static_cast<std::size_t>(mode)];
}

bool isSecretHeader(std::string_view name) noexcept {
  using broker::core::equalsIgnoreCase;
  if (equalsIgnoreCase(name, "Authorization") || equalsIgnoreCase(name, "Proxy-Authorization") ||
      equalsIgnoreCase(name, "Cookie")) {
    return true;
  }
  std::string lower(name);
  std::transform(lower.begin(), lower.end(), lower.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  for (std::string_view word : {"key", "token", "secret", "password"}) {
    if (lower.find(word) != std::string::npos) return true;
  }
  return false;
}

bool isValidInstanceName(std::string_view name) noexcept {
  if (name.empty() || name.size() > 100) return false;
  auto allowed = [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' ||
           c == '-' || c == '.';
  };
  return std::all_of(name.begin(), name.end(), allowed) && name.front() != '.' &&
         name.front() != '-' && name.front() != '_';
}

std::string maskSecret(std::string_view, std::string_view) { return std::string(kSecretMask); }

std::string keepSecret(std::string_view, std::string_view value) { return std::string(value); }

InstanceDefinition InstanceDefinition::fromJson(std::string_view json,
                                                const SecretTransform& readSecret) {
  Poco::JSON::Object::Ptr root = parseObject(json);
  for (const std::string& member : root->getNames()) {
    // What GET /instances/{name} shows besides the definition is ignored, so that what was
    // read can be edited and sent back.
    static const std::set<std::string> kShown = {"status",      "problem",  "odataVersion",
                                                 "objectCount", "revision", "updatedAt"};
    if (kShown.contains(member)) continue;
    if (member != "name" && member != "description" && member != "serviceKeys" &&
        member != "auth") {
      invalid("unknown member '" + member + "' (expected name, description, serviceKeys, auth)");
    }
  }
  InstanceDefinition definition;
  definition.name = stringMember(*root, "name", "");
  if (!isValidInstanceName(definition.name)) {
    invalid("name: '" + definition.name +
            "' is not a valid instance name (1 to 100 of A-Z a-z 0-9 _ - ., starting with a "
            "letter or digit)");
  }
  definition.description = stringMember(*root, "description", "");
  if (!root->has("serviceKeys") || root->isNull("serviceKeys")) {
    invalid("serviceKeys is required (at least serviceUrl)");
  }
  Poco::JSON::Object::Ptr keys = root->getObject("serviceKeys");
  if (!keys) invalid("serviceKeys must be an object");
  for (const std::string& name : keys->getNames()) {
    const ServiceKeyDefinition* key = findKey(name);
    if (!key) invalid("unknown service key '" + name + "'");
    const Poco::Dynamic::Var value = keys->get(name);
    if (value.isEmpty()) continue;
    definition.serviceKeyValues.emplace_back(name, keyText(*key, value, readSecret));
  }
  definition.keys = ServiceKeys::parse(definition.serviceKeyValues);
  if (root->has("auth") && !root->isNull("auth")) {
    Poco::JSON::Object::Ptr auth = root->getObject("auth");
    if (!auth) invalid("auth must be an object");
    definition.auth = parseAuth(*auth, readSecret);
  }
  return definition;
}

std::string InstanceDefinition::toJson(const SecretTransform& writeSecret) const {
  std::string text;
  JsonWriter json(text);
  json.beginObject();
  writeMembers(json, writeSecret);
  json.endObject();
  return text;
}

void InstanceDefinition::writeMembers(JsonWriter& json, const SecretTransform& writeSecret) const {
  json.key("name").value(name);
  if (!description.empty()) json.key("description").value(description);
  json.key("serviceKeys").beginObject();
  for (const auto& [keyName, value] : serviceKeyValues) {
    const ServiceKeyDefinition* key = findKey(keyName);
    json.key(keyName);
    switch (key->type) {
      case ServiceKeyType::kBoolean: {
        bool flag = false;
        broker::core::parseBool(broker::core::trim(value), flag);
        json.value(flag);
        break;
      }
      case ServiceKeyType::kInteger:
        json.raw(broker::core::trim(value));
        break;
      case ServiceKeyType::kStringList:
        json.beginArray();
        for (std::string_view item : broker::core::split(value, ',')) {
          item = broker::core::trim(item);
          if (!item.empty()) json.value(item);
        }
        json.endArray();
        break;
      case ServiceKeyType::kHeaderList:
        writeHeaders(json, keys.defaultHttpRequestHeaders, writeSecret);
        break;
      case ServiceKeyType::kString:
      case ServiceKeyType::kChoice:
        json.value(value);
        break;
    }
  }
  json.endObject();
  json.key("auth").beginObject().key("mode").value(toString(auth.mode));
  for (const AuthMember& member : kAuthMembers) {
    if (member.field == nullptr) continue;
    const std::string& value = auth.*member.field;
    if (value.empty()) continue;
    json.key(member.name());
    json.value(member.secret() ? writeSecret("auth." + std::string(member.name()), value) : value);
  }
  if (auth.skipTlsVerification) json.key("skipTlsVerification").value(true);
  json.endObject();
}

void InstanceDefinition::keepMaskedSecrets(const InstanceDefinition& previous) {
  for (const AuthMember& member : kAuthMembers) {
    if (member.secret() && auth.*member.field == kSecretMask) {
      auth.*member.field = previous.auth.*member.field;
    }
  }
  bool changed = false;
  for (HttpHeader& header : keys.defaultHttpRequestHeaders) {
    if (header.value != kSecretMask) continue;
    for (const HttpHeader& old : previous.keys.defaultHttpRequestHeaders) {
      if (broker::core::equalsIgnoreCase(old.name, header.name)) {
        header.value = old.value;
        changed = true;
      }
    }
  }
  if (!changed) return;
  for (auto& [keyName, value] : serviceKeyValues) {
    if (keyName == "defaultHttpRequestHeaders") value = headersText(keys.defaultHttpRequestHeaders);
  }
}

}  // namespace config
