// Service operations against the real demo service, over V4 (function and action imports, a
// bound action) and V2 (function imports, GET and POST): results of every kind, the serialized
// forms, filters evaluated by the broker or sent to the service, errors.
#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <simdjson.h>

#include "broker/core/error.h"
#include "demo_peer.h"
#include "engine_support.h"

namespace broker::testing {
namespace {

using ::testing::HasSubstr;

constexpr const char* kByRating = "GetProductsByRating(Int32 rating)";

class OperationIntegrationTest : public ::testing::TestWithParam<std::string> {
 protected:
  static void SetUpTestSuite() { peer_ = std::make_unique<DemoPeer>(PeerOptions{"log"}); }
  static void TearDownTestSuite() { peer_.reset(); }
  bool v2() const { return GetParam() == "V2"; }
  std::string url() const { return v2() ? peer_->v2() : peer_->v4(); }
  // The bound action's object and its key input: V4 binds it to the entity; V2 (CAP's
  // adapter) makes it a function import whose parameter ID meets the result's ID. Either way
  // the input is `ID`, the name the signature shows (V2's was once renamed `ID_2`).
  std::string discontinue() const {
    return v2() ? "Products_Discontinue(Int32 ID)" : "Products_Discontinue()";
  }
  std::string discontinueKey() const { return "ID"; }
  // The returned product's ID: on V2 the parameter holds the name.
  std::string returnedId() const { return v2() ? "ID_2" : "ID"; }

  // The products of a rating, straight from the entity set.
  std::vector<std::string> productsRated(const engine::Instance& instance, int rating,
                                         const std::string& extraFilter = {}) const {
    engine::CallRequest request{
        .object = "Products", .method = "List", .returns = {"ID"}, .orderBy = {{"ID", false}}};
    request.filter = R"({"and": [{"equals": [{"property": "Rating"}, )" + std::to_string(rating) +
                     "]}" + (extraFilter.empty() ? "" : ", " + extraFilter) + "]}";
    return idsOf(call(instance, request));
  }

  static std::unique_ptr<DemoPeer> peer_;
};

std::unique_ptr<DemoPeer> OperationIntegrationTest::peer_;

TEST_P(OperationIntegrationTest, AFunctionReturningACollection) {
  auto instance = openOn(url());
  const auto rows =
      call(*instance, {.object = kByRating, .method = "List", .inputs = {{"rating", num("5")}}});
  ASSERT_FALSE(rows.empty());
  for (const RowMap& row : rows) EXPECT_EQ(row.at("Rating").text, "5");
  EXPECT_EQ(idsOf(rows), productsRated(*instance, 5));
  EXPECT_TRUE(rows.front().at("Price").kind == odata::Value::Kind::kString);  // a Decimal

  const auto page = call(*instance, {.object = kByRating,
                                     .method = "List",
                                     .inputs = {{"rating", num("5")}},
                                     .returns = {"ID"},
                                     .top = 2,
                                     .skip = 1});
  const std::vector<std::string> all = idsOf(rows);
  ASSERT_GE(all.size(), 3u);
  EXPECT_EQ(idsOf(page), (std::vector<std::string>{all[1], all[2]}));
}

TEST_P(OperationIntegrationTest, AFunctionResultFilteredInTheBroker) {
  auto instance = openOn(url());
  engine::CallRequest request{.object = kByRating,
                              .method = "List",
                              .inputs = {{"rating", num("4")}},
                              .returns = {"ID", "Name"}};
  const std::string filter = R"({"or": [{"startsWith": [{"property": "Name"}, "S"]},
                                        {"greaterThan": [{"property": "ID"}, 500]}]})";
  request.filter = filter;
  peerRequests(peer_->origin());
  const auto rows = call(*instance, request);
  ASSERT_FALSE(rows.empty());
  EXPECT_EQ(idsOf(rows), productsRated(*instance, 4, filter));
  // The broker filtered: the service was not sent a $filter.
  const auto logged = peerRequests(peer_->origin());
  ASSERT_FALSE(logged.empty());
  EXPECT_THAT(logged.front().url, ::testing::Not(HasSubstr("filter")));

  // handleServiceOperationFilters sends it instead (CAP's own function handler ignores it).
  auto sending = openOn(url(), {{"handleServiceOperationFilters", "true"}});
  peerRequests(peer_->origin());  // not the $metadata request
  call(*sending, request);
  const auto sent = peerRequests(peer_->origin());
  ASSERT_EQ(sent.size(), 1u);
  EXPECT_THAT(sent.front().url,
              HasSubstr(v2() ? "$filter=startswith(Name,'S')%20eq%20true%20or%20ID%20gt%20500"
                             : "$filter=startswith(Name,'S')%20or%20ID%20gt%20500"));
  EXPECT_THAT(sent.front().url,
              HasSubstr(v2() ? "GetProductsByRating?rating=4" : "GetProductsByRating(rating=4)"));
}

TEST_P(OperationIntegrationTest, SerializedForms) {
  auto instance = openOn(url());
  const auto all =
      call(*instance, {.object = kByRating, .method = "List", .inputs = {{"rating", num("2")}}});
  const auto list = call(
      *instance,
      {.object = kByRating, .method = "ListToSerializedItem", .inputs = {{"rating", num("2")}}});
  ASSERT_EQ(list.size(), 1u);
  simdjson::dom::parser parser;
  simdjson::dom::element array = parser.parse(list[0].at("Serialized Item").text);
  ASSERT_TRUE(array.is_array());
  EXPECT_EQ(array.get_array().size(), all.size());
  EXPECT_EQ(std::to_string(int64_t(array.at(0)["ID"])), all.front().at("ID").text);

  const auto read = call(
      *instance,
      {.object = kByRating, .method = "ReadToSerializedItem", .inputs = {{"rating", num("2")}}});
  ASSERT_EQ(read.size(), 1u);
  simdjson::dom::parser second;
  simdjson::dom::element item = second.parse(read[0].at("Serialized Item").text);
  EXPECT_EQ(std::to_string(int64_t(item["ID"])), all.front().at("ID").text);
}

TEST_P(OperationIntegrationTest, ABoundActionChangesARow) {
  auto instance = openOn(url());
  const std::string id = v2() ? "41" : "40";
  const auto before =
      call(*instance, {.object = "Products", .method = "Load", .inputs = {{"ID", num(id)}}});
  ASSERT_EQ(before.at(0).at("DiscontinuedAt").kind, odata::Value::Kind::kNull);
  const auto result =
      call(*instance,
           {.object = discontinue(), .method = "Execute", .inputs = {{discontinueKey(), num(id)}}});
  ASSERT_EQ(result.size(), 1u);
  EXPECT_EQ(result[0].at(returnedId()).text, id);
  EXPECT_EQ(result[0].at("IsAvailable").text, "false");
  const auto after =
      call(*instance, {.object = "Products", .method = "Load", .inputs = {{"ID", num(id)}}});
  EXPECT_EQ(after.at(0).at("IsAvailable").text, "false");
  EXPECT_NE(after.at(0).at("DiscontinuedAt").kind, odata::Value::Kind::kNull);

  const core::Error missing = errorOf(
      *instance,
      {.object = discontinue(), .method = "Execute", .inputs = {{discontinueKey(), num("99999")}}});
  EXPECT_EQ(missing.code(), core::ErrorCode::kNotFound);
  EXPECT_THAT(missing.message(), HasSubstr("Product 99999 does not exist"));
}

TEST_P(OperationIntegrationTest, BadCallsNameWhatIsWrong) {
  auto instance = openOn(url());
  EXPECT_THAT(errorOf(*instance, {.object = discontinue(), .method = "Execute"}).message(),
              HasSubstr("needs a value for '" + discontinueKey() + "'"));
  EXPECT_THAT(errorOf(*instance,
                      {.object = kByRating, .method = "List", .inputs = {{"rating", str("five")}}})
                  .message(),
              HasSubstr("rating"));
  engine::CallRequest filtered{
      .object = discontinue(), .method = "Execute", .inputs = {{discontinueKey(), num("1")}}};
  filtered.filter = R"({"isNull": {"property": "Name"}})";
  EXPECT_THAT(errorOf(*instance, filtered).message(), HasSubstr("takes no filter"));
  engine::CallRequest badFilter{
      .object = kByRating, .method = "List", .inputs = {{"rating", num("1")}}};
  badFilter.filter = R"({"equals": [{"property": "Nope"}, 1]})";
  EXPECT_THAT(errorOf(*instance, badFilter).message(), HasSubstr("has no property 'Nope'"));
}

INSTANTIATE_TEST_SUITE_P(Versions, OperationIntegrationTest, ::testing::Values("V4", "V2"),
                         [](const auto& info) { return info.param; });

// An action returning a primitive, on a peer of its own (it rewrites every rating).
TEST(OperationResultTest, AnActionReturningAPrimitive) {
  DemoPeer peer;
  for (const std::string& url : {peer.v4(), peer.v2()}) {
    auto instance = openOn(url);
    const auto rows = call(*instance, {.object = "ResetRatings(Int32 rating)",
                                       .method = "Execute",
                                       .inputs = {{"rating", num("3")}}});
    ASSERT_EQ(rows.size(), 1u) << url;
    EXPECT_EQ(rows[0].at("Value").text, "600") << url;
  }
  // Read back over V4 after the V4 call only: CAP's V2 adapter hands its query-string
  // parameter on as text, which the peer then stores as text.
  auto v4 = openOn(peer.v4());
  call(*v4, {.object = "ResetRatings(Int32 rating)",
             .method = "Execute",
             .inputs = {{"rating", num("4")}}});
  const auto fours = call(
      *v4,
      {.object = kByRating, .method = "List", .inputs = {{"rating", num("4")}}, .returns = {"ID"}});
  EXPECT_EQ(fours.size(), 600u);
}

}  // namespace
}  // namespace broker::testing
