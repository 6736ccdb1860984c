// Serialized items (API.md §2): complex values and collections travel as JSON text in Memo
// properties; with serializationCompress the broker writes them gzip-compressed and base64-
// encoded, and reads either form.
#pragma once

#include <string>
#include <string_view>

#include "broker/odata/value.h"
#include "serviceobjects/service_object.h"

namespace broker::engine::internal {

/// `json` as the instance writes serialized items: as it is, or gzip+base64 when `compress`.
std::string encodeSerialized(std::string json, bool compress);

/// The JSON text of a serialized item in either form. Throws core::Error(kInvalidArgument)
/// naming `what` when the text is neither JSON nor gzip+base64.
std::string decodeSerialized(std::string_view text, std::string_view what);

/// Whether a property holds a serialized item: a complex value, a collection, or the
/// serialized forms of ObjectTypes and operations.
bool holdsSerializedItem(const serviceobjects::Property& property) noexcept;

}  // namespace broker::engine::internal
