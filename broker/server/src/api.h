// The request handler of the broker's HTTP server: routing of /api/v1, /metrics and /ui/,
// API-key roles, one log line and the metrics of every method call.
#pragma once

#include <Poco/Net/HTTPRequestHandlerFactory.h>

#include <filesystem>
#include <string>
#include <vector>

#include "broker/engine/registry.h"
#include "config/settings.h"
#include "exchange.h"
#include "execute.h"
#include "metrics.h"

namespace broker::server {

enum class Role { kNone, kCaller, kAdmin };

struct ApiContext {
  engine::Registry& registry;
  std::vector<std::string> adminKeys;
  std::vector<std::string> callerKeys;
  std::size_t maxBodyBytes = 0;
  CallLimits callLimits;
  JsonLimits jsonLimits;
  std::filesystem::path uiDir;  ///< empty: no UI
  Metrics metrics;
};

class ApiHandlerFactory final : public Poco::Net::HTTPRequestHandlerFactory {
 public:
  explicit ApiHandlerFactory(ApiContext& context) : context_(context) {}
  Poco::Net::HTTPRequestHandler* createRequestHandler(
      const Poco::Net::HTTPServerRequest& request) override;

 private:
  ApiContext& context_;
};

}  // namespace broker::server
