// Stream content against the real demo service: Pictures is a media entity on V2
// (m:HasStream, `$value`) and has a named stream `Content` (Edm.Stream) on V4. Load returns the
// content with its file name and MIME type; lists and LoadWithoutContent return links only;
// Create posts the stream (V2: with Slug and Content-Type, then the other properties) and
// Update replaces it; binary content with 0x00 bytes survives byte for byte.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "broker/core/error.h"
#include "broker/core/json_writer.h"
#include "broker/core/text.h"
#include "demo_peer.h"
#include "engine_support.h"

namespace broker::testing {
namespace {

using ::testing::HasSubstr;

// Seed data (samples/demo-service/db/data/demo-Pictures.csv): a 1×1 PNG.
constexpr const char* kPixel = "0b7c5e1e-1c2a-4f1e-9d7a-6a1f0c9e0001";
constexpr const char* kPixelBase64 =
    "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+"
    "M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==";

// Bytes every value of which occurs, 0x00 first.
std::string allBytes() {
  std::string bytes;
  for (int round = 0; round < 3; ++round) {
    for (int b = 0; b < 256; ++b) bytes += static_cast<char>(b);
  }
  return bytes;
}

// A File input in the API's JSON form.
odata::Value fileInput(const std::string& fileName, const std::string& contentType,
                       const std::string& bytes) {
  std::string json;
  core::JsonWriter writer(json);
  writer.beginObject();
  if (!fileName.empty()) writer.key("fileName").value(fileName);
  if (!contentType.empty()) writer.key("contentType").value(contentType);
  writer.key("content").value(core::base64Encode(bytes)).endObject();
  return odata::Value::json(json);
}

class MediaTest : public ::testing::TestWithParam<std::string> {
 protected:
  static void SetUpTestSuite() { peer_ = std::make_unique<DemoPeer>(PeerOptions{"log"}); }
  static void TearDownTestSuite() { peer_.reset(); }
  bool v2() const { return GetParam() == "V2"; }
  std::shared_ptr<const engine::Instance> open() const {
    return openOn(v2() ? peer_->v2() : peer_->v4());
  }
  static CollectingSink load(const engine::Instance& instance, const std::string& id,
                             const char* method = "Load") {
    CollectingSink sink;
    call(instance, {.object = "Pictures", .method = method, .inputs = {{"ID", str(id)}}}, sink);
    return sink;
  }
  static std::unique_ptr<DemoPeer> peer_;
};

std::unique_ptr<DemoPeer> MediaTest::peer_;

TEST_P(MediaTest, LoadReturnsTheContentWithItsNameAndType) {
  auto instance = open();
  const CollectingSink sink = load(*instance, kPixel);
  ASSERT_EQ(sink.rows.size(), 1u);
  std::string png;
  ASSERT_TRUE(core::base64Decode(kPixelBase64, png));
  EXPECT_EQ(sink.files[0].at("Content"), png);
  EXPECT_EQ(sink.rows[0].at("Content Path"), str("pixel.png"));
  EXPECT_EQ(sink.rows[0].at("Content MIME Type"), str("image/png"));
  EXPECT_EQ(sink.rows[0].at("Caption"), str("A red pixel"));
}

TEST_P(MediaTest, ListsAndLoadWithoutContentReturnLinksOnly) {
  auto instance = open();
  peerRequests(peer_->origin());
  CollectingSink listed;
  call(*instance, {.object = "Pictures", .method = "List"}, listed);
  ASSERT_GE(listed.rows.size(), 3u);
  // LoadWithoutContent and ListWithoutContent: a media entity's (V2) and, like them, an
  // entity's with a named stream (V4; once it had Load only).
  CollectingSink without = load(*instance, kPixel, "LoadWithoutContent");
  CollectingSink listedWithout;
  call(*instance, {.object = "Pictures", .method = "ListWithoutContent"}, listedWithout);
  ASSERT_EQ(listedWithout.rows.size(), listed.rows.size());
  std::vector<const CollectingSink*> sinks = {&listed, &without, &listedWithout};
  EXPECT_EQ(without.rows[0].at("Content MIME Type"), str("image/png"));
  for (const CollectingSink* sink : sinks) {
    EXPECT_TRUE(sink->files[0].empty());
    const odata::Value& link = sink->rows[0].at("Content");
    EXPECT_EQ(link.kind, odata::Value::Kind::kJson);
    EXPECT_THAT(link.text, HasSubstr(v2() ? "Pictures(guid'" + std::string(kPixel) + "')/$value"
                                          : "Pictures(" + std::string(kPixel) + ")/Content"));
  }
  EXPECT_EQ(listed.rows[0].at("Content MIME Type"), str("image/png"));
  // Nothing was downloaded.
  for (const LoggedRequest& r : peerRequests(peer_->origin())) {
    EXPECT_THAT(r.url, ::testing::Not(HasSubstr("$value")));
    EXPECT_THAT(r.url, ::testing::Not(HasSubstr("/Content")));
  }
}

TEST_P(MediaTest, CreateAndUpdateCarryBinaryContentByteForByte) {
  auto instance = open();
  const std::string bytes = allBytes();
  peerRequests(peer_->origin());
  CollectingSink created;
  call(*instance,
       {.object = "Pictures",
        .method = "Create",
        .inputs = {{"Caption", str("every byte")},
                   {"Content", fileInput("bytes.bin", "application/x-test", bytes)}}},
       created);
  ASSERT_EQ(created.rows.size(), 1u);
  const std::string id = created.rows[0].at("ID").text;
  EXPECT_EQ(created.rows[0].at("Caption"), str("every byte"));
  // The broker's own requests (CAP's V2 adapter forwards to V4 through the same server).
  std::vector<LoggedRequest> sent;
  for (LoggedRequest& r : peerRequests(peer_->origin())) {
    if (r.url.find(v2() ? "/odata/v2/" : "/odata/v4/") != std::string::npos) {
      sent.push_back(std::move(r));
    }
  }
  ASSERT_GE(sent.size(), 2u);
  if (v2()) {
    // The stream first, named by Slug, then the other properties.
    EXPECT_EQ(sent[0].method, "POST");
    EXPECT_EQ(sent[0].headers.at("slug"), "bytes.bin");
    EXPECT_EQ(sent[0].headers.at("content-type"), "application/x-test");
    EXPECT_EQ(sent[1].method, "MERGE");
  } else {
    // The entity with the file name in the property Core.ContentDisposition names, then the
    // stream, named by Slug and Content-Disposition too.
    EXPECT_EQ(sent[0].method, "POST");
    EXPECT_EQ(sent[1].method, "PUT");
    EXPECT_THAT(sent[1].url, HasSubstr("/Content"));
    EXPECT_EQ(sent[1].headers.at("slug"), "bytes.bin");
    EXPECT_EQ(sent[1].headers.at("content-disposition"),
              "attachment; filename=\"bytes.bin\"; filename*=UTF-8''bytes.bin");
  }

  // The file's name comes back (a V4 upload once lost it and loaded back as "Content.png").
  CollectingSink loaded = load(*instance, id);
  ASSERT_EQ(loaded.rows.size(), 1u);
  EXPECT_EQ(loaded.files[0].at("Content"), bytes);
  EXPECT_EQ(loaded.rows[0].at("Content MIME Type"), str("application/x-test"));
  EXPECT_EQ(loaded.rows[0].at("Content Path"), str("bytes.bin"));

  // Update replaces the stream; the MIME type comes from the file name when not given.
  const std::string text = std::string("line\0two\n", 9);
  call(*instance, {.object = "Pictures",
                   .method = "Update",
                   .inputs = {{"ID", str(id)}, {"Content", fileInput("notes.txt", "", text)}}});
  loaded = load(*instance, id);
  EXPECT_EQ(loaded.files[0].at("Content"), text);
  EXPECT_THAT(loaded.rows[0].at("Content MIME Type").text, HasSubstr("text/plain"));
}

TEST_P(MediaTest, BadFileValuesNameTheProperty) {
  auto instance = open();
  try {
    call(*instance, {.object = "Pictures",
                     .method = "Update",
                     .inputs = {{"ID", str(kPixel)}, {"Content", str("not a file")}}});
    ADD_FAILURE() << "no error";
  } catch (const core::Error& e) {
    EXPECT_EQ(e.code(), core::ErrorCode::kInvalidArgument);
    EXPECT_THAT(e.message(), HasSubstr("'Content': expected a File value"));
  }
  try {
    call(*instance, {.object = "Pictures",
                     .method = "Update",
                     .inputs = {{"ID", str(kPixel)},
                                {"Content", odata::Value::json(R"({"content": "***"})")}}});
    ADD_FAILURE() << "no error";
  } catch (const core::Error& e) {
    EXPECT_THAT(e.message(), HasSubstr("'Content': content is not base64"));
  }
}

INSTANTIATE_TEST_SUITE_P(Versions, MediaTest, ::testing::Values("V4", "V2"),
                         [](const auto& info) { return info.param; });

}  // namespace
}  // namespace broker::testing
