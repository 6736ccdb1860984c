#include "test_pki.h"

#include <openssl/bio.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/pkcs12.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>

#include <fstream>
#include <memory>
#include <stdexcept>

namespace broker::testing {
namespace {

struct Free {
  void operator()(X509* x) const { X509_free(x); }
  void operator()(EVP_PKEY* k) const { EVP_PKEY_free(k); }
  void operator()(BIO* b) const { BIO_free(b); }
  void operator()(PKCS12* p) const { PKCS12_free(p); }
};

std::string bioText(BIO* bio) {
  char* data = nullptr;
  const long size = BIO_get_mem_data(bio, &data);
  return std::string(data, static_cast<std::size_t>(size));
}

std::unique_ptr<X509, Free> readCert(const std::string& pem) {
  std::unique_ptr<BIO, Free> bio(BIO_new_mem_buf(pem.data(), static_cast<int>(pem.size())));
  return std::unique_ptr<X509, Free>(PEM_read_bio_X509(bio.get(), nullptr, nullptr, nullptr));
}

std::unique_ptr<EVP_PKEY, Free> readKey(const std::string& pem) {
  std::unique_ptr<BIO, Free> bio(BIO_new_mem_buf(pem.data(), static_cast<int>(pem.size())));
  return std::unique_ptr<EVP_PKEY, Free>(
      PEM_read_bio_PrivateKey(bio.get(), nullptr, nullptr, nullptr));
}

void extend(X509* cert, X509* issuer, int nid, const char* value) {
  X509V3_CTX context;
  X509V3_set_ctx_nodb(&context);
  X509V3_set_ctx(&context, issuer, cert, nullptr, nullptr, 0);
  X509_EXTENSION* extension = X509V3_EXT_conf_nid(nullptr, &context, nid, value);
  if (extension == nullptr) throw std::runtime_error("cannot make a certificate extension");
  X509_add_ext(cert, extension, -1);
  X509_EXTENSION_free(extension);
}

}  // namespace

Issued issueCertificate(const CertificateSpec& spec, const Issued* issuer) {
  std::unique_ptr<EVP_PKEY, Free> key(EVP_EC_gen("P-256"));
  std::unique_ptr<X509, Free> cert(X509_new());
  X509_set_version(cert.get(), 2);
  ASN1_INTEGER_set_uint64(X509_get_serialNumber(cert.get()), spec.serial);
  X509_gmtime_adj(X509_getm_notBefore(cert.get()), spec.validFromSeconds);
  X509_gmtime_adj(X509_getm_notAfter(cert.get()), spec.validToSeconds);
  X509_NAME* name = X509_get_subject_name(cert.get());
  const auto add = [name](const char* field, const std::string& value) {
    if (value.empty()) return;
    X509_NAME_add_entry_by_txt(name, field, MBSTRING_UTF8,
                               reinterpret_cast<const unsigned char*>(value.c_str()), -1, -1, 0);
  };
  add("O", spec.organization);
  add("CN", spec.commonName);
  X509_set_pubkey(cert.get(), key.get());
  std::unique_ptr<X509, Free> issuerCert = issuer ? readCert(issuer->certificatePem) : nullptr;
  std::unique_ptr<EVP_PKEY, Free> issuerKey = issuer ? readKey(issuer->keyPem) : nullptr;
  X509* signer = issuerCert ? issuerCert.get() : cert.get();
  X509_set_issuer_name(cert.get(), X509_get_subject_name(signer));
  using Kind = CertificateSpec::Kind;
  if (spec.kind == Kind::kAuthority) {
    extend(cert.get(), signer, NID_basic_constraints, "critical,CA:TRUE");
    extend(cert.get(), signer, NID_key_usage, "critical,keyCertSign,cRLSign");
  } else {
    extend(cert.get(), signer, NID_basic_constraints, "CA:FALSE");
    extend(cert.get(), signer, NID_key_usage, "critical,digitalSignature,keyEncipherment");
    extend(cert.get(), signer, NID_ext_key_usage,
           spec.kind == Kind::kServer ? "serverAuth" : "clientAuth");
    if (spec.kind == Kind::kServer) {
      extend(cert.get(), signer, NID_subject_alt_name, "DNS:localhost,IP:127.0.0.1");
    }
  }
  extend(cert.get(), signer, NID_subject_key_identifier, "hash");
  if (X509_sign(cert.get(), issuerKey ? issuerKey.get() : key.get(), EVP_sha256()) == 0) {
    throw std::runtime_error("cannot sign a test certificate");
  }
  Issued out;
  std::unique_ptr<BIO, Free> certBio(BIO_new(BIO_s_mem()));
  PEM_write_bio_X509(certBio.get(), cert.get());
  out.certificatePem = bioText(certBio.get());
  std::unique_ptr<BIO, Free> keyBio(BIO_new(BIO_s_mem()));
  PEM_write_bio_PrivateKey(keyBio.get(), key.get(), nullptr, nullptr, 0, nullptr, nullptr);
  out.keyPem = bioText(keyBio.get());
  std::unique_ptr<BIO, Free> nameBio(BIO_new(BIO_s_mem()));
  X509_NAME_print_ex(nameBio.get(), name, 0, XN_FLAG_RFC2253);
  out.subject = bioText(nameBio.get());
  unsigned char digest[EVP_MAX_MD_SIZE];
  unsigned int size = 0;
  X509_digest(cert.get(), EVP_sha1(), digest, &size);
  static constexpr char kHex[] = "0123456789ABCDEF";
  for (unsigned int i = 0; i < size; ++i) {
    out.thumbprint += kHex[digest[i] >> 4];
    out.thumbprint += kHex[digest[i] & 15];
  }
  BIGNUM* serial = ASN1_INTEGER_to_BN(X509_get_serialNumber(cert.get()), nullptr);
  char* hex = BN_bn2hex(serial);
  out.serialHex = hex;
  OPENSSL_free(hex);
  BN_free(serial);
  return out;
}

void writePem(const std::filesystem::path& file, const Issued& issued, bool withKey) {
  std::filesystem::create_directories(file.parent_path());
  std::ofstream(file) << issued.certificatePem << (withKey ? issued.keyPem : "");
}

void writePkcs12(const std::filesystem::path& file, const Issued& issued,
                 const std::string& passphrase) {
  auto cert = readCert(issued.certificatePem);
  auto key = readKey(issued.keyPem);
  std::unique_ptr<PKCS12, Free> p12(
      PKCS12_create(passphrase.c_str(), "client", key.get(), cert.get(), nullptr, 0, 0, 0, 0, 0));
  if (!p12) throw std::runtime_error("cannot make a PKCS#12 file");
  std::unique_ptr<BIO, Free> bio(BIO_new(BIO_s_mem()));
  i2d_PKCS12_bio(bio.get(), p12.get());
  std::filesystem::create_directories(file.parent_path());
  std::ofstream(file, std::ios::binary) << bioText(bio.get());
}

}  // namespace broker::testing
