// `expand` and deep insert against CAP over V4 and V2: related entities read in the same
// request ($expand, seen in the peer's log), single-valued ones as `Nav/Property` members and
// collection-valued ones as one serialized item, with a filter; an order created with three
// items in one POST, its items read back from the service directly.
#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <simdjson.h>

#include "broker/engine/batch.h"
#include "demo_peer.h"
#include "engine_support.h"

namespace broker::testing {
namespace {

using ::testing::HasSubstr;

class ExpandTest : public ::testing::TestWithParam<std::string> {
 protected:
  static void SetUpTestSuite() { peer_ = std::make_unique<DemoPeer>(PeerOptions{"log"}); }
  static void TearDownTestSuite() { peer_.reset(); }
  bool v2() const { return GetParam() == "V2"; }
  std::string url() const { return v2() ? peer_->v2() : peer_->v4(); }
  std::shared_ptr<const engine::Instance> open() const { return openOn(url()); }
  int id(int base) const { return base + (v2() ? 500 : 0); }
  static std::unique_ptr<DemoPeer> peer_;
};

std::unique_ptr<DemoPeer> ExpandTest::peer_;

TEST_P(ExpandTest, ListReturnsRelatedEntitiesWithAFilterInOneRequest) {
  auto instance = open();
  peerRequests(peer_->origin());
  engine::CallResult result;
  const auto rows = call(*instance,
                         {.object = "Products",
                          .method = "List",
                          .returns = {"ID", "Name"},
                          .orderBy = {{"ID", false}},
                          .filter = R"({"equals": [{"property": "Category_ID"}, 1]})",
                          .expand = {"Supplier", "Category", "Tags"}},
                         &result);
  const auto logged = peerRequests(peer_->origin());
  ASSERT_EQ(logged.size(), 1u);
  EXPECT_THAT(logged.front().url, HasSubstr("$expand=Supplier,Category,Tags"));
  EXPECT_THAT(logged.front().url, HasSubstr("$filter=Category_ID%20eq%201"));
  ASSERT_FALSE(rows.empty());
  for (const RowMap& row : rows) {
    EXPECT_EQ(row.at("Category/ID").text, "1");
    EXPECT_EQ(row.at("Category/Name").text, "Beverages");
    EXPECT_FALSE(row.at("Supplier/Name").isNull());
    EXPECT_EQ(row.count("Supplier/ID"), 1u);
    // The tags: one serialized item, the related entities' properties by their types.
    const odata::Value& tags = row.at("Tags");
    ASSERT_EQ(tags.kind, odata::Value::Kind::kJson);
    simdjson::dom::parser parser;
    for (simdjson::dom::element tag : parser.parse(tags.text).get_array()) {
      EXPECT_EQ(std::to_string(int64_t(tag["Product_ID"])), row.at("ID").text);
      // ISO 8601 (V2 has no Edm.Date: CAP sends a DateTime), never V2's "/Date(…)/".
      const std::string added{std::string_view(tag["AddedOn"])};
      EXPECT_THAT(added, ::testing::MatchesRegex(v2() ? "[0-9]{4}-[0-9]{2}-[0-9]{2}T00:00:00Z"
                                                      : "[0-9]{4}-[0-9]{2}-[0-9]{2}"));
    }
  }
  EXPECT_TRUE(result.warnings.empty());
}

TEST_P(ExpandTest, LoadReturnsTheRelatedEntitiesAndBadNamesAreRefused) {
  auto instance = open();
  const auto rows = call(*instance, {.object = "Categories",
                                     .method = "Load",
                                     .inputs = {{"ID", num("1")}},
                                     .expand = {"Products"}});
  ASSERT_EQ(rows.size(), 1u);
  const odata::Value& products = rows[0].at("Products");
  ASSERT_EQ(products.kind, odata::Value::Kind::kJson);
  EXPECT_THAT(products.text, HasSubstr("\"Category_ID\":1"));
  EXPECT_THAT(products.text, Not(HasSubstr("__metadata")));
  EXPECT_THAT(products.text, Not(HasSubstr("@odata")));
  const core::Error unknown = errorOf(
      *instance,
      {.object = "Categories", .method = "Load", .inputs = {{"ID", num("1")}}, .expand = {"Name"}});
  EXPECT_EQ(unknown.code(), core::ErrorCode::kInvalidArgument);
  EXPECT_THAT(unknown.message(), HasSubstr("'Name' is not a navigation property of 'Categories'"));
  const core::Error update = errorOf(*instance, {.object = "Categories",
                                                 .method = "Update",
                                                 .inputs = {{"ID", num("1")}},
                                                 .expand = {"Products"}});
  EXPECT_THAT(update.message(), HasSubstr("takes no expand"));
}

TEST_P(ExpandTest, DeepInsertCreatesAParentWithThreeChildrenInOnePost) {
  auto instance = open();
  peerRequests(peer_->origin());
  const std::string order = std::to_string(id(40));
  const auto rows =
      call(*instance,
           {.object = "Orders",
            .method = "Create",
            .inputs = {{"ID", num(order)},
                       {"Customer", str("Deep")},
                       {"Items", odata::Value::json(R"([{"Pos": 1, "Quantity": 2, "Product_ID": 1},
                                                  {"Pos": 2, "Quantity": 3},
                                                  {"Pos": 3, "Quantity": 4}])")}}});
  const auto logged = peerRequests(peer_->origin());
  ASSERT_GE(logged.size(), 1u);
  EXPECT_EQ(logged.front().method, "POST");
  ASSERT_EQ(rows.size(), 1u);
  EXPECT_EQ(rows[0].at("Customer").text, "Deep");
  simdjson::dom::parser parser;
  const simdjson::dom::array items = parser.parse(rows[0].at("Items").text).get_array();
  EXPECT_EQ(items.size(), 3u);
  // On the service itself.
  const auto list = call(*instance, {.object = "OrderItems",
                                     .method = "List",
                                     .inputs = {{"Order_ID", num(order)}},
                                     .orderBy = {{"Pos", false}}});
  ASSERT_EQ(list.size(), 3u);
  EXPECT_EQ(list[2].at("Quantity").text, "4");
  // A member the related type does not have is named before anything is sent.
  const core::Error bad = errorOf(
      *instance,
      {.object = "Orders",
       .method = "Create",
       .inputs = {{"ID", num(std::to_string(id(41)))},
                  {"Items", odata::Value::json(R"([{"Pos": 1}, {"Pos": 2, "Bogus": 1}])")}}});
  EXPECT_EQ(bad.code(), core::ErrorCode::kInvalidArgument);
  EXPECT_THAT(bad.message(), HasSubstr("'Items[1]': 'OrderItems' has no property 'Bogus'"));
  const core::Error shape = errorOf(*instance, {.object = "Orders",
                                                .method = "Create",
                                                .inputs = {{"ID", num(std::to_string(id(42)))},
                                                           {"Items", odata::Value::json("{}")}}});
  EXPECT_THAT(shape.message(), HasSubstr("array of objects"));
}

INSTANTIATE_TEST_SUITE_P(Versions, ExpandTest, ::testing::Values("V4", "V2"));

}  // namespace
}  // namespace broker::testing
