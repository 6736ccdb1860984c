#include "upload_spool.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <fstream>
#include <sstream>

#include "broker/core/error.h"
#include "broker/core/text.h"

namespace broker::server {
namespace {

using ::testing::HasSubstr;

std::string contentOf(const core::TempFile& file) {
  std::ifstream in(file.path(), std::ios::binary);
  return std::string(std::istreambuf_iterator<char>(in), {});
}

// A stream that hands out its text a few bytes at a time, to cut the body anywhere.
class Trickle : public std::streambuf {
 public:
  Trickle(std::string text, std::size_t step) : text_(std::move(text)), step_(step) {}

 protected:
  int_type underflow() override {
    if (at_ >= text_.size()) return traits_type::eof();
    const std::size_t n = std::min(step_, text_.size() - at_);
    char* begin = text_.data() + at_;
    setg(begin, begin, begin + n);
    at_ += n;
    return traits_type::to_int_type(*begin);
  }

 private:
  std::string text_;
  std::size_t step_;
  std::size_t at_ = 0;
};

SpooledBody spool(const std::string& body, std::size_t step = 1 << 20,
                  std::uint64_t maxStream = 1 << 20) {
  Trickle buffer(body, step);
  std::istream in(&buffer);
  return readSpooled(in, 4096, maxStream);
}

TEST(UploadSpoolTest, FileContentsGoToFilesWhereverTheBodyIsCut) {
  std::string bytes("\0\x01\xff", 3);
  for (int i = 0; i < 500; ++i) bytes += static_cast<char>(i);
  std::string b64 = core::base64Encode(bytes);
  // JSON may escape the slash of base64.
  std::string escaped;
  for (char c : b64) escaped += c == '/' ? std::string("\\/") : std::string(1, c);
  const std::string body = R"({"inputs": {"Caption": "content", "Content": {"fileName": "a\"b",)"
                           R"( "content": ")" +
                           escaped +
                           R"("}, "Note": {"content": "QUJD"}},)"
                           R"( "returns": ["content"]})";
  for (std::size_t step : {1u, 2u, 7u, 64u, 100000u}) {
    const SpooledBody spooled = spool(body, step);
    ASSERT_EQ(spooled.files.size(), 2u) << step;
    EXPECT_EQ(contentOf(spooled.files[0]), bytes) << step;
    EXPECT_EQ(contentOf(spooled.files[1]), "ABC") << step;
    EXPECT_EQ(spooled.json, R"({"inputs": {"Caption": "content", "Content": {"fileName": "a\"b",)"
                            R"( "content": {"$spooled":0}}, "Note": {"content": {"$spooled":1}}},)"
                            R"( "returns": ["content"]})")
        << step;
  }
}

TEST(UploadSpoolTest, OnlyContentsOfInputsAreSpooled) {
  const std::string body = R"({"content": "QUJD", "filter": {"x": {"content": "QUJD"}}})";
  const SpooledBody spooled = spool(body, 3);
  EXPECT_TRUE(spooled.files.empty());
  EXPECT_EQ(spooled.json, body);
}

// Each file content is a temporary file: a body may not make thousands of them (found by the
// execute-body fuzzer, whose inputs of many File objects slowed to 1,000 runs a second).
TEST(UploadSpoolTest, TheNumberOfFileContentsIsBounded) {
  std::string body = R"({"inputs": {)";
  for (int i = 0; i < 4; ++i) {
    body +=
        (i ? ", " : "") + std::string(R"("F)") + std::to_string(i) + R"(": {"content": "QUJD"})";
  }
  body += "}}";
  std::istringstream within(body);
  EXPECT_EQ(readSpooled(within, 4096, 1 << 20, 64, 4).files.size(), 4u);
  std::istringstream over(body);
  try {
    readSpooled(over, 4096, 1 << 20, 64, 3);
    FAIL() << "four files spooled with a limit of three";
  } catch (const core::Error& e) {
    EXPECT_EQ(e.code(), core::ErrorCode::kInvalidArgument);
    EXPECT_NE(e.message().find("maxFilesPerCall"), std::string::npos) << e.message();
  }
}

TEST(UploadSpoolTest, BadContentAndLimitsAreNamed) {
  try {
    spool(R"({"inputs": {"Photo": {"content": "QU*D"}}})");
    ADD_FAILURE() << "no error";
  } catch (const core::Error& e) {
    EXPECT_EQ(e.code(), core::ErrorCode::kInvalidArgument);
    EXPECT_THAT(e.message(), HasSubstr("inputs.Photo.content is not base64"));
  }
  try {
    spool(R"({"inputs": {"Photo": {"content": ")" + core::base64Encode(std::string(2000, 'x')) +
              "\"}}}",
          5, 1024);
    ADD_FAILURE() << "no error";
  } catch (const core::Error& e) {
    EXPECT_EQ(e.code(), core::ErrorCode::kPayloadTooLarge);
    EXPECT_THAT(e.message(), HasSubstr("maxStreamBytes"));
  }
  try {
    spool(R"({"inputs": {"Text": ")" + std::string(5000, 'x') + "\"}}");
    ADD_FAILURE() << "no error";
  } catch (const core::Error& e) {
    EXPECT_EQ(e.code(), core::ErrorCode::kPayloadTooLarge);
    EXPECT_THAT(e.message(), HasSubstr("maxBodyBytes"));
  }
}

}  // namespace
}  // namespace broker::server
