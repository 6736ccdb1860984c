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
