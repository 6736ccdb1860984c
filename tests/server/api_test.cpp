// The REST API (API.md §4) through real HTTP: every endpoint and every error status, with the
// demo CAP service as the upstream.
#include <Poco/JSON/Array.h>
#include <arpa/inet.h>
#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <ifaddrs.h>
#include <netinet/in.h>

#include <fstream>
#include <sstream>

#include "broker/core/log.h"
#include "broker_support.h"
#include "config/service_keys.h"
#include "demo_peer.h"
#include "server/commands.h"

namespace broker::testing {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;

const std::string kInstances = "/api/v1/instances";
const std::string kProducts = "/api/v1/instances/demo/objects/Products";

std::string errorCode(const Reply& reply) {
  auto json = reply.json();
  return json ? json->getObject("error")->getValue<std::string>("code") : "";
}

std::string errorMessage(const Reply& reply) {
  auto json = reply.json();
  return json ? json->getObject("error")->getValue<std::string>("message") : "";
}

#define EXPECT_ERROR(reply_, status_, code_)    \
  do {                                          \
    const Reply& r_ = (reply_);                 \
    EXPECT_EQ(r_.status, status_) << r_.body;   \
    EXPECT_EQ(errorCode(r_), code_) << r_.body; \
  } while (false)

class ApiTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() { peer_ = std::make_unique<DemoPeer>(PeerOptions{"", 3000}); }
  static void TearDownTestSuite() { peer_.reset(); }

  void SetUp() override {
    core::setLogLevel(core::LogLevel::kWarning);
    broker_ = std::make_unique<BrokerUnderTest>();
    const Reply reply = broker_->registerInstance("demo", peer_->v4());
    ASSERT_EQ(reply.status, 201) << reply.body;
  }

  Reply execute(const std::string& object, const std::string& method, const std::string& body,
                const std::string& instance = "demo") const {
    return broker_->request(
        "POST", kInstances + "/" + instance + "/objects/" + object + "/methods/" + method, body);
  }

  static std::unique_ptr<DemoPeer> peer_;
  std::unique_ptr<BrokerUnderTest> broker_;
};

std::unique_ptr<DemoPeer> ApiTest::peer_;

TEST_F(ApiTest, HealthAndServiceTypes) {
  const Reply health = broker_->request("GET", "/api/v1/health");
  ASSERT_EQ(health.status, 200);
  EXPECT_EQ(health.json()->getValue<std::string>("status"), "ok");
  EXPECT_EQ(health.json()->getValue<int>("instances"), 1);

  const Reply types = broker_->request("GET", "/api/v1/service-types/odata");
  ASSERT_EQ(types.status, 200);
  auto keys = types.json()->getArray("serviceKeys");
  ASSERT_EQ(keys->size(), config::serviceKeySchema().size());
  for (std::size_t i = 0; i < keys->size(); ++i) {
    auto key = keys->getObject(static_cast<unsigned>(i));
    EXPECT_EQ(key->getValue<std::string>("name"), config::serviceKeySchema()[i].name);
    EXPECT_FALSE(key->getValue<std::string>("type").empty());
    EXPECT_FALSE(key->getValue<std::string>("description").empty());
  }
  EXPECT_THAT(types.body, HasSubstr(R"("authModes":["none","static")"));
  EXPECT_THAT(types.body,
              HasSubstr(R"({"name":"clientSecret","type":"secret","modes":["oauth"],)"));
}

TEST_F(ApiTest, RegisterListReadChangeRefreshRemove) {
  // Registered in SetUp: 201 came with the SO summary.
  const Reply listed = broker_->request("GET", kInstances);
  ASSERT_EQ(listed.status, 200);
  auto instances = listed.json()->getArray("instances");
  ASSERT_EQ(instances->size(), 1u);
  EXPECT_EQ(instances->getObject(0)->getValue<std::string>("status"), "ready");
  EXPECT_EQ(instances->getObject(0)->getValue<std::string>("odataVersion"), "4.0");

  const std::string body =
      R"({"name": "v2", "description": "over V2", "serviceKeys": {"serviceUrl": ")" + peer_->v2() +
      R"(", "namesUseMethodFullName": false},
          "auth": {"mode": "static", "username": "alice", "password": "s3cret!"}})";
  const Reply created = broker_->request("POST", kInstances, body);
  ASSERT_EQ(created.status, 201) << created.body;
  EXPECT_EQ(created.headers.at("location"), "/api/v1/instances/v2");
  EXPECT_THAT(created.body,
              HasSubstr(R"x({"name":"Products","folder":"Entities","methods":["List")x"));
  EXPECT_THAT(created.body, HasSubstr(R"("name":"GetProductsByRating")"));

  const Reply read = broker_->request("GET", kInstances + "/v2");
  ASSERT_EQ(read.status, 200);
  EXPECT_THAT(read.body, HasSubstr(R"("password":"********")"));
  EXPECT_THAT(read.body, Not(HasSubstr("s3cret!")));
  EXPECT_THAT(read.body, HasSubstr(R"("namesUseMethodFullName":false)"));
  // Revisions come from one counter of the store: each write of any instance takes the next.
  const int firstRevision = read.json()->getValue<int>("revision");
  EXPECT_GT(firstRevision, 0);

  // Sent back as read (masked), with one key changed: the secret stays, the catalog changes.
  std::string changed = read.body;
  changed.replace(changed.find("\"namesUseMethodFullName\":false"), 30,
                  "\"namesUseMethodFullName\":true");
  const Reply put = broker_->request("PUT", kInstances + "/v2", changed);
  ASSERT_EQ(put.status, 200) << put.body;
  EXPECT_THAT(put.body, HasSubstr(R"x("name":"GetProductsByRating(Int32 rating)")x"));
  auto registration = broker_->registry().find("v2");
  EXPECT_EQ(registration->definition->auth.password, "s3cret!");
  EXPECT_GT(registration->revision, firstRevision);

  const Reply refreshed = broker_->request("POST", kInstances + "/v2/refresh");
  ASSERT_EQ(refreshed.status, 200) << refreshed.body;
  EXPECT_GT(refreshed.json()->getValue<int>("revision"), registration->revision);

  EXPECT_EQ(broker_->request("DELETE", kInstances + "/v2").status, 204);
  EXPECT_ERROR(broker_->request("GET", kInstances + "/v2"), 404, "NotFound");
  EXPECT_ERROR(broker_->request("DELETE", kInstances + "/v2"), 404, "NotFound");
  EXPECT_ERROR(broker_->request("POST", kInstances + "/v2/refresh"), 404, "NotFound");
  EXPECT_ERROR(broker_->request("PUT", kInstances + "/v2", changed), 404, "NotFound");
}

TEST_F(ApiTest, RegistrationErrors) {
  EXPECT_ERROR(broker_->registerInstance("demo", peer_->v4()), 409, "Conflict");
  EXPECT_ERROR(broker_->request("POST", kInstances, "{nope"), 400, "InvalidArgument");
  EXPECT_ERROR(broker_->request("POST", kInstances, ""), 400, "InvalidArgument");
  EXPECT_ERROR(broker_->registerInstance("bad name", peer_->v4()), 400, "InvalidArgument");
  const Reply unknownKey = broker_->registerInstance("x", peer_->v4(), R"("retries": 3)");
  EXPECT_ERROR(unknownKey, 400, "InvalidArgument");
  EXPECT_THAT(errorMessage(unknownKey), HasSubstr("'retries'"));
  const Reply badValue = broker_->registerInstance("x", peer_->v4(), R"("maxRows": "many")");
  EXPECT_ERROR(badValue, 400, "InvalidArgument");
  EXPECT_THAT(errorMessage(badValue), HasSubstr("'maxRows'"));
  // The service answers 404 for its metadata: the upstream failed, with its status.
  const Reply missing = broker_->registerInstance("x", peer_->origin() + "/nothing/here/");
  EXPECT_ERROR(missing, 502, "UpstreamFailure");
  EXPECT_THAT(missing.body, HasSubstr("upstream status 404"));
  // Nothing listens there.
  EXPECT_ERROR(broker_->registerInstance("x", "http://127.0.0.1:1/svc/"), 502, "UpstreamFailure");
  // Metadata that is not EDMX.
  const Reply notEdmx = broker_->registerInstance(
      "x", peer_->v4(),
      R"("metadataUrlOrFilePath": ")" + std::string(BROKER_SOURCE_DIR) + R"(/README.md")");
  EXPECT_ERROR(notEdmx, 400, "InvalidArgument");
  const Reply oauth = broker_->request(
      "POST", kInstances,
      R"({"name": "x", "serviceKeys": {"serviceUrl": ")" + peer_->v4() +
          R"("}, "auth": {"mode": "oauth", "tokenUrl": "http://127.0.0.1:1/t", "clientId": "c"}})");
  EXPECT_ERROR(oauth, 502, "UpstreamFailure");
  EXPECT_THAT(oauth.body,
              HasSubstr("oauth: the token endpoint http://127.0.0.1:1/t did not answer"));
  // No service account is configured for this broker.
  const Reply account =
      broker_->request("POST", kInstances,
                       R"({"name": "x", "serviceKeys": {"serviceUrl": ")" + peer_->v4() +
                           R"("}, "auth": {"mode": "serviceAccount"}})");
  EXPECT_ERROR(account, 400, "InvalidArgument");
  EXPECT_THAT(account.body, HasSubstr("serviceAccountUsername"));
  const Reply renamed = broker_->request(
      "PUT", kInstances + "/demo",
      R"({"name": "other", "serviceKeys": {"serviceUrl": ")" + peer_->v4() + "\"}}");
  EXPECT_ERROR(renamed, 400, "InvalidArgument");
  // None of these left anything behind.
  EXPECT_EQ(broker_->request("GET", kInstances).json()->getArray("instances")->size(), 1u);
}

TEST_F(ApiTest, ObjectsAndTheirDefinitions) {
  const Reply objects = broker_->request("GET", kInstances + "/demo/objects");
  ASSERT_EQ(objects.status, 200);
  EXPECT_THAT(objects.body, HasSubstr(R"("name":"HttpHeader","folder":"ObjectTypes")"));
  const Reply products = broker_->request("GET", kProducts);
  ASSERT_EQ(products.status, 200);
  EXPECT_THAT(products.body, HasSubstr(R"("name":"Price","type":"Decimal")"));
  EXPECT_THAT(products.body, HasSubstr(R"("required":["ID"])"));
  // Names with spaces and parentheses are percent-encoded in the path.
  const Reply operation =
      broker_->request("GET", kInstances + "/demo/objects/GetProductsByRating(Int32%20rating)");
  EXPECT_EQ(operation.status, 200) << operation.body;
  EXPECT_ERROR(broker_->request("GET", kInstances + "/demo/objects/Nope"), 404, "NotFound");
  EXPECT_ERROR(broker_->request("GET", kInstances + "/nope/objects"), 404, "NotFound");
}

TEST_F(ApiTest, ExecuteListLoadCreateUpdateDelete) {
  const Reply list =
      execute("Products", "List",
              R"({"returns": ["ID", "Name", "Price"], "top": 3, "skip": 1, "orderBy": "ID desc",
          "includeTotalCount": true})");
  ASSERT_EQ(list.status, 200) << list.body;
  auto rows = list.json()->getArray("rows");
  ASSERT_EQ(rows->size(), 3u);
  EXPECT_EQ(rows->getObject(0)->getValue<int>("ID"), 2999);
  EXPECT_TRUE(rows->getObject(0)->get("Price").isString());  // decimals are strings
  EXPECT_EQ(list.json()->getValue<int>("count"), 3);
  EXPECT_EQ(list.json()->getValue<int>("totalCount"), 3000);

  const Reply load = execute("Products", "Load", R"({"inputs": {"ID": 7}})");
  ASSERT_EQ(load.status, 200) << load.body;
  EXPECT_EQ(load.json()->getObject("row")->getValue<std::string>("Name"), "O'Neil's Milk");
  const std::string etag = load.json()->getObject("row")->getValue<std::string>("ETag");

  const Reply created =
      execute("Categories", "Create", R"({"inputs": {"ID": 9001, "Name": "API category"}})");
  ASSERT_EQ(created.status, 200) << created.body;
  EXPECT_EQ(created.json()->getObject("row")->getValue<std::string>("Name"), "API category");
  EXPECT_ERROR(execute("Categories", "Create", R"({"inputs": {"ID": 9001, "Name": "again"}})"), 502,
               "UpstreamFailure");

  const Reply updated = execute(
      "Products", "Update", R"({"inputs": {"ID": 7, "Rating": 4, "ETag": ")" + [&] {
        std::string escaped;
        for (char c : etag) {
          if (c == '"') escaped += '\\';
          escaped += c;
        }
        return escaped;
      }() + "\"}}");
  ASSERT_EQ(updated.status, 200) << updated.body;
  // The same (now stale) ETag again: 412.
  const Reply stale = execute("Products", "Update",
                              R"({"inputs": {"ID": 7, "Rating": 5, "ETag": "W/\"1999-01-01\""}})");
  EXPECT_ERROR(stale, 412, "PreconditionFailed");

  EXPECT_EQ(execute("Categories", "Delete", R"({"inputs": {"ID": 9001}})").status, 200);
  EXPECT_ERROR(execute("Categories", "Load", R"({"inputs": {"ID": 9001}})"), 404, "NotFound");
}

TEST_F(ApiTest, ExecuteErrors) {
  EXPECT_ERROR(execute("Products", "Load", R"({"inputs": {"ID": "seven"}})"), 400,
               "InvalidArgument");
  EXPECT_THAT(errorMessage(execute("Products", "Load", "{}")), HasSubstr("ID"));
  EXPECT_ERROR(execute("Products", "Load", "[1, 2]"), 400, "InvalidArgument");
  EXPECT_ERROR(execute("Products", "Load", R"({"inputz": {}})"), 400, "InvalidArgument");
  EXPECT_ERROR(execute("Products", "List", R"({"top": -1})"), 400, "InvalidArgument");
  EXPECT_ERROR(execute("Products", "List", R"({"returns": ["Nope"]})"), 400, "InvalidArgument");
  EXPECT_ERROR(execute("Products", "Fly", "{}"), 404, "NotFound");
  EXPECT_ERROR(execute("Nope", "List", "{}"), 404, "NotFound");
  EXPECT_ERROR(execute("Products", "List", "{}", "nope"), 404, "NotFound");
}

TEST_F(ApiTest, UpstreamDownIs502AndSilentIs504) {
  const std::string metadata = std::string(BROKER_SOURCE_DIR) + "/samples/metadata/demo-v4.xml";
  ASSERT_EQ(
      broker_
          ->registerInstance("down", "http://127.0.0.1:1/svc/",
                             R"("metadataUrlOrFilePath": ")" + metadata + R"(", "retryCount": 0)")
          .status,
      201);
  const Reply down = execute("Products", "Load", R"({"inputs": {"ID": 1}})", "down");
  EXPECT_ERROR(down, 502, "UpstreamFailure");

  SilentListener silent;
  ASSERT_EQ(broker_
                ->registerInstance("silent", silent.url(),
                                   R"("metadataUrlOrFilePath": ")" + metadata +
                                       R"(", "requestTimeoutSeconds": 1, "retryCount": 0)")
                .status,
            201);
  EXPECT_ERROR(execute("Products", "Load", R"({"inputs": {"ID": 1}})", "silent"), 504,
               "UpstreamTimeout");
}

TEST_F(ApiTest, LargeListsStreamInChunks) {
  const Reply list = execute("Products", "List", "{}");
  ASSERT_EQ(list.status, 200);
  EXPECT_EQ(list.headers.at("transfer-encoding"), "chunked");
  EXPECT_EQ(list.json()->getValue<int>("count"), 3000);
  EXPECT_EQ(list.json()->getArray("rows")->size(), 3000u);
}

TEST_F(ApiTest, WrongVerbsPathsAndSizes) {
  const Reply verb = broker_->request("GET", kInstances + "/demo/refresh");
  EXPECT_ERROR(verb, 405, "MethodNotAllowed");
  EXPECT_EQ(verb.headers.at("allow"), "POST");
  EXPECT_ERROR(broker_->request("PATCH", kInstances), 405, "MethodNotAllowed");
  EXPECT_ERROR(broker_->request("GET", "/api/v1/nothing"), 404, "NotFound");
  EXPECT_ERROR(broker_->request("GET", "/api/v2/instances"), 404, "NotFound");
  // Refused on its announced length, before any of it is read.
  const Reply big =
      broker_->request("POST", kInstances, "", {{"Content-Length", std::to_string(17u << 20)}});
  EXPECT_ERROR(big, 413, "PayloadTooLarge");
}

TEST_F(ApiTest, FiltersThroughTheApi) {
  const std::string filter =
      R"({"and": [{"startsWith": [{"property": "Name"}, "O'"]}, {"greaterThan": [{"property": "Rating"}, 1]}]})";
  const Reply translated =
      broker_->request("POST", kProducts + "/filter", R"({"filter": )" + filter + "}");
  ASSERT_EQ(translated.status, 200) << translated.body;
  EXPECT_EQ(translated.json()->getValue<std::string>("filter"),
            "startswith(Name,'O''') and Rating gt 1");
  EXPECT_EQ(translated.json()->getValue<std::string>("evaluatedBy"), "service");
  EXPECT_THAT(translated.json()->getValue<std::string>("url"),
              HasSubstr("/Products?$filter=startswith(Name,'O''')%20and%20Rating%20gt%201"));

  const Reply rows =
      execute("Products", "List", R"({"filter": )" + filter + R"(, "returns": ["ID"]})");
  ASSERT_EQ(rows.status, 200) << rows.body;
  EXPECT_EQ(rows.body, R"({"rows":[{"ID":7}],"count":1})");

  EXPECT_ERROR(broker_->request("POST", kProducts + "/filter", R"({"filter": {}})"), 400,
               "InvalidArgument");
  EXPECT_ERROR(broker_->request("POST", kProducts + "/filter", R"({"filter": [1]})"), 400,
               "InvalidArgument");
  EXPECT_ERROR(broker_->request("POST", kProducts + "/filter", R"({"filtre": {}})"), 400,
               "InvalidArgument");
  const Reply wrongType =
      execute("Products", "List", R"({"filter": {"equals": [{"property": "ID"}, "seven"]}})");
  EXPECT_ERROR(wrongType, 400, "InvalidArgument");
  EXPECT_THAT(errorMessage(wrongType), HasSubstr("filter equals"));
  EXPECT_ERROR(broker_->request("POST", kInstances + "/demo/objects/Nope/filter",
                                R"({"filter": {"isNull": {"property": "ID"}}})"),
               404, "NotFound");
}

TEST_F(ApiTest, MetricsCountCallsPerInstance) {
  execute("Products", "Load", R"({"inputs": {"ID": 1}})");
  execute("Products", "Load", R"({"inputs": {"ID": 999999}})");
  const Reply metrics = broker_->request("GET", "/metrics");
  ASSERT_EQ(metrics.status, 200);
  EXPECT_THAT(metrics.headers.at("content-type"), HasSubstr("text/plain; version=0.0.4"));
  EXPECT_THAT(metrics.body,
              HasSubstr(R"(odata_broker_calls_total{instance="demo",status="200"} 1)"));
  EXPECT_THAT(metrics.body,
              HasSubstr(R"(odata_broker_calls_total{instance="demo",status="404"} 1)"));
  EXPECT_THAT(metrics.body, HasSubstr(R"(odata_broker_call_errors_total{instance="demo"} 1)"));
  EXPECT_THAT(
      metrics.body,
      HasSubstr(R"(odata_broker_call_duration_seconds_bucket{instance="demo",le="+Inf"} 2)"));
  EXPECT_THAT(metrics.body,
              HasSubstr(R"(odata_broker_call_duration_seconds_count{instance="demo"} 2)"));
}

// API keys: admins change, callers read and execute, nobody else.
TEST(ApiKeysTest, RolesDecideWhatARequestMayDo) {
  config::BrokerSettings settings;
  settings.adminKeys = {"admin-key"};
  settings.callerKeys = {"caller-key"};
  BrokerUnderTest broker(settings);
  const Headers admin = {{"Authorization", "Bearer admin-key"}};
  const Headers caller = {{"Authorization", "Bearer caller-key"}};
  const Headers wrong = {{"Authorization", "Bearer guess"}};
  const std::string metadata = std::string(BROKER_SOURCE_DIR) + "/samples/metadata/demo-v4.xml";
  const std::string keys = R"("metadataUrlOrFilePath": ")" + metadata + "\"";

  const Reply anonymous = broker.request("GET", kInstances);
  EXPECT_ERROR(anonymous, 401, "Unauthenticated");
  EXPECT_THAT(anonymous.headers.at("www-authenticate"), HasSubstr("Bearer"));
  EXPECT_ERROR(broker.request("GET", kInstances, "", wrong), 401, "Unauthenticated");
  EXPECT_ERROR(broker.registerInstance("d", "http://127.0.0.1:1/", keys, caller), 403,
               "PermissionDenied");
  EXPECT_EQ(broker.registerInstance("d", "http://127.0.0.1:1/", keys, admin).status, 201);
  EXPECT_EQ(broker.request("GET", kInstances, "", caller).status, 200);
  EXPECT_EQ(broker.request("GET", kInstances + "/d/objects", "", caller).status, 200);
  EXPECT_ERROR(broker.request("DELETE", kInstances + "/d", "", caller), 403, "PermissionDenied");
  EXPECT_ERROR(broker.request("POST", kInstances + "/d/refresh", "", caller), 403,
               "PermissionDenied");
  EXPECT_EQ(broker.request("GET", "/api/v1/health").status, 200);  // probes need no key
  EXPECT_EQ(broker.request("DELETE", kInstances + "/d", "", admin).status, 204);
}

// The first IPv4 address of this host that is not loopback, if it has one.
std::string externalAddress() {
  ifaddrs* list = nullptr;
  if (getifaddrs(&list) != 0) return {};
  std::string found;
  for (ifaddrs* a = list; a != nullptr && found.empty(); a = a->ifa_next) {
    if (a->ifa_addr == nullptr || a->ifa_addr->sa_family != AF_INET) continue;
    char text[INET_ADDRSTRLEN];
    const auto* in = reinterpret_cast<sockaddr_in*>(a->ifa_addr);
    inet_ntop(AF_INET, &in->sin_addr, text, sizeof text);
    if (!std::string(text).starts_with("127.")) found = text;
  }
  freeifaddrs(list);
  return found;
}

TEST(ApiKeysTest, WithoutKeysOnlyLoopbackClientsAreServed) {
  const std::string address = externalAddress();
  if (address.empty()) GTEST_SKIP() << "this host has no non-loopback IPv4 address to call from";
  config::BrokerSettings settings;
  settings.host = "0.0.0.0";
  BrokerUnderTest broker(settings);
  const std::string port = broker.url().substr(broker.url().rfind(':'));
  EXPECT_EQ(broker.request("GET", kInstances).status, 200);
  EXPECT_ERROR(httpRequest("http://" + address + port, "GET", kInstances), 403, "PermissionDenied");
}

// The client commands against a running broker: tables by default, the API's JSON with --json.
class CliTest : public ApiTest {
 protected:
  int run(int (*command)(server::Arguments, std::ostream&, std::ostream&),
          std::vector<std::string> args) {
    args.push_back("--url");
    args.push_back(broker_->url());
    const std::vector<std::string_view> views(args.begin(), args.end());
    out_.str("");
    err_.str("");
    return command(views, out_, err_);
  }
  std::ostringstream out_;
  std::ostringstream err_;
};

TEST_F(CliTest, RegisterListDescribeCallRefreshRemove) {
  ASSERT_EQ(run(server::runRegister,
                {"v2", "--service-url", peer_->v2(), "--set", "namesUseMethodFullName=false",
                 "--auth", "static", "--username", "u", "--password", "p"}),
            0)
      << err_.str();
  EXPECT_THAT(out_.str(), HasSubstr("registered v2 (OData 2.0, 13 objects)"));
  EXPECT_THAT(out_.str(), HasSubstr("GetProductsByRating "));

  ASSERT_EQ(run(server::runList, {}), 0);
  EXPECT_THAT(out_.str(), ::testing::ContainsRegex("v2 +ready +2[.]0 +13 +http"));

  ASSERT_EQ(run(server::runDescribe, {"v2", "Products"}), 0) << err_.str();
  EXPECT_THAT(out_.str(), ::testing::ContainsRegex("ID +Number +Edm[.]Int32 +key"));

  ASSERT_EQ(run(server::runCall, {"v2", "Products", "List", "Category_ID=2", "--top", "3",
                                  "--returns", "ID,Name", "--order-by", "ID"}),
            0)
      << err_.str();
  EXPECT_THAT(out_.str(), HasSubstr("(3 rows)"));
  EXPECT_THAT(out_.str(), ::testing::ContainsRegex("1 +Fresh Tea 1"));

  ASSERT_EQ(run(server::runCall, {"v2", "Products", "Load", "ID:=8", "--json"}), 0);
  EXPECT_THAT(out_.str(), HasSubstr(R"("Name":"Café Crème")"));

  // name@=FILE uploads a file's content (a V2 media entity: posted with its name as Slug).
  const std::string file = ::testing::TempDir() + "cli-upload.txt";
  std::ofstream(file, std::ios::binary) << std::string("from the CLI\0!", 14);
  ASSERT_EQ(run(server::runCall,
                {"v2", "Pictures", "Create", "Caption=cli", "Content@=" + file, "--json"}),
            0)
      << err_.str();
  EXPECT_THAT(out_.str(), HasSubstr(R"("Content MIME Type":"text/plain)"));
  EXPECT_EQ(run(server::runCall, {"v2", "Pictures", "Create", "Content@=/nonexistent/file"}), 2);
  EXPECT_THAT(err_.str(), HasSubstr("cannot read the file '/nonexistent/file'"));

  ASSERT_EQ(run(server::runRefresh, {"v2"}), 0);
  EXPECT_THAT(out_.str(), HasSubstr("refreshed v2"));
  ASSERT_EQ(run(server::runRemove, {"v2"}), 0);
  EXPECT_EQ(run(server::runRemove, {"v2"}), 1);
  EXPECT_THAT(err_.str(), HasSubstr("remove: 404 NotFound: no instance named 'v2'"));
}

TEST_F(CliTest, BadArgumentsAndAnUnreachableBroker) {
  EXPECT_EQ(run(server::runCall, {"demo", "Products"}), 2);
  EXPECT_THAT(err_.str(), HasSubstr("give INSTANCE OBJECT METHOD"));
  EXPECT_EQ(run(server::runCall, {"demo", "Products", "Load", "ID"}), 2);
  EXPECT_EQ(run(server::runRegister, {"x"}), 2);
  EXPECT_THAT(err_.str(), HasSubstr("--service-url is required"));
  EXPECT_EQ(run(server::runCall, {"demo", "Products", "Load", "ID=abc"}), 1);
  EXPECT_THAT(err_.str(), HasSubstr("call: 400 InvalidArgument"));
  const std::vector<std::string_view> args = {"--url", "http://127.0.0.1:1"};
  EXPECT_EQ(server::runList(args, out_, err_), 1);
  EXPECT_THAT(err_.str(), HasSubstr("cannot reach the broker at http://127.0.0.1:1"));
}

}  // namespace
}  // namespace broker::testing
