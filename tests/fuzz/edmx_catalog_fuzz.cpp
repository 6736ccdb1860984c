// The EDMX loader and then the catalog build, on any bytes: a model or a core::Error, never
// another failure.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "broker/core/error.h"
#include "broker/edm/edmx_loader.h"
#include "config/service_keys.h"
#include "serviceobjects/catalog.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  static const config::ServiceKeys keys = config::ServiceKeys::defaults("http://fuzz/svc/");
  try {
    auto model =
        broker::edm::EdmxLoader::load(std::string_view(reinterpret_cast<const char*>(data), size));
    serviceobjects::Catalog::build(model, keys);
  } catch (const broker::core::Error&) {
  }
  return 0;
}
