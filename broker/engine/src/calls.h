// The call a request names: an entity, operation or ObjectTypes call of its object and method.
#pragma once

#include <memory>

#include "method_call.h"

namespace broker::engine::internal {

/// Throws core::Error(kNotFound) for an unknown object or method, and what the call's
/// constructor throws for bad inputs. `request` and `stats` must outlive the call.
std::unique_ptr<MethodCall> openCall(const Instance& instance, const CallRequest& request,
                                     CallStats& stats);

}  // namespace broker::engine::internal
