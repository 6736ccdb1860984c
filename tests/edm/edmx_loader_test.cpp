// The loader's entry points: versions, CSDL namespaces, security, limits and malformed input.
#include "broker/edm/edmx_loader.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <algorithm>

#include "broker/core/error.h"
#include "edmx_documents.h"

namespace broker::edm {
namespace {

using ::testing::HasSubstr;
using testing::loadError;
using testing::v2Document;
using testing::v4Document;
using testing::v4Schema;

constexpr std::string_view kProduct = R"x(
      <EntityType Name="Product"><Key><PropertyRef Name="ID"/></Key>
        <Property Name="ID" Type="Edm.Int32" Nullable="false"/></EntityType>)x";

struct VersionCase {
  std::string_view dsv;
  std::string_view maxDsv;
  std::string_view csdl;
  ODataVersion expected;
};

class DataServiceVersionTest : public ::testing::TestWithParam<VersionCase> {};

TEST_P(DataServiceVersionTest, DetectsVersion) {
  const VersionCase& c = GetParam();
  auto model = EdmxLoader::load(v2Document("NS", kProduct, c.dsv, c.csdl, c.maxDsv));
  EXPECT_EQ(model->version, c.expected);
  EXPECT_EQ(model->dataServiceVersion, c.dsv);
  EXPECT_EQ(model->edmxVersion, "1.0");
}

constexpr std::string_view k2006 = "http://schemas.microsoft.com/ado/2006/04/edm";
constexpr std::string_view k2007 = "http://schemas.microsoft.com/ado/2007/05/edm";
constexpr std::string_view k200801 = "http://schemas.microsoft.com/ado/2008/01/edm";
constexpr std::string_view k200809 = "http://schemas.microsoft.com/ado/2008/09/edm";
constexpr std::string_view k2009 = "http://schemas.microsoft.com/ado/2009/11/edm";

INSTANTIATE_TEST_SUITE_P(EdmxOne, DataServiceVersionTest,
                         ::testing::Values(VersionCase{"1.0", "", k2006, ODataVersion::kV2},
                                           VersionCase{"1.0", "", k2007, ODataVersion::kV2},
                                           VersionCase{"2.0", "", k200801, ODataVersion::kV2},
                                           VersionCase{"2.0", "", k200809, ODataVersion::kV2},
                                           VersionCase{"3.0", "", k2009, ODataVersion::kV3},
                                           VersionCase{"1.0", "3.0", k200809, ODataVersion::kV3},
                                           VersionCase{"2.0", "2.0", k200809, ODataVersion::kV2},
                                           VersionCase{"", "", k2009, ODataVersion::kV3},
                                           VersionCase{"", "", k200809, ODataVersion::kV2}));

TEST(EdmxLoaderTest, DetectsV4AndV401) {
  EXPECT_EQ(EdmxLoader::load(v4Document(v4Schema("NS", kProduct)))->version, ODataVersion::kV4);
  std::string v401 = v4Document(v4Schema("NS", kProduct));
  v401.replace(v401.find("Version=\"4.0\""), 13, "Version=\"4.01\"");
  EXPECT_EQ(EdmxLoader::load(v401)->version, ODataVersion::kV401);
}

// A name with a '/' once crashed the catalog (read as a property path). Names that are not
// OData identifiers are refused with their line, whatever element carries them.
TEST(EdmxLoaderTest, RefusesNamesThatAreNotIdentifiers) {
  struct Case {
    const char* name;
    std::string schema;
  };
  const Case cases[] = {
      {"slash in a property",
       R"(<EntityType Name="P"><Key><PropertyRef Name="ID"/></Key>
            <Property Name="ID" Type="Edm.Int32" Nullable="false"/>
            <Property Name="a/b" Type="Edm.String"/></EntityType>)"},
      {"dot in an entity type", R"(<EntityType Name="A.B"><Key><PropertyRef Name="ID"/></Key>
            <Property Name="ID" Type="Edm.Int32" Nullable="false"/></EntityType>)"},
      {"space in a navigation property",
       R"(<EntityType Name="P"><Key><PropertyRef Name="ID"/></Key>
            <Property Name="ID" Type="Edm.Int32" Nullable="false"/>
            <NavigationProperty Name="to it" Type="NS.P"/></EntityType>)"},
      {"leading digit in a complex type", R"(<ComplexType Name="1Address"/>)"},
      {"quote in an enum member",
       R"(<EnumType Name="E"><Member Name="a'b" Value="1"/></EnumType>)"},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(c.name);
    const std::string message = loadError(v4Document(v4Schema("NS", c.schema)));
    EXPECT_THAT(message, HasSubstr("is not an OData identifier"));
    EXPECT_THAT(message, HasSubstr("line "));
  }
  const std::string longName(129, 'a');
  EXPECT_THAT(loadError(v4Document(v4Schema("NS", "<ComplexType Name=\"" + longName + "\"/>"))),
              HasSubstr("longer than 128 characters"));
  // Letters of other scripts are letters.
  EXPECT_NO_THROW(EdmxLoader::load(v4Document(v4Schema(
      "NS",
      R"(<ComplexType Name="Адрес"><Property Name="Улица_1" Type="Edm.String"/></ComplexType>)"))));
}

TEST(EdmxLoaderTest, RejectsUnknownVersions) {
  std::string v5 = v4Document(v4Schema("NS", kProduct));
  v5.replace(v5.find("Version=\"4.0\""), 13, "Version=\"5.0\"");
  EXPECT_THAT(loadError(v5), HasSubstr("unsupported EDMX Version '5.0'"));
  EXPECT_THAT(loadError(v2Document("NS", kProduct, "7.0")),
              HasSubstr("unsupported DataServiceVersion '7.0'"));
}

TEST(EdmxLoaderTest, RejectsVersionThatDoesNotMatchNamespace) {
  std::string mixed = v4Document(v4Schema("NS", kProduct));
  mixed.replace(mixed.find("Version=\"4.0\""), 13, "Version=\"1.0\"");
  EXPECT_THAT(loadError(mixed), HasSubstr("does not match the edmx namespace"));
}

TEST(EdmxLoaderTest, AcceptsByteOrderMarkAndLeadingComment) {
  const std::string document =
      "\xEF\xBB\xBF<!-- licence -->\n" + v4Document(v4Schema("NS", kProduct)).substr(39);
  EXPECT_EQ(EdmxLoader::load(document)->schemas.at(0).entityTypes.size(), 1u);
}

TEST(EdmxLoaderTest, ReportsMalformedXmlWithPosition) {
  const std::string message = loadError(
      "<edmx:Edmx Version=\"4.0\" xmlns:edmx=\"http://docs.oasis-open.org/odata/ns/edmx\">\n"
      "  <edmx:DataServices>\n  </edmx:Data>\n</edmx:Edmx>");
  EXPECT_THAT(message, HasSubstr("malformed XML at line 3"));
}

TEST(EdmxLoaderTest, RejectsWrongRoot) {
  EXPECT_THAT(loadError("<Schema xmlns=\"http://docs.oasis-open.org/odata/ns/edm\"/>"),
              HasSubstr("root element must be edmx:Edmx, not 'Schema'"));
  EXPECT_THAT(loadError("<edmx:Edmx xmlns:edmx=\"urn:other\" Version=\"4.0\"/>"),
              HasSubstr("root element must be edmx:Edmx"));
}

TEST(EdmxLoaderTest, RejectsEmptyDocument) {
  EXPECT_THAT(loadError(""), HasSubstr("empty"));
  EXPECT_THAT(loadError("  \n"), HasSubstr("empty"));
}

TEST(EdmxLoaderTest, RefusesBillionLaughs) {
  const std::string document = R"x(<?xml version="1.0"?>
<!DOCTYPE lolz [
  <!ENTITY lol "lol">
  <!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
  <!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">
  <!ENTITY lol4 "&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;">
]>
<edmx:Edmx Version="4.0" xmlns:edmx="http://docs.oasis-open.org/odata/ns/edmx">&lol4;</edmx:Edmx>)x";
  EXPECT_THAT(loadError(document), HasSubstr("DOCTYPE declarations are not allowed"));
}

TEST(EdmxLoaderTest, RefusesExternalEntities) {
  const std::string document = R"x(<?xml version="1.0"?>
<!DOCTYPE edmx:Edmx [ <!ENTITY xxe SYSTEM "file:///etc/passwd"> ]>
<edmx:Edmx Version="4.0" xmlns:edmx="http://docs.oasis-open.org/odata/ns/edmx">&xxe;</edmx:Edmx>)x";
  const std::string message = loadError(document);
  EXPECT_THAT(message, HasSubstr("DOCTYPE"));
  EXPECT_THAT(message, ::testing::Not(HasSubstr("root:")));
}

TEST(EdmxLoaderTest, RefusesExternalDtd) {
  const std::string document = R"x(<?xml version="1.0"?>
<!DOCTYPE edmx:Edmx SYSTEM "http://127.0.0.1:1/evil.dtd">
<edmx:Edmx Version="4.0" xmlns:edmx="http://docs.oasis-open.org/odata/ns/edmx"/>)x";
  EXPECT_THAT(loadError(document), HasSubstr("DOCTYPE"));
}

TEST(EdmxLoaderTest, EnforcesSizeLimit) {
  const std::string document = v4Document(v4Schema("NS", kProduct));
  LoadOptions options;
  options.maxDocumentBytes = 100;
  EXPECT_THAT(loadError(document, options), HasSubstr("the limit is 100"));
}

TEST(EdmxLoaderTest, EnforcesDepthLimit) {
  std::string nested;
  for (int i = 0; i < 40; ++i) nested += "<x:a xmlns:x=\"urn:x\">";
  for (int i = 0; i < 40; ++i) nested += "</x:a>";
  const std::string document = v4Document(v4Schema("NS", std::string(kProduct) + nested));
  LoadOptions options;
  options.maxDepth = 32;
  EXPECT_THAT(loadError(document, options), HasSubstr("nest deeper than 32 levels"));
  EXPECT_NO_THROW(EdmxLoader::load(document));
}

TEST(EdmxLoaderTest, DoesNotFetchReferences) {
  // A reference to an unreachable address must neither be fetched nor block loading.
  const std::string references = R"x(
  <edmx:Reference Uri="http://127.0.0.1:1/vocabularies/Org.OData.Core.V1.xml">
    <edmx:Include Namespace="Org.OData.Core.V1" Alias="C"/>
  </edmx:Reference>)x";
  auto model = EdmxLoader::load(v4Document(v4Schema("NS", kProduct), references));
  ASSERT_EQ(model->references.size(), 1u);
  EXPECT_EQ(model->references[0].alias, "C");
  EXPECT_EQ(model->references[0].namespaceName, "Org.OData.Core.V1");
  EXPECT_EQ(model->references[0].uri, "http://127.0.0.1:1/vocabularies/Org.OData.Core.V1.xml");
}

TEST(EdmxLoaderTest, LoadFileNamesTheFile) {
  try {
    EdmxLoader::loadFile("/nonexistent/metadata.xml");
    FAIL() << "no error";
  } catch (const core::Error& e) {
    EXPECT_THAT(e.message(), HasSubstr("/nonexistent/metadata.xml"));
  }
}

// The handler hands elements to the builder in batches of a few hundred; these documents span
// many batches, with batch ends inside types and inside annotations.
std::string manyPropertiesAndSets(int count, std::string_view lastProperty = "") {
  std::string body = R"x(
    <EntityType Name="Wide"><Key><PropertyRef Name="P0"/></Key>)x";
  for (int i = 0; i < count; ++i) {
    body += "\n      <Property Name=\"P" + std::to_string(i) + "\" Type=\"Edm.Int32\"/>";
  }
  body += std::string(lastProperty) + "\n    </EntityType>\n    <EntityContainer Name=\"C\">";
  for (int i = 0; i < count; ++i) {
    body += "\n      <EntitySet Name=\"S" + std::to_string(i) + R"x(" EntityType="NS.Wide">
        <Annotation Term="Org.OData.Capabilities.V1.InsertRestrictions"><Record>
          <PropertyValue Property="Description" String="unused"/>
          <PropertyValue Property="Insertable"><Bool>false</Bool></PropertyValue>
        </Record></Annotation></EntitySet>)x";
  }
  return v4Document(v4Schema("NS", body + "\n    </EntityContainer>"));
}

TEST(EdmxLoaderTest, LargeDocumentsLoadWhole) {
  auto model = EdmxLoader::load(manyPropertiesAndSets(3000));
  const auto& wide = *static_cast<const EntityType*>(model->findType("NS.Wide"));
  ASSERT_EQ(wide.properties.size(), 3000u);
  for (std::size_t i = 0; i < wide.properties.size(); ++i) {
    ASSERT_EQ(wide.properties[i].name, "P" + std::to_string(i));
  }
  const auto& sets = model->defaultContainer()->entitySets;
  ASSERT_EQ(sets.size(), 3000u);
  for (const EntitySet& set : sets) ASSERT_EQ(set.annotations.insertable, false) << set.name;
}

TEST(EdmxLoaderTest, LateErrorsKeepTheirPosition) {
  const std::string document =
      manyPropertiesAndSets(3000,
                            "\n      <Property Name=\"Bad\" Type=\"Edm.Int32\" "
                            "Nullable=\"maybe\"/>");
  const auto line =
      1 + std::count(document.begin(),
                     document.begin() + static_cast<std::ptrdiff_t>(document.find("Name=\"Bad\"")),
                     '\n');
  EXPECT_THAT(loadError(document), HasSubstr("line " + std::to_string(line) + ", column"));
}

TEST(EdmxLoaderTest, ReportsTheFirstErrorOfTheDocument) {
  // A bad attribute value, then broken XML a few lines later: the value is reported.
  const std::string message = loadError(v4Document(v4Schema("NS", R"x(
    <EntityType Name="T"><Key><PropertyRef Name="ID"/></Key>
      <Property Name="ID" Type="Edm.Int32" Nullable="maybe"/>
    </EntityType>
    <ComplexType Name="Broken"></Complex>)x")));
  EXPECT_THAT(message, HasSubstr("Nullable='maybe' is not true or false"));
}

TEST(EdmxLoaderTest, ModelIsSharedImmutable) {
  std::shared_ptr<const Model> model = EdmxLoader::load(v4Document(v4Schema("NS", kProduct)));
  EXPECT_EQ(model->findType("NS.Product")->kind, TypeKind::kEntity);
}

}  // namespace
}  // namespace broker::edm
