// Binds a framework filter to a service object: property names become OData paths with their
// EDM types, literals take the type of the property they are compared with and are checked
// against it, and (for a broker-side evaluation) each property gets the payload field it is
// read from.
#pragma once

#include <cstddef>
#include <string_view>

#include "broker/edm/model.h"
#include "broker/odata/filter.h"
#include "broker/odata/reader.h"
#include "serviceobjects/service_object.h"

namespace broker::engine {

/// No field: the operand is a navigation path the broker cannot read from the row.
inline constexpr std::size_t kNoSlot = static_cast<std::size_t>(-1);

/// Parses and binds `json`. With `fields`, every property operand gets its field (added when
/// missing) in `slot`. Throws core::Error(kInvalidArgument) naming the part of the filter.
odata::Filter bindFilterTo(std::string_view json, const serviceobjects::ServiceObject& object,
                           const edm::StructuredType& type, edm::ODataVersion version,
                           odata::FieldMap* fields);

/// Whether every property operand has a field (the broker can evaluate the filter).
bool evaluableByBroker(const odata::Filter& filter);

}  // namespace broker::engine
