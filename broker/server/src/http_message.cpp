#include "http_message.h"

#include <Poco/Net/HTTPResponse.h>

#include <fstream>

#include "broker/core/json_writer.h"
#include "broker/core/text.h"

namespace broker::server {

namespace {

std::string_view codeName(int status) {
  switch (status) {
    case 408:
      return "RequestTimeout";
    case 413:
      return "PayloadTooLarge";
    case 414:
      return "UriTooLong";
    case 417:
      return "ExpectationFailed";
    case 431:
      return "HeaderFieldsTooLarge";
    case 501:
      return "NotImplemented";
    case 503:
      return "Unavailable";
    case 505:
      return "HttpVersionNotSupported";
    default:
      return "InvalidArgument";
  }
}

bool bodiless(int status) { return status < 200 || status == 204 || status == 304; }

// A header value a handler set: one line, no control characters that could end it early.
bool safeField(const std::string& name, const std::string& value) {
  const auto bad = [](char c) { return c == '\r' || c == '\n' || c == '\0'; };
  return std::none_of(name.begin(), name.end(), bad) &&
         std::none_of(value.begin(), value.end(), bad);
}

}  // namespace

// The response body's stream: the head goes out with the first bytes, the body framed by
// Content-Length (never more than it says), by chunks, or by the end of the connection.
class ResponseBody final : public std::streambuf {
 public:
  enum class Mode { kNone, kFixed, kChunked, kUntilClose };

  ResponseBody(Connection& connection, std::string head, Mode mode, std::uint64_t length,
               std::chrono::milliseconds timeout)
      : connection_(connection),
        pending_(std::move(head)),
        mode_(mode),
        left_(length),
        timeout_(timeout) {
    setp(buffer_, buffer_ + sizeof buffer_);
  }

  // Flushes and ends the body; true when all of it went out as framed.
  bool finish() {
    flush(true);
    return !failed_ && (mode_ != Mode::kFixed || left_ == 0);
  }

 protected:
  int_type overflow(int_type c) override {
    if (!flush(false)) return traits_type::eof();
    if (!traits_type::eq_int_type(c, traits_type::eof())) {
      *pptr() = traits_type::to_char_type(c);
      pbump(1);
    }
    return traits_type::not_eof(c);
  }

  int sync() override { return flush(false) ? 0 : -1; }

 private:
  bool flush(bool last) {
    std::string_view data(pbase(), static_cast<std::size_t>(pptr() - pbase()));
    setp(buffer_, buffer_ + sizeof buffer_);
    if (failed_) return false;
    std::string& out = pending_;
    switch (mode_) {
      case Mode::kNone:
        break;
      case Mode::kFixed:
        if (data.size() > left_) {
          data = data.substr(0, static_cast<std::size_t>(left_));
          failed_ = true;  // the handler wrote more than its Content-Length
        }
        left_ -= data.size();
        out.append(data);
        break;
      case Mode::kChunked:
        if (!data.empty()) {
          char size[20];
          out.append(size, static_cast<std::size_t>(
                               std::snprintf(size, sizeof size, "%zx\r\n", data.size())));
          out.append(data).append("\r\n");
        }
        if (last) out.append("0\r\n\r\n");
        break;
      case Mode::kUntilClose:
        out.append(data);
        break;
    }
    if (!out.empty() && !connection_.writeAll(out, timeout_)) failed_ = true;
    out.clear();
    return !failed_;
  }

  Connection& connection_;
  std::string pending_;
  Mode mode_;
  std::uint64_t left_;
  std::chrono::milliseconds timeout_;
  bool failed_ = false;
  char buffer_[16 * 1024];
};

// The reason phrases of RFC 9110 §15 (POCO's table keeps some of RFC 2616's older ones).
std::string_view reasonPhrase(int status) {
  switch (status) {
    case 100:
      return "Continue";
    case 200:
      return "OK";
    case 201:
      return "Created";
    case 204:
      return "No Content";
    case 302:
      return "Found";
    case 304:
      return "Not Modified";
    case 400:
      return "Bad Request";
    case 401:
      return "Unauthorized";
    case 403:
      return "Forbidden";
    case 404:
      return "Not Found";
    case 405:
      return "Method Not Allowed";
    case 408:
      return "Request Timeout";
    case 409:
      return "Conflict";
    case 412:
      return "Precondition Failed";
    case 413:
      return "Content Too Large";
    case 414:
      return "URI Too Long";
    case 417:
      return "Expectation Failed";
    case 431:
      return "Request Header Fields Too Large";
    case 500:
      return "Internal Server Error";
    case 501:
      return "Not Implemented";
    case 502:
      return "Bad Gateway";
    case 503:
      return "Service Unavailable";
    case 504:
      return "Gateway Timeout";
    case 505:
      return "HTTP Version Not Supported";
    default:
      return Poco::Net::HTTPResponse::getReasonForStatus(
          static_cast<Poco::Net::HTTPResponse::HTTPStatus>(status));
  }
}

std::string statusLine(int status) {
  return "HTTP/1.1 " + std::to_string(status) + " " + std::string(reasonPhrase(status)) + "\r\n";
}

void writeErrorObject(core::JsonWriter& json, std::string_view code, std::string_view message,
                      const std::vector<std::string>& details) {
  json.beginObject().key("code").value(code).key("message").value(message);
  json.key("details").values(details).endObject();
}

std::string errorBody(std::string_view code, std::string_view message,
                      const std::vector<std::string>& details) {
  std::string body;
  core::JsonWriter json(body);
  json.beginObject().key("error");
  writeErrorObject(json, code, message, details);
  json.endObject();
  return body;
}

std::string protocolErrorJson(const ProtocolError& error) {
  return errorBody(codeName(error.status()), error.message());
}

std::string protocolAnswer(const ProtocolError& error, std::string_view extraFields) {
  const std::string body = protocolErrorJson(error);
  return statusLine(error.status()) +
         "Content-Type: application/json; charset=utf-8\r\nCache-Control: no-store\r\n"
         "Connection: close\r\nContent-Length: " +
         std::to_string(body.size()) + "\r\n" + std::string(extraFields) + "\r\n" + body;
}

EdgeResponse::EdgeResponse(Connection& connection, const RequestHead& head, BodyReader& body,
                           ResponsePolicy policy)
    : connection_(connection), request_(head), body_(body), policy_(policy) {}

EdgeResponse::~EdgeResponse() = default;

void EdgeResponse::sendContinue() {
  if (sent_ || !request_.expectContinue) return;
  connection_.writeAll("HTTP/1.1 100 Continue\r\n\r\n", policy_.writeTimeout);
}

std::string EdgeResponse::head(bool chunked, bool untilClose) {
  // The connection is kept only when the next request's first byte is certain to be found:
  // the body was read, or what is left of it is small and read now, before the answer says so.
  const bool reusable = body_.complete() || (!(request_.expectContinue && !body_.started()) &&
                                             body_.drain(policy_.maxDrainBytes));
  keepAlive_ = request_.keepAlive && !policy_.stopping && !untilClose && reusable;
  const int status = static_cast<int>(getStatus());
  std::string text = statusLine(status);
  for (const auto& [name, value] : *this) {
    if (core::equalsIgnoreCase(name, "Connection") ||
        core::equalsIgnoreCase(name, "Transfer-Encoding") ||
        (bodiless(status) && core::equalsIgnoreCase(name, "Content-Length")) ||
        !safeField(name, value)) {
      continue;
    }
    text.append(name).append(": ").append(value).append("\r\n");
  }
  if (chunked) text += "Transfer-Encoding: chunked\r\n";
  if (!keepAlive_) {
    text += "Connection: close\r\n";
  } else if (request_.minorVersion == 0) {
    text += "Connection: keep-alive\r\n";
  }
  return text + "\r\n";
}

std::ostream& EdgeResponse::send() {
  if (sent_) return *out_;
  sent_ = true;
  const int status = static_cast<int>(getStatus());
  using Mode = ResponseBody::Mode;
  Mode mode = Mode::kNone;
  std::uint64_t length = 0;
  if (!bodiless(status) && request_.method != "HEAD") {
    if (hasContentLength() && !getChunkedTransferEncoding()) {
      mode = Mode::kFixed;
      length = static_cast<std::uint64_t>(getContentLength64());
    } else {
      mode = request_.minorVersion == 1 ? Mode::kChunked : Mode::kUntilClose;
    }
  }
  stream_ = std::make_unique<ResponseBody>(connection_,
                                           head(mode == Mode::kChunked, mode == Mode::kUntilClose),
                                           mode, length, policy_.writeTimeout);
  out_ = std::make_unique<std::ostream>(stream_.get());
  return *out_;
}

void EdgeResponse::sendBuffer(const void* buffer, std::size_t length) {
  if (!bodiless(static_cast<int>(getStatus())))
    setContentLength64(static_cast<Poco::Int64>(length));
  setChunkedTransferEncoding(false);
  send().write(static_cast<const char*>(buffer), static_cast<std::streamsize>(length));
}

void EdgeResponse::sendFile(const std::string& path, const std::string& mediaType) {
  std::ifstream in(path, std::ios::binary | std::ios::ate);
  if (!in) throw Poco::FileNotFoundException(path);
  setContentType(mediaType);
  setContentLength64(static_cast<Poco::Int64>(in.tellg()));
  in.seekg(0);
  send() << in.rdbuf();
}

void EdgeResponse::redirect(const std::string& uri, HTTPStatus status) {
  setStatusAndReason(status);
  set("Location", uri);
  sendBuffer(nullptr, 0);
}

void EdgeResponse::requireAuthentication(const std::string& realm) {
  setStatusAndReason(HTTP_UNAUTHORIZED);
  set("WWW-Authenticate", "Basic realm=\"" + realm + "\"");
  sendBuffer(nullptr, 0);
}

bool EdgeResponse::finish() {
  if (!sent_) {
    // A handler defect; the client still gets an answer in the API's shape.
    static constexpr std::string_view kBody =
        R"({"error":{"code":"Internal","message":"the request was not answered","details":[]}})";
    setStatusAndReason(HTTP_INTERNAL_SERVER_ERROR);
    setContentType("application/json; charset=utf-8");
    sendBuffer(kBody.data(), kBody.size());
  }
  return stream_->finish() && keepAlive_;
}

EdgeRequest::EdgeRequest(const RequestHead& head, Connection& connection, BodyReader& body,
                         EdgeResponse& response, const Poco::Net::HTTPServerParams& params)
    : connection_(connection), stream_(&body), response_(response), params_(params) {
  setMethod(head.method);
  setURI(head.target);
  setVersion(head.minorVersion == 1 ? HTTP_1_1 : HTTP_1_0);
  for (const auto& [name, value] : head.fields) {
    if (core::equalsIgnoreCase(name, "Content-Length")) {
      set("Content-Length", std::to_string(head.contentLength));  // "5, 5" is one length
    } else {
      add(name, value);
    }
  }
  // Errors of the body (bad framing, a timeout) reach the handler as ProtocolError.
  stream_.exceptions(std::ios::badbit);
}

}  // namespace broker::server
