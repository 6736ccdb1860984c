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
