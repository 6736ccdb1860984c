// Error codes, their HTTP statuses and names.
#include "broker/core/error.h"

#include <utility>

namespace broker::core {

namespace {

struct CodeInfo {
  int status;
  std::string_view name;
};

constexpr CodeInfo kCodes[] = {
    {400, "InvalidArgument"},  {401, "Unauthenticated"}, {403, "PermissionDenied"},
    {404, "NotFound"},         {409, "Conflict"},        {412, "PreconditionFailed"},
    {405, "MethodNotAllowed"}, {413, "PayloadTooLarge"}, {502, "UpstreamFailure"},
    {504, "UpstreamTimeout"},  {500, "Internal"},        {424, "FailedDependency"},
    {503, "Unavailable"},
};

const CodeInfo& info(ErrorCode code) noexcept { return kCodes[static_cast<int>(code)]; }

}  // namespace

int httpStatus(ErrorCode code) noexcept { return info(code).status; }

std::string_view errorCodeName(ErrorCode code) noexcept { return info(code).name; }

Error::Error(ErrorCode code, std::string message, std::vector<std::string> details)
    : code_(code), message_(std::move(message)), details_(std::move(details)) {}

}  // namespace broker::core
