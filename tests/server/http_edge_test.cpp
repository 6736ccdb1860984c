// The broker's HTTP edge attacked over raw sockets, against a broker process: requests smuggled
// in the bodies of early answers, a POST with no length, slow clients, saturation, a body of
// sixteen million brackets, and the audit lines of admin actions.
#include <Poco/DigestEngine.h>
#include <Poco/SHA2Engine.h>
#include <arpa/inet.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <filesystem>
#include <regex>
#include <string>
#include <thread>
#include <vector>

#include "broker_process.h"

namespace broker::testing {
namespace {

using Clock = std::chrono::steady_clock;
using namespace std::chrono_literals;

const std::string kAdminKey = "admin-key-0123456789";
const std::string kCallerKey = "caller-key-0123456789";
const std::string kPassword = "s3cret-upstream-pass";

int portOf(const std::string& url) { return std::stoi(url.substr(url.rfind(':') + 1)); }

class Socket {
 public:
  explicit Socket(int port) : fd_(::socket(AF_INET, SOCK_STREAM, 0)) {
    sockaddr_in address{};
    address.sin_family = AF_INET;
    address.sin_port = htons(static_cast<std::uint16_t>(port));
    address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    if (::connect(fd_, reinterpret_cast<sockaddr*>(&address), sizeof address) != 0) {
      throw std::runtime_error("cannot connect");
    }
  }
  ~Socket() { ::close(fd_); }
  Socket(const Socket&) = delete;
  Socket& operator=(const Socket&) = delete;

  // Sends what the peer takes; false once it stops taking (closed or reset).
  bool send(std::string_view data) {
    while (!data.empty()) {
      const ssize_t sent = ::send(fd_, data.data(), data.size(), MSG_NOSIGNAL);
      if (sent <= 0) return false;
      data.remove_prefix(static_cast<std::size_t>(sent));
    }
    return true;
  }

  // Reads until the peer closes or nothing arrives for `quiet`.
  std::string readAll(std::chrono::milliseconds quiet) {
    std::string text;
    char buffer[65536];
    for (;;) {
      pollfd entry{fd_, POLLIN, 0};
      if (::poll(&entry, 1, static_cast<int>(quiet.count())) <= 0) return text;
      const ssize_t got = ::recv(fd_, buffer, sizeof buffer, 0);
      if (got <= 0) {
        closed_ = true;
        return text;
      }
      text.append(buffer, static_cast<std::size_t>(got));
    }
  }

  bool closed() const { return closed_; }
  int fd() const { return fd_; }

 private:
  int fd_;
  bool closed_ = false;
};

struct Response {
  int status = 0;
  std::string statusLine;
  std::string head;
  std::string body;
};

// Splits a stream of HTTP/1.1 responses framed by Content-Length or chunked.
std::vector<Response> responses(std::string_view text) {
  std::vector<Response> all;
  while (!text.empty()) {
    const std::size_t end = text.find("\r\n\r\n");
    if (end == std::string_view::npos) break;
    Response response;
    response.head = std::string(text.substr(0, end));
    response.statusLine = response.head.substr(0, response.head.find("\r\n"));
    response.status = std::stoi(response.statusLine.substr(9, 3));
    text.remove_prefix(end + 4);
    std::smatch length;
    if (std::regex_search(response.head, length, std::regex("Content-Length: (\\d+)"))) {
      const std::size_t size = std::stoul(length[1]);
      response.body = std::string(text.substr(0, size));
      text.remove_prefix(std::min(size, text.size()));
    } else if (response.head.find("Transfer-Encoding: chunked") != std::string::npos) {
      for (;;) {
        const std::size_t line = text.find("\r\n");
        const std::size_t size = std::stoul(std::string(text.substr(0, line)), nullptr, 16);
        text.remove_prefix(line + 2);
        response.body += text.substr(0, size);
        text.remove_prefix(size + 2);
        if (size == 0) break;
      }
    }
    all.push_back(std::move(response));
  }
  return all;
}

std::string request(const std::string& method, const std::string& path, const std::string& key,
                    const std::string& framing = "Content-Length: 0\r\n") {
  std::string text = method + " " + path + " HTTP/1.1\r\nHost: broker\r\n";
  if (!key.empty()) text += "Authorization: Bearer " + key + "\r\n";
  return text + framing + "\r\n";
}

std::string chunked(std::string_view body) {
  char size[20];
  std::snprintf(size, sizeof size, "%zx\r\n", body.size());
  return size + std::string(body) + "\r\n0\r\n\r\n";
}

std::string registration(const std::string& name) {
  return R"({"name": ")" + name +
         R"(", "serviceKeys": {"serviceUrl": "http://127.0.0.1:9/", "retryCount": 0,
            "metadataUrlOrFilePath": ")" +
         std::string(BROKER_CORPUS_DIR) + R"(/northwind-v4.xml"},
            "auth": {"mode": "static", "username": "u", "password": ")" +
         kPassword + R"("}})";
}

// One request on a fresh connection; its response.
Response call(int port, std::string text, std::chrono::milliseconds quiet = 3000ms) {
  text.insert(text.find("\r\n") + 2, "Connection: close\r\n");  // the answer ends the read
  Socket socket(port);
  socket.send(text);
  const std::vector<Response> all = responses(socket.readAll(quiet));
  return all.empty() ? Response{} : all.front();
}

std::string withBody(const std::string& method, const std::string& path, const std::string& key,
                     const std::string& body) {
  return request(method, path, key,
                 "Content-Type: application/json\r\nContent-Length: " +
                     std::to_string(body.size()) + "\r\n") +
         body;
}

class HttpEdgeTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    dataDir_ =
        std::filesystem::temp_directory_path() / ("http-edge-test-" + std::to_string(::getpid()));
    std::filesystem::remove_all(dataDir_);
    broker_ = new BrokerProcess(
        dataDir_, {"--set", "adminKeys=" + kAdminKey, "--set", "callerKeys=" + kCallerKey});
    port_ = portOf(broker_->url());
    const Response registered =
        call(port_, withBody("POST", "/api/v1/instances", kAdminKey, registration("victim")));
    ASSERT_EQ(registered.status, 201) << registered.body;
  }
  static void TearDownTestSuite() {
    delete broker_;
    broker_ = nullptr;
    std::filesystem::remove_all(dataDir_);
  }

  static bool victimExists() {
    return call(port_, request("GET", "/api/v1/instances/victim", kAdminKey)).status == 200;
  }

  static inline BrokerProcess* broker_ = nullptr;
  static inline std::filesystem::path dataDir_;
  static inline int port_ = 0;
};

struct EarlyAnswer {
  const char* name;
  std::string method;
  std::string path;
  std::string key;
  int status;
};

// The first request gets an early answer and carries a whole second request as its body
// (framed by Content-Length, then chunked); a third, real request follows on the connection.
TEST_F(HttpEdgeTest, ASmuggledRequestInTheBodyOfAnEarlyAnswerNeverRuns) {
  const std::string smuggled = request("DELETE", "/api/v1/instances/victim", kAdminKey);
  const std::string follow = request("GET", "/api/v1/instances/victim", kCallerKey);
  const std::string deep = std::string(100, '[') + smuggled;
  const EarlyAnswer cases[] = {
      {"401 no key", "POST", "/api/v1/instances", "", 401},
      {"403 caller key registers", "POST", "/api/v1/instances", kCallerKey, 403},
      {"403 caller key refreshes", "POST", "/api/v1/instances/victim/refresh", kCallerKey, 403},
      {"404 unknown instance", "POST", "/api/v1/instances/nope/objects/P/methods/Load", kCallerKey,
       404},
      {"405 health", "POST", "/api/v1/health", kCallerKey, 405},
      {"413 declared too large", "POST", "/api/v1/instances", kAdminKey, 413},
      {"400 nesting", "POST", "/api/v1/instances/victim/objects/Categories/methods/List",
       kCallerKey, 400},
  };
  for (const EarlyAnswer& c : cases) {
    for (const bool useChunks : {false, true}) {
      SCOPED_TRACE(std::string(c.name) + (useChunks ? ", chunked" : ", Content-Length"));
      const bool tooLarge = c.status == 413;
      const bool nested = c.status == 400;
      std::string body = nested ? deep : smuggled;
      if (tooLarge && useChunks) body = std::string(17 << 20, ' ') + smuggled;
      std::string first;
      if (useChunks) {
        first = request(c.method, c.path, c.key, "Transfer-Encoding: chunked\r\n") + chunked(body);
      } else if (tooLarge) {
        first = request(c.method, c.path, c.key, "Content-Length: 104857600\r\n") + body;
      } else {
        first = request(c.method, c.path, c.key,
                        "Content-Length: " + std::to_string(body.size()) + "\r\n") +
                body;
      }
      Socket socket(port_);
      socket.send(first);
      socket.send(follow);
      const std::vector<Response> got = responses(socket.readAll(2000ms));
      ASSERT_FALSE(got.empty());
      EXPECT_EQ(got[0].status, c.status) << got[0].body;
      for (const Response& response : got) EXPECT_NE(response.status, 204) << response.head;
      if (got.size() > 1) {
        // The connection was kept: the next answer is the real request's own.
        ASSERT_EQ(got.size(), 2u);
        EXPECT_EQ(got[1].status, 200) << got[1].body;
        EXPECT_NE(got[1].body.find("\"victim\""), std::string::npos);
      } else {
        EXPECT_TRUE(socket.closed());
        EXPECT_NE(got[0].head.find("Connection: close"), std::string::npos);
      }
      EXPECT_TRUE(victimExists());
    }
  }
}

TEST_F(HttpEdgeTest, StatusLinesCarryTheirOwnReason) {
  EXPECT_EQ(call(port_, request("GET", "/api/v1/instances/nope", kCallerKey)).statusLine,
            "HTTP/1.1 404 Not Found");
  EXPECT_EQ(call(port_, request("GET", "/api/v1/instances", "")).statusLine,
            "HTTP/1.1 401 Unauthorized");
  EXPECT_EQ(call(port_, request("GET", "/api/v1/health", "")).statusLine, "HTTP/1.1 200 OK");
  EXPECT_EQ(call(port_, request("GET", "/ui/index.html%00.png", "")).status, 404);
}

TEST_F(HttpEdgeTest, APostWithNoBodyAndNoLengthIsAnsweredAtOnce) {
  for (const std::string_view path : {"/api/v1/instances/victim/objects/Categories/methods/List",
                                      "/api/v1/instances/victim/objects/Categories/filter"}) {
    SCOPED_TRACE(path);
    const auto started = Clock::now();
    const Response response =
        call(port_,
             "POST " + std::string(path) + " HTTP/1.1\r\nHost: b\r\nAuthorization: Bearer " +
                 kCallerKey + "\r\n\r\n",
             10000ms);
    EXPECT_NE(response.status, 0);
    EXPECT_LT(Clock::now() - started, 5s);
  }
}

TEST_F(HttpEdgeTest, StrictTypesInTheExecuteBody) {
  for (const std::string_view body : {R"({"top": true})", R"({"skip": false})", R"({"top": 1.5})",
                                      R"({"top": "5"})", R"({"includeTotalCount": 1})"}) {
    SCOPED_TRACE(body);
    const Response response =
        call(port_, withBody("POST", "/api/v1/instances/victim/objects/Categories/methods/List",
                             kCallerKey, std::string(body)));
    EXPECT_EQ(response.status, 400) << response.body;
  }
}

TEST_F(HttpEdgeTest, SixteenMillionBracketsCostLittleMemory) {
  broker_->resetPeakRss();
  const long before = broker_->peakRssKb();
  const std::string brackets(16'777'300, '[');
  std::vector<std::thread> senders;
  std::atomic<int> answered{0};
  for (int i = 0; i < 3; ++i) {
    senders.emplace_back([&] {
      Socket socket(port_);
      socket.send(request("POST", "/api/v1/instances/victim/objects/Categories/methods/List",
                          kCallerKey,
                          "Content-Length: " + std::to_string(brackets.size()) + "\r\n"));
      std::thread reader([&] {
        const std::vector<Response> got = responses(socket.readAll(10000ms));
        if (!got.empty() && (got[0].status == 400 || got[0].status == 413)) ++answered;
      });
      socket.send(brackets);  // stops when the broker closes
      reader.join();
    });
  }
  for (std::thread& sender : senders) sender.join();
  EXPECT_EQ(answered.load(), 3);
  const long growthKb = broker_->peakRssKb() - before;
  RecordProperty("peak_rss_growth_kb", std::to_string(growthKb));
  EXPECT_LT(growthKb, 64 * 1024);
  EXPECT_TRUE(victimExists());
}

std::string fingerprint(const std::string& key) {
  Poco::SHA2Engine sha(Poco::SHA2Engine::SHA_256);
  sha.update(key);
  return "sha256:" + Poco::DigestEngine::digestToHex(sha.digest()).substr(0, 16);
}

TEST_F(HttpEdgeTest, AdminActionsAreAuditedWithAKeyFingerprint) {
  call(port_, withBody("POST", "/api/v1/instances", kAdminKey, R"({"name": "audited", )"));
  call(port_, withBody("POST", "/api/v1/instances", kAdminKey, registration("audited")));
  call(port_, withBody("POST", "/api/v1/instances", kCallerKey, registration("nope")));
  call(port_, request("POST", "/api/v1/instances/audited/refresh", kAdminKey));
  call(port_, request("DELETE", "/api/v1/instances/audited", kAdminKey));
  call(port_, request("DELETE", "/api/v1/instances/audited", kAdminKey));
  const std::string log = broker_->log();
  const std::string admin = " client=127.0.0.1 key=" + fingerprint(kAdminKey);
  for (const std::string& line :
       {"audit action=register instance=\"\" outcome=failure status=400" + admin +
            " error=InvalidArgument",
        "audit action=register instance=\"audited\" outcome=success status=201" + admin,
        "audit action=register instance=\"\" outcome=failure status=403 client=127.0.0.1 key=" +
            fingerprint(kCallerKey) + " error=PermissionDenied",
        "audit action=refresh instance=\"audited\" outcome=success status=200" + admin,
        "audit action=remove instance=\"audited\" outcome=success status=204" + admin,
        "audit action=remove instance=\"audited\" outcome=failure status=404" + admin +
            " error=NotFound"}) {
    EXPECT_NE(log.find(line), std::string::npos) << line << "\n" << log;
  }
  EXPECT_EQ(log.find(kAdminKey), std::string::npos);
  EXPECT_EQ(log.find(kCallerKey), std::string::npos);
  EXPECT_EQ(log.find(kPassword), std::string::npos);
}

// Connections trickling a head byte every 2 s hold no worker: normal requests keep being
// answered within a second, and every trickler is closed after the head deadline.
TEST(HttpEdgeSlowClients, TricklingHeadsStarveNobodyAndAreClosed) {
  const auto dataDir =
      std::filesystem::temp_directory_path() / ("http-edge-slow-" + std::to_string(::getpid()));
  std::filesystem::remove_all(dataDir);
  BrokerProcess broker(dataDir, {"--set", "requestHeaderTimeoutSeconds=10"});
  const int port = portOf(broker.url());
  const std::string head =
      "GET /api/v1/health HTTP/1.1\r\nHost: slow\r\nX-Padding: " + std::string(100, 'a') +
      "\r\n\r\n";
  std::vector<std::unique_ptr<Socket>> slow;
  for (int i = 0; i < 50; ++i) slow.push_back(std::make_unique<Socket>(port));
  std::vector<bool> closed(slow.size(), false);
  std::atomic<bool> done{false};
  std::thread trickle([&] {
    std::size_t at = 0;
    while (!done && at < head.size()) {
      for (auto& socket : slow) socket->send(head.substr(at, 1));
      ++at;
      for (int i = 0; i < 20 && !done; ++i) std::this_thread::sleep_for(100ms);
    }
  });
  const auto started = Clock::now();
  int normal = 0;
  int slowNormal = 0;
  std::size_t closedCount = 0;
  while (closedCount < slow.size() && Clock::now() - started < 60s) {
    const auto sent = Clock::now();
    const Response response = call(port, request("GET", "/api/v1/health", ""), 1000ms);
    ++normal;
    EXPECT_EQ(response.status, 200);
    if (Clock::now() - sent > 1s) ++slowNormal;
    for (std::size_t i = 0; i < slow.size(); ++i) {
      if (closed[i]) continue;
      pollfd entry{slow[i]->fd(), POLLIN, 0};
      if (::poll(&entry, 1, 0) > 0) {
        const std::string answer = slow[i]->readAll(200ms);
        if (slow[i]->closed()) {
          closed[i] = true;
          ++closedCount;
          EXPECT_NE(answer.find("408 Request Timeout"), std::string::npos) << answer;
        }
      }
    }
    std::this_thread::sleep_for(200ms);
  }
  const auto took = Clock::now() - started;
  done = true;
  trickle.join();
  EXPECT_EQ(closedCount, slow.size());
  EXPECT_LT(took, 20s);
  EXPECT_GT(normal, 20);
  EXPECT_EQ(slowNormal, 0);
  std::filesystem::remove_all(dataDir);
}

// With its one worker and one queue place taken by bodies that do not arrive, the broker
// answers 503 with Retry-After; past the per-address bound too; never a reset.
TEST(HttpEdgeSaturation, ASaturatedBrokerAnswers503) {
  const auto dataDir =
      std::filesystem::temp_directory_path() / ("http-edge-busy-" + std::to_string(::getpid()));
  std::filesystem::remove_all(dataDir);
  BrokerProcess broker(
      dataDir, {"--threads", "1", "--set", "queueSize=1", "--set", "requestBodyTimeoutSeconds=5",
                "--set", "maxConnectionsPerClient=6"});
  const int port = portOf(broker.url());
  const std::string stalled =
      request("POST", "/api/v1/instances", "", "Content-Length: 100\r\n") + "{\"name\":";
  Socket first(port);
  first.send(stalled);
  std::this_thread::sleep_for(300ms);
  Socket second(port);
  second.send(stalled);
  std::this_thread::sleep_for(300ms);
  const Response busy = call(port, request("GET", "/api/v1/health", ""), 2000ms);
  EXPECT_EQ(busy.status, 503) << busy.head;
  EXPECT_NE(busy.head.find("Retry-After: 1"), std::string::npos);
  EXPECT_NE(busy.body.find("queueSize"), std::string::npos);

  // Four more connections reach the per-address bound of six; the seventh is answered 503.
  std::vector<std::unique_ptr<Socket>> idle;
  for (int i = 0; i < 4; ++i) idle.push_back(std::make_unique<Socket>(port));
  std::this_thread::sleep_for(200ms);
  const Response over = call(port, request("GET", "/api/v1/health", ""), 2000ms);
  EXPECT_EQ(over.status, 503) << over.head;
  EXPECT_NE(over.body.find("maxConnectionsPerClient"), std::string::npos);

  idle.clear();
  ::shutdown(first.fd(), SHUT_WR);
  ::shutdown(second.fd(), SHUT_WR);
  const auto deadline = Clock::now() + 10s;
  int status = 0;
  while (status != 200 && Clock::now() < deadline) {
    std::this_thread::sleep_for(200ms);
    status = call(port, request("GET", "/api/v1/health", ""), 2000ms).status;
  }
  EXPECT_EQ(status, 200);
  std::filesystem::remove_all(dataDir);
}

}  // namespace
}  // namespace broker::testing
