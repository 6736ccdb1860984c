// OpenAPI 3.1 documents (API.md §4): the broker's REST API, and for one instance a typed
// operation per service-object method (inputs and returns as JSON Schemas with their EDM types),
// so that a workflow tool importing it gets a connector for that service.
#pragma once

#include <string>

#include "broker/engine/instance.h"

namespace broker::server {

/// GET /api/v1/openapi.json
const std::string& brokerOpenApi();

/// GET /api/v1/instances/{name}/openapi.json: built from the instance's current catalog (so it
/// follows refreshes); `revision` versions the document.
std::string instanceOpenApi(const engine::Instance& instance, std::int64_t revision);

}  // namespace broker::server
