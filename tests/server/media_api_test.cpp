// Stream content through the REST API and a broker process of its own, against the demo
// service: binary content with 0x00 bytes byte for byte on V4 (named stream) and V2 (media
// entity); a 100 MB stream up and down with the broker's peak memory (VmHWM) under 64 MB;
// bad content and limits named in the error.
#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <simdjson.h>

#include <fstream>
#include <random>

#include "broker/core/text.h"
#include "broker_process.h"
#include "broker_support.h"
#include "demo_peer.h"

namespace broker::testing {
namespace {

using ::testing::HasSubstr;

const std::string kInstances = "/api/v1/instances";

// The broker's peak resident memory (VmHWM), in bytes.
std::uint64_t peakRss(pid_t pid) {
  std::ifstream status("/proc/" + std::to_string(pid) + "/status");
  std::string line;
  while (std::getline(status, line)) {
    if (line.starts_with("VmHWM:")) return std::stoull(line.substr(6)) * 1024;
  }
  return 0;
}

std::string fileJson(const std::string& fileName, const std::string& contentType,
                     const std::string& bytes) {
  return R"({"fileName": ")" + fileName + R"(", "contentType": ")" + contentType +
         R"(", "content": ")" + core::base64Encode(bytes) + "\"}";
}

struct LoadedFile {
  std::string fileName;
  std::string contentType;
  std::string bytes;
};

// The Content of a Load reply.
LoadedFile contentOf(const Reply& reply) {
  simdjson::dom::parser parser;
  simdjson::dom::element content = parser.parse(reply.body)["row"]["Content"];
  LoadedFile file;
  file.fileName = std::string(std::string_view(content["fileName"]));
  file.contentType = std::string(std::string_view(content["contentType"]));
  EXPECT_TRUE(core::base64Decode(std::string_view(content["content"]), file.bytes));
  return file;
}

class MediaApiTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    peer_ = std::make_unique<DemoPeer>();
    dir_ = std::make_unique<TempDir>();
    broker_ = std::make_unique<BrokerProcess>(dir_->path());
    for (const auto& [name, url] : {std::pair{"v4", peer_->v4()}, {"v2", peer_->v2()}}) {
      const Reply reply = httpRequest(broker_->url(), "POST", kInstances,
                                      R"({"name": ")" + std::string(name) +
                                          R"(", "serviceKeys": {"serviceUrl": ")" + url + "\"}}");
      ASSERT_EQ(reply.status, 201) << reply.body;
    }
  }
  static void TearDownTestSuite() {
    // A failure here is rare and load-dependent: keep what the broker and the peer said.
    if (::testing::UnitTest::GetInstance()->current_test_suite()->Failed()) {
      const std::string log = broker_->log();
      std::fprintf(stderr, "--- broker log (end)\n%s\n--- peer log (end)\n%s\n",
                   log.substr(log.size() > 8000 ? log.size() - 8000 : 0).c_str(),
                   peer_->log().c_str());
    }
    broker_.reset();
    dir_.reset();
    peer_.reset();
  }
  static Reply execute(const std::string& instance, const std::string& method,
                       const std::string& body) {
    return httpRequest(broker_->url(), "POST",
                       kInstances + "/" + instance + "/objects/Pictures/methods/" + method, body);
  }
  // Creates a picture with `content`; its ID.
  // `more`: further inputs, as JSON members.
  static std::string create(const std::string& instance, const std::string& content,
                            const std::string& more = {}) {
    const Reply created = execute(instance, "Create",
                                  R"({"inputs": {"Caption": "c", "Content": )" + content +
                                      (more.empty() ? "" : ", " + more) + "}}");
    EXPECT_EQ(created.status, 200) << created.body.substr(0, 500);
    if (created.status != 200) return "";
    return created.json()->getObject("row")->getValue<std::string>("ID");
  }
  static Reply load(const std::string& instance, const std::string& id) {
    return execute(instance, "Load", R"({"inputs": {"ID": ")" + id + "\"}}");
  }

  static std::unique_ptr<DemoPeer> peer_;
  static std::unique_ptr<TempDir> dir_;
  static std::unique_ptr<BrokerProcess> broker_;
};

std::unique_ptr<DemoPeer> MediaApiTest::peer_;
std::unique_ptr<TempDir> MediaApiTest::dir_;
std::unique_ptr<BrokerProcess> MediaApiTest::broker_;

TEST_F(MediaApiTest, BinaryContentRoundTripsByteForByte) {
  std::string bytes = std::string("\0\0PNG\r\n\x1a\n", 9);
  for (int b = 255; b >= 0; --b) bytes += static_cast<char>(b);
  for (const std::string instance : {"v4", "v2"}) {
    // V2 names the stream from Slug; CAP's V4 names it from its FileName property.
    const std::string id = create(instance, fileJson("zeros.bin", "application/x-zeros", bytes),
                                  instance == "v4" ? R"("FileName": "zeros.bin")" : "");
    ASSERT_FALSE(id.empty());
    const Reply loaded = load(instance, id);
    ASSERT_EQ(loaded.status, 200) << loaded.body;
    const LoadedFile file = contentOf(loaded);
    EXPECT_EQ(file.bytes, bytes) << instance;
    EXPECT_EQ(file.contentType, "application/x-zeros") << instance;
    EXPECT_EQ(file.fileName, "zeros.bin") << instance;
    // Lists give the link, not the content.
    const Reply list = execute(instance, instance == "v2" ? "ListWithoutContent" : "List",
                               R"({"inputs": {"Caption": "c"}})");
    ASSERT_EQ(list.status, 200) << list.body;
    EXPECT_THAT(list.body, HasSubstr(R"("Content":{"url":")"));
    EXPECT_THAT(list.body, ::testing::Not(HasSubstr("\"content\"")));
  }
}

TEST_F(MediaApiTest, AHundredMegabyteStreamWithBoundedMemory) {
  std::string bytes(100u << 20, '\0');
  std::mt19937_64 random(42);
  for (std::size_t i = 0; i + 8 <= bytes.size(); i += 8) {
    const std::uint64_t word = random();
    std::memcpy(bytes.data() + i, &word, 8);
  }
  bytes[12345] = '\0';
  // The peak so far (start, registrations, small calls): the baseline of this run.
  const std::uint64_t before = peakRss(broker_->pid());
  const std::string id = create("v4", fileJson("big.bin", "application/octet-stream", bytes));
  ASSERT_FALSE(id.empty());
  const Reply loaded = load("v4", id);
  ASSERT_EQ(loaded.status, 200) << loaded.body.substr(0, 500);
  const LoadedFile file = contentOf(loaded);
  EXPECT_TRUE(file.bytes == bytes) << "the content differs (" << file.bytes.size() << " bytes)";
  const std::uint64_t peak = peakRss(broker_->pid());
  std::printf("broker peak RSS: %.1f MB before, %.1f MB after 100 MB up and down (x%.2f)\n",
              before / 1048576.0, peak / 1048576.0,
              static_cast<double>(peak) / static_cast<double>(std::max<std::uint64_t>(before, 1)));
  EXPECT_GT(peak, 0u);
  EXPECT_LT(peak, 64u << 20);
}

TEST_F(MediaApiTest, BadContentIsNamed) {
  const Reply bad = execute(
      "v4", "Create", R"({"inputs": {"Content": {"fileName": "a", "content": "no*base64"}}})");
  EXPECT_EQ(bad.status, 400) << bad.body;
  EXPECT_THAT(bad.body, HasSubstr("inputs.Content.content is not base64"));
  const Reply cut = execute("v4", "Create", R"({"inputs": {"Content": {"content": "QUJD)");
  EXPECT_EQ(cut.status, 400) << cut.body;
  const Reply forged =
      execute("v4", "Create", R"({"inputs": {"Content": {"content": {"$spooled": 3}}}})");
  EXPECT_EQ(forged.status, 400) << forged.body;
  EXPECT_THAT(forged.body, HasSubstr("inputs.Content.content must be a base64 string"));
}

TEST(MediaLimitsTest, ContentOverMaxStreamBytesIs413) {
  config::BrokerSettings settings;
  settings.maxStreamBytes = 1024;
  BrokerUnderTest broker(settings);
  const std::string metadata = (sourceDir() / "samples" / "metadata" / "demo-v4.xml").string();
  ASSERT_EQ(broker
                .registerInstance("offline", "http://127.0.0.1:9/",
                                  R"("metadataUrlOrFilePath": ")" + metadata + "\"")
                .status,
            201);
  const Reply reply =
      broker.request("POST", kInstances + "/offline/objects/Pictures/methods/Create",
                     R"({"inputs": {"Content": {"content": ")" +
                         core::base64Encode(std::string(2048, 'x')) + "\"}}}");
  EXPECT_EQ(reply.status, 413) << reply.body;
  EXPECT_THAT(reply.body, HasSubstr("maxStreamBytes"));
}

}  // namespace
}  // namespace broker::testing
