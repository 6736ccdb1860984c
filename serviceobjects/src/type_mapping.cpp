// EDM → service-object types. The README's type table is this file in prose.
#include "serviceobjects/type_mapping.h"

#include "broker/edm/model.h"

namespace serviceobjects {

using broker::edm::PrimitiveKind;
using broker::edm::TypeKind;

SoType soTypeOf(PrimitiveKind primitive) noexcept {
  switch (primitive) {
    case PrimitiveKind::kString:
    case PrimitiveKind::kDuration:
      return SoType::kText;
    case PrimitiveKind::kBoolean:
      return SoType::kYesNo;
    case PrimitiveKind::kByte:
    case PrimitiveKind::kSByte:
    case PrimitiveKind::kInt16:
    case PrimitiveKind::kInt32:
    case PrimitiveKind::kInt64:
      return SoType::kNumber;
    case PrimitiveKind::kDecimal:
    case PrimitiveKind::kDouble:
    case PrimitiveKind::kSingle:
      return SoType::kDecimal;
    case PrimitiveKind::kDateTime:
    case PrimitiveKind::kDateTimeOffset:
      return SoType::kDateTime;
    case PrimitiveKind::kDate:
      return SoType::kDate;
    case PrimitiveKind::kTime:
    case PrimitiveKind::kTimeOfDay:
      return SoType::kTime;
    case PrimitiveKind::kGuid:
      return SoType::kGuid;
    case PrimitiveKind::kStream:
      return SoType::kFile;
    default:  // Binary (base64), geography/geometry (GeoJSON), untyped, abstract types
      return SoType::kMemo;
  }
}

SoType soTypeOf(const broker::edm::TypeRef& type) noexcept {
  if (type.collection) return SoType::kMemo;
  switch (type.kind) {
    case TypeKind::kPrimitive:
    case TypeKind::kTypeDefinition:
      return soTypeOf(type.primitive);
    case TypeKind::kEnum:
      return SoType::kText;
    case TypeKind::kEntity:
    case TypeKind::kComplex:
      return SoType::kMemo;
  }
  return SoType::kMemo;
}

std::string edmTypeName(const broker::edm::TypeRef& type) {
  return type.collection ? "Collection(" + type.qualifiedName() + ")" : type.qualifiedName();
}

}  // namespace serviceobjects
