#include "broker/odata/filter.h"

#include <simdjson.h>

#include <algorithm>
#include <charconv>
#include <cstdlib>
#include <optional>

#include "broker/core/error.h"
#include "broker/core/text.h"
#include "broker/odata/literal.h"
#include "broker/odata/temporal.h"

namespace broker::odata {

namespace {

namespace sj = simdjson::ondemand;
using core::Error;
using core::ErrorCode;
using edm::ODataVersion;
using edm::PrimitiveKind;

struct OpInfo {
  FilterOp op;
  std::string_view name;
  std::string_view odata;  // comparison operator or function name
};

constexpr OpInfo kOps[] = {
    {FilterOp::kAnd, "and", "and"},
    {FilterOp::kOr, "or", "or"},
    {FilterOp::kNot, "not", "not"},
    {FilterOp::kEquals, "equals", "eq"},
    {FilterOp::kNotEquals, "notEquals", "ne"},
    {FilterOp::kGreaterThan, "greaterThan", "gt"},
    {FilterOp::kGreaterThanEquals, "greaterThanEquals", "ge"},
    {FilterOp::kLessThan, "lessThan", "lt"},
    {FilterOp::kLessThanEquals, "lessThanEquals", "le"},
    {FilterOp::kStartsWith, "startsWith", "startswith"},
    {FilterOp::kEndsWith, "endsWith", "endswith"},
    {FilterOp::kContains, "contains", "contains"},
    {FilterOp::kIsNull, "isNull", "eq"},
    {FilterOp::kIsNotNull, "isNotNull", "ne"},
    {FilterOp::kIn, "in", "in"},
};

const OpInfo& info(FilterOp op) { return kOps[static_cast<int>(op)]; }

[[noreturn]] void invalid(std::string_view where, const std::string& what) {
  throw Error(ErrorCode::kInvalidArgument,
              "filter" + (where.empty() ? std::string() : " " + std::string(where)) + ": " + what);
}

bool stringFunction(FilterOp op) {
  return op >= FilterOp::kStartsWith && op <= FilterOp::kContains;
}

// ---- parsing ----

class Parser {
 public:
  explicit Parser(const FilterLimits& limits) : limits_(limits) {}

  Filter node(sj::value value, const std::string& where, std::size_t depth) {
    if (depth > limits_.maxDepth) {
      invalid(where, "nested deeper than " + std::to_string(limits_.maxDepth) + " levels");
    }
    if (++nodes_ > limits_.maxNodes) {
      invalid(where, "has more than " + std::to_string(limits_.maxNodes) + " parts");
    }
    if (value.type() != sj::json_type::object) {
      invalid(where, "expected an object such as {\"equals\": [...]}");
    }
    sj::object object = value.get_object();
    Filter filter;
    bool seen = false;
    for (auto member : object) {
      const std::string_view key = member.unescaped_key();
      if (seen)
        invalid(where,
                "an operator object has exactly one member (found '" + std::string(key) + "' too)");
      seen = true;
      const auto found = std::find_if(std::begin(kOps), std::end(kOps),
                                      [&](const OpInfo& o) { return o.name == key; });
      if (found == std::end(kOps)) {
        invalid(where, "unknown operator '" + std::string(key) +
                           "' (and, or, not, equals, notEquals, greaterThan, greaterThanEquals, "
                           "lessThan, lessThanEquals, startsWith, endsWith, contains, isNull, "
                           "isNotNull, in)");
      }
      filter.op = found->op;
      filter.where = (where.empty() ? "" : where + ".") + std::string(key);
      arguments(filter, member.value(), depth);
    }
    if (!seen) invalid(where, "an empty object is not a filter");
    return filter;
  }

 private:
  void arguments(Filter& filter, sj::value value, std::size_t depth) {
    const std::string& where = filter.where;
    const FilterOp op = filter.op;
    if (op == FilterOp::kAnd || op == FilterOp::kOr) {
      if (value.type() != sj::json_type::array) invalid(where, "expects an array of filters");
      std::size_t i = 0;
      for (sj::value child : value.get_array()) {
        filter.children.push_back(node(child, where + "[" + std::to_string(i++) + "]", depth + 1));
      }
      if (filter.children.empty()) invalid(where, "needs at least one filter");
      return;
    }
    if (op == FilterOp::kNot) {
      if (value.type() == sj::json_type::array) {
        for (sj::value child : value.get_array()) {
          filter.children.push_back(node(child, where, depth + 1));
        }
        if (filter.children.size() != 1) invalid(where, "expects exactly one filter");
      } else {
        filter.children.push_back(node(value, where, depth + 1));
      }
      return;
    }
    if (op == FilterOp::kIsNull || op == FilterOp::kIsNotNull) {
      if (value.type() == sj::json_type::array) {
        for (sj::value operand : value.get_array())
          filter.operands.push_back(this->operand(operand, where));
      } else {
        filter.operands.push_back(operand(value, where));
      }
      if (filter.operands.size() != 1) invalid(where, "expects exactly one operand");
      if (!filter.operands[0].property) invalid(where, "expects a {\"property\": …} operand");
      return;
    }
    if (value.type() != sj::json_type::array) invalid(where, "expects an array of operands");
    std::size_t i = 0;
    bool listed = false;  // `in` with its values as one array: [{"property": …}, [1, 2]]
    for (sj::value item : value.get_array()) {
      const std::string at = where + "[" + std::to_string(i) + "]";
      if (listed) invalid(where, "give the values as one array or one by one, not both");
      if (op == FilterOp::kIn && i == 1 && item.type() == sj::json_type::array) {
        for (sj::value listedValue : item.get_array()) {
          filter.operands.push_back(operand(listedValue, at));
        }
        listed = true;
      } else {
        filter.operands.push_back(operand(item, at));
      }
      ++i;
    }
    if (op == FilterOp::kIn) {
      if (filter.operands.size() < 2) invalid(where, "expects a property and at least one value");
      if (!filter.operands[0].property) invalid(where, "expects a {\"property\": …} first");
      for (std::size_t k = 1; k < filter.operands.size(); ++k) {
        if (filter.operands[k].property)
          invalid(where, "expects literal values after the property");
      }
      return;
    }
    if (filter.operands.size() != 2) {
      invalid(where, "expects 2 operands, got " + std::to_string(filter.operands.size()));
    }
    if (!filter.operands[0].property && !filter.operands[1].property) {
      invalid(where, "compares two literals; one operand must be a {\"property\": …}");
    }
  }

  FilterOperand operand(sj::value value, const std::string& where) {
    FilterOperand out;
    switch (value.type()) {
      case sj::json_type::object: {
        bool hasValue = false;
        for (auto member : value.get_object()) {
          const std::string_view key = member.unescaped_key();
          sj::value item = member.value();
          if (key == "property") {
            if (item.type() != sj::json_type::string) invalid(where, "property must be a name");
            out.property = true;
            out.name = std::string(std::string_view(item.get_string()));
            if (out.name.empty()) invalid(where, "property must be a name");
          } else if (key == "value") {
            out.value = literal(item, where);
            hasValue = true;
          } else if (key == "type") {
            if (item.type() != sj::json_type::string) invalid(where, "type must be a name");
            out.typeName = std::string(std::string_view(item.get_string()));
          } else {
            invalid(where, "unknown operand member '" + std::string(key) + "'");
          }
        }
        if (out.property == hasValue) {
          invalid(where,
                  "an operand is {\"property\": …}, {\"value\": …, \"type\": …} or a literal");
        }
        if (out.property && !out.typeName.empty())
          invalid(where, "a property operand takes no type");
        return out;
      }
      case sj::json_type::array:
        invalid(where, "an array is not an operand");
      default:
        out.value = literal(value, where);
        return out;
    }
  }

  static Value literal(sj::value value, const std::string& where) {
    switch (value.type()) {
      case sj::json_type::null:
        value.is_null();
        return Value::null();
      case sj::json_type::boolean:
        return Value::boolean(value.get_bool());
      case sj::json_type::number:
        return Value::number(core::trim(value.raw_json_token()));
      case sj::json_type::string:
        return Value::string(std::string_view(value.get_string()));
      default:
        invalid(where, "a literal must be a string, number, boolean or null");
    }
  }

  const FilterLimits& limits_;
  std::size_t nodes_ = 0;
};

// ---- formatting ----

constexpr int kOrLevel = 1;
constexpr int kAndLevel = 2;
constexpr int kPrimary = 3;

class Formatter {
 public:
  explicit Formatter(ODataVersion version) : v4_(version >= ODataVersion::kV4), version_(version) {}

  // The text of `filter` and its precedence level.
  std::pair<std::string, int> format(const Filter& filter) const {
    switch (filter.op) {
      case FilterOp::kAnd:
      case FilterOp::kOr: {
        const bool isAnd = filter.op == FilterOp::kAnd;
        if (filter.children.size() == 1) return format(filter.children[0]);
        std::string text;
        for (const Filter& child : filter.children) {
          if (!text.empty()) text += isAnd ? " and " : " or ";
          text += wrapped(child, isAnd ? kAndLevel : kOrLevel);
        }
        return {text, isAnd ? kAndLevel : kOrLevel};
      }
      case FilterOp::kNot: {
        const Filter& child = filter.children[0];
        auto [text, level] = format(child);
        const bool call = v4_ && stringFunction(child.op);
        return {call ? "not " + text : "not (" + text + ")", kPrimary};
      }
      case FilterOp::kIsNull:
      case FilterOp::kIsNotNull:
        return {operand(filter.operands[0], filter) + " " + std::string(info(filter.op).odata) +
                    " null",
                kPrimary};
      case FilterOp::kStartsWith:
      case FilterOp::kEndsWith:
      case FilterOp::kContains: {
        const std::string a = operand(filter.operands[0], filter);
        const std::string b = operand(filter.operands[1], filter);
        if (v4_) return {std::string(info(filter.op).odata) + "(" + a + "," + b + ")", kPrimary};
        if (filter.op == FilterOp::kContains)
          return {"substringof(" + b + "," + a + ") eq true", kPrimary};
        return {std::string(info(filter.op).odata) + "(" + a + "," + b + ") eq true", kPrimary};
      }
      case FilterOp::kIn: {
        const std::string subject = operand(filter.operands[0], filter);
        if (version_ >= ODataVersion::kV401) {
          std::string list;
          for (std::size_t i = 1; i < filter.operands.size(); ++i) {
            list += (i > 1 ? "," : "") + operand(filter.operands[i], filter);
          }
          return {subject + " in (" + list + ")", kPrimary};
        }
        std::string chain;
        for (std::size_t i = 1; i < filter.operands.size(); ++i) {
          chain += (i > 1 ? " or " : "") + subject + " eq " + operand(filter.operands[i], filter);
        }
        return {chain, filter.operands.size() == 2 ? kPrimary : kOrLevel};
      }
      default:
        return {operand(filter.operands[0], filter) + " " + std::string(info(filter.op).odata) +
                    " " + operand(filter.operands[1], filter),
                kPrimary};
    }
  }

 private:
  std::string wrapped(const Filter& filter, int needed) const {
    auto [text, level] = format(filter);
    return level < needed ? "(" + text + ")" : text;
  }

  std::string operand(const FilterOperand& o, const Filter& filter) const {
    if (!o.bound) {
      throw Error(ErrorCode::kInternal,
                  "filter " + filter.where + ": operand '" + o.name + "' is not bound");
    }
    if (o.property) return o.path;
    if (o.value.isNull()) return "null";
    return formatLiteral(o.type, version_, o.value, "filter " + filter.where);
  }

  bool v4_;
  ODataVersion version_;
};

// ---- evaluation ----

std::optional<long long> integer(std::string_view text) {
  long long n = 0;
  const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), n);
  if (error != std::errc() || end != text.data() + text.size()) return std::nullopt;
  return n;
}

// Exact comparison of plain decimals ("-12.50", "3", ".5").
std::optional<int> compareDecimal(std::string_view a, std::string_view b) {
  struct Parts {
    bool negative = false;
    std::string whole;
    std::string fraction;
  };
  const auto split = [](std::string_view text) -> std::optional<Parts> {
    Parts p;
    if (!text.empty() && (text[0] == '-' || text[0] == '+')) {
      p.negative = text[0] == '-';
      text.remove_prefix(1);
    }
    const std::size_t dot = text.find('.');
    p.whole = std::string(text.substr(0, dot));
    if (dot != std::string_view::npos) p.fraction = std::string(text.substr(dot + 1));
    const auto digits = [](const std::string& s) {
      return std::all_of(s.begin(), s.end(), [](char c) { return c >= '0' && c <= '9'; });
    };
    if (!digits(p.whole) || !digits(p.fraction) || (p.whole.empty() && p.fraction.empty())) {
      return std::nullopt;
    }
    p.whole.erase(0, std::min(p.whole.find_first_not_of('0'), p.whole.size()));
    while (!p.fraction.empty() && p.fraction.back() == '0') p.fraction.pop_back();
    if (p.whole.empty() && p.fraction.empty()) p.negative = false;  // -0 is 0
    return p;
  };
  const auto x = split(a);
  const auto y = split(b);
  if (!x || !y) return std::nullopt;
  int sign = 0;
  if (x->whole.size() != y->whole.size()) {
    sign = x->whole.size() < y->whole.size() ? -1 : 1;
  } else if (int c = x->whole.compare(y->whole); c != 0) {
    sign = c < 0 ? -1 : 1;
  } else if (int f = x->fraction.compare(y->fraction); f != 0) {
    sign = f < 0 ? -1 : 1;
  }
  if (x->negative != y->negative) return x->negative ? -1 : 1;
  return x->negative ? -sign : sign;
}

std::optional<std::int64_t> instant(std::string_view text) {
  std::optional<DateTime> parsed = parseIsoDateTime(text);
  if (!parsed) parsed = parseMicrosoftDate(text);
  if (!parsed) return std::nullopt;
  return toEpochMillis(*parsed);
}

std::optional<std::int64_t> timeOfDay(std::string_view text) {
  std::optional<DateTime> parsed = parseIsoTime(text);
  if (!parsed) parsed = parseTimeDuration(text);
  if (!parsed) return std::nullopt;
  const DateTime& t = *parsed;
  const std::string millis = (t.fraction + "000").substr(0, 3);
  return ((t.hour * 60 + t.minute) * 60 + t.second) * 1000LL + std::atoi(millis.c_str());
}

template <typename T>
int order(const T& a, const T& b) {
  return a < b ? -1 : (b < a ? 1 : 0);
}

std::string lower(std::string_view text) {
  std::string out(text);
  for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

// Compares two non-null values as `type`; nullopt when they cannot be compared as that type.
std::optional<int> compare(const edm::TypeRef& type, const Value& a, const Value& b) {
  switch (type.kind == edm::TypeKind::kEnum ? PrimitiveKind::kString : type.primitive) {
    case PrimitiveKind::kByte:
    case PrimitiveKind::kSByte:
    case PrimitiveKind::kInt16:
    case PrimitiveKind::kInt32:
    case PrimitiveKind::kInt64: {
      const auto x = integer(a.text);
      const auto y = integer(b.text);
      if (x && y) return order(*x, *y);
      return compareDecimal(a.text, b.text);
    }
    case PrimitiveKind::kDecimal:
      if (auto c = compareDecimal(a.text, b.text)) return c;
      [[fallthrough]];
    case PrimitiveKind::kDouble:
    case PrimitiveKind::kSingle: {
      char* endA = nullptr;
      char* endB = nullptr;
      const std::string x(a.text);
      const std::string y(b.text);
      const double dx = std::strtod(x.c_str(), &endA);
      const double dy = std::strtod(y.c_str(), &endB);
      if (*endA != '\0' || *endB != '\0') return std::nullopt;
      return order(dx, dy);
    }
    case PrimitiveKind::kBoolean:
      return order(a.text == "true", b.text == "true");
    case PrimitiveKind::kDate:
    case PrimitiveKind::kDateTime:
    case PrimitiveKind::kDateTimeOffset: {
      const auto x = instant(a.text);
      const auto y = instant(b.text);
      if (!x || !y) return std::nullopt;
      return order(*x, *y);
    }
    case PrimitiveKind::kTimeOfDay:
    case PrimitiveKind::kTime: {
      const auto x = timeOfDay(a.text);
      const auto y = timeOfDay(b.text);
      if (!x || !y) return std::nullopt;
      return order(*x, *y);
    }
    case PrimitiveKind::kGuid:
      return order(lower(a.text), lower(b.text));
    default:
      return order(a.text, b.text);  // ordinal, by UTF-8 bytes
  }
}

class Evaluator {
 public:
  explicit Evaluator(const std::function<const Value&(const FilterOperand&)>& valueOf)
      : valueOf_(valueOf) {}

  bool evaluate(const Filter& filter) const {
    switch (filter.op) {
      case FilterOp::kAnd:
        return std::all_of(filter.children.begin(), filter.children.end(),
                           [&](const Filter& child) { return evaluate(child); });
      case FilterOp::kOr:
        return std::any_of(filter.children.begin(), filter.children.end(),
                           [&](const Filter& child) { return evaluate(child); });
      case FilterOp::kNot:
        return !evaluate(filter.children[0]);
      case FilterOp::kIsNull:
        return value(filter.operands[0]).isNull();
      case FilterOp::kIsNotNull:
        return !value(filter.operands[0]).isNull();
      case FilterOp::kIn: {
        const Value& subject = value(filter.operands[0]);
        for (std::size_t i = 1; i < filter.operands.size(); ++i) {
          if (equal(filter, subject, value(filter.operands[i]))) return true;
        }
        return false;
      }
      case FilterOp::kStartsWith:
      case FilterOp::kEndsWith:
      case FilterOp::kContains: {
        const Value& a = value(filter.operands[0]);
        const Value& b = value(filter.operands[1]);
        if (a.isNull() || b.isNull()) return false;
        const std::string_view text = a.text;
        const std::string_view part = b.text;
        if (filter.op == FilterOp::kStartsWith) return text.starts_with(part);
        if (filter.op == FilterOp::kEndsWith) return text.ends_with(part);
        return text.find(part) != std::string_view::npos;
      }
      case FilterOp::kEquals:
        return equal(filter, value(filter.operands[0]), value(filter.operands[1]));
      case FilterOp::kNotEquals:
        return !equal(filter, value(filter.operands[0]), value(filter.operands[1]));
      default: {
        const Value& a = value(filter.operands[0]);
        const Value& b = value(filter.operands[1]);
        if (a.isNull() || b.isNull()) return false;
        const int c = compared(filter, a, b);
        switch (filter.op) {
          case FilterOp::kGreaterThan:
            return c > 0;
          case FilterOp::kGreaterThanEquals:
            return c >= 0;
          case FilterOp::kLessThan:
            return c < 0;
          default:
            return c <= 0;
        }
      }
    }
  }

 private:
  const Value& value(const FilterOperand& operand) const {
    return operand.property ? valueOf_(operand) : operand.value;
  }

  // Null equals null and nothing else.
  static bool equal(const Filter& filter, const Value& a, const Value& b) {
    if (a.isNull() || b.isNull()) return a.isNull() && b.isNull();
    return compared(filter, a, b) == 0;
  }

  static int compared(const Filter& filter, const Value& a, const Value& b) {
    const edm::TypeRef& type =
        filter.operands[0].property ? filter.operands[0].type : filter.operands[1].type;
    if (auto c = compare(type, a, b)) return *c;
    invalid(filter.where, "cannot compare '" + a.text + "' with '" + b.text + "'");
  }

  const std::function<const Value&(const FilterOperand&)>& valueOf_;
};

}  // namespace

std::string_view toString(FilterOp op) noexcept { return info(op).name; }

Filter parseFilter(std::string_view json, const FilterLimits& limits) {
  if (json.size() > limits.maxBytes) {
    invalid("", "larger than " + std::to_string(limits.maxBytes) + " bytes");
  }
  simdjson::padded_string padded(json);
  sj::parser parser;
  try {
    sj::document document = parser.iterate(padded);
    sj::value root = document.get_value();
    Parser reader(limits);
    Filter filter = reader.node(root, "", 1);
    return filter;
  } catch (const simdjson::simdjson_error& e) {
    invalid("", std::string("is not valid JSON: ") + e.what());
  }
}

void forEachOperand(Filter& filter,
                    const std::function<void(FilterOperand&, const Filter&)>& visit) {
  for (FilterOperand& operand : filter.operands) visit(operand, filter);
  for (Filter& child : filter.children) forEachOperand(child, visit);
}

std::string formatFilter(const Filter& filter, ODataVersion version) {
  return Formatter(version).format(filter).first;
}

bool evaluateFilter(const Filter& filter,
                    const std::function<const Value&(const FilterOperand&)>& valueOf) {
  return Evaluator(valueOf).evaluate(filter);
}

}  // namespace broker::odata
