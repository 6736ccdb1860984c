// POST /api/v1/instances/{name}/batch through the REST API (API.md §6) against CAP over V4: the
// answer's shape (responses in order, change sets with their calls, ids, statuses, rows), the
// example of the contract, expand and deep insert in the execute body, and every malformed
// body answered 400 naming the request and member.
#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <simdjson.h>

#include "broker_support.h"
#include "demo_broker_test.h"
#include "demo_peer.h"

namespace broker::testing {
namespace {

using ::testing::HasSubstr;

class BatchApiTest : public DemoBrokerTest {
 protected:
  static Reply batch(const std::string& body) {
    return broker_->request("POST", "/api/v1/instances/demo/batch", body);
  }
};

TEST_F(BatchApiTest, TheContractsExampleAnswersInOrder) {
  const Reply reply = batch(R"({"requests": [
      {"id": "r1", "object": "Categories", "method": "Load", "inputs": {"ID": 1},
       "expand": ["Products"]},
      {"changeSet": [
         {"id": "a", "object": "Orders", "method": "Create",
          "inputs": {"ID": 77, "Customer": "N",
                     "Items": [{"Pos": 1, "Quantity": 1}, {"Pos": 2, "Quantity": 2},
                               {"Pos": 3, "Quantity": 3}]}},
         {"id": "b", "object": "Products", "method": "Create",
          "inputs": {"ID": 900, "Name": "T",
                     "Category_ID": {"fromResult": "r0", "property": "ID"}}}]},
      {"changeSet": [
         {"id": "c", "object": "Categories", "method": "Create", "inputs": {"ID": 78, "Name": "C"}},
         {"id": "d", "object": "Products", "method": "Create",
          "inputs": {"ID": 901, "Name": "T", "Category_ID": {"fromResult": "c", "property": "ID"}}}]},
      {"id": "list", "object": "Products", "method": "List", "top": 2, "orderBy": "ID",
       "includeTotalCount": true, "returns": ["ID"], "expand": "Category"}]})");
  ASSERT_EQ(reply.status, 200) << reply.body;
  simdjson::dom::parser parser;
  simdjson::dom::array responses = parser.parse(reply.body)["responses"].get_array();
  ASSERT_EQ(responses.size(), 4u);
  simdjson::dom::element r1 = responses.at(0);
  EXPECT_EQ(std::string_view(r1["id"]), "r1");
  EXPECT_EQ(int64_t(r1["status"]), 200);
  EXPECT_EQ(std::string_view(r1["row"]["Name"]), "Beverages");
  EXPECT_EQ(r1["row"]["Products"].type().value(), simdjson::dom::element_type::ARRAY);
  // A reference to no earlier call of the change set: the change set is refused, named.
  simdjson::dom::element first = responses.at(1);
  EXPECT_EQ(int64_t(first["status"]), 400);
  EXPECT_THAT(std::string(std::string_view(first["error"]["message"])),
              HasSubstr("'b': input 'Category_ID': fromResult 'r0'"));
  EXPECT_EQ(int64_t(first["changeSet"].at(0)["status"]), 424);
  simdjson::dom::element second = responses.at(2);
  EXPECT_EQ(int64_t(second["status"]), 200);
  EXPECT_EQ(int64_t(second["changeSet"].at(0)["status"]), 201);
  EXPECT_EQ(int64_t(second["changeSet"].at(1)["row"]["Category_ID"]), 78);
  simdjson::dom::element list = responses.at(3);
  EXPECT_EQ(int64_t(list["count"]), 2);
  EXPECT_GT(int64_t(list["totalCount"]), 2);
  EXPECT_EQ(list["rows"].at(0)["Category/Name"].type().value(),
            simdjson::dom::element_type::STRING);
  // The order of the refused change set was not created.
  EXPECT_EQ(broker_
                ->request("POST", "/api/v1/instances/demo/objects/Orders/methods/Load",
                          R"({"inputs": {"ID": 77}})")
                .status,
            404);
}

TEST_F(BatchApiTest, DeepInsertThroughTheExecuteBody) {
  const Reply reply = broker_->request(
      "POST", "/api/v1/instances/demo/objects/Orders/methods/Create",
      R"({"inputs": {"ID": 79, "Items": [{"Pos": 1, "Quantity": 5}, {"Pos": 2, "Quantity": 6},
                                         {"Pos": 3, "Quantity": 7}]}})");
  ASSERT_EQ(reply.status, 200) << reply.body;
  simdjson::dom::parser parser;
  EXPECT_EQ(parser.parse(reply.body)["row"]["Items"].get_array().size(), 3u);
}

TEST_F(BatchApiTest, MalformedBodiesAreNamed) {
  const auto message = [](const std::string& body) {
    const Reply reply = batch(body);
    EXPECT_EQ(reply.status, 400) << body;
    return reply.body;
  };
  EXPECT_THAT(message("[]"), HasSubstr("JSON object"));
  EXPECT_THAT(message(R"({"requests": []})"), HasSubstr("requests must be a non-empty array"));
  EXPECT_THAT(message(R"({"requests": [1]})"), HasSubstr("requests[0] must be an object"));
  EXPECT_THAT(message(R"({"requests": [{"object": "Categories"}]})"),
              HasSubstr("requests[0]: method is required"));
  EXPECT_THAT(message(R"({"requests": [{"object": "Categories", "method": "List", "tops": 1}]})"),
              HasSubstr("requests[0]: unknown member 'tops'"));
  EXPECT_THAT(message(R"({"requests": [{"changeSet": [{"object": "A", "method": "List",
                                                        "top": -1}]}]})"),
              HasSubstr("requests[0].changeSet[0]: top must be"));
  EXPECT_THAT(message(R"({"requests": [{"changeSet": []}]})"), HasSubstr("non-empty array"));
  EXPECT_THAT(message(R"({"requests": [{"id": "x", "object": "A", "method": "List"},
                                       {"id": "x", "object": "A", "method": "List"}]})"),
              HasSubstr("id 'x' is used twice"));
  EXPECT_THAT(message(R"({"requests": [{"object": "A", "method": "List",
                                         "inputs": {"ID": {"fromResult": "a"}}}]})"),
              HasSubstr("requests[0].inputs.ID: property is required"));
  EXPECT_THAT(message(R"({"requests": [{"object": "A", "method": "List"}], "fallback": true})"),
              HasSubstr("unknown member 'fallback'"));
  // The verb.
  EXPECT_EQ(broker_->request("GET", "/api/v1/instances/demo/batch").status, 405);
  EXPECT_EQ(broker_
                ->request("POST", "/api/v1/instances/nobody/batch",
                          R"({"requests": [{"object": "A", "method": "List"}]})")
                .status,
            404);
}

TEST_F(BatchApiTest, TooManyCallsNameTheSetting) {
  config::BrokerSettings settings;
  settings.maxBatchCalls = 2;
  BrokerUnderTest small(settings);
  ASSERT_EQ(small.registerInstance("demo", peer_->v4()).status, 201);
  const Reply reply = small.request("POST", "/api/v1/instances/demo/batch",
                                    R"({"requests": [{"object": "Categories", "method": "List"},
                       {"changeSet": [{"object": "Categories", "method": "List"},
                                      {"object": "Categories", "method": "List"}]}]})");
  EXPECT_EQ(reply.status, 400);
  EXPECT_THAT(reply.body, HasSubstr("more than 2 calls (setting maxBatchCalls)"));
}

}  // namespace
}  // namespace broker::testing
