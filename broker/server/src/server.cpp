#include "server/server.h"

#include "api.h"
#include "broker/core/log.h"
#include "http_edge.h"

namespace broker::server {

namespace {

std::filesystem::path defaultUiDir() {
#ifdef BROKER_UI_DIR
  if (std::filesystem::is_directory(BROKER_UI_DIR)) return BROKER_UI_DIR;
#endif
  return {};
}

EdgeSettings edgeSettings(const config::BrokerSettings& settings) {
  EdgeSettings edge;
  edge.host = settings.host;
  edge.port = settings.port;
  edge.threads = settings.threads;
  edge.queueSize = settings.queueSize;
  edge.maxConnections = settings.maxConnections;
  edge.maxConnectionsPerClient = settings.maxConnectionsPerClient;
  edge.head.maxBytes = settings.maxHeaderBytes;
  edge.head.maxFields = settings.maxHeaderFields;
  edge.body.timeout = settings.requestBodyTimeout;
  edge.body.minBytesPerSecond = settings.minRequestBodyBytesPerSecond;
  edge.body.maxTrailerBytes = settings.maxHeaderBytes;
  edge.headerTimeout = settings.requestHeaderTimeout;
  edge.keepAliveTimeout = settings.keepAliveTimeout;
  edge.writeTimeout = settings.requestTimeout;
  edge.maxDrainBytes = settings.maxDrainBytes;
  return edge;
}

}  // namespace

struct Server::Impl {
  Impl(const config::BrokerSettings& settings, engine::Registry& registry)
      : settings(settings),
        context{registry,
                settings.adminKeys,
                settings.callerKeys,
                settings.maxBodyBytes,
                CallLimits{settings.maxStreamBytes, settings.maxUpstreamCallBytes,
                           settings.maxFilesPerCall, settings.maxBatchCalls},
                JsonLimits{settings.maxJsonDepth, settings.maxJsonValues},
                settings.uiDir.value_or(defaultUiDir()),
                {}},
        factory(context),
        edge(edgeSettings(settings), factory) {}

  config::BrokerSettings settings;
  ApiContext context;
  ApiHandlerFactory factory;
  HttpEdge edge;
  bool started = false;
};

Server::Server(const config::BrokerSettings& settings, engine::Registry& registry)
    : impl_(std::make_unique<Impl>(settings, registry)) {}

Server::~Server() { stop(); }

void Server::start() {
  impl_->edge.start();
  impl_->started = true;
  if (impl_->context.adminKeys.empty() && impl_->context.callerKeys.empty()) {
    core::log(core::LogLevel::kWarning,
              "no API keys are configured: only loopback clients are accepted");
  }
  if (impl_->context.uiDir.empty()) {
    core::log(core::LogLevel::kWarning, "the config UI's files were not found; /ui/ is off");
  }
}

std::uint16_t Server::port() const { return impl_->edge.port(); }

std::string Server::url() const {
  const std::string& host = impl_->settings.host;
  const bool ipv6 = host.find(':') != std::string::npos;
  return "http://" + (ipv6 ? "[" + host + "]" : host) + ":" + std::to_string(port());
}

void Server::stop() {
  if (!impl_->started) return;
  impl_->started = false;
  impl_->edge.stop();
}

}  // namespace broker::server
