// $batch in its multipart form: what is written (parts, change sets, Content-IDs, CRLF) and how
// answers are read back, hostile or stopped short; and the client's $batch request on a
// scripted transport (relative URLs, protocol headers, CSRF, the service URL's query options).
#include "broker/odata/batch.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <deque>

#include "broker/core/error.h"
#include "broker/odata/client.h"

namespace broker::odata {
namespace {

using ::testing::HasSubstr;

std::vector<BatchGroup> twoGroups() {
  return {{false, {{"GET", "Products(1)", {{"Accept", "application/json"}}, "", ""}}},
          {true,
           {{"POST", "Categories", {{"Content-Type", "application/json"}}, R"({"ID":7})", "1"},
            {"PATCH", "$1", {{"Content-Type", "application/json"}}, R"({"Name":"x"})", "2"}}}};
}

TEST(BatchTest, WritesRequestsAndChangeSetsAsMultipartWithCrlf) {
  const std::string body = writeBatch(twoGroups(), "batch_b");
  EXPECT_EQ(body,
            "--batch_b\r\n"
            "Content-Type: application/http\r\nContent-Transfer-Encoding: binary\r\n\r\n"
            "GET Products(1) HTTP/1.1\r\nAccept: application/json\r\n\r\n\r\n"
            "--batch_b\r\n"
            "Content-Type: multipart/mixed; boundary=changeset_1_batch_b\r\n\r\n"
            "--changeset_1_batch_b\r\n"
            "Content-Type: application/http\r\nContent-Transfer-Encoding: binary\r\n"
            "Content-ID: 1\r\n\r\n"
            "POST Categories HTTP/1.1\r\nContent-Type: application/json\r\nContent-Length: 8\r\n"
            "\r\n{\"ID\":7}\r\n"
            "--changeset_1_batch_b\r\n"
            "Content-Type: application/http\r\nContent-Transfer-Encoding: binary\r\n"
            "Content-ID: 2\r\n\r\n"
            "PATCH $1 HTTP/1.1\r\nContent-Type: application/json\r\nContent-Length: 12\r\n"
            "\r\n{\"Name\":\"x\"}\r\n"
            "--changeset_1_batch_b--\r\n"
            "--batch_b--\r\n");
}

TEST(BatchTest, EachRequestOutsideChangeSetsIsAPartOfItsOwn) {
  const std::vector<BatchGroup> groups = {
      {false, {{"PATCH", "Products(1)", {}, "{}", ""}, {"GET", "Products(1)", {}, "", ""}}}};
  EXPECT_EQ(writeBatch(groups, "b"),
            "--b\r\nContent-Type: application/http\r\nContent-Transfer-Encoding: binary\r\n\r\n"
            "PATCH Products(1) HTTP/1.1\r\nContent-Length: 2\r\n\r\n{}\r\n"
            "--b\r\nContent-Type: application/http\r\nContent-Transfer-Encoding: binary\r\n\r\n"
            "GET Products(1) HTTP/1.1\r\n\r\n\r\n"
            "--b--\r\n");
}

TEST(BatchTest, ReadsAnswersWithLfOnlyLinesAndQuotedBoundaries) {
  const std::string answer =
      "preamble\n--b\ncontent-type: application/http\n\nHTTP/1.1 200 OK\n"
      "Content-Type: application/json\n\n{\"ID\":1}\n"
      "--b\nContent-Type: multipart/mixed; boundary=cs\n\n"
      "--cs\nContent-Type: application/http\nContent-ID: 1\n\nHTTP/1.1 201 Created\n"
      "Location: Categories(7)\n\n{\"ID\":7}\n"
      "--cs\nContent-Type: application/http\n\nHTTP/1.1 204 No Content\n\n\n"
      "--cs--\n--b--\n";
  const auto answers = readBatch(answer, "multipart/mixed; boundary=\"b\"", twoGroups());
  ASSERT_EQ(answers.size(), 2u);
  ASSERT_EQ(answers[0].responses.size(), 1u);
  EXPECT_EQ(answers[0].responses[0].status, 200);
  EXPECT_EQ(answers[0].responses[0].body, "{\"ID\":1}");
  EXPECT_FALSE(answers[1].failed);
  ASSERT_EQ(answers[1].responses.size(), 2u);
  EXPECT_EQ(answers[1].responses[0].status, 201);
  EXPECT_EQ(answers[1].responses[0].header("Location").value_or(""), "Categories(7)");
  EXPECT_EQ(answers[1].responses[0].header("Content-ID").value_or(""), "1");
  EXPECT_EQ(answers[1].responses[1].status, 204);
}

TEST(BatchTest, AFailedChangeSetIsOneResponseNamingTheRequest) {
  const std::string answer =
      "--b\r\nContent-Type: application/http\r\n\r\nHTTP/1.1 200 OK\r\n\r\n{}\r\n"
      "--b\r\nContent-Type: application/http\r\ncontent-id: 2\r\n\r\n"
      "HTTP/1.1 412 Precondition Failed\r\n\r\n{\"error\":{\"message\":\"stale\"}}\r\n--b--\r\n";
  const auto answers = readBatch(answer, "multipart/mixed;boundary=b", twoGroups());
  ASSERT_EQ(answers.size(), 2u);
  EXPECT_TRUE(answers[1].failed);
  ASSERT_EQ(answers[1].responses.size(), 1u);
  EXPECT_EQ(answers[1].responses[0].status, 412);
  EXPECT_EQ(answers[1].responses[0].header("Content-ID").value_or(""), "2");
}

TEST(BatchTest, AnAnswerStoppedAfterAFailureEndsEarly) {
  const std::string answer =
      "--b\r\nContent-Type: application/http\r\n\r\nHTTP/1.1 404 Not Found\r\n\r\n{}\r\n--b--\r\n";
  const auto answers = readBatch(answer, "multipart/mixed; boundary=b", twoGroups());
  ASSERT_EQ(answers.size(), 1u);
  EXPECT_EQ(answers[0].responses.at(0).status, 404);
}

TEST(BatchTest, AnswersThatAreNotBatchAnswersNameWhatIsWrong) {
  const auto error = [](std::string_view body, std::string_view type) {
    try {
      readBatch(body, type, twoGroups());
    } catch (const core::Error& e) {
      EXPECT_EQ(e.code(), core::ErrorCode::kUpstreamFailure);
      return e.message();
    }
    ADD_FAILURE() << "no error";
    return std::string();
  };
  EXPECT_THAT(error("{}", "application/json"), HasSubstr("not multipart/mixed"));
  EXPECT_THAT(error("--b\r\n", "multipart/mixed"), HasSubstr("names no multipart boundary"));
  EXPECT_THAT(error("nothing", "multipart/mixed; boundary=b"), HasSubstr("no part delimited"));
  EXPECT_THAT(error("--b\r\nContent-Type: application/http\r\n\r\nHTTP/1.1 200 OK\r\n",
                    "multipart/mixed; boundary=b"),
              HasSubstr("no closing delimiter"));
  EXPECT_THAT(error("--b\r\nContent-Type: text/html\r\n\r\n<html/>\r\n--b--",
                    "multipart/mixed; boundary=b"),
              HasSubstr("of type 'text/html'"));
  EXPECT_THAT(error("--b\r\nContent-Type: application/http\r\n\r\nHTTP/1.1 2x OK\r\n\r\n\r\n--b--",
                    "multipart/mixed; boundary=b"),
              HasSubstr("not an HTTP status line"));
  // A change set answered in part.
  EXPECT_THAT(error("--b\r\nContent-Type: application/http\r\n\r\nHTTP/1.1 200 OK\r\n\r\n\r\n"
                    "--b\r\nContent-Type: multipart/mixed; boundary=c\r\n\r\n"
                    "--c\r\nContent-Type: application/http\r\n\r\nHTTP/1.1 201 Created\r\n\r\n\r\n"
                    "--c--\r\n--b--",
                    "multipart/mixed; boundary=b"),
              HasSubstr("a change set of 2 requests was answered with 1"));
}

TEST(BatchTest, TheJsonFormHasAtomicityGroupsAndDependencies) {
  std::vector<BatchGroup> groups = {
      {false,
       {{"PATCH", "Products(1)", {{"Content-Type", "application/json"}}, R"({"A":1})", ""},
        {"GET", "Products(1)", {{"Accept", "application/json"}}, "", ""}}},
      {true,
       {{"POST", "Categories", {{"Content-Type", "application/json"}}, R"({"ID":7})", "1"},
        {"DELETE", "$1", {}, "", "2"}}},
      {false, {{"GET", "Categories(7)", {}, "", ""}}, true}};
  EXPECT_EQ(
      writeJsonBatch(groups),
      R"j({"requests":[)j"
      R"j({"id":"g0r0","method":"PATCH","url":"Products(1)","headers":{"content-type":"application/json"},"body":{"A":1}},)j"
      R"j({"id":"g0r1","dependsOn":["g0r0"],"method":"GET","url":"Products(1)","headers":{"accept":"application/json"}},)j"
      R"j({"id":"1","atomicityGroup":"g1","method":"POST","url":"Categories","headers":{"content-type":"application/json"},"body":{"ID":7}},)j"
      R"j({"id":"2","atomicityGroup":"g1","method":"DELETE","url":"$1","headers":{}},)j"
      R"j({"id":"g2r0","dependsOn":["g1"],"method":"GET","url":"Categories(7)","headers":{}}]})j");
  // Answers in any order, matched by id; a change set with a failure is failed, named.
  const auto answers = readJsonBatch(
      R"({"responses":[{"id":"2","status":412,"body":{"error":{"message":"stale"}}},
                       {"id":"g0r1","status":200,"body":{"ID":1}},
                       {"id":"g0r0","status":204},
                       {"id":"1","status":424}]})",
      groups);
  ASSERT_EQ(answers.size(), 3u);
  ASSERT_EQ(answers[0].responses.size(), 2u);
  EXPECT_EQ(answers[0].responses[1].body, R"({"ID":1})");
  EXPECT_TRUE(answers[1].failed);
  ASSERT_EQ(answers[1].responses.size(), 1u);
  EXPECT_EQ(answers[1].responses[0].status, 412);
  EXPECT_EQ(answers[1].responses[0].header("Content-ID").value_or(""), "2");
  EXPECT_TRUE(answers[2].responses.empty()) << "not run after the failed change set";
  try {
    readJsonBatch("[]", groups);
    ADD_FAILURE() << "no error";
  } catch (const core::Error& e) {
    EXPECT_THAT(e.message(), HasSubstr("\"responses\" array"));
  }
}

class ScriptedTransport : public HttpTransport {
 public:
  HttpResponse send(const HttpRequest& request) override {
    sent.push_back(request);
    HttpResponse next = script.front();
    script.pop_front();
    return next;
  }
  std::deque<HttpResponse> script;
  std::vector<HttpRequest> sent;
};

TEST(BatchTest, TheClientSendsOneBatchWithRelativeUrlsAndItsSessionHeaders) {
  auto transport = std::make_shared<ScriptedTransport>();
  const std::vector<std::pair<std::string, std::string>> keys = {
      {"serviceUrl", "http://svc.example/sap/SRV/?sap-client=100"},
      {"csrfTokenHandling", "always"},
      {"defaultHttpRequestHeaders", R"([{"Name":"X-Tenant","Value":"t1"}])"}};
  ODataClient client(config::ServiceKeys::parse(keys), edm::ODataVersion::kV2, transport);
  const std::vector<BatchGroup> groups = {
      {false, {client.batchRequest({.url = "Products(1)"})}},
      {true,
       {client.batchRequest({.method = "POST", .url = "Categories", .body = R"({"ID":7})"})}}};
  EXPECT_EQ(groups[0].requests[0].url, "Products(1)?sap-client=100");
  EXPECT_THAT(groups[0].requests[0].headers,
              ::testing::Contains(::testing::Field(&Header::name, "DataServiceVersion")));
  EXPECT_THAT(groups[0].requests[0].headers,
              ::testing::Contains(::testing::Field(&Header::value, "t1")));
  EXPECT_EQ(groups[1].requests[0].body, R"({"ID":7})");
  transport->script = {
      {200, {{"X-CSRF-Token", "tok"}}, ""},
      {202,
       {{"Content-Type", "multipart/mixed; boundary=x"}},
       "--x\r\nContent-Type: application/http\r\n\r\nHTTP/1.1 200 OK\r\n\r\n{}\r\n"
       "--x\r\nContent-Type: multipart/mixed; boundary=y\r\n\r\n--y\r\n"
       "Content-Type: application/http\r\n\r\nHTTP/1.1 201 Created\r\n\r\n{}\r\n--y--\r\n--x--"}};
  const auto answers = client.sendBatch(groups, "");
  ASSERT_EQ(transport->sent.size(), 2u);
  const HttpRequest& batch = transport->sent[1];
  EXPECT_EQ(batch.method, "POST");
  EXPECT_EQ(batch.url, "http://svc.example/sap/SRV/$batch?sap-client=100");
  EXPECT_THAT(findHeader(batch.headers, "Content-Type").value_or(""),
              HasSubstr("multipart/mixed; boundary=batch_"));
  EXPECT_EQ(findHeader(batch.headers, "X-CSRF-Token").value_or(""), "tok");
  EXPECT_THAT(batch.body, HasSubstr("GET Products(1)?sap-client=100 HTTP/1.1\r\n"));
  ASSERT_EQ(answers.size(), 2u);
  EXPECT_EQ(answers[1].responses.at(0).status, 201);
}

}  // namespace
}  // namespace broker::odata
