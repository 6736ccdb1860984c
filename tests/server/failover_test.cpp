// Failover: three broker nodes on one PostgreSQL store behind nginx (installer/cluster/
// nginx.conf.in), eight callers for 20 s while one node is killed (SIGKILL) and PostgreSQL is
// restarted. No read call fails, and every registration answered 201 is there afterwards, on
// every node still running.
#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <signal.h>

#include <atomic>
#include <mutex>
#include <thread>

#include "cluster_support.h"
#include "demo_peer.h"

namespace broker::testing {
namespace {

using Clock = std::chrono::steady_clock;

const std::string kInstances = "/api/v1/instances";

std::string registration(const std::string& name, const std::string& serviceUrl) {
  return R"({"name": ")" + name + R"(", "serviceKeys": {"serviceUrl": ")" + serviceUrl +
         R"("}, "auth": {"mode": "none"}})";
}

TEST(FailoverTest, NoReadFailsAndNoAcceptedRegistrationIsLost) {
  PostgresPeer postgres;
  DemoPeer peer;
  Cluster cluster(postgres, "failover", 3);
  NginxFront front({cluster.url(0), cluster.url(1), cluster.url(2)});
  ASSERT_EQ(httpRequest(front.url(), "POST", kInstances, registration("demo", peer.v4())).status,
            201);
  for (std::size_t node = 0; node < 3; ++node) {
    ASSERT_GE(waitUntil(
                  [&] {
                    return httpRequest(cluster.url(node), "GET", kInstances + "/demo").status ==
                           200;
                  },
                  std::chrono::seconds(3))
                  .count(),
              0);
  }

  constexpr auto kRun = std::chrono::seconds(20);
  const auto started = Clock::now();
  std::atomic<bool> stop{false};
  std::atomic<int> reads{0};
  std::atomic<int> failedReads{0};
  std::mutex mutex;
  std::vector<std::string> failures;
  std::vector<std::string> accepted;
  std::map<int, int> registrationStatuses;

  std::vector<std::thread> callers;
  for (int caller = 0; caller < 8; ++caller) {
    callers.emplace_back([&, caller] {
      for (int i = 0; !stop; ++i) {
        const bool list = (i + caller) % 2 == 0;
        const std::string path =
            kInstances + "/demo/objects/Products/methods/" + (list ? "List" : "Load");
        const std::string body = list ? R"({"top": 5})" : R"({"inputs": {"ID": 1}})";
        std::string problem;
        try {
          const Reply reply = httpRequest(front.url(), "POST", path, body);
          if (reply.status != 200) problem = std::to_string(reply.status) + " " + reply.body;
        } catch (const std::exception& e) {
          problem = e.what();
        }
        ++reads;
        if (!problem.empty()) {
          ++failedReads;
          const std::lock_guard lock(mutex);
          if (failures.size() < 10) failures.push_back(problem);
        }
      }
    });
  }
  std::thread registrar([&] {
    for (int i = 0; !stop; ++i) {
      const std::string name = "r" + std::to_string(i);
      int status = -1;
      try {
        status = httpRequest(front.url(), "POST", kInstances, registration(name, peer.v4())).status;
      } catch (const std::exception&) {
      }
      {
        const std::lock_guard lock(mutex);
        ++registrationStatuses[status];
        if (status == 201) accepted.push_back(name);
      }
      std::this_thread::sleep_for(std::chrono::milliseconds(100));
    }
  });

  std::this_thread::sleep_for(std::chrono::seconds(5));
  EXPECT_EQ(cluster.node(2).stop(SIGKILL), 128 + SIGKILL);
  const auto killedAt = Clock::now() - started;
  std::this_thread::sleep_for(std::chrono::seconds(5));
  postgres.stop();
  std::this_thread::sleep_for(std::chrono::seconds(2));
  postgres.start();
  std::this_thread::sleep_until(started + kRun);
  stop = true;
  for (std::thread& caller : callers) caller.join();
  registrar.join();

  std::string statuses;
  for (const auto& [status, count] : registrationStatuses) {
    statuses += " " + std::to_string(status) + "×" + std::to_string(count);
  }
  std::cout << "[ failover ] " << reads << " read calls in 20 s, " << failedReads
            << " failed; node 3 killed at "
            << std::chrono::duration_cast<std::chrono::milliseconds>(killedAt).count()
            << " ms, PostgreSQL down 10–12 s; registrations:" << statuses << "\n";
  EXPECT_EQ(failedReads, 0) << ::testing::PrintToString(failures);
  EXPECT_GT(reads, 200);
  ASSERT_GT(accepted.size(), 20u) << statuses;

  // Every registration answered 201 is in the store and on both nodes still running.
  for (std::size_t node = 0; node < 2; ++node) {
    for (const std::string& name : accepted) {
      EXPECT_GE(
          waitUntil(
              [&] {
                return httpRequest(cluster.url(node), "GET", kInstances + "/" + name).status == 200;
              },
              std::chrono::seconds(6))
              .count(),
          0)
          << name << " on node " << node;
    }
  }
  // A restarted node comes back with all of them from the store.
  cluster.start(2);
  const Reply listed = httpRequest(cluster.url(2), "GET", kInstances);
  for (const std::string& name : accepted) {
    EXPECT_THAT(listed.body, ::testing::HasSubstr("\"name\":\"" + name + "\"")) << name;
  }
}

}  // namespace
}  // namespace broker::testing
