// nginx from Debian as the tests' TLS and authentication front of the demo service, run in a
// folder of its own on 127.0.0.1 with free ports:
//  - mtls: TLS for server name localhost with `ssl_verify_client on` (clients of the test CA);
//    the default server on that port (no or another server name) answers 421
//  - tls: TLS for localhost, no client certificate
//  - oauth: plain HTTP, every request checked by `auth_request` against the OAuth server's
//    introspection
//  - basic: plain HTTP with `auth_basic` for one user
// Authorization is not passed on to the service.
#pragma once

#include <filesystem>
#include <memory>
#include <string>

#include "peer_process.h"
#include "test_pki.h"

namespace broker::testing {

struct NginxSetup {
  std::string upstream;     ///< the demo service's origin, http://127.0.0.1:PORT
  std::string oauthOrigin;  ///< the OAuth server's origin
  Issued serverCertificate;
  std::string clientCaPem;  ///< CAs whose clients the mtls server accepts
  std::string basicUser;
  std::string basicPassword;
};

class NginxPeer {
 public:
  /// Starts nginx and waits (up to 60 s) until every port accepts; throws std::runtime_error
  /// with its log when it does not.
  explicit NginxPeer(const NginxSetup& setup);
  ~NginxPeer();
  NginxPeer(const NginxPeer&) = delete;
  NginxPeer& operator=(const NginxPeer&) = delete;

  /// "https://localhost:PORT", …
  std::string mtls() const { return "https://localhost:" + std::to_string(mtlsPort_); }
  std::string mtlsByAddress() const { return "https://127.0.0.1:" + std::to_string(mtlsPort_); }
  std::string tls() const { return "https://localhost:" + std::to_string(tlsPort_); }
  std::string oauth() const { return "http://127.0.0.1:" + std::to_string(oauthPort_); }
  std::string basic() const { return "http://127.0.0.1:" + std::to_string(basicPort_); }
  std::string errorLog() const;

 private:
  std::filesystem::path dir_;
  std::unique_ptr<PeerProcess> process_;
  int mtlsPort_ = 0;
  int tlsPort_ = 0;
  int oauthPort_ = 0;
  int basicPort_ = 0;
};

}  // namespace broker::testing
