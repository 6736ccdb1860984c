#include "request_target.h"

#include "broker/core/text.h"
#include "broker/odata/http.h"

namespace broker::odata {

Target parseTarget(const std::string& url) {
  const auto bad = [&url](const std::string& why) {
    return TransportError(TransportError::Kind::kBadUrl, "'" + url + "' " + why);
  };
  Target target;
  std::string_view rest(url);
  if (rest.starts_with("http://")) {
    rest.remove_prefix(7);
  } else if (rest.starts_with("https://")) {
    rest.remove_prefix(8);
    target.https = true;
  } else {
    throw bad("is not an absolute http(s) URL");
  }
  const std::size_t pathStart = rest.find_first_of("/?#");
  const std::string_view authority = rest.substr(0, pathStart);
  target.path = pathStart == std::string_view::npos ? "/" : std::string(rest.substr(pathStart));
  if (target.path.front() == '?') target.path.insert(0, "/");
  if (const std::size_t hash = target.path.find('#'); hash != std::string::npos) {
    target.path.resize(hash);
  }
  if (authority.find('@') != std::string_view::npos) {
    throw bad("carries user information; give credentials in the instance's auth settings");
  }
  std::string_view host = authority;
  std::string_view port;
  if (host.starts_with('[')) {
    const std::size_t close = host.find(']');
    if (close == std::string_view::npos) throw bad("has an unclosed IPv6 address");
    port = host.substr(close + 1);
    host = host.substr(1, close - 1);
    if (!port.empty() && port.front() != ':') throw bad("has text after its IPv6 address");
    if (!port.empty()) port.remove_prefix(1);
  } else if (const std::size_t colon = host.rfind(':'); colon != std::string_view::npos) {
    port = host.substr(colon + 1);
    host = host.substr(0, colon);
  }
  if (host.empty()) throw bad("has no host");
  target.host = std::string(host);
  unsigned number = target.https ? 443 : 80;
  if (!port.empty()) {
    number = 0;
    for (const char c : port) {
      if (c < '0' || c > '9' || number > 65535) throw bad("has a bad port");
      number = number * 10 + static_cast<unsigned>(c - '0');
    }
    if (number == 0 || number > 65535) throw bad("has a bad port");
  }
  target.port = static_cast<std::uint16_t>(number);
  std::string lowerHost = target.host;
  for (char& c : lowerHost) c = static_cast<char>(c >= 'A' && c <= 'Z' ? c + 32 : c);
  if (lowerHost.find(':') != std::string::npos) lowerHost = "[" + lowerHost + "]";
  target.origin =
      (target.https ? "https://" : "http://") + lowerHost + ":" + std::to_string(number);
  return target;
}

std::string resolveLocation(const Target& target, std::string_view location) {
  location = core::trim(location);
  if (location.starts_with("http://") || location.starts_with("https://")) {
    return std::string(location);
  }
  if (location.starts_with("//")) {
    return (target.https ? "https:" : "http:") + std::string(location);
  }
  const std::string& origin = target.origin;
  if (location.starts_with('/')) return origin + std::string(location);
  std::string path = target.path.substr(0, target.path.find('?'));
  path = path.substr(0, path.rfind('/') + 1);
  return origin + path + std::string(location);
}

}  // namespace broker::odata
