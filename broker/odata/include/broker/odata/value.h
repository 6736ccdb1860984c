// One value crossing the broker: an input from a caller, or a value read from a service and
// converted to its service-object form. Kept as text so that numbers stay exact (Int64,
// Decimal) and nothing is parsed twice.
#pragma once

#include <cstdint>
#include <iosfwd>
#include <string>
#include <string_view>

namespace broker::odata {

struct Value {
  enum class Kind : std::uint8_t {
    kNull,
    kBool,    ///< text is "true" or "false"
    kNumber,  ///< text is a JSON number, written as it came
    kString,  ///< text is the UTF-8 string
    kJson,    ///< text is raw JSON (an object or array: complex values, collections, files)
    /// A File value whose content is in a file on disk: text is JSON {"fileName",
    /// "contentType", "path"} (see engine::FileContent). Made by the broker only, never parsed
    /// from a caller's JSON.
    kFile,
  };
  Kind kind = Kind::kNull;
  std::string text;

  static Value null() { return {}; }
  static Value boolean(bool flag) { return {Kind::kBool, flag ? "true" : "false"}; }
  static Value number(std::string_view digits) { return {Kind::kNumber, std::string(digits)}; }
  static Value string(std::string_view utf8) { return {Kind::kString, std::string(utf8)}; }
  static Value json(std::string_view raw) { return {Kind::kJson, std::string(raw)}; }

  bool isNull() const noexcept { return kind == Kind::kNull; }
  bool operator==(const Value&) const = default;
};

/// "null", "boolean", "number", "string" or "JSON": for error messages.
std::string_view toString(Value::Kind kind) noexcept;

/// "string 'abc'", "number 42": for test failure messages (GoogleTest finds it by name).
void PrintTo(const Value& value, std::ostream* out);

}  // namespace broker::odata
