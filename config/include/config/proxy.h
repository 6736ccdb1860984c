// Forward proxies for the broker's requests to services: their URLs, as broker settings
// (httpProxy, httpsProxy, noProxy, or the environment's HTTP_PROXY, HTTPS_PROXY, NO_PROXY) and
// the per-instance service key proxyUrl, and which hosts go around them.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace config {

/// `http://[user[:password]@]host[:port][/]`: a proxy spoken to in plain HTTP (https
/// requests go through it by CONNECT). The credentials are percent-decoded; never logged.
struct ProxyUrl {
  std::string host;  ///< IPv6 without brackets
  std::uint16_t port = 3128;
  std::string username;
  std::string password;

  /// "http://host:port", without the credentials: for messages.
  std::string display() const;
};

/// Parses a proxy URL; a bare `host:port` is taken as http. Throws
/// core::Error(kInvalidArgument) naming `what` (the setting or key) and why.
ProxyUrl parseProxyUrl(std::string_view url, std::string_view what);

/// Whether `host` (a name or an address, any case) at `port` is one of `noProxy`'s entries:
/// comma- or space-separated; `*` matches every host; `example.com` and `.example.com` match
/// that domain and its subdomains; an entry may end in `:port`.
bool bypassesProxy(std::string_view noProxy, std::string_view host, std::uint16_t port);

/// The broker's proxies for the requests of every instance without a proxyUrl of its own.
struct ProxySettings {
  std::optional<ProxyUrl> http;   ///< for http:// services
  std::optional<ProxyUrl> https;  ///< for https:// services
  std::string noProxy;
};

}  // namespace config
