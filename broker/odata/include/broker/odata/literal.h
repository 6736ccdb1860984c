// OData literals and URL encoding: key predicates and filter operands formatted per EDM type
// and protocol version (`guid'…'` and `datetime'…'` on V2/V3, plain on V4; `1.5M`, `10L`;
// quotes doubled), percent-encoded exactly once.
#pragma once

#include <span>
#include <string>
#include <string_view>

#include "broker/edm/type_ref.h"
#include "broker/odata/value.h"

namespace broker::odata {

/// The literal of `value` as `type` in `version`, not yet percent-encoded: `1`, `'O''Neil'`,
/// `guid'…'`, `datetime'2026-11-21T11:52:18'`, `1.5M`, `Ns.Color'Red'`, `null`. Throws
/// core::Error(kInvalidArgument) naming `what` when the value does not fit the type.
std::string formatLiteral(const edm::TypeRef& type, edm::ODataVersion version, const Value& value,
                          std::string_view what);

struct KeyValue {
  std::string_view name;  ///< the key property's EDM name (or key alias)
  const edm::TypeRef* type;
  const Value* value;
};

/// `(1)` for one key, `(Product_ID=1,Tag_Code='a%2Fb')` for several: percent-encoded for a
/// path segment. Throws like formatLiteral, and for a null key value.
std::string keyPredicate(std::span<const KeyValue> keys, edm::ODataVersion version);

/// Percent-encodes UTF-8 for a path segment: keeps unreserved characters and `'()=,:@!*$`.
std::string encodePathSegment(std::string_view text);

/// Percent-encodes UTF-8 for a query option's value: keeps unreserved characters and
/// `'(),:@!*$/`; spaces become %20.
std::string encodeQueryValue(std::string_view text);

}  // namespace broker::odata
