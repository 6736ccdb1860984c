// Certificates made by the tests with OpenSSL: certificate authorities, server and client
// certificates with chosen names, serials and validity, written as PEM or PKCS#12.
#pragma once

#include <cstdint>
#include <filesystem>
#include <string>

namespace broker::testing {

struct Issued {
  std::string certificatePem;
  std::string keyPem;
  std::string subject;     ///< as OpenSSL prints it
  std::string thumbprint;  ///< SHA-1, upper-case hex without separators
  std::string serialHex;   ///< upper-case hex
};

struct CertificateSpec {
  std::string commonName;
  std::string organization;
  std::uint64_t serial = 1;
  long validFromSeconds = -3600;          ///< relative to now
  long validToSeconds = 30L * 24 * 3600;  ///< relative to now
  enum class Kind { kAuthority, kServer, kClient } kind = Kind::kClient;
};

/// A self-signed authority (when `issuer` is null) or a certificate signed by `issuer`. Server
/// certificates name localhost and 127.0.0.1.
Issued issueCertificate(const CertificateSpec& spec, const Issued* issuer = nullptr);

/// Writes the certificate (and its key, when `withKey`) as PEM.
void writePem(const std::filesystem::path& file, const Issued& issued, bool withKey);

/// Writes certificate and key as PKCS#12 under `passphrase`.
void writePkcs12(const std::filesystem::path& file, const Issued& issued,
                 const std::string& passphrase);

}  // namespace broker::testing
