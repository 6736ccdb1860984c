#include "auth/certificate_store.h"

#include <openssl/bio.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/pkcs12.h>
#include <openssl/x509.h>
#include <openssl/x509_vfy.h>
#include <openssl/x509v3.h>

#include <algorithm>
#include <cctype>
#include <fstream>
#include <memory>
#include <sstream>
#include <vector>

#include "broker/core/error.h"
#include "broker/core/text.h"

namespace broker::auth {
namespace {

using core::Error;
using core::ErrorCode;
namespace fs = std::filesystem;

struct X509Free {
  void operator()(X509* x) const { X509_free(x); }
};
struct KeyFree {
  void operator()(EVP_PKEY* k) const { EVP_PKEY_free(k); }
};
struct BioFree {
  void operator()(BIO* b) const { BIO_free(b); }
};
struct StoreFree {
  void operator()(X509_STORE* s) const { X509_STORE_free(s); }
};
struct ContextFree {
  void operator()(X509_STORE_CTX* c) const { X509_STORE_CTX_free(c); }
};
using Cert = std::unique_ptr<X509, X509Free>;
using Key = std::unique_ptr<EVP_PKEY, KeyFree>;

struct Found {
  Cert cert;
  std::string file;
};

// What a store folder holds: certificates (with the file each came from) and private keys.
struct StoreContents {
  std::vector<Found> certs;
  std::vector<Key> keys;
};

std::string readFile(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

int passphraseCallback(char* buffer, int size, int, void* user) {
  const auto* passphrase = static_cast<const std::string*>(user);
  const int n = std::min(size, static_cast<int>(passphrase->size()));
  std::copy_n(passphrase->data(), n, buffer);
  return n;
}

void readPem(const std::string& text, const std::string& file, const std::string& passphrase,
             StoreContents& out) {
  {
    std::unique_ptr<BIO, BioFree> bio(BIO_new_mem_buf(text.data(), static_cast<int>(text.size())));
    while (X509* x = PEM_read_bio_X509(bio.get(), nullptr, nullptr, nullptr)) {
      out.certs.push_back({Cert(x), file});
    }
  }
  std::unique_ptr<BIO, BioFree> bio(BIO_new_mem_buf(text.data(), static_cast<int>(text.size())));
  std::string pass = passphrase;
  while (EVP_PKEY* k = PEM_read_bio_PrivateKey(bio.get(), nullptr, passphraseCallback, &pass)) {
    out.keys.emplace_back(k);
  }
  ERR_clear_error();  // the loops end on "no more PEM objects"
}

void readPkcs12(const std::string& text, const std::string& file, const std::string& passphrase,
                StoreContents& out) {
  std::unique_ptr<BIO, BioFree> bio(BIO_new_mem_buf(text.data(), static_cast<int>(text.size())));
  PKCS12* p12 = d2i_PKCS12_bio(bio.get(), nullptr);
  if (p12 == nullptr) {
    ERR_clear_error();
    return;
  }
  EVP_PKEY* key = nullptr;
  X509* cert = nullptr;
  STACK_OF(X509)* chain = nullptr;
  const bool parsed = PKCS12_parse(p12, passphrase.c_str(), &key, &cert, &chain) == 1;
  PKCS12_free(p12);
  ERR_clear_error();
  if (!parsed) return;  // a wrong passphrase: the file's certificates stay unknown
  if (key != nullptr) out.keys.emplace_back(key);
  if (cert != nullptr) out.certs.push_back({Cert(cert), file});
  if (chain != nullptr) {
    while (X509* extra = sk_X509_shift(chain)) out.certs.push_back({Cert(extra), file});
    sk_X509_free(chain);
  }
}

StoreContents readStore(const fs::path& folder, const std::string& passphrase) {
  StoreContents contents;
  std::error_code ignored;
  if (!fs::is_directory(folder, ignored)) return contents;
  std::vector<fs::path> files;
  for (const fs::directory_entry& entry : fs::directory_iterator(folder, ignored)) {
    if (entry.is_regular_file(ignored)) files.push_back(entry.path());
  }
  std::sort(files.begin(), files.end());  // the same choice every time
  for (const fs::path& path : files) {
    std::string extension = path.extension().string();
    std::transform(extension.begin(), extension.end(), extension.begin(),
                   [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    const std::string text = readFile(path);
    if (extension == ".p12" || extension == ".pfx") {
      readPkcs12(text, path.filename().string(), passphrase, contents);
    } else if (extension == ".pem" || extension == ".crt" || extension == ".cer" ||
               extension == ".key") {
      readPem(text, path.filename().string(), passphrase, contents);
    }
  }
  return contents;
}

std::string nameText(const X509_NAME* name) {
  std::unique_ptr<BIO, BioFree> bio(BIO_new(BIO_s_mem()));
  X509_NAME_print_ex(bio.get(), name, 0, XN_FLAG_RFC2253 & ~ASN1_STRFLGS_ESC_MSB);
  char* data = nullptr;
  const long size = BIO_get_mem_data(bio.get(), &data);
  return std::string(data, static_cast<std::size_t>(size));
}

std::string lower(std::string text) {
  std::transform(text.begin(), text.end(), text.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return text;
}

// Hex digits only, lower case, without leading zeros (for serial numbers).
std::string hexDigits(std::string_view text, bool trimZeros) {
  std::string digits;
  for (const char c : text) {
    if (std::isxdigit(static_cast<unsigned char>(c))) {
      digits += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    }
  }
  if (trimZeros) {
    const std::size_t first = digits.find_first_not_of('0');
    digits = first == std::string::npos ? "0" : digits.substr(first);
  }
  return digits;
}

std::string thumbprintOf(X509* cert) {
  unsigned char digest[EVP_MAX_MD_SIZE];
  unsigned int size = 0;
  X509_digest(cert, EVP_sha1(), digest, &size);
  static constexpr char kHex[] = "0123456789ABCDEF";
  std::string hex;
  for (unsigned int i = 0; i < size; ++i) {
    hex += kHex[digest[i] >> 4];
    hex += kHex[digest[i] & 15];
  }
  return hex;
}

std::string serialOf(X509* cert) {
  BIGNUM* number = ASN1_INTEGER_to_BN(X509_get_serialNumber(cert), nullptr);
  char* hex = BN_bn2hex(number);
  std::string text = hex;
  OPENSSL_free(hex);
  BN_free(number);
  return text;
}

std::string timeText(const ASN1_TIME* time) {
  std::unique_ptr<BIO, BioFree> bio(BIO_new(BIO_s_mem()));
  ASN1_TIME_print(bio.get(), time);
  char* data = nullptr;
  const long size = BIO_get_mem_data(bio.get(), &data);
  return std::string(data, static_cast<std::size_t>(size));
}

bool matches(const CertificateSearch& search, X509* cert) {
  using M = config::CertificateSearchMethod;
  switch (search.method) {
    case M::kFindBySubjectName:
      return lower(nameText(X509_get_subject_name(cert))).find(lower(search.value)) !=
             std::string::npos;
    case M::kFindByIssuerName:
      return lower(nameText(X509_get_issuer_name(cert))).find(lower(search.value)) !=
             std::string::npos;
    case M::kFindByThumbprint:
      return hexDigits(thumbprintOf(cert), false) == hexDigits(search.value, false);
    case M::kFindBySerialNumber:
      return hexDigits(serialOf(cert), true) == hexDigits(search.value, true);
  }
  return false;
}

bool timeValid(X509* cert) {
  return X509_cmp_current_time(X509_get0_notBefore(cert)) < 0 &&
         X509_cmp_current_time(X509_get0_notAfter(cert)) > 0;
}

std::string pemOf(X509* cert) {
  std::unique_ptr<BIO, BioFree> bio(BIO_new(BIO_s_mem()));
  PEM_write_bio_X509(bio.get(), cert);
  char* data = nullptr;
  const long size = BIO_get_mem_data(bio.get(), &data);
  return std::string(data, static_cast<std::size_t>(size));
}

std::string pemOf(EVP_PKEY* key) {
  std::unique_ptr<BIO, BioFree> bio(BIO_new(BIO_s_mem()));
  PEM_write_bio_PrivateKey(bio.get(), key, nullptr, nullptr, 0, nullptr, nullptr);
  char* data = nullptr;
  const long size = BIO_get_mem_data(bio.get(), &data);
  return std::string(data, static_cast<std::size_t>(size));
}

// Verifies `cert` against the location's Root store and the system's CAs, with the other
// certificates of its store as intermediates. Returns the chain (without the leaf), or an
// error text.
bool verifyChain(X509* cert, const StoreContents& store, const StoreContents& roots,
                 std::string& chainPem, std::string& problem) {
  std::unique_ptr<X509_STORE, StoreFree> trusted(X509_STORE_new());
  X509_STORE_set_default_paths(trusted.get());
  for (const Found& root : roots.certs) X509_STORE_add_cert(trusted.get(), root.cert.get());
  STACK_OF(X509)* untrusted = sk_X509_new_null();
  for (const Found& other : store.certs) {
    if (other.cert.get() != cert) sk_X509_push(untrusted, other.cert.get());
  }
  std::unique_ptr<X509_STORE_CTX, ContextFree> context(X509_STORE_CTX_new());
  X509_STORE_CTX_init(context.get(), trusted.get(), cert, untrusted);
  const bool ok = X509_verify_cert(context.get()) == 1;
  if (ok) {
    STACK_OF(X509)* built = X509_STORE_CTX_get0_chain(context.get());
    for (int i = 1; i < sk_X509_num(built); ++i) {
      X509* link = sk_X509_value(built, i);
      // The chain sent in the handshake: intermediates, not the self-signed root.
      if (X509_check_issued(link, link) != X509_V_OK) chainPem += pemOf(link);
    }
  } else {
    problem = X509_verify_cert_error_string(X509_STORE_CTX_get_error(context.get()));
  }
  sk_X509_free(untrusted);
  ERR_clear_error();
  return ok;
}

}  // namespace

std::string_view toString(config::CertificateSearchMethod method) noexcept {
  using M = config::CertificateSearchMethod;
  switch (method) {
    case M::kFindBySubjectName:
      return "FindBySubjectName";
    case M::kFindByThumbprint:
      return "FindByThumbprint";
    case M::kFindByIssuerName:
      return "FindByIssuerName";
    case M::kFindBySerialNumber:
      return "FindBySerialNumber";
  }
  return "";
}

std::string_view toString(config::CertificateStoreLocation location) noexcept {
  return location == config::CertificateStoreLocation::kLocalMachine ? "LocalMachine"
                                                                     : "CurrentUser";
}

fs::path storeFolder(const CertificateSearch& search, const CertificateLocations& locations) {
  return (search.storeLocation == config::CertificateStoreLocation::kLocalMachine
              ? locations.localMachine
              : locations.currentUser) /
         search.storeName;
}

ClientCertificate findClientCertificate(const CertificateSearch& search,
                                        const CertificateLocations& locations) {
  const fs::path folder = storeFolder(search, locations);
  const std::string what = std::string(toString(search.method)) + " '" + search.value +
                           "' in the " + std::string(toString(search.storeLocation)) + " store " +
                           search.storeName + " (" + folder.string() + ")";
  if (search.storeName.empty() || search.storeName.find('/') != std::string::npos ||
      search.storeName == "..") {
    throw Error(ErrorCode::kInvalidArgument,
                "certificateStoreName: '" + search.storeName + "' is not a store name");
  }
  std::error_code ignored;
  if (!fs::is_directory(folder, ignored)) {
    throw Error(ErrorCode::kInvalidArgument,
                "client certificate " + what + ": the store does not exist");
  }
  const StoreContents store = readStore(folder, search.passphrase);
  CertificateSearch rootSearch;
  rootSearch.storeName = "Root";
  rootSearch.storeLocation = search.storeLocation;
  const StoreContents roots = readStore(storeFolder(rootSearch, locations), search.passphrase);
  std::vector<const Found*> candidates;
  for (const Found& found : store.certs) {
    if (matches(search, found.cert.get())) candidates.push_back(&found);
  }
  if (candidates.empty()) {
    throw Error(ErrorCode::kInvalidArgument,
                "client certificate " + what + ": no certificate matches");
  }
  // The first match that is valid now, chains to a trusted root and has its key; else the
  // first reason the best candidate fails.
  std::string problem;
  for (const Found* found : candidates) {
    X509* cert = found->cert.get();
    const std::string subject = nameText(X509_get_subject_name(cert));
    if (!timeValid(cert)) {
      if (problem.empty()) {
        const bool early = X509_cmp_current_time(X509_get0_notBefore(cert)) >= 0;
        problem = "'" + subject + "' (" + found->file + ") " +
                  (early ? "is not valid before " + timeText(X509_get0_notBefore(cert))
                         : "expired on " + timeText(X509_get0_notAfter(cert)));
      }
      continue;
    }
    std::string chain;
    std::string why;
    if (!verifyChain(cert, store, roots, chain, why)) {
      if (problem.empty()) {
        problem = "'" + subject + "' (" + found->file +
                  ") does not chain to a trusted root (the Root store or the system's): " + why;
      }
      continue;
    }
    const auto key = std::find_if(store.keys.begin(), store.keys.end(), [cert](const Key& k) {
      const bool fits = X509_check_private_key(cert, k.get()) == 1;
      ERR_clear_error();
      return fits;
    });
    if (key == store.keys.end()) {
      if (problem.empty()) {
        problem = "'" + subject + "' (" + found->file +
                  ") has no private key in the store (or its passphrase is wrong)";
      }
      continue;
    }
    ClientCertificate out;
    out.certificatePem = pemOf(cert) + chain;
    out.privateKeyPem = pemOf(key->get());
    out.subject = subject;
    out.thumbprint = thumbprintOf(cert);
    return out;
  }
  throw Error(ErrorCode::kInvalidArgument, "client certificate " + what + ": " + problem);
}

}  // namespace broker::auth
