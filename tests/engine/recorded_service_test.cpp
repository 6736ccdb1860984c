// Shapes of real services that no npm server here produces, on answers recorded from them and
// served by the capture peer (tests/peers/capture-server.js) for the demo model's metadata.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <filesystem>

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

}  // namespace
}  // namespace broker::testing
