// The broker as a process: registrations survive a restart, a kill -9 during a registration
// leaves it whole or absent, instances come back while their service is down, and SIGTERM lets
// the calls in flight finish.
#include <Poco/Data/SQLite/Connector.h>
#include <Poco/Data/Session.h>
#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <signal.h>

#include <fstream>
#include <future>
#include <thread>

#include "broker_process.h"
#include "broker_support.h"
#include "demo_peer.h"

namespace broker::testing {
namespace {

const std::string kInstances = "/api/v1/instances";

std::string registration(const std::string& name, const std::string& serviceUrl,
                         const std::string& extraKeys = {}) {
  return R"({"name": ")" + name + R"(", "serviceKeys": {"serviceUrl": ")" + serviceUrl + "\"" +
         (extraKeys.empty() ? "" : ", " + extraKeys) + R"(}, "auth": {"mode": "static",
         "username": "u", "password": "pw-)" +
         name + "\"}}";
}

Reply load(const std::string& url, const std::string& instance) {
  return httpRequest(url, "POST", kInstances + "/" + instance + "/objects/Products/methods/Load",
                     R"({"inputs": {"ID": 7}})");
}

TEST(RestartTest, KillDuringARegistrationLosesNothingCommittedAndLeavesNoHalf) {
  DemoPeer peer;
  TempDir dir;
  auto broker = std::make_unique<BrokerProcess>(dir.path());
  for (const char* name : {"one", "two", "three"}) {
    ASSERT_EQ(httpRequest(broker->url(), "POST", kInstances, registration(name, peer.v4())).status,
              201);
  }
  int complete = 0;
  int absent = 0;
  // Kill at several moments of the fourth registration: before it reaches the store, while it
  // writes, after it committed.
  for (int delayMicros : {0, 500, 1000, 2000, 3000, 4000, 6000, 10000, 20000}) {
    auto fourth = std::async(std::launch::async, [url = broker->url(), &peer] {
      try {
        return httpRequest(url, "POST", kInstances, registration("four", peer.v4())).status;
      } catch (const std::exception&) {
        return -1;  // the connection died with the broker
      }
    });
    std::this_thread::sleep_for(std::chrono::microseconds(delayMicros));
    EXPECT_EQ(broker->stop(SIGKILL), 128 + SIGKILL);
    fourth.get();
    broker = std::make_unique<BrokerProcess>(dir.path());

    for (const char* name : {"one", "two", "three"}) {
      const Reply reply = load(broker->url(), name);
      EXPECT_EQ(reply.status, 200)
          << name << " after a kill at " << delayMicros << " us: " << reply.body;
    }
    const Reply four = httpRequest(broker->url(), "GET", kInstances + "/four");
    if (four.status == 404) {
      ++absent;
      continue;
    }
    ++complete;
    ASSERT_EQ(four.status, 200) << four.body;
    EXPECT_THAT(four.body, ::testing::HasSubstr(R"("status":"ready")"));
    EXPECT_EQ(load(broker->url(), "four").status, 200);
    // Its secret came back too (sealed in the store, opened with the key file).
    EXPECT_EQ(httpRequest(broker->url(), "DELETE", kInstances + "/four").status, 204);
  }
  EXPECT_EQ(complete + absent, 9);
  std::cout << "[ restart  ] fourth registration complete after " << complete
            << " kills, absent after " << absent << "\n";
}

TEST(RestartTest, AnotherSecretKeyIsRefusedAtStartNamingIt) {
  DemoPeer peer;
  TempDir dir;
  {
    BrokerProcess broker(dir.path());
    ASSERT_EQ(httpRequest(broker.url(), "POST", kInstances, registration("one", peer.v4())).status,
              201);
  }
  const std::filesystem::path key = dir.path() / "secret.key";
  const std::string original = readTextFile(key);
  std::filesystem::remove(key);
  const auto startFailure = [&dir]() -> std::string {
    try {
      BrokerProcess broker(dir.path());
      return "started";
    } catch (const std::runtime_error& e) {
      return e.what();
    }
  };
  // The broker makes a new key, which the store does not know.
  EXPECT_THAT(startFailure(), ::testing::HasSubstr("the secret key is not the one the secrets in "
                                                   "store 'sqlite:"));
  // A store of a broker from before the check value: its sealed secrets tell a wrong key.
  {
    Poco::Data::SQLite::Connector::registerConnector();
    Poco::Data::Session session("SQLite", (dir.path() / "broker.db").string());
    session << "DELETE FROM store_properties", Poco::Data::Keywords::now;
  }
  EXPECT_THAT(startFailure(), ::testing::HasSubstr("the secret key is not the one"));
  std::ofstream(key, std::ios::binary | std::ios::trunc) << original;
  BrokerProcess broker(dir.path());  // the right key again: all there
  EXPECT_EQ(load(broker.url(), "one").status, 200);
}

TEST(RestartTest, InstancesComeBackWhileTheirServiceIsDown) {
  TempDir dir;
  {
    DemoPeer peer;
    BrokerProcess broker(dir.path());
    ASSERT_EQ(httpRequest(broker.url(), "POST", kInstances, registration("demo", peer.v4())).status,
              201);
    EXPECT_EQ(broker.stop(SIGTERM), 0) << broker.log();
  }  // the service is gone now
  BrokerProcess broker(dir.path());
  const Reply read = httpRequest(broker.url(), "GET", kInstances + "/demo");
  ASSERT_EQ(read.status, 200) << read.body;
  EXPECT_THAT(read.body, ::testing::HasSubstr(R"("status":"ready")"));
  EXPECT_THAT(read.body, ::testing::HasSubstr(R"("password":"********")"));
  EXPECT_EQ(httpRequest(broker.url(), "GET", kInstances + "/demo/objects/Products").status, 200);
  EXPECT_EQ(load(broker.url(), "demo").status, 502);
  const Reply refresh = httpRequest(broker.url(), "POST", kInstances + "/demo/refresh");
  EXPECT_EQ(refresh.status, 502);
  // A failed refresh keeps the catalog it had.
  EXPECT_EQ(httpRequest(broker.url(), "GET", kInstances + "/demo/objects/Products").status, 200);
}

TEST(RestartTest, SigtermLetsTheCallsInFlightFinish) {
  TempDir dir;
  SilentListener silent;  // answers nothing: a call takes its whole 2 s timeout
  BrokerProcess broker(dir.path());
  const std::string metadata = std::string(BROKER_SOURCE_DIR) + "/samples/metadata/demo-v4.xml";
  ASSERT_EQ(httpRequest(broker.url(), "POST", kInstances,
                        registration("slow", silent.url(),
                                     R"("metadataUrlOrFilePath": ")" + metadata +
                                         R"(", "requestTimeoutSeconds": 2, "retryCount": 0)"))
                .status,
            201);
  auto inFlight = std::async(std::launch::async, [&] { return load(broker.url(), "slow"); });
  std::this_thread::sleep_for(std::chrono::milliseconds(500));
  const auto stopped = std::chrono::steady_clock::now();
  EXPECT_EQ(broker.stop(SIGTERM), 0) << broker.log();
  const Reply reply = inFlight.get();
  EXPECT_EQ(reply.status, 504) << reply.body;  // its own answer, not a dropped connection
  EXPECT_GE(std::chrono::steady_clock::now() - stopped, std::chrono::milliseconds(1000));
  EXPECT_THAT(broker.log(), ::testing::HasSubstr("finishing the calls in flight"));
}

}  // namespace
}  // namespace broker::testing
