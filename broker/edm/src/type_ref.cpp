// OData versions, primitive type names and type references.
#include <array>
#include <unordered_map>
#include <utility>

#include "broker/edm/model.h"

namespace broker::edm {

namespace {

// Indexed by PrimitiveKind; kNone has no name.
constexpr std::array<std::string_view, 45> kPrimitiveNames = {
    "",
    "Edm.Binary",
    "Edm.Boolean",
    "Edm.Byte",
    "Edm.Date",
    "Edm.DateTime",
    "Edm.DateTimeOffset",
    "Edm.Decimal",
    "Edm.Double",
    "Edm.Duration",
    "Edm.Guid",
    "Edm.Int16",
    "Edm.Int32",
    "Edm.Int64",
    "Edm.SByte",
    "Edm.Single",
    "Edm.Stream",
    "Edm.String",
    "Edm.Time",
    "Edm.TimeOfDay",
    "Edm.Geography",
    "Edm.GeographyPoint",
    "Edm.GeographyLineString",
    "Edm.GeographyPolygon",
    "Edm.GeographyMultiPoint",
    "Edm.GeographyMultiLineString",
    "Edm.GeographyMultiPolygon",
    "Edm.GeographyCollection",
    "Edm.Geometry",
    "Edm.GeometryPoint",
    "Edm.GeometryLineString",
    "Edm.GeometryPolygon",
    "Edm.GeometryMultiPoint",
    "Edm.GeometryMultiLineString",
    "Edm.GeometryMultiPolygon",
    "Edm.GeometryCollection",
    "Edm.Untyped",
    "Edm.PrimitiveType",
    "Edm.EntityType",
    "Edm.ComplexType",
    "Edm.AnnotationPath",
    "Edm.PropertyPath",
    "Edm.NavigationPropertyPath",
    "Edm.AnyPropertyPath",
    "Edm.ModelElementPath",
};

static_assert(kPrimitiveNames.size() ==
              static_cast<std::size_t>(PrimitiveKind::kModelElementPath) + 1);

}  // namespace

std::string_view toString(ODataVersion version) noexcept {
  switch (version) {
    case ODataVersion::kV2:
      return "2.0";
    case ODataVersion::kV3:
      return "3.0";
    case ODataVersion::kV4:
      return "4.0";
    case ODataVersion::kV401:
      return "4.01";
  }
  return "";
}

std::string describe(SourcePosition position) {
  return "line " + std::to_string(position.line) + ", column " + std::to_string(position.column);
}

PrimitiveKind primitiveKindFromName(std::string_view qualifiedName) noexcept {
  static const auto byName = [] {
    std::unordered_map<std::string_view, PrimitiveKind> table;
    for (std::size_t i = 1; i < kPrimitiveNames.size(); ++i) {
      table.emplace(kPrimitiveNames[i], static_cast<PrimitiveKind>(i));
    }
    return table;
  }();
  if (!qualifiedName.starts_with("Edm.")) return PrimitiveKind::kNone;
  auto it = byName.find(qualifiedName);
  return it == byName.end() ? PrimitiveKind::kNone : it->second;
}

std::string_view primitiveName(PrimitiveKind kind) noexcept {
  return kPrimitiveNames[static_cast<std::size_t>(kind)];
}

std::string TypeRef::qualifiedName() const {
  if (definition != nullptr) return definition->fullName;
  if (primitive != PrimitiveKind::kNone) return std::string(primitiveName(primitive));
  return written;
}

}  // namespace broker::edm
