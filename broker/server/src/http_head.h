// The head of an HTTP/1.x request, parsed strictly (RFC 9112): the request line, the header
// fields, and the framing of the body that follows (none, Content-Length or chunked). Anything
// a lenient parser would guess at (an ambiguous length, a folded line, a space before a colon)
// is refused, so that the broker and any proxy in front of it never disagree on where one
// request ends and the next begins.
#pragma once

#include <cstddef>
#include <cstdint>
#include <exception>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace broker::server {

/// A request the edge answers itself, before any handler: the status, a code name for the
/// JSON error body and a message naming what was wrong. The connection is always closed after.
class ProtocolError : public std::exception {
 public:
  ProtocolError(int status, std::string message) : status_(status), message_(std::move(message)) {}
  int status() const noexcept { return status_; }
  const std::string& message() const noexcept { return message_; }
  const char* what() const noexcept override { return message_.c_str(); }

 private:
  int status_;
  std::string message_;
};

enum class BodyFraming { kNone, kLength, kChunked };

struct RequestHead {
  std::string method;
  std::string target;
  int minorVersion = 1;  ///< HTTP/1.0 or HTTP/1.1
  std::vector<std::pair<std::string, std::string>> fields;
  BodyFraming framing = BodyFraming::kNone;
  std::uint64_t contentLength = 0;  ///< with kLength
  bool keepAlive = true;            ///< what the client asked for
  bool expectContinue = false;
};

struct HeadLimits {
  std::size_t maxBytes = 32 * 1024;  ///< request line and fields together
  std::size_t maxFields = 100;
};

/// Where the head in `buffer` ends (the index just past its empty line), or 0 while it is
/// incomplete. `scanned` is where the previous call stopped looking, so that a head arriving
/// in many pieces is scanned once. Throws ProtocolError 431 (414 while still on the request
/// line) when no end appears within `limits.maxBytes`.
std::size_t findHeadEnd(std::string_view buffer, std::size_t& scanned, const HeadLimits& limits);

/// Parses a complete head (as delimited by findHeadEnd). Throws ProtocolError: 400 for a
/// malformed line, field or framing, 431 for too many fields, 501 for a transfer coding other
/// than chunked, 505 for a version other than HTTP/1.0 and HTTP/1.1.
RequestHead parseHead(std::string_view head, const HeadLimits& limits);

/// Parses the size line of a chunk ("1a;ext=x" without its line ending). Throws ProtocolError
/// 400 when it is not hexadecimal digits (at most 15) with optional extensions.
std::uint64_t parseChunkSize(std::string_view line);

}  // namespace broker::server
