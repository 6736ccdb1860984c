// The Atom format of OData V2 and V3 (application/atom+xml), for services that speak no JSON:
// feeds and entries read into the same entries as the JSON readers, and entries written for
// Create and Update. Read with the loader's secure XML settings.
#pragma once

#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "broker/odata/reader.h"

namespace broker::odata::internal {

/// Whether a body is XML rather than JSON (its first character that is not white space is '<').
bool looksLikeXml(std::string_view body) noexcept;

FeedPage readAtomFeed(std::string_view body, const FieldMap& fields, const ReadOptions& options,
                      const std::function<void(const Entry&)>& onEntry);

std::optional<Entry> readAtomEntry(std::string_view body, const FieldMap& fields,
                                   const ReadOptions& options);

}  // namespace broker::odata::internal
