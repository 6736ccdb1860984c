// File values (API.md §4) whose content lies in a file on disk: how stream content crosses the
// engine in both directions without being held in memory. The server spools an upload's
// base64 content into a file and hands the engine such a value; the engine downloads a stream
// into a file and hands the sink such a value, valid while RowSink::row runs.
#pragma once

#include <optional>
#include <string>

#include "broker/odata/value.h"

namespace broker::engine {

struct FileContent {
  std::string fileName;
  std::string contentType;
  std::string path;  ///< the file holding the content
};

/// A Value of kind kFile.
odata::Value fileValue(const FileContent& file);

/// The content of a kFile value; nullopt for any other kind.
std::optional<FileContent> fileContentOf(const odata::Value& value);

}  // namespace broker::engine
