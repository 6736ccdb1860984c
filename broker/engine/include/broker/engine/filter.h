// Framework filters on a registered instance: bound to a service object (names → OData paths
// and EDM types, literals checked), and the plan of how a List carries one out.
#pragma once

#include <string>
#include <string_view>

#include "broker/engine/instance.h"
#include "broker/odata/filter.h"

namespace broker::engine {

/// Parses `json` (API.md §5) and binds it to the entity service object `object`. Property
/// operands keep the name the filter gave them. Throws core::Error: 404 for an unknown object,
/// 400 naming the part of the filter that is wrong.
odata::Filter bindFilter(const Instance& instance, const std::string& object,
                         std::string_view json);

/// How a List of `object` carries out a filter: the `$filter` text the service is sent, or
/// the broker's own evaluation when `$filter` is excluded for the instance.
struct FilterPlan {
  std::string filter;  ///< empty when the broker evaluates it
  std::string url;     ///< the List's request URL with just that $filter (percent-encoded)
  bool evaluatedByBroker = false;
};

/// Binds `json` like bindFilter and plans it.
FilterPlan planFilter(const Instance& instance, const std::string& object, std::string_view json);

}  // namespace broker::engine
