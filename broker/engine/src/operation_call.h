// A call on an operation service object: V2/V3 service operations (parameters in the query
// string, GET or POST), V4 functions (inline literals) and actions (a JSON body), unbound or
// bound to an entity (its keys as inputs) or a collection; results of every kind read into rows.
#pragma once

#include <memory>

#include "method_call.h"

namespace broker::engine::internal {

/// A call of `method` of the operation object `object`. Throws core::Error like execute().
std::unique_ptr<MethodCall> operationCall(const Instance& instance, const so::ServiceObject& object,
                                          const so::Method& method, const CallRequest& request,
                                          CallStats& stats);

}  // namespace broker::engine::internal
