#include "broker/odata/value.h"

#include <ostream>

namespace broker::odata {

std::string_view toString(Value::Kind kind) noexcept {
  switch (kind) {
    case Value::Kind::kNull:
      return "null";
    case Value::Kind::kBool:
      return "boolean";
    case Value::Kind::kNumber:
      return "number";
    case Value::Kind::kString:
      return "string";
    case Value::Kind::kJson:
      return "JSON";
    case Value::Kind::kFile:
      return "file";
  }
  return "value";
}

void PrintTo(const Value& value, std::ostream* out) {
  *out << toString(value.kind);
  if (!value.isNull()) *out << " '" << value.text << "'";
}

}  // namespace broker::odata
