// The response readers on any bytes: V4 JSON, V2 verbose JSON and V3 JSON light, pages, single
// entities and single values. The first byte picks the version and the reader.
#include <cstddef>
#include <cstdint>
#include <string>

#include "broker/core/error.h"
#include "broker/odata/reader.h"

namespace {

using broker::edm::PrimitiveKind;
using broker::edm::TypeRef;

TypeRef primitive(PrimitiveKind kind) {
  TypeRef type;
  type.primitive = kind;
  return type;
}

broker::odata::FieldMap fields() {
  broker::odata::FieldMap map;
  for (const auto& [name, kind] :
       {std::pair{"ID", PrimitiveKind::kInt32}, std::pair{"Big", PrimitiveKind::kInt64},
        std::pair{"Price", PrimitiveKind::kDecimal}, std::pair{"Rate", PrimitiveKind::kDouble},
        std::pair{"Name", PrimitiveKind::kString}, std::pair{"Flag", PrimitiveKind::kBoolean},
        std::pair{"Day", PrimitiveKind::kDate}, std::pair{"At", PrimitiveKind::kDateTimeOffset},
        std::pair{"Old", PrimitiveKind::kDateTime}, std::pair{"Time", PrimitiveKind::kTimeOfDay},
        std::pair{"Span", PrimitiveKind::kDuration}, std::pair{"Key", PrimitiveKind::kGuid},
        std::pair{"Blob", PrimitiveKind::kBinary}}) {
    map.add(name, primitive(kind));
  }
  TypeRef complex;
  complex.kind = broker::edm::TypeKind::kComplex;
  map.add("Address", complex);
  TypeRef tags = primitive(PrimitiveKind::kString);
  tags.collection = true;
  map.add("Tags", tags);
  return map;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  static const broker::odata::FieldMap map = fields();
  if (size == 0) return 0;
  const std::uint8_t choice = data[0];
  std::string body(reinterpret_cast<const char*>(data) + 1, size - 1);
  broker::odata::ReadOptions options;
  options.version = choice % 3 == 0   ? broker::edm::ODataVersion::kV2
                    : choice % 3 == 1 ? broker::edm::ODataVersion::kV3
                                      : broker::edm::ODataVersion::kV4;
  options.ignoreUnmappable = (choice & 0x10) != 0;
  try {
    switch ((choice >> 2) % 3) {
      case 0:
        broker::odata::readFeed(body, map, options, [](const broker::odata::Entry&) {});
        break;
      case 1:
        broker::odata::readEntity(body, map, options);
        break;
      default:
        broker::odata::readValue(body, primitive(PrimitiveKind::kDecimal), options);
        break;
    }
  } catch (const broker::core::Error&) {
  }
  return 0;
}
