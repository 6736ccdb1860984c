// Several broker nodes on one PostgreSQL store (a real server from Debian's packages): what
// one node registers, changes, refreshes or removes, the others serve within a second; a name
// registered on two nodes at once is taken once; a node with another secret key refuses to
// start; a node that loses the store keeps serving calls, refuses changes with 503, and
// reconnects by itself.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <functional>
#include <future>
#include <regex>
#include <set>

#include "cluster_support.h"
#include "demo_peer.h"

namespace broker::testing {
namespace {

using std::chrono::milliseconds;

const std::string kInstances = "/api/v1/instances";

std::string registration(const std::string& name, const std::string& serviceUrl,
                         const std::string& extraKeys = {}) {
  return R"({"name": ")" + name + R"(", "serviceKeys": {"serviceUrl": ")" + serviceUrl + "\"" +
         extraKeys + R"(}, "auth": {"mode": "static", "username": "u", "password": "secret-)" +
         name + "\"}}";
}

Reply load(const std::string& url, const std::string& instance, int id = 1) {
  return httpRequest(url, "POST", kInstances + "/" + instance + "/objects/Products/methods/Load",
                     R"({"inputs": {"ID": )" + std::to_string(id) + "}}");
}

class ClusterTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    postgres_ = new PostgresPeer();
    peer_ = new DemoPeer();
  }
  static void TearDownTestSuite() {
    delete peer_;
    delete postgres_;
  }
  static std::string database() {
    static int count = 0;
    return "cluster" + std::to_string(++count);
  }

  static PostgresPeer* postgres_;
  static DemoPeer* peer_;
};

PostgresPeer* ClusterTest::postgres_ = nullptr;
DemoPeer* ClusterTest::peer_ = nullptr;

// Waits up to 3 s for `check`; expects it to hold within a second, and returns the time it took.
milliseconds withinASecond(const std::string& what, const std::function<bool()>& check) {
  const milliseconds took = waitUntil(check, std::chrono::seconds(3));
  EXPECT_GE(took.count(), 0) << what << ": never";
  EXPECT_LT(took.count(), 1000) << what;
  return took;
}

bool readsWith(const std::string& node, const std::string& text) {
  return httpRequest(node, "GET", kInstances + "/demo").body.find(text) != std::string::npos;
}

TEST_F(ClusterTest, WhatOneNodeChangesTheOtherServesWithinASecond) {
  Cluster cluster(*postgres_, database(), 2);
  const std::string a = cluster.url(0);
  const std::string b = cluster.url(1);

  // Registered on A: B serves it within a second, its secret opened with the shared key.
  ASSERT_EQ(httpRequest(a, "POST", kInstances, registration("demo", peer_->v4())).status, 201);
  const milliseconds seen =
      withinASecond("registered on A, served by B", [&] { return load(b, "demo").status == 200; });
  EXPECT_THAT(load(b, "demo").body, ::testing::HasSubstr(R"("ID":1)"));

  // Changed on B: A has the new definition within a second.
  ASSERT_EQ(httpRequest(b, "PUT", kInstances + "/demo",
                        registration("demo", peer_->v4(), R"(, "maxRows": 7)"))
                .status,
            200);
  const milliseconds changed =
      withinASecond("changed on B, seen on A", [&] { return readsWith(a, R"("maxRows":7)"); });

  // Refreshed on B: A's revision follows.
  const Reply refreshed = httpRequest(b, "POST", kInstances + "/demo/refresh");
  ASSERT_EQ(refreshed.status, 200) << refreshed.body;
  std::smatch number;
  ASSERT_TRUE(std::regex_search(refreshed.body, number, std::regex(R"("revision":\d+)")));
  const std::string revision = number.str();
  const milliseconds followed = withinASecond("refreshed on B, " + revision + " on A",
                                              [&] { return readsWith(a, revision); });

  // Removed on A: B answers 404 within a second.
  ASSERT_EQ(httpRequest(a, "DELETE", kInstances + "/demo").status, 204);
  const milliseconds gone =
      withinASecond("removed on A, gone on B", [&] { return load(b, "demo").status == 404; });
  std::cout << "[ cluster  ] registered on A, served by B after " << seen.count()
            << " ms; change seen after " << changed.count() << " ms, refresh after "
            << followed.count() << " ms, removal after " << gone.count() << " ms\n";
}

TEST_F(ClusterTest, ANameRegisteredOnTwoNodesAtOnceIsTakenOnce) {
  Cluster cluster(*postgres_, database(), 2);
  for (int round = 0; round < 5; ++round) {
    const std::string name = "race" + std::to_string(round);
    auto onA = std::async(std::launch::async, [&] {
      return httpRequest(cluster.url(0), "POST", kInstances, registration(name, peer_->v4()));
    });
    auto onB = std::async(std::launch::async, [&] {
      return httpRequest(cluster.url(1), "POST", kInstances, registration(name, peer_->v4()));
    });
    const Reply first = onA.get();
    const Reply second = onB.get();
    std::multiset<int> statuses = {first.status, second.status};
    EXPECT_EQ(statuses, (std::multiset<int>{201, 409})) << first.body << "\n" << second.body;
    // Both nodes end up serving the one that was stored.
    for (std::size_t node : {0u, 1u}) {
      EXPECT_GE(waitUntil([&] { return load(cluster.url(node), name).status == 200; },
                          std::chrono::seconds(3))
                    .count(),
                0)
          << name << " on node " << node;
    }
  }
}

TEST_F(ClusterTest, ANodeWithAnotherSecretKeyRefusesToStart) {
  Cluster cluster(*postgres_, database(), 1);
  try {
    cluster.start(1, /*ownKey=*/true);
    FAIL() << "a node with its own key started";
  } catch (const std::runtime_error& e) {
    EXPECT_THAT(e.what(), ::testing::HasSubstr("exited at start"));
    EXPECT_THAT(e.what(), ::testing::HasSubstr("the secret key is not the one"));
    EXPECT_THAT(e.what(), ::testing::HasSubstr("every broker node on a store needs the same key"));
    EXPECT_THAT(e.what(), ::testing::HasSubstr(cluster.storeUrl()));
    EXPECT_THAT(e.what(), ::testing::Not(::testing::HasSubstr(postgres_->password())));
  }
}

TEST_F(ClusterTest, ANodeThatLosesTheStoreServesCallsRefusesChangesAndReconnects) {
  Cluster cluster(*postgres_, database(), 2);
  const std::string a = cluster.url(0);
  const std::string b = cluster.url(1);
  ASSERT_EQ(httpRequest(a, "POST", kInstances, registration("demo", peer_->v4())).status, 201);
  ASSERT_GE(
      waitUntil([&] { return load(b, "demo").status == 200; }, std::chrono::seconds(3)).count(), 0);

  postgres_->stop();
  const milliseconds noticed = waitUntil(
      [&] {
        return httpRequest(a, "GET", "/api/v1/health").body.find(R"("state":"unreachable")") !=
               std::string::npos;
      },
      std::chrono::seconds(5));
  EXPECT_GE(noticed.count(), 0) << httpRequest(a, "GET", "/api/v1/health").body;
  const Reply health = httpRequest(a, "GET", "/api/v1/health");
  EXPECT_EQ(health.status, 200);
  EXPECT_THAT(health.body, ::testing::HasSubstr(R"("status":"degraded")"));
  EXPECT_THAT(health.body, ::testing::Not(::testing::HasSubstr(postgres_->password())));
  // Calls go on from the catalogs; changes are refused with 503, saying why.
  EXPECT_EQ(load(a, "demo").status, 200);
  EXPECT_EQ(load(b, "demo").status, 200);
  const Reply refused = httpRequest(b, "POST", kInstances, registration("other", peer_->v4()));
  EXPECT_EQ(refused.status, 503) << refused.body;
  EXPECT_THAT(refused.body, ::testing::HasSubstr("store"));
  EXPECT_EQ(httpRequest(a, "DELETE", kInstances + "/demo").status, 503);

  postgres_->start();
  const milliseconds back = waitUntil(
      [&] {
        return httpRequest(b, "POST", kInstances, registration("other", peer_->v4())).status == 201;
      },
      std::chrono::seconds(10));
  EXPECT_GE(back.count(), 0);
  EXPECT_GE(
      waitUntil([&] { return load(a, "other").status == 200; }, std::chrono::seconds(3)).count(),
      0);
  EXPECT_THAT(httpRequest(a, "GET", "/api/v1/health").body,
              ::testing::HasSubstr(R"("state":"reachable")"));
  std::cout << "[ cluster  ] store loss noticed after " << noticed.count()
            << " ms; changes accepted again " << back.count() << " ms after the restart\n";
}

}  // namespace
}  // namespace broker::testing
