// The service keys of an OData service instance (API.md §3): their schema (name, type,
// default, description) and a validated, typed set of values.
#pragma once

#include <chrono>
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace config {

enum class ServiceKeyType { kString, kBoolean, kInteger, kChoice, kStringList, kHeaderList };

/// "string", "boolean", "integer", "choice", "stringList", "headerList".
std::string_view toString(ServiceKeyType type) noexcept;

/// One entry of the schema that GET /service-types/odata returns and the UI renders.
struct ServiceKeyDefinition {
  std::string_view name;
  ServiceKeyType type;
  std::string_view defaultValue;  ///< as text; empty for "none"
  std::string_view description;
  std::vector<std::string_view> choices;  ///< for kChoice
  bool required = false;
};

/// Every service key, in the order of API.md §3.
std::span<const ServiceKeyDefinition> serviceKeySchema();

struct HttpHeader {
  std::string name;
  std::string value;
  bool operator==(const HttpHeader&) const = default;
};

enum class CertificateStoreLocation { kCurrentUser, kLocalMachine };
enum class CertificateSearchMethod {
  kFindBySubjectName,
  kFindByThumbprint,
  kFindByIssuerName,
  kFindBySerialNumber,
};
enum class CsrfTokenHandling { kAuto, kAlways, kNever };
enum class OperationHttpMethod { kGet, kPost };

/// Validated values of every service key; defaults where none was given. Immutable in use.
struct ServiceKeys {
  std::string serviceUrl;
  std::optional<std::string> metadataUrlOrFilePath;
  bool serializationCompress = false;
  bool serializationIncludeAllTypes = true;
  bool includeNonSerializedProperties = false;
  bool namesAppendPropertyTypes = true;
  bool namesUseMethodFullName = true;
  bool debuggingEnabled = false;
  bool addHttpRequestHeaderProperty = false;
  bool addHttpResponseHeaderProperty = false;
  bool ignoreErrorWhenRecordNotFound = false;
  bool ignoreUnmappableProperties = false;
  bool usePostTunneling = false;
  OperationHttpMethod defaultHttpMethodForServiceOperations = OperationHttpMethod::kPost;
  bool addQueryOptionsProperty = false;
  std::vector<HttpHeader> defaultHttpRequestHeaders;
  bool handleServiceOperationFilters = false;
  bool addNavigationPropertiesToListMethods = false;
  std::string certificateStoreName = "My";
  CertificateStoreLocation certificateStoreLocation = CertificateStoreLocation::kCurrentUser;
  CertificateSearchMethod certificateSearchMethod = CertificateSearchMethod::kFindBySubjectName;
  std::optional<std::string> certificateSearchValue;
  std::vector<std::string> excludeQueryParameters;
  std::chrono::seconds requestTimeout{100};
  /// The forward proxy of this instance's requests, instead of the broker's (httpProxy,
  /// httpsProxy): unset → the broker's; "direct" → none; else a proxy URL.
  std::optional<std::string> proxyUrl;
  bool followNextLinks = true;
  std::int64_t maxRows = 100000;
  CsrfTokenHandling csrfTokenHandling = CsrfTokenHandling::kAuto;
  int retryCount = 2;

  /// Validates `values` (key name → value as text; booleans "true"/"false", lists
  /// comma-separated, the header list as a JSON array of {"Name","Value"} objects or
  /// "Name: Value" lines). Throws core::Error(kInvalidArgument) naming the key for an unknown
  /// key, a bad value or a missing serviceUrl.
  static ServiceKeys parse(std::span<const std::pair<std::string, std::string>> values);

  /// Defaults only, with the given service URL (no validation of the URL).
  static ServiceKeys defaults(std::string serviceUrl);
};

}  // namespace config
