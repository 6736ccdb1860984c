#include "tls_context.h"

#include <Poco/Net/RejectCertificateHandler.h>
#include <Poco/Net/SSLException.h>
#include <Poco/Net/SSLManager.h>
#include <openssl/pem.h>
#include <openssl/ssl.h>

#include <fstream>
#include <memory>
#include <mutex>

#include "broker/core/error.h"

namespace broker::odata {

namespace {

using core::Error;
using core::ErrorCode;

// POCO asks a process-wide handler what to do with a certificate that fails verification;
// without one it would look for an application configuration. Ours always refuses.
void initializeOnce() {
  static std::once_flag once;
  std::call_once(once, [] {
    Poco::Net::initializeSSL();
    Poco::Net::SSLManager::instance().initializeClient(
        nullptr, new Poco::Net::RejectCertificateHandler(false), nullptr);
  });
}

struct BioDeleter {
  void operator()(BIO* bio) const { BIO_free(bio); }
};

std::unique_ptr<BIO, BioDeleter> memoryBio(const std::string& pem) {
  return std::unique_ptr<BIO, BioDeleter>(
      BIO_new_mem_buf(pem.data(), static_cast<int>(pem.size())));
}

// The certificate, the rest of its chain, and its key, from PEM text.
void useClientCertificate(SSL_CTX* context, const TransportOptions& options) {
  const auto certificates = memoryBio(options.clientCertificatePem);
  X509* leaf = PEM_read_bio_X509(certificates.get(), nullptr, nullptr, nullptr);
  if (leaf == nullptr || SSL_CTX_use_certificate(context, leaf) != 1) {
    X509_free(leaf);
    throw Error(ErrorCode::kInvalidArgument, "the client certificate is not a PEM certificate");
  }
  X509_free(leaf);
  while (X509* chain = PEM_read_bio_X509(certificates.get(), nullptr, nullptr, nullptr)) {
    if (SSL_CTX_add_extra_chain_cert(context, chain) != 1) X509_free(chain);  // else owned
  }
  const auto keyBio = memoryBio(options.clientKeyPem);
  EVP_PKEY* key = PEM_read_bio_PrivateKey(keyBio.get(), nullptr, nullptr, nullptr);
  const bool used = key != nullptr && SSL_CTX_use_PrivateKey(context, key) == 1;
  EVP_PKEY_free(key);
  if (!used || SSL_CTX_check_private_key(context) != 1) {
    throw Error(ErrorCode::kInvalidArgument,
                "the client certificate's private key cannot be read or does not match it");
  }
}

}  // namespace

Poco::Net::Context::Ptr makeTlsContext(const TransportOptions& options) {
  initializeOnce();
  if (!options.caBundlePath.empty() && !std::ifstream(options.caBundlePath)) {
    throw Error(ErrorCode::kInvalidArgument,
                "auth.caBundleFile: cannot read '" + options.caBundlePath + "'");
  }
  Poco::Net::Context::Params params;
  params.verificationMode =
      options.verifyTls ? Poco::Net::Context::VERIFY_STRICT : Poco::Net::Context::VERIFY_NONE;
  params.loadDefaultCAs = true;
  params.caLocation = options.caBundlePath;
  params.cipherList = "HIGH:!aNULL:!eNULL:!MD5:!RC4:!3DES";
  Poco::Net::Context::Ptr context;
  try {
    context = new Poco::Net::Context(Poco::Net::Context::TLS_CLIENT_USE, params);
  } catch (const Poco::Exception& e) {
    throw Error(ErrorCode::kInvalidArgument,
                "auth.caBundleFile: '" + options.caBundlePath + "': " + e.displayText());
  }
  context->requireMinimumProtocol(Poco::Net::Context::PROTO_TLSV1_2);
  context->enableExtendedCertificateVerification(options.verifyTls);
  if (!options.clientCertificatePem.empty()) useClientCertificate(context->sslContext(), options);
  return context;
}

}  // namespace broker::odata
