// Framework filters (API.md §5): the JSON tree parsed and checked, formatted as the `$filter`
// of an OData version, and evaluated over rows with OData's semantics for nulls (MS-ODATA's
// lifted operators, OData 4.01 §5.1.1): null equals null and nothing else; an order comparison
// or a string function with a null operand is false; and, or and not work on those two values.
#pragma once

#include <cstddef>
#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include "broker/edm/type_ref.h"
#include "broker/odata/value.h"

namespace broker::odata {

enum class FilterOp {
  kAnd,
  kOr,
  kNot,
  kEquals,
  kNotEquals,
  kGreaterThan,
  kGreaterThanEquals,
  kLessThan,
  kLessThanEquals,
  kStartsWith,
  kEndsWith,
  kContains,
  kIsNull,
  kIsNotNull,
  kIn,
};

/// The operator's name in the JSON tree, e.g. "greaterThanEquals".
std::string_view toString(FilterOp op) noexcept;

struct FilterOperand {
  bool property = false;
  /// A property: its name as the filter gave it; once bound, `path` is the OData path.
  std::string name{};
  std::string path{};
  /// A literal: its value and, with {"value", "type"}, the type it was given as (SO type name).
  Value value{};
  std::string typeName{};
  /// Once bound: the EDM type of the property, or of the property a literal is compared with.
  edm::TypeRef type{};
  bool bound = false;
  std::size_t slot = 0;  ///< for the binder's use (e.g. the field an evaluation reads)
};

struct Filter {
  FilterOp op = FilterOp::kAnd;
  std::vector<Filter> children{};         ///< and, or, not
  std::vector<FilterOperand> operands{};  ///< comparisons, functions, isNull, in (property first)
  std::string where{};                    ///< "and[1].equals": names this part in errors
};

struct FilterLimits {
  std::size_t maxBytes = 64 * 1024;
  std::size_t maxDepth = 32;
  std::size_t maxNodes = 2000;
};

/// Parses the JSON tree. Checks operators, arity and operand shapes; properties and literal
/// types are checked when the filter is bound to a service object (see the engine). Throws
/// core::Error(kInvalidArgument) naming the part of the filter that is wrong.
Filter parseFilter(std::string_view json, const FilterLimits& limits = {});

/// Calls `visit` for every operand of the tree (to bind them).
void forEachOperand(Filter& filter,
                    const std::function<void(FilterOperand&, const Filter&)>& visit);

/// The `$filter` text for `version`, not yet percent-encoded. Every operand must be bound.
/// Throws core::Error(kInvalidArgument) naming the part whose literal does not fit its type.
std::string formatFilter(const Filter& filter, edm::ODataVersion version);

/// Evaluates the bound filter on one row; `valueOf` gives a property operand's value in it.
/// Throws core::Error(kInvalidArgument) naming the part when a value cannot be compared as its
/// type.
bool evaluateFilter(const Filter& filter,
                    const std::function<const Value&(const FilterOperand&)>& valueOf);

}  // namespace broker::odata
