#include "auth/credentials.h"

#include <simdjson.h>

#include <chrono>
#include <condition_variable>
#include <mutex>

#include "broker/core/error.h"
#include "broker/core/log.h"
#include "broker/core/text.h"

namespace broker::auth {
namespace {

using core::Error;
using core::ErrorCode;
using Clock = std::chrono::steady_clock;

std::string basic(std::string_view user, std::string_view password) {
  return "Basic " + core::base64Encode(std::string(user) + ":" + std::string(password));
}

// application/x-www-form-urlencoded (RFC 6749 appendix B).
std::string formEncode(std::string_view text) { return core::percentEncode(text); }

class FixedCredentials final : public CredentialProvider {
 public:
  explicit FixedCredentials(std::string authorization) : authorization_(std::move(authorization)) {}
  std::string authorization(std::string_view) override { return authorization_; }
  bool renew(std::string_view) override { return false; }

 private:
  std::string authorization_;
};

class ForwardedCredentials final : public CredentialProvider {
 public:
  explicit ForwardedCredentials(config::AuthMode mode) : mode_(mode) {}
  std::string authorization(std::string_view caller) override {
    if (caller.empty()) {
      throw Error(ErrorCode::kUnauthenticated,
                  "auth mode '" + std::string(config::toString(mode_)) +
                      "' forwards the caller's own credentials, and the call carries none "
                      "(send them as Authorization, or as X-Upstream-Authorization when "
                      "Authorization holds the broker's API key)");
    }
    return std::string(caller);
  }
  bool renew(std::string_view) override { return false; }

 private:
  config::AuthMode mode_;
};

// OAuth 2.0 client credentials or refresh token grant (RFC 6749 §4.4, §6). One token per
// instance, shared by every call; renewed a little before it expires; one thread fetches
// while the others wait for its result.
class OAuthCredentials final : public CredentialProvider {
 public:
  OAuthCredentials(const config::AuthSettings& settings, TokenPoster poster)
      : settings_(settings), poster_(std::move(poster)), refreshToken_(settings.refreshToken) {}

  std::string authorization(std::string_view) override {
    std::unique_lock lock(mutex_);
    while (true) {
      if (!token_.empty() && Clock::now() < renewAt_) return "Bearer " + token_;
      if (!fetching_) break;
      fetched_.wait(lock);
    }
    fetching_ = true;
    lock.unlock();
    try {
      Token fresh = fetch();
      lock.lock();
      token_ = std::move(fresh.access);
      renewAt_ = fresh.renewAt;
      if (!fresh.refresh.empty()) refreshToken_ = std::move(fresh.refresh);
      fetching_ = false;
      fetched_.notify_all();
      return "Bearer " + token_;
    } catch (...) {
      lock.lock();
      fetching_ = false;
      fetched_.notify_all();
      throw;
    }
  }

  bool renew(std::string_view used) override {
    const std::lock_guard lock(mutex_);
    if ("Bearer " + token_ == used) token_.clear();  // else another call renewed it already
    return true;
  }

 private:
  struct Token {
    std::string access;
    std::string refresh;
    Clock::time_point renewAt;
  };

  Token fetch() {
    std::string refresh;
    {
      const std::lock_guard lock(mutex_);
      refresh = refreshToken_;
    }
    TokenRequest request;
    request.url = settings_.tokenUrl;
    request.form = refresh.empty()
                       ? "grant_type=client_credentials"
                       : "grant_type=refresh_token&refresh_token=" + formEncode(refresh);
    if (!settings_.scope.empty()) request.form += "&scope=" + formEncode(settings_.scope);
    if (!settings_.audience.empty()) request.form += "&audience=" + formEncode(settings_.audience);
    if (settings_.clientAuthentication == "post") {
      request.form += "&client_id=" + formEncode(settings_.clientId);
      if (!settings_.clientSecret.empty()) {
        request.form += "&client_secret=" + formEncode(settings_.clientSecret);
      }
    } else {
      // RFC 6749 §2.3.1: the id and secret form-encoded, then Basic.
      request.headers.emplace_back("Authorization", basic(formEncode(settings_.clientId),
                                                          formEncode(settings_.clientSecret)));
    }
    request.headers.emplace_back("Accept", "application/json");
    const TokenResponse response = poster_(request);
    const std::string where = "oauth: the token endpoint " + settings_.tokenUrl;
    simdjson::dom::parser parser;
    simdjson::dom::object body;
    const bool json = parser.parse(response.body).get(body) == simdjson::SUCCESS;
    if (response.status < 200 || response.status > 299) {
      std::string error;
      std::string_view text;
      if (json && body["error"].get(text) == simdjson::SUCCESS) error = text;
      if (json && body["error_description"].get(text) == simdjson::SUCCESS) {
        error += (error.empty() ? "" : ": ") + std::string(text);
      }
      if (error.empty()) error = response.body.substr(0, 200);
      throw Error(ErrorCode::kUpstreamFailure,
                  where + " answered " + std::to_string(response.status) + ": " + error,
                  {"upstream status " + std::to_string(response.status)});
    }
    std::string_view access;
    if (!json || body["access_token"].get(access) != simdjson::SUCCESS || access.empty()) {
      throw Error(ErrorCode::kUpstreamFailure, where + " answered without an access_token");
    }
    Token token;
    token.access = access;
    std::string_view refreshed;
    if (body["refresh_token"].get(refreshed) == simdjson::SUCCESS) token.refresh = refreshed;
    // expires_in (seconds; a number or, from some servers, a string); 5 minutes when absent.
    std::int64_t lifetime = 300;
    std::int64_t number = 0;
    std::string_view digits;
    if (body["expires_in"].get(number) == simdjson::SUCCESS) {
      lifetime = number;
    } else if (body["expires_in"].get(digits) == simdjson::SUCCESS) {
      lifetime = std::atoll(std::string(digits).c_str());
    }
    lifetime = std::max<std::int64_t>(lifetime, 1);
    // Renewed before it expires: a tenth of its life early, at most a minute.
    const auto life = std::chrono::milliseconds(lifetime * 1000);
    token.renewAt = Clock::now() + life -
                    std::min<std::chrono::milliseconds>(life / 10, std::chrono::minutes(1));
    core::log(core::LogLevel::kDebug, "oauth: a token from " + settings_.tokenUrl + " for " +
                                          std::to_string(lifetime) + " s");
    return token;
  }

  config::AuthSettings settings_;
  TokenPoster poster_;
  std::mutex mutex_;
  std::condition_variable fetched_;
  bool fetching_ = false;
  std::string token_;
  Clock::time_point renewAt_;
  std::string refreshToken_;  // the latest one (servers may rotate it)
};

}  // namespace

std::shared_ptr<CredentialProvider> makeCredentialProvider(const config::AuthSettings& settings,
                                                           const ServiceAccount& serviceAccount,
                                                           TokenPoster poster) {
  using config::AuthMode;
  switch (settings.mode) {
    case AuthMode::kNone:
      return std::make_shared<FixedCredentials>("");
    case AuthMode::kStatic:
      return std::make_shared<FixedCredentials>(basic(settings.username, settings.password));
    case AuthMode::kServiceAccount:
      if (serviceAccount.username.empty()) {
        throw Error(ErrorCode::kInvalidArgument,
                    "auth.mode 'serviceAccount': this broker has no service account (settings "
                    "serviceAccountUsername and serviceAccountPassword)");
      }
      return std::make_shared<FixedCredentials>(
          basic(serviceAccount.username, serviceAccount.password));
    case AuthMode::kOAuth:
      return std::make_shared<OAuthCredentials>(settings, std::move(poster));
    case AuthMode::kImpersonate:
    case AuthMode::kSso:
      return std::make_shared<ForwardedCredentials>(settings.mode);
  }
  return std::make_shared<FixedCredentials>("");
}

}  // namespace broker::auth
