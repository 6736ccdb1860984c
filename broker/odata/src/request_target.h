// Where an absolute http(s) URL sends a request: scheme, host, port, the origin that keys the
// session pool and decides which redirects may be followed, and the path with its query.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

namespace broker::odata {

struct Target {
  bool https = false;
  std::string host;
  std::uint16_t port = 0;
  std::string origin;  ///< "scheme://host:port", host in lower case (IPv6 in brackets), port
                       ///< always written
  std::string path;    ///< path and query as sent ("/" when the URL has none)
};

/// Parses `url`. Throws TransportError(kBadUrl) naming what is wrong: not http(s), no host, a
/// bad port, user information (credentials belong in the auth settings).
Target parseTarget(const std::string& url);

/// A Location header as an absolute URL: as it is when absolute, from the origin's root when
/// it starts with '/', else relative to the directory of `target`'s path.
std::string resolveLocation(const Target& target, std::string_view location);

}  // namespace broker::odata
