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

void appendEscaped(std::string& out, std::string_view text) {
  for (const char c : text) {
    switch (c) {
      case '<':
        out += "&lt;";
        break;
      case '>':
        out += "&gt;";
        break;
      case '&':
        out += "&amp;";
        break;
      case '"':
        out += "&quot;";
        break;
      case '\r':
        out += "&#13;";
        break;
      default:
        out += c;
    }
  }
}

// A member of a complex value (given as JSON) as Atom elements.
void appendJsonElement(std::string& out, std::string_view name, simdjson::dom::element value) {
  out += "<d:";
  out += name;
  switch (value.type()) {
    case simdjson::dom::element_type::NULL_VALUE:
      out += " m:null=\"true\"/>";
      return;
    case simdjson::dom::element_type::OBJECT:
      out += '>';
      for (auto [key, member] : value.get_object()) appendJsonElement(out, key, member);
      break;
    case simdjson::dom::element_type::ARRAY:
      out += '>';
      for (simdjson::dom::element item : value.get_array()) appendJsonElement(out, "element", item);
      break;
    case simdjson::dom::element_type::STRING:
      out += '>';
      appendEscaped(out, std::string_view(value.get_string()));
      break;
    case simdjson::dom::element_type::BOOL:
      out += " m:type=\"Edm.Boolean\">";
      out += bool(value.get_bool()) ? "true" : "false";
      break;
    default:
      out += '>';
      out += simdjson::minify(value);
      break;
  }
  out += "</d:";
  out += name;
  out += '>';
}

}  // namespace

AtomEntryWriter::AtomEntryWriter(std::string& out) : out_(out) {
  out_ +=
      "<?xml version=\"1.0\" encoding=\"utf-8\"?><entry xmlns=\"http://www.w3.org/2005/Atom\" "
      "xmlns:d=\"http://schemas.microsoft.com/ado/2007/08/dataservices\" "
      "xmlns:m=\"http://schemas.microsoft.com/ado/2007/08/dataservices/metadata\"><id/><title/>"
      "<updated>1970-01-01T00:00:00Z</updated><author><name/></author>"
      "<content type=\"application/xml\"><m:properties>";
}

void AtomEntryWriter::property(std::string_view name, const edm::TypeRef& type, const Value& value,
                               std::string_view what) {
  if (value.isNull()) {
    out_ += "<d:" + std::string(name) + " m:null=\"true\"/>";
    return;
  }
  const std::string written =
      type.collection ? "Collection(" + type.qualifiedName() + ")" : type.qualifiedName();
  if (type.collection || type.kind == edm::TypeKind::kComplex) {
    std::string json;
    core::JsonWriter writer(json);
    writeStructured(writer, type, value, what);  // checks the shape
    simdjson::dom::parser parser;
    const simdjson::dom::element element = parser.parse(json);
    out_ += "<d:" + std::string(name) + " m:type=\"" + written + "\">";
    if (type.collection) {
      for (simdjson::dom::element item : element.get_array()) {
        appendJsonElement(out_, "element", item);
      }
    } else {
      for (auto [key, member] : element.get_object()) appendJsonElement(out_, key, member);
    }
    out_ += "</d:" + std::string(name) + ">";
    return;
  }
  const internal::TypedValue v = internal::checkValue(type, value, what);
  std::string text = v.text;
  switch (v.primitive) {
    case PrimitiveKind::kDate:
    case PrimitiveKind::kDateTime:
      text = formatIsoLocal(*v.temporal);
      break;
    case PrimitiveKind::kDateTimeOffset:
      text = formatIsoUtc(*v.temporal);
      break;
    case PrimitiveKind::kTime:
    case PrimitiveKind::kTimeOfDay:
      text = formatTimeDuration(*v.temporal);
      break;
    default:
      break;
  }
  out_ += "<d:" + std::string(name);
  if (type.kind != edm::TypeKind::kPrimitive || v.primitive != PrimitiveKind::kString) {
    out_ += " m:type=\"" + written + "\"";
  }
  out_ += '>';
  appendEscaped(out_, text);
  out_ += "</d:" + std::string(name) + ">";
}

void AtomEntryWriter::finish() { out_ += "</m:properties></content></entry>"; }

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
