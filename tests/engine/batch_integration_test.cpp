// Batches (API.md §6) against real services: CAP over V4 and V2 (its own $batch handling,
// change sets in one database transaction) and the links service on @sap/odata-server (its
// batch handling with atomicity groups and Content-IDs). What a change set leaves behind is read
// from the service directly, not through the broker. A service without $batch: the capture peer.
#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <map>

#include "broker/engine/batch.h"
#include "demo_peer.h"
#include "engine_support.h"
#include "peer_process.h"

namespace broker::testing {
namespace {

using engine::BatchCall;
using engine::BatchItem;
using engine::BatchRequest;
using ::testing::HasSubstr;

struct Outcome {
  int status = 0;
  std::vector<RowMap> rows;
  std::optional<core::Error> error;
  engine::CallResult result;
};

struct ItemEnd {
  int status = 0;
  std::string error;
};

// Keeps every call's outcome by id, and every item's end, in order.
class CollectingBatch final : public engine::BatchSink {
 public:
  engine::RowSink& rowsOf(const BatchCall&) override {
    current_ = CollectingSink();
    return current_;
  }
  void outcome(const BatchCall& call, const engine::BatchCallOutcome& outcome) override {
    order.push_back(call.id);
    calls[call.id] = {outcome.status, current_.rows, outcome.error, outcome.result};
  }
  void endItem(const BatchItem&, int status, const core::Error* error) override {
    items.push_back({status, error == nullptr ? "" : error->message()});
  }

  std::map<std::string, Outcome> calls;
  std::vector<std::string> order;
  std::vector<ItemEnd> items;

 private:
  CollectingSink current_;
};

BatchCall callOf(std::string id, engine::CallRequest request,
                 std::vector<engine::ResultReference> references = {}) {
  return {std::move(id), std::move(request), std::move(references)};
}

BatchItem single(BatchCall call) { return {false, {std::move(call)}}; }

CollectingBatch run(const engine::Instance& instance, BatchRequest batch) {
  CollectingBatch sink;
  engine::executeBatch(instance, batch, sink);
  return sink;
}

// The status of GET `url` straight from the service, and its body.
std::pair<int, std::string> readDirectly(const std::string& url,
                                         const std::string& accept = "application/json") {
  auto transport = odata::makeHttpTransport({});
  odata::HttpRequest request;
  request.url = url;
  request.headers = {{"Accept", accept}};
  odata::HttpResponse response = transport->send(request);
  return {response.status, response.body};
}

class CapBatchTest : public ::testing::TestWithParam<std::string> {
 protected:
  static void SetUpTestSuite() { peer_ = std::make_unique<DemoPeer>(PeerOptions{"log"}); }
  static void TearDownTestSuite() { peer_.reset(); }
  bool v2() const { return GetParam() == "V2"; }
  std::string url() const { return v2() ? peer_->v2() : peer_->v4(); }
  std::shared_ptr<const engine::Instance> open() const { return openOn(url()); }
  // IDs apart per version: both versions share the service's one database.
  int id(int base) const { return base + (v2() ? 500 : 0); }
  std::string text(int base) const { return std::to_string(id(base)); }
  static std::unique_ptr<DemoPeer> peer_;
};

std::unique_ptr<DemoPeer> CapBatchTest::peer_;

TEST_P(CapBatchTest, ReadsGoOutAsOneBatchAndAnswerInOrder) {
  auto instance = open();
  peerRequests(peer_->origin());
  BatchRequest batch;
  batch.items.push_back(single(
      callOf("load", {.object = "Categories", .method = "Load", .inputs = {{"ID", num("1")}}})));
  batch.items.push_back(
      single(callOf("list", {.object = "Products",
                             .method = "List",
                             .returns = {"ID", "Name"},
                             .top = 2,
                             .orderBy = {{"ID", false}},
                             .includeTotalCount = true,
                             .filter = R"({"greaterThan": [{"property": "ID"}, 1]})"})));
  batch.items.push_back(single(callOf(
      "missing", {.object = "Categories", .method = "Load", .inputs = {{"ID", num("424242")}}})));
  const CollectingBatch sink = run(*instance, batch);
  const auto logged = peerRequests(peer_->origin());
  ASSERT_EQ(logged.size(), 1u) << "one $batch request";
  EXPECT_THAT(logged.front().url, HasSubstr("$batch"));
  EXPECT_EQ(sink.order, (std::vector<std::string>{"load", "list", "missing"}));
  const Outcome& load = sink.calls.at("load");
  EXPECT_EQ(load.status, 200);
  ASSERT_EQ(load.rows.size(), 1u);
  EXPECT_EQ(load.rows[0].at("Name").text, "Beverages");
  const Outcome& list = sink.calls.at("list");
  EXPECT_EQ(idsOf(list.rows), (std::vector<std::string>{"2", "3"}));
  ASSERT_TRUE(list.result.totalCount.has_value());
  EXPECT_GT(*list.result.totalCount, 2);
  const Outcome& missing = sink.calls.at("missing");
  EXPECT_EQ(missing.status, 404);
  ASSERT_TRUE(missing.error.has_value());
}

TEST_P(CapBatchTest, AChangeSetCreatesAnEntityAndARelatedOneByReference) {
  auto instance = open();
  BatchRequest batch;
  batch.items.push_back(
      {true,
       {callOf("cat", {.object = "Categories",
                       .method = "Create",
                       .inputs = {{"ID", num(text(9100))}, {"Name", str("Batch category")}}}),
        callOf("prod",
               {.object = "Products",
                .method = "Create",
                .inputs = {{"ID", num(text(9100))}, {"Name", str("Batch product")}}},
               {{"Category_ID", "cat", "ID"}}),
        // A key the service makes (a UUID): the later call addresses the entity by Content-ID.
        callOf("sup", {.object = "Suppliers", .method = "Create", .inputs = {{"Name", str("S")}}}),
        callOf("rename",
               {.object = "Suppliers", .method = "Update", .inputs = {{"Name", str("S2")}}},
               {{"ID", "sup", "ID"}})}});
  const CollectingBatch sink = run(*instance, batch);
  ASSERT_EQ(sink.items.size(), 1u);
  EXPECT_EQ(sink.items[0].status, 200) << sink.items[0].error;
  EXPECT_EQ(sink.calls.at("cat").status, 201);
  EXPECT_EQ(sink.calls.at("prod").status, 201);
  ASSERT_EQ(sink.calls.at("prod").rows.size(), 1u);
  EXPECT_EQ(sink.calls.at("prod").rows[0].at("Category_ID").text, text(9100));
  ASSERT_EQ(sink.calls.at("rename").rows.size(), 1u) << sink.calls.at("rename").error->message();
  const std::string supplier = sink.calls.at("sup").rows.at(0).at("ID").text;
  EXPECT_EQ(sink.calls.at("rename").rows[0].at("ID").text, supplier);
  EXPECT_EQ(sink.calls.at("rename").rows[0].at("Name").text, "S2");
  // On the service itself.
  const auto [status, body] = readDirectly(url() + "Products(" + text(9100) + ")");
  EXPECT_EQ(status, 200);
  EXPECT_THAT(body, HasSubstr("Batch product"));
}

TEST_P(CapBatchTest, AChangeSetWhoseThirdCallFailsLeavesTheServiceUnchanged) {
  auto instance = open();
  const auto before = readDirectly(url() + "Products(1)");
  ASSERT_EQ(before.first, 200);
  BatchRequest batch;
  batch.items.push_back(
      {true,
       {callOf("a", {.object = "Categories",
                     .method = "Create",
                     .inputs = {{"ID", num(text(9200))}, {"Name", str("Never")}}}),
        callOf("b", {.object = "Products",
                     .method = "Update",
                     .inputs = {{"ID", num("1")}, {"Name", str("Changed in a batch")}}}),
        callOf("c", {.object = "Products",
                     .method = "Update",
                     .inputs = {{"ID", num("2")},
                                {"Name", str("Stale")},
                                {"ETag", str("W/\"2000-01-01T00:00:00.000Z\"")}}})}});
  const CollectingBatch sink = run(*instance, batch);
  ASSERT_EQ(sink.items.size(), 1u);
  EXPECT_EQ(sink.items[0].status, 412);
  EXPECT_THAT(sink.items[0].error, HasSubstr("'c'"));
  EXPECT_THAT(sink.items[0].error, HasSubstr("no call of this change set was applied"));
  EXPECT_EQ(sink.calls.at("c").status, 412);
  EXPECT_EQ(sink.calls.at("a").status, 424);
  EXPECT_EQ(sink.calls.at("b").status, 424);
  // Nothing of it on the service.
  EXPECT_EQ(readDirectly(url() + "Categories(" + text(9200) + ")").first, 404);
  const auto after = readDirectly(url() + "Products(1)");
  EXPECT_THAT(after.second, Not(HasSubstr("Changed in a batch")));
}

TEST_P(CapBatchTest, OutsideChangeSetsAFailedCallLeavesTheOthersApplied) {
  auto instance = open();
  BatchRequest batch;
  batch.items.push_back(
      single(callOf("first", {.object = "Categories",
                              .method = "Create",
                              .inputs = {{"ID", num(text(9300))}, {"Name", str("First")}}})));
  batch.items.push_back(
      single(callOf("stale", {.object = "Products",
                              .method = "Update",
                              .inputs = {{"ID", num("3")},
                                         {"Name", str("Stale")},
                                         {"ETag", str("W/\"2000-01-01T00:00:00.000Z\"")}}})));
  batch.items.push_back(
      single(callOf("last", {.object = "Categories",
                             .method = "Create",
                             .inputs = {{"ID", num(text(9301))}, {"Name", str("Last")}}})));
  const CollectingBatch sink = run(*instance, batch);
  EXPECT_EQ(sink.calls.at("first").status, 201);
  EXPECT_EQ(sink.calls.at("stale").status, 412);
  EXPECT_EQ(sink.calls.at("last").status, 201);
  EXPECT_EQ(readDirectly(url() + "Categories(" + text(9300) + ")").first, 200);
  EXPECT_EQ(readDirectly(url() + "Categories(" + text(9301) + ")").first, 200);
}

TEST_P(CapBatchTest, AReferenceToAValueTheServiceMakesIsRefusedBeforeSending) {
  auto instance = open();
  BatchRequest batch;
  batch.items.push_back(
      {true,
       {callOf("sup", {.object = "Suppliers", .method = "Create", .inputs = {{"Name", str("S")}}}),
        callOf("prod",
               {.object = "Products",
                .method = "Create",
                .inputs = {{"ID", num(text(9400))}, {"Name", str("P")}}},
               {{"Supplier_ID", "sup", "ID"}})}});
  peerRequests(peer_->origin());
  const CollectingBatch sink = run(*instance, batch);
  EXPECT_EQ(sink.items.at(0).status, 400);
  EXPECT_THAT(sink.items.at(0).error, HasSubstr("'prod'"));
  EXPECT_THAT(sink.items.at(0).error, HasSubstr("made by the service"));
  EXPECT_TRUE(peerRequests(peer_->origin()).empty()) << "the change set was not sent";
}

INSTANTIATE_TEST_SUITE_P(Versions, CapBatchTest, ::testing::Values("V4", "V2"));

// @sap/odata-server: its own batch parser, atomicity groups and Content-ID handling.
class LinksBatchTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() { peer_ = std::make_unique<LinksPeer>(); }
  static void TearDownTestSuite() { peer_.reset(); }
  static std::unique_ptr<LinksPeer> peer_;
};

std::unique_ptr<LinksPeer> LinksBatchTest::peer_;

TEST_F(LinksBatchTest, AChangeSetCreatesAndLinksThenAFailingOneAppliesNothing) {
  auto instance = openOn(peer_->url());
  BatchRequest batch;
  batch.items.push_back(
      {true,
       {callOf("dept", {.object = "Departments",
                        .method = "Create",
                        .inputs = {{"ID", num("7")}, {"Name", str("Batch")}}}),
        callOf("emp", {.object = "Employees",
                       .method = "Create",
                       .inputs = {{"ID", num("70")}, {"Name", str("E")}}}),
        callOf("link", {.object = "Departments", .method = "CreateLink_Employees"},
               {{"ID", "dept", "ID"}, {"Employees/ID", "emp", "ID"}})}});
  batch.items.push_back(
      single(callOf("members", {.object = "Employees", .method = "List", .returns = {"ID"}})));
  CollectingBatch sink = run(*instance, batch);
  EXPECT_EQ(sink.items.at(0).status, 200) << sink.items.at(0).error;
  EXPECT_EQ(sink.calls.at("link").status, 200);
  EXPECT_THAT(readDirectly(peer_->url() + "Departments(7)/Employees").second,
              HasSubstr("\"ID\":70"));

  BatchRequest failing;
  failing.items.push_back(
      {true,
       {callOf("d8", {.object = "Departments",
                      .method = "Create",
                      .inputs = {{"ID", num("8")}, {"Name", str("Never")}}}),
        callOf("e80", {.object = "Employees",
                       .method = "Create",
                       .inputs = {{"ID", num("80")}, {"Name", str("Never")}}}),
        callOf("dup", {.object = "Departments",
                       .method = "Create",
                       .inputs = {{"ID", num("1")}, {"Name", str("Taken")}}})}});
  sink = run(*instance, failing);
  EXPECT_EQ(sink.items.at(0).status, 409);
  EXPECT_THAT(sink.items.at(0).error, HasSubstr("'dup'"));
  EXPECT_EQ(readDirectly(peer_->url() + "Departments(8)").first, 404);
  EXPECT_EQ(readDirectly(peer_->url() + "Employees(80)").first, 404);
}

// OData 4.01: the same batch in the JSON form (atomicity groups, dependsOn, ids as
// Content-IDs), answered by @sap/odata-server's own JSON batch handling. Its $metadata says
// 4.0, so the instance reads a copy that says 4.01 (metadataUrlOrFilePath).
TEST(JsonBatchTest, AFourOhOneServiceGetsTheJsonForm) {
  LinksPeer peer;
  auto [status, metadata] = readDirectly(peer.url() + "$metadata", "application/xml");
  ASSERT_EQ(status, 200);
  const std::size_t version = metadata.find("Version=\"4.0\"");
  ASSERT_NE(version, std::string::npos);
  metadata.replace(version, 13, "Version=\"4.01\"");
  const std::filesystem::path file =
      std::filesystem::temp_directory_path() / ("links-401-" + std::to_string(::getpid()) + ".xml");
  std::ofstream(file) << metadata;
  auto instance = openOn(peer.url(), {{"metadataUrlOrFilePath", file.string()}});
  std::filesystem::remove(file);
  ASSERT_EQ(instance->client->version(), edm::ODataVersion::kV401);
  peerRequests(peer.origin());
  BatchRequest batch;
  batch.items.push_back(single(
      callOf("load", {.object = "Departments", .method = "Load", .inputs = {{"ID", num("1")}}})));
  batch.items.push_back(
      {true,
       {callOf("dept", {.object = "Departments",
                        .method = "Create",
                        .inputs = {{"ID", num("9")}, {"Name", str("Json")}}}),
        callOf("emp", {.object = "Employees",
                       .method = "Create",
                       .inputs = {{"ID", num("90")}, {"Name", str("J")}}}),
        callOf("link", {.object = "Departments", .method = "CreateLink_Employees"},
               {{"ID", "dept", "ID"}, {"Employees/ID", "emp", "ID"}})}});
  batch.items.push_back(
      single(callOf("rename", {.object = "Employees",
                               .method = "Update",
                               .inputs = {{"ID", num("3")}, {"Name", str("Edsger W.")}}})));
  CollectingBatch sink = run(*instance, batch);
  const auto logged = peerRequests(peer.origin());
  ASSERT_EQ(logged.size(), 1u);
  EXPECT_THAT(logged[0].headers.at("content-type"), HasSubstr("application/json"));
  EXPECT_THAT(logged[0].body, HasSubstr(R"("atomicityGroup")"));
  ASSERT_EQ(sink.calls.at("load").status, 200) << sink.calls.at("load").error->message() << "\n"
                                               << logged[0].body;
  EXPECT_EQ(sink.calls.at("load").rows.at(0).at("Name").text, "Research");
  EXPECT_EQ(sink.items.at(1).status, 200) << sink.items.at(1).error;
  EXPECT_EQ(sink.calls.at("link").status, 200);
  EXPECT_THAT(readDirectly(peer.url() + "Departments(9)/Employees").second, HasSubstr("\"ID\":90"));
  ASSERT_EQ(sink.calls.at("rename").rows.size(), 1u)
      << (sink.calls.at("rename").error ? sink.calls.at("rename").error->message() : "");
  EXPECT_EQ(sink.calls.at("rename").rows[0].at("Name").text, "Edsger W.");
  // A change set that fails applies nothing here too.
  BatchRequest failing;
  failing.items.push_back(
      {true,
       {callOf("d10", {.object = "Departments",
                       .method = "Create",
                       .inputs = {{"ID", num("10")}, {"Name", str("Never")}}}),
        callOf("dup", {.object = "Departments",
                       .method = "Create",
                       .inputs = {{"ID", num("1")}, {"Name", str("Taken")}}})}});
  sink = run(*instance, failing);
  EXPECT_EQ(sink.items.at(0).status, 409) << sink.items.at(0).error;
  EXPECT_THAT(sink.items.at(0).error, HasSubstr("'dup'"));
  EXPECT_EQ(readDirectly(peer.url() + "Departments(10)").first, 404);
}

// A service without $batch.
class NoBatchTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    peer_ = std::make_unique<CapturePeer>(sourceDir() / "samples" / "metadata" / "demo-v4.xml");
  }
  static void TearDownTestSuite() { peer_.reset(); }
  static std::unique_ptr<CapturePeer> peer_;
};

std::unique_ptr<CapturePeer> NoBatchTest::peer_;

TEST_F(NoBatchTest, SaysSoOrRunsTheCallsOneByOneWhenAllowed) {
  recordAnswer(peer_->origin(), "POST", "/svc/$batch", 404,
               R"({"error":{"code":"404","message":"Resource not found for segment '$batch'"}})");
  auto instance = openOn(peer_->url());
  BatchRequest batch;
  batch.items.push_back(single(
      callOf("a", {.object = "Categories", .method = "Delete", .inputs = {{"ID", num("1")}}})));
  batch.items.push_back(single(
      callOf("b", {.object = "Categories", .method = "Delete", .inputs = {{"ID", num("2")}}})));
  CollectingBatch refused;
  try {
    engine::executeBatch(*instance, batch, refused);
    ADD_FAILURE() << "no error";
  } catch (const core::Error& e) {
    EXPECT_EQ(e.code(), core::ErrorCode::kInvalidArgument);
    EXPECT_THAT(e.message(), HasSubstr("does not take $batch"));
    EXPECT_THAT(e.message(), HasSubstr("sequentialFallback"));
  }
  peerRequests(peer_->origin());
  batch.sequentialFallback = true;
  const CollectingBatch sink = run(*instance, batch);
  EXPECT_EQ(sink.calls.at("a").status, 200);
  EXPECT_EQ(sink.calls.at("b").status, 200);
  std::vector<std::string> sent;
  for (const LoggedRequest& r : peerRequests(peer_->origin()))
    sent.push_back(r.method + " " + r.url);
  EXPECT_EQ(sent, (std::vector<std::string>{"POST /svc/$batch", "DELETE /svc/Categories(1)",
                                            "DELETE /svc/Categories(2)"}));
  // Never for a change set.
  batch.items.push_back(
      {true,
       {callOf("c", {.object = "Categories", .method = "Delete", .inputs = {{"ID", num("3")}}})}});
  try {
    run(*instance, batch);
    ADD_FAILURE() << "no error";
  } catch (const core::Error& e) {
    EXPECT_THAT(e.message(), HasSubstr("change sets are never run one by one"));
  }
}

}  // namespace
}  // namespace broker::testing
