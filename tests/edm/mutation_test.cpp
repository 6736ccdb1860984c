// Damaged metadata: every corpus document under 1 MB, cut, with bytes changed, with a stretch
// removed or repeated, in a few hundred seeded ways. Each either loads or fails with an
// invalid-argument error that says what is wrong; none crashes or fails another way.
#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <random>
#include <sstream>
#include <string>
#include <vector>

#include "broker/core/error.h"
#include "broker/edm/edmx_loader.h"

namespace broker::edm {
namespace {

namespace fs = std::filesystem;

std::string damaged(const std::string& document, std::mt19937& random) {
  std::string out = document;
  auto position = [&random](std::size_t size) {
    return std::uniform_int_distribution<std::size_t>(0, size == 0 ? 0 : size - 1)(random);
  };
  switch (random() % 4) {
    case 0:  // cut
      out.resize(position(out.size()));
      break;
    case 1:  // a few bytes changed, markup characters among them
      for (int i = 0; i < 4; ++i) {
        constexpr char kBytes[] =
            "<>/=\"'&;: \x00\xC3\xFF"
            "aZ";
        out[position(out.size())] = kBytes[random() % (sizeof kBytes - 1)];
      }
      break;
    case 2: {  // a stretch removed
      const std::size_t from = position(out.size());
      out.erase(from, std::min<std::size_t>(1 + random() % 400, out.size() - from));
      break;
    }
    default: {  // a stretch repeated
      const std::size_t from = position(out.size());
      const std::string stretch = out.substr(from, 1 + random() % 400);
      out.insert(position(out.size()), stretch);
      break;
    }
  }
  return out;
}

TEST(MutationTest, DamagedDocumentsLoadOrFailWithAnError) {
  std::vector<fs::path> files;
  for (const auto& entry : fs::directory_iterator(BROKER_CORPUS_DIR)) {
    if (entry.path().extension() == ".xml" && entry.file_size() < (1u << 20)) {
      files.push_back(entry.path());
    }
  }
  std::sort(files.begin(), files.end());
  ASSERT_FALSE(files.empty());
  int loaded = 0;
  int refused = 0;
  for (const fs::path& file : files) {
    std::ifstream in(file, std::ios::binary);
    std::stringstream bytes;
    bytes << in.rdbuf();
    std::mt19937 random(static_cast<unsigned>(std::hash<std::string>()(file.filename())));
    for (int round = 0; round < 150; ++round) {
      const std::string document = damaged(bytes.str(), random);
      try {
        EdmxLoader::load(document);
        ++loaded;
      } catch (const core::Error& e) {
        ++refused;
        ASSERT_EQ(e.code(), core::ErrorCode::kInvalidArgument)
            << file.filename() << " round " << round << ": " << e.message();
        ASSERT_FALSE(e.message().empty()) << file.filename() << " round " << round;
      }
    }
  }
  // Most damage is caught; some (inside a description, say) leaves a valid document.
  EXPECT_GT(refused, loaded);
  std::printf("damaged documents: %d refused with an error, %d still valid\n", refused, loaded);
}

}  // namespace
}  // namespace broker::edm
