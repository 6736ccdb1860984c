#include "broker/core/temp_file.h"

#include <unistd.h>

#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <utility>

#include "broker/core/error.h"

namespace broker::core {

TempFile::TempFile() {
  const char* dir = std::getenv("TMPDIR");
  std::string pattern =
      std::string(dir != nullptr && *dir != '\0' ? dir : "/tmp") + "/odata-broker-stream-XXXXXX";
  const int fd = mkstemp(pattern.data());  // mode 0600
  if (fd < 0) {
    throw Error(ErrorCode::kInternal, "cannot create a temporary file in " +
                                          pattern.substr(0, pattern.rfind('/')) + ": " +
                                          std::strerror(errno));
  }
  close(fd);
  path_ = std::move(pattern);
}

TempFile::~TempFile() {
  if (!path_.empty()) unlink(path_.c_str());
}

TempFile::TempFile(TempFile&& other) noexcept : path_(std::exchange(other.path_, {})) {}

TempFile& TempFile::operator=(TempFile&& other) noexcept {
  if (this != &other) {
    if (!path_.empty()) unlink(path_.c_str());
    path_ = std::exchange(other.path_, {});
  }
  return *this;
}

}  // namespace broker::core
