// The readers on recorded payloads of each format (V4 JSON, V2 verbose JSON, V3 JSON light).
#include "broker/odata/reader.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "broker/core/error.h"
#include "broker/edm/model.h"
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
  fields.add("ID", primitive(PrimitiveKind::kInt32));
  fields.add("Stock", primitive(PrimitiveKind::kInt64));
  fields.add("Price", primitive(PrimitiveKind::kDecimal));
  fields.add("Released", primitive(PrimitiveKind::kDate));
  fields.add("Modified", primitive(PrimitiveKind::kDateTimeOffset));
  fields.add("Address", complex());
  return fields;
}

std::vector<Entry> readAll(std::string body, ODataVersion version, FeedPage* page = nullptr) {
  std::vector<Entry> entries;
  const FieldMap fields = productFields();
  const FeedPage p =
      readFeed(body, fields, {version, false}, [&](const Entry& e) { entries.push_back(e); });
  if (page != nullptr) *page = p;
  return entries;
}

TEST(ReaderTest, V4Page) {
  FeedPage page;
  const auto entries = readAll(R"x({"@odata.context":"$metadata#Products","@odata.count":600,
    "value":[{"ID":1,"Stock":1152921504606846976,"Price":22.05,"Released":"2020-10-08",
      "Modified":"2026-11-21T12:52:18.998+01:00","@odata.etag":"W/\"x\"",
      "Address":{"@odata.type":"#A","City":"Porto","Lines":["a"]},"Category_ID":2},
     {"ID":2,"Stock":"5","Price":"1.50","Released":null,"Modified":null,"Address":null}],
    "@odata.nextLink":"Products?$skiptoken=100"})x",
                               ODataVersion::kV4, &page);
  ASSERT_EQ(entries.size(), 2u);
  EXPECT_EQ(entries[0].values[0], Value::number("1"));
  EXPECT_EQ(entries[0].values[1], Value::string("1152921504606846976"));
  EXPECT_EQ(entries[0].values[2], Value::string("22.05"));
  EXPECT_EQ(entries[0].values[3], Value::string("2020-10-08"));
  EXPECT_EQ(entries[0].values[4], Value::string("2026-11-21T11:52:18.998Z"));
  EXPECT_EQ(entries[0].values[5], Value::json(R"x({"City":"Porto","Lines":["a"]})x"));
  EXPECT_EQ(entries[0].etag, "W/\"x\"");
  EXPECT_EQ(entries[1].values[1], Value::string("5"));
  EXPECT_TRUE(entries[1].values[3].isNull());
  EXPECT_EQ(page.count, 600);
  EXPECT_EQ(page.nextLink, "Products?$skiptoken=100");
  EXPECT_EQ(page.entries, 2u);
}

TEST(ReaderTest, V2VerbosePage) {
  FeedPage page;
  const auto entries = readAll(R"x({"d":{"results":[{"__metadata":{"uri":"http://h/s/Products(1)",
      "type":"S.Product","etag":"W/\"y\""},"ID":1,"Stock":"7","Price":"22.05",
      "Released":"/Date(1602115200000)/","Modified":"/Date(1795261938998+0000)/",
      "Address":{"__metadata":{"type":"S.Address"},"City":"Porto"},
      "Category":{"__deferred":{"uri":"http://h/s/Products(1)/Category"}}}],
    "__count":"600","__next":"http://h/s/Products?$skiptoken=100"}})x",
                               ODataVersion::kV2, &page);
  ASSERT_EQ(entries.size(), 1u);
  EXPECT_EQ(entries[0].values[3], Value::string("2020-10-08"));
  EXPECT_EQ(entries[0].values[4], Value::string("2026-11-21T11:52:18.998Z"));
  EXPECT_EQ(entries[0].values[5], Value::json(R"x({"City":"Porto"})x"));
  EXPECT_EQ(entries[0].etag, "W/\"y\"");
  EXPECT_EQ(entries[0].editLink, "http://h/s/Products(1)");
  EXPECT_EQ(page.count, 600);
  EXPECT_EQ(page.nextLink, "http://h/s/Products?$skiptoken=100");
}

TEST(ReaderTest, V1ArrayAndV3JsonLight) {
  EXPECT_EQ(readAll(R"x({"d":[{"ID":1},{"ID":2}]})x", ODataVersion::kV2).size(), 2u);
  FeedPage page;
  const auto entries = readAll(R"x({"odata.metadata":"m","odata.count":"3","value":[
      {"odata.etag":"W/\"z\"","ID":3,"Stock":"8","Modified":"2026-11-21T10:00:00"}],
      "odata.nextLink":"next"})x",
                               ODataVersion::kV3, &page);
  ASSERT_EQ(entries.size(), 1u);
  EXPECT_EQ(entries[0].etag, "W/\"z\"");
  EXPECT_EQ(entries[0].values[4], Value::string("2026-11-21T10:00:00Z"));
  EXPECT_EQ(page.count, 3);
  EXPECT_EQ(page.nextLink, "next");
}

TEST(ReaderTest, SingleEntitiesOfEachFormat) {
  const FieldMap fields = productFields();
  std::string v2 = R"x({"d":{"__metadata":{"etag":"e"},"ID":5}})x";
  EXPECT_EQ(readEntity(v2, fields, {ODataVersion::kV2})->values[0], Value::number("5"));
  std::string v3 = R"x({"odata.metadata":"m","ID":6,"d":1})x";
  EXPECT_EQ(readEntity(v3, fields, {ODataVersion::kV3})->values[0], Value::number("6"));
  std::string v4 = R"x({"@odata.context":"m","@x":1,"@":2,"ID":7})x";
  EXPECT_EQ(readEntity(v4, fields, {ODataVersion::kV4})->values[0], Value::number("7"));
}

// A Load answered with a collection once gave a row of nulls, key included.
TEST(ReaderTest, ACollectionWhereOneEntityIsExpectedIsAnError) {
  const FieldMap fields = productFields();
  struct Case {
    ODataVersion version;
    std::string body;
  };
  const Case cases[] = {
      {ODataVersion::kV4, R"({"@odata.context":"$metadata#Products","value":[{"ID":1}]})"},
      {ODataVersion::kV3, R"({"odata.metadata":"x","value":[{"ID":1}]})"},
      {ODataVersion::kV2, R"({"d":{"results":[{"ID":1}]}})"},
      {ODataVersion::kV2, R"({"d":[{"ID":1}]})"},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(c.body);
    std::string body = c.body;
    try {
      readEntity(body, fields, {c.version});
      FAIL() << "read as an entity";
    } catch (const broker::core::Error& e) {
      EXPECT_EQ(e.code(), broker::core::ErrorCode::kUpstreamFailure);
      EXPECT_NE(std::string(e.what()).find("collection"), std::string::npos);
    }
  }
}

TEST(ReaderTest, ValuesThatDoNotFitFailOrAreDropped) {
  std::string body = R"x({"value":[{"ID":"x1","Released":"someday"}]})x";
  const FieldMap fields = productFields();
  try {
    readFeed(body, fields, {ODataVersion::kV4, false}, [](const Entry&) {});
    ADD_FAILURE();
  } catch (const core::Error& e) {
    EXPECT_EQ(e.code(), core::ErrorCode::kUpstreamFailure);
    EXPECT_THAT(e.message(), HasSubstr("'x1' for 'ID', which is not a valid Edm.Int32"));
  }
  std::vector<Entry> entries;
  readFeed(body, fields, {ODataVersion::kV4, true}, [&](const Entry& e) { entries.push_back(e); });
  ASSERT_EQ(entries.size(), 1u);
  EXPECT_TRUE(entries[0].values[0].isNull());
  EXPECT_TRUE(entries[0].values[3].isNull());
}

// One bad value once failed a whole list without saying which row; now the message names
// the entry by its key, which is read even when it comes after the bad value.
TEST(ReaderTest, AValueThatDoesNotFitNamesItsRowsKey) {
  FieldMap fields = productFields();
  fields.setKey(0);
  std::string body = R"x({"value":[{"ID":1,"Released":"2024-01-01"},{"Released":"","ID":2}]})x";
  try {
    readFeed(body, fields, {ODataVersion::kV4, false}, [](const Entry&) {});
    ADD_FAILURE();
  } catch (const core::Error& e) {
    EXPECT_EQ(e.message(),
              "the service sent '' for 'Released', which is not a valid Edm.Date (in the entity "
              "ID=2)");
  }
  std::vector<std::string> problems;
  std::vector<Entry> entries;
  readFeed(body, fields, {ODataVersion::kV4, true, &problems},
           [&](const Entry& e) { entries.push_back(e); });
  ASSERT_EQ(entries.size(), 2u);
  EXPECT_TRUE(entries[1].values[3].isNull());
  EXPECT_EQ(entries[1].values[0], Value::number("2"));
  EXPECT_THAT(problems, ::testing::ElementsAre(HasSubstr("'' for 'Released'")));
}

TEST(ReaderTest, AnEntryWithoutItsKeyIsNotARow) {
  FieldMap fields = productFields();
  fields.setKey(0);
  std::string body = R"x({"value":[{"ID":1},{"Stock":"5"},{"ID":null}]})x";
  try {
    readFeed(body, fields, {ODataVersion::kV4, false}, [](const Entry&) {});
    ADD_FAILURE();
  } catch (const core::Error& e) {
    EXPECT_THAT(e.message(), HasSubstr("an entity without its key 'ID'"));
  }
  std::vector<Entry> entries;
  const FeedPage page = readFeed(body, fields, {ODataVersion::kV4, true},
                                 [&](const Entry& e) { entries.push_back(e); });
  EXPECT_EQ(entries.size(), 1u);  // skipped, not a row of nulls
  EXPECT_EQ(page.entries, 3u);
  std::string one = R"x({"d":{"Stock":"5"}})x";
  EXPECT_FALSE(readEntity(one, fields, {ODataVersion::kV2, true}));
}

TEST(ReaderTest, EnumAndCollectionValuesAreCheckedLikeAnyOther) {
  edm::EnumType color;
  color.name = "Color";
  color.flags = true;
  color.members = {{"Red", 1}, {"Blue", 2}};
  edm::TypeRef colorRef;
  colorRef.kind = edm::TypeKind::kEnum;
  colorRef.definition = &color;
  edm::TypeRef dates = primitive(PrimitiveKind::kDate);
  dates.collection = true;
  FieldMap fields;
  fields.add("Color", colorRef);
  fields.add("Dates", dates);
  struct Case {
    std::string body;
    std::string message;  // empty: it fits
  };
  const Case cases[] = {
      {R"x({"Color":"Red, Blue","Dates":["2024-01-02"]})x", ""},
      {R"x({"Color":"2","Dates":{"results":["/Date(1704153600000)/"]}})x", ""},
      {R"x({"Color":"Green"})x", "'Green' for 'Color', which is not a valid"},
      {R"x({"Dates":"2024-01-02"})x", "'\"2024-01-02\"' for 'Dates', which is not a collection"},
      {R"x({"Dates":["2024-01-02","soon"]})x", "'soon' for 'Dates', which is not a valid Edm.Date"},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(c.body);
    std::string body = c.body;
    try {
      const auto entry = readEntity(body, fields, {ODataVersion::kV2});
      EXPECT_TRUE(c.message.empty());
      if (entry && c.body.find("Dates") != std::string::npos) {
        EXPECT_EQ(entry->values[1], Value::json(R"(["2024-01-02"])"));
      }
    } catch (const core::Error& e) {
      EXPECT_THAT(e.message(), HasSubstr(c.message));
      EXPECT_FALSE(c.message.empty()) << e.message();
    }
  }
}

TEST(ReaderTest, IntegersOutsideTheirTypesRangeDoNotFit) {
  std::string body = R"x({"value":[{"ID":3000000000}]})x";
  try {
    readFeed(body, productFields(), {}, [](const Entry&) {});
    ADD_FAILURE();
  } catch (const core::Error& e) {
    EXPECT_THAT(e.message(), HasSubstr("'3000000000' for 'ID', which is not a valid Edm.Int32"));
  }
}

// A to-one navigation without a target once failed as "malformed JSON".
TEST(ReaderTest, AnEntityResponseThatSaysNoneIsNoEntity) {
  std::string v2 = R"x({"d":null})x";
  EXPECT_FALSE(readEntity(v2, productFields(), {ODataVersion::kV2}));
  std::string v4 = R"x({"@odata.context":"$metadata#Products/$entity","@odata.null":true})x";
  EXPECT_FALSE(readEntity(v4, productFields(), {ODataVersion::kV4}));
}

// The JSON library's own words ("The JSON element does not have the requested type") never
// reach a user: the message says what was unexpected, at which byte, with the text there.
TEST(ReaderTest, AnAnswerThatIsNotTheJsonExpectedSaysWhatAndWhere) {
  struct Case {
    ODataVersion version;
    std::string body;
    std::string message;
  };
  const Case cases[] = {
      {ODataVersion::kV4, R"x({"value":[{"ID":1},)x", "an object or array that never ends"},
      {ODataVersion::kV4, R"x({"value":[{"ID":1},7]})x",
       "a value of another type than an OData payload has there at byte 19 (`7]}`)"},
      {ODataVersion::kV2, R"x({"d":{"results":{"ID":1}}})x", "at byte 16 (`{\"ID\":1}}}`)"},
      {ODataVersion::kV4, "Bad Gateway", "text that is not JSON"},
      {ODataVersion::kV4, "", "no JSON at all"},
      {ODataVersion::kV2, "<html><body>502 Bad Gateway</body></html>",
       "neither JSON nor an Atom feed or entry (its root element is <html>)"},
      {ODataVersion::kV2, "<<html>", "neither JSON nor an Atom feed or entry (malformed XML"},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(c.body);
    std::string body = c.body;
    try {
      readFeed(body, productFields(), {c.version}, [](const Entry&) {});
      ADD_FAILURE();
    } catch (const core::Error& e) {
      EXPECT_EQ(e.code(), core::ErrorCode::kUpstreamFailure);
      EXPECT_THAT(e.message(),
                  ::testing::AnyOf(HasSubstr("the service's answer is not the OData JSON expected"),
                                   HasSubstr("neither JSON nor an Atom feed or entry")));
      EXPECT_THAT(e.message(), HasSubstr(c.message));
      EXPECT_THAT(e.message(), ::testing::Not(HasSubstr("requested type")));
    }
  }
}

TEST(ReaderTest, ValueResponses) {
  std::string v4 = R"x({"@odata.context":"m","value":42})x";
  EXPECT_EQ(readValue(v4, primitive(PrimitiveKind::kInt32), {}), Value::number("42"));
  std::string v2 = R"x({"d":{"Count":"9007199254740993"}})x";
  EXPECT_EQ(readValue(v2, primitive(PrimitiveKind::kInt64), {ODataVersion::kV2}),
            Value::string("9007199254740993"));
  edm::TypeRef list = primitive(PrimitiveKind::kString);
  list.collection = true;
  std::string v2List = R"x({"d":{"results":["a","b"]}})x";
  EXPECT_EQ(readValue(v2List, list, {ODataVersion::kV2}), Value::json(R"x(["a","b"])x"));
}

}  // namespace
}  // namespace broker::odata

namespace broker::odata {
namespace {

// An expanded collection the service sent in part is named in Entry::partial: V2 `__next`
// inside the expanded feed, V4 `Nav@odata.nextLink`.
TEST(ReaderPartialTest, ExpandedCollectionsSentInPartAreNamed) {
  edm::TypeRef items;
  items.kind = edm::TypeKind::kComplex;  // the elements' shape does not matter here
  items.collection = true;
  FieldMap fields;
  fields.add("ID", test_types::primitive(edm::PrimitiveKind::kInt32));
  fields.add("Items", items);
  std::string v2 =
      R"({"d":{"ID":1,"Items":{"results":[{"Pos":1}],"__next":"Orders(1)/Items?$skiptoken=1"}}})";
  const auto first = readEntity(v2, fields, {ODataVersion::kV2});
  ASSERT_TRUE(first.has_value());
  EXPECT_EQ(first->values[1], Value::json(R"([{"Pos":1}])"));
  EXPECT_EQ(first->partial, std::vector<std::string>{"Items"});
  std::string v4 =
      R"({"ID":1,"Items":[{"Pos":1}],"Items@odata.nextLink":"Orders(1)/Items?$skip=1"})";
  const auto second = readEntity(v4, fields, {ODataVersion::kV4});
  ASSERT_TRUE(second.has_value());
  EXPECT_EQ(second->partial, std::vector<std::string>{"Items"});
  std::string whole = R"({"ID":1,"Items":[{"Pos":1}]})";
  EXPECT_TRUE(readEntity(whole, fields, {ODataVersion::kV4})->partial.empty());
}

}  // namespace
}  // namespace broker::odata
