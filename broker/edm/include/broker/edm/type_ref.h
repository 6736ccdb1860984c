// Building blocks of the EDM model: OData versions, primitive types, facets and resolved type
// references.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace broker::edm {

/// The protocol version a service speaks. V1 services are handled as V2 (a strict subset).
enum class ODataVersion : std::uint8_t { kV2, kV3, kV4, kV401 };

/// "2.0", "3.0", "4.0" or "4.01".
std::string_view toString(ODataVersion version) noexcept;

/// Where an element starts in the metadata document (1-based; 0 when unknown).
struct SourcePosition {
  std::uint32_t line = 0;
  std::uint32_t column = 0;
};

/// "line L, column C": the form every loader error uses.
std::string describe(SourcePosition position);

/// The EDM primitive types of CSDL 1.0–4.01, plus the abstract types V4 allows in signatures.
enum class PrimitiveKind : std::uint8_t {
  kNone,  // not a primitive type
  kBinary,
  kBoolean,
  kByte,
  kDate,
  kDateTime,  // V2/V3 only
  kDateTimeOffset,
  kDecimal,
  kDouble,
  kDuration,
  kGuid,
  kInt16,
  kInt32,
  kInt64,
  kSByte,
  kSingle,
  kStream,
  kString,
  kTime,  // V2/V3 only
  kTimeOfDay,
  kGeography,
  kGeographyPoint,
  kGeographyLineString,
  kGeographyPolygon,
  kGeographyMultiPoint,
  kGeographyMultiLineString,
  kGeographyMultiPolygon,
  kGeographyCollection,
  kGeometry,
  kGeometryPoint,
  kGeometryLineString,
  kGeometryPolygon,
  kGeometryMultiPoint,
  kGeometryMultiLineString,
  kGeometryMultiPolygon,
  kGeometryCollection,
  kUntyped,
  kPrimitiveType,  // abstract Edm.PrimitiveType
  kEntityType,     // abstract Edm.EntityType
  kComplexType,    // abstract Edm.ComplexType
  kAnnotationPath,
  kPropertyPath,
  kNavigationPropertyPath,
  kAnyPropertyPath,
  kModelElementPath,
};

/// The primitive kind for a name such as "Edm.Int32"; kNone when the name is not one.
PrimitiveKind primitiveKindFromName(std::string_view qualifiedName) noexcept;

/// "Edm.Int32" for kInt32; empty for kNone.
std::string_view primitiveName(PrimitiveKind kind) noexcept;

/// What a type reference points at.
enum class TypeKind : std::uint8_t { kPrimitive, kEntity, kComplex, kEnum, kTypeDefinition };

struct SchemaType;

/// A resolved reference to a type, e.g. `Collection(graph.user)` → entity type
/// microsoft.graph.user, collection. After loading, `definition` is set for every non-primitive
/// kind.
struct TypeRef {
  TypeKind kind = TypeKind::kPrimitive;
  PrimitiveKind primitive = PrimitiveKind::kNone;  ///< also the underlying type of a definition
  bool collection = false;
  const SchemaType* definition = nullptr;  ///< entity, complex, enum or type definition
  std::string written;                     ///< a schema type's name as written; empty once resolved
  SourcePosition position;                 ///< of the element that holds the reference

  /// The namespace-qualified name (aliases resolved), without `Collection(…)`.
  std::string qualifiedName() const;
};

/// Facets of a property, parameter, return type or type definition.
struct Facets {
  std::optional<std::uint32_t> maxLength;  ///< unset when absent or "max"
  bool maxLengthIsMax = false;
  std::optional<std::uint16_t> precision;
  std::optional<std::int16_t> scale;  ///< unset when absent, "variable" or "floating"
  bool scaleIsVariable = false;
  std::optional<bool> unicode;
  std::optional<std::int32_t> srid;  ///< unset when absent or "variable"
};

}  // namespace broker::edm
