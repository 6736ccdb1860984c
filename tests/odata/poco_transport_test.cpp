// The POCO transport against a real HTTP server (tests/peers/capture-server.js).
#include <gtest/gtest.h>

#include <chrono>
#include <fstream>
#include <string>
#include <thread>

#include "broker/core/temp_file.h"
#include "broker/odata/http.h"
#include "demo_peer.h"

namespace broker::odata {
namespace {

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

  // Soon after, the connection is kept and reused (cpprestsdk puts it back into its pool just
  // after handing out the response).
  std::this_thread::sleep_for(std::chrono::milliseconds(50));
  const HttpResponse again = transport->send(read);
  ASSERT_EQ(again.status, 204);
  EXPECT_EQ(connectionOf(again), connectionOf(written));
}

}  // namespace
}  // namespace broker::odata
