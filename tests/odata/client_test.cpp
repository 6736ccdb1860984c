// The client's handling of responses, on a scripted transport (the HTTP seam): retries,
// Retry-After, error mapping and messages. Everything that needs a real service is in
// tests/engine against the demo service.
#include "broker/odata/client.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <deque>

#include "broker/core/error.h"

namespace broker::odata {
namespace {

using ::testing::HasSubstr;

class ScriptedTransport : public HttpTransport {
 public:
  HttpResponse send(const HttpRequest& request) override {
    sent.push_back(request);
    if (script.empty()) throw TransportError(TransportError::Kind::kConnection, "refused");
    HttpResponse next = script.front();
    script.pop_front();
    if (next.status == 0) throw TransportError(TransportError::Kind::kTimeout, "timed out");
    return next;
  }
  std::deque<HttpResponse> script;
  std::vector<HttpRequest> sent;
};

using Keys = std::vector<std::pair<std::string, std::string>>;

struct Fixture {
  explicit Fixture(Keys extra = {}, edm::ODataVersion version = edm::ODataVersion::kV4,
                   const std::string& serviceUrl = "http://svc.example/odata/") {
    extra.emplace_back("serviceUrl", serviceUrl);
    transport = std::make_shared<ScriptedTransport>();
    client = std::make_unique<ODataClient>(config::ServiceKeys::parse(extra), version, transport);
  }
  std::shared_ptr<ScriptedTransport> transport;
  std::unique_ptr<ODataClient> client;
};

core::Error errorOf(ODataClient& client, const Call& call) {
  try {
    client.send(call);
  } catch (const core::Error& e) {
    return e;
  }
  ADD_FAILURE() << "no error";
  return core::Error(core::ErrorCode::kInternal, "");
}

TEST(ClientTest, RetriesIdempotentRequestsHonouringRetryAfter) {
  Fixture f;
  f.transport->script = {
      {503, {{"Retry-After", "0"}}, ""}, {429, {{"Retry-After", "0"}}, ""}, {200, {}, "{}"}};
  EXPECT_EQ(f.client->send({.url = "Products"}).status, 200);
  EXPECT_EQ(f.transport->sent.size(), 3u);
  EXPECT_EQ(f.transport->sent[0].url, "http://svc.example/odata/Products");

  Fixture post;  // POST is not idempotent: no retry
  post.transport->script = {{503, {{"Retry-After", "0"}}, R"x({"error":{"message":"busy"}})x"}};
  const core::Error e = errorOf(*post.client, {.method = "POST", .url = "Products", .body = "{}"});
  EXPECT_EQ(e.code(), core::ErrorCode::kUpstreamFailure);
  EXPECT_EQ(e.message(), "busy");
  EXPECT_THAT(e.details(), ::testing::Contains("upstream status 503"));
  EXPECT_EQ(post.transport->sent.size(), 1u);

  Fixture none(Keys{{"retryCount", "0"}});
  none.transport->script = {{503, {}, ""}};
  EXPECT_EQ(errorOf(*none.client, {.url = "Products"}).code(), core::ErrorCode::kUpstreamFailure);
  EXPECT_EQ(none.transport->sent.size(), 1u);
}

TEST(ClientTest, TheServiceUrlsQueryOptionsTravelOnEveryRequestOfTheService) {
  Fixture f({}, edm::ODataVersion::kV2, "http://svc.example/sap/GW_SRV/?sap-client=100&&x=a b");
  EXPECT_EQ(f.client->serviceRoot(), "http://svc.example/sap/GW_SRV/");
  EXPECT_EQ(f.client->serviceQuery(), "sap-client=100&x=a%20b");
  // Identities stay plain; requests carry the options, merged after the broker's own.
  EXPECT_EQ(f.client->resolve("Items('1')"), "http://svc.example/sap/GW_SRV/Items('1')");
  EXPECT_EQ(f.client->requestUrl("$metadata"),
            "http://svc.example/sap/GW_SRV/$metadata?sap-client=100&x=a%20b");
  EXPECT_EQ(f.client->requestUrl("Items?$top=5&$filter=A%20eq%201"),
            "http://svc.example/sap/GW_SRV/Items?$top=5&$filter=A%20eq%201&sap-client=100&x=a%20b");
  // A next link that already carries one of them does not get it twice.
  EXPECT_EQ(f.client->requestUrl("http://svc.example/sap/GW_SRV/Items?$skiptoken=9&sap-client=100"),
            "http://svc.example/sap/GW_SRV/Items?$skiptoken=9&sap-client=100&x=a%20b");
  // Another service's URL (a metadata override elsewhere) is left alone.
  EXPECT_EQ(f.client->requestUrl("http://other.example/$metadata"),
            "http://other.example/$metadata");
  f.transport->script = {{200, {}, "{}"}};
  f.client->send({.url = "Items('1')/$value"});
  EXPECT_EQ(f.transport->sent.at(0).url,
            "http://svc.example/sap/GW_SRV/Items('1')/$value?sap-client=100&x=a%20b");
}

TEST(ClientTest, LinksTheServiceSentStayOnItsOrigin) {
  Fixture f({}, edm::ODataVersion::kV2, "http://127.0.0.1:4004/odata/v2/demo?sap-client=100");
  // The service calling itself by another name (behind a proxy, localhost): moved back.
  f.transport->script = {{200, {}, "{}"}};
  f.client->send({.url = "http://localhost:4004/odata/v2/demo/Products?$skiptoken=100"});
  EXPECT_EQ(f.transport->sent.at(0).url,
            "http://127.0.0.1:4004/odata/v2/demo/Products?$skiptoken=100&sap-client=100");
  // Elsewhere: refused before anything is sent with the instance's credentials.
  for (const char* link : {"http://attacker.example/collect?d=1", "https://127.0.0.1:4004/x",
                           "http://localhost:4004/other/Products"}) {
    const core::Error error = errorOf(*f.client, {.url = link});
    EXPECT_EQ(error.code(), core::ErrorCode::kUpstreamFailure) << link;
    EXPECT_THAT(error.message(), HasSubstr("another origin")) << link;
  }
  EXPECT_EQ(f.transport->sent.size(), 1u);
  // An administrator's metadata URL may name another origin, and gets no service options.
  f.transport->script = {{200, {}, "<edmx/>"}};
  f.client->send({.url = "http://files.example/meta.xml", .configuredUrl = true});
  EXPECT_EQ(f.transport->sent.at(1).url, "http://files.example/meta.xml");
}

TEST(ClientTest, ConnectionErrorsAndTimeouts) {
  Fixture f(Keys{{"retryCount", "1"}});
  // Two refusals: the first is retried, the second is the error.
  EXPECT_EQ(errorOf(*f.client, {.url = "Products"}).code(), core::ErrorCode::kUpstreamFailure);
  EXPECT_EQ(f.transport->sent.size(), 2u);
  Fixture slow;
  slow.transport->script = {{0, {}, ""}};
  EXPECT_EQ(errorOf(*slow.client, {.url = "Products"}).code(), core::ErrorCode::kUpstreamTimeout);
  EXPECT_EQ(slow.transport->sent.size(), 1u);  // a timeout is not retried
}

TEST(ClientTest, MapsStatusesAndReadsErrorBodiesOfEachVersion) {
  const struct {
    int status;
    const char* body;
    core::ErrorCode code;
    const char* message;
  } cases[] = {
      {404, R"x({"error":{"code":"404","message":"Not found: Products(9)"}})x",
       core::ErrorCode::kNotFound, "Not found: Products(9)"},
      {400, R"x({"error":{"code":"x","message":{"lang":"en","value":"Bad date"}}})x",
       core::ErrorCode::kInvalidArgument, "Bad date"},
      {409, R"x({"odata.error":{"message":{"value":"Exists"}}})x", core::ErrorCode::kConflict,
       "Exists"},
      {412, "", core::ErrorCode::kPreconditionFailed, "changed since its ETag was read"},
      {500, "<error><code>1</code><message>Dump</message></error>",
       core::ErrorCode::kUpstreamFailure, "Dump"},
      {502, "plain text", core::ErrorCode::kUpstreamFailure, "plain text"},
  };
  for (const auto& c : cases) {
    Fixture f(Keys{{"retryCount", "0"}});
    f.transport->script = {{c.status, {}, c.body}};
    const core::Error e = errorOf(*f.client, {.url = "Products"});
    EXPECT_EQ(e.code(), c.code) << c.status;
    EXPECT_THAT(e.message(), HasSubstr(c.message)) << c.status;
  }
  Fixture debug(Keys{{"debuggingEnabled", "true"}});
  debug.transport->script = {{404, {}, "nothing here"}};
  EXPECT_THAT(errorOf(*debug.client, {.url = "Products(1)"}).details(),
              ::testing::Contains("request: GET http://svc.example/odata/Products(1)"));
}

TEST(ClientTest, ProtocolHeadersPerVersion) {
  Fixture v2({}, edm::ODataVersion::kV2);
  v2.transport->script = {{200, {}, "{}"}};
  v2.client->send({.method = "MERGE", .url = "P(1)", .body = "{}"});
  const HttpRequest& sent = v2.transport->sent.at(0);
  EXPECT_EQ(sent.method, "MERGE");
  EXPECT_EQ(findHeader(sent.headers, "DataServiceVersion"), "2.0");
  EXPECT_EQ(findHeader(sent.headers, "Content-Type"), "application/json");
  Fixture v4;
  v4.transport->script = {{200, {}, "{}"}};
  v4.client->send({.url = "P"});
  EXPECT_THAT(std::string(*findHeader(v4.transport->sent.at(0).headers, "Accept")),
              HasSubstr("IEEE754Compatible=true"));
  EXPECT_EQ(ODataClient::resolveAgainst("http://h/s/P?$top=5", "P?$skiptoken=5"),
            "http://h/s/P?$skiptoken=5");
  EXPECT_EQ(ODataClient::resolveAgainst("http://h/s/P", "/other/P?x"), "http://h/other/P?x");
}

}  // namespace
}  // namespace broker::odata
