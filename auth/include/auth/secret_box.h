// Secrets at rest: AES-256-GCM under a 32-byte key kept in a file of its own (mode 0600).
// A sealed secret is "v1:" + base64(12-byte nonce | ciphertext | 16-byte tag); every seal
// draws a fresh random nonce.
#pragma once

#include <array>
#include <filesystem>
#include <string>
#include <string_view>

namespace broker::auth {

class SecretBox {
 public:
  /// Reads the key from `keyFile`, or creates the file (mode 0600, 32 random bytes) when it
  /// does not exist. Throws core::Error(kInvalidArgument) naming the file when it cannot be
  /// read or created, is not 32 bytes, or can be read by group or others.
  static SecretBox openKeyFile(const std::filesystem::path& keyFile);

  std::string seal(std::string_view plaintext) const;
  /// Throws core::Error(kInvalidArgument) when `sealed` was not sealed under this key or was
  /// altered.
  std::string open(std::string_view sealed) const;

  static bool isSealed(std::string_view text) noexcept { return text.starts_with("v1:"); }

 private:
  explicit SecretBox(const std::array<unsigned char, 32>& key) : key_(key) {}
  std::array<unsigned char, 32> key_;
};

}  // namespace broker::auth
