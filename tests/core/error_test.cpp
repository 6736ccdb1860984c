// Error codes map to the HTTP statuses and names of the API contract.
#include "broker/core/error.h"

#include <gtest/gtest.h>

namespace broker::core {
namespace {

struct CodeCase {
  ErrorCode code;
  int status;
  std::string_view name;
};

class ErrorCodeTest : public testing::TestWithParam<CodeCase> {};

TEST_P(ErrorCodeTest, MapsToStatusAndName) {
  EXPECT_EQ(httpStatus(GetParam().code), GetParam().status);
  EXPECT_EQ(errorCodeName(GetParam().code), GetParam().name);
}

INSTANTIATE_TEST_SUITE_P(
    AllCodes, ErrorCodeTest,
    testing::Values(CodeCase{ErrorCode::kInvalidArgument, 400, "InvalidArgument"},
                    CodeCase{ErrorCode::kUnauthenticated, 401, "Unauthenticated"},
                    CodeCase{ErrorCode::kPermissionDenied, 403, "PermissionDenied"},
                    CodeCase{ErrorCode::kNotFound, 404, "NotFound"},
                    CodeCase{ErrorCode::kConflict, 409, "Conflict"},
                    CodeCase{ErrorCode::kPreconditionFailed, 412, "PreconditionFailed"},
                    CodeCase{ErrorCode::kMethodNotAllowed, 405, "MethodNotAllowed"},
                    CodeCase{ErrorCode::kPayloadTooLarge, 413, "PayloadTooLarge"},
                    CodeCase{ErrorCode::kUpstreamFailure, 502, "UpstreamFailure"},
                    CodeCase{ErrorCode::kUpstreamTimeout, 504, "UpstreamTimeout"},
                    CodeCase{ErrorCode::kInternal, 500, "Internal"},
                    CodeCase{ErrorCode::kFailedDependency, 424, "FailedDependency"},
                    CodeCase{ErrorCode::kUnavailable, 503, "Unavailable"}));

TEST(ErrorTest, KeepsMessageAndDetails) {
  const Error error(ErrorCode::kNotFound, "no instance 'x'", {"status 404"});
  EXPECT_EQ(error.code(), ErrorCode::kNotFound);
  EXPECT_STREQ(error.what(), "no instance 'x'");
  ASSERT_EQ(error.details().size(), 1u);
  EXPECT_EQ(error.details()[0], "status 404");
}

}  // namespace
}  // namespace broker::core
