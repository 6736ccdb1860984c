// A service URL with query options of its own (SAP's `?sap-client=100`) against the real demo
// service behind a gateway-like check (tests/peers/middleware.js, feature "client": every
// request must carry sap-client=100 exactly once): registration, paging, counts, reads,
// writes with a CSRF token, media content and operations all carry it.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "demo_peer.h"
#include "engine_support.h"

namespace broker::testing {
namespace {

using ::testing::HasSubstr;

constexpr const char* kPixel = "0b7c5e1e-1c2a-4f1e-9d7a-6a1f0c9e0001";

class ServiceUrlQueryTest : public ::testing::TestWithParam<std::string> {
 protected:
  static void SetUpTestSuite() {
    peer_ = std::make_unique<DemoPeer>(PeerOptions{"log,client,csrf"});
  }
  static void TearDownTestSuite() { peer_.reset(); }
  bool v2() const { return GetParam() == "V2"; }
  std::string url() const { return (v2() ? peer_->v2() : peer_->v4()) + "?sap-client=100"; }
  std::string newId() const { return v2() ? "40002" : "40001"; }
  static std::unique_ptr<DemoPeer> peer_;
};

std::unique_ptr<DemoPeer> ServiceUrlQueryTest::peer_;

TEST_P(ServiceUrlQueryTest, EveryRequestCarriesTheServiceUrlsQueryOptionsOnce) {
  peerRequests(peer_->origin());
  auto instance = openOn(url(), {{"csrfTokenHandling", "always"}});
  engine::CallResult result;
  // Six pages through next links, and the total count.
  EXPECT_EQ(
      call(*instance, {.object = "Products", .method = "List", .includeTotalCount = true}, &result)
          .size(),
      600u);
  EXPECT_EQ(result.totalCount, 600);
  EXPECT_EQ(call(*instance, {.object = "Products", .method = "Load", .inputs = {{"ID", num("7")}}})
                .at(0)
                .at("Name"),
            str("O'Neil's Milk"));
  call(*instance, {.object = "Products",
                   .method = "Create",
                   .inputs = {{"ID", num(newId())}, {"Name", str("client")}}});
  call(*instance, {.object = "Products",
                   .method = "Update",
                   .inputs = {{"ID", num(newId())}, {"Rating", num("3")}}});
  call(*instance, {.object = "Products", .method = "Delete", .inputs = {{"ID", num(newId())}}});
  CollectingSink picture;
  call(*instance, {.object = "Pictures", .method = "Load", .inputs = {{"ID", str(kPixel)}}},
       picture);
  ASSERT_EQ(picture.files.size(), 1u);
  EXPECT_FALSE(picture.files[0].at("Content").empty());
  EXPECT_FALSE(call(*instance, {.object = "GetProductsByRating(Int32 rating)",
                                .method = "List",
                                .inputs = {{"rating", num("4")}}})
                   .empty());

  const auto logged = peerRequests(peer_->origin());
  std::vector<std::string> urls;
  for (const LoggedRequest& r : logged) urls.push_back(r.method + " " + r.url);
  EXPECT_THAT(urls, ::testing::Contains(HasSubstr("/$metadata?sap-client=100")));
  EXPECT_THAT(urls, ::testing::Contains(HasSubstr("skiptoken")));
  EXPECT_THAT(urls, ::testing::Contains(HasSubstr(v2() ? "/$value?" : "/Content?")));
  for (const std::string& u : urls) {
    const std::size_t first = u.find("sap-client=100");
    EXPECT_NE(first, std::string::npos) << u;
    EXPECT_EQ(u.find("sap-client", first + 1), std::string::npos) << u;
    EXPECT_LT(u.find('?'), first) << u;  // in the query, never with a path after it
  }
}

INSTANTIATE_TEST_SUITE_P(Versions, ServiceUrlQueryTest, ::testing::Values("V4", "V2"),
                         [](const auto& info) { return info.param; });

}  // namespace
}  // namespace broker::testing
