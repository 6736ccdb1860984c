// The describe command, run in-process on the bundled sample and on bad input.
#include "describe_command.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <sstream>
#include <vector>

namespace broker::server {
namespace {

using ::testing::HasSubstr;

struct Result {
  int code;
  std::string out;
  std::string err;
};

Result describe(std::vector<std::string_view> args) {
  std::ostringstream out;
  std::ostringstream err;
  const int code = runDescribe(args, out, err);
  return {code, out.str(), err.str()};
}

TEST(DescribeCommandTest, PrintsTheSampleModel) {
  const Result r = describe({"--metadata", BROKER_SOURCE_DIR "/samples/metadata/demo-v4.xml"});
  EXPECT_EQ(r.code, 0) << r.err;
  EXPECT_THAT(r.out, HasSubstr("OData 4.0"));
  EXPECT_THAT(
      r.out,
      HasSubstr(
          "entity set Products : DemoService.Products (key: ID; 10 properties, 3 navigation)"));
  EXPECT_THAT(r.out, HasSubstr("entity set Pictures : DemoService.Pictures (key: ID; 2 properties, "
                               "0 navigation; media)"));
  EXPECT_THAT(r.out, HasSubstr("operation  GetProductsByRating (1 overload)"));
}

TEST(DescribeCommandTest, ReportsBadMetadataWithItsPosition) {
  const Result r = describe({"--metadata", BROKER_SOURCE_DIR "/README.md"});
  EXPECT_EQ(r.code, 1);
  EXPECT_THAT(r.err, HasSubstr("README.md: malformed XML at line 1"));
}

TEST(DescribeCommandTest, RejectsBadArguments) {
  EXPECT_EQ(describe({}).code, 2);
  EXPECT_THAT(describe({"--bogus"}).err, HasSubstr("unknown argument '--bogus'"));
}

}  // namespace
}  // namespace broker::server
