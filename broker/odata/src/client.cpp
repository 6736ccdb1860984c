#include "broker/odata/client.h"

#include <algorithm>
#include <cctype>
#include <charconv>
#include <cstdio>
#include <fstream>
#include <random>
#include <thread>

#include "broker/core/error.h"
#include "broker/core/text.h"
#include "broker/odata/literal.h"
#include "broker/odata/payload.h"
#include "json_scan.h"

namespace broker::odata {
namespace {

using core::Error;
using core::ErrorCode;

// The start of an error body that went to a file: enough for the service's message.
std::string readStart(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::string text(64 * 1024, '\0');
  in.read(text.data(), static_cast<std::streamsize>(text.size()));
  text.resize(static_cast<std::size_t>(in.gcount()));
  return text;
}
using edm::ODataVersion;

bool success(int status) { return status >= 200 && status < 300; }

bool reads(std::string_view method) { return method == "GET" || method == "HEAD"; }

bool idempotent(std::string_view method) {
  return reads(method) || method == "PUT" || method == "DELETE";
}

std::vector<Header> protocolHeaders(ODataVersion version) {
  switch (version) {
    case ODataVersion::kV2:
      return {{"Accept", "application/json"},
              {"DataServiceVersion", "2.0"},
              {"MaxDataServiceVersion", "2.0"}};
    case ODataVersion::kV3:
      return {{"Accept", "application/json;odata=minimalmetadata"},
              {"DataServiceVersion", "3.0"},
              {"MaxDataServiceVersion", "3.0"}};
    default:
      // IEEE754Compatible: Int64 and Decimal travel as strings, exactly, both ways.
      return {{"Accept", "application/json;odata.metadata=minimal;IEEE754Compatible=true"},
              {"OData-Version", "4.0"},
              {"OData-MaxVersion", "4.0"}};
  }
}

void setHeader(std::vector<Header>& headers, std::string_view name, std::string value) {
  for (Header& h : headers) {
    if (core::equalsIgnoreCase(h.name, name)) {
      h.value = std::move(value);
      return;
    }
  }
  headers.push_back({std::string(name), std::move(value)});
}

// Seconds to wait from a Retry-After header (delta seconds; HTTP dates are not waited for).
std::chrono::milliseconds retryDelay(const HttpResponse* response, int attempt) {
  if (response != nullptr) {
    if (auto after = response->header("Retry-After")) {
      int seconds = 0;
      const std::string_view text = core::trim(*after);
      if (std::from_chars(text.data(), text.data() + text.size(), seconds).ec == std::errc()) {
        return std::chrono::seconds(std::clamp(seconds, 0, 30));
      }
    }
  }
  return std::chrono::milliseconds(200 << std::min(attempt, 5));
}

// A query as typed into a service URL, with what may not stand in a query percent-encoded
// (its own %XX escapes are kept: it is encoded once).
std::string normalizedQuery(std::string_view query) {
  static constexpr std::string_view kAllowed = "-._~!$&'()*+,;=:@/?%";
  std::string out;
  for (const char c : query) {
    const auto u = static_cast<unsigned char>(c);
    if (std::isalnum(u) != 0 || kAllowed.find(c) != std::string_view::npos) {
      out += c;
    } else {
      static constexpr char kHex[] = "0123456789ABCDEF";
      out += '%';
      out += kHex[u >> 4];
      out += kHex[u & 15];
    }
  }
  return out;
}

// "scheme://authority" of an absolute URL; "" for any other text.
std::string_view originOf(std::string_view url) {
  const std::size_t scheme = url.find("://");
  if (scheme == std::string_view::npos) return {};
  return url.substr(0, std::min(url.find_first_of("/?#", scheme + 3), url.size()));
}

// Whether the query of `url` has an option named `name`.
bool hasOption(std::string_view url, std::string_view name) {
  const std::size_t start = url.find('?');
  if (start == std::string_view::npos) return false;
  for (std::string_view option : core::split(url.substr(start + 1), '&')) {
    if (option.substr(0, option.find('=')) == name) return true;
  }
  return false;
}

std::string truncated(std::string_view text, std::size_t limit) {
  return text.size() <= limit ? std::string(text)
                              : std::string(text.substr(0, limit)) + "… (truncated)";
}

}  // namespace

bool Query::excluded(std::string_view name) const noexcept {
  return std::any_of(excluded_.begin(), excluded_.end(),
                     [&](const std::string& e) { return core::equalsIgnoreCase(e, name); });
}

bool Query::add(std::string_view name, std::string_view value) {
  if (excluded(name)) return false;
  text_ += text_.empty() ? '?' : '&';
  text_ += name;
  text_ += '=';
  text_ += encodeQueryValue(value);
  return true;
}

std::string Query::toString() const { return text_; }

ODataClient::ODataClient(config::ServiceKeys keys, ODataVersion version,
                         std::shared_ptr<HttpTransport> transport)
    : keys_(std::move(keys)), version_(version), transport_(std::move(transport)) {
  const std::string_view url = keys_.serviceUrl;
  const std::size_t query = url.find('?');
  root_ = url.substr(0, query);
  while (root_.ends_with('/')) root_.pop_back();
  root_ += '/';
  if (query != std::string_view::npos) {
    // Empty options ("?&a=b&") are dropped; the rest keep their order.
    for (std::string_view option : core::split(url.substr(query + 1), '&')) {
      if (option.empty()) continue;
      rootQuery_ += (rootQuery_.empty() ? "" : "&") + normalizedQuery(option);
    }
  }
}

std::string ODataClient::requestUrl(std::string_view relative) const {
  std::string url = resolve(relative);
  if (rootQuery_.empty() || !url.starts_with(root_)) return url;
  bool first = url.find('?') == std::string::npos;
  for (std::string_view option : core::split(rootQuery_, '&')) {
    if (hasOption(url, option.substr(0, option.find('=')))) continue;
    url += first ? '?' : '&';
    url += option;
    first = false;
  }
  return url;
}

std::string ODataClient::resolve(std::string_view relative) const {
  if (relative.find("://") != std::string_view::npos) return std::string(relative);
  while (relative.starts_with('/')) relative.remove_prefix(1);
  return root_ + std::string(relative);
}

std::string ODataClient::resolveAgainst(std::string_view base, std::string_view link) {
  if (link.find("://") != std::string_view::npos) return std::string(link);
  const std::size_t origin = base.find("://");
  if (link.starts_with('/')) {
    const std::size_t path = base.find('/', origin == std::string_view::npos ? 0 : origin + 3);
    return std::string(base.substr(0, path)) + std::string(link);
  }
  // Relative to the base's folder: drop its query and its last segment.
  std::string_view folder = base.substr(0, base.find('?'));
  folder = folder.substr(0, folder.rfind('/') + 1);
  return std::string(folder) + std::string(link);
}

std::string ODataClient::onServiceOrigin(std::string_view url) const {
  const std::string_view origin = originOf(url);
  const std::string_view serviceOrigin = originOf(root_);
  if (origin.empty() || core::equalsIgnoreCase(origin, serviceOrigin)) return std::string(url);
  const std::string_view rootPath = std::string_view(root_).substr(serviceOrigin.size());
  const std::string_view path = url.substr(origin.size());
  const bool scheme = core::equalsIgnoreCase(origin.substr(0, origin.find(':')),
                                             serviceOrigin.substr(0, serviceOrigin.find(':')));
  if (scheme && (path.starts_with(rootPath) || path == rootPath.substr(0, rootPath.size() - 1))) {
    return std::string(serviceOrigin) + std::string(path);
  }
  throw Error(ErrorCode::kUpstreamFailure,
              "the service sent a link to another origin (" + std::string(origin) +
                  "); this instance's requests go only to " + std::string(serviceOrigin));
}

void ODataClient::compose(const Call& call, std::vector<Header>& headers, std::string& body) const {
  const bool atom = atom_.load() && call.protocolHeaders;
  if (call.protocolHeaders) headers = protocolHeaders(version_);
  if (atom) setHeader(headers, "Accept", "application/atom+xml,application/xml;q=0.9");
  for (const config::HttpHeader& h : keys_.defaultHttpRequestHeaders) {
    setHeader(headers, h.name, h.value);
  }
  for (const Header& h : call.headers) setHeader(headers, h.name, h.value);
  if (atom && call.atomBody) {
    body = call.atomBody();
    setHeader(headers, "Content-Type", std::string(kAtomEntryType));
  } else if (!call.body.empty() || !call.contentType.empty() || !call.bodyFile.empty()) {
    body = call.body;
    setHeader(headers, "Content-Type",
              !call.contentType.empty()       ? call.contentType
              : version_ >= ODataVersion::kV4 ? "application/json;IEEE754Compatible=true"
                                              : "application/json");
  }
}

HttpRequest ODataClient::prepare(const Call& call) const {
  HttpRequest request;
  request.url =
      requestUrl(call.configuredUrl ? std::string(call.url) : onServiceOrigin(resolve(call.url)));
  compose(call, request.headers, request.body);
  request.method = call.method;
  if (keys_.usePostTunneling && !reads(call.method) && call.method != "POST") {
    request.method = "POST";
    setHeader(request.headers, "X-HTTP-Method", call.method);
  }
  request.bodyFile = call.bodyFile;
  request.callerAuthorization = call.callerAuthorization;
  request.responseFile = call.responseFile;
  std::lock_guard lock(sessionMutex_);
  if (!reads(call.method) && !csrfToken_.empty()) {
    setHeader(request.headers, "X-CSRF-Token", csrfToken_);
  }
  if (!cookies_.empty()) {
    std::string cookie;
    for (const Header& c : cookies_)
      cookie += (cookie.empty() ? "" : "; ") + c.name + "=" + c.value;
    setHeader(request.headers, "Cookie", cookie);
  }
  return request;
}

void ODataClient::rememberCookies(const HttpResponse& response) {
  std::lock_guard lock(sessionMutex_);
  for (const Header& h : response.headers) {
    if (!core::equalsIgnoreCase(h.name, "Set-Cookie")) continue;
    // Several cookies may arrive joined by commas; each one's name=value ends at ';'.
    for (std::string_view part : core::split(h.value, ',')) {
      const std::string_view pair = core::trim(part.substr(0, part.find(';')));
      const std::size_t eq = pair.find('=');
      if (eq == std::string_view::npos || eq == 0 ||
          pair.substr(0, eq).find(' ') != std::string_view::npos) {
        continue;
      }
      const std::string name(pair.substr(0, eq));
      auto same = [&](const Header& c) { return c.name == name; };
      cookies_.erase(std::remove_if(cookies_.begin(), cookies_.end(), same), cookies_.end());
      cookies_.push_back({name, std::string(pair.substr(eq + 1))});
    }
  }
}

void ODataClient::fetchCsrfToken(const std::string& callerAuthorization) {
  Call call;
  call.url = root_;
  call.headers = {{"X-CSRF-Token", "Fetch"}};
  call.callerAuthorization = callerAuthorization;
  HttpRequest request = prepare(call);
  HttpResponse response = sendWithRetries(request, true);
  rememberCookies(response);
  const auto token = response.header("X-CSRF-Token");
  if (!success(response.status) || !token || token->empty() ||
      core::equalsIgnoreCase(*token, "Required")) {
    throw Error(ErrorCode::kUpstreamFailure,
                "the service gave no X-CSRF-Token when asked with GET " + root_,
                {"upstream status " + std::to_string(response.status)});
  }
  std::lock_guard lock(sessionMutex_);
  csrfToken_ = std::string(*token);
}

HttpResponse ODataClient::sendWithRetries(HttpRequest& request, bool canRetry) {
  for (int attempt = 0;; ++attempt) {
    const bool retriesLeft = canRetry && attempt < keys_.retryCount;
    try {
      HttpResponse response = transport_->send(request);
      if ((response.status == 429 || response.status == 503) && retriesLeft) {
        std::this_thread::sleep_for(retryDelay(&response, attempt));
        continue;
      }
      return response;
    } catch (const TransportError& e) {
      if (e.kind() == TransportError::Kind::kConnection && retriesLeft) {
        std::this_thread::sleep_for(retryDelay(nullptr, attempt));
        continue;
      }
      std::vector<std::string> details;
      if (keys_.debuggingEnabled)
        details.push_back("request: " + request.method + " " + request.url);
      switch (e.kind()) {
        case TransportError::Kind::kTimeout:
          throw Error(ErrorCode::kUpstreamTimeout, e.what(), std::move(details));
        case TransportError::Kind::kBadUrl:
          throw Error(ErrorCode::kInvalidArgument, e.what(), std::move(details));
        case TransportError::Kind::kRedirect:
        case TransportError::Kind::kTooLarge:
          throw Error(ErrorCode::kUpstreamFailure, e.what(), std::move(details));
        default:
          throw Error(ErrorCode::kUpstreamFailure, e.what(), std::move(details));
      }
    }
  }
}

HttpResponse ODataClient::send(const Call& call) {
  const bool write = !reads(call.method);
  bool wantsToken = false;
  if (write && keys_.csrfTokenHandling == config::CsrfTokenHandling::kAlways) {
    std::lock_guard lock(sessionMutex_);
    wantsToken = csrfToken_.empty();
  }
  if (wantsToken) fetchCsrfToken(call.callerAuthorization);
  HttpRequest request = prepare(call);
  HttpResponse response = sendWithRetries(request, idempotent(call.method));
  rememberCookies(response);
  if (learnAtom(call, response)) {
    // Refused as JSON (406, 415): nothing was done; asked again in Atom.
    request = prepare(call);
    response = sendWithRetries(request, idempotent(call.method));
    rememberCookies(response);
  }
  const auto csrf = response.header("X-CSRF-Token");
  if (write && response.status == 403 && csrf && core::equalsIgnoreCase(*csrf, "Required") &&
      keys_.csrfTokenHandling != config::CsrfTokenHandling::kNever) {
    fetchCsrfToken(call.callerAuthorization);
    request = prepare(call);
    response = sendWithRetries(request, idempotent(call.method));
    rememberCookies(response);
  }
  if (!success(response.status)) {
    if (!request.responseFile.empty()) response.body = readStart(request.responseFile);
    throw failure(response, request.method, request.url);
  }
  return response;
}

bool ODataClient::learnAtom(const Call& call, const HttpResponse& response) {
  if (version_ >= ODataVersion::kV4 || !call.protocolHeaders || atom_.load()) return false;
  const std::string_view type = response.header("Content-Type").value_or("");
  if (success(response.status) && type.starts_with("application/atom+xml")) {
    atom_ = true;  // it answers JSON requests in Atom: ask for Atom and write Atom from now on
    return false;
  }
  const bool refused = response.status == 406 || response.status == 415;
  const bool resendable = call.bodyFile.empty() && (call.body.empty() || call.atomBody);
  if (!refused || !resendable) return false;
  atom_ = true;
  return true;
}

BatchRequest ODataClient::batchRequest(const Call& call) const {
  BatchRequest request;
  request.method = call.method;
  if (call.url.starts_with('$')) {
    request.url = call.url;  // a Content-ID reference
  } else {
    request.url =
        requestUrl(call.configuredUrl ? std::string(call.url) : onServiceOrigin(resolve(call.url)));
    if (request.url.starts_with(root_)) request.url.erase(0, root_.size());
  }
  compose(call, request.headers, request.body);
  return request;
}

std::vector<BatchGroupAnswer> ODataClient::sendBatch(const std::vector<BatchGroup>& groups,
                                                     const std::string& callerAuthorization) {
  static thread_local std::mt19937_64 random{std::random_device{}()};
  char boundary[40];
  std::snprintf(boundary, sizeof boundary, "batch_%016llx",
                static_cast<unsigned long long>(random()));
  // A 4.01 service takes the JSON form; every other the multipart one.
  const bool json = version_ >= ODataVersion::kV401;
  Call call;
  call.method = "POST";
  call.url = "$batch";
  call.body = json ? writeJsonBatch(groups) : writeBatch(groups, boundary);
  call.contentType =
      json ? "application/json" : std::string("multipart/mixed; boundary=") + boundary;
  call.headers = {{"Accept", json ? "application/json" : "multipart/mixed"}};
  // The request itself stays 4.0 (services that speak 4.01 answer it, and some refuse an
  // OData-Version of 4.01 outright); the client may be answered in 4.01.
  if (json) call.headers.push_back({"OData-MaxVersion", "4.01"});
  if (version_ >= ODataVersion::kV4) call.headers.push_back({"Prefer", "odata.continue-on-error"});
  call.callerAuthorization = callerAuthorization;
  const HttpResponse response = send(call);
  const std::string_view type = response.header("Content-Type").value_or("");
  if (json && type.find("multipart") == std::string_view::npos) {
    return readJsonBatch(response.body, groups);
  }
  return readBatch(response.body, type, groups);
}

core::Error ODataClient::failure(const HttpResponse& response, std::string_view method,
                                 std::string_view url) const {
  ErrorCode code = ErrorCode::kUpstreamFailure;
  switch (response.status) {
    case 400:
      code = ErrorCode::kInvalidArgument;
      break;
    case 404:
      code = ErrorCode::kNotFound;
      break;
    case 409:
      code = ErrorCode::kConflict;
      break;
    case 412:
    case 428:
      code = ErrorCode::kPreconditionFailed;
      break;
    case 504:
      code = ErrorCode::kUpstreamTimeout;
      break;
    default:
      break;
  }
  std::string message = upstreamErrorMessage(response.body);
  if (response.status == 401 || response.status == 403) {
    message = "the service refused this instance's credentials (" +
              std::to_string(response.status) + ")" + (message.empty() ? "" : ": " + message);
    if (response.viaProxy) {
      message +=
          " — the request went through this instance's forward proxy, which may be the "
          "one refusing: check the proxy's credentials too";
    }
  }
  if (code == ErrorCode::kPreconditionFailed) {
    message = "the entity was changed since its ETag was read (" + message + ")";
  }
  std::vector<std::string> details = {"upstream status " + std::to_string(response.status)};
  if (keys_.debuggingEnabled) {
    details.push_back("request: " + std::string(method) + " " + std::string(url));
    details.push_back("response body: " + truncated(response.body, 4096));
  }
  return Error(
      code, message.empty() ? "the service answered " + std::to_string(response.status) : message,
      std::move(details));
}

std::string upstreamErrorMessage(std::string_view body) {
  const std::string_view trimmed = core::trim(body);
  if (trimmed.starts_with('{')) {
    if (auto message = internal::errorMessageOfJson(trimmed)) return *message;
  } else if (trimmed.starts_with('<')) {
    const std::size_t open = trimmed.find("message");
    const std::size_t start = open == std::string_view::npos ? open : trimmed.find('>', open);
    const std::size_t end = start == std::string_view::npos ? start : trimmed.find('<', start);
    if (end != std::string_view::npos)
      return std::string(trimmed.substr(start + 1, end - start - 1));
  }
  return truncated(trimmed, 300);
}

}  // namespace broker::odata
