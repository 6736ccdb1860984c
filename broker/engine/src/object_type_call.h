// A call on an ObjectTypes service object: Serialize and SerializeArray build a complex value
// (or append one to an array) from flat inputs; Deserialize and DeserializeArray read it back
// into rows. No request reaches the service.
#pragma once

#include <memory>

#include "method_call.h"

namespace broker::engine::internal {

/// A call of `method` of the ObjectTypes object `object`. Throws core::Error like execute().
std::unique_ptr<MethodCall> objectTypeCall(const Instance& instance,
                                           const so::ServiceObject& object,
                                           const so::Method& method, const CallRequest& request,
                                           CallStats& stats);

}  // namespace broker::engine::internal
