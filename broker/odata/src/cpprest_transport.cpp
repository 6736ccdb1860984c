// The HTTP transport on cpprestsdk. One http_client per scheme://authority, shared by every
// thread (cpprestsdk clients are thread-safe and keep connections alive between requests).
//
// Servers close kept-alive connections that stay idle (Node and Apache after 5 s, gunicorn
// after 2 s), and a request sent on one they have closed fails: a large write fails mid-body,
// which cpprestsdk does not retry. Its pool hands out the connection released last and has no
// idle limit of its own, so once an origin has been idle for kIdleReuseLimit its next request
// starts on a fresh client, whose connections are new. Requests still running on the old one
// keep it alive until they end.
#include <cpprest/containerstream.h>
#include <cpprest/filestream.h>
#include <cpprest/http_client.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <map>
#include <mutex>
#include <system_error>

#include "broker/core/error.h"
#include "broker/core/text.h"
#include "broker/odata/http.h"

namespace broker::odata {
namespace {

using web::http::client::http_client;
using web::http::client::http_client_config;
using Clock = std::chrono::steady_clock;

constexpr auto kIdleReuseLimit = std::chrono::seconds(1);

class CppRestTransport final : public HttpTransport {
 public:
  explicit CppRestTransport(TransportOptions options) : options_(std::move(options)) {}

  HttpResponse send(const HttpRequest& request) override {
    const std::size_t scheme = request.url.find("://");
    if (scheme == std::string::npos || scheme == 0) {
      throw TransportError(TransportError::Kind::kBadUrl,
                           "'" + request.url + "' is not an absolute http(s) URL");
    }
    const std::size_t pathStart = request.url.find_first_of("/?", scheme + 3);
    const std::string origin = request.url.substr(0, pathStart);
    const std::string target = pathStart == std::string::npos ? "/" : request.url.substr(pathStart);

    web::http::http_request message(request.method);
    std::string contentType;
    for (const Header& h : request.headers) {
      if (core::equalsIgnoreCase(h.name, "Content-Type")) {
        contentType = h.value;
      } else {
        message.headers().add(h.name, h.value);
      }
    }
    try {
      message.set_request_uri(web::uri(target));
      if (!request.bodyFile.empty()) {
        // Streamed in chunks from the file: memory stays bounded by the client's buffer.
        const auto size = std::filesystem::file_size(request.bodyFile);
        auto in =
            concurrency::streams::file_stream<std::uint8_t>::open_istream(request.bodyFile).get();
        message.set_body(in, size, contentType.empty() ? "application/octet-stream" : contentType);
      } else if (!request.body.empty() || !contentType.empty()) {
        message.set_body(request.body, contentType.empty() ? "application/json" : contentType);
      }
      concurrency::streams::ostream file;
      if (!request.responseFile.empty()) {
        file = concurrency::streams::file_stream<std::uint8_t>::open_ostream(
                   request.responseFile, std::ios::out | std::ios::binary | std::ios::trunc)
                   .get();
        message.set_response_stream(file);
      }
      const std::shared_ptr<http_client> client = clientFor(origin);
      web::http::http_response response = client->request(message).get();
      HttpResponse out;
      out.status = response.status_code();
      for (const auto& [name, value] : response.headers()) out.headers.push_back({name, value});
      if (file.is_valid()) {
        response.content_ready().get();
        file.close().get();
      } else {
        concurrency::streams::container_buffer<std::string> body;
        response.body().read_to_end(body).get();
        out.body = std::move(body.collection());
      }
      released(origin, client);
      return out;
    } catch (const std::filesystem::filesystem_error& e) {
      throw TransportError(TransportError::Kind::kConnection,
                           request.method + " " + request.url + ": " + e.what());
    } catch (const web::uri_exception& e) {
      throw TransportError(TransportError::Kind::kBadUrl,
                           "'" + request.url + "' is not a valid URL: " + e.what());
    } catch (const web::http::http_exception& e) {
      const std::error_code code = e.error_code();
      if (code == std::errc::timed_out || code == std::errc::operation_canceled) {
        throw TransportError(TransportError::Kind::kTimeout,
                             request.method + " " + request.url + " timed out after " +
                                 std::to_string(options_.timeout.count()) + " s");
      }
      const std::string what = e.what();
      const bool tls = what.find("handshake") != std::string::npos ||
                       what.find("certificate") != std::string::npos ||
                       what.find("SSL") != std::string::npos;
      throw TransportError(tls ? TransportError::Kind::kTls : TransportError::Kind::kConnection,
                           request.method + " " + request.url + ": " + what);
    }
  }

 private:
  struct Origin {
    std::shared_ptr<http_client> client;
    Clock::time_point lastReleased;  // when a request last gave its connection back
  };

  std::shared_ptr<http_client> clientFor(const std::string& origin) {
    std::lock_guard lock(mutex_);
    Origin& entry = clients_[origin];
    const Clock::time_point now = Clock::now();
    if (entry.client == nullptr || now - entry.lastReleased > kIdleReuseLimit) {
      entry.client = makeClient(origin);
      entry.lastReleased = now;  // a new client has no idle connection to distrust
    }
    return entry.client;
  }

  void released(const std::string& origin, const std::shared_ptr<http_client>& client) {
    std::lock_guard lock(mutex_);
    Origin& entry = clients_[origin];
    if (entry.client == client) entry.lastReleased = Clock::now();
  }

  std::shared_ptr<http_client> makeClient(const std::string& origin) const {
    http_client_config config;
    config.set_timeout(options_.timeout);
    config.set_validate_certificates(options_.verifyTls);
    config.set_request_compressed_response(true);
    if (!options_.caBundlePath.empty() || !options_.clientCertificatePem.empty()) {
      config.set_ssl_context_callback([options = options_](boost::asio::ssl::context& context) {
        if (!options.caBundlePath.empty()) context.load_verify_file(options.caBundlePath);
        if (!options.clientCertificatePem.empty()) {
          context.use_certificate_chain(boost::asio::buffer(options.clientCertificatePem));
          context.use_private_key(boost::asio::buffer(options.clientKeyPem),
                                  boost::asio::ssl::context::pem);
        }
      });
    }
    return std::make_shared<http_client>(web::uri(origin), config);
  }

  TransportOptions options_;
  std::mutex mutex_;
  std::map<std::string, Origin> clients_;
};

}  // namespace

std::shared_ptr<HttpTransport> makeHttpTransport(const TransportOptions& options) {
  if (!options.caBundlePath.empty()) {
    std::ifstream bundle(options.caBundlePath);
    if (!bundle) {
      throw core::Error(core::ErrorCode::kInvalidArgument,
                        "auth.caBundleFile: cannot read '" + options.caBundlePath + "'");
    }
  }
  return std::make_shared<CppRestTransport>(options);
}

}  // namespace broker::odata
