// Filters bound to the demo service's objects (offline, from samples/metadata) and carried out
// on the real peer: translation per version, the broker-side path, Query Options, and every
// error naming its part.
#include "broker/engine/filter.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <fstream>
#include <sstream>

#include "broker/core/error.h"
#include "demo_peer.h"
#include "engine_support.h"

namespace broker::testing {
namespace {

using ::testing::HasSubstr;

// An instance on a metadata file (samples/metadata, or the shared corpus) that is never called.
std::shared_ptr<const engine::Instance> offline(
    const std::string& file, std::vector<std::pair<std::string, std::string>> keys = {}) {
  const bool sample = file.starts_with("demo-");
  std::ifstream in(sample ? std::string(BROKER_SOURCE_DIR) + "/samples/metadata/" + file
                          : std::string(BROKER_CORPUS_DIR) + "/" + file);
  std::ostringstream metadata;
  metadata << in.rdbuf();
  keys.emplace_back("serviceUrl", "http://127.0.0.1:9/odata/demo/");
  return engine::openInstance("offline", config::ServiceKeys::parse(keys), metadata.str(),
                              odata::makeHttpTransport({}));
}

std::string bindError(const engine::Instance& instance, const std::string& json,
                      const std::string& object = "Products") {
  try {
    engine::planFilter(instance, object, json);
  } catch (const core::Error& e) {
    EXPECT_NE(e.code(), core::ErrorCode::kInternal) << e.message();
    return e.message();
  }
  ADD_FAILURE() << "accepted " << json;
  return {};
}

TEST(FilterBindingTest, NamesPathsAndTypesOfTheServiceObject) {
  auto v4 = offline("demo-v4.xml");
  auto v2 = offline("demo-v2.xml");
  const std::string json =
      R"({"and": [{"equals": [{"property": "Supplier_ID"}, "5f6bf1b8-20a1-4596-a0e0-acb47901c8d5"]},
                  {"greaterThan": [{"property": "ReleaseDate"}, "2020-01-01"]},
                  {"lessThan": [{"property": "Price"}, "10.5"]},
                  {"greaterThan": [{"property": "Stock"}, 100]},
                  {"equals": [{"property": "Category/Name"}, "Tea"]}]})";
  EXPECT_EQ(engine::planFilter(*v4, "Products", json).filter,
            "Supplier_ID eq 5f6bf1b8-20a1-4596-a0e0-acb47901c8d5 and ReleaseDate gt 2020-01-01 "
            "and Price lt 10.5 and Stock gt 100 and Category/Name eq 'Tea'");
  EXPECT_EQ(engine::planFilter(*v2, "Products", json).filter,
            "Supplier_ID eq guid'5f6bf1b8-20a1-4596-a0e0-acb47901c8d5' and ReleaseDate gt "
            "datetime'2020-01-01T00:00:00' and Price lt 10.5M and Stock gt 100L and "
            "Category/Name eq 'Tea'");
  const engine::FilterPlan plan =
      engine::planFilter(*v4, "Tags", R"({"startsWith": [{"property": "Code"}, "c#"]})");
  EXPECT_EQ(plan.url, "http://127.0.0.1:9/odata/demo/Tags?$filter=startswith(Code,'c%23')");
  EXPECT_FALSE(plan.evaluatedByBroker);
  auto excluded = offline("demo-v4.xml", {{"excludeQueryParameters", "$filter"}});
  EXPECT_TRUE(engine::planFilter(*excluded, "Products", json).evaluatedByBroker);
}

TEST(FilterBindingTest, EnumLiteralsAreQualifiedOnV4) {
  auto trippin = offline("trippin-v4.xml");
  EXPECT_EQ(engine::planFilter(*trippin, "People",
                               R"({"in": [{"property": "Gender"}, ["Female", "Unknown"]]})")
                .filter,
            "Gender eq Microsoft.OData.SampleService.Models.TripPin.PersonGender'Female' or "
            "Gender eq Microsoft.OData.SampleService.Models.TripPin.PersonGender'Unknown'");
  EXPECT_THAT(bindError(*trippin, R"({"equals": [{"property": "Gender"}, "Other"]})", "People"),
              HasSubstr("members: Male, Female, Unknown"));
}

TEST(FilterBindingTest, BadFiltersNameThePart) {
  auto v4 = offline("demo-v4.xml");
  EXPECT_THAT(bindError(*v4, R"({"equals": [{"property": "Nope"}, 1]})"),
              HasSubstr("filter equals: 'Products' has no property 'Nope'"));
  EXPECT_THAT(
      bindError(
          *v4,
          R"({"or": [{"isNull": {"property": "ID"}}, {"equals": [{"property": "ID"}, "abc"]}]})"),
      HasSubstr("filter or[1].equals"));
  EXPECT_THAT(bindError(*v4, R"({"equals": [{"property": "ReleaseDate"}, "2026-02-30"]})"),
              HasSubstr("Edm.Date"));
  EXPECT_THAT(bindError(*v4, R"({"equals": [{"property": "Supplier_ID"}, "xyz"]})"),
              HasSubstr("Edm.Guid"));
  EXPECT_THAT(bindError(*v4, R"({"contains": [{"property": "Price"}, "1"]})"),
              HasSubstr("'Price' is not text"));
  EXPECT_THAT(bindError(*v4, R"({"greaterThan": [{"property": "Rating"}, null]})"),
              HasSubstr("compare with null using equals"));
  EXPECT_THAT(bindError(*v4, R"({"equals": [{"property": "Tags/Tag_Code"}, "x"]})"),
              HasSubstr("to-many navigation 'Tags'"));
  EXPECT_THAT(bindError(*v4, R"({"equals": [{"property": "Contacts"}, "x"]})", "Suppliers"),
              HasSubstr("cannot be filtered on"));
  EXPECT_THAT(bindError(*v4, R"({"equals": [{"property": "ID"}, 1]})", "Nope"),
              HasSubstr("no service object 'Nope'"));
  EXPECT_THAT(bindError(*v4, R"({"equals": [{"property": "ID"}, 1]})", "HttpHeader"),
              HasSubstr("not an entity set"));
}

class FilterIntegrationTest : public ::testing::TestWithParam<std::string> {
 protected:
  static void SetUpTestSuite() { peer_ = std::make_unique<DemoPeer>(PeerOptions{"log"}); }
  static void TearDownTestSuite() { peer_.reset(); }
  std::string url() const { return GetParam() == "V2" ? peer_->v2() : peer_->v4(); }
  static std::unique_ptr<DemoPeer> peer_;
};

std::unique_ptr<DemoPeer> FilterIntegrationTest::peer_;

TEST_P(FilterIntegrationTest, AFilterWithInputsOrderAndPaging) {
  auto instance = openOn(url());
  engine::CallRequest request{.object = "Products",
                              .method = "List",
                              .inputs = {{"Category_ID", num("2")}},
                              .returns = {"ID", "Name"},
                              .top = 3,
                              .skip = 1,
                              .orderBy = {{"ID", false}},
                              .includeTotalCount = true};
  request.filter = R"({"or": [{"startsWith": [{"property": "Name"}, "Fresh"]},
                              {"in": [{"property": "ID"}, [9, 17, 25]]}]})";
  engine::CallResult result;
  peerRequests(peer_->origin());
  const auto rows = call(*instance, request, &result);
  // Category 2 holds IDs 1, 9, 17, 25, …; "Fresh Tea 1" starts with Fresh.
  EXPECT_EQ(idsOf(rows), (std::vector<std::string>{"9", "17", "25"}));
  const auto logged = peerRequests(peer_->origin());
  ASSERT_EQ(logged.size(), 1u);
  EXPECT_THAT(logged[0].url,
              HasSubstr("$filter=Category_ID%20eq%202%20and%20(startswith(Name,'Fresh')"));

  // The same on the broker's side (no $filter sent): the same rows and count.
  auto here = openOn(url(), {{"excludeQueryParameters", "$filter"}});
  engine::CallResult hereResult;
  EXPECT_EQ(idsOf(call(*here, request, &hereResult)), idsOf(rows));
  EXPECT_EQ(hereResult.totalCount, result.totalCount);
  for (const LoggedRequest& r : peerRequests(peer_->origin())) {
    EXPECT_THAT(r.url, ::testing::Not(HasSubstr("$filter"))) << r.url;
  }
}

TEST_P(FilterIntegrationTest, QueryOptionsMergeWithTheFilter) {
  auto instance = openOn(url(), {{"addQueryOptionsProperty", "true"}});
  engine::CallRequest request{.object = "Products", .method = "List"};
  request.inputs = {
      {"Query Options", str("$filter=Rating%20eq%205&$take=2&$orderby=ID desc&$select=ID,Rating")}};
  request.filter = R"({"lessThan": [{"property": "ID"}, 100]})";
  const auto rows = call(*instance, request);
  ASSERT_EQ(rows.size(), 2u);
  EXPECT_EQ(rows[0].at("Rating").text, "5");
  EXPECT_GT(std::stoi(rows[0].at("ID").text), std::stoi(rows[1].at("ID").text));
  EXPECT_LT(std::stoi(rows[0].at("ID").text), 100);
  EXPECT_EQ(rows[0].count("Name"), 0u);  // $select narrowed the row

  const auto message = [&](const std::string& options, const std::string& method = "List") {
    engine::CallRequest bad{.object = "Products", .method = method};
    bad.inputs = {{"Query Options", str(options)}};
    if (method == "Load") bad.inputs.emplace_back("ID", num("1"));
    try {
      call(*instance, bad);
    } catch (const core::Error& e) {
      EXPECT_EQ(e.code(), core::ErrorCode::kInvalidArgument);
      return e.message();
    }
    return std::string("accepted");
  };
  EXPECT_THAT(message("$expand=Category"), HasSubstr("'$expand' is not supported"));
  EXPECT_THAT(message("$top=-1"), HasSubstr("$top must be a whole number"));
  EXPECT_THAT(message("$filter=(Rating eq 5"), HasSubstr("'(' without its ')'"));
  EXPECT_THAT(message("$filter=Name eq 'x"), HasSubstr("quote that is not closed"));
  EXPECT_THAT(message("$select=Nope"), HasSubstr("has no property 'Nope'"));
  EXPECT_THAT(message("$orderby=ID sideways"), HasSubstr("'ID sideways'"));
  EXPECT_THAT(message("$top=1", "Load"), HasSubstr("does not apply to a Load"));
}

TEST_P(FilterIntegrationTest, AFilterOnlyForLists) {
  auto instance = openOn(url());
  engine::CallRequest request{.object = "Products", .method = "Load", .inputs = {{"ID", num("1")}}};
  request.filter = R"({"equals": [{"property": "ID"}, 1]})";
  try {
    call(*instance, request);
    FAIL() << "accepted";
  } catch (const core::Error& e) {
    EXPECT_THAT(e.message(), HasSubstr("takes no filter"));
  }
}

INSTANTIATE_TEST_SUITE_P(Versions, FilterIntegrationTest, ::testing::Values("V4", "V2"),
                         [](const auto& info) { return info.param; });

}  // namespace
}  // namespace broker::testing
