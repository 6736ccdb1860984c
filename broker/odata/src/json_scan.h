// Small simdjson-based helpers shared by the client and the readers.
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace broker::odata::internal {

/// `error.message` (V4) or `error.message.value` (V2/V3) of a JSON error body, or
/// `odata.error.message.value` (V3 light); nullopt when the body has neither.
std::optional<std::string> errorMessageOfJson(std::string_view body);

}  // namespace broker::odata::internal
