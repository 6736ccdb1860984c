// Resolution of references after the SAX pass: aliases, containers whose name is part of a
// namespace, unresolvable references, key checks, annotations applied to their targets.
#include "model_resolver.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "broker/core/error.h"
#include "broker/edm/edmx_loader.h"
#include "edmx_documents.h"

namespace broker::edm {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;
using testing::loadError;
using testing::v2Document;
using testing::v4Document;
using testing::v4Schema;

TEST(ModelResolverTest, ResolvesSchemaAliasesEverywhere) {
  auto model = EdmxLoader::load(v4Document(v4Schema("microsoft.graph", R"x(
    <EntityType Name="entity" Abstract="true"><Key><PropertyRef Name="id"/></Key>
      <Property Name="id" Type="Edm.String" Nullable="false"/></EntityType>
    <EntityType Name="user" BaseType="graph.entity">
      <NavigationProperty Name="manager" Type="graph.user"/>
      <Property Name="address" Type="graph.address"/></EntityType>
    <ComplexType Name="address"><Property Name="city" Type="Edm.String"/></ComplexType>
    <Action Name="wipe" IsBound="true"><Parameter Name="bp" Type="graph.user"/></Action>
    <EntityContainer Name="GraphService"><EntitySet Name="users" EntityType="graph.user"/></EntityContainer>)x",
                                                    "graph")));
  const auto* user = static_cast<const EntityType*>(model->findType("graph.user"));
  ASSERT_NE(user, nullptr);
  EXPECT_EQ(user, model->findType("microsoft.graph.user"));
  EXPECT_EQ(user->fullName, "microsoft.graph.user");
  EXPECT_EQ(user->baseEntityType()->name, "entity");
  EXPECT_EQ(user->navigationProperties[0].type.definition, user);
  EXPECT_EQ(user->properties[0].type.qualifiedName(), "microsoft.graph.address");
  EXPECT_TRUE(user->properties[0].type.written.empty());
  EXPECT_EQ(model->schemas[0].operations[0].parameters[0].type.definition, user);
  EXPECT_EQ(&model->defaultContainer()->entitySets[0].type(), user);
  EXPECT_EQ(model->resolveAlias("graph"), "microsoft.graph");
  EXPECT_EQ(model->qualify("graph.user"), "microsoft.graph.user");
}

TEST(ModelResolverTest, ContainerNamedLikeNamespacePartResolves) {
  // The K2 known issue: a container whose name is part of the namespace.
  auto model = EdmxLoader::load(v4Document(v4Schema("TextAnalytics.FrontEndService", R"x(
    <EntityType Name="Document"><Key><PropertyRef Name="Id"/></Key><Property Name="Id" Type="Edm.String" Nullable="false"/>
      <NavigationProperty Name="Related" Type="Collection(TextAnalytics.FrontEndService.Document)"/></EntityType>
    <Function Name="Detect"><Parameter Name="text" Type="Edm.String"/>
      <ReturnType Type="Collection(TextAnalytics.FrontEndService.Document)"/></Function>
    <EntityContainer Name="TextAnalytics">
      <EntitySet Name="Documents" EntityType="TextAnalytics.FrontEndService.Document">
        <NavigationPropertyBinding Path="Related" Target="TextAnalytics/Documents"/></EntitySet>
      <FunctionImport Name="Detect" Function="TextAnalytics.FrontEndService.Detect" EntitySet="Documents"/>
    </EntityContainer>
    <Annotations Target="TextAnalytics.FrontEndService.TextAnalytics/Documents">
      <Annotation Term="Org.OData.Capabilities.V1.DeleteRestrictions">
        <Record><PropertyValue Property="Deletable" Bool="false"/></Record></Annotation>
    </Annotations>)x")));
  const EntityContainer& container = *model->defaultContainer();
  EXPECT_EQ(container.fullName, "TextAnalytics.FrontEndService.TextAnalytics");
  const EntitySet& documents = container.entitySets[0];
  EXPECT_EQ(documents.type().fullName, "TextAnalytics.FrontEndService.Document");
  EXPECT_EQ(documents.annotations.deletable, false);
  ASSERT_EQ(container.operationImports[0].overloads.size(), 1u);
  EXPECT_EQ(container.operationImports[0].overloads[0]->returnType->definition, &documents.type());
}

TEST(ModelResolverTest, ContainerNamedLikeNamespaceInTwoSchemas) {
  // As in SAP's generated documents: each schema holds a container named like the namespace.
  const std::string document =
      R"x(<edmx:Edmx Version="1.0" xmlns:edmx="http://schemas.microsoft.com/ado/2007/06/edmx"
      xmlns:m="http://schemas.microsoft.com/ado/2007/08/dataservices/metadata">
    <edmx:DataServices m:DataServiceVersion="2.0">
      <Schema Namespace="SRV" xmlns="http://schemas.microsoft.com/ado/2008/09/edm">
        <EntityType Name="T"><Key><PropertyRef Name="K"/></Key><Property Name="K" Type="Edm.String" Nullable="false"/></EntityType>
        <EntityContainer Name="SRV"><EntitySet Name="Ts" EntityType="SRV.T"/></EntityContainer>
      </Schema>
      <Schema Namespace="SRV_SETS" xmlns="http://schemas.microsoft.com/ado/2008/09/edm">
        <EntityContainer Name="SRV" m:IsDefaultEntityContainer="true">
          <EntitySet Name="More" EntityType="T"/>
          <FunctionImport Name="Top" ReturnType="SRV.T" EntitySet="More" m:HttpMethod="GET"/>
        </EntityContainer>
      </Schema>
    </edmx:DataServices></edmx:Edmx>)x";
  auto model = EdmxLoader::load(document);
  const EntityContainer& container = *model->defaultContainer();
  EXPECT_EQ(container.fullName, "SRV_SETS.SRV");
  EXPECT_EQ(container.entitySets[0].type().fullName, "SRV.T");  // unqualified, found by name
  EXPECT_EQ(container.serviceOperations[0].returnType->qualifiedName(), "SRV.T");
}

struct ResolutionErrorCase {
  std::string_view body;
  std::string_view message;
  std::uint32_t line;
};

class ResolutionErrorTest : public ::testing::TestWithParam<ResolutionErrorCase> {};

TEST_P(ResolutionErrorTest, NamesReferenceAndLine) {
  const std::string message = loadError(v4Document(v4Schema("NS", GetParam().body)));
  EXPECT_THAT(message, HasSubstr(GetParam().message));
  EXPECT_THAT(message, HasSubstr("at line " + std::to_string(GetParam().line) + ","));
}

// A body's first element is on line 5 of the document (see edmx_documents.h).
INSTANTIATE_TEST_SUITE_P(
    References, ResolutionErrorTest,
    ::testing::Values(ResolutionErrorCase{R"x(
<ComplexType Name="C">
  <Property Name="P" Type="NS.Missing"/></ComplexType>)x",
                                          "type 'NS.Missing' does not resolve", 6},
                      ResolutionErrorCase{R"x(
<ComplexType Name="C"><Property Name="P" Type="Edm.Text"/></ComplexType>)x",
                                          "unknown primitive type 'Edm.Text'", 5},
                      ResolutionErrorCase{R"x(
<EntityType Name="E"><Key>
  <PropertyRef Name="Nope"/></Key><Property Name="ID" Type="Edm.Int32"/></EntityType>)x",
                                          "key property 'Nope' of entity type 'E' does not exist",
                                          6},
                      ResolutionErrorCase{R"x(
<EntityType Name="A" BaseType="NS.B"/>
<EntityType Name="B" BaseType="NS.A"/>)x",
                                          "forms a cycle", 6},
                      ResolutionErrorCase{
                          R"x(
<ComplexType Name="C"/>
<EntityType Name="E" BaseType="NS.C"/>)x",
                          "BaseType 'NS.C' of 'E' does not resolve to a type of the same kind", 6},
                      ResolutionErrorCase{R"x(
<EntityContainer Name="X">
  <EntitySet Name="S" EntityType="Edm.EntityType"/></EntityContainer>)x",
                                          "EntitySet type 'Edm.EntityType' is not an entity type",
                                          6},
                      ResolutionErrorCase{R"x(
<ComplexType Name="C"/>
<EntityContainer Name="X"><EntitySet Name="S" EntityType="NS.C"/></EntityContainer>)x",
                                          "EntitySet type 'NS.C' is not an entity type", 6},
                      ResolutionErrorCase{R"x(
<EntityContainer Name="X">
  <FunctionImport Name="F" Function="NS.Nope"/></EntityContainer>)x",
                                          "refers to unknown unbound function 'NS.Nope'", 6}));

TEST(ModelResolverTest, UnknownAssociationIsAnError) {
  const std::string message = loadError(v2Document("NS", R"x(
    <EntityType Name="T"><Key><PropertyRef Name="ID"/></Key><Property Name="ID" Type="Edm.Int32"/>
      <NavigationProperty Name="Parent" Relationship="NS.Missing" FromRole="a" ToRole="b"/></EntityType>)x"));
  EXPECT_THAT(message,
              HasSubstr("NavigationProperty 'Parent' refers to unknown Association 'NS.Missing'"));
  EXPECT_THAT(message, HasSubstr("at line 8,"));
}

TEST(ModelResolverTest, UnknownRoleIsAnError) {
  const std::string message = loadError(v2Document("NS", R"x(
    <EntityType Name="T"><Key><PropertyRef Name="ID"/></Key><Property Name="ID" Type="Edm.Int32"/>
      <NavigationProperty Name="Parent" Relationship="NS.A" FromRole="T" ToRole="Nope"/></EntityType>
    <Association Name="A"><End Role="T" Type="NS.T" Multiplicity="*"/><End Role="P" Type="NS.T" Multiplicity="1"/></Association>)x"));
  EXPECT_THAT(message, HasSubstr("names a role that Association 'A' does not have"));
}

TEST(ModelResolverTest, AppliesKeptAnnotationsInlineAndInBlocks) {
  const std::string references = R"x(
  <edmx:Reference Uri="https://example.invalid/Core.xml"><edmx:Include Namespace="Org.OData.Core.V1" Alias="SAP__core"/></edmx:Reference>
  <edmx:Reference Uri="https://example.invalid/Cap.xml"><edmx:Include Namespace="Org.OData.Capabilities.V1" Alias="SAP__capabilities"/></edmx:Reference>)x";
  auto model = EdmxLoader::load(v4Document(v4Schema("NS", R"x(
    <EntityType Name="Order"><Key><PropertyRef Name="ID"/></Key>
      <Property Name="ID" Type="Edm.Int32" Nullable="false"><Annotation Term="Core.Computed" Bool="true"/></Property>
      <Property Name="CreatedAt" Type="Edm.DateTimeOffset"><Annotation Term="SAP__core.Immutable"/></Property>
      <Property Name="Token" Type="Edm.Guid" Nullable="false"><Annotation Term="Core.ComputedDefaultValue" Bool="true"/></Property>
      <Property Name="Total" Type="Edm.Decimal"><Annotation Term="Org.OData.Core.V1.Computed"><Bool>false</Bool></Annotation></Property>
      <Property Name="Picture" Type="Edm.Stream"/>
      <Property Name="Note" Type="Edm.String"><Annotation Term="Core.Description" String="ignored"/></Property>
    </EntityType>
    <EntityContainer Name="C">
      <EntitySet Name="Orders" EntityType="self.Order">
        <Annotation Term="SAP__capabilities.InsertRestrictions"><Record><PropertyValue Property="Insertable"><Bool>false</Bool></PropertyValue></Record></Annotation>
        <Annotation Term="Capabilities.UpdateRestrictions" Qualifier="alt"><Record><PropertyValue Property="Updatable" Bool="false"/></Record></Annotation>
      </EntitySet>
    </EntityContainer>
    <Annotations Target="self.Order/Picture"><Annotation Term="SAP__core.MediaType" String="image/png"/></Annotations>
    <Annotations Target="self.C/Orders">
      <Annotation Term="SAP__capabilities.FilterRestrictions"><Record>
        <PropertyValue Property="RequiresFilter" Bool="true"/>
        <PropertyValue Property="NonFilterableProperties"><Collection><PropertyPath>Note</PropertyPath><PropertyPath>Picture</PropertyPath></Collection></PropertyValue>
      </Record></Annotation>
      <Annotation Term="SAP__core.OptimisticConcurrency"><Collection><PropertyPath>Total</PropertyPath></Collection></Annotation>
    </Annotations>
    <Annotations Target="self.Nowhere/Nothing"><Annotation Term="Core.Computed"/></Annotations>
    <Annotations Target="self.Order/ID"><Annotation Term="Core.Immutable">
      <Annotation Term="Core.Description" String="nested annotations are skipped"/></Annotation></Annotations>)x",
                                                    "self"),
                                           references));
  const auto& order = *static_cast<const EntityType*>(model->findType("NS.Order"));
  EXPECT_TRUE(order.findProperty("ID")->annotations.computed);
  EXPECT_TRUE(order.findProperty("ID")->annotations.immutable);
  EXPECT_TRUE(order.findProperty("CreatedAt")->annotations.immutable);
  EXPECT_FALSE(order.findProperty("CreatedAt")->annotations.computed);
  EXPECT_TRUE(order.findProperty("Token")->annotations.computedDefaultValue);
  EXPECT_FALSE(order.findProperty("Token")->annotations.computed);
  EXPECT_FALSE(order.findProperty("Total")->annotations.computed);
  EXPECT_EQ(order.findProperty("Picture")->annotations.mediaType, "image/png");
  const EntitySet& orders = model->defaultContainer()->entitySets[0];
  EXPECT_EQ(orders.annotations.insertable, false);
  EXPECT_FALSE(orders.annotations.updatable.has_value());  // qualified: an alternative
  EXPECT_TRUE(orders.annotations.requiresFilter);
  EXPECT_THAT(orders.annotations.nonFilterableProperties, ElementsAre("Note", "Picture"));
  EXPECT_TRUE(orders.annotations.optimisticConcurrency);
  EXPECT_THAT(orders.annotations.concurrencyProperties, ElementsAre("Total"));
}

// Core.ContentDisposition/Filename names the property that holds a stream's file name (the
// demo service's Pictures/Content → FileName).
TEST(ModelResolverTest, ReadsWhichPropertyHoldsAStreamsFileName) {
  const auto model = EdmxLoader::loadFile(BROKER_SOURCE_DIR "/samples/metadata/demo-v4.xml");
  const auto& picture = *static_cast<const EntityType*>(model->findType("DemoService.Pictures"));
  EXPECT_EQ(picture.findProperty("Content")->annotations.fileNameProperty, "FileName");
  EXPECT_EQ(picture.findProperty("Caption")->annotations.fileNameProperty, "");
}

TEST(ModelResolverTest, ReadsSapAttributesOnProperties) {
  auto model = EdmxLoader::load(v2Document("NS", R"x(
    <EntityType Name="T" sap:label="Thing"><Key><PropertyRef Name="ID"/></Key>
      <Property Name="ID" Type="Edm.String" Nullable="false" sap:creatable="false" sap:updatable="false" sap:filterable="false" sap:label="Identifier"/>
    </EntityType>
    <EntityContainer Name="C"><EntitySet Name="Ts" EntityType="NS.T" sap:updatable="false" sap:requires-filter="true"/></EntityContainer>)x"));
  const auto& t = *static_cast<const EntityType*>(model->findType("NS.T"));
  EXPECT_EQ(t.label, "Thing");
  const PropertyAnnotations& id = t.properties[0].annotations;
  EXPECT_EQ(id.creatable, false);
  EXPECT_EQ(id.updatable, false);
  EXPECT_EQ(id.filterable, false);
  EXPECT_EQ(id.label, "Identifier");
  const EntitySet& set = model->defaultContainer()->entitySets[0];
  EXPECT_EQ(set.annotations.updatable, false);
  EXPECT_TRUE(set.annotations.requiresFilter);
}

TEST(ModelResolverTest, PicksDefaultContainer) {
  auto model = EdmxLoader::load(v2Document("NS", R"x(
    <EntityContainer Name="First"/>
    <EntityContainer Name="Second" m:IsDefaultEntityContainer="true"/>)x"));
  EXPECT_EQ(model->defaultContainer()->name, "Second");
  auto v4 = EdmxLoader::load(v4Document(v4Schema("NS", "")));
  EXPECT_EQ(v4->defaultContainer(), nullptr);
}

}  // namespace
}  // namespace broker::edm
