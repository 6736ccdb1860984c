// Secrets at rest: AES-256-GCM round trips, the key file's creation and checks, tampering.
#include "auth/secret_box.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <sys/stat.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>

#include "broker/core/error.h"

namespace broker::auth {
namespace {

using ::testing::HasSubstr;

class SecretBoxTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = std::filesystem::temp_directory_path() / ("secret-box-" + std::to_string(::getpid()));
    std::filesystem::remove_all(dir_);
    std::filesystem::create_directories(dir_);
  }
  void TearDown() override { std::filesystem::remove_all(dir_); }

  std::string failure(const std::function<void()>& action) {
    try {
      action();
    } catch (const core::Error& e) {
      EXPECT_EQ(e.code(), core::ErrorCode::kInvalidArgument);
      return e.message();
    }
    ADD_FAILURE() << "no error";
    return {};
  }

  std::filesystem::path dir_;
};

TEST_F(SecretBoxTest, CreatesAPrivateKeyFileAndRoundTrips) {
  const auto file = dir_ / "secret.key";
  const SecretBox box = SecretBox::openKeyFile(file);
  struct stat info {};
  ASSERT_EQ(::stat(file.c_str(), &info), 0);
  EXPECT_EQ(info.st_mode & 0777, 0600u);
  EXPECT_EQ(info.st_size, 32);

  const std::string sealed = box.seal("p@ssw0rd ünïcode");
  EXPECT_TRUE(SecretBox::isSealed(sealed));
  EXPECT_THAT(sealed, ::testing::Not(HasSubstr("p@ss")));
  EXPECT_NE(box.seal("p@ssw0rd ünïcode"), sealed);  // a fresh nonce every time
  EXPECT_EQ(box.open(sealed), "p@ssw0rd ünïcode");
  EXPECT_EQ(box.open(box.seal("")), "");
  // The same file opens to the same key.
  EXPECT_EQ(SecretBox::openKeyFile(file).open(sealed), "p@ssw0rd ünïcode");
}

TEST_F(SecretBoxTest, AnotherKeyOrAnAlteredSecretDoesNotOpen) {
  const SecretBox box = SecretBox::openKeyFile(dir_ / "one.key");
  const SecretBox other = SecretBox::openKeyFile(dir_ / "two.key");
  const std::string sealed = box.seal("secret");
  EXPECT_THAT(failure([&] { other.open(sealed); }), HasSubstr("cannot be decrypted"));
  std::string altered = sealed;
  altered[10] = altered[10] == 'A' ? 'B' : 'A';
  EXPECT_THAT(failure([&] { box.open(altered); }), HasSubstr("cannot be decrypted"));
  EXPECT_THAT(failure([&] { box.open("plain"); }), HasSubstr("not in the sealed form"));
  EXPECT_THAT(failure([&] { box.open("v1:***"); }), HasSubstr("not in the sealed form"));
}

TEST_F(SecretBoxTest, RefusesKeyFilesOthersCanReadOrOfTheWrongSize) {
  const auto open = dir_ / "open.key";
  std::ofstream(open) << std::string(32, 'k');
  ::chmod(open.c_str(), 0644);
  EXPECT_THAT(failure([&] { SecretBox::openKeyFile(open); }), HasSubstr("mode 0600"));
  const auto shortKey = dir_ / "short.key";
  std::ofstream(shortKey) << "short";
  ::chmod(shortKey.c_str(), 0600);
  EXPECT_THAT(failure([&] { SecretBox::openKeyFile(shortKey); }), HasSubstr("exactly 32 bytes"));
  EXPECT_THAT(failure([&] { SecretBox::openKeyFile(dir_ / "no" / "such.key"); }),
              HasSubstr("cannot be created"));
}

}  // namespace
}  // namespace broker::auth
