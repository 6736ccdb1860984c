// `expand` (API.md §4): related entities read in the same request ($expand) and returned with
// each row: a single-valued navigation as `Nav/Property` members, a collection-valued one as
// one serialized item (a JSON array of the related entities' properties).
#pragma once

#include <deque>
#include <string>
#include <vector>

#include "broker/edm/model.h"
#include "broker/engine/executor.h"
#include "broker/odata/reader.h"

namespace broker::engine::internal {

class Expansions {
 public:
  /// Checks `names` against the navigation properties of `type` (400 naming one that is not)
  /// and maps a payload member per navigation in `fields`.
  Expansions(const std::vector<std::string>& names, const edm::StructuredType& type,
             const std::string& objectName, odata::FieldMap& fields);

  bool empty() const noexcept { return navs_.empty(); }
  /// "Supplier,Tags": the $expand option.
  std::string option() const;
  /// The navigation names, for a V2/V3 $select (which must name what it expands).
  std::vector<std::string> names() const;

  /// Appends each expanded member of `entry` to `row` from `row[at]` on; a collection that the
  /// service sent in part (a next link inside the expansion) adds a warning to `warnings`.
  void append(const odata::Entry& entry, Row& row, std::size_t at,
              const odata::ReadOptions& options, std::vector<std::string>& warnings);

 private:
  struct Nav {
    const edm::NavigationProperty* nav;
    std::size_t field;                             // the navigation's member in the entity's fields
    odata::FieldMap related;                       // the related entity's structural properties
    std::deque<serviceobjects::Property> members;  // `Nav/Property`, or `Nav` for a collection
  };
  std::vector<Nav> navs_;
  std::string scratch_;
  bool warnedPartial_ = false;
};

}  // namespace broker::engine::internal
