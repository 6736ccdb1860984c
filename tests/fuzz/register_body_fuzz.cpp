// A registration body (POST /api/v1/instances): a definition or a core::Error.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "broker/core/error.h"
#include "config/instance.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  try {
    config::InstanceDefinition::fromJson(
        std::string_view(reinterpret_cast<const char*>(data), size), config::keepSecret);
  } catch (const broker::core::Error&) {
  }
  return 0;
}
