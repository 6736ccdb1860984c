// The POCO transport against real HTTP servers: the capture server (tests/peers/capture-server.js,
// Node) and a scripted loopback server written here for answers no ordinary server gives: a
// body cut off, no answer at all, a gzip body.
#include <arpa/inet.h>
#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>
#include <zlib.h>

#include <atomic>
#include <chrono>
#include <fstream>
#include <functional>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "broker/core/temp_file.h"
#include "broker/odata/http.h"
#include "demo_peer.h"

namespace broker::odata {
namespace {

using namespace std::chrono_literals;

// A loopback server that reads each request (head and Content-Length body) and answers it with
// what `answer` returns; it counts the connections and requests it saw. An empty answer means
// no answer: the connection is held open until the server stops.
class ScriptedServer {
 public:
  using Answer = std::function<std::string(const std::string& request)>;

  explicit ScriptedServer(Answer answer) : answer_(std::move(answer)) {
    listener_ = ::socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in address{};
    address.sin_family = AF_INET;
    address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    ::bind(listener_, reinterpret_cast<sockaddr*>(&address), sizeof address);
    ::listen(listener_, 16);
    socklen_t length = sizeof address;
    ::getsockname(listener_, reinterpret_cast<sockaddr*>(&address), &length);
    port_ = ntohs(address.sin_port);
    thread_ = std::thread([this] { run(); });
  }
  ~ScriptedServer() {
    stopping_ = true;
    thread_.join();
    ::close(listener_);
  }

  std::string url() const { return "http://127.0.0.1:" + std::to_string(port_) + "/svc/"; }
  int connections() const { return connections_; }
  int requests() const { return requests_; }

 private:
  void run() {
    std::vector<int> open;
    std::vector<std::thread> threads;
    while (!stopping_) {
      pollfd entry{listener_, POLLIN, 0};
      if (::poll(&entry, 1, 50) > 0) {
        const int fd = ::accept(listener_, nullptr, nullptr);
        ++connections_;
        open.push_back(fd);
        threads.emplace_back([this, fd] { serve(fd); });
      }
    }
    for (const int fd : open) ::shutdown(fd, SHUT_RDWR);  // ends each recv
    for (std::thread& thread : threads) thread.join();
    for (const int fd : open) ::close(fd);
  }

  void serve(int fd) {
    std::string buffer;
    char chunk[65536];
    for (;;) {
      const std::size_t end = buffer.find("\r\n\r\n");
      if (end != std::string::npos) {
        const std::string head = buffer.substr(0, end + 4);
        std::size_t length = 0;
        if (const std::size_t at = head.find("Content-Length: "); at != std::string::npos) {
          length = std::stoul(head.substr(at + 16));
        }
        if (buffer.size() >= end + 4 + length) {
          ++requests_;
          const std::string reply = answer_(buffer.substr(0, end + 4 + length));
          buffer.erase(0, end + 4 + length);
          if (reply.empty()) {
            while (!stopping_) std::this_thread::sleep_for(20ms);
            break;
          }
          ::send(fd, reply.data(), reply.size(), MSG_NOSIGNAL);
          if (reply.find("Connection: close") != std::string::npos) break;
          continue;
        }
      }
      const ssize_t got = ::recv(fd, chunk, sizeof chunk, 0);
      if (got <= 0) break;
      buffer.append(chunk, static_cast<std::size_t>(got));
    }
    ::shutdown(fd, SHUT_RDWR);
  }

  Answer answer_;
  int listener_ = -1;
  std::uint16_t port_ = 0;
  std::thread thread_;
  std::atomic<bool> stopping_{false};
  std::atomic<int> connections_{0};
  std::atomic<int> requests_{0};
};

std::string gzip(const std::string& text) {
  z_stream stream{};
  deflateInit2(&stream, Z_BEST_SPEED, Z_DEFLATED, 31, 8, Z_DEFAULT_STRATEGY);
  std::string out(compressBound(static_cast<uLong>(text.size())) + 32, '\0');
  stream.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(text.data()));
  stream.avail_in = static_cast<uInt>(text.size());
  stream.next_out = reinterpret_cast<Bytef*>(out.data());
  stream.avail_out = static_cast<uInt>(out.size());
  deflate(&stream, Z_FINISH);
  out.resize(stream.total_out);
  deflateEnd(&stream);
  return out;
}

// The capture server answers with the port of the client's connection.
std::string connectionOf(const HttpResponse& response) {
  return std::string(response.header("X-Client-Port").value_or(""));
}

TEST(PocoTransportTest, WritesAfterTheServerClosedAnIdleConnection) {
  // The server closes a kept-alive connection after 200 ms idle, as Node does after 5 s.
  const testing::CapturePeer peer(BROKER_CORPUS_DIR "/trippin-v4.xml", 200);
  auto transport = makeHttpTransport({});
  HttpRequest read;
  read.url = peer.url() + "Items";
  const HttpResponse first = transport->send(read);
  ASSERT_EQ(first.status, 204);
  std::this_thread::sleep_for(std::chrono::milliseconds(1500));

  // A write large enough to be still sending when a closed connection answers with a reset:
  // on the connection kept from the first request it failed with "Failed to write request
  // body".
  const core::TempFile body;
  constexpr int kMegabytes = 16;
  {
    std::ofstream out(body.path(), std::ios::binary);
    const std::string block(1 << 20, 'x');
    for (int i = 0; i < kMegabytes; ++i) out << block;
  }
  HttpRequest write;
  write.method = "POST";
  write.url = peer.url() + "Items";
  write.headers = {{"Content-Type", "application/octet-stream"}};
  write.bodyFile = body.path();
  const HttpResponse written = transport->send(write);
  ASSERT_EQ(written.status, 204);
  EXPECT_EQ(written.header("X-Body-Bytes"), std::to_string(kMegabytes << 20));
  EXPECT_NE(connectionOf(written), connectionOf(first));

  // Soon after, the connection is kept and reused (the pool takes it back once the response
  // has been read whole).
  std::this_thread::sleep_for(std::chrono::milliseconds(50));
  const HttpResponse again = transport->send(read);
  ASSERT_EQ(again.status, 204);
  EXPECT_EQ(connectionOf(again), connectionOf(written));
}

TEST(PocoTransportTest, ABodyCutOffIsAnErrorNotAShorterBody) {
  const ScriptedServer server([](const std::string&) {
    return std::string("HTTP/1.1 200 OK\r\nContent-Length: 1000\r\nConnection: close\r\n\r\n") +
           std::string(100, 'x');
  });
  auto transport = makeHttpTransport({});
  HttpRequest read;
  read.url = server.url() + "Items";
  try {
    transport->send(read);
    FAIL() << "a cut-off body was taken";
  } catch (const TransportError& e) {
    EXPECT_EQ(e.kind(), TransportError::Kind::kConnection) << e.what();
  }
}

// A proxy answering 407 (squid, and tinyproxy without credentials): the request is refused
// with what to configure, and it reached the proxy in absolute form.
TEST(PocoTransportTest, AProxysRefusalSaysWhatToGive) {
  std::string seen;
  const ScriptedServer proxy([&seen](const std::string& request) {
    seen = request.substr(0, request.find("\r\n"));
    return std::string(
        "HTTP/1.1 407 Proxy Authentication Required\r\nProxy-Authenticate: Basic "
        "realm=\"p\"\r\nContent-Length: 0\r\n\r\n");
  });
  TransportOptions options;
  options.proxy.http = config::parseProxyUrl(proxy.url().substr(0, proxy.url().size() - 5), "test");
  auto transport = makeHttpTransport(options);
  HttpRequest read;
  read.url = "http://service.invalid:8080/svc/Items";
  try {
    transport->send(read);
    FAIL() << "a 407 was taken as the service's answer";
  } catch (const TransportError& e) {
    EXPECT_EQ(e.kind(), TransportError::Kind::kProxy);
    EXPECT_THAT(std::string(e.what()), ::testing::HasSubstr("refused the request (407"));
    EXPECT_THAT(std::string(e.what()), ::testing::HasSubstr("give the proxy's credentials"));
  }
  EXPECT_EQ(seen, "GET http://service.invalid:8080/svc/Items HTTP/1.1");
}

TEST(PocoTransportTest, AHungServerTimesOutAndGetsTheRequestOnce) {
  const ScriptedServer server([](const std::string&) { return std::string(); });
  TransportOptions options;
  options.timeout = std::chrono::seconds(1);
  auto transport = makeHttpTransport(options);
  for (const std::string method : {"GET", "POST"}) {
    SCOPED_TRACE(method);
    HttpRequest request;
    request.method = method;
    request.url = server.url() + "Items";
    request.body = method == "POST" ? "{\"ID\":1}" : "";
    const auto started = std::chrono::steady_clock::now();
    try {
      transport->send(request);
      FAIL() << "no timeout";
    } catch (const TransportError& e) {
      EXPECT_EQ(e.kind(), TransportError::Kind::kTimeout) << e.what();
    }
    const auto took = std::chrono::steady_clock::now() - started;
    EXPECT_GE(took, 900ms);
    EXPECT_LT(took, 2s);
  }
  std::this_thread::sleep_for(200ms);
  EXPECT_EQ(server.requests(), 2);
  EXPECT_EQ(server.connections(), 2);
}

TEST(PocoTransportTest, InflatesGzipAndKeepsTheConnection) {
  const std::string json = "{\"value\":[" + std::string(100000, ' ') + "]}";
  const std::string packed = gzip(json);
  const ScriptedServer server([&packed](const std::string& request) {
    EXPECT_NE(request.find("Accept-Encoding: gzip"), std::string::npos);
    return "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Encoding: gzip\r\n"
           "Content-Length: " +
           std::to_string(packed.size()) + "\r\n\r\n" + packed;
  });
  auto transport = makeHttpTransport({});
  HttpRequest read;
  read.url = server.url() + "Items";
  for (int i = 0; i < 3; ++i) EXPECT_EQ(transport->send(read).body, json);
  EXPECT_EQ(server.connections(), 1);
  EXPECT_EQ(server.requests(), 3);
}

TEST(PocoTransportTest, RefusesUrlsItCannotSendTo) {
  auto transport = makeHttpTransport({});
  for (const std::string url :
       {"ftp://host/x", "http://", "http://user:pw@host/", "http://h:99999/", "relative/path"}) {
    SCOPED_TRACE(url);
    HttpRequest request;
    request.url = url;
    try {
      transport->send(request);
      FAIL() << "sent";
    } catch (const TransportError& e) {
      EXPECT_EQ(e.kind(), TransportError::Kind::kBadUrl) << e.what();
    }
  }
}

}  // namespace
}  // namespace broker::odata
