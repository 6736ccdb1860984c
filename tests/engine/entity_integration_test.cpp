// Entity methods against the real demo service (SAP CAP), over OData V4 and V2.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <memory>
#include <set>

#include "broker/core/error.h"
#include "demo_peer.h"
#include "engine_support.h"

namespace broker::testing {
namespace {

using core::ErrorCode;
using engine::CallRequest;
using odata::Value;
using ::testing::HasSubstr;
using ::testing::StartsWith;

// A Guid key from the seed data (db/data/demo-Suppliers.csv, "Supplier A").
constexpr const char* kSupplierA = "5f6bf1b8-20a1-4596-a0e0-acb47901c8d5";
// Suppliers.Contacts: a collection of a complex type, named with its type.
constexpr const char* kContacts = "Contacts (Collection(demo_Contact))";

ErrorCode codeOf(const std::function<void()>& action, std::string* message = nullptr) {
  try {
    action();
  } catch (const core::Error& e) {
    if (message != nullptr) *message = e.message();
    return e.code();
  }
  ADD_FAILURE() << "no error";
  return ErrorCode::kInternal;
}

class EntityIntegrationTest : public ::testing::TestWithParam<std::string> {
 protected:
  static void SetUpTestSuite() { peer_ = std::make_unique<DemoPeer>(PeerOptions{"log"}); }
  static void TearDownTestSuite() { peer_.reset(); }

  bool v2() const { return GetParam() == "V2"; }
  std::string url() const { return v2() ? peer_->v2() : peer_->v4(); }
  // Distinct IDs per version so that the two runs never meet in the shared data.
  std::string newId(int n) const { return std::to_string((v2() ? 20000 : 10000) + n); }

  std::shared_ptr<const engine::Instance> open(
      std::vector<std::pair<std::string, std::string>> keys = {}) const {
    return openOn(url(), std::move(keys));
  }

  static std::unique_ptr<DemoPeer> peer_;
};

std::unique_ptr<DemoPeer> EntityIntegrationTest::peer_;

TEST_P(EntityIntegrationTest, ListFollowsServerPagingOverEveryRow) {
  auto instance = open();
  engine::CallResult result;
  const auto rows = call(*instance, {.object = "Products", .method = "List"}, &result);
  ASSERT_EQ(rows.size(), 600u);  // six pages of 100
  std::set<std::string> ids;
  for (const RowMap& row : rows) ids.insert(row.at("ID").text);
  EXPECT_EQ(ids.size(), 600u);
  EXPECT_TRUE(result.list);
  // Server-driven paging bounded by maxRows.
  auto bounded = open({{"maxRows", "250"}});
  EXPECT_EQ(call(*bounded, {.object = "Products", .method = "List"}).size(), 250u);
  auto onePage = open({{"followNextLinks", "false"}});
  EXPECT_EQ(call(*onePage, {.object = "Products", .method = "List"}).size(), 100u);
}

TEST_P(EntityIntegrationTest, ListTopSkipSelectOrderAndCount) {
  auto instance = open();
  engine::CallResult result;
  const auto rows = call(*instance,
                         {.object = "Products",
                          .method = "List",
                          .returns = {"ID", "Name"},
                          .top = 5,
                          .skip = 10,
                          .orderBy = {{"ID", true}},
                          .includeTotalCount = true},
                         &result);
  ASSERT_EQ(rows.size(), 5u);
  EXPECT_EQ(rows[0].at("ID"), num("590"));
  EXPECT_EQ(rows[4].at("ID"), num("586"));
  EXPECT_EQ(rows[0].size(), 2u);  // only what was asked for
  EXPECT_EQ(result.totalCount, 600);
  // A top beyond one server page still pages to the end of it.
  EXPECT_EQ(call(*instance, {.object = "Products", .method = "List", .top = 250}).size(), 250u);
  // List inputs filter by equality.
  const auto milk =
      call(*instance,
           {.object = "Products", .method = "List", .inputs = {{"Name", str("O'Neil's Milk")}}});
  ASSERT_EQ(milk.size(), 1u);
  EXPECT_EQ(milk[0].at("ID"), num("7"));
}

TEST_P(EntityIntegrationTest, LoadConvertsEveryValueType) {
  auto instance = open();
  const auto rows =
      call(*instance, {.object = "Products", .method = "Load", .inputs = {{"ID", num("1")}}});
  ASSERT_EQ(rows.size(), 1u);
  const RowMap& p = rows[0];
  EXPECT_EQ(p.at("ID"), num("1"));
  EXPECT_EQ(p.at("Stock"), str("9007199254740992"));    // Int64 as a string
  EXPECT_EQ(p.at("Price").kind, Value::Kind::kString);  // Decimal as a string
  EXPECT_THAT(p.at("Price").text, ::testing::MatchesRegex("[0-9]+\\.[0-9]+"));
  EXPECT_EQ(p.at("IsAvailable"), Value::boolean(true));
  EXPECT_EQ(p.at("DiscontinuedAt"), Value::null());
  // V4 Edm.Date stays a date; V2 has only Edm.DateTime (UTC midnight).
  EXPECT_THAT(p.at("ReleaseDate").text,
              v2() ? ::testing::MatchesRegex("[0-9]{4}-[0-9][0-9]-[0-9][0-9]T00:00:00Z")
                   : ::testing::MatchesRegex("[0-9]{4}-[0-9][0-9]-[0-9][0-9]"));
  EXPECT_THAT(p.at("ModifiedAt").text,
              ::testing::MatchesRegex(
                  "[0-9]{4}-[0-9][0-9]-[0-9][0-9]T[0-9][0-9]:[0-9][0-9]:[0-9][0-9]([.][0-9]+)?Z"));
  EXPECT_THAT(p.at("ETag").text, StartsWith("W/\""));
  EXPECT_EQ(p.at("Supplier_ID").kind, Value::Kind::kString);
  const auto discontinued =
      call(*instance, {.object = "Products", .method = "Load", .inputs = {{"ID", num("9")}}});
  EXPECT_THAT(discontinued.at(0).at("DiscontinuedAt").text, ::testing::EndsWith("Z"));
  EXPECT_EQ(discontinued.at(0).at("Name"), str("50% Off / Special #1"));
}

TEST_P(EntityIntegrationTest, LoadsByStringGuidAndCompositeKeys) {
  auto instance = open();
  const std::vector<std::pair<std::string, std::string>> tags = {{"fair/trade", "Fair trade"},
                                                                 {"chef's pick", "Chef's pick"},
                                                                 {"c#", "C sharp"},
                                                                 {"über", "Über"},
                                                                 {"50%", "Half price"},
                                                                 {"a+b", "Bundle"}};
  for (const auto& [code, name] : tags) {
    const auto rows =
        call(*instance, {.object = "Tags", .method = "Load", .inputs = {{"Code", str(code)}}});
    ASSERT_EQ(rows.size(), 1u) << code;
    EXPECT_EQ(rows[0].at("Name"), str(name)) << code;
  }
  const auto supplier = call(
      *instance, {.object = "Suppliers", .method = "Load", .inputs = {{"ID", str(kSupplierA)}}});
  ASSERT_EQ(supplier.size(), 1u);
  EXPECT_EQ(supplier[0].at("Name"), str("Supplier A"));
  EXPECT_FALSE(supplier[0].at("Address_City").isNull());
  const Value& contacts = supplier[0].at(kContacts);  // a collection of a complex type
  EXPECT_EQ(contacts.kind, Value::Kind::kJson);
  EXPECT_EQ(contacts.text,
            R"([{"Name":"Contact 0","Email":"contact0@example.com","Phone":"+1 555 0100"}])");
  const auto link =
      call(*instance, {.object = "ProductTags",
                       .method = "Load",
                       .inputs = {{"Product_ID", num("1")}, {"Tag_Code", str("fair/trade")}}});
  ASSERT_EQ(link.size(), 1u);
  EXPECT_EQ(link[0].at("Tag_Code"), str("fair/trade"));
}

TEST_P(EntityIntegrationTest, CreateUpdateDeleteWithETags) {
  auto instance = open();
  const std::string id = newId(1);
  const auto created =
      call(*instance, {.object = "Products",
                       .method = "Create",
                       .inputs = {{"ID", num(id)},
                                  {"Name", str("Brand new 'quoted' #1")},
                                  {"Price", str("12.50")},
                                  {"Stock", str("9007199254740991")},
                                  {"ReleaseDate", str("2026-11-21")},
                                  {"DiscontinuedAt", str("2027-01-02T03:04:05+01:00")},
                                  {"IsAvailable", Value::boolean(true)},
                                  {"Category_ID", num("2")}}});
  ASSERT_EQ(created.size(), 1u);
  EXPECT_EQ(created[0].at("Name"), str("Brand new 'quoted' #1"));
  EXPECT_EQ(created[0].at("Stock"), str("9007199254740991"));
  EXPECT_THAT(created[0].at("Price").text, StartsWith("12.5"));
  EXPECT_EQ(created[0].at("DiscontinuedAt"), str("2027-01-02T02:04:05Z"));

  const auto loaded =
      call(*instance, {.object = "Products", .method = "Load", .inputs = {{"ID", num(id)}}});
  const Value etag = loaded.at(0).at("ETag");
  ASSERT_FALSE(etag.isNull());
  const auto updated =
      call(*instance, {.object = "Products",
                       .method = "Update",
                       .inputs = {{"ID", num(id)}, {"Rating", num("5")}, {"ETag", etag}}});
  ASSERT_EQ(updated.size(), 1u);
  EXPECT_EQ(updated[0].at("Rating"), num("5"));
  EXPECT_EQ(updated[0].at("Name"), str("Brand new 'quoted' #1"));

  // The old ETag no longer matches: 412.
  std::string message;
  EXPECT_EQ(codeOf(
                [&] {
                  call(*instance,
                       {.object = "Products",
                        .method = "Update",
                        .inputs = {{"ID", num(id)}, {"Rating", num("1")}, {"ETag", etag}}});
                },
                &message),
            ErrorCode::kPreconditionFailed);
  EXPECT_THAT(message, HasSubstr("changed since its ETag was read"));
  EXPECT_EQ(codeOf([&] {
              call(*instance, {.object = "Products",
                               .method = "Delete",
                               .inputs = {{"ID", num(id)}, {"ETag", etag}}});
            }),
            ErrorCode::kPreconditionFailed);

  // Without an ETag the write goes through (If-Match: *).
  call(*instance, {.object = "Products", .method = "Delete", .inputs = {{"ID", num(id)}}});
  EXPECT_EQ(
      codeOf([&] {
        call(*instance, {.object = "Products", .method = "Load", .inputs = {{"ID", num(id)}}});
      }),
      ErrorCode::kNotFound);
}

TEST_P(EntityIntegrationTest, MissingRecordsWithAndWithoutIgnoreErrorWhenRecordNotFound) {
  auto strict = open();
  for (const char* method : {"Load", "Update", "Delete"}) {
    EXPECT_EQ(
        codeOf([&] {
          call(*strict, {.object = "Products", .method = method, .inputs = {{"ID", num("99999")}}});
        }),
        ErrorCode::kNotFound)
        << method;
  }
  auto lenient = open({{"ignoreErrorWhenRecordNotFound", "true"}});
  for (const char* method : {"Load", "Update", "Delete"}) {
    EXPECT_TRUE(
        call(*lenient, {.object = "Products", .method = method, .inputs = {{"ID", num("99999")}}})
            .empty())
        << method;
  }
}

TEST_P(EntityIntegrationTest, WritesOnStringGuidAndCompositeKeys) {
  auto instance = open();
  const std::string code = GetParam() + " new/tag's #1 ü";
  call(*instance,
       {.object = "Tags", .method = "Create", .inputs = {{"Code", str(code)}, {"Name", str("x")}}});
  call(*instance,
       {.object = "Tags", .method = "Update", .inputs = {{"Code", str(code)}, {"Name", str("y")}}});
  EXPECT_EQ(call(*instance, {.object = "Tags", .method = "Load", .inputs = {{"Code", str(code)}}})
                .at(0)
                .at("Name"),
            str("y"));
  call(*instance,
       {.object = "ProductTags",
        .method = "Create",
        .inputs = {
            {"Product_ID", num("2")}, {"Tag_Code", str(code)}, {"AddedOn", str("2026-11-21")}}});
  call(*instance, {.object = "ProductTags",
                   .method = "Delete",
                   .inputs = {{"Product_ID", num("2")}, {"Tag_Code", str(code)}}});
  call(*instance, {.object = "Tags", .method = "Delete", .inputs = {{"Code", str(code)}}});
  EXPECT_EQ(
      codeOf([&] {
        call(*instance, {.object = "Tags", .method = "Load", .inputs = {{"Code", str(code)}}});
      }),
      ErrorCode::kNotFound);

  const std::string guid =
      v2() ? "00000000-0000-4000-8000-000000000002" : "00000000-0000-4000-8000-000000000004";
  const auto made = call(*instance, {.object = "Suppliers",
                                     .method = "Create",
                                     .inputs = {{"ID", str(guid)}, {"Name", str("Guid keyed")}}});
  EXPECT_EQ(made.at(0).at("ID"), str(guid));
  call(*instance, {.object = "Suppliers", .method = "Delete", .inputs = {{"ID", str(guid)}}});
  EXPECT_EQ(
      codeOf([&] {
        call(*instance, {.object = "Suppliers", .method = "Load", .inputs = {{"ID", str(guid)}}});
      }),
      ErrorCode::kNotFound);

  const std::string contacts =
      R"([{"Name":")" + GetParam() + R"(","Email":"x@example.com","Phone":null}])";
  const auto supplier =
      call(*instance, {.object = "Suppliers",
                       .method = "Update",
                       .inputs = {{"ID", str(kSupplierA)}, {kContacts, str(contacts)}}});
  EXPECT_EQ(supplier.at(0).at(kContacts).text, contacts);
  std::string message;
  EXPECT_EQ(codeOf(
                [&] {
                  call(*instance,
                       {.object = "Suppliers",
                        .method = "Update",
                        .inputs = {{"ID", str(kSupplierA)}, {kContacts, str(R"({"Name":1})")}}});
                },
                &message),
            ErrorCode::kInvalidArgument);
  EXPECT_THAT(message, HasSubstr("expected a JSON array of DemoService.demo_Contact"));
}

TEST_P(EntityIntegrationTest, ExcludedQueryOptionsAreNeverSentAndPagingStillHolds) {
  auto instance = open({{"excludeQueryParameters", "$top,$skip,$orderby,$inlinecount,$count"}});
  peerRequests(peer_->origin());
  const auto rows = call(
      *instance,
      {.object = "Products", .method = "List", .top = 5, .skip = 3, .includeTotalCount = true});
  ASSERT_EQ(rows.size(), 5u);
  EXPECT_EQ(rows[0].at("ID"), num("4"));  // the broker skipped and cut itself
  const auto seen = peerRequests(peer_->origin());
  ASSERT_FALSE(seen.empty());
  for (const LoggedRequest& r : seen) {
    for (const char* option : {"top", "skip", "orderby", "inlinecount", "count"}) {
      EXPECT_THAT(r.url, ::testing::Not(HasSubstr(std::string("$") + option))) << r.url;
      EXPECT_THAT(r.url, ::testing::Not(HasSubstr(std::string("%24") + option))) << r.url;
    }
  }
}

TEST_P(EntityIntegrationTest, DefaultAndPerCallHeadersReachTheService) {
  auto instance =
      open({{"defaultHttpRequestHeaders", R"([{"Name":"X-Demo-Tenant","Value":"acme"}])"},
            {"addHttpRequestHeaderProperty", "true"},
            {"addHttpResponseHeaderProperty", "true"}});
  peerRequests(peer_->origin());
  const auto rows =
      call(*instance,
           {.object = "Products",
            .method = "Load",
            .inputs = {{"ID", num("3")},
                       {"HTTP Request Headers", str(R"([{"Name":"X-Call","Value":"42"}])")}}});
  const auto seen = peerRequests(peer_->origin());
  ASSERT_EQ(seen.size(), 1u);
  EXPECT_EQ(seen[0].headers.at("x-demo-tenant"), "acme");
  EXPECT_EQ(seen[0].headers.at("x-call"), "42");
  EXPECT_THAT(rows.at(0).at("HTTP Response Headers").text, HasSubstr("\"Name\":"));
  std::string message;
  EXPECT_EQ(codeOf(
                [&] {
                  call(*instance,
                       {.object = "Products",
                        .method = "Load",
                        .inputs = {{"ID", num("3")}, {"HTTP Request Headers", str("nope")}}});
                },
                &message),
            ErrorCode::kInvalidArgument);
  EXPECT_THAT(message, HasSubstr("HTTP Request Headers"));
}

TEST_P(EntityIntegrationTest, BadInputsAreNamed) {
  auto instance = open();
  std::string message;
  EXPECT_EQ(codeOf(
                [&] {
                  call(*instance,
                       {.object = "Products", .method = "Load", .inputs = {{"ID", str("abc")}}});
                },
                &message),
            ErrorCode::kInvalidArgument);
  EXPECT_THAT(message, HasSubstr("ID: 'abc' is not a valid Edm.Int32"));
  EXPECT_EQ(codeOf(
                [&] {
                  call(*instance, {.object = "Products",
                                   .method = "Load",
                                   .inputs = {{"ID", num("1")}, {"Bogus", num("1")}}});
                },
                &message),
            ErrorCode::kInvalidArgument);
  EXPECT_THAT(message, HasSubstr("'Products' has no property 'Bogus'"));
  EXPECT_EQ(codeOf([&] { call(*instance, {.object = "Products", .method = "Load"}); }, &message),
            ErrorCode::kInvalidArgument);
  EXPECT_THAT(message, HasSubstr("needs a value for 'ID'"));
  EXPECT_EQ(codeOf([&] { call(*instance, {.object = "Nope", .method = "List"}); }),
            ErrorCode::kNotFound);
  EXPECT_EQ(codeOf([&] { call(*instance, {.object = "Products", .method = "Nope"}); }),
            ErrorCode::kNotFound);
  EXPECT_EQ(
      codeOf(
          [&] {
            call(*instance,
                 {.object = "Suppliers", .method = "Load", .inputs = {{"ID", str("not-a-guid")}}});
          },
          &message),
      ErrorCode::kInvalidArgument);
  EXPECT_THAT(message, HasSubstr("8-4-4-4-12"));
  // What only the service checks comes back with the service's own message.
  EXPECT_EQ(codeOf(
                [&] {
                  call(*instance, {.object = "Products",
                                   .method = "Create",
                                   .inputs = {{"ID", num("1")}, {"Name", str("dup")}}});
                },
                &message),
            ErrorCode::kUpstreamFailure);
  EXPECT_THAT(message, HasSubstr("UNIQUE constraint failed"));
}

INSTANTIATE_TEST_SUITE_P(Versions, EntityIntegrationTest, ::testing::Values("V4", "V2"),
                         [](const auto& info) { return info.param; });

// Tunnelling and CSRF need a peer that enforces them.
class ProtectedPeerTest : public ::testing::TestWithParam<std::string> {
 protected:
  std::string urlOf(const DemoPeer& peer) const {
    return GetParam() == "V2" ? peer.v2() : peer.v4();
  }
  std::string id() const { return GetParam() == "V2" ? "30002" : "30001"; }
};

TEST_P(ProtectedPeerTest, WritesTunnelThroughPostWhenTheServiceRejectsOtherVerbs) {
  DemoPeer peer({"log,tunnel"});
  auto plain = openOn(urlOf(peer));
  call(*plain, {.object = "Products",
                .method = "Create",
                .inputs = {{"ID", num(id())}, {"Name", str("t")}}});
  EXPECT_EQ(codeOf([&] {
              call(*plain, {.object = "Products",
                            .method = "Update",
                            .inputs = {{"ID", num(id())}, {"Rating", num("2")}}});
            }),
            ErrorCode::kUpstreamFailure);  // 405 from the service

  auto tunnelled = openOn(urlOf(peer), {{"usePostTunneling", "true"}});
  peerRequests(peer.origin());
  call(*tunnelled, {.object = "Products",
                    .method = "Update",
                    .inputs = {{"ID", num(id())}, {"Rating", num("2")}}});
  call(*tunnelled, {.object = "Products", .method = "Delete", .inputs = {{"ID", num(id())}}});
  std::vector<std::string> verbs;
  for (const LoggedRequest& r : peerRequests(peer.origin())) {
    verbs.push_back(r.method +
                    (r.headers.count("x-http-method") ? " " + r.headers.at("x-http-method") : ""));
  }
  const std::string update = GetParam() == "V2" ? "POST MERGE" : "POST PATCH";
  EXPECT_THAT(verbs, ::testing::ElementsAre(update, "GET", "POST DELETE"));
}

TEST_P(ProtectedPeerTest, CsrfTokenIsFetchedAndSentWithItsSession) {
  DemoPeer peer({"log,csrf"});
  auto never = openOn(urlOf(peer), {{"csrfTokenHandling", "never"}});
  EXPECT_EQ(codeOf([&] {
              call(*never, {.object = "Products",
                            .method = "Create",
                            .inputs = {{"ID", num(id())}, {"Name", str("c")}}});
            }),
            ErrorCode::kUpstreamFailure);  // 403

  for (const char* mode : {"auto", "always"}) {
    auto instance = openOn(urlOf(peer), {{"csrfTokenHandling", mode}});
    peerRequests(peer.origin());
    call(*instance, {.object = "Products",
                     .method = "Create",
                     .inputs = {{"ID", num(id())}, {"Name", str("c")}}});
    call(*instance, {.object = "Products", .method = "Delete", .inputs = {{"ID", num(id())}}});
    const auto seen = peerRequests(peer.origin());
    std::vector<std::string> fetches;
    std::string token;
    for (const LoggedRequest& r : seen) {
      if (r.headers.count("x-csrf-token") && r.headers.at("x-csrf-token") == "Fetch")
        fetches.push_back(r.url);
      if (r.method == "DELETE") {
        token = r.headers.count("x-csrf-token") ? r.headers.at("x-csrf-token") : "";
        EXPECT_THAT(r.headers.count("cookie") ? r.headers.at("cookie") : "",
                    HasSubstr("peer-session="));
      }
    }
    EXPECT_EQ(fetches.size(), 1u) << mode;  // fetched once, reused for the delete
    EXPECT_EQ(token.size(), 32u) << mode;
  }
}

INSTANTIATE_TEST_SUITE_P(Versions, ProtectedPeerTest, ::testing::Values("V4", "V2"),
                         [](const auto& info) { return info.param; });

}  // namespace
}  // namespace broker::testing
