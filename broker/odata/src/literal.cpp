#include "broker/odata/literal.h"

#include <cctype>

#include "broker/core/error.h"
#include "broker/core/text.h"
#include "typed_value.h"

namespace broker::odata {
namespace {

using edm::ODataVersion;
using edm::PrimitiveKind;

bool v4(ODataVersion version) { return version >= ODataVersion::kV4; }

std::string quoted(std::string_view text) {
  std::string out = "'";
  for (char c : text) {
    out += c;
    if (c == '\'') out += '\'';
  }
  return out + "'";
}

std::string base64Url(std::string text) {
  for (char& c : text) {
    if (c == '+') c = '-';
    if (c == '/') c = '_';
  }
  return text;
}

}  // namespace

std::string formatLiteral(const edm::TypeRef& type, ODataVersion version, const Value& value,
                          std::string_view what) {
  const internal::TypedValue v = internal::checkValue(type, value, what);
  if (v.null) return "null";
  if (type.kind == edm::TypeKind::kEnum) {
    return v4(version) ? type.qualifiedName() + quoted(v.text) : quoted(v.text);
  }
  switch (v.primitive) {
    case PrimitiveKind::kString:
      return quoted(v.text);
    case PrimitiveKind::kInt64:
      return v4(version) ? v.text : v.text + "L";
    case PrimitiveKind::kDecimal:
      return v4(version) ? v.text : v.text + "M";
    case PrimitiveKind::kDouble:
      return v4(version) || v.text == "INF" || v.text == "-INF" || v.text == "NaN" ? v.text
                                                                                   : v.text + "d";
    case PrimitiveKind::kSingle:
      return v4(version) || v.text == "INF" || v.text == "-INF" || v.text == "NaN" ? v.text
                                                                                   : v.text + "f";
    case PrimitiveKind::kGuid:
      return v4(version) ? v.text : "guid" + quoted(v.text);
    case PrimitiveKind::kDate:
      return v4(version) ? formatDate(*v.temporal)
                         : "datetime" + quoted(formatDate(*v.temporal) + "T00:00:00");
    case PrimitiveKind::kDateTime:
      // V2/V3 Edm.DateTime has no zone: the UTC wall time.
      return "datetime" + quoted(formatIsoLocal(*v.temporal));
    case PrimitiveKind::kDateTimeOffset:
      return v4(version) ? formatIsoUtc(*v.temporal)
                         : "datetimeoffset" + quoted(formatIsoUtc(*v.temporal));
    case PrimitiveKind::kTimeOfDay:
      return v4(version) ? formatTime(*v.temporal)
                         : "time" + quoted(formatTimeDuration(*v.temporal));
    case PrimitiveKind::kTime:
      return "time" + quoted(formatTimeDuration(*v.temporal));
    case PrimitiveKind::kBinary:
      return v4(version) ? "binary" + quoted(base64Url(v.text)) : "binary" + quoted(v.text);
    case PrimitiveKind::kDuration:
      return "duration" + quoted(v.text);
    default:
      return v.text;  // integers, booleans
  }
}

std::string keyPredicate(std::span<const KeyValue> keys, ODataVersion version) {
  std::string out = "(";
  for (const KeyValue& key : keys) {
    if (key.value->isNull()) {
      throw core::Error(core::ErrorCode::kInvalidArgument,
                        "key property '" + std::string(key.name) + "' needs a value");
    }
    const std::string literal = formatLiteral(*key.type, version, *key.value, key.name);
    if (out.size() > 1) out += ',';
    if (keys.size() > 1) out += encodePathSegment(key.name) + "=";
    out += encodePathSegment(literal);
  }
  return out + ")";
}

std::string encodePathSegment(std::string_view text) {
  return core::percentEncode(text, "'()=,:@!*$");
}

std::string encodeQueryValue(std::string_view text) {
  return core::percentEncode(text, "'(),:@!*$/");
}

}  // namespace broker::odata
