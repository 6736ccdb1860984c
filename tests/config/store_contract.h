// What every store does, whatever keeps it: tests instantiated for SQLite (store_test) and for
// PostgreSQL (postgresql_store_test) with a function that opens the store under test, the
// same one each time it is called within a test.
#pragma once

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <functional>
#include <future>
#include <memory>
#include <set>
#include <string>
#include <vector>

#include "broker/core/error.h"
#include "config/store.h"

namespace config {

using StoreOpener = std::function<std::unique_ptr<Store>()>;

class StoreContract : public ::testing::TestWithParam<std::function<StoreOpener()>> {
 protected:
  void SetUp() override { open_ = GetParam()(); }
  std::unique_ptr<Store> open() const { return open_(); }

 private:
  StoreOpener open_;
};

inline broker::core::ErrorCode codeOf(const std::function<void()>& work) {
  try {
    work();
  } catch (const broker::core::Error& e) {
    return e.code();
  }
  ADD_FAILURE() << "no error";
  return broker::core::ErrorCode::kInternal;
}

TEST_P(StoreContract, KeepsInstancesAcrossReopening) {
  std::int64_t firstRevision = 0;
  {
    auto store = open();
    EXPECT_TRUE(store->loadAll().empty());
    const StoredInstance first = store->insert({"b", "{\"name\":\"b\"}", "<edmx/>"});
    firstRevision = first.revision;
    EXPECT_GT(first.revision, 0);
    EXPECT_THAT(first.updatedAt, ::testing::MatchesRegex("[0-9]{4}-[0-9]{2}-[0-9]{2}T.*Z"));
    store->insert({"a", "{\"name\":\"a\"}", std::string(3 << 20, 'm')});  // a 3 MB document
    EXPECT_GT(store->replace({"b", "{\"name\":\"b2\"}", "<edmx2/>"}).revision, firstRevision);
  }
  auto store = open();
  const auto all = store->loadAll();
  ASSERT_EQ(all.size(), 2u);
  EXPECT_EQ(all[0].name, "a");
  EXPECT_EQ(all[0].metadata.size(), 3u << 20);
  EXPECT_EQ(all[1].definition, "{\"name\":\"b2\"}");
  EXPECT_EQ(all[1].metadata, "<edmx2/>");
  EXPECT_EQ(store->load("b")->revision, all[1].revision);
  EXPECT_FALSE(store->load("c").has_value());
  EXPECT_TRUE(store->remove("a"));
  EXPECT_FALSE(store->remove("a"));
  EXPECT_EQ(store->loadAll().size(), 1u);
}

TEST_P(StoreContract, InsertRefusesATakenNameAndReplaceAMissingOne) {
  auto store = open();
  store->insert({"x", "{}", "<m/>"});
  EXPECT_EQ(codeOf([&] {
              store->insert({"x", "{\"other\":1}", "<m/>"});
            }),
            broker::core::ErrorCode::kConflict);
  EXPECT_EQ(store->load("x")->definition, "{}");  // the first stays
  EXPECT_EQ(codeOf([&] {
              store->replace({"y", "{}", "<m/>"});
            }),
            broker::core::ErrorCode::kNotFound);
  EXPECT_FALSE(store->load("y").has_value());
}

TEST_P(StoreContract, ReplaceRefusesARowWrittenSinceItsRevision) {
  auto store = open();
  const std::int64_t first = store->insert({"x", "{\"v\":1}", "<m/>"}).revision;
  const std::int64_t second = store->replace({"x", "{\"v\":2}", "<m/>", first}).revision;
  try {
    store->replace({"x", "{\"v\":3}", "<m/>", first});  // based on what was replaced since
    ADD_FAILURE() << "replaced a row written since";
  } catch (const broker::core::Error& e) {
    EXPECT_EQ(e.code(), broker::core::ErrorCode::kConflict);
    EXPECT_THAT(e.message(), ::testing::HasSubstr("changed meanwhile"));
  }
  EXPECT_EQ(store->load("x")->definition, "{\"v\":2}");
  EXPECT_GT(store->replace({"x", "{\"v\":4}", "<m/>", second}).revision, second);
  EXPECT_EQ(store->replace({"x", "{\"v\":5}", "<m/>", 0}).name, "x");  // 0: any revision
}

TEST_P(StoreContract, RevisionsAreNeverReusedAcrossNamesAndRemovals) {
  auto store = open();
  std::set<std::int64_t> seen;
  for (int round = 0; round < 3; ++round) {
    EXPECT_TRUE(seen.insert(store->insert({"p", "{}", "<m/>"}).revision).second);
    EXPECT_TRUE(seen.insert(store->insert({"q", "{}", "<m/>"}).revision).second);
    EXPECT_TRUE(seen.insert(store->replace({"p", "{}", "<m2/>"}).revision).second);
    const auto revisions = store->revisions();
    ASSERT_EQ(revisions.size(), 2u);
    EXPECT_EQ(revisions[0].name, "p");
    EXPECT_EQ(revisions[0].revision, store->load("p")->revision);
    store->remove("p");
    store->remove("q");
  }
}

TEST_P(StoreContract, KeepsTheFirstKeyCheckValue) {
  EXPECT_EQ(open()->keyCheck("first"), "first");
  EXPECT_EQ(open()->keyCheck("second"), "first");
}

TEST_P(StoreContract, ConcurrentInsertsOfOneNameGiveOneWinner) {
  std::vector<std::unique_ptr<Store>> stores;
  for (int i = 0; i < 4; ++i) stores.push_back(open());
  for (int round = 0; round < 5; ++round) {
    const std::string name = "race" + std::to_string(round);
    std::vector<std::future<bool>> attempts;
    for (auto& store : stores) {
      attempts.push_back(std::async(std::launch::async, [&store, &name] {
        try {
          store->insert({name, "{}", "<m/>"});
          return true;
        } catch (const broker::core::Error& e) {
          EXPECT_EQ(e.code(), broker::core::ErrorCode::kConflict) << e.message();
          return false;
        }
      }));
    }
    int winners = 0;
    for (auto& attempt : attempts) winners += attempt.get() ? 1 : 0;
    EXPECT_EQ(winners, 1) << name;
  }
}

}  // namespace config
