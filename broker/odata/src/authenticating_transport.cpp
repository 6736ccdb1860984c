#include "broker/odata/authenticating_transport.h"

#include "broker/core/error.h"
#include "broker/core/text.h"

namespace broker::odata {
namespace {

class AuthenticatingTransport final : public HttpTransport {
 public:
  AuthenticatingTransport(std::shared_ptr<HttpTransport> inner,
                          std::shared_ptr<auth::CredentialProvider> provider)
      : inner_(std::move(inner)), provider_(std::move(provider)) {}

  HttpResponse send(const HttpRequest& request) override {
    HttpRequest sent = request;
    sent.callerAuthorization.clear();
    std::string used = provider_->authorization(request.callerAuthorization);
    withAuthorization(sent, used);
    HttpResponse response = inner_->send(sent);
    if (response.status == 401 && !used.empty() && provider_->renew(used)) {
      std::string fresh = provider_->authorization(request.callerAuthorization);
      if (fresh != used) {
        withAuthorization(sent, fresh);
        response = inner_->send(sent);
      }
    }
    return response;
  }

 private:
  static void withAuthorization(HttpRequest& request, const std::string& authorization) {
    if (authorization.empty()) return;  // mode none: whatever the headers say
    std::erase_if(request.headers,
                  [](const Header& h) { return core::equalsIgnoreCase(h.name, "Authorization"); });
    request.headers.push_back({"Authorization", authorization});
  }

  std::shared_ptr<HttpTransport> inner_;
  std::shared_ptr<auth::CredentialProvider> provider_;
};

}  // namespace

std::shared_ptr<HttpTransport> authenticate(std::shared_ptr<HttpTransport> inner,
                                            std::shared_ptr<auth::CredentialProvider> provider) {
  return std::make_shared<AuthenticatingTransport>(std::move(inner), std::move(provider));
}

auth::TokenPoster tokenPoster(std::shared_ptr<HttpTransport> transport) {
  return [transport = std::move(transport)](const auth::TokenRequest& token) {
    HttpRequest request;
    request.method = "POST";
    request.url = token.url;
    for (const auto& [name, value] : token.headers) request.headers.push_back({name, value});
    request.headers.push_back({"Content-Type", "application/x-www-form-urlencoded"});
    request.body = token.form;
    try {
      const HttpResponse response = transport->send(request);
      return auth::TokenResponse{response.status, response.body};
    } catch (const TransportError& e) {
      throw core::Error(e.kind() == TransportError::Kind::kTimeout
                            ? core::ErrorCode::kUpstreamTimeout
                            : core::ErrorCode::kUpstreamFailure,
                        "oauth: the token endpoint " + token.url + " did not answer: " + e.what());
    }
  };
}

}  // namespace broker::odata
