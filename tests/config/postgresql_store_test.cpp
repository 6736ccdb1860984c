// The PostgreSQL store against a real server (Debian's postgresql, a cluster of the test's
// own): the store contract, the change feed, the schema version, the password kept out of
// every message, and a server that goes away and comes back.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <chrono>
#include <thread>

#include "broker/core/error.h"
#include "config/store.h"
#include "postgres_peer.h"
#include "store_contract.h"

namespace config {
namespace {

using broker::core::Error;
using broker::core::ErrorCode;
using broker::testing::PostgresPeer;

PostgresPeer& server() {
  static PostgresPeer peer;
  return peer;
}

// A database of its own for each test.
std::string freshDatabase() {
  static int count = 0;
  const std::string name =
      "store_" + std::to_string(++count) + "_" +
      std::string(::testing::UnitTest::GetInstance()->current_test_info()->name()).substr(0, 20);
  std::string lowered;
  for (const char c : name)
    lowered += std::isalnum(static_cast<unsigned char>(c)) ? std::tolower(c) : '_';
  return server().createDatabase(lowered);
}

INSTANTIATE_TEST_SUITE_P(Postgresql, StoreContract, ::testing::Values([] {
                           const std::string url = freshDatabase();
                           return StoreOpener(
                               [url] { return openPostgresqlStore(url, server().password()); });
                         }));

class PostgresqlStoreTest : public ::testing::Test {
 protected:
  void SetUp() override { url_ = freshDatabase(); }
  std::unique_ptr<Store> open() const { return openPostgresqlStore(url_, server().password()); }
  std::string database() const { return url_.substr(url_.rfind('/') + 1); }

  std::string url_;
};

TEST_F(PostgresqlStoreTest, TheFeedTellsOfWritesByAnotherNode) {
  auto writer = open();
  auto reader = open();
  auto feed = reader->changes();
  ASSERT_NE(feed, nullptr);
  EXPECT_FALSE(feed->wait(std::chrono::milliseconds(100)));
  for (const auto& write :
       std::vector<std::function<void()>>{[&] {
                                            writer->insert({"n", "{}", "<m/>"});
                                          },
                                          [&] {
                                            writer->replace({"n", "{}", "<m2/>"});
                                          },
                                          [&] { writer->remove("n"); }}) {
    const auto started = std::chrono::steady_clock::now();
    write();
    EXPECT_TRUE(feed->wait(std::chrono::seconds(1)));
    EXPECT_LT(std::chrono::steady_clock::now() - started, std::chrono::milliseconds(500));
    EXPECT_FALSE(feed->wait(std::chrono::milliseconds(50)));  // one write, one wake-up
  }
}

TEST_F(PostgresqlStoreTest, RecordsItsSchemaVersionAndRefusesANewerOne) {
  open();
  EXPECT_EQ(server().sql(database(), "SELECT version FROM store_schema"),
            std::to_string(kStoreSchemaVersion));
  open();  // a second node opening it migrates nothing
  server().sql(database(), "UPDATE store_schema SET version = 99");
  try {
    open();
    FAIL() << "opened";
  } catch (const Error& e) {
    EXPECT_EQ(e.code(), ErrorCode::kInvalidArgument);
    EXPECT_THAT(e.message(), ::testing::HasSubstr("schema version 99, newer than"));
  }
}

TEST_F(PostgresqlStoreTest, NodesStartingTogetherMigrateOnce) {
  std::vector<std::future<std::string>> starts;
  for (int i = 0; i < 4; ++i) {
    starts.push_back(std::async(std::launch::async, [&] {
      try {
        open();
        return std::string();
      } catch (const Error& e) {
        return e.message();
      }
    }));
  }
  for (auto& start : starts) EXPECT_EQ(start.get(), "");
  EXPECT_EQ(server().sql(database(), "SELECT count(*) FROM store_counter"), "1");
}

TEST_F(PostgresqlStoreTest, NeverShowsThePassword) {
  EXPECT_EQ(open()->describe(), url_);
  const std::string withPassword =
      "postgresql://broker:" + server().password() + "@" + url_.substr(url_.find('@') + 1);
  auto store = openPostgresqlStore(withPassword, "");  // the URL's own password works too
  EXPECT_EQ(store->describe(), url_);
  try {
    openPostgresqlStore(url_, "not-the-password");
    FAIL() << "opened";
  } catch (const Error& e) {
    EXPECT_EQ(e.code(), ErrorCode::kUnavailable);
    EXPECT_THAT(e.message(), ::testing::HasSubstr("password authentication failed"));
    EXPECT_THAT(e.message(), ::testing::Not(::testing::HasSubstr("not-the-password")));
    EXPECT_THAT(e.message(), ::testing::HasSubstr(url_));
  }
}

TEST_F(PostgresqlStoreTest, NamesWhatIsWrongWithAUrl) {
  for (const auto& [url, why] : std::vector<std::pair<std::string, std::string>>{
           {"postgresql://broker@127.0.0.1:5432/", "no database name"},
           {"postgresql:///db", "no host"},
           {"postgresql://h/db?password=x", "password in a file or the environment"},
           {"postgresql://h/db?bad-name=1", "parameter 'bad-name'"}}) {
    try {
      openPostgresqlStore(url, "");
      ADD_FAILURE() << url;
    } catch (const Error& e) {
      EXPECT_EQ(e.code(), ErrorCode::kInvalidArgument) << url;
      EXPECT_THAT(e.message(), ::testing::HasSubstr(why)) << url;
    }
  }
}

// Runs last in this suite: it stops and starts the shared server.
TEST_F(PostgresqlStoreTest, ZReconnectsAfterTheServerRestarts) {
  auto store = open();
  auto feed = store->changes();
  store->insert({"before", "{}", "<m/>"});
  server().stop();
  try {
    store->insert({"during", "{}", "<m/>"});
    FAIL() << "wrote while the server was down";
  } catch (const Error& e) {
    EXPECT_EQ(e.code(), ErrorCode::kUnavailable) << e.message();
    EXPECT_THAT(e.message(), ::testing::HasSubstr(url_));
  }
  EXPECT_THROW(
      {
        for (int i = 0; i < 20; ++i) feed->wait(std::chrono::milliseconds(50));
      },
      Error);
  server().start();
  // The store connects again by itself; the feed is opened anew by its owner.
  EXPECT_EQ(store->insert({"after", "{}", "<m/>"}).name, "after");
  EXPECT_EQ(store->loadAll().size(), 2u);
  feed = store->changes();
  open()->remove("before");
  EXPECT_TRUE(feed->wait(std::chrono::seconds(1)));
}

}  // namespace
}  // namespace config
