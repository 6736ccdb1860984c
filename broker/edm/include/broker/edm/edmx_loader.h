// Loads an EDMX $metadata document (CSDL 1.0–3.0 in EDMX 1.0, CSDL 4.0/4.01) into an immutable
// Model in one SAX pass. Secure by default: no DTD, no external entities, no fetch of referenced
// documents, size and depth limits.
#pragma once

#include <cstddef>
#include <filesystem>
#include <memory>
#include <string_view>

#include "broker/edm/model.h"

namespace broker::edm {

struct LoadOptions {
  std::size_t maxDocumentBytes = std::size_t{64} << 20;  ///< larger documents are refused
  std::size_t maxDepth = 256;                            ///< element nesting limit
};

/// Stateless; every call builds a fresh parser, so calls may run on any threads at once.
class EdmxLoader {
 public:
  /// Parses `document` (the bytes of a $metadata response; BOM and any XML encoding allowed).
  /// Throws core::Error(kInvalidArgument) naming line, column and what is wrong for malformed
  /// XML, a wrong root, an unknown version, DTDs and entities, limits exceeded, a type
  /// reference that does not resolve or a key property that does not exist.
  static std::shared_ptr<const Model> load(std::string_view document,
                                           const LoadOptions& options = {});

  /// Reads and parses a file. Throws core::Error(kInvalidArgument) also when it cannot be read.
  static std::shared_ptr<const Model> loadFile(const std::filesystem::path& path,
                                               const LoadOptions& options = {});
};

}  // namespace broker::edm
