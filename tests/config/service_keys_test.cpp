// Service keys: the schema, defaults, and validation with messages naming the key.
#include "config/service_keys.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <set>

#include "broker/core/error.h"

namespace config {
namespace {

using ::testing::HasSubstr;
using Pairs = std::vector<std::pair<std::string, std::string>>;

std::string parseError(Pairs pairs) {
  try {
    ServiceKeys::parse(pairs);
  } catch (const broker::core::Error& e) {
    EXPECT_EQ(e.code(), broker::core::ErrorCode::kInvalidArgument);
    return e.message();
  }
  ADD_FAILURE() << "no error";
  return {};
}

TEST(ServiceKeysTest, SchemaListsEveryKeyOnceWithDescription) {
  std::set<std::string_view> names;
  for (const ServiceKeyDefinition& key : serviceKeySchema()) {
    EXPECT_TRUE(names.insert(key.name).second) << key.name;
    EXPECT_FALSE(key.description.empty()) << key.name;
    if (key.type == ServiceKeyType::kChoice) {
      EXPECT_FALSE(key.choices.empty()) << key.name;
    }
  }
  EXPECT_EQ(names.size(), 29u);  // API.md §3, and proxyUrl
  EXPECT_TRUE(serviceKeySchema()[0].required);
}

TEST(ServiceKeysTest, SchemaDefaultsAreTheTypedDefaults) {
  // Parsing every documented default must give the same values as not giving the key at all:
  // the schema the UI shows and the behaviour cannot drift apart.
  Pairs pairs = {{"serviceUrl", "http://127.0.0.1/svc/"}};
  for (const ServiceKeyDefinition& key : serviceKeySchema()) {
    if (key.name != "serviceUrl") pairs.emplace_back(key.name, key.defaultValue);
  }
  const ServiceKeys parsed = ServiceKeys::parse(pairs);
  const ServiceKeys defaults = ServiceKeys::defaults("http://127.0.0.1/svc/");
  EXPECT_EQ(parsed.namesAppendPropertyTypes, defaults.namesAppendPropertyTypes);
  EXPECT_EQ(parsed.serializationIncludeAllTypes, defaults.serializationIncludeAllTypes);
  EXPECT_EQ(parsed.followNextLinks, defaults.followNextLinks);
  EXPECT_EQ(parsed.defaultHttpMethodForServiceOperations,
            defaults.defaultHttpMethodForServiceOperations);
  EXPECT_EQ(parsed.certificateStoreName, defaults.certificateStoreName);
  EXPECT_EQ(parsed.certificateStoreLocation, defaults.certificateStoreLocation);
  EXPECT_EQ(parsed.certificateSearchMethod, defaults.certificateSearchMethod);
  EXPECT_EQ(parsed.certificateSearchValue, defaults.certificateSearchValue);
  EXPECT_EQ(parsed.requestTimeout, defaults.requestTimeout);
  EXPECT_EQ(parsed.maxRows, defaults.maxRows);
  EXPECT_EQ(parsed.retryCount, defaults.retryCount);
  EXPECT_EQ(parsed.csrfTokenHandling, defaults.csrfTokenHandling);
  EXPECT_TRUE(parsed.excludeQueryParameters.empty());
  EXPECT_TRUE(parsed.defaultHttpRequestHeaders.empty());
  EXPECT_FALSE(parsed.metadataUrlOrFilePath.has_value());
}

TEST(ServiceKeysTest, ParsesTypedValues) {
  const ServiceKeys keys = ServiceKeys::parse(Pairs{
      {"serviceUrl", " http://127.0.0.1:4004/odata/v4/demo/ "},
      {"usePostTunneling", "TRUE"},
      {"excludeQueryParameters", "$top, $skip,,$inlinecount"},
      {"requestTimeoutSeconds", "30"},
      {"certificateSearchMethod", "findbythumbprint"},
      {"csrfTokenHandling", "always"},
      {"defaultHttpMethodForServiceOperations", "PATCH"},
      {"defaultHttpRequestHeaders", R"([{"Name":"X-Tenant","Value":"a"},{"Name":"X-B"}])"},
  });
  EXPECT_EQ(keys.serviceUrl, "http://127.0.0.1:4004/odata/v4/demo/");
  EXPECT_TRUE(keys.usePostTunneling);
  EXPECT_EQ(keys.excludeQueryParameters,
            (std::vector<std::string>{"$top", "$skip", "$inlinecount"}));
  EXPECT_EQ(keys.requestTimeout, std::chrono::seconds(30));
  EXPECT_EQ(keys.certificateSearchMethod, CertificateSearchMethod::kFindByThumbprint);
  EXPECT_EQ(keys.csrfTokenHandling, CsrfTokenHandling::kAlways);
  EXPECT_EQ(keys.defaultHttpMethodForServiceOperations, OperationHttpMethod::kPost);
  EXPECT_EQ(keys.defaultHttpRequestHeaders,
            (std::vector<HttpHeader>{{"X-Tenant", "a"}, {"X-B", ""}}));
}

TEST(ServiceKeysTest, ParsesHeaderLines) {
  const ServiceKeys keys = ServiceKeys::parse(
      Pairs{{"serviceUrl", "http://x/"}, {"defaultHttpRequestHeaders", "A: 1\nB:two words\n"}});
  EXPECT_EQ(keys.defaultHttpRequestHeaders,
            (std::vector<HttpHeader>{{"A", "1"}, {"B", "two words"}}));
}

struct BadKeyCase {
  std::string key;
  std::string value;
  std::string message;
};

class BadKeyTest : public ::testing::TestWithParam<BadKeyCase> {};

TEST_P(BadKeyTest, NamesTheKey) {
  EXPECT_THAT(parseError({{"serviceUrl", "http://x/"}, {GetParam().key, GetParam().value}}),
              HasSubstr(GetParam().message));
}

INSTANTIATE_TEST_SUITE_P(
    Values, BadKeyTest,
    ::testing::Values(
        BadKeyCase{"nope", "1", "unknown service key 'nope'"},
        BadKeyCase{"followNextLinks", "yes",
                   "service key 'followNextLinks': 'yes' is not true or false"},
        BadKeyCase{"maxRows", "many", "service key 'maxRows': 'many' is not a whole number"},
        BadKeyCase{"maxRows", "0", "service key 'maxRows': '0' is out of range"},
        BadKeyCase{"retryCount", "99", "service key 'retryCount': '99' is out of range"},
        BadKeyCase{"csrfTokenHandling", "sometimes", "is not one of auto, always, never"},
        BadKeyCase{"certificateStoreName", "../etc", "is not a store name"},
        BadKeyCase{"defaultHttpRequestHeaders", "[{\"Value\":\"x\"}]",
                   "has an entry without a Name"},
        BadKeyCase{"defaultHttpRequestHeaders", "[1,", "is not a JSON array"},
        BadKeyCase{"defaultHttpRequestHeaders", "no colon", "is not 'Name: Value'"},
        BadKeyCase{"defaultHttpRequestHeaders", "[{\"Name\":\"A B\"}]", "is not a valid header"}));

TEST(ServiceKeysTest, RequiresServiceUrl) {
  EXPECT_THAT(parseError({{"usePostTunneling", "true"}}), HasSubstr("'serviceUrl' is required"));
}

}  // namespace
}  // namespace config

namespace config {
namespace {

TEST(ServiceKeysListTest, AListKeyTakesCommasOrAJsonArray) {
  const auto keys = ServiceKeys::parse(std::vector<std::pair<std::string, std::string>>{
      {"serviceUrl", "http://x/"}, {"excludeQueryParameters", R"([" $filter", "$skip", ""])"}});
  EXPECT_EQ(keys.excludeQueryParameters, (std::vector<std::string>{"$filter", "$skip"}));
  const auto commas = ServiceKeys::parse(std::vector<std::pair<std::string, std::string>>{
      {"serviceUrl", "http://x/"}, {"excludeQueryParameters", "[odd, $top"}});
  EXPECT_EQ(commas.excludeQueryParameters, (std::vector<std::string>{"[odd", "$top"}));
}

}  // namespace
}  // namespace config
