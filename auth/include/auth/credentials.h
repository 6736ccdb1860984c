// The credentials an instance's requests carry, by auth mode (API.md §4): none; static (HTTP
// Basic with the instance's own credentials); serviceAccount (the broker's own credentials);
// oauth (a bearer token from a token endpoint, by client credentials or a refresh token,
// cached and renewed before it expires; one renewal after a 401); impersonate and sso (the
// caller's own Authorization, forwarded). The HTTP transport asks a provider before each
// request (broker/odata decorates itself with one); a token request goes through a poster the
// transport provides.
#pragma once

#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "config/instance.h"

namespace broker::auth {

/// The broker's own credentials for instances in mode serviceAccount (from its settings).
struct ServiceAccount {
  std::string username;
  std::string password;
};

/// A request to a token endpoint: POST of a form.
struct TokenRequest {
  std::string url;
  std::vector<std::pair<std::string, std::string>> headers;
  std::string form;  ///< application/x-www-form-urlencoded
};

struct TokenResponse {
  int status = 0;
  std::string body;
};

/// Sends a token request; throws core::Error when no answer came.
using TokenPoster = std::function<TokenResponse(const TokenRequest&)>;

class CredentialProvider {
 public:
  virtual ~CredentialProvider() = default;
  /// The Authorization header value for the next request ("" for none). `caller` is the
  /// caller's own Authorization, for the forwarding modes. Throws core::Error:
  /// kUnauthenticated when the mode forwards and the caller sent none; kUpstreamFailure when a
  /// token endpoint refuses or fails (naming it and its error).
  virtual std::string authorization(std::string_view caller) = 0;
  /// Called after a 401 to a request sent with `used`: whether fresh credentials may be
  /// obtained, so that one retry is worth it.
  virtual bool renew(std::string_view used) = 0;
};

/// The provider for `settings`. Throws core::Error(kInvalidArgument) naming what is missing
/// (serviceAccount without a service account configured).
std::shared_ptr<CredentialProvider> makeCredentialProvider(const config::AuthSettings& settings,
                                                           const ServiceAccount& serviceAccount,
                                                           TokenPoster poster);

}  // namespace broker::auth
