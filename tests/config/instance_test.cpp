// Instance definitions: reading the API's JSON, writing it back with secrets transformed, and
// keeping secrets that come back masked.
#include "config/instance.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "broker/core/error.h"

namespace config {
namespace {

using ::testing::HasSubstr;

std::string messageOf(std::string_view json) {
  try {
    InstanceDefinition::fromJson(json, keepSecret);
  } catch (const broker::core::Error& e) {
    EXPECT_EQ(e.code(), broker::core::ErrorCode::kInvalidArgument);
    return e.message();
  }
  ADD_FAILURE() << "accepted: " << json;
  return {};
}

constexpr std::string_view kFull = R"({
  "name": "demo", "description": "The demo",
  "serviceKeys": {"serviceUrl": "http://127.0.0.1:4004/odata/v4/demo/", "usePostTunneling": true,
                  "retryCount": 3, "excludeQueryParameters": ["$top", "$skip"],
                  "defaultHttpRequestHeaders": [{"Name": "X-Api-Key", "Value": "k1"},
                                                {"Name": "Accept-Language", "Value": "de"}]},
  "auth": {"mode": "static", "username": "alice", "password": "p@ss"}})";

TEST(InstanceDefinitionTest, ReadsTypedServiceKeysAndAuth) {
  const auto definition = InstanceDefinition::fromJson(kFull, keepSecret);
  EXPECT_EQ(definition.name, "demo");
  EXPECT_EQ(definition.description, "The demo");
  EXPECT_TRUE(definition.keys.usePostTunneling);
  EXPECT_EQ(definition.keys.retryCount, 3);
  EXPECT_EQ(definition.keys.excludeQueryParameters, (std::vector<std::string>{"$top", "$skip"}));
  ASSERT_EQ(definition.keys.defaultHttpRequestHeaders.size(), 2u);
  EXPECT_EQ(definition.keys.defaultHttpRequestHeaders[0].value, "k1");
  EXPECT_EQ(definition.auth.mode, AuthMode::kStatic);
  EXPECT_EQ(definition.auth.username, "alice");
  EXPECT_EQ(definition.auth.password, "p@ss");
}

TEST(InstanceDefinitionTest, SecretsPassThroughTheTransformBothWays) {
  const auto definition = InstanceDefinition::fromJson(kFull, keepSecret);
  std::vector<std::string> fields;
  const std::string sealed = definition.toJson([&](std::string_view field, std::string_view v) {
    fields.emplace_back(field);
    return "sealed(" + std::string(v) + ")";
  });
  EXPECT_THAT(fields, ::testing::UnorderedElementsAre(
                          "serviceKeys.defaultHttpRequestHeaders.X-Api-Key", "auth.password"));
  EXPECT_THAT(sealed, HasSubstr(R"x("Value":"sealed(k1)")x"));
  EXPECT_THAT(sealed, HasSubstr(R"x("password":"sealed(p@ss)")x"));
  EXPECT_THAT(sealed, HasSubstr(R"("Value":"de")"));  // not a credential
  EXPECT_THAT(sealed, ::testing::Not(HasSubstr("p@ss\"")));

  const auto back = InstanceDefinition::fromJson(sealed, [](std::string_view, std::string_view v) {
    return std::string(v.substr(7, v.size() - 8));
  });
  EXPECT_EQ(back.auth.password, "p@ss");
  EXPECT_EQ(back.keys.defaultHttpRequestHeaders[0].value, "k1");
  EXPECT_EQ(back.toJson(keepSecret), definition.toJson(keepSecret));
}

TEST(InstanceDefinitionTest, MaskedSecretsSentBackKeepTheStoredOnes) {
  const auto stored = InstanceDefinition::fromJson(kFull, keepSecret);
  auto edited = InstanceDefinition::fromJson(stored.toJson(maskSecret), keepSecret);
  EXPECT_EQ(edited.auth.password, kSecretMask);
  edited.keepMaskedSecrets(stored);
  EXPECT_EQ(edited.auth.password, "p@ss");
  EXPECT_EQ(edited.keys.defaultHttpRequestHeaders[0].value, "k1");
  EXPECT_EQ(edited.toJson(keepSecret), stored.toJson(keepSecret));
}

TEST(InstanceDefinitionTest, BadDefinitionsNameWhatIsWrong) {
  EXPECT_THAT(messageOf("[1]"), HasSubstr("JSON object"));
  EXPECT_THAT(messageOf("{"), HasSubstr("not valid JSON"));
  EXPECT_THAT(messageOf(R"({"name": "a b", "serviceKeys": {"serviceUrl": "http://x/"}})"),
              HasSubstr("'a b' is not a valid instance name"));
  EXPECT_THAT(messageOf(R"({"name": "a"})"), HasSubstr("serviceKeys is required"));
  EXPECT_THAT(messageOf(R"({"name": "a", "serviceKeys": {"serviceUrl": "http://x/"}, "x": 1})"),
              HasSubstr("unknown member 'x'"));
  EXPECT_THAT(messageOf(R"({"name": "a", "serviceKeys": {"serviceUrl": "http://x/", "nope": 1}})"),
              HasSubstr("unknown service key 'nope'"));
  EXPECT_THAT(messageOf(R"({"name": "a", "serviceKeys": {"serviceUrl": "/relative"}})"),
              HasSubstr("'serviceUrl'"));
  EXPECT_THAT(
      messageOf(R"({"name": "a", "serviceKeys": {"serviceUrl": "http://x/", "retryCount": true}})"),
      HasSubstr("'retryCount' must be an integer"));
  EXPECT_THAT(
      messageOf(
          R"({"name": "a", "serviceKeys": {"serviceUrl": "http://x/"}, "auth": {"mode": "magic"}})"),
      HasSubstr("auth.mode: 'magic'"));
  EXPECT_THAT(
      messageOf(
          R"({"name": "a", "serviceKeys": {"serviceUrl": "http://x/"}, "auth": {"mode": "static"}})"),
      HasSubstr("auth.username is required"));
  EXPECT_THAT(
      messageOf(
          R"({"name": "a", "serviceKeys": {"serviceUrl": "http://x/"}, "auth": {"pin": "1"}})"),
      HasSubstr("auth: unknown member 'pin'"));
}

// Every auth field of the schema is read and written back; the secret ones only masked.
TEST(InstanceDefinitionTest, EveryAuthFieldOfTheSchemaRoundTrips) {
  std::string json =
      R"({"name": "x", "serviceKeys": {"serviceUrl": "http://h/"}, "auth": {"mode": "oauth")";
  for (const AuthFieldDefinition& field : authFieldSchema()) {
    json += ", \"" + std::string(field.name) + "\": ";
    if (field.type == "boolean") {
      json += "true";
    } else if (field.name == "clientAuthentication") {
      json += "\"post\"";
    } else {
      json += "\"v-" + std::string(field.name) + "\"";
    }
  }
  json += "}}";
  const InstanceDefinition definition = InstanceDefinition::fromJson(json, keepSecret);
  const std::string shown = definition.toJson(maskSecret);
  for (const AuthFieldDefinition& field : authFieldSchema()) {
    EXPECT_THAT(shown, HasSubstr("\"" + std::string(field.name) + "\":")) << field.name;
    const std::string value = "v-" + std::string(field.name);
    if (field.type == "secret") {
      EXPECT_THAT(shown, ::testing::Not(HasSubstr(value))) << field.name;
    } else if (field.type == "string" && field.name != "clientAuthentication") {
      EXPECT_THAT(shown, HasSubstr(value)) << field.name;
    }
  }
}

TEST(InstanceDefinitionTest, InstanceNamesAreUrlSafe) {
  EXPECT_TRUE(isValidInstanceName("demo_v4-2.test"));
  EXPECT_FALSE(isValidInstanceName(""));
  EXPECT_FALSE(isValidInstanceName(".hidden"));
  EXPECT_FALSE(isValidInstanceName("a/b"));
  EXPECT_FALSE(isValidInstanceName(std::string(101, 'a')));
}

}  // namespace
}  // namespace config
