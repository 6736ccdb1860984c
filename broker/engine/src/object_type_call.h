// A call on an ObjectTypes service object: Serialize and SerializeArray build a complex value
// (or append one to an array) from flat inputs; Deserialize and DeserializeArray read it back
// into rows. No request reaches the service.
#pragma once

#include "broker/engine/executor.h"
#include "broker/engine/instance.h"
#include "serviceobjects/service_object.h"

namespace broker::engine::internal {

/// Runs `method` of the ObjectTypes object `object`. Throws core::Error like execute().
CallResult runObjectTypeMethod(const Instance& instance,
                               const serviceobjects::ServiceObject& object,
                               const serviceobjects::Method& method, const CallRequest& request,
                               RowSink& sink, CallStats& stats);

}  // namespace broker::engine::internal
