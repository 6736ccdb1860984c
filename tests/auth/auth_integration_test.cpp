// Every auth mode and client certificates against real parts: the demo service behind nginx
// (TLS with ssl_verify_client, auth_basic, auth_request to a real OAuth 2.0 server from npm),
// certificates made by the test. Instances are opened as the registry opens them (metadata
// through the same transport), then called.
#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <simdjson.h>

#include <filesystem>
#include <fstream>
#include <sstream>
#include <thread>

#include "broker/core/error.h"
#include "broker/core/text.h"
#include "broker/engine/executor.h"
#include "broker/engine/instance.h"
#include "broker_process.h"
#include "broker_support.h"
#include "config/service_keys.h"
#include "demo_peer.h"
#include "nginx_peer.h"
#include "test_pki.h"

namespace broker::testing {
namespace {

using ::testing::HasSubstr;
using Kind = CertificateSpec::Kind;
namespace fs = std::filesystem;

constexpr const char* kClientSecret = "oauth-client-S3cret";
constexpr int kTokenLifetime = 4;  // seconds: renewal is seen within a test

class Sink : public engine::RowSink {
 public:
  void row(const engine::Row&) override { ++rows; }
  int rows = 0;
};

// Token requests and rejected tokens the OAuth server counted.
struct OAuthStats {
  std::int64_t tokens = 0;
  std::int64_t rejected = 0;
  std::int64_t refreshGrants = 0;
  std::int64_t postAuthentications = 0;
  std::string lastScope;
};

class AuthIntegrationTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    dir_ = fs::temp_directory_path() / ("auth-integration-" + std::to_string(::getpid()));
    context_.certificates = {dir_ / "machine", dir_ / "user"};
    ca_ = issueCertificate(
        {"OData Broker Test CA", "OData Broker Tests", 1, -3600, 86400, Kind::kAuthority});
    const Issued other =
        issueCertificate({"Other Test CA", "Elsewhere", 2, -3600, 86400, Kind::kAuthority});
    const Issued server = issueCertificate(
        {"localhost", "OData Broker Tests", 10, -3600, 86400, Kind::kServer}, &ca_);
    client_ = issueCertificate(
        {"Broker Client", "OData Broker Tests", 0x2001, -3600, 86400, Kind::kClient}, &ca_);
    const fs::path my = context_.certificates.localMachine / "My";
    writePem(context_.certificates.localMachine / "Root" / "ca.pem", ca_, false);
    writePem(my / "client.pem", client_, true);
    writePem(
        my / "expired.pem",
        issueCertificate(
            {"Expired Client", "OData Broker Tests", 0x2002, -864000, -86400, Kind::kClient}, &ca_),
        true);
    writePem(my / "stranger.pem",
             issueCertificate({"Stranger Client", "Elsewhere", 0x2003, -3600, 86400, Kind::kClient},
                              &other),
             true);
    caFile_ = (dir_ / "ca.pem").string();
    writePem(caFile_, ca_, false);

    demo_ = std::make_unique<DemoPeer>();
    oauth_ = std::make_unique<OAuthPeer>(kClientSecret, kTokenLifetime);
    nginx_ = std::make_unique<NginxPeer>(NginxSetup{demo_->origin(), oauth_->origin(), server,
                                                    ca_.certificatePem, "alice", "alice-pw"});
  }
  static void TearDownTestSuite() {
    nginx_.reset();
    oauth_.reset();
    demo_.reset();
    fs::remove_all(dir_);
  }

  static config::ServiceKeys keys(const std::string& origin,
                                  std::vector<std::pair<std::string, std::string>> more = {}) {
    more.emplace_back("serviceUrl", origin + "/odata/v4/demo/");
    return config::ServiceKeys::parse(more);
  }
  static std::shared_ptr<const engine::Instance> open(const config::ServiceKeys& k,
                                                      const config::AuthSettings& auth,
                                                      const std::string& caller = {}) {
    return engine::openInstance("t", k, engine::transportFor(k, auth, context_), caller);
  }
  static int load(const engine::Instance& instance, const std::string& caller = {}) {
    Sink sink;
    engine::CallRequest request{.object = "Products", .method = "Load"};
    request.inputs = {{"ID", odata::Value::number("1")}};
    request.callerAuthorization = caller;
    engine::execute(instance, request, sink);
    return sink.rows;
  }
  static core::Error failure(const std::function<void()>& action) {
    try {
      action();
    } catch (const core::Error& e) {
      return e;
    }
    ADD_FAILURE() << "no error";
    return core::Error(core::ErrorCode::kInternal, "");
  }
  static OAuthStats stats() {
    auto transport = odata::makeHttpTransport({});
    odata::HttpRequest request;
    request.url = oauth_->origin() + "/__peer/stats";
    std::string body = transport->send(request).body;
    simdjson::dom::parser parser;
    simdjson::dom::element json = parser.parse(body);
    OAuthStats s;
    s.tokens = json["tokens"].get_int64();
    s.rejected = json["rejected"].get_int64();
    std::int64_t n = 0;
    if (json["grants"]["refresh_token"].get(n) == simdjson::SUCCESS) s.refreshGrants = n;
    if (json["clientAuthentication"]["post"].get(n) == simdjson::SUCCESS) {
      s.postAuthentications = n;
    }
    simdjson::dom::array scopes = json["scopes"];
    if (scopes.size() > 0)
      s.lastScope = std::string(std::string_view(scopes.at(scopes.size() - 1)));
    return s;
  }
  static void oauthPost(const std::string& path, std::string* body = nullptr) {
    auto transport = odata::makeHttpTransport({});
    odata::HttpRequest request;
    request.method = "POST";
    request.url = oauth_->origin() + path;
    const odata::HttpResponse response = transport->send(request);
    if (body != nullptr) *body = response.body;
  }
  static config::AuthSettings oauthSettings() {
    config::AuthSettings auth;
    auth.mode = config::AuthMode::kOAuth;
    auth.tokenUrl = oauth_->tokenUrl();
    auth.clientId = "broker";
    auth.clientSecret = kClientSecret;
    auth.scope = "odata.read";
    return auth;
  }
  static config::ServiceKeys certificateKeys(const std::string& url, const std::string& method,
                                             const std::string& value) {
    return keys(url, {{"certificateStoreLocation", "LocalMachine"},
                      {"certificateSearchMethod", method},
                      {"certificateSearchValue", value}});
  }
  static config::AuthSettings trusting() {
    config::AuthSettings auth;
    auth.caBundleFile = caFile_;
    return auth;
  }

  static fs::path dir_;
  static engine::ConnectionContext context_;
  static Issued ca_, client_;
  static std::string caFile_;
  static std::unique_ptr<DemoPeer> demo_;
  static std::unique_ptr<OAuthPeer> oauth_;
  static std::unique_ptr<NginxPeer> nginx_;
};

fs::path AuthIntegrationTest::dir_;
engine::ConnectionContext AuthIntegrationTest::context_;
Issued AuthIntegrationTest::ca_, AuthIntegrationTest::client_;
std::string AuthIntegrationTest::caFile_;
std::unique_ptr<DemoPeer> AuthIntegrationTest::demo_;
std::unique_ptr<OAuthPeer> AuthIntegrationTest::oauth_;
std::unique_ptr<NginxPeer> AuthIntegrationTest::nginx_;

TEST_F(AuthIntegrationTest, StaticBasicCredentials) {
  config::AuthSettings auth;
  auth.mode = config::AuthMode::kStatic;
  auth.username = "alice";
  auth.password = "alice-pw";
  EXPECT_EQ(load(*open(keys(nginx_->basic()), auth)), 1);
  auth.password = "wrong";
  const core::Error refused = failure([&] { open(keys(nginx_->basic()), auth); });
  EXPECT_EQ(refused.code(), core::ErrorCode::kUpstreamFailure);
  EXPECT_THAT(refused.message(), HasSubstr("refused this instance's credentials (401)"));
  // Without credentials the front refuses too: the peer enforces Basic.
  EXPECT_THAT(failure([&] { open(keys(nginx_->basic()), {}); }).message(), HasSubstr("401"));
}

TEST_F(AuthIntegrationTest, ServiceAccount) {
  config::AuthSettings auth;
  auth.mode = config::AuthMode::kServiceAccount;
  engine::ConnectionContext withAccount = context_;
  withAccount.serviceAccount = {"alice", "alice-pw"};
  const auto k = keys(nginx_->basic());
  auto instance = engine::openInstance("t", k, engine::transportFor(k, auth, withAccount));
  EXPECT_EQ(load(*instance), 1);
  EXPECT_THAT(failure([&] { engine::transportFor(k, auth, context_); }).message(),
              HasSubstr("has no service account"));
}

TEST_F(AuthIntegrationTest, ImpersonateAndSsoForwardTheCallersCredentials) {
  const std::string alice = "Basic " + core::base64Encode("alice:alice-pw");
  for (const config::AuthMode mode : {config::AuthMode::kImpersonate, config::AuthMode::kSso}) {
    config::AuthSettings auth;
    auth.mode = mode;
    auto instance = open(keys(nginx_->basic()), auth, alice);
    EXPECT_EQ(load(*instance, alice), 1);
    const core::Error none = failure([&] { load(*instance); });
    EXPECT_EQ(none.code(), core::ErrorCode::kUnauthenticated);
    EXPECT_THAT(none.message(), HasSubstr("auth mode '" + std::string(config::toString(mode)) +
                                          "' forwards the caller's own credentials"));
    EXPECT_THAT(failure([&] { load(*instance, "Basic " + core::base64Encode("eve:x")); }).message(),
                HasSubstr("401"));
  }
}

TEST_F(AuthIntegrationTest, OAuthTokensAreCachedRenewedAndShared) {
  const OAuthStats before = stats();
  auto instance = open(keys(nginx_->oauth()), oauthSettings());  // metadata: the first token
  for (int i = 0; i < 3; ++i) EXPECT_EQ(load(*instance), 1);
  OAuthStats now = stats();
  EXPECT_EQ(now.tokens - before.tokens, 1) << "one token for the metadata and three calls";
  EXPECT_EQ(now.lastScope, "odata.read");

  // Renewed before it expires (a tenth of its life early): no call is refused on the way.
  std::this_thread::sleep_for(std::chrono::milliseconds(kTokenLifetime * 1000 - 250));
  EXPECT_EQ(load(*instance), 1);
  const OAuthStats renewed = stats();
  EXPECT_EQ(renewed.tokens - now.tokens, 1);
  EXPECT_EQ(renewed.rejected, now.rejected);

  // A token the server no longer knows: one 401, a fresh token, the call succeeds.
  oauthPost("/__peer/revoke");
  EXPECT_EQ(load(*instance), 1);
  const OAuthStats retried = stats();
  EXPECT_EQ(retried.tokens - renewed.tokens, 1);
  EXPECT_EQ(retried.rejected - renewed.rejected, 1);
}

TEST_F(AuthIntegrationTest, ConcurrentCallsShareOneTokenRequest) {
  // Metadata from a file: the first upstream requests are the calls themselves.
  const std::string metadata = (sourceDir() / "samples" / "metadata" / "demo-v4.xml").string();
  auto instance =
      open(keys(nginx_->oauth(), {{"metadataUrlOrFilePath", metadata}}), oauthSettings());
  const OAuthStats before = stats();
  std::vector<std::thread> threads;
  std::atomic<int> loaded{0};
  for (int i = 0; i < 8; ++i) {
    threads.emplace_back([&] { loaded += load(*instance); });
  }
  for (std::thread& t : threads) t.join();
  EXPECT_EQ(loaded.load(), 8);
  EXPECT_EQ(stats().tokens - before.tokens, 1);
}

TEST_F(AuthIntegrationTest, OAuthClientAuthenticationInTheFormAndRefreshTokens) {
  config::AuthSettings post = oauthSettings();
  post.clientAuthentication = "post";
  const OAuthStats before = stats();
  EXPECT_EQ(load(*open(keys(nginx_->oauth()), post)), 1);
  EXPECT_EQ(stats().postAuthentications - before.postAuthentications, 1);

  std::string minted;
  oauthPost("/__peer/refresh-token", &minted);
  simdjson::dom::parser parser;
  config::AuthSettings refresh = oauthSettings();
  refresh.refreshToken = std::string(std::string_view(parser.parse(minted)["refresh_token"]));
  EXPECT_EQ(load(*open(keys(nginx_->oauth()), refresh)), 1);
  EXPECT_EQ(stats().refreshGrants - before.refreshGrants, 1);

  config::AuthSettings wrong = oauthSettings();
  wrong.clientSecret = "not-the-secret";
  const core::Error refused = failure([&] { open(keys(nginx_->oauth()), wrong); });
  EXPECT_EQ(refused.code(), core::ErrorCode::kUpstreamFailure);
  EXPECT_THAT(refused.message(), HasSubstr("oauth: the token endpoint " + oauth_->tokenUrl() +
                                           " answered 401: invalid_client"));
  EXPECT_THAT(refused.message(), ::testing::Not(HasSubstr("not-the-secret")));
  // Without a token the front refuses.
  EXPECT_THAT(failure([&] { open(keys(nginx_->oauth()), {}); }).message(), HasSubstr("401"));
}

TEST_F(AuthIntegrationTest, ClientCertificatesByEverySearchMethod) {
  for (const auto& [method, value] : std::vector<std::pair<std::string, std::string>>{
           {"FindBySubjectName", "broker client"},
           {"FindByThumbprint",
            client_.thumbprint.substr(0, 10) + " " + client_.thumbprint.substr(10)},
           {"FindByIssuerName", "OData Broker Test CA"},
           {"FindBySerialNumber", "2001"}}) {
    // The TLS front requires the client certificate for metadata and calls alike.
    auto instance = open(certificateKeys(nginx_->mtls(), method, value), trusting());
    EXPECT_EQ(load(*instance), 1) << method;
  }
}

TEST_F(AuthIntegrationTest, ClientCertificateFailuresAreClear) {
  const auto message = [&](const std::string& method, const std::string& value) {
    return failure([&] { open(certificateKeys(nginx_->mtls(), method, value), trusting()); })
        .message();
  };
  EXPECT_THAT(message("FindBySubjectName", "Expired Client"), HasSubstr("expired on"));
  EXPECT_THAT(message("FindBySubjectName", "Stranger"),
              HasSubstr("does not chain to a trusted root"));
  EXPECT_THAT(message("FindBySubjectName", "Nobody"),
              HasSubstr("client certificate FindBySubjectName 'Nobody' in the LocalMachine "
                        "store My"));
  // No certificate at all: the front refuses the handshake's outcome with 400.
  const core::Error none = failure([&] { open(keys(nginx_->mtls()), trusting()); });
  EXPECT_THAT(none.details(), ::testing::Contains("upstream status 400"));
}

TEST_F(AuthIntegrationTest, TlsIsVerifiedWithSniAndHostNames) {
  // The test CA is not a system CA: without the bundle the server certificate is refused.
  const core::Error untrusted = failure([&] { open(keys(nginx_->tls()), {}); });
  EXPECT_EQ(untrusted.code(), core::ErrorCode::kUpstreamFailure);
  EXPECT_EQ(load(*open(keys(nginx_->tls()), trusting())), 1);
  config::AuthSettings skip;
  skip.skipTlsVerification = true;
  EXPECT_EQ(load(*open(keys(nginx_->tls()), skip)), 1);
  // SNI: by name the client reaches the localhost server; by address (no SNI) only the
  // default server, which answers 421.
  const core::Error byAddress = failure([&] {
    open(certificateKeys(nginx_->mtlsByAddress(), "FindBySubjectName", "Broker Client"),
         trusting());
  });
  EXPECT_THAT(byAddress.details(), ::testing::Contains("upstream status 421"));
}

std::string fileText(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

// Through the REST API of a broker process: every secret it is given (instance passwords,
// client secrets, refresh tokens, key passphrases, credential headers, the service account,
// a caller's forwarded credentials) is used, and none appears in any response, in the log
// (at debug level) or in the store.
TEST_F(AuthIntegrationTest, NoSecretInLogsResponsesOrTheStore) {
  const fs::path data = dir_ / "broker";
  fs::create_directories(data / "certificates");
  fs::copy(context_.certificates.localMachine, data / "certificates", fs::copy_options::recursive);
  const std::string passphrase = "p12-S3cret-passphrase";
  writePkcs12(
      data / "certificates" / "My" / "bundled.p12",
      issueCertificate(
          {"Bundled Client", "OData Broker Tests", 0x2010, -3600, 86400, Kind::kClient}, &ca_),
      passphrase);
  std::ofstream(dir_ / "broker.properties")
      << "serviceAccountUsername = alice\nserviceAccountPassword = alice-pw\nlogLevel = debug\n";
  std::string minted;
  oauthPost("/__peer/refresh-token", &minted);
  simdjson::dom::parser parser;
  const std::string refreshToken(std::string_view(parser.parse(minted)["refresh_token"]));
  const std::string headerSecret = "hdr-S3cret-value";
  const std::string alice = "Basic " + core::base64Encode("alice:alice-pw");
  const std::vector<std::string> secrets = {"alice-pw",    core::base64Encode("alice:alice-pw"),
                                            kClientSecret, refreshToken,
                                            passphrase,    headerSecret};

  BrokerProcess broker(data, {"--config", (dir_ / "broker.properties").string()});
  std::vector<Reply> replies;
  const auto request = [&](const std::string& method, const std::string& path,
                           const std::string& body = {}, const Headers& headers = {}) {
    replies.push_back(httpRequest(broker.url(), method, path, body, headers));
    return replies.back();
  };
  const auto registration = [](const std::string& name, const std::string& url,
                               const std::string& keys, const std::string& auth) {
    return R"({"name": ")" + name + R"(", "serviceKeys": {"serviceUrl": ")" + url +
           R"(/odata/v4/demo/")" + keys + R"(}, "auth": )" + auth + "}";
  };
  const std::string oauthAuth = R"({"mode": "oauth", "tokenUrl": ")" + oauth_->tokenUrl() +
                                R"(", "clientId": "broker", "clientSecret": ")" + kClientSecret +
                                R"(", "refreshToken": ")" + refreshToken + R"("})";
  const std::vector<std::pair<std::string, std::string>> instances = {
      {"basic", registration("basic", nginx_->basic(),
                             R"(, "defaultHttpRequestHeaders": [{"Name": "X-Api-Key", "Value": ")" +
                                 headerSecret + R"("}])",
                             R"({"mode": "static", "username": "alice", "password": "alice-pw"})")},
      {"account", registration("account", nginx_->basic(), "", R"({"mode": "serviceAccount"})")},
      {"oauth", registration("oauth", nginx_->oauth(), "", oauthAuth)},
      {"cert",
       registration(
           "cert", nginx_->mtls(),
           R"(, "certificateStoreLocation": "LocalMachine", "certificateSearchValue": "Bundled")",
           R"({"mode": "none", "certificateKeyPassphrase": ")" + passphrase +
               R"(", "caBundleFile": ")" + caFile_ + R"("})")},
      {"imp", registration("imp", nginx_->basic(), "", R"({"mode": "impersonate"})")},
  };
  const Headers forward = {{"X-Upstream-Authorization", alice}};
  for (const auto& [name, body] : instances) {
    const Reply registered = request("POST", "/api/v1/instances", body, forward);
    ASSERT_EQ(registered.status, 201) << name << ": " << registered.body;
    const Reply loaded =
        request("POST", "/api/v1/instances/" + name + "/objects/Products/methods/Load",
                R"({"inputs": {"ID": 1}})", forward);
    EXPECT_EQ(loaded.status, 200) << name << ": " << loaded.body;
    request("GET", "/api/v1/instances/" + name);
  }
  // Failures too: a wrong client secret, a call without the forwarded credentials.
  const std::string wrong = registration("wrong", nginx_->oauth(), "",
                                         R"({"mode": "oauth", "tokenUrl": ")" + oauth_->tokenUrl() +
                                             R"(", "clientId": "broker", "clientSecret": "x"})");
  EXPECT_EQ(request("POST", "/api/v1/instances", wrong).status, 502);
  EXPECT_EQ(request("POST", "/api/v1/instances/imp/objects/Products/methods/Load",
                    R"({"inputs": {"ID": 1}})")
                .status,
            401);
  request("GET", "/api/v1/instances");
  request("GET", "/metrics");
  broker.stop(SIGTERM);

  const std::string log = broker.log();
  EXPECT_THAT(log, HasSubstr("client certificate for"));  // the log did speak of them
  const std::string store = fileText(data / "broker.db") + fileText(data / "broker.db-wal");
  for (const std::string& secret : secrets) {
    for (const Reply& reply : replies) {
      EXPECT_THAT(reply.body, ::testing::Not(HasSubstr(secret))) << reply.body;
    }
    EXPECT_THAT(log, ::testing::Not(HasSubstr(secret)));
    EXPECT_THAT(store, ::testing::Not(HasSubstr(secret)));
  }
}

}  // namespace
}  // namespace broker::testing
