// Client certificates (API.md §3, the certificate* service keys): a store is a folder of PEM
// and PKCS#12 files, `LocalMachine` under the broker's data dir and `CurrentUser` under the
// service user's home, one subfolder per store name (`My`, `Root`, `TrustedPeople`, …). The
// certificate found must be time-valid, chain to a trusted root (the location's `Root` store
// and the system's CAs) and have its private key at hand.
#pragma once

#include <filesystem>
#include <string>
#include <string_view>

#include "config/service_keys.h"

namespace broker::auth {

struct CertificateSearch {
  std::string storeName = "My";
  config::CertificateStoreLocation storeLocation = config::CertificateStoreLocation::kCurrentUser;
  /// By subject name (contains, any case), thumbprint (SHA-1 hex, any spacing or case), issuer
  /// name (contains, any case) or serial number (hex, any spacing or case).
  config::CertificateSearchMethod method = config::CertificateSearchMethod::kFindBySubjectName;
  std::string value;
  std::string passphrase;  ///< of PKCS#12 files and encrypted PEM keys
};

/// "FindBySubjectName", …; "CurrentUser", "LocalMachine".
std::string_view toString(config::CertificateSearchMethod method) noexcept;
std::string_view toString(config::CertificateStoreLocation location) noexcept;

/// Where the two store locations are.
struct CertificateLocations {
  std::filesystem::path localMachine;  ///< e.g. <dataDir>/certificates
  std::filesystem::path currentUser;   ///< e.g. ~/.odata-broker/certificates
};

struct ClientCertificate {
  std::string certificatePem;  ///< the certificate, then the chain the store holds for it
  std::string privateKeyPem;   ///< unencrypted, kept in memory only
  std::string subject;         ///< RFC 2253, e.g. "CN=client,O=Example"
  std::string thumbprint;      ///< SHA-1, upper-case hex
};

/// Finds the certificate. Throws core::Error(kInvalidArgument) naming the search and the store
/// when there is no store, nothing matches, or what matches is expired (or not yet valid),
/// does not chain to a trusted root, or has no private key.
ClientCertificate findClientCertificate(const CertificateSearch& search,
                                        const CertificateLocations& locations);

/// The folder of the store a search looks in.
std::filesystem::path storeFolder(const CertificateSearch& search,
                                  const CertificateLocations& locations);

}  // namespace broker::auth
