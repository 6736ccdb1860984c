// Broker settings: defaults, a properties or JSON file, the environment, then flags.
#include "config/settings.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <stdlib.h>

#include <filesystem>
#include <fstream>

#include "broker/core/error.h"

namespace config {
namespace {

using ::testing::HasSubstr;

std::filesystem::path writeFile(const std::string& name, const std::string& text) {
  const auto path =
      std::filesystem::temp_directory_path() / (std::to_string(::getpid()) + "-" + name);
  std::ofstream(path) << text;
  return path;
}

std::string messageOf(const std::optional<std::filesystem::path>& file,
                      std::vector<std::pair<std::string, std::string>> overrides = {}) {
  try {
    loadSettings(file, overrides);
  } catch (const broker::core::Error& e) {
    return e.message();
  }
  ADD_FAILURE() << "accepted";
  return {};
}

TEST(SettingsTest, DefaultsThenFileThenEnvironmentThenFlags) {
  ::unsetenv("ODATA_BROKER_ADMIN_KEY");
  ::unsetenv("ODATA_BROKER_CALLER_KEY");
  const BrokerSettings defaults = loadSettings(std::nullopt, {});
  EXPECT_EQ(defaults.host, "127.0.0.1");
  EXPECT_EQ(defaults.port, 8080);
  EXPECT_EQ(defaults.keyFile(), defaults.dataDir / "secret.key");

  const auto file =
      writeFile("broker.properties",
                "# comment\nport = 9000\nthreads = 4\nadminKeys = a1, a2\n"
                "dataDir = /var/lib/x\nlogLevel = debug\nmaxStreamBytes = 104857600\n");
  ::setenv("ODATA_BROKER_CALLER_KEY", "c1", 1);
  const std::vector<std::pair<std::string, std::string>> flags = {{"port", "9001"}};
  const BrokerSettings settings = loadSettings(file, flags);
  ::unsetenv("ODATA_BROKER_CALLER_KEY");
  EXPECT_EQ(settings.port, 9001);
  EXPECT_EQ(settings.threads, 4);
  EXPECT_EQ(settings.adminKeys, (std::vector<std::string>{"a1", "a2"}));
  EXPECT_EQ(settings.callerKeys, (std::vector<std::string>{"c1"}));
  EXPECT_EQ(settings.storeFile(), std::filesystem::path("/var/lib/x/broker.db"));
  EXPECT_EQ(settings.logLevel, "debug");
  EXPECT_EQ(settings.maxStreamBytes, 104857600u);
  EXPECT_EQ(defaults.maxStreamBytes, std::uint64_t{4} << 30);
  std::filesystem::remove(file);
}

TEST(SettingsTest, JsonFilesToo) {
  const auto file = writeFile("broker.json", R"({"port": 7000, "host": "0.0.0.0"})");
  const BrokerSettings settings = loadSettings(file, {});
  EXPECT_EQ(settings.port, 7000);
  EXPECT_EQ(settings.host, "0.0.0.0");
  std::filesystem::remove(file);
}

TEST(SettingsTest, BadSettingsNameTheSettingAndWhereItCameFrom) {
  const auto file = writeFile("bad.properties", "prot = 80\n");
  EXPECT_THAT(messageOf(file), HasSubstr("unknown setting 'prot'"));
  EXPECT_THAT(messageOf(file), HasSubstr(file.string()));
  std::filesystem::remove(file);
  EXPECT_THAT(messageOf(std::nullopt, {{"port", "70000"}}),
              HasSubstr("setting 'port' from the command line: '70000' is not an integer"));
  EXPECT_THAT(messageOf(std::nullopt, {{"logLevel", "loud"}}), HasSubstr("'logLevel'"));
  EXPECT_THAT(messageOf(std::filesystem::path("/nonexistent/broker.properties")),
              HasSubstr("cannot be read"));
}

}  // namespace
}  // namespace config

namespace config {
namespace {

TEST(SettingsTest, TheStoreIsSqliteUnderTheDataDirOrWhatTheSettingNames) {
  EXPECT_EQ(loadSettings(std::nullopt, {}).storeFile(),
            std::filesystem::path("odata-broker-data/broker.db"));
  const std::vector<std::pair<std::string, std::string>> sqlite = {{"store", "sqlite:/srv/b.db"}};
  EXPECT_EQ(loadSettings(std::nullopt, sqlite).storeFile(), std::filesystem::path("/srv/b.db"));
  const std::vector<std::pair<std::string, std::string>> postgres = {
      {"store", "postgresql://broker@db:5432/registry"}};
  const BrokerSettings shared = loadSettings(std::nullopt, postgres);
  EXPECT_FALSE(shared.storeFile().has_value());
  EXPECT_EQ(shared.store, "postgresql://broker@db:5432/registry");
  EXPECT_THAT(messageOf(std::nullopt, {{"store", "mysql://x/y"}}),
              HasSubstr("setting 'store' from the command line: 'mysql://x/y' is not sqlite:PATH"));
}

TEST(SettingsTest, TheStorePasswordComesFromAFileOrTheEnvironment) {
  const auto file = writeFile("store.password", "s3cret\n");
  ::setenv("ODATA_BROKER_STORE_PASSWORD", "from-env", 1);
  EXPECT_EQ(loadSettings(std::nullopt, {}).storePassword, "from-env");
  const std::vector<std::pair<std::string, std::string>> flags = {
      {"storePasswordFile", file.string()}};
  EXPECT_EQ(loadSettings(std::nullopt, flags).storePassword, "s3cret");  // the file wins
  ::unsetenv("ODATA_BROKER_STORE_PASSWORD");
  std::filesystem::remove(file);
  EXPECT_THAT(messageOf(std::nullopt, {{"storePasswordFile", "/dev/zero"}}),
              HasSubstr("is not a file"));
  const auto huge = writeFile("huge.password", std::string(5000, 'p'));
  EXPECT_THAT(messageOf(std::nullopt, {{"storePasswordFile", huge.string()}}),
              HasSubstr("more than 4096 bytes"));
  std::filesystem::remove(huge);
}

}  // namespace
}  // namespace config
