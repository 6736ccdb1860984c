// The service-key schema and the validation of values against it.
#include "config/service_keys.h"

#include <Poco/JSON/Array.h>
#include <Poco/JSON/Object.h>
#include <Poco/JSON/Parser.h>

#include <algorithm>
#include <charconv>
#include <functional>

#include "broker/core/error.h"
#include "broker/core/text.h"
#include "config/proxy.h"

namespace config {

namespace {

using broker::core::Error;
using broker::core::ErrorCode;
using T = ServiceKeyType;

[[noreturn]] void badValue(std::string_view key, std::string_view value, std::string_view why) {
  throw Error(ErrorCode::kInvalidArgument, "service key '" + std::string(key) + "': '" +
                                               std::string(value) + "' " + std::string(why));
}

bool toBoolean(std::string_view key, std::string_view value) {
  bool result = false;
  if (!broker::core::parseBool(broker::core::trim(value), result)) {
    badValue(key, value, "is not true or false");
  }
  return result;
}

std::int64_t toInteger(std::string_view key, std::string_view value, std::int64_t min,
                       std::int64_t max) {
  const std::string_view text = broker::core::trim(value);
  std::int64_t result = 0;
  auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), result);
  if (error != std::errc() || end != text.data() + text.size()) {
    badValue(key, value, "is not a whole number");
  }
  if (result < min || result > max) {
    badValue(key, value,
             "is out of range (" + std::to_string(min) + " to " + std::to_string(max) + ")");
  }
  return result;
}

std::size_t toChoice(const ServiceKeyDefinition& key, std::string_view value) {
  const std::string_view text = broker::core::trim(value);
  for (std::size_t i = 0; i < key.choices.size(); ++i) {
    if (broker::core::equalsIgnoreCase(text, key.choices[i])) return i;
  }
  std::string allowed;
  for (std::string_view choice : key.choices)
    allowed += (allowed.empty() ? "" : ", ") + std::string(choice);
  badValue(key.name, value, "is not one of " + allowed);
}

// "a, b" or a JSON array of strings (as the REST API and `--set key=[...]` may give it).
std::vector<std::string> toStringList(std::string_view value) {
  std::vector<std::string> items;
  if (broker::core::trim(value).starts_with('[')) {
    try {
      Poco::JSON::Parser parser;
      auto array = parser.parse(std::string(value)).extract<Poco::JSON::Array::Ptr>();
      for (std::size_t i = 0; i < array->size(); ++i) {
        const std::string item(broker::core::trim(array->getElement<std::string>(i)));
        if (!item.empty()) items.push_back(item);
      }
      return items;
    } catch (const Poco::Exception&) {
      items.clear();  // not JSON after all: names separated by commas
    }
  }
  for (std::string_view item : broker::core::split(value, ',')) {
    item = broker::core::trim(item);
    if (!item.empty()) items.emplace_back(item);
  }
  return items;
}

std::vector<HttpHeader> headersFromJson(std::string_view key, std::string_view value) {
  std::vector<std::optional<HttpHeader>> entries;  // nullopt: an entry without a Name
  try {
    Poco::JSON::Parser parser;
    auto array = parser.parse(std::string(value)).extract<Poco::JSON::Array::Ptr>();
    for (std::size_t i = 0; i < array->size(); ++i) {
      Poco::JSON::Object::Ptr header = array->getObject(static_cast<unsigned>(i));
      if (!header || !header->has("Name")) {
        entries.emplace_back();
        continue;
      }
      entries.emplace_back(
          HttpHeader{header->getValue<std::string>("Name"),
                     header->has("Value") ? header->getValue<std::string>("Value") : ""});
    }
  } catch (const std::exception&) {  // Poco::Exception and bad casts of the parsed value
    badValue(key, value, "is not a JSON array of {\"Name\", \"Value\"} objects");
  }
  std::vector<HttpHeader> headers;
  for (auto& entry : entries) {
    if (!entry) badValue(key, value, "has an entry without a Name");
    headers.push_back(std::move(*entry));
  }
  return headers;
}

std::vector<HttpHeader> toHeaderList(std::string_view key, std::string_view value) {
  const std::string_view text = broker::core::trim(value);
  if (text.empty()) return {};
  std::vector<HttpHeader> headers =
      text.front() == '[' ? headersFromJson(key, text) : std::vector<HttpHeader>{};
  if (text.front() != '[') {
    for (std::string_view line : broker::core::split(text, '\n')) {
      line = broker::core::trim(line);
      if (line.empty()) continue;
      const std::size_t colon = line.find(':');
      if (colon == std::string_view::npos) badValue(key, line, "is not 'Name: Value'");
      headers.push_back({std::string(broker::core::trim(line.substr(0, colon))),
                         std::string(broker::core::trim(line.substr(colon + 1)))});
    }
  }
  for (const HttpHeader& header : headers) {
    const bool valid = !header.name.empty() &&
                       header.name.find_first_of(" \t\r\n:") == std::string::npos &&
                       header.value.find_first_of("\r\n") == std::string::npos;
    if (!valid) badValue(key, header.name, "is not a valid header");
  }
  return headers;
}

std::optional<std::string> toOptional(std::string_view value) {
  const std::string_view text = broker::core::trim(value);
  if (text.empty()) return std::nullopt;
  return std::string(text);
}

using Setter = std::function<void(ServiceKeys&, const ServiceKeyDefinition&, std::string_view)>;

struct KeyEntry {
  ServiceKeyDefinition definition;
  Setter set;
};

// Every key: its definition and how its text becomes the typed value. The one list of keys.
const std::vector<KeyEntry>& keyTable() {
  using D = const ServiceKeyDefinition&;
  auto flag = [](bool ServiceKeys::*field) {
    return [field](ServiceKeys& k, D d, std::string_view v) { k.*field = toBoolean(d.name, v); };
  };
  static const std::vector<KeyEntry> all = {
      {{"serviceUrl", T::kString, "", "The service root URL of the OData service.", {}, true},
       [](ServiceKeys& k, D d, std::string_view v) {
         const std::string_view url = broker::core::trim(v);
         const std::size_t scheme = url.starts_with("https://")  ? 8
                                    : url.starts_with("http://") ? 7
                                                                 : 0;
         if (scheme == 0 || url.size() == scheme || url[scheme] == '/') {
           badValue(d.name, v, "is not an absolute http:// or https:// URL");
         }
         if (url.find('#') != std::string_view::npos) {
           badValue(d.name, v, "has a fragment ('#'), which no request can carry");
         }
         k.serviceUrl = url;
       }},
      {{"metadataUrlOrFilePath",
        T::kString,
        "",
        "Load the metadata from this URL or local file instead of the service's $metadata.",
        {},
        false},
       [](ServiceKeys& k, D, std::string_view v) { k.metadataUrlOrFilePath = toOptional(v); }},
      {{"serializationCompress",
        T::kBoolean,
        "false",
        "Compress serialized items (gzip, then base64).",
        {},
        false},
       flag(&ServiceKeys::serializationCompress)},
      {{"serializationIncludeAllTypes",
        T::kBoolean,
        "true",
        "Create ObjectTypes for all complex types, not only the ones in use.",
        {},
        false},
       flag(&ServiceKeys::serializationIncludeAllTypes)},
      {{"includeNonSerializedProperties",
        T::kBoolean,
        "false",
        "Properties that are not serialized (nested complex and collection values) become inputs "
        "of Serialize.",
        {},
        false},
       flag(&ServiceKeys::includeNonSerializedProperties)},
      {{"namesAppendPropertyTypes",
        T::kBoolean,
        "true",
        "Name complex properties with their type, e.g. 'Address (Address)'.",
        {},
        false},
       flag(&ServiceKeys::namesAppendPropertyTypes)},
      {{"namesUseMethodFullName",
        T::kBoolean,
        "true",
        "Name operation objects with their signature, e.g. 'GetProductsByRating(Int32 rating)'.",
        {},
        false},
       flag(&ServiceKeys::namesUseMethodFullName)},
      {{"debuggingEnabled",
        T::kBoolean,
        "false",
        "Errors carry the upstream URL, status, body and a trace.",
        {},
        false},
       flag(&ServiceKeys::debuggingEnabled)},
      {{"addHttpRequestHeaderProperty",
        T::kBoolean,
        "false",
        "Every method gets an optional 'HTTP Request Headers' input (serialized HttpHeader "
        "array).",
        {},
        false},
       flag(&ServiceKeys::addHttpRequestHeaderProperty)},
      {{"addHttpResponseHeaderProperty",
        T::kBoolean,
        "false",
        "Every method returns 'HTTP Response Headers'.",
        {},
        false},
       flag(&ServiceKeys::addHttpResponseHeaderProperty)},
      {{"ignoreErrorWhenRecordNotFound",
        T::kBoolean,
        "false",
        "Load, Update and Delete of a missing key return empty instead of an error.",
        {},
        false},
       flag(&ServiceKeys::ignoreErrorWhenRecordNotFound)},
      {{"ignoreUnmappableProperties",
        T::kBoolean,
        "false",
        "Drop payload properties that cannot be mapped instead of failing.",
        {},
        false},
       flag(&ServiceKeys::ignoreUnmappableProperties)},
      {{"usePostTunneling",
        T::kBoolean,
        "false",
        "Send PUT, PATCH, MERGE and DELETE as POST with X-HTTP-Method.",
        {},
        false},
       flag(&ServiceKeys::usePostTunneling)},
      {{"defaultHttpMethodForServiceOperations",
        T::kChoice,
        "POST",
        "HTTP method of service operations whose metadata does not say; other values mean POST.",
        {"GET", "POST"},
        false},
       [](ServiceKeys& k, D, std::string_view v) {
         // API.md: any value other than GET falls back to POST.
         k.defaultHttpMethodForServiceOperations =
             broker::core::equalsIgnoreCase(broker::core::trim(v), "GET")
                 ? OperationHttpMethod::kGet
                 : OperationHttpMethod::kPost;
       }},
      {{"addQueryOptionsProperty",
        T::kBoolean,
        "false",
        "List and Load methods get a 'Query Options' input merged with the filter.",
        {},
        false},
       flag(&ServiceKeys::addQueryOptionsProperty)},
      {{"defaultHttpRequestHeaders",
        T::kHeaderList,
        "",
        "Headers added to every request.",
        {},
        false},
       [](ServiceKeys& k, D d, std::string_view v) {
         k.defaultHttpRequestHeaders = toHeaderList(d.name, v);
       }},
      {{"handleServiceOperationFilters",
        T::kBoolean,
        "false",
        "Send filters of operations to the service instead of filtering in the broker.",
        {},
        false},
       flag(&ServiceKeys::handleServiceOperationFilters)},
      {{"addNavigationPropertiesToListMethods",
        T::kBoolean,
        "false",
        "List methods get inputs such as 'Supplier/ID' to filter by related entities.",
        {},
        false},
       flag(&ServiceKeys::addNavigationPropertiesToListMethods)},
      {{"certificateStoreName", T::kString, "My", "Client-certificate store name.", {}, false},
       [](ServiceKeys& k, D d, std::string_view v) {
         k.certificateStoreName = broker::core::trim(v);
         if (k.certificateStoreName.empty() ||
             k.certificateStoreName.find_first_of("/\\.") != std::string::npos) {
           badValue(d.name, v, "is not a store name (a folder name without '/', '\\' or '.')");
         }
       }},
      {{"certificateStoreLocation",
        T::kChoice,
        "CurrentUser",
        "Client-certificate store location.",
        {"CurrentUser", "LocalMachine"},
        false},
       [](ServiceKeys& k, D d, std::string_view v) {
         k.certificateStoreLocation = static_cast<CertificateStoreLocation>(toChoice(d, v));
       }},
      {{"certificateSearchMethod",
        T::kChoice,
        "FindBySubjectName",
        "How certificateSearchValue is matched.",
        {"FindBySubjectName", "FindByThumbprint", "FindByIssuerName", "FindBySerialNumber"},
        false},
       [](ServiceKeys& k, D d, std::string_view v) {
         k.certificateSearchMethod = static_cast<CertificateSearchMethod>(toChoice(d, v));
       }},
      {{"certificateSearchValue",
        T::kString,
        "",
        "When set, a valid client certificate must be found by it and is used for every request.",
        {},
        false},
       [](ServiceKeys& k, D, std::string_view v) { k.certificateSearchValue = toOptional(v); }},
      {{"excludeQueryParameters",
        T::kStringList,
        "",
        "Query options never sent, e.g. $top,$skip,$orderby,$inlinecount.",
        {},
        false},
       [](ServiceKeys& k, D, std::string_view v) { k.excludeQueryParameters = toStringList(v); }},
      {{"requestTimeoutSeconds",
        T::kInteger,
        "100",
        "Timeout of each upstream request.",
        {},
        false},
       [](ServiceKeys& k, D d, std::string_view v) {
         k.requestTimeout = std::chrono::seconds(toInteger(d.name, v, 1, 3600));
       }},
      {{"proxyUrl",
        T::kString,
        "",
        "Forward proxy for this service's requests (http://host:port; https goes through it by "
        "CONNECT), instead of the broker's httpProxy/httpsProxy; 'direct' for none. Its "
        "credentials are auth.proxyUsername and auth.proxyPassword.",
        {},
        false},
       [](ServiceKeys& k, D d, std::string_view v) {
         k.proxyUrl = toOptional(v);
         if (k.proxyUrl && *k.proxyUrl != "direct") {
           const ProxyUrl proxy =
               parseProxyUrl(*k.proxyUrl, "service key '" + std::string(d.name) + "'");
           if (!proxy.username.empty()) {
             badValue(d.name, v,
                      "carries credentials; give them as auth.proxyUsername and "
                      "auth.proxyPassword, where they are kept as secrets");
           }
         }
       }},
      {{"followNextLinks",
        T::kBoolean,
        "true",
        "List follows server-driven paging to the end (bounded by maxRows).",
        {},
        false},
       flag(&ServiceKeys::followNextLinks)},
      {{"maxRows", T::kInteger, "100000", "Upper bound on the rows a List returns.", {}, false},
       [](ServiceKeys& k, D d, std::string_view v) {
         k.maxRows = toInteger(d.name, v, 1, 100000000);
       }},
      {{"csrfTokenHandling",
        T::kChoice,
        "auto",
        "Fetch an X-CSRF-Token before writes (SAP Gateway).",
        {"auto", "always", "never"},
        false},
       [](ServiceKeys& k, D d, std::string_view v) {
         k.csrfTokenHandling = static_cast<CsrfTokenHandling>(toChoice(d, v));
       }},
      {{"retryCount",
        T::kInteger,
        "2",
        "Retries of idempotent requests on connection errors, 429 and 503.",
        {},
        false},
       [](ServiceKeys& k, D d, std::string_view v) {
         k.retryCount = static_cast<int>(toInteger(d.name, v, 0, 10));
       }},
  };
  return all;
}

const std::vector<ServiceKeyDefinition>& schema() {
  static const std::vector<ServiceKeyDefinition> definitions = [] {
    std::vector<ServiceKeyDefinition> out;
    for (const KeyEntry& entry : keyTable()) out.push_back(entry.definition);
    return out;
  }();
  return definitions;
}

}  // namespace

std::string_view toString(ServiceKeyType type) noexcept {
  switch (type) {
    case T::kString:
      return "string";
    case T::kBoolean:
      return "boolean";
    case T::kInteger:
      return "integer";
    case T::kChoice:
      return "choice";
    case T::kStringList:
      return "stringList";
    case T::kHeaderList:
      return "headerList";
  }
  return "";
}

std::span<const ServiceKeyDefinition> serviceKeySchema() { return schema(); }

ServiceKeys ServiceKeys::defaults(std::string serviceUrl) {
  ServiceKeys keys;
  keys.serviceUrl = std::move(serviceUrl);
  return keys;
}

ServiceKeys ServiceKeys::parse(std::span<const std::pair<std::string, std::string>> values) {
  ServiceKeys keys;
  const std::vector<KeyEntry>& table = keyTable();
  for (const auto& pair : values) {
    // Not a structured binding: lambdas may not capture those before C++20's clang 16.
    const std::string& name = pair.first;
    const std::string& value = pair.second;
    auto entry = std::find_if(table.begin(), table.end(),
                              [&](const KeyEntry& e) { return e.definition.name == name; });
    if (entry == table.end()) {
      throw Error(ErrorCode::kInvalidArgument, "unknown service key '" + name + "'");
    }
    entry->set(keys, entry->definition, value);
  }
  if (keys.serviceUrl.empty()) {
    throw Error(ErrorCode::kInvalidArgument, "service key 'serviceUrl' is required");
  }
  return keys;
}

}  // namespace config
