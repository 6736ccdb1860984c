// Stream content for media entities and named streams: an upload taken from a File input,
// MIME types from file names and back, and the file name a download was sent with.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "broker/core/temp_file.h"
#include "broker/engine/file_content.h"
#include "broker/odata/value.h"

namespace broker::engine::internal {

/// A File input's content in a file: the caller's spooled file, or its inline base64 content
/// decoded into a temporary file owned here.
struct Upload {
  FileContent content;
  std::optional<core::TempFile> owned;
};

/// The upload a File input holds: a kFile value, or the API's JSON form {"fileName",
/// "contentType", "content": "<base64>"}. Throws core::Error(kInvalidArgument) naming `what`
/// for anything else.
Upload uploadOf(const odata::Value& value, std::string_view what);

/// "image/png" for "a.png"; "application/octet-stream" when the extension is not known.
std::string mimeTypeFor(std::string_view fileName);

/// ".png" for "image/png" (parameters ignored); "" when not known.
std::string extensionFor(std::string_view mimeType);

/// The file name of a Content-Disposition header (`filename="a b.png"`), or "".
std::string dispositionFileName(std::string_view contentDisposition);

}  // namespace broker::engine::internal
