// Framework filter trees (API.md §5) translated for an entity set of the Northwind V4 model:
// a plan or a core::Error, never another failure.
#include <cstddef>
#include <cstdint>
#include <fstream>
#include <sstream>
#include <string_view>

#include "broker/core/error.h"
#include "broker/engine/filter.h"
#include "broker/engine/instance.h"
#include "broker/odata/http.h"

namespace {

std::shared_ptr<const broker::engine::Instance> northwind() {
  std::ifstream file(BROKER_CORPUS_DIR "/northwind-v4.xml", std::ios::binary);
  std::ostringstream text;
  text << file.rdbuf();
  return broker::engine::openInstance("fuzz", config::ServiceKeys::defaults("http://fuzz/svc/"),
                                      text.str(), broker::odata::makeHttpTransport({}));
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  static const auto instance = northwind();
  const std::string_view json(reinterpret_cast<const char*>(data), size);
  for (const char* object : {"Products", "Orders"}) {
    try {
      broker::engine::planFilter(*instance, object, json);
    } catch (const broker::core::Error&) {
    }
  }
  return 0;
}
