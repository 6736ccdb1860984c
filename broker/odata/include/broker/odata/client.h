// One OData service instance seen through its service keys: every request the engine sends
// goes through here, which adds the protocol headers and the instance's default headers,
// tunnels writes (usePostTunneling), fetches and resends CSRF tokens with their session
// cookies, retries idempotent requests, drops excluded query options and turns failed
// responses into core::Error with the service's own message.
#pragma once

#include <atomic>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <vector>

#include "broker/core/error.h"
#include "broker/edm/type_ref.h"
#include "broker/odata/batch.h"
#include "broker/odata/http.h"
#include "config/service_keys.h"

namespace broker::odata {

/// Query options in order, encoded once; options the instance excludes are never added.
class Query {
 public:
  explicit Query(const std::vector<std::string>& excluded) : excluded_(excluded) {}
  /// Adds `name=value` (value percent-encoded here) unless `name` is excluded. Returns
  /// whether it was added.
  bool add(std::string_view name, std::string_view value);
  bool excluded(std::string_view name) const noexcept;
  /// "" or "?a=b&c=d".
  std::string toString() const;

 private:
  const std::vector<std::string>& excluded_;
  std::string text_;
};

struct Call {
  std::string method = "GET";     ///< GET, POST, PUT, PATCH, MERGE, DELETE
  std::string url{};              ///< absolute, or relative to the service root
  std::vector<Header> headers{};  ///< added after the defaults (and overriding them)
  std::string body{};
  std::string contentType{};          ///< of the body; JSON by default when there is one
  std::string bodyFile{};             ///< a body streamed from this file (HttpRequest::bodyFile)
  std::string responseFile{};         ///< the response body streamed to this file
  std::string callerAuthorization{};  ///< the caller's own credentials (HttpRequest)
  bool protocolHeaders = true;        ///< Accept and version headers of the OData version
  /// The URL was configured by an administrator (a metadata override) and may name another
  /// origin. Every other URL, links the service sent included, stays on the service's origin.
  bool configuredUrl = false;
  /// The same body as an Atom entry, for a V2/V3 service that takes no JSON: sent instead of
  /// `body` once the client knows (see ODataClient::speaksAtom).
  std::function<std::string()> atomBody{};
};

class ODataClient {
 public:
  ODataClient(config::ServiceKeys keys, edm::ODataVersion version,
              std::shared_ptr<HttpTransport> transport);

  const config::ServiceKeys& keys() const noexcept { return keys_; }
  /// Whether the service speaks Atom rather than JSON (V2/V3): learnt when it refuses JSON
  /// (406 to the Accept, 415 to a body; the request is then sent again in Atom, once) or
  /// answers a request for JSON in Atom. From then on it is asked for Atom and sent Atom.
  bool speaksAtom() const noexcept { return atom_.load(); }
  edm::ODataVersion version() const noexcept { return version_; }
  /// The service URL without its query, with exactly one trailing slash.
  const std::string& serviceRoot() const noexcept { return root_; }
  /// The service URL's own query options ("sap-client=100"), sent on every request to the
  /// service; "" when it has none.
  const std::string& serviceQuery() const noexcept { return rootQuery_; }
  /// `relative` resolved against the service root (absolute URLs are kept): the resource's
  /// URI, without the service URL's query options.
  std::string resolve(std::string_view relative) const;
  /// The URL to request `relative` at: resolved, and for a URL of this service with the
  /// service URL's query options merged in (one that the URL already has is not repeated).
  std::string requestUrl(std::string_view relative) const;
  /// `url` (absolute) kept on the service's origin, where this instance's credentials may go.
  /// A service often names itself by another host than the one configured (its internal name
  /// behind a proxy, `localhost`): a URL whose path lies under the service root's path is
  /// moved onto the service's origin. Any other URL of another origin is refused
  /// (kUpstreamFailure) rather than sent with the credentials.
  std::string onServiceOrigin(std::string_view url) const;
  /// A next link resolved against the URL of the page it came from.
  static std::string resolveAgainst(std::string_view base, std::string_view link);

  /// Sends `call` and returns a 2xx response; every other outcome is a core::Error: 404 →
  /// kNotFound, 409 → kConflict, 412 → kPreconditionFailed, 400 → kInvalidArgument, a
  /// timeout → kUpstreamTimeout, anything else → kUpstreamFailure naming the upstream status.
  /// The message is the service's own error text.
  HttpResponse send(const Call& call);

  /// `call` as a request inside a $batch: its URL relative to the service root (a
  /// `$<Content-ID>` reference kept as it is), the protocol, default and call headers, the body
  /// (Atom for a service that speaks it). Calls streaming a file have no batch form.
  BatchRequest batchRequest(const Call& call) const;
  /// Sends `groups` as one `$batch` (outside change sets the service is asked to go on after a
  /// failure) and reads its answer (readBatch). Fails like send() when the $batch request
  /// itself fails.
  std::vector<BatchGroupAnswer> sendBatch(const std::vector<BatchGroup>& groups,
                                          const std::string& callerAuthorization);
  /// The error send() throws for a response that is not 2xx to `method url`.
  core::Error failure(const HttpResponse& response, std::string_view method,
                      std::string_view url) const;

 private:
  HttpResponse sendWithRetries(HttpRequest& request, bool idempotent);
  HttpRequest prepare(const Call& call) const;
  /// The headers and body `call` goes with: protocol, default and call headers; JSON or Atom.
  void compose(const Call& call, std::vector<Header>& headers, std::string& body) const;
  void fetchCsrfToken(const std::string& callerAuthorization);
  void rememberCookies(const HttpResponse& response);
  /// Whether `response` shows the service speaks Atom; true when `call` should be sent again.
  bool learnAtom(const Call& call, const HttpResponse& response);

  config::ServiceKeys keys_;
  edm::ODataVersion version_;
  std::shared_ptr<HttpTransport> transport_;
  std::string root_;
  std::string rootQuery_;
  mutable std::mutex sessionMutex_;  // guards the CSRF token and the cookies
  std::string csrfToken_;
  std::atomic<bool> atom_{false};
  std::vector<Header> cookies_;
};

/// The message of an OData error body: V4 `error.message`, V2/V3 `error.message.value`,
/// or the XML `<message>`; otherwise the start of the body.
std::string upstreamErrorMessage(std::string_view body);

}  // namespace broker::odata
