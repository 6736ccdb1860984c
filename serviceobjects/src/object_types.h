// Service objects of the ObjectTypes folder: complex types and the built-in HttpHeader, with
// Serialize/Deserialize/SerializeArray/DeserializeArray.
#pragma once

#include "broker/edm/model.h"
#include "config/service_keys.h"
#include "serviceobjects/service_object.h"

namespace serviceobjects::internal {

/// The SO of a complex type.
ServiceObject buildComplexObject(const broker::edm::ComplexType& type,
                                 const config::ServiceKeys& keys);

/// The always-present `HttpHeader` type (Name, Value).
ServiceObject buildHttpHeaderObject(const config::ServiceKeys& keys);

}  // namespace serviceobjects::internal
