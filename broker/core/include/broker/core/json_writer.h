// A small streaming JSON writer (RFC 8259): objects, arrays, strings with escaping, numbers,
// booleans and null, optionally indented. Not thread-safe; one writer per output.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace broker::core {

class JsonWriter {
 public:
  /// Appends to `out`. `indent` > 0 pretty-prints with that many spaces per level.
  explicit JsonWriter(std::string& out, int indent = 0) : out_(out), indent_(indent) {}

  JsonWriter& beginObject();
  JsonWriter& endObject();
  JsonWriter& beginArray();
  JsonWriter& endArray();
  /// The next member's name; must be inside an object.
  JsonWriter& key(std::string_view name);
  JsonWriter& value(std::string_view text);
  JsonWriter& value(const char* text) { return value(std::string_view(text)); }
  JsonWriter& value(bool flag);
  JsonWriter& value(std::int64_t number);
  JsonWriter& value(int number) { return value(static_cast<std::int64_t>(number)); }
  JsonWriter& null();
  /// A value given as JSON text already (a number's digits, an object): written as it is.
  JsonWriter& raw(std::string_view json);
  /// An array of strings.
  JsonWriter& values(const std::vector<std::string>& texts);

 private:
  void beforeValue();
  void newline();
  JsonWriter& close(char bracket);

  std::string& out_;
  int indent_;
  std::vector<bool> first_;  // per open container: nothing written in it yet
  bool afterKey_ = false;
};

/// `text` as a JSON string literal, quotes included.
std::string jsonQuote(std::string_view text);

}  // namespace broker::core
