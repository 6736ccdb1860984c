// What the loader reads from each CSDL element: types, properties, facets, navigation,
// associations, containers and operations.
#include "model_builder.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "broker/core/error.h"
#include "broker/edm/edmx_loader.h"
#include "edmx_documents.h"

namespace broker::edm {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;
using testing::v2Document;
using testing::v4Document;
using testing::v4Schema;

std::shared_ptr<const Model> loadV4(std::string_view body, std::string_view alias = "") {
  return EdmxLoader::load(v4Document(v4Schema("NS", body, alias)));
}

const EntityType& entity(const Model& model, std::string_view name) {
  return *static_cast<const EntityType*>(model.findType(name));
}

std::vector<std::string> names(const std::vector<const Property*>& properties) {
  std::vector<std::string> out;
  for (const Property* p : properties) out.push_back(p->name);
  return out;
}

TEST(ModelBuilderTest, ReadsPropertiesAndFacets) {
  auto model = loadV4(R"x(
    <EntityType Name="T"><Key><PropertyRef Name="ID"/></Key>
      <Property Name="ID" Type="Edm.Guid" Nullable="false"/>
      <Property Name="Name" Type="Edm.String" MaxLength="80" Unicode="false" DefaultValue="x"/>
      <Property Name="Notes" Type="Edm.String" MaxLength="max"/>
      <Property Name="Price" Type="Edm.Decimal" Precision="15" Scale="3"/>
      <Property Name="Ratio" Type="Edm.Decimal" Scale="variable"/>
      <Property Name="Where" Type="Edm.GeographyPoint" SRID="variable"/>
      <Property Name="Tags" Type="Collection(Edm.String)" Nullable="false"/>
    </EntityType>)x");
  const EntityType& t = entity(*model, "NS.T");
  ASSERT_EQ(t.properties.size(), 7u);
  EXPECT_EQ(t.properties[0].type.primitive, PrimitiveKind::kGuid);
  EXPECT_FALSE(t.properties[0].nullable);
  EXPECT_EQ(t.properties[1].facets.maxLength, 80u);
  EXPECT_EQ(t.properties[1].facets.unicode, false);
  EXPECT_EQ(t.properties[1].defaultValue, "x");
  EXPECT_TRUE(t.properties[1].nullable);
  EXPECT_TRUE(t.properties[2].facets.maxLengthIsMax);
  EXPECT_FALSE(t.properties[2].facets.maxLength.has_value());
  EXPECT_EQ(t.properties[3].facets.precision, 15u);
  EXPECT_EQ(t.properties[3].facets.scale, 3);
  EXPECT_TRUE(t.properties[4].facets.scaleIsVariable);
  EXPECT_EQ(t.properties[5].type.primitive, PrimitiveKind::kGeographyPoint);
  EXPECT_FALSE(t.properties[5].facets.srid.has_value());
  EXPECT_TRUE(t.properties[6].type.collection);
  EXPECT_EQ(t.properties[6].type.qualifiedName(), "Edm.String");
  EXPECT_EQ(t.position.line, 5u);
}

TEST(ModelBuilderTest, ReadsCompositeKeysAndMediaEntities) {
  auto model = loadV4(R"x(
    <EntityType Name="Line" HasStream="true"><Key><PropertyRef Name="Order"/><PropertyRef Name="Pos"/></Key>
      <Property Name="Order" Type="Edm.String" Nullable="false"/>
      <Property Name="Pos" Type="Edm.Int16" Nullable="false"/>
      <Property Name="Thumbnail" Type="Edm.Stream"/>
    </EntityType>)x");
  const EntityType& line = entity(*model, "NS.Line");
  ASSERT_EQ(line.key().size(), 2u);
  EXPECT_EQ(line.key()[0].name, "Order");
  EXPECT_EQ(line.key()[1].name, "Pos");
  EXPECT_TRUE(line.hasStream);
  EXPECT_EQ(line.properties[2].type.primitive, PrimitiveKind::kStream);
}

TEST(ModelBuilderTest, ResolvesKeyPathsThroughComplexProperties) {
  auto model = loadV4(R"x(
    <ComplexType Name="Ref"><Property Name="Code" Type="Edm.String" Nullable="false"/></ComplexType>
    <EntityType Name="T"><Key><PropertyRef Name="Ref/Code" Alias="Code"/></Key>
      <Property Name="Ref" Type="NS.Ref" Nullable="false"/></EntityType>)x");
  const EntityType& t = entity(*model, "NS.T");
  EXPECT_EQ(t.key()[0].alias, "Code");
  const Property* code = t.findPropertyPath("Ref/Code");
  ASSERT_NE(code, nullptr);
  EXPECT_EQ(code->type.primitive, PrimitiveKind::kString);
  EXPECT_EQ(t.findPropertyPath("Ref/Nope"), nullptr);
  EXPECT_EQ(t.findPropertyPath("Nope/Code"), nullptr);
}

TEST(ModelBuilderTest, InheritsKeysAndPropertiesThroughBaseTypeChains) {
  auto model = loadV4(R"x(
    <EntityType Name="Leaf" BaseType="NS.Middle"><Property Name="C" Type="Edm.String"/></EntityType>
    <EntityType Name="Middle" BaseType="NS.Root" OpenType="true"><Property Name="B" Type="Edm.String"/></EntityType>
    <EntityType Name="Root" Abstract="true"><Key><PropertyRef Name="A"/></Key>
      <Property Name="A" Type="Edm.Int64" Nullable="false"/></EntityType>)x");
  const EntityType& leaf = entity(*model, "NS.Leaf");
  EXPECT_EQ(leaf.baseEntityType()->name, "Middle");
  EXPECT_EQ(leaf.baseEntityType()->baseEntityType()->name, "Root");
  EXPECT_TRUE(leaf.declaredKey.empty());
  ASSERT_EQ(leaf.key().size(), 1u);
  EXPECT_EQ(leaf.key()[0].name, "A");
  EXPECT_THAT(names(leaf.allProperties()), ElementsAre("A", "B", "C"));
  EXPECT_NE(leaf.findProperty("A"), nullptr);
  EXPECT_EQ(leaf.findProperty("Z"), nullptr);
  EXPECT_TRUE(entity(*model, "NS.Root").abstract);
  EXPECT_TRUE(entity(*model, "NS.Middle").openType);
  EXPECT_FALSE(leaf.openType);
}

TEST(ModelBuilderTest, ReadsComplexTypesWithInheritanceAndCollections) {
  auto model = loadV4(R"x(
    <ComplexType Name="Address"><Property Name="Street" Type="Edm.String"/></ComplexType>
    <ComplexType Name="HomeAddress" BaseType="NS.Address"><Property Name="Floor" Type="Edm.Int32"/></ComplexType>
    <EntityType Name="Person"><Key><PropertyRef Name="ID"/></Key>
      <Property Name="ID" Type="Edm.Int32" Nullable="false"/>
      <Property Name="Home" Type="NS.HomeAddress"/>
      <Property Name="Others" Type="Collection(NS.Address)"/></EntityType>)x");
  const auto& home = *static_cast<const ComplexType*>(model->findType("NS.HomeAddress"));
  EXPECT_EQ(home.baseType->name, "Address");
  EXPECT_THAT(names(home.allProperties()), ElementsAre("Street", "Floor"));
  const EntityType& person = entity(*model, "NS.Person");
  EXPECT_EQ(person.properties[1].type.kind, TypeKind::kComplex);
  EXPECT_EQ(person.properties[1].type.definition, &home);
  EXPECT_TRUE(person.properties[2].type.collection);
  EXPECT_EQ(person.properties[2].type.qualifiedName(), "NS.Address");
}

TEST(ModelBuilderTest, ReadsEnumTypesAndTypeDefinitions) {
  auto model = loadV4(R"x(
    <EnumType Name="Color"><Member Name="Red"/><Member Name="Green"/><Member Name="Blue" Value="10"/><Member Name="Cyan"/></EnumType>
    <EnumType Name="Access" UnderlyingType="Edm.Byte" IsFlags="True">
      <Member Name="None" Value="0"/><Member Name="Read" Value="1"/><Member Name="Write" Value="2"/></EnumType>
    <TypeDefinition Name="Money" UnderlyingType="Edm.Decimal" Precision="18" Scale="2"/>
    <EntityType Name="T"><Key><PropertyRef Name="ID"/></Key><Property Name="ID" Type="Edm.Int32" Nullable="false"/>
      <Property Name="C" Type="NS.Color"/><Property Name="Price" Type="NS.Money"/></EntityType>)x");
  const auto& color = *static_cast<const EnumType*>(model->findType("NS.Color"));
  ASSERT_EQ(color.members.size(), 4u);
  EXPECT_EQ(color.members[1].value, 1);
  EXPECT_EQ(color.members[2].value, 10);
  EXPECT_EQ(color.members[3].value, 11);
  EXPECT_FALSE(color.flags);
  EXPECT_EQ(color.underlying, PrimitiveKind::kInt32);
  const auto& access = *static_cast<const EnumType*>(model->findType("NS.Access"));
  EXPECT_TRUE(access.flags);
  EXPECT_EQ(access.underlying, PrimitiveKind::kByte);
  const auto& money = *static_cast<const TypeDefinition*>(model->findType("NS.Money"));
  EXPECT_EQ(money.underlying.primitive, PrimitiveKind::kDecimal);
  EXPECT_EQ(money.facets.scale, 2);
  const EntityType& t = entity(*model, "NS.T");
  EXPECT_EQ(t.properties[1].type.kind, TypeKind::kEnum);
  EXPECT_EQ(t.properties[2].type.kind, TypeKind::kTypeDefinition);
  EXPECT_EQ(t.properties[2].type.primitive, PrimitiveKind::kDecimal);
}

TEST(ModelBuilderTest, RejectsEnumWithNonIntegerUnderlyingType) {
  try {
    loadV4(R"x(<EnumType Name="E" UnderlyingType="Edm.String"/>)x");
    FAIL() << "no error";
  } catch (const core::Error& e) {
    EXPECT_THAT(e.message(), HasSubstr("UnderlyingType 'Edm.String'"));
  }
}

TEST(ModelBuilderTest, ReadsV4NavigationWithPartnersAndConstraints) {
  auto model = loadV4(R"x(
    <EntityType Name="Category"><Key><PropertyRef Name="ID"/></Key><Property Name="ID" Type="Edm.Int32" Nullable="false"/>
      <NavigationProperty Name="Products" Type="Collection(NS.Product)" Partner="Category"/></EntityType>
    <EntityType Name="Product"><Key><PropertyRef Name="ID"/></Key><Property Name="ID" Type="Edm.Int32" Nullable="false"/>
      <Property Name="CategoryID" Type="Edm.Int32"/>
      <NavigationProperty Name="Category" Type="NS.Category" Nullable="false" Partner="Products">
        <ReferentialConstraint Property="CategoryID" ReferencedProperty="ID"/><OnDelete Action="Cascade"/>
      </NavigationProperty>
      <NavigationProperty Name="Parts" Type="Collection(NS.Product)" ContainsTarget="true"/>
      <NavigationProperty Name="Tags" Type="Collection(NS.Tag)" Partner="Products"/></EntityType>
    <EntityType Name="Tag"><Key><PropertyRef Name="ID"/></Key><Property Name="ID" Type="Edm.Int32" Nullable="false"/>
      <NavigationProperty Name="Products" Type="Collection(NS.Product)" Partner="Tags"/></EntityType>)x");
  const EntityType& category = entity(*model, "NS.Category");
  const NavigationProperty& products = category.navigationProperties[0];
  EXPECT_EQ(products.multiplicity(), Multiplicity::kMany);
  EXPECT_EQ(products.sourceMultiplicity, Multiplicity::kOne);
  EXPECT_EQ(products.type.definition, model->findType("NS.Product"));
  const EntityType& product = entity(*model, "NS.Product");
  const NavigationProperty& back = product.navigationProperties[0];
  EXPECT_EQ(back.multiplicity(), Multiplicity::kOne);
  EXPECT_EQ(back.sourceMultiplicity, Multiplicity::kMany);
  EXPECT_EQ(back.partnerProperty, &products);
  ASSERT_EQ(back.constraints.size(), 1u);
  EXPECT_EQ(back.constraints[0].property, "CategoryID");
  EXPECT_EQ(back.constraints[0].referencedProperty, "ID");
  EXPECT_TRUE(product.navigationProperties[1].containsTarget);
  EXPECT_FALSE(product.navigationProperties[1].sourceMultiplicity.has_value());
  EXPECT_EQ(product.navigationProperties[2].sourceMultiplicity, Multiplicity::kMany);
}

constexpr std::string_view kV2Model = R"x(
  <EntityType Name="Category"><Key><PropertyRef Name="ID"/></Key><Property Name="ID" Type="Edm.Int32" Nullable="false"/>
    <NavigationProperty Name="Products" Relationship="NS.Product_Category" FromRole="Category" ToRole="Product"/></EntityType>
  <EntityType Name="Product" m:HasStream="true"><Key><PropertyRef Name="ID"/></Key>
    <Property Name="ID" Type="Edm.Int32" Nullable="false"/>
    <Property Name="CategoryID" Type="Edm.Int32" ConcurrencyMode="Fixed"/>
    <NavigationProperty Name="Category" Relationship="NS.Product_Category" FromRole="Product" ToRole="Category"/>
    <NavigationProperty Name="Supplier" Relationship="NS.Product_Supplier" FromRole="Product" ToRole="Supplier"/>
    <NavigationProperty Name="Tags" Relationship="NS.Product_Tag" FromRole="Product" ToRole="Tag"/></EntityType>
  <EntityType Name="Supplier"><Key><PropertyRef Name="ID"/></Key><Property Name="ID" Type="Edm.Int32" Nullable="false"/></EntityType>
  <EntityType Name="Tag"><Key><PropertyRef Name="ID"/></Key><Property Name="ID" Type="Edm.Int32" Nullable="false"/>
    <NavigationProperty Name="Products" Relationship="NS.Product_Tag" FromRole="Tag" ToRole="Product"/></EntityType>
  <Association Name="Product_Category">
    <End Role="Product" Type="NS.Product" Multiplicity="*"/>
    <End Role="Category" Type="NS.Category" Multiplicity="0..1"><OnDelete Action="Cascade"/></End>
    <ReferentialConstraint><Principal Role="Category"><PropertyRef Name="ID"/></Principal>
      <Dependent Role="Product"><PropertyRef Name="CategoryID"/></Dependent></ReferentialConstraint>
  </Association>
  <Association Name="Product_Supplier">
    <End Role="Product" Type="NS.Product" Multiplicity="*"/><End Role="Supplier" Type="NS.Supplier" Multiplicity="1"/>
  </Association>
  <Association Name="Product_Tag">
    <End Role="Product" Type="NS.Product" Multiplicity="*"/><End Role="Tag" Type="NS.Tag" Multiplicity="*"/>
  </Association>
  <EntityContainer Name="Entities" m:IsDefaultEntityContainer="true">
    <EntitySet Name="Products" EntityType="NS.Product" sap:creatable="false" sap:deletable="false" sap:label="Items"/>
    <EntitySet Name="Categories" EntityType="NS.Category"/>
    <AssociationSet Name="Product_Category_Set" Association="NS.Product_Category">
      <End Role="Product" EntitySet="Products"/><End Role="Category" EntitySet="Categories"/></AssociationSet>
    <FunctionImport Name="GetProductsByRating" EntitySet="Products" ReturnType="Collection(NS.Product)" m:HttpMethod="GET">
      <Parameter Name="rating" Type="Edm.Int32" Mode="In"/></FunctionImport>
    <FunctionImport Name="Reset" m:HttpMethod="POST"/>
    <FunctionImport Name="Count" ReturnType="Edm.Int64"/>
  </EntityContainer>)x";

TEST(ModelBuilderTest, ResolvesV2AssociationMultiplicities) {
  auto model = EdmxLoader::load(v2Document("NS", kV2Model));
  const EntityType& category = entity(*model, "NS.Category");
  const EntityType& product = entity(*model, "NS.Product");
  const NavigationProperty& products = category.navigationProperties[0];
  EXPECT_EQ(products.multiplicity(), Multiplicity::kMany);  // 1:M seen from the one side
  EXPECT_EQ(products.sourceMultiplicity, Multiplicity::kZeroOrOne);
  EXPECT_EQ(products.type.definition, &product);
  const NavigationProperty& toCategory = product.navigationProperties[0];
  EXPECT_EQ(toCategory.multiplicity(), Multiplicity::kZeroOrOne);  // M:1
  EXPECT_EQ(toCategory.sourceMultiplicity, Multiplicity::kMany);
  EXPECT_EQ(product.navigationProperties[1].multiplicity(), Multiplicity::kOne);
  const NavigationProperty& tags = product.navigationProperties[2];  // M:M
  EXPECT_EQ(tags.multiplicity(), Multiplicity::kMany);
  EXPECT_EQ(tags.sourceMultiplicity, Multiplicity::kMany);
  ASSERT_EQ(toCategory.constraints.size(), 1u);
  EXPECT_EQ(toCategory.constraints[0].property, "CategoryID");
  EXPECT_EQ(toCategory.constraints[0].referencedProperty, "ID");
  const Association& association = model->schemas[0].associations[0];
  EXPECT_EQ(association.principalRole, "Category");
  EXPECT_EQ(association.dependentRole, "Product");
  EXPECT_TRUE(association.findEnd("Category")->cascadeDelete);
  EXPECT_FALSE(association.findEnd("Product")->cascadeDelete);
}

TEST(ModelBuilderTest, ReadsV2ContainerAndServiceOperations) {
  auto model = EdmxLoader::load(v2Document("NS", kV2Model));
  const EntityContainer* container = model->defaultContainer();
  ASSERT_NE(container, nullptr);
  EXPECT_EQ(container->fullName, "NS.Entities");
  EXPECT_TRUE(container->isDefault);
  const EntitySet& products = *container->findEntitySet("Products");
  EXPECT_EQ(products.annotations.insertable, false);
  EXPECT_EQ(products.annotations.deletable, false);
  EXPECT_FALSE(products.annotations.updatable.has_value());
  EXPECT_EQ(products.annotations.label, "Items");
  EXPECT_TRUE(products.type().hasStream);
  EXPECT_TRUE(products.type().findProperty("CategoryID")->annotations.concurrencyToken);
  ASSERT_EQ(container->associationSets.size(), 1u);
  EXPECT_EQ(container->associationSets[0].association, &model->schemas[0].associations[0]);
  EXPECT_EQ(container->associationSets[0].entitySets[1], "Categories");
  ASSERT_EQ(container->operationImports.size(), 3u);
  const OperationImport& byRating = container->operationImports[0];
  EXPECT_EQ(byRating.kind, OperationKind::kServiceOperation);
  ASSERT_EQ(byRating.overloads.size(), 1u);
  const Operation& op = *byRating.overloads[0];
  EXPECT_EQ(op.httpMethod, HttpMethod::kGet);
  EXPECT_FALSE(op.sideEffecting);
  EXPECT_EQ(op.entitySet, "Products");
  EXPECT_TRUE(op.returnType->collection);
  EXPECT_EQ(op.returnType->definition, model->findType("NS.Product"));
  ASSERT_EQ(op.parameters.size(), 1u);
  EXPECT_EQ(op.parameters[0].mode, "In");
  EXPECT_EQ(op.parameters[0].type.primitive, PrimitiveKind::kInt32);
  const Operation& reset = *container->operationImports[1].overloads[0];
  EXPECT_TRUE(reset.sideEffecting);
  EXPECT_FALSE(reset.returnType.has_value());
  const Operation& count = *container->operationImports[2].overloads[0];
  EXPECT_EQ(count.httpMethod, HttpMethod::kUnspecified);
  EXPECT_EQ(count.returnType->primitive, PrimitiveKind::kInt64);
}

TEST(ModelBuilderTest, ReadsV3BindableFunctionImports) {
  auto model = EdmxLoader::load(v2Document("NS", R"x(
    <EntityType Name="Product"><Key><PropertyRef Name="ID"/></Key><Property Name="ID" Type="Edm.Int32" Nullable="false"/></EntityType>
    <EntityContainer Name="C" m:IsDefaultEntityContainer="true">
      <EntitySet Name="Products" EntityType="NS.Product"/>
      <FunctionImport Name="Discount" IsBindable="true" IsSideEffecting="true" m:IsAlwaysBindable="true">
        <Parameter Name="product" Type="NS.Product"/><Parameter Name="percent" Type="Edm.Int32" Nullable="false"/></FunctionImport>
      <FunctionImport Name="Best" ReturnType="NS.Product" EntitySet="Products" IsSideEffecting="false"/>
    </EntityContainer>)x",
                                           "3.0", "http://schemas.microsoft.com/ado/2009/11/edm"));
  EXPECT_EQ(model->version, ODataVersion::kV3);
  const auto& ops = model->defaultContainer()->serviceOperations;
  ASSERT_EQ(ops.size(), 2u);
  EXPECT_TRUE(ops[0].bound);
  EXPECT_TRUE(ops[0].sideEffecting);
  EXPECT_EQ(ops[0].parameters[0].type.kind, TypeKind::kEntity);
  EXPECT_FALSE(ops[0].parameters[1].nullable);
  EXPECT_FALSE(ops[1].sideEffecting);
}

TEST(ModelBuilderTest, ReadsV4OperationsOverloadsAndImports) {
  auto model = loadV4(R"x(
    <EntityType Name="Person"><Key><PropertyRef Name="ID"/></Key><Property Name="ID" Type="Edm.Int32" Nullable="false"/></EntityType>
    <Function Name="Nearest" IsComposable="true"><Parameter Name="lat" Type="Edm.Double" Nullable="false"/>
      <ReturnType Type="NS.Person" Nullable="false"/></Function>
    <Function Name="Nearest"><Parameter Name="city" Type="Edm.String"/><ReturnType Type="NS.Person"/></Function>
    <Function Name="Friends" IsBound="true" EntitySetPath="person/Friends">
      <Parameter Name="person" Type="NS.Person"/><ReturnType Type="Collection(NS.Person)"/></Function>
    <Action Name="Reset"/>
    <Action Name="Share" IsBound="true"><Parameter Name="person" Type="NS.Person"/>
      <Parameter Name="to" Type="Edm.Int32"/></Action>
    <EntityContainer Name="Default">
      <EntitySet Name="People" EntityType="NS.Person"><NavigationPropertyBinding Path="Friends" Target="People"/></EntitySet>
      <Singleton Name="Me" Type="NS.Person"/>
      <FunctionImport Name="Nearest" Function="NS.Nearest" EntitySet="People" IncludeInServiceDocument="true"/>
      <ActionImport Name="Reset" Action="NS.Reset"/>
    </EntityContainer>)x");
  const Schema& schema = model->schemas[0];
  ASSERT_EQ(schema.operations.size(), 5u);
  EXPECT_EQ(schema.operations[0].kind, OperationKind::kFunction);
  EXPECT_TRUE(schema.operations[0].composable);
  EXPECT_FALSE(schema.operations[0].sideEffecting);
  EXPECT_FALSE(schema.operations[0].returnNullable);
  EXPECT_TRUE(schema.operations[2].bound);
  EXPECT_EQ(schema.operations[2].entitySetPath, "person/Friends");
  EXPECT_EQ(schema.operations[3].kind, OperationKind::kAction);
  EXPECT_TRUE(schema.operations[3].sideEffecting);
  const EntityContainer& container = *model->defaultContainer();
  ASSERT_EQ(container.entitySets.size(), 2u);
  EXPECT_FALSE(container.entitySets[0].singleton);
  EXPECT_TRUE(container.entitySets[1].singleton);
  EXPECT_EQ(container.entitySets[1].type().name, "Person");
  ASSERT_EQ(container.entitySets[0].navigationBindings.size(), 1u);
  EXPECT_EQ(container.entitySets[0].navigationBindings[0].target, "People");
  ASSERT_EQ(container.operationImports.size(), 2u);
  EXPECT_EQ(container.operationImports[0].overloads.size(), 2u);  // both unbound overloads
  EXPECT_TRUE(container.operationImports[0].includeInServiceDocument);
  EXPECT_EQ(container.operationImports[1].kind, OperationKind::kAction);
  EXPECT_EQ(container.operationImports[1].overloads[0]->name, "Reset");
}

TEST(ModelBuilderTest, SkipsForeignElementsAndAttributes) {
  auto model = EdmxLoader::load(v2Document("NS", R"x(
    <atom:link xmlns:atom="http://www.w3.org/2005/Atom" rel="self" href="x"/>
    <EntityType Name="T" p8:Foo="1" xmlns:p8="urn:p8"><Documentation><Summary>s</Summary></Documentation>
      <Key><PropertyRef Name="ID"/></Key><Property Name="ID" Type="Edm.Int32" Nullable="false" m:FC_KeepInContent="false"/>
      <ValueAnnotation Term="Org.OData.Display.V1.Description" String="d"/></EntityType>)x"));
  EXPECT_EQ(model->schemas[0].entityTypes.size(), 1u);
  EXPECT_EQ(model->schemas[0].entityTypes[0].properties.size(), 1u);
}

struct BadAttributeCase {
  std::string_view body;
  std::string_view message;
};

class BadAttributeTest : public ::testing::TestWithParam<BadAttributeCase> {};

TEST_P(BadAttributeTest, NamesAttributeAndPosition) {
  try {
    loadV4(GetParam().body);
    FAIL() << "no error";
  } catch (const core::Error& e) {
    EXPECT_THAT(e.message(), HasSubstr("invalid metadata at line "));
    EXPECT_THAT(e.message(), HasSubstr(GetParam().message));
  }
}

INSTANTIATE_TEST_SUITE_P(
    Attributes, BadAttributeTest,
    ::testing::Values(
        BadAttributeCase{R"x(<EntityType Name="T" Abstract="maybe"/>)x",
                         "Abstract='maybe' is not true or false"},
        BadAttributeCase{
            R"x(<ComplexType Name="T"><Property Name="P" Type="Edm.String" MaxLength="ten"/></ComplexType>)x",
            "MaxLength='ten' is not a whole number"},
        BadAttributeCase{R"x(<ComplexType Name="T"><Property Type="Edm.String"/></ComplexType>)x",
                         "Property has no Name attribute"},
        BadAttributeCase{R"x(<ComplexType Name="T"><Property Name="P"/></ComplexType>)x",
                         "Property has no Type attribute"},
        BadAttributeCase{
            R"x(<ComplexType Name="T"><Property Name="P" Type="Collection(Edm.String"/></ComplexType>)x",
            "lacks the closing ')'"},
        BadAttributeCase{R"x(<EnumType Name="E"><Member Name="A" Value="x"/></EnumType>)x",
                         "Value='x' is not a whole number"},
        BadAttributeCase{R"x(<Property Name="P" Type="Edm.String"/>)x",
                         "Property is not allowed inside Schema"}));

}  // namespace
}  // namespace broker::edm
