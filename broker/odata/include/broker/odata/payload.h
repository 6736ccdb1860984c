// Request bodies: entity payloads for Create and Update, written as each version expects
// (V4 JSON with IEEE754Compatible strings for Int64 and Decimal; V2/V3 JSON with
// "/Date(ms)/" dates and string Int64/Decimal).
#pragma once

#include <string>
#include <string_view>

#include "broker/core/json_writer.h"
#include "broker/edm/type_ref.h"
#include "broker/odata/value.h"

namespace broker::odata {

/// Writes `value` as the JSON value of a member of `type`. Complex and collection values are
/// given as JSON text (a Memo holding the serialized value) and checked to be JSON of the
/// right shape. Throws core::Error(kInvalidArgument) naming `what` when the value does not fit.
void writePayloadValue(core::JsonWriter& out, const edm::TypeRef& type, edm::ODataVersion version,
                       const Value& value, std::string_view what);

/// An Atom entry (OData V2/V3, application/atom+xml) for Create and Update, for services that
/// take no JSON: `<entry>` with `<m:properties>`, each value in its Atom text form (dates without
/// "/Date()/", `m:type` for what is not a string, `m:null`), complex values and collections as
/// nested elements.
class AtomEntryWriter {
 public:
  /// Starts the entry in `out`.
  explicit AtomEntryWriter(std::string& out);
  /// Adds a property; throws core::Error(kInvalidArgument) naming `what` when the value does
  /// not fit `type` (as writePayloadValue does).
  void property(std::string_view name, const edm::TypeRef& type, const Value& value,
                std::string_view what);
  /// Ends the entry.
  void finish();

 private:
  std::string& out_;
};

/// The media type of an Atom entry body.
inline constexpr std::string_view kAtomEntryType = "application/atom+xml;type=entry";

}  // namespace broker::odata
