// The SQLite store: the store contract, WAL, schema versions and migration.
#include "config/store.h"

#include <Poco/Data/SQLite/Connector.h>
#include <Poco/Data/Session.h>
#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>

#include "broker/core/error.h"
#include "store_contract.h"

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

INSTANTIATE_TEST_SUITE_P(Sqlite, StoreContract, ::testing::Values([] {
                           auto dir = std::make_shared<std::filesystem::path>(
                               std::filesystem::temp_directory_path() /
                               ("store-contract-" + std::to_string(::getpid())));
                           std::filesystem::remove_all(*dir);
                           std::filesystem::create_directories(*dir);
                           return StoreOpener(
                               [dir] { return openSqliteStore(*dir / "broker.db"); });
                         }));

TEST_F(StoreTest, DescribesItsFile) {
  EXPECT_EQ(openSqliteStore(file())->describe(), "sqlite:" + file().string());
}

TEST_F(StoreTest, MigratesAVersionOneStoreKeepingItsRows) {
  {
    Poco::Data::SQLite::Connector::registerConnector();
    Poco::Data::Session session("SQLite", file().string());
    using namespace Poco::Data::Keywords;
    session << "CREATE TABLE instances (name TEXT PRIMARY KEY NOT NULL, definition TEXT NOT NULL, "
               "metadata TEXT NOT NULL, revision INTEGER NOT NULL, updated_at TEXT NOT NULL)",
        now;
    session << "INSERT INTO instances VALUES ('old', '{}', '<m/>', 7, '2026-01-01T00:00:00.000Z')",
        now;
    session << "PRAGMA user_version = 1", now;
  }
  auto store = openSqliteStore(file());
  ASSERT_EQ(store->loadAll().size(), 1u);
  EXPECT_EQ(store->load("old")->revision, 7);
  EXPECT_EQ(store->insert({"new", "{}", "<m/>"}).revision, 8);  // counts on from the rows
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
