#include "value_text.h"

#include <algorithm>
#include <charconv>
#include <cstdint>
#include <string>
#include <vector>

#include "broker/core/error.h"
#include "broker/core/text.h"
#include "broker/edm/model.h"
#include "broker/odata/temporal.h"
#include "typed_value.h"

namespace broker::odata::internal {
namespace {

using edm::ODataVersion;
using edm::PrimitiveKind;

std::string base64FromUrl(std::string_view text) {
  std::string out(text);
  for (char& c : out) {
    if (c == '-') c = '+';
    if (c == '_') c = '/';
  }
  while (out.size() % 4 != 0) out += '=';
  return out;
}

// A date or time as its service-object text, or nullopt when it does not parse.
std::optional<std::string> temporal(PrimitiveKind kind, std::string_view text) {
  std::optional<DateTime> parsed;
  if (text.starts_with("/Date(")) {
    parsed = parseMicrosoftDate(text);
  } else if (kind == PrimitiveKind::kTime || kind == PrimitiveKind::kTimeOfDay) {
    parsed = text.starts_with("PT") ? parseTimeDuration(text) : parseIsoTime(text);
  } else {
    parsed = parseIsoDateTime(text);
  }
  if (!parsed) return std::nullopt;
  switch (kind) {
    case PrimitiveKind::kDate:
      return formatDate(*parsed);
    case PrimitiveKind::kTime:
    case PrimitiveKind::kTimeOfDay:
      return formatTime(*parsed);
    default:
      return formatIsoUtc(*parsed);  // DateTime (UTC wall time), DateTimeOffset
  }
}

// Whether `text` names members of `type` (several, comma-separated, for a flags enum) or is a
// number, as OData enum values may be written.
bool enumValue(const edm::EnumType& type, std::string_view text) {
  const std::vector<std::string_view> parts = core::split(text, ',');
  if (parts.size() > 1 && !type.flags) return false;
  return std::all_of(parts.begin(), parts.end(), [&](std::string_view part) {
    part = core::trim(part);
    std::int64_t number = 0;
    const auto [end, error] = std::from_chars(part.data(), part.data() + part.size(), number);
    if (!part.empty() && error == std::errc() && end == part.data() + part.size()) return true;
    return std::any_of(type.members.begin(), type.members.end(),
                       [&](const edm::EnumMember& m) { return m.name == part; });
  });
}

// "ID=5, Code='x'": the key of an entry as read, for messages.
std::string keyText(const Entry& entry, const FieldMap& fields) {
  std::string text;
  for (std::size_t i = 0; i < fields.size(); ++i) {
    if (!fields[i].key) continue;
    const Value& v = entry.values[i];
    text += (text.empty() ? "" : ", ") + fields[i].name + "=" +
            (v.isNull()                       ? std::string("null")
             : v.kind == Value::Kind::kString ? "'" + v.text.substr(0, 80) + "'"
                                              : v.text.substr(0, 80));
  }
  return text;
}

// Sets `out` in place, and says so: its text keeps the capacity it has (a reader reuses one
// entry's values for every row, so converting a value allocates nothing after the first rows).
bool set(Value& out, Value::Kind kind, std::string_view text) {
  out.kind = kind;
  out.text.assign(text.data(), text.size());
  return true;
}

// Whether `text` is a number as JSON writes one: -?digits[.digits][(e|E)[+-]digits].
bool jsonNumber(std::string_view text) {
  std::size_t at = text.starts_with('-') ? 1 : 0;
  const auto digits = [&] {
    const std::size_t start = at;
    while (at < text.size() && text[at] >= '0' && text[at] <= '9') ++at;
    return at > start;
  };
  if (!digits()) return false;
  if (at < text.size() && text[at] == '.') {
    ++at;
    if (!digits()) return false;
  }
  if (at < text.size() && (text[at] == 'e' || text[at] == 'E')) {
    ++at;
    if (at < text.size() && (text[at] == '+' || text[at] == '-')) ++at;
    if (!digits()) return false;
  }
  return at == text.size();
}

}  // namespace

void writeValue(const Value& value, core::JsonWriter& out) {
  switch (value.kind) {
    case Value::Kind::kNull:
      out.null();
      break;
    case Value::Kind::kBool:
    case Value::Kind::kNumber:
    case Value::Kind::kJson:
      out.raw(value.text);
      break;
    default:
      out.value(value.text);
      break;
  }
}

bool primitiveValue(const edm::TypeRef& type, std::string_view text, TextKind kind,
                    ODataVersion version, Value& out) {
  using K = Value::Kind;
  if (type.kind == edm::TypeKind::kEnum) {
    const auto* enumType = static_cast<const edm::EnumType*>(type.definition);
    if (enumType != nullptr && !enumValue(*enumType, text)) return false;
    return set(out, K::kString, text);
  }
  const bool xml = kind == TextKind::kXmlText;
  switch (type.primitive) {
    case PrimitiveKind::kBoolean:
      if (text == "true" || (xml && text == "1")) return set(out, K::kBool, "true");
      if (text == "false" || (xml && text == "0")) return set(out, K::kBool, "false");
      return false;
    case PrimitiveKind::kByte:
    case PrimitiveKind::kSByte:
    case PrimitiveKind::kInt16:
    case PrimitiveKind::kInt32:
      return integerFits(type.primitive, text) && set(out, K::kNumber, text);
    case PrimitiveKind::kInt64:
      return integerFits(type.primitive, text) && set(out, K::kString, text);
    case PrimitiveKind::kDecimal:
    case PrimitiveKind::kDouble:
    case PrimitiveKind::kSingle: {
      if (kind == TextKind::kJsonBoolean) return false;
      const K as = type.primitive == PrimitiveKind::kDecimal ? K::kString : K::kNumber;
      if (kind == TextKind::kJsonNumber) return set(out, as, text);
      if (as == K::kNumber && (text == "INF" || text == "-INF" || text == "NaN")) {
        return set(out, K::kString, text);
      }
      // Text (a JSON string, Atom): a number as JSON writes one, a type suffix aside. V2
      // verbose JSON writes Double and Single as strings ("1.5E+01"), as SAP Gateway does.
      const std::string_view digits =
          text.ends_with('M') || text.ends_with('m') || text.ends_with('d') || text.ends_with('f')
              ? text.substr(0, text.size() - 1)
              : text;
      return jsonNumber(digits) && set(out, as, digits);
    }
    case PrimitiveKind::kDate:
    case PrimitiveKind::kDateTime:
    case PrimitiveKind::kDateTimeOffset:
    case PrimitiveKind::kTime:
    case PrimitiveKind::kTimeOfDay: {
      std::optional<std::string> converted = temporal(type.primitive, text);
      if (!converted) return false;
      out.kind = K::kString;
      out.text = std::move(*converted);
      return true;
    }
    case PrimitiveKind::kBinary:
      return version >= ODataVersion::kV4 ? set(out, K::kString, base64FromUrl(text))
                                          : set(out, K::kString, text);
    default:
      return set(out, K::kString, text);
  }
}

std::string describeUnfit(const edm::TypeRef& type, std::string_view member,
                          std::string_view text) {
  const std::string quoted =
      "'" + std::string(text.substr(0, 80)) + "' for '" + std::string(member) + "', which is not ";
  if (type.collection) return quoted + "a collection";
  return quoted + "a valid " +
         (type.kind == edm::TypeKind::kPrimitive ? std::string(edm::primitiveName(type.primitive))
                                                 : type.qualifiedName());
}

bool finishEntry(const Entry& entry, const FieldMap& fields, const ReadOptions& options,
                 const std::string* unmappable) {
  // The key's text only for a message: never built for the rows that are fine.
  if (unmappable != nullptr) {
    const std::string key = keyText(entry, fields);
    throw core::Error(
        core::ErrorCode::kUpstreamFailure,
        "the service sent " + *unmappable + (key.empty() ? "" : " (in the entity " + key + ")"));
  }
  for (std::size_t i = 0; i < fields.size(); ++i) {
    if (!fields[i].key || !entry.values[i].isNull()) continue;
    const std::string message = "the service sent an entity without its key '" + fields[i].name +
                                "' (" + keyText(entry, fields) + "), which cannot be a row";
    if (options.problems != nullptr) {
      options.problems->push_back(message);
      return true;
    }
    if (options.ignoreUnmappable) return false;
    throw core::Error(core::ErrorCode::kUpstreamFailure, message);
  }
  return true;
}

}  // namespace broker::odata::internal
