// Checks a caller's value against an EDM type and brings it to one canonical text, shared by
// URL literals and JSON payloads so that both accept exactly the same inputs.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "broker/edm/type_ref.h"
#include "broker/odata/temporal.h"
#include "broker/odata/value.h"

namespace broker::odata::internal {

struct TypedValue {
  edm::PrimitiveKind primitive = edm::PrimitiveKind::kNone;  ///< kNone for enums
  bool null = false;
  std::string text;                  ///< canonical: digits, "true", the string, the member name
  std::optional<DateTime> temporal;  ///< for date and time kinds
};

/// The canonical form of `value` as `type`; throws core::Error(kInvalidArgument) naming `what`.
TypedValue checkValue(const edm::TypeRef& type, const Value& value, std::string_view what);

/// Whether `text` is an integer within the range of the integral kind `kind` (Byte, SByte,
/// Int16, Int32, Int64); false for every other kind.
bool integerFits(edm::PrimitiveKind kind, std::string_view text) noexcept;

}  // namespace broker::odata::internal
