// One API request and its response: the body read under the size limit, JSON replies, error
// replies in the contract's shape, and the status the exchange ended with (for logs and
// metrics).
#pragma once

#include <Poco/JSON/Object.h>
#include <Poco/Net/HTTPServerRequest.h>
#include <Poco/Net/HTTPServerResponse.h>

#include <cstddef>
#include <string>
#include <string_view>

#include "broker/core/error.h"
#include "broker/core/json_writer.h"
#include "upload_spool.h"

namespace broker::server {

class Exchange {
 public:
  Exchange(Poco::Net::HTTPServerRequest& request, Poco::Net::HTTPServerResponse& response,
           std::size_t maxBodyBytes)
      : request_(request), response_(response), maxBodyBytes_(maxBodyBytes) {}

  Poco::Net::HTTPServerRequest& request() { return request_; }
  Poco::Net::HTTPServerResponse& response() { return response_; }

  /// The body; throws core::Error(kPayloadTooLarge) over the limit.
  std::string body();
  /// The body as a JSON object; throws core::Error(kInvalidArgument) naming the problem.
  Poco::JSON::Object::Ptr jsonBody();
  /// The body with file contents spooled to temporary files (an execute body); the JSON is
  /// held to maxBodyBytes, the contents to `maxStreamBytes`.
  SpooledBody spooledBody(std::uint64_t maxStreamBytes);

  /// Sends `json` with `status`.
  void reply(int status, const std::string& json);
  /// Sends text of the given content type.
  void replyText(int status, std::string_view contentType, const std::string& text);
  /// Sends {"error": {"code", "message", "details"}} with the error's status.
  void replyError(const core::Error& error);

  /// Starts a chunked JSON response with status 200 and returns its stream.
  std::ostream& beginStream();

  bool sent() const { return response_.sent(); }
  int status() const { return status_; }

 private:
  Poco::Net::HTTPServerRequest& request_;
  Poco::Net::HTTPServerResponse& response_;
  std::size_t maxBodyBytes_;
  int status_ = 0;
};

/// {"code", "message", "details"} of `error`, as the value of an "error" member.
void writeError(core::JsonWriter& json, const core::Error& error);
/// {"error": {...}} for `error`.
std::string errorJson(const core::Error& error);

/// An optional string member of `object` (empty when absent or null); throws
/// core::Error(kInvalidArgument) "<member> must be a string" for another type.
std::string optionalString(const Poco::JSON::Object& object, const std::string& member);

}  // namespace broker::server
