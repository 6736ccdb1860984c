// Request plans and paging on a scripted transport (no peer): what a call plans before sending
// anything (URL, verb, headers, body, and for a List what the broker does to the rows), how it
// follows pages, and the $batch the engine writes and reads for several calls. The instance is
// the demo service's V4 metadata (samples/metadata).
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <deque>
#include <fstream>
#include <sstream>

#include "broker/engine/batch.h"
#include "calls.h"
#include "engine_support.h"

namespace broker::testing {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;

// Answers requests from a script, in order; records them.
class ScriptedTransport : public odata::HttpTransport {
 public:
  odata::HttpResponse send(const odata::HttpRequest& request) override {
    sent.push_back(request);
    if (script.empty()) return {404, {}, R"({"error":{"message":"not scripted"}})"};
    odata::HttpResponse next = script.front();
    script.pop_front();
    return next;
  }
  std::deque<odata::HttpResponse> script;
  std::vector<odata::HttpRequest> sent;
};

constexpr const char* kRoot = "http://svc.example/odata/v4/demo/";

using Keys = std::vector<std::pair<std::string, std::string>>;

struct Fixture {
  explicit Fixture(Keys keys = {}) {
    std::ifstream in(std::string(BROKER_SOURCE_DIR) + "/samples/metadata/demo-v4.xml");
    std::ostringstream metadata;
    metadata << in.rdbuf();
    keys.emplace_back("serviceUrl", kRoot);
    transport = std::make_shared<ScriptedTransport>();
    instance =
        engine::openInstance("plan", config::ServiceKeys::parse(keys), metadata.str(), transport);
  }
  odata::RequestPlan plan(const engine::CallRequest& request) {
    requests.push_back(request);
    calls.push_back(engine::internal::openCall(*instance, requests.back(), stats));
    return calls.back()->plan();
  }
  std::shared_ptr<ScriptedTransport> transport;
  std::shared_ptr<const engine::Instance> instance;
  std::deque<engine::CallRequest> requests;
  std::vector<std::unique_ptr<engine::internal::MethodCall>> calls;
  engine::CallStats stats;
};

odata::HttpResponse json(std::string body, int status = 200) {
  return {status, {{"Content-Type", "application/json"}}, std::move(body)};
}

TEST(PlanTest, AListPlansOneRequestAndNothingForTheBroker) {
  Fixture f;
  const odata::RequestPlan plan =
      f.plan({.object = "Products",
              .method = "List",
              .returns = {"ID", "Name"},
              .top = 5,
              .skip = 10,
              .orderBy = {{"Name", true}},
              .includeTotalCount = true,
              .filter = R"({"greaterThan": [{"property": "Rating"}, 3]})",
              .expand = {"Category"}});
  EXPECT_EQ(plan.request.method, "GET");
  EXPECT_EQ(plan.request.url,
            std::string(kRoot) +
                "Products?$select=ID,Name&$filter=Rating%20gt%203&$expand=Category&$orderby="
                "Name%20desc&$skip=10&$top=5&$count=true");
  EXPECT_FALSE(plan.rows.filter);
  EXPECT_EQ(plan.rows.skip, 0);
  EXPECT_EQ(plan.rows.limit, 5);
  EXPECT_FALSE(plan.rows.count);
  EXPECT_TRUE(plan.unbatchable.empty());
  EXPECT_TRUE(f.transport->sent.empty()) << "planning sends nothing";
}

TEST(PlanTest, WhatTheServiceMayNotDoTheBrokerDoes) {
  Fixture f(Keys{{"excludeQueryParameters", "$filter,$skip"}});
  const odata::RequestPlan plan =
      f.plan({.object = "Products",
              .method = "List",
              .top = 5,
              .skip = 10,
              .includeTotalCount = true,
              .filter = R"({"greaterThan": [{"property": "Rating"}, 3]})"});
  EXPECT_THAT(plan.request.url, Not(HasSubstr("$filter")));
  EXPECT_THAT(plan.request.url, Not(HasSubstr("$skip")));
  EXPECT_THAT(plan.request.url, Not(HasSubstr("$top")));
  EXPECT_THAT(plan.request.url, HasSubstr("$select="));  // the fields the filter reads
  EXPECT_TRUE(plan.rows.filter);
  EXPECT_EQ(plan.rows.skip, 10);
  EXPECT_EQ(plan.rows.limit, 5);
  EXPECT_TRUE(plan.rows.count);
}

TEST(PlanTest, AnUpdatePlansItsWriteAndTheReadBack) {
  Fixture f;
  const odata::RequestPlan plan =
      f.plan({.object = "Products",
              .method = "Update",
              .inputs = {{"ID", num("7")}, {"Name", str("N")}, {"ETag", str("W/\"1\"")}}});
  EXPECT_EQ(plan.request.method, "PATCH");
  EXPECT_EQ(plan.request.url, "Products(7)");
  EXPECT_EQ(plan.request.body, R"({"Name":"N"})");
  EXPECT_EQ(odata::findHeader(plan.request.headers, "If-Match").value_or(""), "W/\"1\"");
  ASSERT_TRUE(plan.readBack.has_value());
  EXPECT_EQ(plan.readBack->method, "GET");
  EXPECT_EQ(plan.readBack->url, "Products(7)");
}

TEST(PlanTest, ADeepInsertIsOneBodyAndAStreamIsNoBatchRequest) {
  Fixture f;
  const odata::RequestPlan deep =
      f.plan({.object = "Orders",
              .method = "Create",
              .inputs = {{"ID", num("1")},
                         {"Items", odata::Value::json(R"([{"Pos":1,"Quantity":2},{"Pos":2}])")}}});
  EXPECT_EQ(deep.request.method, "POST");
  EXPECT_EQ(deep.request.body, R"({"ID":1,"Items":[{"Pos":1,"Quantity":2},{"Pos":2}]})");
  EXPECT_TRUE(deep.unbatchable.empty());
  const odata::RequestPlan stream =
      f.plan({.object = "Pictures",
              .method = "Update",
              .inputs = {{"ID", str("6a5b1c2d-0000-4000-8000-000000000001")},
                         {"Content",
                          odata::Value::json(R"({"fileName":"a.txt","content":"aGVsbG8="})")}}});
  EXPECT_THAT(stream.unbatchable, HasSubstr("requests of its own"));
  EXPECT_FALSE(stream.readBack.has_value());
}

TEST(PlanTest, AListFollowsPagesUntilItHasItsRows) {
  Fixture f;
  f.transport->script = {
      json(R"({"value":[{"ID":1},{"ID":2}],"@odata.nextLink":"Products?$skiptoken=2"})"),
      json(R"({"value":[{"ID":3},{"ID":4}],"@odata.nextLink":"Products?$skiptoken=4"})"),
      json(R"({"value":[{"ID":5}]})")};
  engine::CallResult result;
  const auto rows = call(
      *f.instance, {.object = "Products", .method = "List", .returns = {"ID"}, .top = 3}, &result);
  EXPECT_EQ(idsOf(rows), (std::vector<std::string>{"1", "2", "3"}));
  ASSERT_EQ(f.transport->sent.size(), 2u) << "no third page: three rows were enough";
  EXPECT_EQ(f.transport->sent[1].url, std::string(kRoot) + "Products?$skiptoken=2");
}

TEST(PlanTest, TheBrokerFiltersSkipsAndCountsAcrossPages) {
  Fixture f(Keys{{"excludeQueryParameters", "$filter"}});
  f.transport->script = {
      json(R"({"value":[{"ID":1,"Rating":5},{"ID":2,"Rating":1}],"@odata.nextLink":"p2"})"),
      json(R"({"value":[{"ID":3,"Rating":4},{"ID":4,"Rating":5},{"ID":5,"Rating":2}]})")};
  engine::CallResult result;
  const auto rows = call(*f.instance,
                         {.object = "Products",
                          .method = "List",
                          .returns = {"ID"},
                          .top = 1,
                          .skip = 1,
                          .includeTotalCount = true,
                          .filter = R"({"greaterThan": [{"property": "Rating"}, 3]})"},
                         &result);
  EXPECT_EQ(idsOf(rows), (std::vector<std::string>{"3"}));
  ASSERT_TRUE(result.totalCount.has_value());
  EXPECT_EQ(*result.totalCount, 3) << "every page read to count what matches";
  EXPECT_EQ(f.transport->sent.size(), 2u);
}

// The $batch answer for the batch `sent`: `parts` (each "STATUS BODY" or a change set's list).
std::string boundaryOf(const odata::HttpRequest& sent) {
  const std::string type(odata::findHeader(sent.headers, "Content-Type").value_or(""));
  return type.substr(type.find("boundary=") + 9);
}

TEST(PlanTest, ABatchWritesEveryPlanAndReadsEachAnswerBack) {
  Fixture f;
  f.transport->script = {
      {200,
       {{"Content-Type", "multipart/mixed; boundary=ans"}},
       "--ans\r\nContent-Type: application/http\r\n\r\nHTTP/1.1 200 OK\r\n"
       "Content-Type: application/json\r\n\r\n{\"ID\":1,\"Name\":\"Beverages\"}\r\n"
       "--ans\r\nContent-Type: multipart/mixed; boundary=cs\r\n\r\n"
       "--cs\r\nContent-Type: application/http\r\nContent-ID: 1\r\n\r\nHTTP/1.1 204 No Content\r\n"
       "\r\n\r\n--cs--\r\n"
       "--ans\r\nContent-Type: application/http\r\n\r\nHTTP/1.1 200 OK\r\n\r\n"
       "{\"ID\":2,\"Name\":\"Renamed\"}\r\n--ans--\r\n"}};
  engine::BatchRequest batch;
  batch.items.push_back(
      {false,
       {{"load", {.object = "Categories", .method = "Load", .inputs = {{"ID", num("1")}}}, {}}}});
  batch.items.push_back({true,
                         {{"rename",
                           {.object = "Categories",
                            .method = "Update",
                            .inputs = {{"ID", num("2")}, {"Name", str("Renamed")}}},
                           {}}}});
  struct Sink : engine::BatchSink {
    engine::RowSink& rowsOf(const engine::BatchCall&) override { return rows; }
    void outcome(const engine::BatchCall& call, const engine::BatchCallOutcome& o) override {
      statuses.push_back(call.id + " " + std::to_string(o.status));
    }
    void endItem(const engine::BatchItem&, int, const core::Error*) override {}
    CollectingSink rows;
    std::vector<std::string> statuses;
  } sink;
  engine::executeBatch(*f.instance, batch, sink);
  ASSERT_EQ(f.transport->sent.size(), 1u) << "the Update's read-back went in the same batch";
  const odata::HttpRequest& sent = f.transport->sent[0];
  EXPECT_EQ(sent.url, std::string(kRoot) + "$batch");
  const std::string& body = sent.body;
  EXPECT_THAT(body, HasSubstr("GET Categories(1) HTTP/1.1\r\n"));
  EXPECT_THAT(body, HasSubstr("Content-ID: 1\r\n\r\nPATCH Categories(2) HTTP/1.1\r\n"));
  EXPECT_LT(body.find("PATCH Categories(2)"), body.find("GET Categories(2)"));
  EXPECT_THAT(body, HasSubstr("--" + boundaryOf(sent) + "--\r\n"));
  EXPECT_EQ(sink.statuses, (std::vector<std::string>{"load 200", "rename 200"}));
  ASSERT_EQ(sink.rows.rows.size(), 2u);
  EXPECT_EQ(sink.rows.rows[1].at("Name").text, "Renamed");
}

}  // namespace
}  // namespace broker::testing
