// The inbound edge's request heads and chunk sizes: a head, a ProtocolError, or incomplete.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "http_head.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  const broker::server::HeadLimits limits{4096, 32};
  try {
    std::size_t scanned = 0;
    const std::size_t end = broker::server::findHeadEnd(text, scanned, limits);
    if (end > 0) broker::server::parseHead(text.substr(0, end), limits);
  } catch (const broker::server::ProtocolError&) {
  }
  try {
    broker::server::parseChunkSize(text.substr(0, text.find('\n')));
  } catch (const broker::server::ProtocolError&) {
  }
  return 0;
}
