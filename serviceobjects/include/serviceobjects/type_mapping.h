// The one mapping of EDM types to service-object property types (the README's table).
#pragma once

#include "broker/edm/type_ref.h"
#include "serviceobjects/service_object.h"

namespace serviceobjects {

/// The SO type of a value of `type`: collections, complex values, geography and binary are
/// Memo (JSON or base64 text); enums are Text; type definitions map as their underlying type.
SoType soTypeOf(const broker::edm::TypeRef& type) noexcept;

/// The SO type of a primitive EDM type.
SoType soTypeOf(broker::edm::PrimitiveKind primitive) noexcept;

/// "Edm.Int32", "NS.Address" or "Collection(NS.Address)".
std::string edmTypeName(const broker::edm::TypeRef& type);

}  // namespace serviceobjects
