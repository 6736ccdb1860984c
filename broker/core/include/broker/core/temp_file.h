// A temporary file that exists as long as its owner: stream content spooled to disk on its
// way through the broker, so that memory is bounded by a buffer and not by the stream.
#pragma once

#include <string>

namespace broker::core {

class TempFile {
 public:
  /// Creates an empty file, readable by this user only, in $TMPDIR (or /tmp). Throws
  /// core::Error(kInternal) naming the folder when it cannot.
  TempFile();
  ~TempFile();
  TempFile(TempFile&& other) noexcept;
  TempFile& operator=(TempFile&& other) noexcept;
  TempFile(const TempFile&) = delete;
  TempFile& operator=(const TempFile&) = delete;

  const std::string& path() const noexcept { return path_; }

 private:
  std::string path_;
};

}  // namespace broker::core
