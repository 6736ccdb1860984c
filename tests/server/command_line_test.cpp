// The command line: `COMMAND --help` for every command, the API key's own flag (the old
// `--key` still works, with a warning), a --filter that is not JSON named before anything is
// sent.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <sstream>
#include <string_view>
#include <vector>

#include "server/commands.h"

namespace broker::server {
namespace {

using ::testing::HasSubstr;

struct Result {
  int code = 0;
  std::string out;
  std::string err;
};

Result run(std::vector<std::string_view> args) {
  std::ostringstream out;
  std::ostringstream err;
  const int code = runCommand(args, out, err);
  return {code, out.str(), err.str()};
}

TEST(CommandLineTest, EveryCommandSaysWhatItTakes) {
  for (std::string_view command :
       {"serve", "register", "list", "describe", "call", "batch", "refresh", "remove"}) {
    const Result r = run({command, "--help"});
    EXPECT_EQ(r.code, 0) << command << ": " << r.err;
    EXPECT_THAT(r.out, HasSubstr("usage: odata-broker " + std::string(command))) << command;
  }
  EXPECT_THAT(run({"call", "--help"}).out, HasSubstr("--api-key KEY"));
  EXPECT_THAT(run({"describe", "-h"}).out, HasSubstr("--set name=value"));
  EXPECT_EQ(run({"--help"}).code, 0);
  EXPECT_EQ(run({}).code, 2);
  EXPECT_THAT(run({"nonsense"}).err, HasSubstr("unknown command 'nonsense'"));
}

TEST(CommandLineTest, AFilterThatIsNotJsonIsNamed) {
  const Result r = run({"call", "demo", "Products", "List", "--filter", "{equals: 1}", "--url",
                        "http://127.0.0.1:9"});
  EXPECT_EQ(r.code, 2);
  EXPECT_THAT(r.err, HasSubstr("--filter is not valid JSON"));
  EXPECT_THAT(run({"call", "demo", "Products", "List", "--filter", "[1]"}).err,
              HasSubstr("--filter must be a JSON object"));
}

}  // namespace
}  // namespace broker::server
