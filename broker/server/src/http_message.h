// The request and response of one exchange on the HTTP edge, behind POCO's server interfaces
// (so the API's handlers are written against HTTPServerRequest/HTTPServerResponse as before).
// The response decides whether the connection can carry another request: only when the
// client wants that, the broker is not stopping, and the request body is (or can cheaply be)
// read to its end. Status lines always carry the status's own reason phrase.
#pragma once

#include <Poco/Net/HTTPServerParams.h>
#include <Poco/Net/HTTPServerRequest.h>
#include <Poco/Net/HTTPServerResponse.h>

#include <chrono>
#include <istream>
#include <memory>
#include <ostream>
#include <string>
#include <string_view>
#include <vector>

#include "broker/core/json_writer.h"
#include "http_body.h"
#include "http_connection.h"
#include "http_head.h"

namespace broker::server {

struct ResponsePolicy {
  bool stopping = false;                    ///< the broker is shutting down: close after
  std::uint64_t maxDrainBytes = 64 * 1024;  ///< body left unread that may still be drained
  std::chrono::milliseconds writeTimeout{120000};
};

class ResponseBody;

class EdgeResponse final : public Poco::Net::HTTPServerResponse {
 public:
  EdgeResponse(Connection& connection, const RequestHead& head, BodyReader& body,
               ResponsePolicy policy);
  ~EdgeResponse() override;

  void sendContinue() override;
  std::ostream& send() override;
  void sendFile(const std::string& path, const std::string& mediaType) override;
  void sendBuffer(const void* buffer, std::size_t length) override;
  void redirect(const std::string& uri, HTTPStatus status = HTTP_FOUND) override;
  void requireAuthentication(const std::string& realm) override;
  bool sent() const override { return sent_; }

  /// Ends the response (the last chunk, a flush). True when the connection may carry another
  /// request (the head said so and every byte of the response went out).
  bool finish();

 private:
  std::string head(bool chunked, bool untilClose);

  Connection& connection_;
  const RequestHead& request_;
  BodyReader& body_;
  ResponsePolicy policy_;
  bool sent_ = false;
  bool keepAlive_ = false;
  std::unique_ptr<ResponseBody> stream_;
  std::unique_ptr<std::ostream> out_;
};

class EdgeRequest final : public Poco::Net::HTTPServerRequest {
 public:
  EdgeRequest(const RequestHead& head, Connection& connection, BodyReader& body,
              EdgeResponse& response, const Poco::Net::HTTPServerParams& params);

  std::istream& stream() override { return stream_; }
  const Poco::Net::SocketAddress& clientAddress() const override { return connection_.peer(); }
  const Poco::Net::SocketAddress& serverAddress() const override { return connection_.local(); }
  const Poco::Net::HTTPServerParams& serverParams() const override { return params_; }
  Poco::Net::HTTPServerResponse& response() const override { return response_; }
  bool secure() const override { return false; }

 private:
  Connection& connection_;
  std::istream stream_;
  EdgeResponse& response_;
  const Poco::Net::HTTPServerParams& params_;
};

/// {"code", "message", "details"}: the API's error object, written once for every error the
/// broker answers (the edge's own and the API's).
void writeErrorObject(core::JsonWriter& json, std::string_view code, std::string_view message,
                      const std::vector<std::string>& details);
/// {"error": {...}} as a whole body.
std::string errorBody(std::string_view code, std::string_view message,
                      const std::vector<std::string>& details = {});
/// The body for `error`, its code named after its status ("RequestTimeout" for 408, …).
std::string protocolErrorJson(const ProtocolError& error);

/// The full text of an answer the edge gives by itself (a ProtocolError, 503 when saturated):
/// status line, JSON error body in the API's shape, `Connection: close`.
std::string protocolAnswer(const ProtocolError& error, std::string_view extraFields = {});

/// "HTTP/1.1 <status> <reason>\r\n"
std::string statusLine(int status);

}  // namespace broker::server
