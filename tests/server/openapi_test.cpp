// The OpenAPI documents (API.md §4) served by a broker with the demo service registered: the
// REST API's, and the instance's with one typed operation per service-object method. Checked
// here for shape: every method has its operation, ids are unique, every $ref resolves, types
// follow the EDM types. (Validation with an OpenAPI validator from npm is still to come.)
#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <simdjson.h>

#include <set>

#include "broker_support.h"
#include "demo_broker_test.h"
#include "demo_peer.h"

namespace broker::testing {
namespace {

using ::testing::HasSubstr;

// Every "$ref" in `element` names something under `root`.
void checkRefs(simdjson::dom::element root, simdjson::dom::element element, int& refs) {
  if (element.is_object()) {
    for (auto [key, value] : element.get_object()) {
      if (key == "$ref") {
        const std::string_view ref = value.get_string();
        ASSERT_TRUE(ref.starts_with("#/")) << ref;
        simdjson::dom::element target;
        EXPECT_EQ(root.at_pointer(ref.substr(1)).get(target), simdjson::SUCCESS) << ref;
        ++refs;
      } else {
        checkRefs(root, value, refs);
      }
    }
  } else if (element.is_array()) {
    for (simdjson::dom::element item : element.get_array()) checkRefs(root, item, refs);
  }
}

class OpenApiTest : public DemoBrokerTest {};

TEST_F(OpenApiTest, TheRestApiDocumentHasEveryRoute) {
  const Reply reply = broker_->request("GET", "/api/v1/openapi.json");
  ASSERT_EQ(reply.status, 200);
  simdjson::dom::parser parser;
  simdjson::dom::element doc = parser.parse(reply.body);
  EXPECT_EQ(std::string_view(doc["openapi"]), "3.1.0");
  for (const char* path :
       {"/health", "/service-types/odata", "/instances", "/instances/{name}",
        "/instances/{name}/refresh", "/instances/{name}/objects", "/instances/{name}/objects/{so}",
        "/instances/{name}/objects/{so}/methods/{method}", "/instances/{name}/objects/{so}/filter",
        "/instances/{name}/batch", "/openapi.json", "/instances/{name}/openapi.json"}) {
    simdjson::dom::element item;
    EXPECT_EQ(doc["paths"][path].get(item), simdjson::SUCCESS) << path;
  }
  int refs = 0;
  checkRefs(doc, doc, refs);
  EXPECT_GT(refs, 20);
  EXPECT_EQ(std::string_view(doc["components"]["securitySchemes"]["bearer"]["scheme"]), "bearer");
}

TEST_F(OpenApiTest, TheInstanceDocumentHasATypedOperationPerMethod) {
  const Reply reply = broker_->request("GET", "/api/v1/instances/demo/openapi.json");
  ASSERT_EQ(reply.status, 200);
  const Reply objects = broker_->request("GET", "/api/v1/instances/demo/objects");
  simdjson::dom::parser parser;
  simdjson::dom::parser objectParser;
  simdjson::dom::element doc = parser.parse(reply.body);
  std::size_t methods = 0;
  for (simdjson::dom::element object : objectParser.parse(objects.body)["objects"].get_array()) {
    methods += simdjson::dom::array(object["methods"]).size();
  }
  std::set<std::string> ids;
  std::size_t operations = 0;
  for (auto [path, item] : doc["paths"].get_object()) {
    ++operations;
    EXPECT_TRUE(ids.insert(std::string(std::string_view(item["post"]["operationId"]))).second)
        << path;
  }
  EXPECT_EQ(operations, methods);
  int refs = 0;
  checkRefs(doc, doc, refs);
  // Types from the EDM: Int32 an integer, Decimal a string, the key required on Load.
  simdjson::dom::element load = doc["paths"]["/objects/Products/methods/Load"]["post"];
  simdjson::dom::element inputs =
      load["requestBody"]["content"]["application/json"]["schema"]["properties"]["inputs"];
  EXPECT_EQ(std::string_view(inputs["properties"]["ID"]["type"].at(0)), "integer");
  EXPECT_EQ(std::string_view(inputs["required"].at(0)), "ID");
  simdjson::dom::element row = load["responses"]["200"]["content"]["application/json"]["schema"]
                                   ["properties"]["row"]["oneOf"]
                                       .at(0)["properties"];
  EXPECT_EQ(std::string_view(row["Price"]["x-edm-type"]), "Edm.Decimal");
  EXPECT_EQ(std::string_view(row["Price"]["type"].at(0)), "string");
  // An object name that needs encoding is a path that has it encoded.
  simdjson::dom::element operation;
  EXPECT_EQ(
      doc["paths"]["/objects/GetProductsByRating%28Int32%20rating%29/methods/List"].get(operation),
      simdjson::SUCCESS);
  EXPECT_EQ(broker_->request("GET", "/api/v1/instances/nobody/openapi.json").status, 404);
}

}  // namespace
}  // namespace broker::testing
