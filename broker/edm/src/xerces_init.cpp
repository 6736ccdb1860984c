#include "xerces_init.h"

#include <mutex>
#include <xercesc/util/PlatformUtils.hpp>
#include <xercesc/util/XMLException.hpp>

#include "broker/core/error.h"

namespace broker::edm::internal {

void initializeXerces() {
  static std::once_flag once;
  std::call_once(once, [] {
    try {
      xercesc::XMLPlatformUtils::Initialize();
    } catch (const xercesc::XMLException&) {
      throw core::Error(core::ErrorCode::kInternal, "the XML parser could not be initialized");
    }
  });
}

}  // namespace broker::edm::internal
