// The HTTP seam between the broker and an OData service. The transport sends one request and
// returns the whole response; decorators (authentication, recording in tests) wrap it. No
// third-party type appears here: the POCO transport lives in src/.
#pragma once

#include <chrono>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "config/proxy.h"

namespace broker::odata {

struct Header {
  std::string name;
  std::string value;
};

/// The value of the first header named `name` (case-insensitive), if any.
std::optional<std::string_view> findHeader(const std::vector<Header>& headers,
                                           std::string_view name) noexcept;

struct HttpRequest {
  std::string method = "GET";
  std::string url;  ///< absolute, already percent-encoded
  std::vector<Header> headers;
  std::string body;
  /// When set, the body is this file's content, streamed from disk (media uploads).
  std::string bodyFile{};
  /// When set, the response body is streamed into this file (created or truncated) instead of
  /// `HttpResponse::body`, whatever the status (media downloads).
  std::string responseFile{};
  /// The broker's caller's own Authorization, for the auth modes that forward it; never sent
  /// as it is (the authenticating transport decides) and never logged.
  std::string callerAuthorization{};
};

struct HttpResponse {
  int status = 0;
  std::vector<Header> headers;
  std::string body;  ///< decompressed; empty when it went to HttpRequest::responseFile
  /// Answered through a forward proxy (plain http): a 401 may be the proxy's refusal of its
  /// credentials (tinyproxy answers so) rather than the service's.
  bool viaProxy = false;

  std::optional<std::string_view> header(std::string_view name) const noexcept {
    return findHeader(headers, name);
  }
};

/// Why a request got no response at all.
class TransportError : public std::exception {
 public:
  /// kRedirect: a redirect the transport would not follow (another origin, a write, too
  /// many); kTooLarge: the answer passed a limit of TransportOptions.
  /// kProxy: the proxy refused the request or the tunnel (a 407, a CONNECT it would not open).
  enum class Kind { kConnection, kTimeout, kTls, kBadUrl, kRedirect, kTooLarge, kProxy };
  TransportError(Kind kind, std::string message) : kind_(kind), message_(std::move(message)) {}
  Kind kind() const noexcept { return kind_; }
  const char* what() const noexcept override { return message_.c_str(); }

 private:
  Kind kind_;
  std::string message_;
};

/// One request a transport sent and what came back, as request inspection shows it: secrets
/// masked, bodies cut at kInspectedBodyBytes.
struct InspectedRequest {
  std::string method;
  std::string url;
  std::vector<Header> headers;
  std::string body;
  std::uint64_t bodyBytes = 0;
  int status = 0;  ///< 0: no response (see error)
  std::vector<Header> responseHeaders;
  std::string responseBody;
  std::uint64_t responseBytes = 0;
  double milliseconds = 0;
  std::string error;
};

inline constexpr std::size_t kInspectedBodyBytes = 64 * 1024;

/// While one lives, the requests the transports send on its thread are recorded in it (the
/// inspection of one call); scopes nest, the innermost records.
class RequestInspection {
 public:
  RequestInspection();
  ~RequestInspection();
  RequestInspection(const RequestInspection&) = delete;
  RequestInspection& operator=(const RequestInspection&) = delete;

  const std::vector<InspectedRequest>& requests() const noexcept { return requests_; }

  /// Called by the transport after each request (`response` null when none came).
  static void record(const HttpRequest& request, const HttpResponse* response,
                     std::string_view error, double milliseconds);

 private:
  std::vector<InspectedRequest> requests_;
  RequestInspection* outer_;
};

class HttpTransport {
 public:
  virtual ~HttpTransport() = default;
  /// Sends `request` and waits for the whole response. Throws TransportError when no response
  /// came (connection refused or reset, timeout, TLS failure, a URL it cannot send to).
  /// Thread-safe.
  virtual HttpResponse send(const HttpRequest& request) = 0;
};

struct TransportOptions {
  std::chrono::seconds timeout{100};  ///< for a whole exchange, redirects included
  /// Bytes of one answer's body, after inflation (a page of rows, a $metadata document);
  /// stopped while reading.
  std::uint64_t maxResponseBytes = std::uint64_t{64} << 20;
  /// Bytes of a body streamed to HttpRequest::responseFile (a media download).
  std::uint64_t maxDownloadBytes = std::uint64_t{4} << 30;
  /// Inflated ÷ received bytes of a gzip or deflate body, checked past the first MiB.
  std::uint64_t maxInflationRatio = 100;
  bool verifyTls = true;
  std::string caBundlePath;          ///< PEM bundle to trust besides the system's CAs; empty: none
  std::string clientCertificatePem;  ///< presented in TLS handshakes: the certificate, its chain
  std::string clientKeyPem;          ///< and its private key
  /// Forward proxies: an http:// origin's requests go through `proxy.http`, an https://
  /// origin's through `proxy.https` by CONNECT, unless `proxy.noProxy` lists the host.
  config::ProxySettings proxy;
};

/// An HTTP/1.1 transport on POCO's client: kept-alive sessions pooled per scheme://host:port,
/// gzip and deflate accepted, TLS verified (with SNI and host name checks) unless told
/// otherwise, the client certificate presented when there is one. Redirects are followed only
/// for GET and HEAD, only to the same origin (so credentials, cookies and the client
/// certificate never reach another host), at most 5 times. Throws core::Error(kInvalidArgument)
/// when the certificate, key or CA bundle cannot be read.
std::shared_ptr<HttpTransport> makeHttpTransport(const TransportOptions& options);

}  // namespace broker::odata
