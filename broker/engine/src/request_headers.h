// The `HTTP Request Headers` input and `HTTP Response Headers` output: HttpHeader arrays
// serialized as JSON, [{"Name": "…", "Value": "…"}].
#pragma once

#include <string>
#include <vector>

#include "broker/odata/http.h"
#include "broker/odata/value.h"

namespace broker::engine {

/// Throws core::Error(kInvalidArgument) when `value` is not such an array.
std::vector<odata::Header> parseRequestHeaders(const odata::Value& value);

std::string serializeHeaders(const std::vector<odata::Header>& headers);

}  // namespace broker::engine
