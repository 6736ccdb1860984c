// Calls keep working while instances are refreshed, changed and re-registered: 8 clients call
// through real HTTP while an admin thread swaps catalogs under them. Run under ASan and TSan too.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <atomic>
#include <thread>

#include "broker/core/log.h"
#include "broker_support.h"
#include "demo_peer.h"

namespace broker::testing {
namespace {

const std::string kInstances = "/api/v1/instances";

TEST(ConcurrencyTest, CallsDoNotFailWhileInstancesAreRefreshedAndReRegistered) {
  core::setLogLevel(core::LogLevel::kWarning);
  DemoPeer peer;
  BrokerUnderTest broker;
  const auto definition = [&](const std::string& name, int retryCount) {
    return R"({"name": ")" + name + R"(", "serviceKeys": {"serviceUrl": ")" + peer.v4() +
           R"(", "retryCount": )" + std::to_string(retryCount) + "}}";
  };
  ASSERT_EQ(broker.request("POST", kInstances, definition("demo", 2)).status, 201);
  ASSERT_EQ(broker.request("POST", kInstances, definition("other", 2)).status, 201);

  // Clients call until the admin thread has made all its rounds (and at least kMinCallsEach
  // calls each), so the changes overlap the calls however slow a sanitizer makes either side.
  constexpr int kClients = 8;
  constexpr int kMinCallsEach = 40;
  constexpr int kAdminRounds = 3;
  std::atomic<int> failures{0};
  std::atomic<int> calls{0};
  std::atomic<bool> adminDone{false};
  std::mutex firstFailureMutex;
  std::string firstFailure;

  std::vector<std::thread> clients;
  for (int c = 0; c < kClients; ++c) {
    clients.emplace_back([&, c] {
      for (int i = 0; i < kMinCallsEach || !adminDone.load(); ++i) {
        const std::string instance = (c + i) % 2 ? "demo" : "other";
        const bool list = i % 3 == 0;
        const Reply reply = broker.request(
            "POST",
            kInstances + "/" + instance + "/objects/Products/methods/" + (list ? "List" : "Load"),
            list ? R"({"top": 20, "returns": ["ID", "Name"]})"
                 : R"({"inputs": {"ID": )" + std::to_string(1 + (c * 31 + i) % 600) + "}}");
        ++calls;
        if (reply.status != 200) {
          ++failures;
          const std::lock_guard lock(firstFailureMutex);
          if (firstFailure.empty()) firstFailure = std::to_string(reply.status) + " " + reply.body;
        }
      }
    });
  }
  std::thread admin([&] {
    for (int round = 0; round < kAdminRounds; ++round) {
      const bool ok =
          broker.request("POST", kInstances + "/demo/refresh").status == 200 &&
          broker.request("PUT", kInstances + "/other", definition("other", round % 3)).status ==
              200 &&
          broker.request("POST", kInstances, definition("extra", 1)).status == 201 &&
          broker.request("DELETE", kInstances + "/extra").status == 204;
      if (!ok) ++failures;
    }
    adminDone = true;
  });
  for (std::thread& client : clients) client.join();
  admin.join();
  EXPECT_EQ(failures.load(), 0) << firstFailure;
  std::cout << "[ concurrency ] " << calls.load() << " calls, " << 4 * kAdminRounds
            << " registry changes, " << failures.load() << " failures\n";
}

}  // namespace
}  // namespace broker::testing
