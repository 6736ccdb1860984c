// Navigation inputs (addNavigationPropertiesToListMethods) against the real demo service on V4
// and V2: a to-one input becomes `$filter=Supplier/ID eq …`; a to-many one lists through the
// navigation back from the related entity (`Products(5)/Category`). Links: CreateLink and
// DeleteLink on V4 against the links service (@sap/odata-server validates the `$ref`
// requests), seen afterwards through the navigation; on V2 and V3 the `$links` requests byte
// for byte against a capturing server, and a link read back through CAP's V2 navigation.
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

// Seed data (samples/demo-service/db/data): "Supplier B", and product 2 in category 3.
constexpr const char* kSupplierB = "424fa3b7-3d5d-4f24-a111-3b85a5a12d78";

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

// ---- links ----

class LinkTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() { peer_ = std::make_unique<LinksPeer>(); }
  static void TearDownTestSuite() { peer_.reset(); }
  static std::shared_ptr<const engine::Instance> open() {
    return openOn(peer_->url(), {{"addNavigationPropertiesToListMethods", "true"}});
  }
  static std::unique_ptr<LinksPeer> peer_;
};

std::unique_ptr<LinksPeer> LinkTest::peer_;

std::vector<std::string> namesOf(const std::vector<RowMap>& rows) {
  std::vector<std::string> names;
  for (const RowMap& row : rows) names.push_back(row.at("Name").text);
  return names;
}

TEST_F(LinkTest, LinkMethodsSitOnTheManySides) {
  auto instance = open();
  const auto* departments = instance->catalog->find("Departments");
  const auto* employees = instance->catalog->find("Employees");
  ASSERT_NE(departments, nullptr);
  ASSERT_NE(employees, nullptr);
  EXPECT_NE(departments->findMethod("CreateLink_Employees"), nullptr);
  EXPECT_NE(departments->findMethod("DeleteLink_Consultants"), nullptr);
  // Employee/Department is M:1: no link method; ConsultsFor is M:M: both sides.
  EXPECT_NE(employees->findMethod("CreateLink"), nullptr);
  EXPECT_EQ(employees->findMethod("CreateLink")->navigation, "ConsultsFor");
}

TEST_F(LinkTest, OneToManyLinkIsSeenThroughTheNavigation) {
  auto instance = open();
  peerRequests(peer_->origin());
  call(*instance, {.object = "Departments",
                   .method = "CreateLink_Employees",
                   .inputs = {{"ID", num("2")}, {"Employees/ID", num("3")}}});
  const auto sent = peerRequests(peer_->origin());
  ASSERT_EQ(sent.size(), 1u);
  EXPECT_EQ(sent[0].method, "POST");
  EXPECT_EQ(sent[0].url, "/links/Departments(2)/Employees/$ref");
  EXPECT_EQ(sent[0].body, R"x({"@odata.id":"Employees(3)"})x");

  // Employee 3's department, through the navigation back (Employees(3)/Department).
  const auto departments =
      call(*instance,
           {.object = "Departments", .method = "List", .inputs = {{"Employees/ID", num("3")}}});
  EXPECT_EQ(namesOf(departments), std::vector<std::string>{"Sales"});

  call(*instance, {.object = "Departments",
                   .method = "DeleteLink_Employees",
                   .inputs = {{"ID", num("2")}, {"Employees/ID", num("3")}}});
  EXPECT_EQ(peerRequests(peer_->origin()).back().url, "/links/Departments(2)/Employees(3)/$ref");
  EXPECT_TRUE(
      call(*instance,
           {.object = "Departments", .method = "List", .inputs = {{"Employees/ID", num("3")}}})
          .empty());
}

TEST_F(LinkTest, ManyToManyLinksFromBothSides) {
  auto instance = open();
  const auto consultantsOf = [&](const char* department) {
    return namesOf(call(*instance, {.object = "Employees",
                                    .method = "List",
                                    .inputs = {{"ConsultsFor/ID", num(department)}},
                                    .orderBy = {{"ID", false}}}));
  };
  EXPECT_EQ(consultantsOf("2"), std::vector<std::string>{});
  call(*instance, {.object = "Departments",
                   .method = "CreateLink_Consultants",
                   .inputs = {{"ID", num("2")}, {"Consultants/ID", num("1")}}});
  call(*instance, {.object = "Employees",
                   .method = "CreateLink",
                   .inputs = {{"ID", num("2")}, {"ConsultsFor/ID", num("2")}}});
  EXPECT_EQ(consultantsOf("2"), (std::vector<std::string>{"Ada", "Grace"}));

  call(*instance, {.object = "Employees",
                   .method = "DeleteLink",
                   .inputs = {{"ID", num("1")}, {"ConsultsFor/ID", num("2")}}});
  EXPECT_EQ(consultantsOf("2"), std::vector<std::string>{"Grace"});
}

TEST_F(LinkTest, ErrorsNameWhatIsWrong) {
  auto instance = open();
  // A related entity that does not exist: the service's 404.
  EXPECT_EQ(errorOf(*instance, {.object = "Departments",
                                .method = "CreateLink_Employees",
                                .inputs = {{"ID", num("2")}, {"Employees/ID", num("99")}}})
                .code(),
            core::ErrorCode::kNotFound);
  EXPECT_THAT(errorOf(*instance, {.object = "Departments",
                                  .method = "CreateLink_Employees",
                                  .inputs = {{"ID", num("2")}}})
                  .message(),
              HasSubstr("needs a value for 'Employees/ID'"));
}

std::string readFile(const std::string& path) {
  std::ifstream in(path);
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

// V2 and V3 `$links` requests, byte for byte: the demo's V2 metadata served by a capturing
// server (and as V3 with its DataServiceVersion raised).
class LinksV2V3Test : public ::testing::TestWithParam<std::string> {
 protected:
  void SetUp() override {
    std::string metadata = readFile(sourceDir() / "samples" / "metadata" / "demo-v2.xml");
    if (GetParam() == "V3") {
      const std::string v2 = "m:DataServiceVersion=\"2.0\"";
      const std::size_t at = metadata.find(v2);
      ASSERT_NE(at, std::string::npos);
      metadata.replace(at, v2.size(), "m:DataServiceVersion=\"3.0\"");
    }
    file_ = ::testing::TempDir() + "links-" + GetParam() + ".xml";
    std::ofstream(file_) << metadata;
    peer_ = std::make_unique<CapturePeer>(file_);
  }
  std::unique_ptr<CapturePeer> peer_;
  std::string file_;
};

TEST_P(LinksV2V3Test, LinkRequestsByteForByte) {
  auto instance = openOn(peer_->url());
  ASSERT_EQ(instance->client->version(),
            GetParam() == "V3" ? edm::ODataVersion::kV3 : edm::ODataVersion::kV2);
  peerRequests(peer_->origin());
  call(*instance, {.object = "Categories",
                   .method = "CreateLink",
                   .inputs = {{"ID", num("1")}, {"Products/ID", num("5")}}});
  call(*instance, {.object = "Categories",
                   .method = "DeleteLink",
                   .inputs = {{"ID", num("1")}, {"Products/ID", num("5")}}});
  // A composite key of the related entity.
  call(*instance, {.object = "Products",
                   .method = "CreateLink",
                   .inputs = {{"ID", num("5")},
                              {"Tags/Product_ID", num("5")},
                              {"Tags/Tag_Code", str("chef's pick")}}});
  const auto sent = peerRequests(peer_->origin());
  ASSERT_EQ(sent.size(), 3u);
  const std::string member = GetParam() == "V3" ? "url" : "uri";
  EXPECT_EQ(sent[0].method, "POST");
  EXPECT_EQ(sent[0].url, "/svc/Categories(1)/$links/Products");
  EXPECT_EQ(sent[0].body, "{\"" + member + "\":\"" + peer_->url() + "Products(5)\"}");
  EXPECT_THAT(sent[0].headers.at("content-type"), HasSubstr("application/json"));
  EXPECT_EQ(sent[1].method, "DELETE");
  EXPECT_EQ(sent[1].url, "/svc/Categories(1)/$links/Products(5)");
  EXPECT_EQ(sent[1].body, "");
  EXPECT_EQ(sent[2].url, "/svc/Products(5)/$links/Tags");
  EXPECT_EQ(sent[2].body, "{\"" + member + "\":\"" + peer_->url() +
                              "ProductTags(Product_ID=5,Tag_Code='chef''s%20pick')\"}");
}

INSTANTIATE_TEST_SUITE_P(Versions, LinksV2V3Test, ::testing::Values("V2", "V3"),
                         [](const auto& info) { return info.param; });

// CAP writes no `$links`; what a link is, a product's category, is read back through the V2
// adapter's navigation after it changes.
TEST(LinksReadBackV2, ThroughTheNavigation) {
  DemoPeer peer;
  auto instance = openOn(peer.v2(), {{"addNavigationPropertiesToListMethods", "true"}});
  call(*instance, {.object = "Products",
                   .method = "Update",
                   .inputs = {{"ID", num("2")}, {"Category_ID", num("1")}}});
  const auto categories = call(
      *instance, {.object = "Categories", .method = "List", .inputs = {{"Products/ID", num("2")}}});
  ASSERT_EQ(categories.size(), 1u);
  EXPECT_EQ(categories[0].at("ID"), num("1"));
  const auto products = call(*instance, {.object = "Products",
                                         .method = "List",
                                         .inputs = {{"Category/ID", num("1")}},
                                         .returns = {"ID"}});
  EXPECT_THAT(idsOf(products), ::testing::Contains("2"));
}

}  // namespace
}  // namespace broker::testing
