// The catalog rules of API.md §2–3 on small documents: entity methods and restrictions,
// links, media, operations and their naming, ObjectTypes, and the keys that shape a catalog.
#include "serviceobjects/catalog.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <unordered_set>

#include "broker/edm/edmx_loader.h"
#include "edmx_documents.h"

namespace serviceobjects {
namespace {

using ::testing::ElementsAre;
using ::testing::IsEmpty;
using ::testing::UnorderedElementsAre;
namespace edm = broker::edm;

config::ServiceKeys keysWith(std::vector<std::pair<std::string, std::string>> pairs = {}) {
  pairs.emplace_back("serviceUrl", "http://127.0.0.1/svc/");
  return config::ServiceKeys::parse(pairs);
}

std::shared_ptr<const Catalog> v4Catalog(std::string_view body,
                                         const config::ServiceKeys& keys = keysWith()) {
  return Catalog::build(
      edm::EdmxLoader::load(edm::testing::v4Document(edm::testing::v4Schema("NS", body))), keys);
}

std::vector<std::string> methodNames(const ServiceObject& so) {
  std::vector<std::string> names;
  for (const Method& m : so.methods) names.push_back(m.name);
  return names;
}

const ServiceObject& object(const Catalog& catalog, std::string_view name) {
  const ServiceObject* so = catalog.find(name);
  if (so == nullptr) throw std::runtime_error("no object " + std::string(name));
  return *so;
}

constexpr std::string_view kShop = R"x(
  <ComplexType Name="Address"><Property Name="City" Type="Edm.String"/>
    <Property Name="Geo" Type="NS.Geo"/></ComplexType>
  <ComplexType Name="Geo"><Property Name="Lat" Type="Edm.Double"/></ComplexType>
  <ComplexType Name="Unused"><Property Name="X" Type="Edm.String"/></ComplexType>
  <EntityType Name="Category"><Key><PropertyRef Name="ID"/></Key>
    <Property Name="ID" Type="Edm.Int32" Nullable="false"/>
    <Property Name="Name" Type="Edm.String" MaxLength="60" Nullable="false"/>
    <NavigationProperty Name="Products" Type="Collection(NS.Product)" Partner="Category"/></EntityType>
  <EntityType Name="Product"><Key><PropertyRef Name="ID"/></Key>
    <Property Name="ID" Type="Edm.Int32" Nullable="false"/>
    <Property Name="Name" Type="Edm.String"/>
    <Property Name="Created" Type="Edm.DateTimeOffset"><Annotation Term="Core.Computed"/></Property>
    <Property Name="Sku" Type="Edm.String"><Annotation Term="Core.Immutable"/></Property>
    <Property Name="Origin" Type="NS.Address"/>
    <Property Name="Manual" Type="Edm.Stream"/>
    <NavigationProperty Name="Category" Type="NS.Category" Partner="Products"/>
    <NavigationProperty Name="Tags" Type="Collection(NS.Tag)" Partner="Products"/>
    <NavigationProperty Name="Parts" Type="Collection(NS.Product)" ContainsTarget="true"/></EntityType>
  <EntityType Name="Tag"><Key><PropertyRef Name="Code"/></Key>
    <Property Name="Code" Type="Edm.String" Nullable="false"/>
    <NavigationProperty Name="Products" Type="Collection(NS.Product)" Partner="Tags"/></EntityType>
  <EntityType Name="Photo" HasStream="true"><Key><PropertyRef Name="ID"/></Key>
    <Property Name="ID" Type="Edm.Guid" Nullable="false"/>
    <Property Name="Content" Type="Edm.String"/></EntityType>
  <EntityType Name="Log"><Key><PropertyRef Name="ID"/></Key><Property Name="ID" Type="Edm.Int64" Nullable="false"/></EntityType>
  <Function Name="TopProducts"><Parameter Name="count" Type="Edm.Int32" Nullable="false"/>
    <ReturnType Type="Collection(NS.Product)"/></Function>
  <Function Name="TopProducts"><Parameter Name="category" Type="Edm.String"/>
    <ReturnType Type="Collection(NS.Product)"/></Function>
  <Function Name="Count"><ReturnType Type="Edm.Int64"/></Function>
  <Function Name="Where"><Parameter Name="at" Type="NS.Address"/><ReturnType Type="NS.Address"/></Function>
  <Action Name="Reset"/>
  <Action Name="Rate" IsBound="true"><Parameter Name="product" Type="NS.Product"/>
    <Parameter Name="stars" Type="Edm.Int32" Nullable="false"/><ReturnType Type="NS.Product"/></Action>
  <Action Name="Rate" IsBound="true"><Parameter Name="tag" Type="NS.Tag"/></Action>
  <EntityContainer Name="C">
    <EntitySet Name="Categories" EntityType="NS.Category"/>
    <EntitySet Name="Products" EntityType="NS.Product"/>
    <EntitySet Name="Tags" EntityType="NS.Tag"/>
    <EntitySet Name="Photos" EntityType="NS.Photo"/>
    <EntitySet Name="Logs" EntityType="NS.Log">
      <Annotation Term="Capabilities.InsertRestrictions"><Record><PropertyValue Property="Insertable" Bool="false"/></Record></Annotation>
      <Annotation Term="Capabilities.UpdateRestrictions"><Record><PropertyValue Property="Updatable" Bool="false"/></Record></Annotation>
      <Annotation Term="Capabilities.DeleteRestrictions"><Record><PropertyValue Property="Deletable" Bool="false"/></Record></Annotation>
    </EntitySet>
    <Singleton Name="Me" Type="NS.Category"/>
    <FunctionImport Name="TopProducts" Function="NS.TopProducts" EntitySet="Products"/>
    <FunctionImport Name="Count" Function="NS.Count"/>
    <FunctionImport Name="Where" Function="NS.Where"/>
    <FunctionImport Name="Products" Function="NS.Count"/>
    <ActionImport Name="Reset" Action="NS.Reset"/>
  </EntityContainer>)x";

TEST(CatalogTest, EntitySetMethodsInputsAndRequired) {
  auto catalog = v4Catalog(kShop);
  const ServiceObject& products = object(*catalog, "Products");
  EXPECT_EQ(products.folder, Folder::kEntities);
  // Its named stream (Manual) can be left out, like a media entity's content.
  EXPECT_THAT(methodNames(products),
              ElementsAre("List", "Load", "Create", "Update", "Delete", "LoadWithoutContent",
                          "ListWithoutContent", "CreateLink", "DeleteLink"));
  const Method& create = *products.findMethod("Create");
  EXPECT_THAT(create.inputs, ElementsAre("ID", "Name", "Sku", "Origin (Address)", "Manual",
                                         "Manual Path", "Manual MIME Type"));
  EXPECT_THAT(create.required, ElementsAre("ID"));
  const Method& update = *products.findMethod("Update");
  EXPECT_THAT(update.inputs, ElementsAre("ID", "Name", "Origin (Address)", "Manual", "Manual Path",
                                         "Manual MIME Type"));  // not Created, not Sku
  EXPECT_THAT(update.required, ElementsAre("ID"));
  EXPECT_THAT(products.findMethod("Load")->required, ElementsAre("ID"));
  EXPECT_THAT(products.findMethod("Delete")->returns, IsEmpty());
  // Complex values are not List filters; streams neither.
  EXPECT_THAT(products.findMethod("List")->inputs, ElementsAre("ID", "Name", "Created", "Sku"));
  const Property& origin = *products.findProperty("Origin (Address)");
  EXPECT_EQ(origin.type, SoType::kMemo);
  EXPECT_EQ(origin.edmType, "NS.Address");
  EXPECT_EQ(origin.source, "Origin");
  EXPECT_EQ(products.findProperty("Manual")->type, SoType::kFile);
  EXPECT_EQ(products.findProperty("ID")->key, true);
  const Property& name = *object(*catalog, "Categories").findProperty("Name");
  EXPECT_EQ(name.size, 60u);
  EXPECT_FALSE(name.nullable);
  EXPECT_THAT(object(*catalog, "Categories").findMethod("Create")->required,
              ElementsAre("ID", "Name"));
}

TEST(CatalogTest, RestrictionsRemoveMethods) {
  auto catalog = v4Catalog(kShop);
  EXPECT_THAT(methodNames(object(*catalog, "Logs")), ElementsAre("List", "Load"));
}

TEST(CatalogTest, SingletonHasLoadAndUpdateOnly) {
  auto catalog = v4Catalog(kShop);
  const ServiceObject& me = object(*catalog, "Me");
  EXPECT_THAT(methodNames(me), ElementsAre("Load", "Update", "CreateLink", "DeleteLink"));
  EXPECT_THAT(me.findMethod("Load")->inputs, IsEmpty());
  EXPECT_TRUE(me.source.singleton);
}

TEST(CatalogTest, LinksOnOneSideOfOneToManyAndBothSidesOfManyToMany) {
  auto catalog = v4Catalog(kShop);
  const ServiceObject& categories = object(*catalog, "Categories");
  const Method& link = *categories.findMethod("CreateLink");
  EXPECT_EQ(link.navigation, "Products");
  EXPECT_THAT(link.inputs, ElementsAre("ID", "Products/ID"));
  EXPECT_THAT(link.required, ElementsAre("ID", "Products/ID"));
  EXPECT_EQ(categories.findProperty("Products/ID")->role, PropertyRole::kNavigationKey);
  // Product: Tags is M:M (link), Category is M:1 (none), Parts is contained (none).
  const ServiceObject& products = object(*catalog, "Products");
  EXPECT_EQ(products.findMethod("CreateLink")->navigation, "Tags");
  EXPECT_THAT(products.findMethod("DeleteLink")->inputs, ElementsAre("ID", "Tags/Code"));
  EXPECT_NE(object(*catalog, "Tags").findMethod("CreateLink"), nullptr);
  EXPECT_EQ(object(*catalog, "Photos").findMethod("CreateLink"), nullptr);
}

TEST(CatalogTest, MediaEntityGetsContentPropertiesAndMethods) {
  auto catalog = v4Catalog(kShop);
  const ServiceObject& photos = object(*catalog, "Photos");
  // The entity's own "Content" keeps its name; the stream's comes second.
  EXPECT_EQ(photos.findProperty("Content")->type, SoType::kText);
  EXPECT_EQ(photos.findProperty("Content_2")->role, PropertyRole::kStreamContent);
  EXPECT_EQ(photos.findProperty("Content Path")->role, PropertyRole::kStreamPath);
  EXPECT_EQ(photos.findProperty("Content MIME Type")->role, PropertyRole::kStreamMimeType);
  EXPECT_THAT(methodNames(photos), ElementsAre("List", "Load", "Create", "Update", "Delete",
                                               "LoadWithoutContent", "ListWithoutContent"));
}

TEST(CatalogTest, OperationsWithFullNames) {
  auto catalog = v4Catalog(kShop);
  const ServiceObject& top = object(*catalog, "TopProducts(Int32 count)");
  EXPECT_EQ(top.folder, Folder::kOperations);
  EXPECT_THAT(methodNames(top),
              ElementsAre("List", "ListToSerializedItem", "ReadToSerializedItem"));
  EXPECT_THAT(top.findMethod("List")->inputs, ElementsAre("count"));
  EXPECT_THAT(top.findMethod("List")->required, ElementsAre("count"));
  EXPECT_EQ(top.source.httpMethod, "GET");
  EXPECT_NE(catalog->find("TopProducts(String category)"), nullptr);
  const ServiceObject& count = object(*catalog, "Count()");
  EXPECT_THAT(methodNames(count), ElementsAre("Load"));
  EXPECT_THAT(count.findMethod("Load")->returns, ElementsAre("Value"));
  EXPECT_EQ(count.findProperty("Value")->type, SoType::kNumber);
  const ServiceObject& where = object(*catalog, "Where(Address at)");
  EXPECT_THAT(where.findMethod("Load")->returns, ElementsAre("City", "Geo (Geo)"));
  EXPECT_EQ(where.findProperty("at")->type, SoType::kMemo);
  const ServiceObject& reset = object(*catalog, "Reset()");
  EXPECT_THAT(methodNames(reset), ElementsAre("Execute"));
  EXPECT_EQ(reset.source.httpMethod, "POST");
}

TEST(CatalogTest, BoundOperationsTakeTheEntityKeys) {
  auto catalog = v4Catalog(kShop);
  const ServiceObject& rate = object(*catalog, "Product_Rate(Int32 stars)");
  EXPECT_THAT(methodNames(rate), ElementsAre("Execute"));
  EXPECT_THAT(rate.findMethod("Execute")->inputs, ElementsAre("ID", "stars"));
  EXPECT_THAT(rate.findMethod("Execute")->required, ElementsAre("ID", "stars"));
  EXPECT_EQ(rate.source.qualifiedOperation, "NS.Rate");
  EXPECT_EQ(rate.source.bindingType, "NS.Product");
  const ServiceObject& rateTag = object(*catalog, "Tag_Rate()");
  EXPECT_THAT(rateTag.findMethod("Execute")->inputs, ElementsAre("Code"));
}

TEST(CatalogTest, ShortNamesResolveCollisionsDeterministically) {
  auto catalog = v4Catalog(kShop, keysWith({{"namesUseMethodFullName", "false"}}));
  // Overloads and an operation named like an entity set get numbered suffixes, in document order.
  EXPECT_THAT(object(*catalog, "TopProducts").findMethod("List")->inputs, ElementsAre("count"));
  EXPECT_THAT(object(*catalog, "TopProducts_2").findMethod("List")->inputs,
              ElementsAre("category"));
  EXPECT_EQ(object(*catalog, "Products").folder, Folder::kEntities);
  EXPECT_EQ(object(*catalog, "Products_2").folder, Folder::kOperations);
  EXPECT_NE(catalog->find("Product_Rate"), nullptr);
}

TEST(CatalogTest, ObjectTypesForUsedOrAllComplexTypes) {
  auto all = v4Catalog(kShop);
  EXPECT_NE(all->find("Unused"), nullptr);
  EXPECT_NE(all->find("HttpHeader"), nullptr);
  auto used = v4Catalog(kShop, keysWith({{"serializationIncludeAllTypes", "false"}}));
  EXPECT_EQ(used->find("Unused"), nullptr);
  EXPECT_NE(used->find("Address"), nullptr);
  EXPECT_NE(used->find("Geo"), nullptr);  // nested in Address
  EXPECT_NE(used->find("HttpHeader"), nullptr);
  const ServiceObject& address = object(*all, "Address");
  EXPECT_EQ(address.folder, Folder::kObjectTypes);
  EXPECT_THAT(methodNames(address),
              ElementsAre("Serialize", "Deserialize", "SerializeArray", "DeserializeArray"));
  EXPECT_THAT(address.findMethod("Serialize")->inputs, ElementsAre("City"));
  EXPECT_THAT(address.findMethod("Deserialize")->returns, ElementsAre("City", "Geo (Geo)"));
  auto withNested = v4Catalog(kShop, keysWith({{"includeNonSerializedProperties", "true"}}));
  EXPECT_THAT(object(*withNested, "Address").findMethod("Serialize")->inputs,
              ElementsAre("City", "Geo (Geo)"));
  const ServiceObject& header = object(*all, "HttpHeader");
  EXPECT_THAT(header.findMethod("Serialize")->inputs, ElementsAre("Name", "Value"));
}

TEST(CatalogTest, KeysThatShapeProperties) {
  auto catalog = v4Catalog(kShop, keysWith({{"namesAppendPropertyTypes", "false"},
                                            {"addNavigationPropertiesToListMethods", "true"},
                                            {"addQueryOptionsProperty", "true"},
                                            {"addHttpRequestHeaderProperty", "true"},
                                            {"addHttpResponseHeaderProperty", "true"}}));
  const ServiceObject& products = object(*catalog, "Products");
  EXPECT_NE(products.findProperty("Origin"), nullptr);
  EXPECT_THAT(products.findMethod("List")->inputs,
              ElementsAre("ID", "Name", "Created", "Sku", "Category/ID", "Tags/Code",
                          "Query Options", "HTTP Request Headers"));
  EXPECT_THAT(products.findMethod("Load")->inputs,
              ElementsAre("ID", "Query Options", "HTTP Request Headers"));
  for (const Method& m : products.methods) {
    EXPECT_EQ(m.inputs.back(), "HTTP Request Headers") << m.name;
    EXPECT_EQ(m.returns.back(), "HTTP Response Headers") << m.name;
  }
  // Serialization sends no request: no header properties on ObjectTypes.
  EXPECT_EQ(object(*catalog, "Address").findProperty("HTTP Request Headers"), nullptr);
}

TEST(CatalogTest, V2ServiceOperationsAndSapFlags) {
  const std::string document = edm::testing::v2Document("NS", R"x(
    <EntityType Name="Order"><Key><PropertyRef Name="Id"/></Key>
      <Property Name="Id" Type="Edm.String" Nullable="false" MaxLength="10"/>
      <Property Name="Status" Type="Edm.String" sap:updatable="false"/>
      <Property Name="Note" Type="Edm.String" sap:creatable="false"/>
      <Property Name="Version" Type="Edm.Binary" ConcurrencyMode="Fixed"/></EntityType>
    <EntityContainer Name="C" m:IsDefaultEntityContainer="true">
      <EntitySet Name="Orders" EntityType="NS.Order" sap:deletable="false" sap:label="Sales orders"/>
      <FunctionImport Name="Confirm" ReturnType="NS.Order" EntitySet="Orders" m:HttpMethod="POST">
        <Parameter Name="Id" Type="Edm.String" Mode="In"/></FunctionImport>
      <FunctionImport Name="Open" ReturnType="Collection(NS.Order)" EntitySet="Orders"/>
      <FunctionImport Name="Ping" ReturnType="Edm.Boolean" m:HttpMethod="GET"/>
    </EntityContainer>)x");
  auto catalog = Catalog::build(edm::EdmxLoader::load(document), keysWith());
  const ServiceObject& orders = object(*catalog, "Orders");
  EXPECT_EQ(orders.description, "Sales orders");
  EXPECT_THAT(methodNames(orders), ElementsAre("List", "Load", "Create", "Update"));
  EXPECT_THAT(orders.findMethod("Create")->inputs, ElementsAre("Id", "Status", "Version"));
  EXPECT_THAT(orders.findMethod("Update")->inputs, ElementsAre("Id", "Note", "Version", "ETag"));
  EXPECT_THAT(orders.findMethod("Load")->returns,
              ElementsAre("Id", "Status", "Note", "Version", "ETag"));
  // A parameter keeps the name its object's signature shows (it once became `Id_2`, and
  // sending `Id` was a 400); the returned property of that name is the one numbered.
  const ServiceObject& confirm = object(*catalog, "Confirm(String Id)");
  EXPECT_THAT(methodNames(confirm), ElementsAre("Execute"));
  EXPECT_THAT(confirm.findMethod("Execute")->inputs, ElementsAre("Id"));
  EXPECT_EQ(confirm.findProperty("Id")->role, PropertyRole::kParameter);
  EXPECT_THAT(confirm.findMethod("Execute")->returns,
              ElementsAre("Id_2", "Status", "Note", "Version"));
  EXPECT_EQ(confirm.findProperty("Id_2")->source, "Id");
  EXPECT_EQ(confirm.source.httpMethod, "POST");
  EXPECT_EQ(object(*catalog, "Open()").source.httpMethod, "POST");  // the key's default
  EXPECT_EQ(object(*catalog, "Ping()").source.httpMethod, "GET");
  auto viaGet = Catalog::build(edm::EdmxLoader::load(document),
                               keysWith({{"defaultHttpMethodForServiceOperations", "GET"}}));
  EXPECT_EQ(object(*viaGet, "Open()").source.httpMethod, "GET");
}

// V2/V3 allow several containers; all but one were once dropped without a word.
TEST(CatalogTest, EveryContainersSetsAndImportsAreObjects) {
  const std::string document = edm::testing::v2Document("NS", R"x(
    <EntityType Name="Thing"><Key><PropertyRef Name="Id"/></Key>
      <Property Name="Id" Type="Edm.Int32" Nullable="false"/></EntityType>
    <EntityContainer Name="Main" m:IsDefaultEntityContainer="true">
      <EntitySet Name="Things" EntityType="NS.Thing"/>
      <FunctionImport Name="Ghost" ReturnType="Edm.Boolean" m:HttpMethod="GET"/>
    </EntityContainer>
    <EntityContainer Name="Archive">
      <EntitySet Name="Things" EntityType="NS.Thing"/>
      <EntitySet Name="OldThings" EntityType="NS.Thing"/>
      <FunctionImport Name="Purge" ReturnType="Edm.Int32" m:HttpMethod="POST"/>
    </EntityContainer>)x");
  auto catalog = Catalog::build(edm::EdmxLoader::load(document), keysWith());
  std::vector<std::string> names;
  for (const ServiceObject& so : catalog->objects()) {
    if (so.folder != Folder::kObjectTypes) names.push_back(so.name);
  }
  // A non-default container's objects are named as they are addressed: Container.Name.
  EXPECT_THAT(names, ElementsAre("Things", "Ghost()", "Archive.Things", "Archive.OldThings",
                                 "Archive.Purge()"));
  EXPECT_EQ(object(*catalog, "Archive.OldThings").source.entitySet, "Archive.OldThings");
  EXPECT_EQ(object(*catalog, "Archive.Purge()").source.operation, "Archive.Purge");
  EXPECT_THAT(catalog->warnings(), IsEmpty());

  // The corpus's pyodata example has two default containers: 14 sets and 6 imports.
  auto pyodata = Catalog::build(
      edm::EdmxLoader::loadFile(BROKER_CORPUS_DIR "/pyodata-example-srv-v2.xml"), keysWith());
  std::size_t sets = 0;
  std::size_t operations = 0;
  for (const ServiceObject& so : pyodata->objects()) {
    sets += so.folder == Folder::kEntities;
    operations += so.folder == Folder::kOperations;
  }
  EXPECT_EQ(sets, 14u);
  EXPECT_EQ(operations, 6u);
  EXPECT_NE(pyodata->find("TemperatureMeasurements"), nullptr);
}

// A to-many navigation input lists through the navigation back; an association with no way
// back (SAP's A_BusinessPartner → to_BusinessPartnerAddress) once offered inputs that failed.
TEST(CatalogTest, OnlyNavigationInputsTheBrokerCanExpressAreOffered) {
  auto catalog = Catalog::build(
      edm::EdmxLoader::loadFile(BROKER_CORPUS_DIR "/sap-api-business-partner-v2.xml"),
      keysWith({{"addNavigationPropertiesToListMethods", "true"}}));
  const ServiceObject& partners = object(*catalog, "A_BusinessPartner");
  const std::vector<std::string>& inputs = partners.findMethod("List")->inputs;
  for (const std::string& input : inputs) {
    EXPECT_FALSE(input.starts_with("to_BusinessPartnerAddress/")) << input;
  }
  // Still a link method's input, which needs no way back.
  EXPECT_NE(partners.findProperty("to_BusinessPartnerAddress/AddressID"), nullptr);

  auto shop = v4Catalog(kShop, keysWith({{"addNavigationPropertiesToListMethods", "true"}}));
  EXPECT_THAT(object(*shop, "Categories").findMethod("List")->inputs,
              ::testing::Contains("Products/ID"));  // Products has its Partner back
}

TEST(CatalogTest, KeyPathsBecomeKeyProperties) {
  auto catalog = v4Catalog(R"x(
    <ComplexType Name="Ref"><Property Name="Code" Type="Edm.String" Nullable="false"/></ComplexType>
    <EntityType Name="T"><Key><PropertyRef Name="Ref/Code" Alias="Code"/></Key>
      <Property Name="Ref" Type="NS.Ref" Nullable="false"/></EntityType>
    <EntityContainer Name="C"><EntitySet Name="Ts" EntityType="NS.T"/></EntityContainer>)x");
  const ServiceObject& ts = object(*catalog, "Ts");
  EXPECT_EQ(ts.findProperty("Code")->source, "Ref/Code");
  EXPECT_TRUE(ts.findProperty("Code")->key);
  EXPECT_THAT(ts.findMethod("Load")->required, ElementsAre("Code"));
}

TEST(CatalogTest, CatalogIsSharedImmutableAndKeepsTheModel) {
  auto catalog = v4Catalog(kShop);
  EXPECT_EQ(catalog->model().version, edm::ODataVersion::kV4);
  std::unordered_set<std::string> names;
  for (const ServiceObject& so : catalog->objects()) {
    EXPECT_TRUE(names.insert(so.name).second) << so.name;
    std::unordered_set<std::string> properties;
    for (const Property& p : so.properties) EXPECT_TRUE(properties.insert(p.name).second);
    for (const Method& m : so.methods) {
      for (const std::string& input : m.inputs) EXPECT_NE(so.findProperty(input), nullptr) << input;
      for (const std::string& out : m.returns) EXPECT_NE(so.findProperty(out), nullptr) << out;
      for (const std::string& r : m.required) {
        EXPECT_NE(std::find(m.inputs.begin(), m.inputs.end(), r), m.inputs.end()) << r;
      }
    }
  }
}

TEST(CatalogTest, EmptyOptimisticConcurrencyStillMeansETags) {
  auto catalog = v4Catalog(R"x(
    <EntityType Name="T"><Key><PropertyRef Name="ID"/></Key>
      <Property Name="ID" Type="Edm.Int32" Nullable="false"/></EntityType>
    <EntityContainer Name="C"><EntitySet Name="Ts" EntityType="NS.T">
      <Annotation Term="Org.OData.Core.V1.OptimisticConcurrency"><Collection/></Annotation>
    </EntitySet></EntityContainer>)x");
  EXPECT_THAT(object(*catalog, "Ts").findMethod("Delete")->inputs, ElementsAre("ID", "ETag"));
}

}  // namespace
}  // namespace serviceobjects
