// Typed readings of CSDL attribute values (booleans, numbers, facets, type names,
// multiplicities); a value that does not parse is an error naming the attribute and position.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "broker/edm/model.h"
#include "vocabulary.h"

namespace broker::edm::internal {

/// The attribute's value (a view into `a`); throws when it is absent or empty.
std::string_view required(const Attributes& a, AttrId id, ElementId element,
                          SourcePosition position);

/// The Name attribute of `element`, required and an OData SimpleIdentifier (CSDL §15.2): a
/// letter or '_' then letters, digits and '_', at most 128 characters; characters beyond ASCII
/// are taken as letters. Throws naming the line otherwise: a '/', '.', space or other
/// punctuation in a name would break the paths and URLs the broker builds from it.
std::string_view identifier(const Attributes& a, ElementId element, SourcePosition position);

/// "true"/"false" in any case; `fallback` when absent; throws for anything else.
bool boolean(const Attributes& a, AttrId id, bool fallback, SourcePosition position);
std::optional<bool> optionalBoolean(const Attributes& a, AttrId id, SourcePosition position);

/// A whole number; throws when it is not one.
std::int64_t integer(std::string_view text, AttrId id, SourcePosition position);

/// MaxLength, Precision, Scale, Unicode and SRID.
Facets facets(const Attributes& a, SourcePosition position);

/// `T` or `Collection(T)`, unresolved.
TypeRef typeReference(std::string_view written, AttrId id, SourcePosition position);

/// "1", "0..1" or "*".
Multiplicity multiplicity(std::string_view text, SourcePosition position);

/// GET, POST, PUT, PATCH, MERGE, DELETE; kUnspecified when absent; throws for anything else.
HttpMethod httpMethod(std::string_view text, SourcePosition position);

}  // namespace broker::edm::internal
