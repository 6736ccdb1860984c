#include "broker/core/temp_file.h"

#include <gtest/gtest.h>
#include <sys/stat.h>

#include <filesystem>
#include <utility>

namespace broker::core {
namespace {

TEST(TempFileTest, LivesAsLongAsItsOwnerAndOnlyItsUserMayReadIt) {
  std::string path;
  {
    TempFile file;
    path = file.path();
    ASSERT_TRUE(std::filesystem::exists(path));
    struct stat info {};
    ASSERT_EQ(stat(path.c_str(), &info), 0);
    EXPECT_EQ(info.st_mode & 0777, 0600u);
    TempFile moved = std::move(file);
    EXPECT_EQ(moved.path(), path);
    EXPECT_TRUE(file.path().empty());  // NOLINT(bugprone-use-after-move): the moved-from state
  }
  EXPECT_FALSE(std::filesystem::exists(path));
}

}  // namespace
}  // namespace broker::core
