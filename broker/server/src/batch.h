// POST /api/v1/instances/{name}/batch (API.md §6): the batch body turned into engine calls,
// and every call's result (or error) answered in the order of the requests.
#pragma once

#include <Poco/JSON/Object.h>

#include <string>

#include "broker/engine/batch.h"
#include "exchange.h"
#include "execute.h"

namespace broker::server {

/// The batch body as an engine batch. Throws core::Error(kInvalidArgument) naming the
/// request (`requests[2].changeSet[0]`) and member that is wrong; more than `maxCalls` calls
/// is a 400 naming the setting maxBatchCalls.
engine::BatchRequest parseBatchBody(const Poco::JSON::Object& body, std::size_t maxCalls);

/// Reads the body, runs the batch on `instance` and replies {"responses": [...]}. Throws
/// core::Error for what fails the batch as a whole.
void executeBatchRequest(Exchange& exchange, const engine::Instance& instance,
                         std::string callerAuthorization, const CallLimits& limits,
                         engine::CallStats& stats);

}  // namespace broker::server
