// Navigation inputs (addNavigationPropertiesToListMethods) against the real demo service on V4
// and V2: a to-one input becomes `$filter=Supplier/ID eq …`; a to-many one lists through the
// navigation back from the related entity (`Products(5)/Category`).
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "broker/core/error.h"
#include "demo_peer.h"
#include "engine_support.h"

namespace broker::testing {
namespace {

using ::testing::HasSubstr;

// Seed data (samples/demo-service/db/data): "Supplier B", and product 2 in category 3.
constexpr const char* kSupplierB = "424fa3b7-3d5d-4f24-a111-3b85a5a12d78";

std::vector<std::string> idsOf(const std::vector<RowMap>& rows) {
  std::vector<std::string> ids;
  for (const RowMap& row : rows) ids.push_back(row.at("ID").text);
  return ids;
}

core::Error errorOf(const engine::Instance& instance, engine::CallRequest request) {
  try {
    call(instance, std::move(request));
  } catch (const core::Error& e) {
    return e;
  }
  ADD_FAILURE() << "no error";
  return core::Error(core::ErrorCode::kInternal, "");
}

class NavigationInputTest : public ::testing::TestWithParam<std::string> {
 protected:
  static void SetUpTestSuite() { peer_ = std::make_unique<DemoPeer>(PeerOptions{"log"}); }
  static void TearDownTestSuite() { peer_.reset(); }
  bool v2() const { return GetParam() == "V2"; }
  std::shared_ptr<const engine::Instance> open() const {
    return openOn(v2() ? peer_->v2() : peer_->v4(),
                  {{"addNavigationPropertiesToListMethods", "true"}});
  }
  static std::unique_ptr<DemoPeer> peer_;
};

std::unique_ptr<DemoPeer> NavigationInputTest::peer_;

TEST_P(NavigationInputTest, AToOneInputFiltersByTheRelatedKey) {
  auto instance = open();
  peerRequests(peer_->origin());
  const auto rows = call(*instance, {.object = "Products",
                                     .method = "List",
                                     .inputs = {{"Supplier/ID", str(kSupplierB)}},
                                     .returns = {"ID"},
                                     .orderBy = {{"ID", false}}});
  const auto logged = peerRequests(peer_->origin());
  ASSERT_EQ(logged.size(), 1u);
  EXPECT_THAT(logged.front().url,
              HasSubstr(v2() ? "$filter=Supplier/ID%20eq%20guid'" + std::string(kSupplierB) + "'"
                             : "$filter=Supplier/ID%20eq%20" + std::string(kSupplierB)));
  // The same rows as by the foreign key CAP exposes.
  const auto expected = call(*instance, {.object = "Products",
                                         .method = "List",
                                         .inputs = {{"Supplier_ID", str(kSupplierB)}},
                                         .returns = {"ID"},
                                         .orderBy = {{"ID", false}}});
  ASSERT_FALSE(expected.empty());
  EXPECT_EQ(idsOf(rows), idsOf(expected));
}

TEST_P(NavigationInputTest, AToManyInputListsThroughTheNavigationBack) {
  auto instance = open();
  peerRequests(peer_->origin());
  const auto rows = call(*instance, {.object = "Categories",
                                     .method = "List",
                                     .inputs = {{"Products/ID", num("2")}},
                                     .returns = {"ID", "Name"}});
  const auto logged = peerRequests(peer_->origin());
  ASSERT_EQ(logged.size(), 1u);
  EXPECT_THAT(logged.front().url, HasSubstr("/Products(2)/Category?$select=ID,Name"));
  ASSERT_EQ(rows.size(), 1u);
  EXPECT_EQ(rows[0].at("ID"), num("3"));

  // Other inputs and filters are applied by the broker to the related entity.
  EXPECT_TRUE(call(*instance, {.object = "Categories",
                               .method = "List",
                               .inputs = {{"Products/ID", num("2")}, {"Name", str("Nothing")}}})
                  .empty());
  engine::CallResult result;
  const auto counted = call(*instance,
                            {.object = "Categories",
                             .method = "List",
                             .inputs = {{"Products/ID", num("2")}},
                             .includeTotalCount = true,
                             .filter = R"({"equals": [{"property": "ID"}, 3]})"},
                            &result);
  EXPECT_EQ(counted.size(), 1u);
  EXPECT_EQ(result.totalCount, 1);

  // A related entity that does not exist: no rows.
  EXPECT_TRUE(
      call(*instance,
           {.object = "Categories", .method = "List", .inputs = {{"Products/ID", num("987654")}}})
          .empty());
}

TEST_P(NavigationInputTest, AToManyInputOverACompositeKey) {
  auto instance = open();
  const auto rows = call(
      *instance, {.object = "Products",
                  .method = "List",
                  .inputs = {{"Tags/Product_ID", num("2")}, {"Tags/Tag_Code", str("chef's pick")}},
                  .returns = {"ID"}});
  ASSERT_EQ(rows.size(), 1u);
  EXPECT_EQ(rows[0].at("ID"), num("2"));
  EXPECT_THAT(
      errorOf(*instance,
              {.object = "Products", .method = "List", .inputs = {{"Tags/Product_ID", num("2")}}})
          .message(),
      HasSubstr("also give 'Tags/Tag_Code'"));
}

INSTANTIATE_TEST_SUITE_P(Versions, NavigationInputTest, ::testing::Values("V4", "V2"),
                         [](const auto& info) { return info.param; });

}  // namespace
}  // namespace broker::testing
