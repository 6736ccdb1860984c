#include "http_head.h"

#include <algorithm>

#include "broker/core/text.h"

namespace broker::server {

namespace {

using core::equalsIgnoreCase;

[[noreturn]] void badRequest(std::string message) { throw ProtocolError(400, std::move(message)); }

// tchar of RFC 9110 §5.6.2: the characters of a method or a field name.
bool isTokenChar(unsigned char c) {
  if (c >= '0' && c <= '9') return true;
  if ((c | 0x20) >= 'a' && (c | 0x20) <= 'z') return true;
  return std::string_view("!#$%&'*+-.^_`|~").find(static_cast<char>(c)) != std::string_view::npos;
}

bool isToken(std::string_view text) {
  return !text.empty() && std::all_of(text.begin(), text.end(), [](char c) {
    return isTokenChar(static_cast<unsigned char>(c));
  });
}

// Field values: visible characters, obs-text, spaces and tabs; no other control character.
bool isFieldValue(std::string_view text) {
  return std::none_of(text.begin(), text.end(), [](char c) {
    const auto u = static_cast<unsigned char>(c);
    return (u < 0x20 && u != '\t') || u == 0x7f;
  });
}

std::string_view trimOws(std::string_view text) {
  while (!text.empty() && (text.front() == ' ' || text.front() == '\t')) text.remove_prefix(1);
  while (!text.empty() && (text.back() == ' ' || text.back() == '\t')) text.remove_suffix(1);
  return text;
}

// Splits `head` into lines, each without its CRLF (or bare LF); a CR anywhere else is refused.
std::vector<std::string_view> lines(std::string_view head) {
  std::vector<std::string_view> result;
  while (!head.empty()) {
    const std::size_t end = head.find('\n');
    std::string_view line = head.substr(0, end);
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    if (line.find('\r') != std::string_view::npos) badRequest("a header line holds a bare CR");
    result.push_back(line);
    if (end == std::string_view::npos) break;
    head.remove_prefix(end + 1);
  }
  return result;
}

void parseRequestLine(std::string_view line, RequestHead& head) {
  const std::size_t first = line.find(' ');
  const std::size_t last = line.rfind(' ');
  if (first == std::string_view::npos || first == last) {
    badRequest("the request line is not 'METHOD target HTTP/1.1'");
  }
  const std::string_view method = line.substr(0, first);
  const std::string_view target = line.substr(first + 1, last - first - 1);
  const std::string_view version = line.substr(last + 1);
  if (!isToken(method)) badRequest("the request method is not a token");
  if (target.empty() || std::any_of(target.begin(), target.end(), [](char c) {
        const auto u = static_cast<unsigned char>(c);
        return u <= 0x20 || u >= 0x7f;
      })) {
    badRequest("the request target is empty or holds a space or a control character");
  }
  if (version == "HTTP/1.1") {
    head.minorVersion = 1;
  } else if (version == "HTTP/1.0") {
    head.minorVersion = 0;
  } else if (version.size() == 8 && version.starts_with("HTTP/") && version[6] == '.') {
    throw ProtocolError(505, "HTTP version " + std::string(version.substr(5)) +
                                 " is not supported (HTTP/1.0 and HTTP/1.1 are)");
  } else {
    badRequest("the request line does not end in an HTTP version");
  }
  head.method = method;
  head.target = target;
}

std::uint64_t parseContentLength(std::string_view value, std::uint64_t previous, bool seen) {
  std::uint64_t length = previous;
  for (std::string_view item : core::split(value, ',')) {
    item = trimOws(item);
    if (item.empty() || item.size() > 18 ||
        !std::all_of(item.begin(), item.end(), [](char c) { return c >= '0' && c <= '9'; })) {
      badRequest("Content-Length '" + std::string(value) + "' is not a number of bytes");
    }
    std::uint64_t number = 0;
    for (char c : item) number = number * 10 + static_cast<std::uint64_t>(c - '0');
    if (seen && number != length) badRequest("the request has conflicting Content-Length values");
    length = number;
    seen = true;
  }
  return length;
}

void applyTransferEncoding(std::string_view codings, RequestHead& head) {
  const std::vector<std::string_view> items = core::split(codings, ',');
  for (std::size_t i = 0; i < items.size(); ++i) {
    const std::string_view coding = trimOws(items[i]);
    const bool last = i + 1 == items.size();
    if (coding.empty()) badRequest("Transfer-Encoding has an empty coding");
    if (equalsIgnoreCase(coding, "chunked")) {
      if (!last) badRequest("Transfer-Encoding applies chunked more than once or not last");
      continue;
    }
    if (last) badRequest("Transfer-Encoding does not end in chunked, so the body has no end");
    throw ProtocolError(501, "transfer coding '" + std::string(coding) + "' is not supported");
  }
  head.framing = BodyFraming::kChunked;
}

}  // namespace

std::size_t findHeadEnd(std::string_view buffer, std::size_t& scanned, const HeadLimits& limits) {
  std::size_t at = scanned;
  while ((at = buffer.find('\n', at)) != std::string_view::npos) {
    if (at + 1 < buffer.size() && buffer[at + 1] == '\n') return at + 2;
    if (at + 2 < buffer.size() && buffer[at + 1] == '\r' && buffer[at + 2] == '\n') return at + 3;
    if (at + 2 >= buffer.size()) break;  // the rest may still be the empty line
    ++at;
  }
  scanned = buffer.size() > 2 ? buffer.size() - 2 : 0;
  if (buffer.size() > limits.maxBytes) {
    if (buffer.find('\n') == std::string_view::npos) {
      throw ProtocolError(414, "the request line is longer than " +
                                   std::to_string(limits.maxBytes) +
                                   " bytes (setting maxHeaderBytes)");
    }
    throw ProtocolError(431, "the request head is larger than " + std::to_string(limits.maxBytes) +
                                 " bytes (setting maxHeaderBytes)");
  }
  return 0;
}

RequestHead parseHead(std::string_view text, const HeadLimits& limits) {
  if (text.size() > limits.maxBytes) {
    throw ProtocolError(431, "the request head is larger than " + std::to_string(limits.maxBytes) +
                                 " bytes (setting maxHeaderBytes)");
  }
  const std::vector<std::string_view> all = lines(text);
  if (all.empty()) badRequest("the request has no request line");
  RequestHead head;
  parseRequestLine(all[0], head);
  head.keepAlive = head.minorVersion == 1;  // HTTP/1.0 keeps a connection only when asked to
  bool hasLength = false;
  bool hasHost = false;
  std::string codings;
  bool hasCodings = false;
  for (std::size_t i = 1; i < all.size(); ++i) {
    const std::string_view line = all[i];
    if (line.empty()) break;
    if (line.front() == ' ' || line.front() == '\t') {
      badRequest("a header field is folded over several lines (obsolete line folding)");
    }
    const std::size_t colon = line.find(':');
    if (colon == std::string_view::npos) badRequest("a header line has no colon");
    const std::string_view name = line.substr(0, colon);
    if (!isToken(name)) {
      badRequest("header field name '" + std::string(name) +
                 "' is not a token (no space may precede the colon)");
    }
    const std::string_view value = trimOws(line.substr(colon + 1));
    if (!isFieldValue(value))
      badRequest("header field '" + std::string(name) + "' holds a control character");
    if (head.fields.size() == limits.maxFields) {
      throw ProtocolError(431, "the request has more than " + std::to_string(limits.maxFields) +
                                   " header fields (setting maxHeaderFields)");
    }
    if (equalsIgnoreCase(name, "Content-Length")) {
      head.contentLength = parseContentLength(value, head.contentLength, hasLength);
      hasLength = true;
    } else if (equalsIgnoreCase(name, "Transfer-Encoding")) {
      codings += (hasCodings ? "," : "") + std::string(value);
      hasCodings = true;
    } else if (equalsIgnoreCase(name, "Host")) {
      if (hasHost) badRequest("the request has more than one Host field");
      hasHost = true;
    } else if (equalsIgnoreCase(name, "Connection")) {
      for (std::string_view option : core::split(value, ',')) {
        option = trimOws(option);
        if (equalsIgnoreCase(option, "close")) head.keepAlive = false;
        if (equalsIgnoreCase(option, "keep-alive") && head.minorVersion == 0) head.keepAlive = true;
      }
    } else if (equalsIgnoreCase(name, "Expect")) {
      if (!equalsIgnoreCase(value, "100-continue")) {
        throw ProtocolError(417, "expectation '" + std::string(value) + "' is not supported");
      }
      head.expectContinue = head.minorVersion == 1;
    }
    head.fields.emplace_back(name, value);
  }
  if (hasCodings) {
    if (head.minorVersion == 0) badRequest("an HTTP/1.0 request may not use Transfer-Encoding");
    if (hasLength) badRequest("the request has both Content-Length and Transfer-Encoding");
    applyTransferEncoding(codings, head);
  } else if (hasLength && head.contentLength > 0) {
    head.framing = BodyFraming::kLength;
  }
  return head;
}

std::uint64_t parseChunkSize(std::string_view line) {
  std::size_t digits = 0;
  std::uint64_t size = 0;
  for (; digits < line.size(); ++digits) {
    const char c = line[digits];
    int value = 0;
    if (c >= '0' && c <= '9') {
      value = c - '0';
    } else if ((c | 0x20) >= 'a' && (c | 0x20) <= 'f') {
      value = (c | 0x20) - 'a' + 10;
    } else {
      break;
    }
    if (digits == 15) badRequest("a chunk size has more than 15 hexadecimal digits");
    size = size * 16 + static_cast<std::uint64_t>(value);
  }
  if (digits == 0) badRequest("a chunk does not start with its size in hexadecimal");
  const std::string_view rest = trimOws(line.substr(digits));
  if (!rest.empty() && (rest.front() != ';' || !isFieldValue(rest))) {
    badRequest("a chunk size is followed by something other than extensions");
  }
  return size;
}

}  // namespace broker::server
