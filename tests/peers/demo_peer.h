// Starts the demo CAP service (samples/demo-service) on 127.0.0.1 with a free port for a
// test, and stops it afterwards. The service serves OData V4 at /odata/v4/demo and V2 at
// /odata/v2/demo from one process.
#pragma once

#include <sys/types.h>

#include <string>
#include <vector>

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
  ~DemoPeer();
  DemoPeer(const DemoPeer&) = delete;
  DemoPeer& operator=(const DemoPeer&) = delete;

  /// "http://127.0.0.1:PORT"
  const std::string& origin() const { return origin_; }
  std::string v4() const { return origin_ + "/odata/v4/demo/"; }
  std::string v2() const { return origin_ + "/odata/v2/demo/"; }
  /// The peer's log (stdout and stderr), for failure messages.
  std::string log() const;

 private:
  void stop();

  pid_t pid_ = -1;
  std::string origin_;
  std::string workDir_;
};

}  // namespace broker::testing
