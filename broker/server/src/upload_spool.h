// The execute body read in pieces, so that file content never sits in memory: each
// `inputs.<name>.content` string (a File value's base64) is decoded into a temporary file as it
// arrives and replaced in the JSON by {"$spooled": N}; the rest of the body is kept, under the
// body limit. Other strings, and everything else, pass through as they are.
#pragma once

#include <cstdint>
#include <istream>
#include <string>
#include <vector>

#include "broker/core/temp_file.h"

namespace broker::server {

struct SpooledBody {
  std::string json;                   ///< the body with spooled contents replaced
  std::vector<core::TempFile> files;  ///< N → the decoded content of {"$spooled": N}
};

/// Reads `in` to its end. Throws core::Error: kPayloadTooLarge when the JSON (contents aside)
/// passes `maxJsonBytes` or the contents pass `maxStreamBytes` (naming the setting);
/// kInvalidArgument when a content is not base64, naming the input, or when arrays and objects
/// nest deeper than `maxDepth` (found as the bytes arrive, so the scan's memory stays bounded)
/// or the body holds more than `maxFiles` file contents (each is a temporary file).
SpooledBody readSpooled(std::istream& in, std::size_t maxJsonBytes, std::uint64_t maxStreamBytes,
                        std::size_t maxDepth = 64, std::size_t maxFiles = 16);

}  // namespace broker::server
