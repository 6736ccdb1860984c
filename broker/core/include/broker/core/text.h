// Small text helpers shared by every module: ASCII case folding, trimming, splitting.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace broker::core {

/// True when a and b are equal ignoring ASCII case.
bool equalsIgnoreCase(std::string_view a, std::string_view b) noexcept;

/// The text without leading and trailing ASCII white space.
std::string_view trim(std::string_view text) noexcept;

/// Splits at every separator; empty parts are kept ("a,,b" → "a", "", "b").
std::vector<std::string_view> split(std::string_view text, char separator);

/// Parses "true"/"false" in any ASCII case; anything else is nullopt-like: returns false and
/// leaves value untouched.
bool parseBool(std::string_view text, bool& value) noexcept;

}  // namespace broker::core

namespace broker::core {

/// Percent-encodes UTF-8 (RFC 3986): unreserved characters (A-Z a-z 0-9 - . _ ~) and the ASCII
/// characters in `keep` stay, every other byte becomes %XX.
std::string percentEncode(std::string_view text, std::string_view keep = {});

/// `%XX` escapes decoded; a '%' not followed by two hex digits is kept as it is.
std::string percentDecode(std::string_view text);

/// Standard base64 (RFC 4648 §4) with padding.
std::string base64Encode(std::string_view bytes);

/// Decodes standard padded base64; false (and `bytes` unspecified) when `text` is not that.
bool base64Decode(std::string_view text, std::string& bytes);

/// Decodes base64 arriving in pieces of any size (a streamed upload).
class Base64Decoder {
 public:
  /// Appends the bytes of the whole groups so far to `bytes`; false once the text is not
  /// base64 (a character outside the alphabet, or anything after the padding).
  bool add(std::string_view text, std::string& bytes);
  /// Whether the text ended on a whole group.
  bool finish() const noexcept { return count_ == 0; }

 private:
  char group_[4] = {};
  int count_ = 0;
  bool padded_ = false;
};

}  // namespace broker::core
