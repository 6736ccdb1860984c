// Request inspection through the REST API: `X-Broker-Inspect: true` on an execute call returns
// the upstream requests with the result (URL, status, time, bodies), credentials masked; without
// the header the result has no inspection.
#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <simdjson.h>

#include "broker/core/text.h"
#include "broker_support.h"
#include "demo_peer.h"

namespace broker::testing {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;

TEST(InspectionTest, UpstreamRequestsComeBackWithTheirSecretsMasked) {
  DemoPeer peer;
  BrokerUnderTest broker;
  const Reply registered = broker.request(
      "POST", "/api/v1/instances",
      R"({"name": "demo", "serviceKeys": {"serviceUrl": ")" + peer.v4() +
          R"("}, "auth": {"mode": "static", "username": "someone", "password": "s3cret-pw"}})");
  ASSERT_EQ(registered.status, 201) << registered.body;
  const std::string path = "/api/v1/instances/demo/objects/Products/methods/List";
  const std::string body = R"({"top": 2, "returns": ["ID"]})";
  const Reply plain = broker.request("POST", path, body);
  ASSERT_EQ(plain.status, 200);
  EXPECT_THAT(plain.body, Not(HasSubstr("inspection")));
  const Reply inspected = broker.request("POST", path, body, {{"X-Broker-Inspect", "true"}});
  ASSERT_EQ(inspected.status, 200) << inspected.body;
  simdjson::dom::parser parser;
  simdjson::dom::element upstream = parser.parse(inspected.body)["inspection"]["upstream"].at(0);
  EXPECT_EQ(std::string_view(upstream["method"]), "GET");
  EXPECT_THAT(std::string(std::string_view(upstream["url"])),
              HasSubstr("/odata/v4/demo/Products?$select=ID&$top=2"));
  EXPECT_EQ(int64_t(upstream["status"]), 200);
  EXPECT_THAT(std::string(std::string_view(upstream["responseBody"])), HasSubstr("\"value\""));
  bool authorization = false;
  for (simdjson::dom::element header : upstream["headers"].get_array()) {
    if (core::equalsIgnoreCase(std::string_view(header["name"]), "Authorization")) {
      authorization = true;
      EXPECT_EQ(std::string_view(header["value"]), "****");
    }
  }
  EXPECT_TRUE(authorization) << "the credentials went, masked in the inspection";
  EXPECT_THAT(inspected.body, Not(HasSubstr(core::base64Encode("someone:s3cret-pw"))));
  EXPECT_THAT(inspected.body, Not(HasSubstr("s3cret-pw")));
}

}  // namespace
}  // namespace broker::testing
