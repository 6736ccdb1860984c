#include "typed_value.h"

#include <cctype>
#include <charconv>
#include <cstdint>
#include <limits>

#include "broker/core/error.h"
#include "broker/core/text.h"
#include "broker/edm/model.h"

namespace broker::odata::internal {
namespace {

using edm::PrimitiveKind;
using K = Value::Kind;

[[noreturn]] void reject(const Value& value, std::string_view typeName, std::string_view what,
                         std::string_view hint = {}) {
  std::string shown = value.kind == K::kString ? "'" + value.text + "'" : value.text;
  if (shown.size() > 80) shown = shown.substr(0, 77) + "...";
  throw core::Error(core::ErrorCode::kInvalidArgument,
                    std::string(what) + ": " + shown + " is not a valid " + std::string(typeName) +
                        (hint.empty() ? "" : " (" + std::string(hint) + ")"));
}

bool allDigits(std::string_view s) {
  if (s.empty()) return false;
  for (char c : s) {
    if (c < '0' || c > '9') return false;
  }
  return true;
}

// An integer in [min, max], written without sign noise: "-12", "7".
bool integerInRange(std::string_view text, std::int64_t min, std::int64_t max) {
  std::int64_t number = 0;
  const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), number);
  return ec == std::errc() && end == text.data() + text.size() && number >= min && number <= max;
}

// -?digits(.digits)? — the only decimal form every OData version accepts.
bool plainDecimal(std::string_view text) {
  if (text.starts_with('-')) text.remove_prefix(1);
  const std::size_t dot = text.find('.');
  if (dot == std::string_view::npos) return allDigits(text);
  return allDigits(text.substr(0, dot)) && allDigits(text.substr(dot + 1));
}

bool floating(std::string_view text) {
  if (text == "INF" || text == "-INF" || text == "NaN") return true;
  double number = 0;
  const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), number);
  return ec == std::errc() && end == text.data() + text.size();
}

bool guid(std::string_view text) {
  if (text.size() != 36) return false;
  for (std::size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    if (i == 8 || i == 13 || i == 18 || i == 23) {
      if (c != '-') return false;
    } else if (!std::isxdigit(static_cast<unsigned char>(c))) {
      return false;
    }
  }
  return true;
}

bool base64(std::string_view text) {
  std::size_t padding = 0;
  for (char c : text) {
    if (c == '=') {
      ++padding;
    } else if (padding > 0 || !(std::isalnum(static_cast<unsigned char>(c)) || c == '+' ||
                                c == '/' || c == '-' || c == '_')) {
      return false;
    }
  }
  return padding <= 2;
}

// Numbers may come as JSON numbers or as strings holding one (Int64, Decimal).
bool numeric(const Value& v) { return v.kind == K::kNumber || v.kind == K::kString; }

TypedValue checkEnum(const edm::TypeRef& type, const Value& value, std::string_view what) {
  const auto* enumType = static_cast<const edm::EnumType*>(type.definition);
  const std::string name = type.qualifiedName();
  TypedValue out;
  if (value.kind == K::kNumber && enumType != nullptr) {
    for (const edm::EnumMember& m : enumType->members) {
      if (std::to_string(m.value) == value.text) {
        out.text = m.name;
        return out;
      }
    }
  }
  if (value.kind == K::kString && enumType != nullptr) {
    // Flags enums take "Red,Blue"; every part must be a member.
    bool all = true;
    for (std::string_view part : core::split(value.text, ',')) {
      part = core::trim(part);
      bool found = false;
      for (const edm::EnumMember& m : enumType->members) found = found || m.name == part;
      all = all && found && (enumType->flags || value.text.find(',') == std::string::npos);
    }
    if (all) {
      out.text = value.text;
      return out;
    }
  }
  std::string members;
  if (enumType != nullptr) {
    for (const edm::EnumMember& m : enumType->members) {
      members += (members.empty() ? "" : ", ") + m.name;
    }
  }
  reject(value, name, what, members.empty() ? "" : "members: " + members);
}

}  // namespace

bool integerFits(PrimitiveKind kind, std::string_view text) noexcept {
  using Limits32 = std::numeric_limits<std::int32_t>;
  using Limits64 = std::numeric_limits<std::int64_t>;
  switch (kind) {
    case PrimitiveKind::kByte:
      return integerInRange(text, 0, 255);
    case PrimitiveKind::kSByte:
      return integerInRange(text, -128, 127);
    case PrimitiveKind::kInt16:
      return integerInRange(text, -32768, 32767);
    case PrimitiveKind::kInt32:
      return integerInRange(text, Limits32::min(), Limits32::max());
    case PrimitiveKind::kInt64:
      return integerInRange(text, Limits64::min(), Limits64::max());
    default:
      return false;
  }
}

TypedValue checkValue(const edm::TypeRef& type, const Value& value, std::string_view what) {
  TypedValue out;
  if (value.isNull()) {
    out.null = true;
    out.primitive = type.primitive;
    return out;
  }
  if (type.kind == edm::TypeKind::kEnum) return checkEnum(type, value, what);
  const PrimitiveKind kind = type.primitive;
  const std::string_view typeName = edm::primitiveName(kind);
  out.primitive = kind;
  out.text = value.text;
  switch (kind) {
    case PrimitiveKind::kByte:
    case PrimitiveKind::kSByte:
    case PrimitiveKind::kInt16:
    case PrimitiveKind::kInt32:
    case PrimitiveKind::kInt64:
      if (!numeric(value) || !integerFits(kind, value.text)) reject(value, typeName, what);
      break;
    case PrimitiveKind::kDecimal:
      if (!numeric(value) || !plainDecimal(value.text)) {
        reject(value, typeName, what, "digits with an optional '.' and fraction");
      }
      break;
    case PrimitiveKind::kDouble:
    case PrimitiveKind::kSingle:
      if (!numeric(value) || !floating(value.text)) reject(value, typeName, what);
      break;
    case PrimitiveKind::kBoolean:
      if (value.kind == K::kString) {
        bool flag = false;
        if (!core::parseBool(value.text, flag)) reject(value, typeName, what);
        out.text = flag ? "true" : "false";
      } else if (value.kind != K::kBool) {
        reject(value, typeName, what);
      }
      break;
    case PrimitiveKind::kGuid:
      if (value.kind != K::kString || !guid(value.text)) {
        reject(value, typeName, what, "8-4-4-4-12 hexadecimal digits");
      }
      break;
    case PrimitiveKind::kDate:
      out.temporal = value.kind == K::kString ? parseIsoDateTime(value.text) : std::nullopt;
      if (!out.temporal) reject(value, typeName, what, "YYYY-MM-DD");
      break;
    case PrimitiveKind::kDateTime:
    case PrimitiveKind::kDateTimeOffset:
      out.temporal = value.kind == K::kString ? parseIsoDateTime(value.text) : std::nullopt;
      if (!out.temporal) reject(value, typeName, what, "ISO 8601, e.g. 2026-11-21T09:30:00Z");
      break;
    case PrimitiveKind::kTimeOfDay:
    case PrimitiveKind::kTime:
      if (value.kind == K::kString) {
        out.temporal = parseIsoTime(value.text);
        if (!out.temporal) out.temporal = parseTimeDuration(value.text);
      }
      if (!out.temporal) reject(value, typeName, what, "hh:mm:ss");
      break;
    case PrimitiveKind::kBinary:
      if (value.kind != K::kString || !base64(value.text)) reject(value, typeName, what, "base64");
      break;
    case PrimitiveKind::kString:
      if (value.kind == K::kJson) reject(value, typeName, what);
      break;  // numbers and booleans are taken as their text
    default:
      if (value.kind == K::kJson) reject(value, typeName, what);
      break;
  }
  return out;
}

}  // namespace broker::odata::internal
