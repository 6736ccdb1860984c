// The JSON writer: nesting, commas, escaping, indentation.
#include "broker/core/json_writer.h"

#include <gtest/gtest.h>

namespace broker::core {
namespace {

TEST(JsonWriterTest, WritesNestedValuesCompactly) {
  std::string out;
  JsonWriter json(out);
  json.beginObject()
      .key("a")
      .value(1)
      .key("b")
      .beginArray()
      .value("x")
      .value(true)
      .null()
      .endArray();
  json.key("c").beginObject().endObject().key("d").values({}).endObject();
  EXPECT_EQ(out, R"({"a":1,"b":["x",true,null],"c":{},"d":[]})");
}

TEST(JsonWriterTest, EscapesStrings) {
  EXPECT_EQ(jsonQuote("a\"b\\c\nd\te\x01"), R"("a\"b\\c\nd\te\u0001")");
  EXPECT_EQ(jsonQuote("Удалить"), "\"Удалить\"");
}

TEST(JsonWriterTest, Indents) {
  std::string out;
  JsonWriter json(out, 2);
  json.beginObject().key("a").beginArray().value(1).value(2).endArray().endObject();
  EXPECT_EQ(out, "{\n  \"a\": [\n    1,\n    2\n  ]\n}");
}

}  // namespace
}  // namespace broker::core
