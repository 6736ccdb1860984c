// Golden catalogs: the JSON catalog of five corpus documents, with the default keys and with
// the naming and list-input keys flipped, compared with files under golden/. After a deliberate
// change, regenerate with BROKER_UPDATE_GOLDEN=1 and review the diff by hand.
#include <gtest/gtest.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "broker/edm/edmx_loader.h"
#include "serviceobjects/catalog.h"
#include "serviceobjects/catalog_json.h"

namespace serviceobjects {
namespace {

namespace fs = std::filesystem;

struct GoldenCase {
  std::string document;  // corpus file stem
  bool flipped;
};

const std::vector<std::pair<std::string, std::string>> kFlippedKeys = {
    {"namesAppendPropertyTypes", "false"},
    {"namesUseMethodFullName", "false"},
    {"addNavigationPropertiesToListMethods", "true"},
    {"addQueryOptionsProperty", "true"},
};

std::string readFile(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

class GoldenCatalogTest : public ::testing::TestWithParam<GoldenCase> {};

TEST_P(GoldenCatalogTest, MatchesGolden) {
  const GoldenCase& c = GetParam();
  std::vector<std::pair<std::string, std::string>> pairs = {{"serviceUrl", "http://127.0.0.1/"}};
  if (c.flipped) pairs.insert(pairs.end(), kFlippedKeys.begin(), kFlippedKeys.end());
  const auto model =
      broker::edm::EdmxLoader::loadFile(fs::path(BROKER_CORPUS_DIR) / (c.document + ".xml"));
  const std::string actual = toJson(*Catalog::build(model, config::ServiceKeys::parse(pairs)));
  const fs::path golden = fs::path(BROKER_SOURCE_DIR) / "tests/serviceobjects/golden" /
                          (c.document + (c.flipped ? ".flipped.json" : ".json"));
  if (std::getenv("BROKER_UPDATE_GOLDEN") != nullptr) {
    std::ofstream(golden, std::ios::binary) << actual;
  }
  ASSERT_TRUE(fs::exists(golden)) << golden;
  EXPECT_EQ(actual, readFile(golden)) << "catalog differs from " << golden;
}

INSTANTIATE_TEST_SUITE_P(
    Corpus, GoldenCatalogTest,
    ::testing::Values(GoldenCase{"odatademo-v3", false}, GoldenCase{"odatademo-v3", true},
                      GoldenCase{"trippin-v4", false}, GoldenCase{"trippin-v4", true},
                      GoldenCase{"gwsample-basic-v2", false}, GoldenCase{"gwsample-basic-v2", true},
                      GoldenCase{"northwind-v4", false}, GoldenCase{"northwind-v4", true},
                      GoldenCase{"pyodata-example-srv-v2", false},
                      GoldenCase{"pyodata-example-srv-v2", true}),
    [](const ::testing::TestParamInfo<GoldenCase>& info) {
      std::string name = info.param.document + (info.param.flipped ? "_flipped" : "");
      for (char& ch : name) {
        if (!std::isalnum(static_cast<unsigned char>(ch))) ch = '_';
      }
      return name;
    });

// Every corpus document yields a catalog.
TEST(CorpusCatalogTest, EveryDocumentBuildsACatalog) {
  std::size_t documents = 0;
  for (const auto& entry : fs::directory_iterator(BROKER_CORPUS_DIR)) {
    if (entry.path().extension() != ".xml") continue;
    ++documents;
    const auto model = broker::edm::EdmxLoader::loadFile(entry.path());
    const auto catalog = Catalog::build(model, config::ServiceKeys::defaults("http://127.0.0.1/"));
    EXPECT_NE(catalog->find("HttpHeader"), nullptr) << entry.path();
    std::size_t entitySets = 0;  // of every container: none is dropped
    for (const auto& schema : model->schemas) {
      for (const auto& container : schema.containers) entitySets += container.entitySets.size();
    }
    EXPECT_EQ(catalog->warnings().size(), 0u) << entry.path();
    std::size_t entities = 0;
    for (const ServiceObject& so : catalog->objects()) entities += so.folder == Folder::kEntities;
    EXPECT_EQ(entities, entitySets) << entry.path();
  }
  EXPECT_GE(documents, 21u);
}

}  // namespace
}  // namespace serviceobjects
