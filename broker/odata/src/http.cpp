#include "broker/odata/http.h"

#include "broker/core/text.h"

namespace broker::odata {

std::optional<std::string_view> findHeader(const std::vector<Header>& headers,
                                           std::string_view name) noexcept {
  for (const Header& h : headers) {
    if (core::equalsIgnoreCase(h.name, name)) return std::string_view(h.value);
  }
  return std::nullopt;
}

namespace {

thread_local RequestInspection* current = nullptr;

// Credentials never leave the broker, not even in an inspection.
bool secretHeader(std::string_view name) {
  for (std::string_view secret : {"Authorization", "Proxy-Authorization", "Cookie", "Set-Cookie",
                                  "X-CSRF-Token", "X-API-Key", "APIKey"}) {
    if (core::equalsIgnoreCase(name, secret)) return true;
  }
  return false;
}

std::vector<Header> masked(const std::vector<Header>& headers) {
  std::vector<Header> out = headers;
  for (Header& h : out) {
    if (secretHeader(h.name)) h.value = "****";
  }
  return out;
}

}  // namespace

RequestInspection::RequestInspection() : outer_(current) { current = this; }

RequestInspection::~RequestInspection() { current = outer_; }

void RequestInspection::record(const HttpRequest& request, const HttpResponse* response,
                               std::string_view error, double milliseconds) {
  if (current == nullptr) return;
  InspectedRequest& r = current->requests_.emplace_back();
  r.method = request.method;
  r.url = request.url;
  r.headers = masked(request.headers);
  r.bodyBytes = request.body.size();
  r.body = request.bodyFile.empty() ? request.body.substr(0, kInspectedBodyBytes)
                                    : "(the content of a file)";
  r.milliseconds = milliseconds;
  r.error = std::string(error);
  if (response != nullptr) {
    r.status = response->status;
    r.responseHeaders = masked(response->headers);
    r.responseBytes = response->body.size();
    r.responseBody = request.responseFile.empty() ? response->body.substr(0, kInspectedBodyBytes)
                                                  : "(written to a file)";
  }
}

}  // namespace broker::odata
