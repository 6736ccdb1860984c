// Typed readings of CSDL attribute values.
#include "attribute_values.h"

#include <charconv>

#include "broker/core/text.h"
#include "model_builder.h"

namespace broker::edm::internal {

namespace {

std::string quoted(std::string_view text) { return "'" + std::string(text) + "'"; }

}  // namespace

std::string_view required(const Attributes& a, AttrId id, ElementId element,
                          SourcePosition position) {
  const std::string_view value = a.get(id);
  if (value.empty()) {
    failAt(position,
           std::string(elementName(element)) + " has no " + attributeName(id) + " attribute");
  }
  return value;
}

std::string_view identifier(const Attributes& a, ElementId element, SourcePosition position) {
  const std::string_view name = required(a, AttrId::kName, element, position);
  std::size_t characters = 0;
  for (std::size_t i = 0; i < name.size(); ++i) {
    const auto c = static_cast<unsigned char>(name[i]);
    if ((c & 0xC0) != 0x80) ++characters;  // not a UTF-8 continuation byte
    const bool letter = (c | 0x20) >= 'a' && (c | 0x20) <= 'z';
    const bool allowed = letter || c == '_' || c >= 0x80 || (i > 0 && c >= '0' && c <= '9');
    if (!allowed) {
      failAt(position, std::string(elementName(element)) + " Name=" + quoted(name) +
                           " is not an OData identifier (letters, digits and '_', not starting "
                           "with a digit)");
    }
  }
  if (characters > 128) {
    failAt(position, std::string(elementName(element)) + " Name=" + quoted(name) +
                         " is longer than 128 characters");
  }
  return name;
}

bool boolean(const Attributes& a, AttrId id, bool fallback, SourcePosition position) {
  return optionalBoolean(a, id, position).value_or(fallback);
}

std::optional<bool> optionalBoolean(const Attributes& a, AttrId id, SourcePosition position) {
  if (!a.has(id)) return std::nullopt;
  bool value = false;
  if (!core::parseBool(core::trim(a.get(id)), value)) {
    failAt(position, attributeName(id) + "=" + quoted(a.get(id)) + " is not true or false");
  }
  return value;
}

std::int64_t integer(std::string_view text, AttrId id, SourcePosition position) {
  text = core::trim(text);
  std::int64_t value = 0;
  auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (error != std::errc() || end != text.data() + text.size()) {
    failAt(position, attributeName(id) + "=" + quoted(text) + " is not a whole number");
  }
  return value;
}

Facets facets(const Attributes& a, SourcePosition position) {
  Facets f;
  if (a.has(AttrId::kMaxLength)) {
    std::string_view text = core::trim(a.get(AttrId::kMaxLength));
    if (core::equalsIgnoreCase(text, "max")) {
      f.maxLengthIsMax = true;
    } else {
      const std::int64_t n = integer(text, AttrId::kMaxLength, position);
      if (n < 0 || n > UINT32_MAX)
        failAt(position, "MaxLength=" + quoted(text) + " is out of range");
      f.maxLength = static_cast<std::uint32_t>(n);
    }
  }
  if (a.has(AttrId::kPrecision)) {
    const std::int64_t n = integer(a.get(AttrId::kPrecision), AttrId::kPrecision, position);
    if (n < 0 || n > UINT16_MAX) failAt(position, "Precision is out of range");
    f.precision = static_cast<std::uint16_t>(n);
  }
  if (a.has(AttrId::kScale)) {
    std::string_view text = core::trim(a.get(AttrId::kScale));
    if (core::equalsIgnoreCase(text, "variable") || core::equalsIgnoreCase(text, "floating")) {
      f.scaleIsVariable = true;
    } else {
      const std::int64_t n = integer(text, AttrId::kScale, position);
      if (n < INT16_MIN || n > INT16_MAX) failAt(position, "Scale is out of range");
      f.scale = static_cast<std::int16_t>(n);
    }
  }
  f.unicode = optionalBoolean(a, AttrId::kUnicode, position);
  if (a.has(AttrId::kSrid) &&
      !core::equalsIgnoreCase(core::trim(a.get(AttrId::kSrid)), "variable")) {
    f.srid = static_cast<std::int32_t>(integer(a.get(AttrId::kSrid), AttrId::kSrid, position));
  }
  return f;
}

TypeRef typeReference(std::string_view written, AttrId id, SourcePosition position) {
  written = core::trim(written);
  TypeRef ref;
  ref.position = position;
  constexpr std::string_view kCollection = "Collection(";
  if (written.starts_with(kCollection)) {
    if (!written.ends_with(')')) {
      failAt(position, attributeName(id) + "=" + quoted(written) + " lacks the closing ')'");
    }
    ref.collection = true;
    written =
        core::trim(written.substr(kCollection.size(), written.size() - kCollection.size() - 1));
  }
  if (written.empty()) failAt(position, attributeName(id) + " names no type");
  // Primitive types resolve at once; only schema types wait for the whole document.
  if (written.starts_with("Edm.")) {
    ref.primitive = primitiveKindFromName(written);
    if (ref.primitive == PrimitiveKind::kNone) {
      failAt(position, "unknown primitive type " + quoted(written));
    }
    return ref;
  }
  ref.written.assign(written);
  return ref;
}

Multiplicity multiplicity(std::string_view text, SourcePosition position) {
  text = core::trim(text);
  if (text == "1") return Multiplicity::kOne;
  if (text == "0..1") return Multiplicity::kZeroOrOne;
  if (text == "*") return Multiplicity::kMany;
  failAt(position, "Multiplicity=" + quoted(text) + " is not 1, 0..1 or *");
}

HttpMethod httpMethod(std::string_view text, SourcePosition position) {
  text = core::trim(text);
  if (text.empty()) return HttpMethod::kUnspecified;
  constexpr std::pair<std::string_view, HttpMethod> kMethods[] = {
      {"GET", HttpMethod::kGet},     {"POST", HttpMethod::kPost},   {"PUT", HttpMethod::kPut},
      {"PATCH", HttpMethod::kPatch}, {"MERGE", HttpMethod::kMerge}, {"DELETE", HttpMethod::kDelete},
  };
  for (const auto& [name, method] : kMethods) {
    if (core::equalsIgnoreCase(text, name)) return method;
  }
  failAt(position, "m:HttpMethod=" + quoted(text) + " is not an HTTP method");
}

}  // namespace broker::edm::internal
