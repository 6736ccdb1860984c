// An execute body as the server reads it: spooled (file contents to temporary files, nesting
// bounded as it arrives), its shape checked, then parsed into a call.
#include <cstddef>
#include <cstdint>
#include <sstream>
#include <string>

#include "broker/core/error.h"
#include "exchange.h"
#include "execute.h"
#include "upload_spool.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  std::istringstream in(std::string(reinterpret_cast<const char*>(data), size));
  try {
    broker::server::SpooledBody body = broker::server::readSpooled(in, 1 << 20, 1 << 20, 64);
    broker::server::checkJsonShape(body.json, {64, 100000});
    broker::server::parseExecuteBody(body.json, "Products", "List", body.files);
  } catch (const broker::core::Error&) {
  }
  return 0;
}
