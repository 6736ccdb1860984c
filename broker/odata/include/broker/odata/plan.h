// A request plan: what one service-object method call sends first, and for a List what the
// service does versus what the broker does to the rows afterwards. The engine plans a call
// before it sends anything, so the same plan goes out on its own or inside a $batch.
#pragma once

#include <cstdint>
#include <limits>
#include <optional>
#include <string>

#include "broker/odata/client.h"

namespace broker::odata {

/// What the broker does to the rows the service answers, where the service cannot (an
/// excluded query option, a filter it cannot take, one related entity rather than a set).
struct RowWork {
  bool filter = false;    ///< the call's filter is evaluated here, on each row
  std::int64_t skip = 0;  ///< rows dropped here before the first one kept
  std::int64_t limit = std::numeric_limits<std::int64_t>::max();  ///< rows kept at most
  bool count = false;           ///< the total count is counted here (the service was not asked)
  bool single = false;          ///< the answer is one entity (or none), not a feed
  bool followNextLinks = true;  ///< further pages are read
};

struct RequestPlan {
  Call request;  ///< the first request; what follows depends on its answer
  /// After a write whose answer is not to be trusted: the request that reads the entity back,
  /// right after `request` (in a $batch, in the same batch).
  std::optional<Call> readBack;
  RowWork rows;  ///< List-like calls only
  /// Why this call cannot go into a $batch (it streams a file, sends nothing, …); "" when it
  /// can.
  std::string unbatchable;
};

}  // namespace broker::odata
