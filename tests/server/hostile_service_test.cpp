// A broker process against a misbehaving service (tests/peers/hostile-service.js): redirects
// to another origin get no credentials, answers of a gigabyte (plain or a gzip bomb) stop at
// the limits with a 502 in bounded memory, a device as metadata file is refused, and a hung
// service gives 504 with each request received exactly once.
#include <Poco/JSON/Array.h>
#include <Poco/JSON/Parser.h>
#include <gtest/gtest.h>
#include <unistd.h>

#include <chrono>
#include <filesystem>
#include <functional>
#include <string>
#include <thread>

#include "broker_process.h"
#include "broker_support.h"
#include "demo_peer.h"

namespace broker::testing {
namespace {

using Clock = std::chrono::steady_clock;
using namespace std::chrono_literals;

const std::string kPassword = "hostile-test-password";

class HostileServiceTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    peer_ = new HostilePeer();
    dataDir_ = std::filesystem::temp_directory_path() /
               ("hostile-service-test-" + std::to_string(::getpid()));
    std::filesystem::remove_all(dataDir_);
    broker_ = new BrokerProcess(dataDir_, {"--set", "maxUpstreamCallBytes=32768"});
  }
  static void TearDownTestSuite() {
    delete broker_;
    delete peer_;
    std::filesystem::remove_all(dataDir_);
  }

  static Reply registerAt(const std::string& name, const std::string& root,
                          const std::string& extraKeys = "") {
    return httpRequest(broker_->url(), "POST", "/api/v1/instances",
                       R"({"name": ")" + name + R"(", "serviceKeys": {"serviceUrl": ")" +
                           peer_->origin() + "/" + root + R"(/", "retryCount": 0)" + extraKeys +
                           R"(}, "auth": {"mode": "static", "username": "u", "password": ")" +
                           kPassword + R"("}})",
                       {{"Content-Type", "application/json"}});
  }

  static Reply call(const std::string& instance, const std::string& method,
                    const std::string& body = "{}") {
    return httpRequest(broker_->url(), "POST",
                       "/api/v1/instances/" + instance + "/objects/Items/methods/" + method, body,
                       {{"Content-Type", "application/json"}});
  }

  static Poco::JSON::Array::Ptr peerRequests() {
    const Reply reply = httpRequest(peer_->origin(), "GET", "/__peer/requests");
    Poco::JSON::Parser parser;
    return parser.parse(reply.body).extract<Poco::JSON::Array::Ptr>();
  }

  static int requestsTo(const std::string& listener, const std::string& prefix) {
    int count = 0;
    const Poco::JSON::Array::Ptr requests = peerRequests();
    for (const auto& item : *requests) {
      const auto request = item.extract<Poco::JSON::Object::Ptr>();
      if (request->getValue<std::string>("listener") == listener &&
          request->getValue<std::string>("url").rfind(prefix, 0) == 0) {
        ++count;
      }
    }
    return count;
  }

  static inline HostilePeer* peer_ = nullptr;
  static inline BrokerProcess* broker_ = nullptr;
  static inline std::filesystem::path dataDir_;
};

TEST_F(HostileServiceTest, ACrossOriginRedirectGetsNoCredentialsAndFailsClearly) {
  // Registration: $metadata redirected to 127.0.0.2.
  const Reply refused = registerAt("cross", "cross");
  EXPECT_EQ(refused.status, 502) << refused.body;
  EXPECT_NE(refused.body.find("redirected (302) to http://127.0.0.2:"), std::string::npos)
      << refused.body;
  EXPECT_NE(refused.body.find("another origin"), std::string::npos);
  // A data call: metadata from /svc/, the entity set redirected.
  const Reply registered =
      registerAt("crossdata", "cross",
                 R"(, "metadataUrlOrFilePath": ")" + peer_->origin() + R"(/svc/$metadata")");
  ASSERT_EQ(registered.status, 201) << registered.body;
  const Reply list = call("crossdata", "List");
  EXPECT_EQ(list.status, 502) << list.body;
  EXPECT_NE(list.body.find("another origin"), std::string::npos) << list.body;
  EXPECT_EQ(requestsTo("elsewhere", "/"), 0);
  EXPECT_GE(requestsTo("main", "/cross/"), 2);
}

TEST_F(HostileServiceTest, ASameOriginRedirectIsFollowed) {
  const Reply registered = registerAt("same", "same");
  ASSERT_EQ(registered.status, 201) << registered.body;
  const Reply list = call("same", "List");
  ASSERT_EQ(list.status, 200) << list.body;
  EXPECT_EQ(list.json()->getValue<int>("count"), 2);
}

// Each answer stops at a limit while it is read: a 502 within seconds, little memory.
TEST_F(HostileServiceTest, GigabyteAnswersStopAtTheLimits) {
  ASSERT_EQ(registerAt("huge", "huge").status, 201);
  ASSERT_EQ(registerAt("bomb", "bomb").status, 201);
  struct Case {
    const char* name;
    std::function<Reply()> send;
    int status;
    const char* setting;
  };
  const Case cases[] = {
      {"1 GiB page", [] { return call("huge", "List", R"({"top": 10})"); }, 502,
       "maxUpstreamResponseBytes"},
      {"gzip bomb page", [] { return call("bomb", "List", R"({"top": 10})"); }, 502,
       "maxUpstreamInflationRatio"},
      {"gzip bomb metadata", [] { return registerAt("metabomb", "metabomb"); }, 502,
       "maxUpstreamInflationRatio"},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(c.name);
    broker_->resetPeakRss();
    const long before = broker_->peakRssKb();
    const auto started = Clock::now();
    const Reply reply = c.send();
    const auto took = Clock::now() - started;
    const long growthKb = broker_->peakRssKb() - before;
    EXPECT_EQ(reply.status, c.status) << reply.body;
    EXPECT_NE(reply.body.find(c.setting), std::string::npos) << reply.body;
    EXPECT_LT(took, 10s);
    EXPECT_LT(growthKb, 128 * 1024);
    RecordProperty(std::string(c.name) + " peak_rss_growth_kb", std::to_string(growthKb));
  }
}

// Pages that link to themselves forever: the call stops when its answers pass the per-call
// limit (set to 32 KiB for this broker, below the reply's first flush), long before maxRows.
TEST_F(HostileServiceTest, EndlessPagesStopAtThePerCallLimit) {
  ASSERT_EQ(registerAt("loop", "loop").status, 201);
  const auto started = Clock::now();
  const Reply reply = call("loop", "List");
  EXPECT_EQ(reply.status, 502) << reply.body;
  EXPECT_NE(reply.body.find("maxUpstreamCallBytes"), std::string::npos) << reply.body;
  EXPECT_LT(Clock::now() - started, 10s);
  EXPECT_LT(requestsTo("main", "/loop/Items"), 200);
}

TEST_F(HostileServiceTest, ADeviceAsMetadataFileIsRefused) {
  const auto started = Clock::now();
  const Reply reply = registerAt("zero", "svc", R"(, "metadataUrlOrFilePath": "/dev/zero")");
  EXPECT_EQ(reply.status, 400) << reply.body;
  EXPECT_NE(reply.body.find("is not a regular file"), std::string::npos) << reply.body;
  EXPECT_LT(Clock::now() - started, 2s);
}

// Ten hung reads and three hung writes in a row: each a 504 within the timeout plus a second,
// each received by the service exactly once.
TEST_F(HostileServiceTest, AHungServiceTimesOutAndGetsEachRequestOnce) {
  ASSERT_EQ(registerAt("hang", "hang", R"(, "requestTimeoutSeconds": 2)").status, 201);
  httpRequest(peer_->origin(), "DELETE", "/__peer/requests");
  for (int i = 0; i < 13; ++i) {
    const bool write = i >= 10;
    const auto started = Clock::now();
    const Reply reply =
        write ? call("hang", "Create", R"({"inputs": {"ID": )" + std::to_string(100 + i) + "}}")
              : call("hang", "List");
    const auto took = Clock::now() - started;
    EXPECT_EQ(reply.status, 504) << i << ": " << reply.body;
    EXPECT_LT(took, 3s) << i;
  }
  std::this_thread::sleep_for(200ms);
  int reads = 0;
  int writes = 0;
  const Poco::JSON::Array::Ptr requests = peerRequests();
  for (const auto& item : *requests) {
    const auto request = item.extract<Poco::JSON::Object::Ptr>();
    if (request->getValue<std::string>("url").rfind("/hang/Items", 0) != 0) continue;
    (request->getValue<std::string>("method") == "POST" ? writes : reads) += 1;
  }
  EXPECT_EQ(reads, 10);
  EXPECT_EQ(writes, 3);
}

TEST_F(HostileServiceTest, NoCredentialInTheLog) {
  EXPECT_EQ(broker_->log().find(kPassword), std::string::npos);
}

}  // namespace
}  // namespace broker::testing
