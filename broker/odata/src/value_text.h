// The text of a value a service sent (a JSON token, an Atom element's text) as its
// service-object value, checked against its EDM type: shared by the JSON and Atom readers.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "broker/core/json_writer.h"
#include "broker/edm/type_ref.h"
#include "broker/odata/reader.h"
#include "broker/odata/value.h"

namespace broker::odata::internal {

/// How the text came: a JSON string, number, boolean or other token, or XML text (Atom), where
/// the text alone must tell whether it fits.
enum class TextKind { kJsonString, kJsonNumber, kJsonBoolean, kJsonOther, kXmlText };

/// The value of a primitive or enum `type` written as `text`, into `out` (an out-parameter: a
/// value is converted for every member of every row read); false when it does not fit
/// (an integer out of range, a date that does not parse, a member the enum does not have).
bool primitiveValue(const edm::TypeRef& type, std::string_view text, TextKind kind,
                    edm::ODataVersion version, Value& out);

/// A converted value as JSON (an element of a collection, a member of a complex value).
void writeValue(const Value& value, core::JsonWriter& out);

/// "'x1' for 'ID', which is not a valid Edm.Int32": what a reader says of a value that does not
/// fit (the text cut to 80 bytes).
std::string describeUnfit(const edm::TypeRef& type, std::string_view member, std::string_view text);

/// A value that does not fit its type, as a converter found it; readers add where it was.
struct Unmappable {
  std::string description;  ///< "'x1' for 'ID', which is not a valid Edm.Int32"
};

/// Ends the reading of one entry: throws for the first value that did not fit (`unmappable`,
/// named with the entry's key) and for a missing key, unless `options` say otherwise. Returns
/// whether the entry is a row (false: no key, skipped under ignoreUnmappable).
bool finishEntry(const Entry& entry, const FieldMap& fields, const ReadOptions& options,
                 const std::string* unmappable);

}  // namespace broker::odata::internal
