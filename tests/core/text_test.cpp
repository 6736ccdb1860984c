// Text helpers.
#include "broker/core/text.h"

#include <gtest/gtest.h>

namespace broker::core {
namespace {

TEST(TextTest, EqualsIgnoreCase) {
  EXPECT_TRUE(equalsIgnoreCase("True", "true"));
  EXPECT_FALSE(equalsIgnoreCase("True", "tru"));
  EXPECT_FALSE(equalsIgnoreCase("a", "b"));
}

TEST(TextTest, Trim) {
  EXPECT_EQ(trim("  a b\r\n"), "a b");
  EXPECT_EQ(trim("   "), "");
}

TEST(TextTest, SplitKeepsEmptyParts) {
  const auto parts = split("a,,b", ',');
  ASSERT_EQ(parts.size(), 3u);
  EXPECT_EQ(parts[0], "a");
  EXPECT_EQ(parts[1], "");
  EXPECT_EQ(parts[2], "b");
}

TEST(TextTest, ParseBool) {
  bool value = false;
  EXPECT_TRUE(parseBool("TRUE", value));
  EXPECT_TRUE(value);
  EXPECT_TRUE(parseBool("false", value));
  EXPECT_FALSE(value);
  value = true;
  EXPECT_FALSE(parseBool("yes", value));
  EXPECT_TRUE(value);
}

}  // namespace
}  // namespace broker::core

namespace broker::core {
namespace {

TEST(Base64Test, RoundTripsEveryPaddingLength) {
  EXPECT_EQ(base64Encode(""), "");
  EXPECT_EQ(base64Encode("f"), "Zg==");
  EXPECT_EQ(base64Encode("fo"), "Zm8=");
  EXPECT_EQ(base64Encode("foo"), "Zm9v");
  EXPECT_EQ(base64Encode("u:p\xff"), "dTpw/w==");
  std::string bytes;
  for (const char* text : {"", "f", "fo", "foo", "foob", "u:p\xff"}) {
    ASSERT_TRUE(base64Decode(base64Encode(text), bytes)) << text;
    EXPECT_EQ(bytes, text);
  }
}

TEST(Base64Test, RejectsWhatIsNotPaddedBase64) {
  std::string bytes;
  EXPECT_FALSE(base64Decode("Zg=", bytes));
  EXPECT_FALSE(base64Decode("Z=g=", bytes));
  EXPECT_FALSE(base64Decode("Zm9v*A==", bytes));
  EXPECT_FALSE(base64Decode("Zg==Zm8=", bytes));  // data after the padding
}

TEST(PercentEncodeTest, KeepsUnreservedAndTheGivenCharacters) {
  EXPECT_EQ(percentEncode("a b/c~ü%"), "a%20b%2Fc~%C3%BC%25");
  EXPECT_EQ(percentEncode("a b/c", " /"), "a b/c");
  EXPECT_EQ(percentEncode("\x7f\x01", "\x7f"), "\x7f%01");
}

TEST(Base64Test, DecodesInPiecesOfAnySize) {
  std::string data;
  for (int i = 0; i < 1000; ++i) data += static_cast<char>(i * 7 % 256);  // with 0x00 bytes
  const std::string text = base64Encode(data);
  for (std::size_t piece : {1u, 2u, 3u, 5u, 64u, 999u}) {
    Base64Decoder decoder;
    std::string bytes;
    for (std::size_t at = 0; at < text.size(); at += piece) {
      ASSERT_TRUE(decoder.add(std::string_view(text).substr(at, piece), bytes)) << piece;
    }
    EXPECT_TRUE(decoder.finish());
    EXPECT_EQ(bytes, data) << piece;
  }
  Base64Decoder cut;
  std::string bytes;
  EXPECT_TRUE(cut.add("Zm9vY", bytes));
  EXPECT_FALSE(cut.finish());  // ends inside a group
}

}  // namespace
}  // namespace broker::core
