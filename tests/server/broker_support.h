// Helpers for server tests: an in-process broker (registry on a temporary data dir, server on
// 127.0.0.1 with a free port), HTTP requests to it, and a TCP listener that never answers.
#pragma once

#include <Poco/JSON/Object.h>

#include <filesystem>
#include <map>
#include <memory>
#include <string>
#include <thread>

#include "broker/engine/registry.h"
#include "config/settings.h"
#include "server/server.h"

namespace broker::testing {

struct Reply {
  int status = 0;
  std::string body;
  std::map<std::string, std::string> headers;  ///< lower-case names
  /// The body as a JSON object (fails the test and returns null when it is not one).
  Poco::JSON::Object::Ptr json() const;
};

using Headers = std::map<std::string, std::string>;

/// One HTTP request to `baseUrl` + `path`.
Reply httpRequest(const std::string& baseUrl, const std::string& method, const std::string& path,
                  const std::string& body = {}, const Headers& headers = {});

/// A fresh temporary folder, removed by the destructor.
class TempDir {
 public:
  TempDir();
  ~TempDir();
  const std::filesystem::path& path() const { return path_; }

 private:
  std::filesystem::path path_;
};

class BrokerUnderTest {
 public:
  /// Starts a broker with `settings` (host, port and data dir are set by the fixture unless
  /// given) on a temporary data dir.
  explicit BrokerUnderTest(config::BrokerSettings settings = {});
  ~BrokerUnderTest();

  const std::string& url() const { return url_; }
  engine::Registry& registry() { return *registry_; }
  Reply request(const std::string& method, const std::string& path, const std::string& body = {},
                const Headers& headers = {}) const {
    return httpRequest(url_, method, path, body, headers);
  }
  /// POST /api/v1/instances for a service at `serviceUrl` with extra service keys (JSON members).
  Reply registerInstance(const std::string& name, const std::string& serviceUrl,
                         const std::string& extraKeys = {}, const Headers& headers = {}) const;

 private:
  TempDir dir_;
  std::unique_ptr<engine::Registry> registry_;
  std::unique_ptr<server::Server> server_;
  std::string url_;
};

/// Accepts connections on 127.0.0.1 and never answers: an upstream that times out.
class SilentListener {
 public:
  SilentListener();
  ~SilentListener();
  std::string url() const { return "http://127.0.0.1:" + std::to_string(port_) + "/"; }

 private:
  int socket_ = -1;
  int port_ = 0;
};

}  // namespace broker::testing
