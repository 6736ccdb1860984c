// The SQLite store: writes, reads, revisions, reopening, and schema versions.
#include "config/store.h"

#include <Poco/Data/SQLite/Connector.h>
#include <Poco/Data/Session.h>
#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>

#include "broker/core/error.h"

namespace config {
namespace {

class StoreTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = std::filesystem::temp_directory_path() /
           ("store-test-" + std::to_string(::getpid()) + "-" +
            ::testing::UnitTest::GetInstance()->current_test_info()->name());
    std::filesystem::remove_all(dir_);
    std::filesystem::create_directories(dir_);
  }
  void TearDown() override { std::filesystem::remove_all(dir_); }
  std::filesystem::path file() const { return dir_ / "broker.db"; }

  std::filesystem::path dir_;
};

TEST_F(StoreTest, KeepsInstancesAcrossReopening) {
  {
    auto store = openSqliteStore(file());
    EXPECT_TRUE(store->loadAll().empty());
    const StoredInstance first = store->put({"b", "{\"name\":\"b\"}", "<edmx/>"});
    EXPECT_EQ(first.revision, 1);
    EXPECT_THAT(first.updatedAt, ::testing::MatchesRegex("[0-9]{4}-[0-9]{2}-[0-9]{2}T.*Z"));
    store->put({"a", "{\"name\":\"a\"}", std::string(3 << 20, 'm')});  // a 3 MB document
    EXPECT_EQ(store->put({"b", "{\"name\":\"b2\"}", "<edmx2/>"}).revision, 2);
  }
  auto store = openSqliteStore(file());
  const auto all = store->loadAll();
  ASSERT_EQ(all.size(), 2u);
  EXPECT_EQ(all[0].name, "a");
  EXPECT_EQ(all[0].metadata.size(), 3u << 20);
  EXPECT_EQ(all[1].definition, "{\"name\":\"b2\"}");
  EXPECT_EQ(all[1].metadata, "<edmx2/>");
  EXPECT_EQ(all[1].revision, 2);
  EXPECT_TRUE(store->remove("a"));
  EXPECT_FALSE(store->remove("a"));
  EXPECT_EQ(store->loadAll().size(), 1u);
  EXPECT_EQ(store->describe(), "sqlite:" + file().string());
}

TEST_F(StoreTest, UsesWalAndRecordsItsSchemaVersion) {
  openSqliteStore(file());
  Poco::Data::SQLite::Connector::registerConnector();
  Poco::Data::Session session("SQLite", file().string());
  std::string mode;
  int version = 0;
  using namespace Poco::Data::Keywords;
  session << "PRAGMA journal_mode", into(mode), now;
  session << "PRAGMA user_version", into(version), now;
  EXPECT_EQ(mode, "wal");
  EXPECT_EQ(version, kStoreSchemaVersion);
}

TEST_F(StoreTest, RefusesAStoreOfANewerBroker) {
  openSqliteStore(file());
  {
    Poco::Data::Session session("SQLite", file().string());
    using namespace Poco::Data::Keywords;
    session << "PRAGMA user_version = 99", now;
  }
  try {
    openSqliteStore(file());
    FAIL() << "opened";
  } catch (const broker::core::Error& e) {
    EXPECT_THAT(e.message(), ::testing::HasSubstr("schema version 99, newer than"));
  }
}

TEST_F(StoreTest, NamesAFileThatCannotBeOpened) {
  try {
    openSqliteStore(dir_ / "missing-dir" / "broker.db");
    FAIL() << "opened";
  } catch (const broker::core::Error& e) {
    EXPECT_EQ(e.code(), broker::core::ErrorCode::kInvalidArgument);
    EXPECT_THAT(e.message(), ::testing::HasSubstr("missing-dir"));
  }
}

}  // namespace
}  // namespace config
