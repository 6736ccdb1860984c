// Requests through a real forward proxy (tinyproxy from Debian, with proxy authentication):
// plain http relayed, https tunnelled by CONNECT to nginx's TLS front with the service's
// certificate still verified, the broker's proxies and an instance's own, noProxy, and a wrong
// proxy password answered with an error that says so.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <filesystem>

#include "broker/core/error.h"
#include "broker/engine/executor.h"
#include "broker/engine/instance.h"
#include "demo_peer.h"
#include "nginx_peer.h"
#include "proxy_peer.h"
#include "test_pki.h"

namespace broker::testing {
namespace {

namespace fs = std::filesystem;
using ::testing::HasSubstr;
using Kind = CertificateSpec::Kind;

constexpr const char* kUser = "broker";
constexpr const char* kPassword = "pr0xyPassw0rd";

class CountingSink : public engine::RowSink {
 public:
  void row(const engine::Row&) override { ++rows; }
  int rows = 0;
};

class ProxyIntegrationTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    dir_ = fs::temp_directory_path() / ("proxy-integration-" + std::to_string(::getpid()));
    fs::create_directories(dir_);
    const Issued ca = issueCertificate(
        {"Proxy Test CA", "OData Broker Tests", 1, -3600, 86400, Kind::kAuthority});
    const Issued server =
        issueCertificate({"localhost", "OData Broker Tests", 10, -3600, 86400, Kind::kServer}, &ca);
    caFile_ = (dir_ / "ca.pem").string();
    writePem(caFile_, ca, false);
    demo_ = std::make_unique<DemoPeer>();
    nginx_ = std::make_unique<NginxPeer>(
        NginxSetup{demo_->origin(), demo_->origin(), server, ca.certificatePem, "u", "p"});
    proxy_ = std::make_unique<ProxyPeer>(kUser, kPassword);
  }
  static void TearDownTestSuite() {
    proxy_.reset();
    nginx_.reset();
    demo_.reset();
    fs::remove_all(dir_);
  }

  static config::ProxyUrl proxyWith(const std::string& password) {
    config::ProxyUrl proxy = config::parseProxyUrl("http://" + proxy_->hostPort(), "test");
    proxy.username = kUser;
    proxy.password = password;
    return proxy;
  }
  static engine::ConnectionContext through(const std::string& password,
                                           const std::string& noProxy = "") {
    engine::ConnectionContext context;
    context.proxy.http = proxyWith(password);
    context.proxy.https = proxyWith(password);
    context.proxy.noProxy = noProxy;
    return context;
  }
  // Opens the instance (its $metadata through the proxy) and lists five products.
  static int listThrough(const config::ServiceKeys& keys, const config::AuthSettings& auth,
                         const engine::ConnectionContext& context) {
    auto instance =
        engine::openInstance("proxied", keys, engine::transportFor(keys, auth, context));
    CountingSink sink;
    engine::execute(*instance, {.object = "Products", .method = "List", .top = 5}, sink);
    return sink.rows;
  }
  static config::ServiceKeys keys(const std::string& url,
                                  std::vector<std::pair<std::string, std::string>> more = {}) {
    more.emplace_back("serviceUrl", url);
    more.emplace_back("retryCount", "0");
    return config::ServiceKeys::parse(more);
  }
  static config::AuthSettings trusting() {
    config::AuthSettings auth;
    auth.caBundleFile = caFile_;
    return auth;
  }
  // How many requests for `what` the proxy relayed since the last call.
  static int relayed(const std::string& what) {
    const std::string log = proxy_->log();
    int count = 0;
    for (std::size_t at = log.find(what, seen_); at != std::string::npos;
         at = log.find(what, at + 1)) {
      ++count;
    }
    seen_ = log.size();
    return count;
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

  static fs::path dir_;
  static std::string caFile_;
  static std::unique_ptr<DemoPeer> demo_;
  static std::unique_ptr<NginxPeer> nginx_;
  static std::unique_ptr<ProxyPeer> proxy_;
  static std::size_t seen_;
};

fs::path ProxyIntegrationTest::dir_;
std::string ProxyIntegrationTest::caFile_;
std::unique_ptr<DemoPeer> ProxyIntegrationTest::demo_;
std::unique_ptr<NginxPeer> ProxyIntegrationTest::nginx_;
std::unique_ptr<ProxyPeer> ProxyIntegrationTest::proxy_;
std::size_t ProxyIntegrationTest::seen_ = 0;

TEST_F(ProxyIntegrationTest, PlainHttpGoesThroughTheBrokersProxy) {
  relayed("");
  EXPECT_EQ(listThrough(keys(demo_->v4()), {}, through(kPassword)), 5);
  EXPECT_GE(relayed("GET " + demo_->v4()), 2);  // $metadata and the list, by absolute URI
}

TEST_F(ProxyIntegrationTest, HttpsIsTunnelledAndTheServiceStillVerified) {
  const std::string url = nginx_->tls() + "/odata/v4/demo/";
  relayed("");
  EXPECT_EQ(listThrough(keys(url), trusting(), through(kPassword)), 5);
  EXPECT_GE(relayed("CONNECT localhost:"), 1);
  // Through the tunnel the certificate is still the service's to prove.
  const core::Error untrusted = failure([&] { listThrough(keys(url), {}, through(kPassword)); });
  EXPECT_THAT(untrusted.message(), ::testing::Not(HasSubstr("proxy")));
}

TEST_F(ProxyIntegrationTest, AWrongProxyPasswordIsToldAsSuch) {
  // A CONNECT the proxy refuses names the proxy and what to check.
  const std::string tls = nginx_->tls() + "/odata/v4/demo/";
  const core::Error tunnel = failure([&] { listThrough(keys(tls), trusting(), through("wrong")); });
  EXPECT_EQ(tunnel.code(), core::ErrorCode::kUpstreamFailure);
  EXPECT_THAT(tunnel.message(), HasSubstr("the proxy http://" + proxy_->hostPort() +
                                          " would not open a tunnel to localhost:"));
  EXPECT_THAT(tunnel.message(), HasSubstr("check the proxy's user name and password"));
  EXPECT_THAT(tunnel.message(), ::testing::Not(HasSubstr("wrong")));  // no password shown
  // Plain http: tinyproxy refuses wrong credentials with 401 (others with 407), which could be
  // the service's own; the message says the proxy may be the one.
  const core::Error plain = failure([&] { listThrough(keys(demo_->v4()), {}, through("wrong")); });
  EXPECT_EQ(plain.code(), core::ErrorCode::kUpstreamFailure);
  EXPECT_THAT(plain.message(), HasSubstr("forward proxy, which may be the one refusing"));
}

TEST_F(ProxyIntegrationTest, AnInstancesOwnProxyAndNoProxy) {
  // proxyUrl with the credentials in auth, over the broker's (wrong) proxy.
  config::AuthSettings auth;
  auth.proxyUsername = kUser;
  auth.proxyPassword = kPassword;
  relayed("");
  EXPECT_EQ(listThrough(keys(demo_->v4(), {{"proxyUrl", "http://" + proxy_->hostPort()}}), auth,
                        through("wrong")),
            5);
  EXPECT_GE(relayed("GET " + demo_->v4()), 2);
  // "direct", and a host noProxy lists, go around it.
  EXPECT_EQ(listThrough(keys(demo_->v4(), {{"proxyUrl", "direct"}}), {}, through("wrong")), 5);
  EXPECT_EQ(listThrough(keys(demo_->v4()), {}, through("wrong", "localhost, 127.0.0.1")), 5);
  EXPECT_EQ(relayed("GET " + demo_->v4()), 0);
}

}  // namespace
}  // namespace broker::testing
