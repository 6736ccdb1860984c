// Shapes of real services that no npm server here produces, on answers recorded from them and
// served by the capture peer (tests/peers/capture-server.js) for the demo model's metadata.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

#include "demo_peer.h"
#include "engine_support.h"

namespace broker::testing {
namespace {

using ::testing::HasSubstr;

class RecordedV2Test : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    peer_ = std::make_unique<CapturePeer>(sourceDir() / "samples" / "metadata" / "demo-v2.xml");
  }
  static void TearDownTestSuite() { peer_.reset(); }
  static std::unique_ptr<CapturePeer> peer_;
};

std::unique_ptr<CapturePeer> RecordedV2Test::peer_;

// SAP Gateway answers a to-one navigation without a target with {"d":null}; it once failed as
// "malformed JSON: The JSON element does not have the requested type".
TEST_F(RecordedV2Test, AToOneNavigationWithoutTargetIsAnEmptyResult) {
  auto instance = openOn(peer_->url(), {{"addNavigationPropertiesToListMethods", "true"}});
  recordAnswer(peer_->origin(), "GET", "/svc/Products(2)/Category", 200, R"({"d":null})");
  EXPECT_TRUE(
      call(*instance,
           {.object = "Categories", .method = "List", .inputs = {{"Products/ID", num("2")}}})
          .empty());
  // A Load answered so is a missing record.
  recordAnswer(peer_->origin(), "GET", "/svc/Products(3)", 200, R"({"d":null})");
  EXPECT_EQ(
      errorOf(*instance, {.object = "Products", .method = "Load", .inputs = {{"ID", num("3")}}})
          .code(),
      core::ErrorCode::kNotFound);
  auto lenient = openOn(peer_->url(), {{"ignoreErrorWhenRecordNotFound", "true"}});
  EXPECT_TRUE(call(*lenient, {.object = "Products", .method = "Load", .inputs = {{"ID", num("3")}}})
                  .empty());
  // An answer of another shape says what was unexpected where.
  recordAnswer(peer_->origin(), "GET", "/svc/Products(4)", 200, R"x({"d":"Products(4)"})x");
  const core::Error error =
      errorOf(*instance, {.object = "Products", .method = "Load", .inputs = {{"ID", num("4")}}});
  EXPECT_EQ(error.code(), core::ErrorCode::kUpstreamFailure);
  EXPECT_THAT(error.message(), HasSubstr("at byte"));
  EXPECT_THAT(error.message(), ::testing::Not(HasSubstr("requested type")));
}

// One value a service cannot have meant ('' for a date) once failed the whole List, and after a
// Create that succeeded made the call a 502 though the row existed.
TEST_F(RecordedV2Test, ABadSingleValueIsNamedOrNullAndNeverFailsAWriteThatSucceeded) {
  const std::string page = R"x({"d":{"results":[
      {"ID":1,"Name":"a","ReleaseDate":"/Date(1704067200000)/"},
      {"ID":2,"Name":"b","ReleaseDate":""},
      {"ID":3,"Name":"c","ReleaseDate":null}]}})x";
  recordAnswer(peer_->origin(), "GET", "/svc/Products", 200, page);
  auto strict = openOn(peer_->url());
  const core::Error error =
      errorOf(*strict, {.object = "Products", .method = "List", .returns = {"ID", "ReleaseDate"}});
  EXPECT_EQ(error.code(), core::ErrorCode::kUpstreamFailure);
  EXPECT_EQ(error.message(),
            "the service sent '' for 'ReleaseDate', which is not a valid Edm.DateTime (in the "
            "entity ID=2)");

  auto lenient = openOn(peer_->url(), {{"ignoreUnmappableProperties", "true"}});
  const auto rows =
      call(*lenient, {.object = "Products", .method = "List", .returns = {"ID", "ReleaseDate"}});
  ASSERT_EQ(rows.size(), 3u);
  EXPECT_EQ(rows[1].at("ID"), num("2"));
  EXPECT_TRUE(rows[1].at("ReleaseDate").isNull());
  EXPECT_EQ(rows[0].at("ReleaseDate"), str("2024-01-01T00:00:00Z"));

  // The service created the row and echoed a value that does not fit: the row comes back,
  // that value null, and the call says what was wrong without failing.
  recordAnswer(peer_->origin(), "POST", "/svc/Products", 201,
               R"x({"d":{"ID":9,"Name":"new","ReleaseDate":"soon"}})x");
  CollectingSink sink;
  const engine::CallResult result = call(*strict,
                                         {.object = "Products",
                                          .method = "Create",
                                          .inputs = {{"ID", num("9")}, {"Name", str("new")}}},
                                         sink);
  ASSERT_EQ(sink.rows.size(), 1u);
  EXPECT_EQ(sink.rows[0].at("ID"), num("9"));
  EXPECT_TRUE(sink.rows[0].at("ReleaseDate").isNull());
  EXPECT_THAT(result.warnings, ::testing::ElementsAre(HasSubstr("'soon' for 'ReleaseDate'")));
}

// A V2 service that speaks Atom only: it refuses JSON (406 to the Accept, 415 to a body), and the
// broker reads and writes Atom from then on.
constexpr const char* kAtomNamespaces =
    R"x(xmlns="http://www.w3.org/2005/Atom" xmlns:d="http://schemas.microsoft.com/ado/2007/08/dataservices" xmlns:m="http://schemas.microsoft.com/ado/2007/08/dataservices/metadata")x";

std::string atomProduct(int id, const std::string& name) {
  return "<entry m:etag=\"W/&quot;" + std::to_string(id) + "&quot;\"><id>Products(" +
         std::to_string(id) + ")</id><link rel=\"edit\" href=\"Products(" + std::to_string(id) +
         ")\"/><content type=\"application/xml\"><m:properties><d:ID m:type=\"Edm.Int32\">" +
         std::to_string(id) + "</d:ID><d:Name>" + name +
         "</d:Name><d:Price m:type=\"Edm.Decimal\">2.50</d:Price><d:Stock "
         "m:type=\"Edm.Int64\">9007199254740993</d:Stock><d:IsAvailable "
         "m:type=\"Edm.Boolean\">true</d:IsAvailable><d:ReleaseDate "
         "m:type=\"Edm.DateTime\">2024-01-02T00:00:00</d:ReleaseDate><d:DiscontinuedAt "
         "m:type=\"Edm.DateTimeOffset\" m:null=\"true\"/></m:properties></content></entry>";
}

TEST_F(RecordedV2Test, AnAtomOnlyServiceIsReadAndWrittenInAtom) {
  const std::string atom = "application/atom+xml;type=feed";
  recordAnswer(peer_->origin(), "GET", "/svc/Products", 406, R"x({"error":"JSON? no"})x");
  recordAnswer(peer_->origin(), "GET", "/svc/Products", 200,
               std::string("<feed ") + kAtomNamespaces + "><m:count>2</m:count>" +
                   atomProduct(1, "Bread") + atomProduct(2, "O&apos;Neil&apos;s Milk") + "</feed>",
               atom, "accept", "atom+xml");
  recordAnswer(peer_->origin(), "POST", "/svc/Products", 415, R"x({"error":"JSON? no"})x");
  recordAnswer(peer_->origin(), "POST", "/svc/Products", 201,
               "<entry " + std::string(kAtomNamespaces) + atomProduct(9, "New").substr(6),
               "application/atom+xml;type=entry", "content-type", "atom+xml");
  auto instance = openOn(peer_->url());
  peerRequests(peer_->origin());
  engine::CallResult result;
  const auto rows =
      call(*instance, {.object = "Products", .method = "List", .includeTotalCount = true}, &result);
  ASSERT_EQ(rows.size(), 2u);
  EXPECT_EQ(result.totalCount, 2);
  EXPECT_EQ(rows[1].at("Name"), str("O'Neil's Milk"));
  EXPECT_EQ(rows[0].at("Stock"), str("9007199254740993"));  // exact
  EXPECT_EQ(rows[0].at("ReleaseDate"), str("2024-01-02T00:00:00Z"));
  EXPECT_EQ(rows[0].at("IsAvailable"), odata::Value::boolean(true));
  EXPECT_TRUE(rows[0].at("DiscontinuedAt").isNull());
  EXPECT_TRUE(instance->client->speaksAtom());

  const auto created = call(*instance, {.object = "Products",
                                        .method = "Create",
                                        .inputs = {{"ID", num("9")},
                                                   {"Name", str("New & <improved>")},
                                                   {"ReleaseDate", str("2024-01-02T00:00:00Z")}}});
  ASSERT_EQ(created.size(), 1u);
  EXPECT_EQ(created[0].at("ID"), num("9"));
  const auto sent = peerRequests(peer_->origin());
  // The list: JSON refused (406), asked again in Atom; the create in Atom at once (no 415).
  ASSERT_EQ(sent.size(), 3u);
  EXPECT_EQ(sent[0].headers.at("accept"), "application/json");
  EXPECT_THAT(sent[1].headers.at("accept"), HasSubstr("application/atom+xml"));
  const LoggedRequest& post = sent[2];
  EXPECT_EQ(post.headers.at("content-type"), "application/atom+xml;type=entry");
  EXPECT_THAT(post.body, HasSubstr("<d:Name>New &amp; &lt;improved&gt;</d:Name>"));
  EXPECT_THAT(
      post.body,
      HasSubstr(R"(<d:ReleaseDate m:type="Edm.DateTime">2024-01-02T00:00:00</d:ReleaseDate>)"));
  EXPECT_THAT(post.body, HasSubstr(R"(<d:ID m:type="Edm.Int32">9</d:ID>)"));
}

TEST_F(RecordedV2Test, AJsonWriteRefusedWith415IsSentAgainInAtomOnce) {
  recordAnswer(peer_->origin(), "POST", "/svc/Categories", 415, R"x({"error":"JSON? no"})x");
  recordAnswer(
      peer_->origin(), "POST", "/svc/Categories", 201,
      std::string("<entry ") + kAtomNamespaces +
          R"x(><content type="application/xml"><m:properties><d:ID m:type="Edm.Int32">4</d:ID><d:Name>Tea</d:Name></m:properties></content></entry>)x",
      "application/atom+xml;type=entry", "content-type", "atom+xml");
  auto instance = openOn(peer_->url());
  peerRequests(peer_->origin());
  const auto created = call(*instance, {.object = "Categories",
                                        .method = "Create",
                                        .inputs = {{"ID", num("4")}, {"Name", str("Tea")}}});
  ASSERT_EQ(created.size(), 1u);
  EXPECT_EQ(created[0].at("Name"), str("Tea"));
  std::vector<std::string> types;
  for (const LoggedRequest& r : peerRequests(peer_->origin())) {
    types.push_back(r.method + " " + r.headers.at("content-type"));
  }
  EXPECT_THAT(types, ::testing::ElementsAre("POST application/json",
                                            "POST application/atom+xml;type=entry"));
}

// A set and an import of a container that is not the default one are addressed
// `Container.Name` (OData V2 §2.2.6.1).
TEST(RecordedContainersTest, ANonDefaultContainersSetsAreAddressedQualified) {
  const std::string file = ::testing::TempDir() + "containers-v2.xml";
  std::ofstream(file) << R"x(<?xml version="1.0" encoding="utf-8"?>
<edmx:Edmx Version="1.0" xmlns:edmx="http://schemas.microsoft.com/ado/2007/06/edmx"
    xmlns:m="http://schemas.microsoft.com/ado/2007/08/dataservices/metadata">
  <edmx:DataServices m:DataServiceVersion="2.0">
    <Schema Namespace="NS" xmlns="http://schemas.microsoft.com/ado/2008/09/edm">
      <EntityType Name="Thing"><Key><PropertyRef Name="Id"/></Key>
        <Property Name="Id" Type="Edm.Int32" Nullable="false"/>
        <Property Name="Name" Type="Edm.String"/></EntityType>
      <EntityContainer Name="Main" m:IsDefaultEntityContainer="true">
        <EntitySet Name="Things" EntityType="NS.Thing"/></EntityContainer>
      <EntityContainer Name="Archive">
        <EntitySet Name="OldThings" EntityType="NS.Thing"/>
        <FunctionImport Name="Purge" ReturnType="Edm.Int32" m:HttpMethod="POST"/></EntityContainer>
    </Schema>
  </edmx:DataServices>
</edmx:Edmx>)x";
  CapturePeer peer(file);
  auto instance = openOn(peer.url());
  recordAnswer(peer.origin(), "GET", "/svc/Archive.OldThings(4)", 200,
               R"x({"d":{"Id":4,"Name":"old"}})x");
  recordAnswer(peer.origin(), "POST", "/svc/Archive.Purge", 200, R"x({"d":{"Purge":3}})x");
  const auto rows = call(
      *instance, {.object = "Archive.OldThings", .method = "Load", .inputs = {{"Id", num("4")}}});
  ASSERT_EQ(rows.size(), 1u);
  EXPECT_EQ(rows[0].at("Name"), str("old"));
  const auto purged = call(*instance, {.object = "Archive.Purge()", .method = "Execute"});
  ASSERT_EQ(purged.size(), 1u);
  EXPECT_EQ(purged[0].at("Value"), num("3"));
  std::vector<std::string> urls;
  for (const LoggedRequest& r : peerRequests(peer.origin())) urls.push_back(r.method + " " + r.url);
  EXPECT_THAT(urls,
              ::testing::ElementsAre("GET /svc/Archive.OldThings(4)", "POST /svc/Archive.Purge"));
}

}  // namespace
}  // namespace broker::testing
