#include "auth/secret_box.h"

#include <fcntl.h>
#include <openssl/evp.h>
#include <openssl/rand.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <memory>
#include <vector>

#include "broker/core/error.h"
#include "broker/core/text.h"

namespace broker::auth {

namespace {

using core::Error;
using core::ErrorCode;

constexpr std::size_t kNonce = 12;
constexpr std::size_t kTag = 16;
constexpr std::string_view kPrefix = "v1:";

[[noreturn]] void keyFileError(const std::filesystem::path& file, std::string_view why) {
  throw Error(ErrorCode::kInvalidArgument,
              "secret key file '" + file.string() + "' " + std::string(why));
}

struct CipherContext {
  std::unique_ptr<EVP_CIPHER_CTX, decltype(&EVP_CIPHER_CTX_free)> ctx{EVP_CIPHER_CTX_new(),
                                                                      &EVP_CIPHER_CTX_free};
};

std::array<unsigned char, 32> readKey(const std::filesystem::path& file, int fd) {
  struct stat info {};
  if (fstat(fd, &info) != 0) keyFileError(file, "cannot be inspected");
  if ((info.st_mode & 077) != 0) {
    keyFileError(file, "can be read by group or others; make it mode 0600");
  }
  std::array<unsigned char, 32> key{};
  std::size_t got = 0;
  while (got < key.size()) {
    const ssize_t n = ::read(fd, key.data() + got, key.size() - got);
    if (n <= 0) break;
    got += static_cast<std::size_t>(n);
  }
  unsigned char extra = 0;
  if (got != key.size() || ::read(fd, &extra, 1) != 0) {
    keyFileError(file, "does not hold exactly 32 bytes");
  }
  return key;
}

}  // namespace

SecretBox SecretBox::openKeyFile(const std::filesystem::path& keyFile) {
  int fd = ::open(keyFile.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0 && errno == ENOENT) {
    // Created whole under a temporary name, then linked into place: a crash never leaves a
    // short key, and two brokers starting at once agree on one key.
    std::array<unsigned char, 32> key{};
    if (RAND_bytes(key.data(), static_cast<int>(key.size())) != 1) {
      keyFileError(keyFile, "cannot be created: no random bytes");
    }
    const std::filesystem::path temporary = keyFile.string() + ".tmp" + std::to_string(::getpid());
    const int out = ::open(temporary.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
    if (out < 0) keyFileError(keyFile, "cannot be created");
    const bool written = ::write(out, key.data(), key.size()) == static_cast<ssize_t>(key.size()) &&
                         ::fsync(out) == 0;
    ::close(out);
    const bool linked = written && ::link(temporary.c_str(), keyFile.c_str()) == 0;
    ::unlink(temporary.c_str());
    if (!linked && errno != EEXIST) keyFileError(keyFile, "cannot be created");
    fd = ::open(keyFile.c_str(), O_RDONLY | O_CLOEXEC);
  }
  if (fd < 0) keyFileError(keyFile, "cannot be opened");
  try {
    SecretBox box(readKey(keyFile, fd));
    ::close(fd);
    return box;
  } catch (...) {
    ::close(fd);
    throw;
  }
}

std::string SecretBox::seal(std::string_view plaintext) const {
  std::vector<unsigned char> out(kNonce + plaintext.size() + kTag);
  if (RAND_bytes(out.data(), kNonce) != 1) {
    throw Error(ErrorCode::kInternal, "no random bytes for a secret's nonce");
  }
  CipherContext c;
  int n = 0;
  const bool ok =
      c.ctx &&
      EVP_EncryptInit_ex(c.ctx.get(), EVP_aes_256_gcm(), nullptr, key_.data(), out.data()) == 1 &&
      EVP_EncryptUpdate(c.ctx.get(), out.data() + kNonce, &n,
                        reinterpret_cast<const unsigned char*>(plaintext.data()),
                        static_cast<int>(plaintext.size())) == 1 &&
      EVP_EncryptFinal_ex(c.ctx.get(), out.data() + kNonce + n, &n) == 1 &&
      EVP_CIPHER_CTX_ctrl(c.ctx.get(), EVP_CTRL_GCM_GET_TAG, kTag,
                          out.data() + kNonce + plaintext.size()) == 1;
  if (!ok) throw Error(ErrorCode::kInternal, "a secret could not be encrypted");
  return std::string(kPrefix) +
         core::base64Encode({reinterpret_cast<const char*>(out.data()), out.size()});
}

std::string SecretBox::open(std::string_view sealed) const {
  std::string text;
  if (!isSealed(sealed) || !core::base64Decode(sealed.substr(kPrefix.size()), text) ||
      text.size() < kNonce + kTag) {
    throw Error(ErrorCode::kInvalidArgument, "a stored secret is not in the sealed form");
  }
  const std::size_t length = text.size() - kNonce - kTag;
  const auto* bytes = reinterpret_cast<const unsigned char*>(text.data());
  std::string plain(length, '\0');
  CipherContext c;
  int n = 0;
  const bool ok =
      c.ctx &&
      EVP_DecryptInit_ex(c.ctx.get(), EVP_aes_256_gcm(), nullptr, key_.data(), bytes) == 1 &&
      EVP_DecryptUpdate(c.ctx.get(), reinterpret_cast<unsigned char*>(plain.data()), &n,
                        bytes + kNonce, static_cast<int>(length)) == 1 &&
      EVP_CIPHER_CTX_ctrl(c.ctx.get(), EVP_CTRL_GCM_SET_TAG, kTag,
                          const_cast<unsigned char*>(bytes + kNonce + length)) == 1 &&
      EVP_DecryptFinal_ex(c.ctx.get(), reinterpret_cast<unsigned char*>(plain.data()) + n, &n) == 1;
  if (!ok) {
    throw Error(ErrorCode::kInvalidArgument,
                "a stored secret cannot be decrypted: the secret key file is not the one it was "
                "sealed with, or the store was altered");
  }
  return plain;
}

}  // namespace broker::auth
