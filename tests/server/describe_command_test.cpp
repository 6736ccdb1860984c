// The describe command, run in-process on the bundled sample and on bad input.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <sstream>
#include <vector>

#include "server/commands.h"

namespace broker::server {
namespace {

using ::testing::HasSubstr;

constexpr const char* kSample = BROKER_SOURCE_DIR "/samples/metadata/demo-v4.xml";

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

TEST(DescribeCommandTest, PrintsTheSampleCatalog) {
  const Result r = describe({"--metadata", kSample});
  EXPECT_EQ(r.code, 0) << r.err;
  EXPECT_THAT(r.out, HasSubstr("OData 4.0: 8 Entities, 3 Operations, 2 ObjectTypes"));
  EXPECT_THAT(r.out, HasSubstr("\nEntities/Products\n"));
  EXPECT_THAT(r.out, HasSubstr("    ID               Number     Edm.Int32  key\n"));
  EXPECT_THAT(r.out, HasSubstr("\nOperations/GetProductsByRating(Int32 rating)\n"));
  EXPECT_THAT(r.out, HasSubstr("    Content            File       Edm.Stream\n"));
}

TEST(DescribeCommandTest, AppliesServiceKeysAndPrintsJson) {
  const Result r =
      describe({"--metadata", kSample, "--set", "namesUseMethodFullName=false", "--json"});
  EXPECT_EQ(r.code, 0) << r.err;
  EXPECT_THAT(r.out, HasSubstr("\"name\": \"GetProductsByRating\","));
  EXPECT_THAT(r.out, HasSubstr("\"odataVersion\": \"4.0\""));
}

TEST(DescribeCommandTest, RejectsUnknownServiceKeys) {
  const Result r = describe({"--metadata", kSample, "--set", "bogus=1"});
  EXPECT_EQ(r.code, 1);
  EXPECT_THAT(r.err, HasSubstr("unknown service key 'bogus'"));
  EXPECT_THAT(describe({"--metadata", "x", "--set", "novalue"}).err,
              HasSubstr("--set takes name=value, not 'novalue'"));
  // The old form still works.
  EXPECT_EQ(describe({"--metadata", kSample, "--key", "namesUseMethodFullName=false"}).code, 0);
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
