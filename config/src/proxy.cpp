#include "config/proxy.h"

#include <charconv>

#include "broker/core/error.h"
#include "broker/core/text.h"

namespace config {
namespace {

using broker::core::Error;
using broker::core::ErrorCode;

[[noreturn]] void invalid(std::string_view what, std::string_view why) {
  throw Error(ErrorCode::kInvalidArgument, std::string(what) + ": the proxy URL " +
                                               std::string(why) +
                                               " (expected http://[user:password@]host:port)");
}

// %XX sequences decoded; a malformed one is refused.
std::string decoded(std::string_view text, std::string_view what) {
  std::string out;
  for (std::size_t i = 0; i < text.size(); ++i) {
    if (text[i] != '%') {
      out += text[i];
      continue;
    }
    unsigned value = 0;
    if (i + 2 >= text.size() ||
        std::from_chars(text.data() + i + 1, text.data() + i + 3, value, 16).ptr !=
            text.data() + i + 3) {
      invalid(what, "has a malformed %-escape in its credentials");
    }
    out += static_cast<char>(value);
    i += 2;
  }
  return out;
}

}  // namespace

std::string ProxyUrl::display() const {
  const bool ipv6 = host.find(':') != std::string::npos;
  return "http://" + (ipv6 ? "[" + host + "]" : host) + ":" + std::to_string(port);
}

ProxyUrl parseProxyUrl(std::string_view url, std::string_view what) {
  std::string_view rest = broker::core::trim(url);
  if (rest.starts_with("https://")) {
    invalid(what, "uses https://, which the broker does not speak to proxies");
  }
  if (rest.starts_with("http://")) {
    rest.remove_prefix(7);
  } else if (rest.find("://") != std::string_view::npos) {
    invalid(what, "has a scheme other than http://");
  }
  while (rest.ends_with('/')) rest.remove_suffix(1);
  if (rest.find_first_of("/?#") != std::string_view::npos) invalid(what, "has a path");
  ProxyUrl proxy;
  if (const std::size_t at = rest.rfind('@'); at != std::string_view::npos) {
    const std::string_view userinfo = rest.substr(0, at);
    const std::size_t colon = userinfo.find(':');
    proxy.username = decoded(userinfo.substr(0, colon), what);
    if (colon != std::string_view::npos) {
      proxy.password = decoded(userinfo.substr(colon + 1), what);
    }
    rest.remove_prefix(at + 1);
  }
  std::string_view port;
  if (rest.starts_with('[')) {
    const std::size_t close = rest.find(']');
    if (close == std::string_view::npos) invalid(what, "has an unclosed IPv6 address");
    proxy.host = rest.substr(1, close - 1);
    rest.remove_prefix(close + 1);
    if (rest.starts_with(':'))
      port = rest.substr(1);
    else if (!rest.empty())
      invalid(what, "has text after its IPv6 address");
  } else {
    const std::size_t colon = rest.rfind(':');
    proxy.host = rest.substr(0, colon);
    if (colon != std::string_view::npos) port = rest.substr(colon + 1);
  }
  if (proxy.host.empty()) invalid(what, "has no host");
  for (const char c : proxy.host) {
    if (c <= ' ' || c == '@' || c == '/' || static_cast<unsigned char>(c) >= 0x7f) {
      invalid(what, "has a host that is not a name or an address");
    }
  }
  if (!port.empty() || rest.ends_with(':')) {
    unsigned value = 0;
    const auto [end, error] = std::from_chars(port.data(), port.data() + port.size(), value);
    if (error != std::errc() || end != port.data() + port.size() || value == 0 || value > 65535) {
      invalid(what, "has a port that is not 1 to 65535");
    }
    proxy.port = static_cast<std::uint16_t>(value);
  }
  return proxy;
}

bool bypassesProxy(std::string_view noProxy, std::string_view host, std::uint16_t port) {
  std::string text(noProxy);
  for (char& c : text) {
    if (c == ' ' || c == '\t') c = ',';
  }
  for (std::string_view entry : broker::core::split(text, ',')) {
    entry = broker::core::trim(entry);
    if (entry.empty()) continue;
    if (entry == "*") return true;
    // An entry's own port: "host:port" (not an IPv6 address's colons).
    if (const std::size_t colon = entry.rfind(':');
        colon != std::string_view::npos && entry.find(':') == colon) {
      unsigned value = 0;
      const std::string_view digits = entry.substr(colon + 1);
      if (std::from_chars(digits.data(), digits.data() + digits.size(), value).ec == std::errc() &&
          value != port) {
        continue;
      }
      entry = entry.substr(0, colon);
    }
    if (entry.starts_with('[') && entry.ends_with(']')) entry = entry.substr(1, entry.size() - 2);
    while (entry.starts_with('.')) entry.remove_prefix(1);
    if (broker::core::equalsIgnoreCase(host, entry)) return true;
    if (host.size() > entry.size() && host[host.size() - entry.size() - 1] == '.' &&
        broker::core::equalsIgnoreCase(host.substr(host.size() - entry.size()), entry)) {
      return true;
    }
  }
  return false;
}

}  // namespace config
