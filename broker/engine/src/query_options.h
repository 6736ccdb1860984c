// The `Query Options` input (addQueryOptionsProperty): "$filter=…&$top=5&$orderby=Name desc"
// parsed and checked, to be merged with the call's own options.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace broker::engine {

struct QueryOptions {
  std::string filter;  ///< OData $filter text, decoded
  std::optional<std::int64_t> top;
  std::optional<std::int64_t> skip;
  std::vector<std::pair<std::string, bool>> orderBy;  ///< property path, descending
  std::vector<std::string> select;
};

/// Parses `text` (a leading '?' allowed; values may be percent-encoded). `$filter`, `$top`,
/// `$take` (alias of `$top`), `$skip`, `$orderby` and `$select` are taken; a Load takes only
/// `$select`. Throws core::Error(kInvalidArgument) naming the option that is wrong.
QueryOptions parseQueryOptions(std::string_view text, bool list);

}  // namespace broker::engine
