// A service instance's definition as registered (API.md §4): its name, its service keys as
// given and validated, and its authentication settings. The JSON form is what the REST API
// takes and shows and what the store keeps; secrets pass through a transform on the way in
// and out (masked for the API, encrypted for the store).
#pragma once

#include <functional>
#include <span>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "broker/core/json_writer.h"
#include "config/service_keys.h"

namespace config {

enum class AuthMode { kNone, kStatic, kServiceAccount, kOAuth, kImpersonate, kSso };

/// "none", "static", "serviceAccount", "oauth", "impersonate", "sso".
std::string_view toString(AuthMode mode) noexcept;

struct AuthSettings {
  AuthMode mode = AuthMode::kNone;
  std::string username;
  std::string password;  ///< secret
  std::string tokenUrl;
  std::string clientId;
  std::string clientSecret;  ///< secret
  std::string refreshToken;  ///< secret
  std::string scope;
  std::string audience;              ///< oauth: sent as `audience` when set
  std::string clientAuthentication;  ///< oauth: "basic" (default, client_secret_basic) or "post"
  std::string certificateKeyPassphrase;  ///< secret
  std::string caBundleFile;  ///< PEM CAs to trust for this instance's TLS instead of the system's
  bool skipTlsVerification = false;  ///< accept any server certificate (logged loudly)
  std::string proxyUsername;         ///< for the proxy this instance's requests go through
  std::string proxyPassword;         ///< secret
};

/// One member of the auth object besides `mode`, for forms and the service-type schema.
struct AuthFieldDefinition {
  std::string_view name;
  std::string_view type;   ///< "string", "secret" (write-only) or "boolean"
  std::string_view modes;  ///< the modes that use it, comma-separated; "*": every mode
  std::string_view description;
};

/// Every auth member besides `mode`, in the order a form shows them.
std::span<const AuthFieldDefinition> authFieldSchema();

/// What the API shows in place of a secret; sent back unchanged on PUT it keeps the secret.
inline constexpr std::string_view kSecretMask = "********";

/// Maps a secret on its way out of or into a definition: `field` names it ("auth.password",
/// "serviceKeys.defaultHttpRequestHeaders.Authorization"), `value` is never empty.
using SecretTransform = std::function<std::string(std::string_view field, std::string_view value)>;

/// True for header names whose values are credentials (Authorization, Cookie, API keys, …).
bool isSecretHeader(std::string_view name) noexcept;

/// 1 to 100 characters of A-Z a-z 0-9 _ - . starting with a letter or digit: the name is a URL
/// path segment and a log field.
bool isValidInstanceName(std::string_view name) noexcept;

struct InstanceDefinition {
  std::string name;
  std::string description;
  /// The service keys as given, as text (see ServiceKeys::parse), in the order given.
  std::vector<std::pair<std::string, std::string>> serviceKeyValues;
  ServiceKeys keys;  ///< serviceKeyValues parsed
  AuthSettings auth;

  /// Reads {"name", "description"?, "serviceKeys": {...}, "auth": {...}?}. Service-key values
  /// are JSON strings, booleans, numbers, arrays of strings or, for header lists, arrays of
  /// {"Name","Value"}. `readSecret` maps each secret read (e.g. decrypts it). Throws
  /// core::Error(kInvalidArgument) naming the member or key that is wrong.
  static InstanceDefinition fromJson(std::string_view json, const SecretTransform& readSecret);

  /// The JSON form, each secret replaced by `writeSecret`'s result.
  std::string toJson(const SecretTransform& writeSecret) const;
  /// The members of the JSON form, into an object the caller has begun (and may add to).
  void writeMembers(broker::core::JsonWriter& json, const SecretTransform& writeSecret) const;

  /// Where this definition carries kSecretMask (an edit of what the API showed), takes the
  /// secret from `previous`.
  void keepMaskedSecrets(const InstanceDefinition& previous);
};

/// A transform that returns kSecretMask for every secret: what the API shows.
std::string maskSecret(std::string_view field, std::string_view value);
/// A transform that keeps every secret as it is.
std::string keepSecret(std::string_view field, std::string_view value);

}  // namespace config
