// Framework filters: parsing and its errors, $filter per operator × version × type with
// minimal parentheses, and the broker-side evaluation with OData's null semantics.
#include "broker/odata/filter.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <map>

#include "broker/core/error.h"

namespace broker::odata {
namespace {

using edm::ODataVersion;
using edm::PrimitiveKind;
using ::testing::HasSubstr;

const std::map<std::string, PrimitiveKind> kTypes = {
    {"ID", PrimitiveKind::kInt32},
    {"Name", PrimitiveKind::kString},
    {"Rating", PrimitiveKind::kInt32},
    {"Stock", PrimitiveKind::kInt64},
    {"Price", PrimitiveKind::kDecimal},
    {"Weight", PrimitiveKind::kDouble},
    {"IsAvailable", PrimitiveKind::kBoolean},
    {"Released", PrimitiveKind::kDate},
    {"Changed", PrimitiveKind::kDateTimeOffset},
    {"Legacy", PrimitiveKind::kDateTime},
    {"Key", PrimitiveKind::kGuid},
    {"Supplier/ID", PrimitiveKind::kInt32},
    {"Opens", PrimitiveKind::kTimeOfDay},
};

// Parses and binds as the engine does: properties by name, literals as their property's type.
Filter bound(std::string_view json) {
  Filter filter = parseFilter(json);
  std::function<void(Filter&)> bind = [&](Filter& node) {
    edm::TypeRef subject;
    for (FilterOperand& o : node.operands) {
      if (!o.property) continue;
      o.path = o.name;
      o.type.primitive = kTypes.at(o.name);
      o.bound = true;
      subject = o.type;
    }
    for (FilterOperand& o : node.operands) {
      if (o.property) continue;
      o.type = subject;
      o.bound = true;
    }
    for (Filter& child : node.children) bind(child);
  };
  bind(filter);
  return filter;
}

struct Case {
  const char* json;
  const char* v2;
  const char* v4;
};

// The K2 example first; then each operator, each type, and the nesting rules.
const Case kCases[] = {
    {R"({"and": [{"startsWith": [{"property": "Name"}, "B"]},
                 {"greaterThan": [{"property": "Rating"}, 1]}]})",
     "startswith(Name,'B') eq true and Rating gt 1", "startswith(Name,'B') and Rating gt 1"},
    {R"({"equals": [{"property": "Name"}, "O'Neil's"]})", "Name eq 'O''Neil''s'",
     "Name eq 'O''Neil''s'"},
    {R"({"notEquals": [{"property": "ID"}, 7]})", "ID ne 7", "ID ne 7"},
    {R"({"greaterThanEquals": [{"property": "Stock"}, "9007199254740993"]})",
     "Stock ge 9007199254740993L", "Stock ge 9007199254740993"},
    {R"({"lessThan": [{"property": "Price"}, "1.5"]})", "Price lt 1.5M", "Price lt 1.5"},
    {R"({"lessThanEquals": [{"property": "Weight"}, 2.5]})", "Weight le 2.5d", "Weight le 2.5"},
    {R"({"equals": [{"property": "IsAvailable"}, true]})", "IsAvailable eq true",
     "IsAvailable eq true"},
    {R"({"equals": [{"property": "Key"}, "5f6bf1b8-20a1-4596-a0e0-acb47901c8d5"]})",
     "Key eq guid'5f6bf1b8-20a1-4596-a0e0-acb47901c8d5'",
     "Key eq 5f6bf1b8-20a1-4596-a0e0-acb47901c8d5"},
    {R"({"greaterThan": [{"property": "Released"}, "2026-11-21"]})",
     "Released gt datetime'2026-11-21T00:00:00'", "Released gt 2026-11-21"},
    {R"({"lessThan": [{"property": "Changed"}, {"value": "2026-11-21T10:30:00+01:00", "type": "DateTime"}]})",
     "Changed lt datetimeoffset'2026-11-21T09:30:00Z'", "Changed lt 2026-11-21T09:30:00Z"},
    {R"({"lessThan": [{"property": "Legacy"}, "2026-11-21T10:30:00Z"]})",
     "Legacy lt datetime'2026-11-21T10:30:00'", "Legacy lt datetime'2026-11-21T10:30:00'"},
    {R"({"greaterThan": [{"property": "Opens"}, "08:30:00"]})", "Opens gt time'PT8H30M0S'",
     "Opens gt 08:30:00"},
    {R"({"contains": [{"property": "Name"}, "ü'x"]})", "substringof('ü''x',Name) eq true",
     "contains(Name,'ü''x')"},
    {R"({"endsWith": [{"property": "Name"}, "#1"]})", "endswith(Name,'#1') eq true",
     "endswith(Name,'#1')"},
    {R"({"isNull": {"property": "Rating"}})", "Rating eq null", "Rating eq null"},
    {R"({"isNotNull": [{"property": "Rating"}]})", "Rating ne null", "Rating ne null"},
    {R"({"equals": [{"property": "Rating"}, null]})", "Rating eq null", "Rating eq null"},
    {R"({"in": [{"property": "ID"}, [1, 2, 3]]})", "ID eq 1 or ID eq 2 or ID eq 3",
     "ID eq 1 or ID eq 2 or ID eq 3"},
    {R"({"in": [{"property": "Name"}, "a", "b"]})", "Name eq 'a' or Name eq 'b'",
     "Name eq 'a' or Name eq 'b'"},
    {R"({"in": [{"property": "ID"}, [5]]})", "ID eq 5", "ID eq 5"},
    {R"({"not": {"startsWith": [{"property": "Name"}, "B"]}})",
     "not (startswith(Name,'B') eq true)", "not startswith(Name,'B')"},
    {R"({"not": [{"greaterThan": [{"property": "Rating"}, 1]}]})", "not (Rating gt 1)",
     "not (Rating gt 1)"},
    {R"({"or": [{"and": [{"equals": [{"property": "ID"}, 1]}, {"equals": [{"property": "Rating"}, 2]}]},
                {"equals": [{"property": "ID"}, 3]}]})",
     "ID eq 1 and Rating eq 2 or ID eq 3", "ID eq 1 and Rating eq 2 or ID eq 3"},
    {R"({"and": [{"or": [{"equals": [{"property": "ID"}, 1]}, {"equals": [{"property": "ID"}, 2]}]},
                 {"equals": [{"property": "Rating"}, 3]}]})",
     "(ID eq 1 or ID eq 2) and Rating eq 3", "(ID eq 1 or ID eq 2) and Rating eq 3"},
    {R"({"and": [{"in": [{"property": "ID"}, [1, 2]]}, {"not": {"or": [
                 {"isNull": {"property": "Rating"}}, {"lessThan": [{"property": "Rating"}, 2]}]}}]})",
     "(ID eq 1 or ID eq 2) and not (Rating eq null or Rating lt 2)",
     "(ID eq 1 or ID eq 2) and not (Rating eq null or Rating lt 2)"},
    {R"({"and": [{"equals": [{"property": "Supplier/ID"}, 4]}]})", "Supplier/ID eq 4",
     "Supplier/ID eq 4"},
    {R"({"greaterThan": [5, {"property": "Rating"}]})", "5 gt Rating", "5 gt Rating"},
};

TEST(FilterFormatTest, EachOperatorVersionAndType) {
  for (const Case& c : kCases) {
    const Filter filter = bound(c.json);
    EXPECT_EQ(formatFilter(filter, ODataVersion::kV2), c.v2) << c.json;
    EXPECT_EQ(formatFilter(filter, ODataVersion::kV3), c.v2) << c.json;
    EXPECT_EQ(formatFilter(filter, ODataVersion::kV4), c.v4) << c.json;
  }
}

TEST(FilterFormatTest, InIsNativeOnV401) {
  const Filter filter = bound(R"({"in": [{"property": "Name"}, ["a", "b'c"]]})");
  EXPECT_EQ(formatFilter(filter, ODataVersion::kV401), "Name in ('a','b''c')");
}

TEST(FilterFormatTest, LiteralsThatDoNotFitNameTheirPart) {
  const auto message = [](std::string_view json) {
    try {
      formatFilter(bound(json), ODataVersion::kV4);
    } catch (const core::Error& e) {
      EXPECT_EQ(e.code(), core::ErrorCode::kInvalidArgument);
      return e.message();
    }
    ADD_FAILURE() << "accepted " << json;
    return std::string();
  };
  EXPECT_THAT(
      message(
          R"({"and": [{"isNull": {"property": "ID"}}, {"equals": [{"property": "ID"}, "abc"]}]})"),
      HasSubstr("filter and[1].equals"));
  EXPECT_THAT(message(R"({"equals": [{"property": "Key"}, "not-a-guid"]})"), HasSubstr("Edm.Guid"));
  EXPECT_THAT(message(R"({"equals": [{"property": "Released"}, "2026-13-01"]})"),
              HasSubstr("Edm.Date"));
  EXPECT_THAT(message(R"({"equals": [{"property": "ID"}, 3000000000]})"), HasSubstr("Edm.Int32"));
}

std::string parseError(std::string_view json, const FilterLimits& limits = {}) {
  try {
    parseFilter(json, limits);
  } catch (const core::Error& e) {
    EXPECT_EQ(e.code(), core::ErrorCode::kInvalidArgument);
    return e.message();
  }
  ADD_FAILURE() << "accepted " << json;
  return {};
}

TEST(FilterParseTest, BadTreesNameThePartThatIsWrong) {
  EXPECT_THAT(parseError("{"), HasSubstr("not valid JSON"));
  EXPECT_THAT(parseError("[1]"), HasSubstr("expected an object"));
  EXPECT_THAT(parseError("{}"), HasSubstr("empty object"));
  EXPECT_THAT(parseError(R"({"like": [{"property": "Name"}, "x"]})"),
              HasSubstr("unknown operator 'like'"));
  EXPECT_THAT(parseError(R"({"and": [{"equals": [{"property": "ID"}, 1, 2]}]})"),
              HasSubstr("filter and[0].equals: expects 2 operands, got 3"));
  EXPECT_THAT(parseError(R"({"and": []})"), HasSubstr("filter and: needs at least one filter"));
  EXPECT_THAT(parseError(R"({"equals": [1, 2]})"), HasSubstr("compares two literals"));
  EXPECT_THAT(parseError(R"({"equals": [{"property": "ID"}, [1]]})"),
              HasSubstr("equals[1]: an array is not an operand"));
  EXPECT_THAT(parseError(R"({"equals": [{"prop": "ID"}, 1]})"),
              HasSubstr("unknown operand member 'prop'"));
  EXPECT_THAT(parseError(R"({"equals": [{"property": 5}, 1]})"),
              HasSubstr("property must be a name"));
  EXPECT_THAT(parseError(R"({"in": [{"property": "ID"}]})"), HasSubstr("at least one value"));
  EXPECT_THAT(parseError(R"({"in": [1, 2]})"), HasSubstr("expects a {\"property\": …} first"));
  EXPECT_THAT(parseError(R"({"isNull": 5})"), HasSubstr("expects a {\"property\": …} operand"));
  EXPECT_THAT(
      parseError(R"({"not": [{"isNull": {"property": "ID"}}, {"isNull": {"property": "ID"}}]})"),
      HasSubstr("not: expects exactly one filter"));
  EXPECT_THAT(parseError(R"({"equals": [{"property": "ID"}, 1], "or": []})"),
              HasSubstr("exactly one member"));
}

TEST(FilterParseTest, DepthSizeAndPartsAreLimited) {
  std::string deep = R"({"isNull": {"property": "ID"}})";
  for (int i = 0; i < 40; ++i) deep = R"({"not": )" + deep + "}";
  EXPECT_THAT(parseError(deep), HasSubstr("nested deeper than 32 levels"));
  EXPECT_THAT(parseError(std::string(70000, ' ') + "{}"), HasSubstr("larger than 65536 bytes"));
  FilterLimits few;
  few.maxNodes = 3;
  EXPECT_THAT(parseError(R"({"and": [{"isNull": {"property": "A"}}, {"isNull": {"property": "B"}},
                                    {"isNull": {"property": "C"}}]})",
                         few),
              HasSubstr("more than 3 parts"));
}

// ---- evaluation ----

bool evaluate(std::string_view json, const std::map<std::string, Value>& row) {
  const Filter filter = bound(json);
  return evaluateFilter(
      filter, [&](const FilterOperand& operand) -> const Value& { return row.at(operand.name); });
}

TEST(FilterEvaluateTest, NullsFollowODataSemantics) {
  const std::map<std::string, Value> row = {
      {"Rating", Value::null()}, {"ID", Value::number("7")}, {"Name", Value::null()}};
  EXPECT_TRUE(evaluate(R"({"equals": [{"property": "Rating"}, null]})", row));
  EXPECT_FALSE(evaluate(R"({"equals": [{"property": "Rating"}, 3]})", row));
  EXPECT_TRUE(evaluate(R"({"notEquals": [{"property": "Rating"}, 3]})", row));
  EXPECT_TRUE(evaluate(R"({"notEquals": [{"property": "ID"}, null]})", row));
  EXPECT_TRUE(evaluate(R"({"not": {"equals": [{"property": "Rating"}, 3]}})", row));
  // An order comparison or a string function with null is false, so its negation is true.
  EXPECT_FALSE(evaluate(R"({"greaterThan": [{"property": "Rating"}, 1]})", row));
  EXPECT_FALSE(evaluate(R"({"lessThanEquals": [{"property": "Rating"}, 1]})", row));
  EXPECT_TRUE(evaluate(R"({"not": {"greaterThan": [{"property": "Rating"}, 1]}})", row));
  EXPECT_FALSE(evaluate(R"({"contains": [{"property": "Name"}, "a"]})", row));
  EXPECT_TRUE(evaluate(R"({"not": {"startsWith": [{"property": "Name"}, "a"]}})", row));
  EXPECT_TRUE(evaluate(R"({"or": [{"greaterThan": [{"property": "Rating"}, 1]},
                                  {"equals": [{"property": "ID"}, 7]}]})",
                       row));
  EXPECT_FALSE(evaluate(R"({"and": [{"isNull": {"property": "Rating"}},
                                   {"equals": [{"property": "ID"}, 8]}]})",
                        row));
  EXPECT_FALSE(evaluate(R"({"in": [{"property": "Rating"}, [1, 2]]})", row));
  EXPECT_TRUE(evaluate(R"({"in": [{"property": "ID"}, [1, 7]]})", row));
  EXPECT_TRUE(evaluate(R"({"isNull": {"property": "Rating"}})", row));
}

TEST(FilterEvaluateTest, ValuesCompareAsTheirTypes) {
  const std::map<std::string, Value> row = {
      {"Price", Value::string("1.50")},
      {"Stock", Value::string("9007199254740993")},
      {"Weight", Value::number("1e1")},
      {"Changed", Value::string("2026-11-21T09:30:00Z")},
      {"Legacy", Value::string("/Date(1795261800000)/")},
      {"Released", Value::string("2026-11-21")},
      {"Key", Value::string("5F6BF1B8-20A1-4596-A0E0-ACB47901C8D5")},
      {"Name", Value::string("Café Crème")},
      {"IsAvailable", Value::boolean(false)},
      {"Opens", Value::string("08:30:00")},
  };
  EXPECT_EQ(evaluate(R"({"equals": [{"property": "Price"}, 1.5]})", row), true);
  EXPECT_EQ(evaluate(R"({"lessThan": [{"property": "Price"}, "10"]})", row), true);
  EXPECT_EQ(evaluate(R"({"greaterThan": [{"property": "Price"}, "-2"]})", row), true);
  EXPECT_EQ(evaluate(R"({"greaterThan": [{"property": "Stock"}, "9007199254740992"]})", row), true);
  EXPECT_EQ(evaluate(R"({"equals": [{"property": "Weight"}, 10]})", row), true);
  EXPECT_EQ(evaluate(R"({"equals": [{"property": "Changed"}, "2026-11-21T10:30:00+01:00"]})", row),
            true);
  EXPECT_EQ(evaluate(R"({"greaterThan": [{"property": "Legacy"}, "2026-11-21T00:00:00Z"]})", row),
            true);
  EXPECT_EQ(evaluate(R"({"lessThanEquals": [{"property": "Released"}, "2026-11-21"]})", row), true);
  EXPECT_EQ(
      evaluate(R"({"equals": [{"property": "Key"}, "5f6bf1b8-20a1-4596-a0e0-acb47901c8d5"]})", row),
      true);
  EXPECT_EQ(evaluate(R"({"greaterThan": [{"property": "Opens"}, "08:00"]})", row), true);
  EXPECT_EQ(evaluate(R"({"equals": [{"property": "IsAvailable"}, false]})", row), true);
  // Strings: ordinal (by UTF-8 bytes) and case-sensitive, as OData's functions are.
  EXPECT_EQ(evaluate(R"({"greaterThan": [{"property": "Name"}, "Cafe"]})", row), true);
  EXPECT_EQ(evaluate(R"({"lessThan": [{"property": "Name"}, "café"]})", row), true);
  EXPECT_EQ(evaluate(R"({"startsWith": [{"property": "Name"}, "café"]})", row), false);
  EXPECT_EQ(evaluate(R"({"contains": [{"property": "Name"}, "é C"]})", row), true);
  EXPECT_EQ(evaluate(R"({"endsWith": [{"property": "Name"}, "Crème"]})", row), true);
}

}  // namespace
}  // namespace broker::odata
