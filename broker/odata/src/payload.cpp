#include "broker/odata/payload.h"

#include <simdjson.h>

#include "broker/core/error.h"
#include "broker/odata/temporal.h"
#include "typed_value.h"

namespace broker::odata {
namespace {

using edm::ODataVersion;
using edm::PrimitiveKind;

// A Memo holding a complex value or collection: must be JSON, an object or an array.
void writeStructured(core::JsonWriter& out, const edm::TypeRef& type, const Value& value,
                     std::string_view what) {
  const std::string_view text = value.text;
  simdjson::dom::parser parser;
  simdjson::dom::element element;
  const bool parsed = parser.parse(text.data(), text.size()).get(element) == simdjson::SUCCESS;
  const bool shape = parsed && (type.collection ? element.is_array() : element.is_object());
  if (!shape) {
    throw core::Error(core::ErrorCode::kInvalidArgument,
                      std::string(what) + ": expected a JSON " +
                          (type.collection ? "array" : "object") + " of " + type.qualifiedName() +
                          ", got '" + std::string(text.substr(0, 80)) + "'");
  }
  out.raw(simdjson::minify(element));
}

}  // namespace

void writePayloadValue(core::JsonWriter& out, const edm::TypeRef& type, ODataVersion version,
                       const Value& value, std::string_view what) {
  if (value.isNull()) {
    out.null();
    return;
  }
  if (type.collection || type.kind == edm::TypeKind::kComplex) {
    writeStructured(out, type, value, what);
    return;
  }
  const internal::TypedValue v = internal::checkValue(type, value, what);
  if (type.kind == edm::TypeKind::kEnum) {
    out.value(v.text);
    return;
  }
  const bool v4 = version >= ODataVersion::kV4;
  switch (v.primitive) {
    case PrimitiveKind::kBoolean:
      out.value(v.text == "true");
      break;
    case PrimitiveKind::kByte:
    case PrimitiveKind::kSByte:
    case PrimitiveKind::kInt16:
    case PrimitiveKind::kInt32:
      out.raw(v.text);
      break;
    case PrimitiveKind::kDouble:
    case PrimitiveKind::kSingle:
      if (v.text == "INF" || v.text == "-INF" || v.text == "NaN") {
        out.value(v.text);
      } else {
        out.raw(v.text);
      }
      break;
    case PrimitiveKind::kDate:
      if (v4) {
        out.value(formatDate(*v.temporal));
      } else {
        out.value("/Date(" + std::to_string(toEpochMillis(*v.temporal)) + ")/");
      }
      break;
    case PrimitiveKind::kDateTime:
      out.value("/Date(" + std::to_string(toEpochMillis(*v.temporal)) + ")/");
      break;
    case PrimitiveKind::kDateTimeOffset:
      out.value(v4 ? formatIsoUtc(*v.temporal)
                   : "/Date(" + std::to_string(toEpochMillis(*v.temporal)) + "+0000)/");
      break;
    case PrimitiveKind::kTimeOfDay:
      out.value(v4 ? formatTime(*v.temporal) : formatTimeDuration(*v.temporal));
      break;
    case PrimitiveKind::kTime:
      out.value(formatTimeDuration(*v.temporal));
      break;
    default:
      out.value(v.text);  // strings, Guid, Int64, Decimal (exact, as strings), Binary, Duration
      break;
  }
}

}  // namespace broker::odata
