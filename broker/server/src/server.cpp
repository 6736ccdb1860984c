#include "server/server.h"

#include <Poco/Net/HTTPServer.h>
#include <Poco/Net/HTTPServerParams.h>
#include <Poco/Net/NetException.h>
#include <Poco/Net/ServerSocket.h>
#include <Poco/ThreadPool.h>

#include "api.h"
#include "broker/core/error.h"
#include "broker/core/log.h"

namespace broker::server {

namespace {

std::filesystem::path defaultUiDir() {
#ifdef BROKER_UI_DIR
  if (std::filesystem::is_directory(BROKER_UI_DIR)) return BROKER_UI_DIR;
#endif
  return {};
}

}  // namespace

struct Server::Impl {
  Impl(const config::BrokerSettings& settings, engine::Registry& registry)
      : settings(settings),
        context{registry,
                settings.adminKeys,
                settings.callerKeys,
                settings.maxBodyBytes,
                settings.maxStreamBytes,
                settings.uiDir.value_or(defaultUiDir()),
                {}},
        pool(1, settings.threads, 60) {}

  config::BrokerSettings settings;
  ApiContext context;
  Poco::ThreadPool pool;
  std::unique_ptr<Poco::Net::HTTPServer> http;
  std::uint16_t port = 0;
};

Server::Server(const config::BrokerSettings& settings, engine::Registry& registry)
    : impl_(std::make_unique<Impl>(settings, registry)) {}

Server::~Server() { stop(); }

void Server::start() {
  const config::BrokerSettings& settings = impl_->settings;
  Poco::Net::ServerSocket socket;
  try {
    socket.bind(Poco::Net::SocketAddress(settings.host, static_cast<std::uint16_t>(settings.port)),
                true);
    socket.listen(settings.queueSize);
  } catch (const Poco::Exception& e) {
    throw core::Error(core::ErrorCode::kInvalidArgument, "cannot listen on " + settings.host + ":" +
                                                             std::to_string(settings.port) + ": " +
                                                             e.displayText());
  }
  impl_->port = socket.address().port();
  auto* params = new Poco::Net::HTTPServerParams;
  params->setMaxThreads(settings.threads);
  params->setMaxQueued(settings.queueSize);
  params->setTimeout(Poco::Timespan(settings.requestTimeout.count(), 0));
  params->setKeepAlive(true);
  params->setKeepAliveTimeout(Poco::Timespan(10, 0));
  params->setServerName("odata-broker");
  impl_->http = std::make_unique<Poco::Net::HTTPServer>(new ApiHandlerFactory(impl_->context),
                                                        impl_->pool, socket, params);
  impl_->http->start();
  if (impl_->context.adminKeys.empty() && impl_->context.callerKeys.empty()) {
    core::log(core::LogLevel::kWarning,
              "no API keys are configured: only loopback clients are accepted");
  }
  if (impl_->context.uiDir.empty()) {
    core::log(core::LogLevel::kWarning, "the config UI's files were not found; /ui/ is off");
  }
}

std::uint16_t Server::port() const { return impl_->port; }

std::string Server::url() const {
  const std::string& host = impl_->settings.host;
  const bool ipv6 = host.find(':') != std::string::npos;
  return "http://" + (ipv6 ? "[" + host + "]" : host) + ":" + std::to_string(impl_->port);
}

void Server::stop() {
  if (!impl_->http) return;
  // Stop accepting, let the requests in flight complete, then wait for their threads.
  impl_->http->stopAll(false);
  impl_->pool.joinAll();
  impl_->http.reset();
}

}  // namespace broker::server
