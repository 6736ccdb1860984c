// The Atom readers on feeds and entries written as OData V2/V3 services send them (the shapes of
// the ODataDemo service in the corpus): properties typed by the metadata, nulls, complex values,
// V3 collections, media entries, named streams, ETags, counts, next links; expanded entries
// skipped; what is not a feed or entry, or not well-formed, refused with a message.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "broker/core/error.h"
#include "broker/edm/model.h"
#include "broker/odata/reader.h"
#include "type_refs.h"

namespace broker::odata {
namespace {

using edm::ODataVersion;
using edm::PrimitiveKind;
using test_types::complex;
using test_types::primitive;
using ::testing::HasSubstr;

FieldMap productFields() {
  FieldMap fields;
  fields.setKey(fields.add("ID", primitive(PrimitiveKind::kInt32)));    // 0
  fields.add("Name", primitive(PrimitiveKind::kString));                // 1
  fields.add("ReleaseDate", primitive(PrimitiveKind::kDateTime));       // 2
  fields.add("DiscontinuedDate", primitive(PrimitiveKind::kDateTime));  // 3
  fields.add("Price", primitive(PrimitiveKind::kDecimal));              // 4
  fields.add("Address", complex());                                     // 5
  fields.add("Tags", primitive(PrimitiveKind::kString, true));          // 6
  fields.add("Available", primitive(PrimitiveKind::kBoolean));          // 7
  return fields;
}

const char* const kFeed = R"x(<?xml version="1.0" encoding="utf-8" standalone="yes"?>
<feed xml:base="http://services.odata.org/OData/OData.svc/"
    xmlns:d="http://schemas.microsoft.com/ado/2007/08/dataservices"
    xmlns:m="http://schemas.microsoft.com/ado/2007/08/dataservices/metadata"
    xmlns="http://www.w3.org/2005/Atom">
  <title type="text">Products</title>
  <id>http://services.odata.org/OData/OData.svc/Products</id>
  <updated>2024-01-01T00:00:00Z</updated>
  <link rel="self" title="Products" href="Products" />
  <m:count>9</m:count>
  <entry m:etag="W/&quot;1&quot;">
    <id>http://services.odata.org/OData/OData.svc/Products(0)</id>
    <title type="text">Bread</title>
    <link rel="edit" title="Product" href="Products(0)" />
    <link rel="http://schemas.microsoft.com/ado/2007/08/dataservices/related/Category"
        type="application/atom+xml;type=entry" title="Category" href="Products(0)/Category">
      <m:inline><entry><content type="application/xml"><m:properties>
        <d:ID m:type="Edm.Int32">99</d:ID><d:Name>Food</d:Name>
      </m:properties></content></entry></m:inline>
    </link>
    <category term="ODataDemo.Product"
        scheme="http://schemas.microsoft.com/ado/2007/08/dataservices/scheme" />
    <content type="application/xml">
      <m:properties>
        <d:ID m:type="Edm.Int32">0</d:ID>
        <d:Name>  Bread &amp; butter </d:Name>
        <d:ReleaseDate m:type="Edm.DateTime">1992-01-01T00:00:00</d:ReleaseDate>
        <d:DiscontinuedDate m:type="Edm.DateTime" m:null="true" />
        <d:Price m:type="Edm.Decimal">2.5</d:Price>
        <d:Address m:type="ODataDemo.Address">
          <d:Street>NE 228th</d:Street><d:ZipCode m:type="Edm.Int32">98074</d:ZipCode>
          <d:Country m:null="true"/>
        </d:Address>
        <d:Tags m:type="Collection(Edm.String)"><d:element>fresh</d:element><d:element>baked</d:element></d:Tags>
        <d:Available m:type="Edm.Boolean">true</d:Available>
        <d:Unmapped>skipped</d:Unmapped>
      </m:properties>
    </content>
  </entry>
  <entry>
    <id>http://services.odata.org/OData/OData.svc/Products(1)</id>
    <link rel="edit" title="Product" href="Products(1)" />
    <link rel="http://schemas.microsoft.com/ado/2007/08/dataservices/mediaresource/Manual"
        type="application/pdf" href="Products(1)/Manual" />
    <content type="image/png" src="Products(1)/$value" />
    <m:properties>
      <d:ID m:type="Edm.Int32">1</d:ID>
      <d:Name>Milk</d:Name>
      <d:Available m:type="Edm.Boolean">false</d:Available>
    </m:properties>
  </entry>
  <link rel="next" href="Products?$skiptoken=2" />
</feed>)x";

TEST(AtomTest, ReadsAFeedAsTheJsonReadersDo) {
  std::string body = kFeed;
  const FieldMap fields = productFields();
  std::vector<Entry> entries;
  const FeedPage page =
      readFeed(body, fields, {ODataVersion::kV2}, [&](const Entry& e) { entries.push_back(e); });
  EXPECT_EQ(page.count, 9);
  EXPECT_EQ(page.nextLink, "Products?$skiptoken=2");
  ASSERT_EQ(entries.size(), 2u);  // the expanded Category entry is not a row of this feed
  const Entry& bread = entries[0];
  EXPECT_EQ(bread.etag, "W/\"1\"");
  EXPECT_EQ(bread.editLink, "Products(0)");
  EXPECT_EQ(bread.values[0], Value::number("0"));
  EXPECT_EQ(bread.values[1], Value::string("  Bread & butter "));  // strings as they are
  EXPECT_EQ(bread.values[2], Value::string("1992-01-01T00:00:00Z"));
  EXPECT_TRUE(bread.values[3].isNull());
  EXPECT_EQ(bread.values[4], Value::string("2.5"));
  EXPECT_EQ(bread.values[5],
            Value::json(R"({"Street":"NE 228th","ZipCode":98074,"Country":null})"));
  EXPECT_EQ(bread.values[6], Value::json(R"(["fresh","baked"])"));
  EXPECT_EQ(bread.values[7], Value::boolean(true));
  const Entry& milk = entries[1];
  EXPECT_EQ(milk.mediaReadLink, "Products(1)/$value");
  EXPECT_EQ(milk.mediaContentType, "image/png");
  ASSERT_NE(milk.stream("Manual"), nullptr);
  EXPECT_EQ(milk.stream("Manual")->readLink, "Products(1)/Manual");
  EXPECT_EQ(milk.stream("Manual")->contentType, "application/pdf");
  EXPECT_EQ(milk.values[7], Value::boolean(false));
}

TEST(AtomTest, ReadsOneEntryAndRefusesOtherShapes) {
  std::string entry = R"x(<entry xmlns="http://www.w3.org/2005/Atom"
      xmlns:d="http://schemas.microsoft.com/ado/2007/08/dataservices"
      xmlns:m="http://schemas.microsoft.com/ado/2007/08/dataservices/metadata">
    <content type="application/xml"><m:properties><d:ID>7</d:ID><d:Name>x</d:Name></m:properties></content>
  </entry>)x";
  const FieldMap fields = productFields();
  const auto read = readEntity(entry, fields, {ODataVersion::kV3});
  ASSERT_TRUE(read);
  EXPECT_EQ(read->values[0], Value::number("7"));

  struct Case {
    std::string body;
    std::string message;
  };
  const Case cases[] = {
      {kFeed, "a collection where one entity was expected"},
      {R"x(<error xmlns="http://schemas.microsoft.com/ado/2007/08/dataservices/metadata"/>)x",
       "neither JSON nor an Atom feed or entry (its root element is <error>)"},
      {R"x(<!DOCTYPE x [<!ENTITY a "aaaa">]><entry xmlns="http://www.w3.org/2005/Atom">&a;</entry>)x",
       "DOCTYPE"},
      {R"x(<entry xmlns="http://www.w3.org/2005/Atom" xmlns:d="http://schemas.microsoft.com/ado/2007/08/dataservices" xmlns:m="http://schemas.microsoft.com/ado/2007/08/dataservices/metadata"><m:properties><d:ID>x1</d:ID></m:properties></entry>)x",
       "'x1' for 'ID', which is not a valid Edm.Int32"},
      {R"x(<entry xmlns="http://www.w3.org/2005/Atom" xmlns:d="http://schemas.microsoft.com/ado/2007/08/dataservices" xmlns:m="http://schemas.microsoft.com/ado/2007/08/dataservices/metadata"><m:properties><d:Name>n</d:Name></m:properties></entry>)x",
       "an entity without its key 'ID'"},
      {R"x(<entry xmlns="http://www.w3.org/2005/Atom"><content>)x", "malformed XML at line 1"},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(c.body);
    std::string body = c.body;
    try {
      readEntity(body, fields, {ODataVersion::kV2});
      ADD_FAILURE() << "read";
    } catch (const core::Error& e) {
      EXPECT_EQ(e.code(), core::ErrorCode::kUpstreamFailure);
      EXPECT_THAT(e.message(), HasSubstr(c.message));
    }
  }
}

}  // namespace
}  // namespace broker::odata
