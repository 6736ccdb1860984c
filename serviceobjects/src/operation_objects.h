// Service objects of the Operations folder: V2/V3 service operations, V4 function and action
// imports, and V4 bound functions and actions.
#pragma once

#include <string>

#include "broker/edm/model.h"
#include "config/service_keys.h"
#include "serviceobjects/service_object.h"

namespace serviceobjects::internal {

/// The SO of one operation (overload). `importName` is the name the service exposes it
/// under (the import's, or the operation's own for bound ones).
ServiceObject buildOperationObject(const broker::edm::Operation& operation,
                                   const std::string& importName, const config::ServiceKeys& keys);

}  // namespace serviceobjects::internal
