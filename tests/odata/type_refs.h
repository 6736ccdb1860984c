// EDM type references for reader, writer and literal tests, without loading metadata.
#pragma once

#include "broker/edm/type_ref.h"

namespace broker::odata::test_types {

inline edm::TypeRef primitive(edm::PrimitiveKind kind, bool collection = false) {
  edm::TypeRef type;
  type.primitive = kind;
  type.collection = collection;
  return type;
}

inline edm::TypeRef complex() {
  edm::TypeRef type;
  type.kind = edm::TypeKind::kComplex;
  return type;
}

}  // namespace broker::odata::test_types
