#include "broker_support.h"

#include <Poco/JSON/Parser.h>
#include <Poco/Net/HTTPClientSession.h>
#include <Poco/Net/HTTPRequest.h>
#include <Poco/Net/HTTPResponse.h>
#include <Poco/StreamCopier.h>
#include <Poco/URI.h>
#include <arpa/inet.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <atomic>

#include "auth/secret_box.h"
#include "config/store.h"

namespace broker::testing {

Poco::JSON::Object::Ptr Reply::json() const {
  try {
    Poco::JSON::Parser parser;
    return parser.parse(body).extract<Poco::JSON::Object::Ptr>();
  } catch (const std::exception&) {
    ADD_FAILURE() << "not a JSON object: " << body;
    return {};
  }
}

Reply httpRequest(const std::string& baseUrl, const std::string& method, const std::string& path,
                  const std::string& body, const Headers& headers) {
  const Poco::URI uri(baseUrl);
  Poco::Net::HTTPClientSession session(uri.getHost(), uri.getPort());
  session.setTimeout(Poco::Timespan(120, 0));
  Poco::Net::HTTPRequest request(method, path, Poco::Net::HTTPMessage::HTTP_1_1);
  for (const auto& [name, value] : headers) request.set(name, value);
  if ((!body.empty() || method == "POST" || method == "PUT") && !request.has("Content-Length")) {
    if (!request.has("Content-Type")) request.setContentType("application/json");
    request.setContentLength(static_cast<std::streamsize>(body.size()));
  }
  session.sendRequest(request) << body;
  Poco::Net::HTTPResponse response;
  std::istream& in = session.receiveResponse(response);
  Reply reply;
  reply.status = static_cast<int>(response.getStatus());
  Poco::StreamCopier::copyToString(in, reply.body);
  for (const auto& [name, value] : response) {
    std::string lower = name;
    for (char& c : lower) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    reply.headers[lower] = value;
  }
  return reply;
}

TempDir::TempDir() {
  static std::atomic<int> counter{0};
  path_ = std::filesystem::temp_directory_path() /
          ("odata-broker-test-" + std::to_string(::getpid()) + "-" + std::to_string(counter++));
  std::filesystem::remove_all(path_);
  std::filesystem::create_directories(path_);
}

TempDir::~TempDir() {
  std::error_code ignored;
  std::filesystem::remove_all(path_, ignored);
}

BrokerUnderTest::BrokerUnderTest(config::BrokerSettings settings) {
  settings.port = 0;
  if (settings.dataDir == config::BrokerSettings{}.dataDir) settings.dataDir = dir_.path();
  registry_ = engine::openRegistry(settings);
  server_ = std::make_unique<server::Server>(settings, *registry_);
  server_->start();
  url_ = "http://127.0.0.1:" + std::to_string(server_->port());
}

BrokerUnderTest::~BrokerUnderTest() { server_->stop(); }

Reply BrokerUnderTest::registerInstance(const std::string& name, const std::string& serviceUrl,
                                        const std::string& extraKeys,
                                        const Headers& headers) const {
  const std::string body = R"({"name": ")" + name + R"(", "serviceKeys": {"serviceUrl": ")" +
                           serviceUrl + "\"" + (extraKeys.empty() ? "" : ", " + extraKeys) + "}}";
  return request("POST", "/api/v1/instances", body, headers);
}

SilentListener::SilentListener() {
  socket_ = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  socklen_t length = sizeof address;
  if (::bind(socket_, reinterpret_cast<sockaddr*>(&address), sizeof address) != 0 ||
      ::listen(socket_, 16) != 0 ||
      ::getsockname(socket_, reinterpret_cast<sockaddr*>(&address), &length) != 0) {
    throw std::runtime_error("SilentListener: cannot listen");
  }
  port_ = ntohs(address.sin_port);
}

SilentListener::~SilentListener() { ::close(socket_); }

}  // namespace broker::testing
