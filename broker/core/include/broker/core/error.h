// The broker's one error type: a code that maps to an HTTP status, a message that names what
// was wrong, and optional details. Every module throws it; no third-party exception crosses a
// public header.
#pragma once

#include <exception>
#include <string>
#include <string_view>
#include <vector>

namespace broker::core {

/// What kind of failure an Error is; each maps to one HTTP status (see httpStatus()).
enum class ErrorCode {
  kInvalidArgument,     ///< 400: bad input (metadata, filter, body, key, setting)
  kUnauthenticated,     ///< 401
  kPermissionDenied,    ///< 403
  kNotFound,            ///< 404: unknown instance, object, method or record
  kConflict,            ///< 409
  kPreconditionFailed,  ///< 412: ETag mismatch
  kMethodNotAllowed,    ///< 405: a path the API has, with a verb it does not take
  kPayloadTooLarge,     ///< 413: a request body over the configured limit
  kUpstreamFailure,     ///< 502: the OData service failed
  kUpstreamTimeout,     ///< 504: the OData service did not answer in time
  kInternal,            ///< 500: a defect of the broker itself
  kFailedDependency,    ///< 424: not applied because another call of its change set failed
  kUnavailable,         ///< 503: the broker cannot do it now (its store is unreachable)
};

/// The HTTP status for a code (InvalidArgument → 400, …, Internal → 500).
int httpStatus(ErrorCode code) noexcept;

/// The code's stable name as used in JSON error bodies, e.g. "InvalidArgument".
std::string_view errorCodeName(ErrorCode code) noexcept;

/// An error with a code, a message that names the offending input, and optional details
/// (upstream status, body, trace). Immutable; safe to copy and to share between threads.
class Error : public std::exception {
 public:
  Error(ErrorCode code, std::string message, std::vector<std::string> details = {});

  ErrorCode code() const noexcept { return code_; }
  const std::string& message() const noexcept { return message_; }
  const std::vector<std::string>& details() const noexcept { return details_; }
  const char* what() const noexcept override { return message_.c_str(); }

 private:
  ErrorCode code_;
  std::string message_;
  std::vector<std::string> details_;
};

}  // namespace broker::core
