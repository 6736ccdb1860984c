// A call on an operation service object: V2/V3 service operations (parameters in the query
// string, GET or POST), V4 functions (inline literals) and actions (a JSON body), unbound or
// bound to an entity (its keys as inputs) or a collection; results of every kind read into rows.
#pragma once

#include "broker/engine/executor.h"
#include "broker/engine/instance.h"
#include "serviceobjects/service_object.h"

namespace broker::engine::internal {

/// Runs `method` of the operation object `object`. Throws core::Error like execute().
CallResult runOperation(const Instance& instance, const serviceobjects::ServiceObject& object,
                        const serviceobjects::Method& method, const CallRequest& request,
                        RowSink& sink, CallStats& stats);

}  // namespace broker::engine::internal
