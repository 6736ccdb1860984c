// Response readers: OData JSON (V4), verbose JSON (V2, V3) and JSON light (V3), read in one
// streaming pass with simdjson. Each entity's values are converted to their service-object
// form on the way (dates to ISO 8601 UTC, Int64 and Decimal to exact strings, complex values
// to clean JSON) and handed over one at a time, so memory is bounded by one page.
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "broker/edm/type_ref.h"
#include "broker/odata/value.h"

namespace broker::odata {

/// The payload members a reader maps, by their OData name.
class FieldMap {
 public:
  struct Field {
    std::string name;  ///< the member name in the payload
    edm::TypeRef type;
    bool key = false;  ///< part of the entity's key: an entry without it is not a row
  };
  /// Adds a member; returns its index in Entry::values.
  std::size_t add(std::string name, const edm::TypeRef& type);
  /// Marks the member at `index` as part of the key.
  void setKey(std::size_t index) { fields_[index].key = true; }
  std::size_t size() const noexcept { return fields_.size(); }
  const Field& operator[](std::size_t index) const { return fields_[index]; }
  /// The index of the member named `name`, if mapped.
  std::optional<std::size_t> find(std::string_view name) const noexcept;

 private:
  std::vector<std::size_t>::const_iterator lowerBound(std::string_view name) const;

  std::vector<Field> fields_;
  std::vector<std::size_t> byName_;  // indices into fields_, ordered by name
};

/// A named stream's annotations (V4 `Name@odata.mediaReadLink`, V3 `Name@odata.…`).
struct NamedStream {
  std::string name;
  std::string readLink;
  std::string contentType;
};

/// One entity as read: values by FieldMap index (null when absent) and its annotations.
struct Entry {
  std::vector<Value> values;
  std::string etag;
  std::string editLink;       ///< the entity's own URL when the payload names it
  std::string mediaReadLink;  ///< media entities
  std::string mediaContentType;
  std::vector<NamedStream> streams;
  /// Expanded collections the service sent in part (`Nav@odata.nextLink`), by navigation name.
  std::vector<std::string> partial;

  const NamedStream* stream(std::string_view name) const noexcept {
    for (const NamedStream& s : streams) {
      if (s.name == name) return &s;
    }
    return nullptr;
  }
};

/// What a page of a collection said besides its entities.
struct FeedPage {
  std::optional<std::int64_t> count;  ///< @odata.count, odata.count or __count
  std::string nextLink;               ///< as written; empty on the last page
  std::size_t entries = 0;
};

struct ReadOptions {
  edm::ODataVersion version = edm::ODataVersion::kV4;
  /// Values that do not fit their type become null instead of failing the read, and an entry
  /// without its key is skipped instead.
  bool ignoreUnmappable = false;
  /// When set, the answer to a write that succeeded is read: values that do not fit become
  /// null, a missing key is kept, and each is described here instead of failing the read.
  std::vector<std::string>* problems = nullptr;
};

/// Reads a collection page, calling `onEntry` for each entity in order. `body` is padded in
/// place for simdjson. Throws core::Error(kUpstreamFailure) for a body that is not the JSON
/// expected (saying what was unexpected and at which byte) or, unless ignoreUnmappable, a
/// value that does not fit its type (a primitive, an enum member, a collection: naming the
/// member, the value and the entry's key) or an entry without its key.
FeedPage readFeed(std::string& body, const FieldMap& fields, const ReadOptions& options,
                  const std::function<void(const Entry&)>& onEntry);

/// Reads a single-entity response (V4 object, V2 `{"d": {...}}`, V3 light object); none when
/// it says there is no entity (V2/V3 `{"d": null}`, V4 `{"@odata.null": true}`: a to-one
/// navigation without a target).
std::optional<Entry> readEntity(std::string& body, const FieldMap& fields,
                                const ReadOptions& options);

/// Reads a primitive, complex or collection value response (`{"value": …}`, V2 `{"d": …}`),
/// converted like an entity member of `type`.
Value readValue(std::string& body, const edm::TypeRef& type, const ReadOptions& options);

}  // namespace broker::odata
