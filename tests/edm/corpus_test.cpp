// Every document of the shared metadata corpus loads, and the model holds exactly as many of
// each kind of element as an independent XPath count (xmllint) finds in the document.
#include <gtest/gtest.h>

#include <array>
#include <cstdio>
#include <filesystem>
#include <memory>
#include <sstream>
#include <string>
#include <vector>

#include "broker/core/error.h"
#include "broker/edm/edmx_loader.h"

namespace broker::edm {
namespace {

namespace fs = std::filesystem;

// What is counted, as an XPath over local names, in the order of Counts' fields.
constexpr std::array<const char*, 12> kCountedXPaths = {
    "count(//*[local-name()='EntityType'])",
    "count(//*[local-name()='ComplexType'])",
    "count(//*[local-name()='EnumType'])",
    "count(//*[local-name()='TypeDefinition'])",
    "count(//*[local-name()='EntitySet'])",
    "count(//*[local-name()='Singleton'])",
    "count(//*[local-name()='Association'])",
    "count(//*[local-name()='AssociationSet'])",
    "count(//*[local-name()='NavigationProperty'])",
    "count(//*[local-name()='Property'][parent::*[local-name()='EntityType' or "
    "local-name()='ComplexType']])",
    "count(//*[local-name()='Function' or local-name()='Action'])",
    "count(//*[local-name()='FunctionImport' or local-name()='ActionImport'])",
};

using Counts = std::array<long, kCountedXPaths.size()>;

constexpr std::array<const char*, kCountedXPaths.size()> kCountNames = {
    "entity types",     "complex types",         "enum types",
    "type definitions", "entity sets",           "singletons",
    "associations",     "association sets",      "navigation properties",
    "properties",       "functions and actions", "operation imports",
};

Counts countWithXmllint(const fs::path& file) {
  std::string expression = "concat(";
  for (std::size_t i = 0; i < kCountedXPaths.size(); ++i) {
    expression += (i == 0 ? "" : ",' ',");
    expression += kCountedXPaths[i];
  }
  expression += ")";
  const std::string command = "xmllint --xpath \"" + expression + "\" '" + file.string() + "'";
  std::unique_ptr<FILE, int (*)(FILE*)> pipe(popen(command.c_str(), "r"), pclose);
  if (!pipe) throw std::runtime_error("cannot run xmllint");
  std::string output;
  std::array<char, 256> buffer{};
  while (fgets(buffer.data(), buffer.size(), pipe.get()) != nullptr) output += buffer.data();
  Counts counts{};
  std::istringstream in(output);
  for (long& count : counts) {
    if (!(in >> count)) throw std::runtime_error("xmllint printed '" + output + "'");
  }
  return counts;
}

Counts countInModel(const Model& model) {
  Counts c{};
  for (const Schema& schema : model.schemas) {
    c[0] += static_cast<long>(schema.entityTypes.size());
    c[1] += static_cast<long>(schema.complexTypes.size());
    c[2] += static_cast<long>(schema.enumTypes.size());
    c[3] += static_cast<long>(schema.typeDefinitions.size());
    c[6] += static_cast<long>(schema.associations.size());
    c[10] += static_cast<long>(schema.operations.size());
    auto structured = [&c](const auto& types) {
      for (const StructuredType& type : types) {
        c[8] += static_cast<long>(type.navigationProperties.size());
        c[9] += static_cast<long>(type.properties.size());
      }
    };
    structured(schema.entityTypes);
    structured(schema.complexTypes);
    for (const EntityContainer& container : schema.containers) {
      for (const EntitySet& set : container.entitySets) ++c[set.singleton ? 5 : 4];
      c[7] += static_cast<long>(container.associationSets.size());
      c[11] += static_cast<long>(container.operationImports.size());
    }
  }
  return c;
}

std::vector<fs::path> corpusFiles() {
  std::vector<fs::path> files;
  for (const auto& entry : fs::directory_iterator(BROKER_CORPUS_DIR)) {
    if (entry.path().extension() == ".xml") files.push_back(entry.path());
  }
  std::sort(files.begin(), files.end());
  return files;
}

class CorpusTest : public ::testing::TestWithParam<fs::path> {};

TEST_P(CorpusTest, LoadsWithTheCountsOfTheDocument) {
  std::shared_ptr<const Model> model;
  try {
    model = EdmxLoader::loadFile(GetParam());
  } catch (const core::Error& e) {
    FAIL() << e.message();
  }
  const Counts expected = countWithXmllint(GetParam());
  const Counts actual = countInModel(*model);
  for (std::size_t i = 0; i < expected.size(); ++i) {
    EXPECT_EQ(actual[i], expected[i]) << kCountNames[i];
  }
  const bool v4 = model->edmxVersion != "1.0";
  EXPECT_EQ(v4, model->version >= ODataVersion::kV4);
}

INSTANTIATE_TEST_SUITE_P(SharedCorpus, CorpusTest, ::testing::ValuesIn(corpusFiles()),
                         [](const ::testing::TestParamInfo<fs::path>& info) {
                           std::string name = info.param.stem().string();
                           for (char& ch : name) {
                             if (!std::isalnum(static_cast<unsigned char>(ch))) ch = '_';
                           }
                           return name;
                         });

TEST(CorpusInventoryTest, HoldsTheWholeCorpus) { EXPECT_GE(corpusFiles().size(), 21u); }

// Spot checks of facts the corpus' SOURCES.md states, beyond counts.
TEST(CorpusFactsTest, VersionsAndNotableFeatures) {
  const fs::path dir = BROKER_CORPUS_DIR;
  EXPECT_EQ(EdmxLoader::loadFile(dir / "northwind-v3.xml")->version, ODataVersion::kV3);
  EXPECT_EQ(EdmxLoader::loadFile(dir / "northwind-v2.xml")->version, ODataVersion::kV2);
  EXPECT_EQ(EdmxLoader::loadFile(dir / "odatademo-v3.xml")->version, ODataVersion::kV3);
  auto graph = EdmxLoader::loadFile(dir / "msgraph-v1.xml");
  EXPECT_EQ(graph->schemas.size(), 11u);
  const auto* user = static_cast<const EntityType*>(graph->findType("graph.user"));
  ASSERT_NE(user, nullptr);
  EXPECT_EQ(user->key().at(0).name, "id");  // inherited from microsoft.graph.entity
  auto russian = EdmxLoader::loadFile(dir / "onec-enterprise-russian-v3.xml");
  EXPECT_NE(russian->findType("StandardODATA.Catalog_УдалитьСерверыДокументооборота"), nullptr);
  auto pyodata = EdmxLoader::loadFile(dir / "pyodata-example-srv-v2.xml");
  EXPECT_EQ(pyodata->defaultContainer()->name, "EXAMPLE_SRV");
  auto trippin = EdmxLoader::loadFile(dir / "trippin-v4.xml");
  const auto* photo = static_cast<const EntityType*>(
      trippin->findType("Microsoft.OData.SampleService.Models.TripPin.Photo"));
  ASSERT_NE(photo, nullptr);
  EXPECT_TRUE(photo->hasStream);
}

}  // namespace
}  // namespace broker::edm
