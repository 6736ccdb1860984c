// Test peers, each started on 127.0.0.1 with a free port for a test and stopped afterwards:
// the demo CAP service (samples/demo-service), which serves OData V4 at /odata/v4/demo and V2
// at /odata/v2/demo from one process, and the links service.
#pragma once

#include <string>
#include <vector>

#include "peer_process.h"

namespace broker::testing {

struct PeerOptions {
  std::string features;  ///< PEER_FEATURES of tests/peers/middleware.js: "log,tunnel,csrf"
  int productCount = 0;  ///< DEMO_PRODUCT_COUNT: generated products up to this many
};

class DemoPeer {
 public:
  /// Starts the service and waits (up to 60 s) until it listens; throws std::runtime_error
  /// naming the reason (dependencies not installed, process exited, no answer).
  explicit DemoPeer(const PeerOptions& options = {});

  /// "http://127.0.0.1:PORT"
  const std::string& origin() const { return process_.origin(); }
  std::string v4() const { return origin() + "/odata/v4/demo/"; }
  std::string v2() const { return origin() + "/odata/v2/demo/"; }
  /// The peer's log (stdout and stderr), for failure messages.
  std::string log() const { return process_.log(); }

 private:
  PeerProcess process_;
};

/// The links service (tests/peers/links-service): OData V4 on @sap/odata-server, Departments
/// and Employees with a 1:M and an M:M navigation. It logs requests like the demo service
/// (peerRequests).
class LinksPeer {
 public:
  LinksPeer();
  const std::string& origin() const { return process_.origin(); }
  std::string url() const { return origin() + "/links/"; }
  std::string log() const { return process_.log(); }

 private:
  PeerProcess process_;
};

}  // namespace broker::testing

namespace broker::testing {

/// tests/peers/capture-server.js: answers $metadata with `metadataFile` and records every
/// other request (peerRequests), answering 204. The service root is origin() + "/svc/".
class CapturePeer {
 public:
  /// `keepAliveMs`: how long the server keeps an idle connection open; 0: Node's default.
  explicit CapturePeer(const std::filesystem::path& metadataFile, int keepAliveMs = 0);
  const std::string& origin() const { return process_.origin(); }
  std::string url() const { return origin() + "/svc/"; }

 private:
  PeerProcess process_;
};

}  // namespace broker::testing

namespace broker::testing {

/// tests/peers/oauth-server: an OAuth 2.0 authorization server (@node-oauth/oauth2-server)
/// with one client "broker" whose secret is `clientSecret`, tokens living `tokenLifetime`
/// seconds. origin() + "/token" is its token endpoint, "/introspect" checks a bearer token.
class OAuthPeer {
 public:
  OAuthPeer(const std::string& clientSecret, int tokenLifetime);
  const std::string& origin() const { return process_.origin(); }
  std::string tokenUrl() const { return origin() + "/token"; }

 private:
  PeerProcess process_;
};

/// tests/peers/hostile-service.js: a V4 service under /svc/ and misbehaving roots beside it
/// (/same/, /cross/, /huge/, /bomb/, /metabomb/, /hang/; see the script).
class HostilePeer {
 public:
  HostilePeer();
  const std::string& origin() const { return process_.origin(); }

 private:
  PeerProcess process_;
};

}  // namespace broker::testing
