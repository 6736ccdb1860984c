#include "broker/odata/literal.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "broker/core/error.h"
#include "broker/core/text.h"
#include "type_refs.h"

namespace broker::odata {
namespace {

using edm::ODataVersion;
using edm::PrimitiveKind;
using test_types::primitive;

struct LiteralCase {
  PrimitiveKind kind;
  Value value;
  const char* v2;
  const char* v4;
};

TEST(LiteralTest, FormatsEveryPrimitivePerVersion) {
  const LiteralCase cases[] = {
      {PrimitiveKind::kString, Value::string("O'Neil"), "'O''Neil'", "'O''Neil'"},
      {PrimitiveKind::kInt32, Value::number("42"), "42", "42"},
      {PrimitiveKind::kInt32, Value::string("-7"), "-7", "-7"},
      {PrimitiveKind::kInt64, Value::string("9007199254740993"), "9007199254740993L",
       "9007199254740993"},
      {PrimitiveKind::kDecimal, Value::string("1.5"), "1.5M", "1.5"},
      {PrimitiveKind::kDouble, Value::number("2.5"), "2.5d", "2.5"},
      {PrimitiveKind::kBoolean, Value::boolean(true), "true", "true"},
      {PrimitiveKind::kGuid, Value::string("5f6bf1b8-20a1-4596-a0e0-acb47901c8d5"),
       "guid'5f6bf1b8-20a1-4596-a0e0-acb47901c8d5'", "5f6bf1b8-20a1-4596-a0e0-acb47901c8d5"},
      {PrimitiveKind::kDateTime, Value::string("2026-11-21T10:30:00+01:00"),
       "datetime'2026-11-21T09:30:00'", "datetime'2026-11-21T09:30:00'"},
      {PrimitiveKind::kDateTimeOffset, Value::string("2026-11-21T10:30:00.5Z"),
       "datetimeoffset'2026-11-21T10:30:00.5Z'", "2026-11-21T10:30:00.5Z"},
      {PrimitiveKind::kDate, Value::string("2026-11-21"), "datetime'2026-11-21T00:00:00'",
       "2026-11-21"},
      {PrimitiveKind::kTimeOfDay, Value::string("08:15:00"), "time'PT8H15M0S'", "08:15:00"},
      {PrimitiveKind::kString, Value::null(), "null", "null"},
  };
  for (const LiteralCase& c : cases) {
    EXPECT_EQ(formatLiteral(primitive(c.kind), ODataVersion::kV2, c.value, "p"), c.v2) << c.v2;
    EXPECT_EQ(formatLiteral(primitive(c.kind), ODataVersion::kV4, c.value, "p"), c.v4) << c.v4;
  }
}

TEST(LiteralTest, RejectsValuesThatDoNotFitNamingTheProperty) {
  struct Bad {
    PrimitiveKind kind;
    Value value;
    const char* message;
  };
  const Bad cases[] = {
      {PrimitiveKind::kInt32, Value::string("abc"), "Rating: 'abc' is not a valid Edm.Int32"},
      {PrimitiveKind::kInt32, Value::number("3000000000"), "not a valid Edm.Int32"},
      {PrimitiveKind::kByte, Value::number("-1"), "not a valid Edm.Byte"},
      {PrimitiveKind::kDecimal, Value::string("1e5"), "not a valid Edm.Decimal"},
      {PrimitiveKind::kGuid, Value::string("123"), "8-4-4-4-12"},
      {PrimitiveKind::kDate, Value::string("2026-02-30"), "YYYY-MM-DD"},
      {PrimitiveKind::kDateTimeOffset, Value::string("yesterday"), "ISO 8601"},
      {PrimitiveKind::kBoolean, Value::string("maybe"), "not a valid Edm.Boolean"},
  };
  for (const Bad& c : cases) {
    try {
      formatLiteral(primitive(c.kind), ODataVersion::kV4, c.value, "Rating");
      ADD_FAILURE() << c.message;
    } catch (const core::Error& e) {
      EXPECT_EQ(e.code(), core::ErrorCode::kInvalidArgument);
      EXPECT_THAT(e.message(), ::testing::HasSubstr(c.message));
    }
  }
}

TEST(LiteralTest, KeyPredicatesAreEncodedOnce) {
  const edm::TypeRef text = primitive(PrimitiveKind::kString);
  const edm::TypeRef number = primitive(PrimitiveKind::kInt32);
  const Value code = Value::string("a/b c#ü'%+");
  const Value id = Value::number("1");
  const KeyValue one[] = {{"Code", &text, &code}};
  EXPECT_EQ(keyPredicate(one, ODataVersion::kV4), "('a%2Fb%20c%23%C3%BC''%25%2B')");
  const KeyValue two[] = {{"Product_ID", &number, &id}, {"Tag_Code", &text, &code}};
  EXPECT_EQ(keyPredicate(two, ODataVersion::kV2),
            "(Product_ID=1,Tag_Code='a%2Fb%20c%23%C3%BC''%25%2B')");
  EXPECT_EQ(core::percentDecode("a%2Fb%20c%23%C3%BC''%25%2B"), "a/b c#ü''%+");
  const Value missing;
  const KeyValue none[] = {{"ID", &number, &missing}};
  EXPECT_THROW(keyPredicate(none, ODataVersion::kV4), core::Error);
}

TEST(LiteralTest, QueryValuesKeepOperatorsReadable) {
  EXPECT_EQ(encodeQueryValue("Name eq 'a&b=c' and ID gt 1"),
            "Name%20eq%20'a%26b%3Dc'%20and%20ID%20gt%201");
  EXPECT_EQ(encodeQueryValue("Supplier/ID,Name"), "Supplier/ID,Name");
}

}  // namespace
}  // namespace broker::odata
