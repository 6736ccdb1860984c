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

/// How deep and how large a JSON request body may be before it is parsed into a document.
struct JsonLimits {
  std::size_t maxDepth = 64;          ///< nested arrays and objects
  std::size_t maxValues = 1'000'000;  ///< values of any kind (each costs a document node)
};

/// Checks `json` without parsing it into a document: nesting within `limits.maxDepth` and
/// values within `limits.maxValues`, so that no body costs more memory than a small multiple
/// of its size. Throws core::Error(kInvalidArgument) naming the limit and its setting.
void checkJsonShape(std::string_view json, const JsonLimits& limits);

class Exchange {
 public:
  Exchange(Poco::Net::HTTPServerRequest& request, Poco::Net::HTTPServerResponse& response,
           std::size_t maxBodyBytes, JsonLimits jsonLimits)
      : request_(request),
        response_(response),
        maxBodyBytes_(maxBodyBytes),
        jsonLimits_(jsonLimits) {}

  Poco::Net::HTTPServerRequest& request() { return request_; }
  Poco::Net::HTTPServerResponse& response() { return response_; }

  /// The body, a JSON text checked with checkJsonShape; throws core::Error(kPayloadTooLarge)
  /// over the limit.
  std::string body();
  /// The body as a JSON object; throws core::Error(kInvalidArgument) naming the problem.
  Poco::JSON::Object::Ptr jsonBody();
  /// The body with file contents spooled to temporary files (an execute body); the JSON is
  /// held to maxBodyBytes, the contents to `maxStreamBytes`.
  SpooledBody spooledBody(std::uint64_t maxStreamBytes, std::size_t maxFiles);

  /// Sends `json` with `status`.
  void reply(int status, const std::string& json);
  /// Sends text of the given content type.
  void replyText(int status, std::string_view contentType, const std::string& text);
  /// Sends `status` with no body (204).
  void replyEmpty(int status);
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
  JsonLimits jsonLimits_;
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
