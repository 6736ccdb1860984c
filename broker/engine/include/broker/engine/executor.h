// Executes a service-object method against its OData service: turns (object, method,
// inputs, options) into requests through the instance's client and streams the resulting
// rows to a sink, page by page.
#pragma once

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "broker/engine/instance.h"
#include "broker/odata/value.h"
#include "serviceobjects/service_object.h"

namespace broker::engine {

struct OrderBy {
  std::string property;  ///< an SO property name
  bool descending = false;
};

struct CallRequest {
  std::string object{};                                        ///< service-object name
  std::string method{};                                        ///< method name
  std::vector<std::pair<std::string, odata::Value>> inputs{};  ///< by SO property name
  std::vector<std::string> returns{};  ///< SO properties wanted; empty: all the method returns
  std::optional<std::int64_t> top{};
  std::optional<std::int64_t> skip{};
  std::vector<OrderBy> orderBy{};
  bool includeTotalCount = false;  ///< ask the service for the total ($count / $inlinecount)
  std::string filter{};  ///< a framework filter (API.md §5) as JSON; empty: none. List only.
  /// Navigation properties whose related entities come back with each row (List, Load).
  std::vector<std::string> expand{};
  /// The caller's own Authorization, forwarded upstream in auth modes impersonate and sso.
  std::string callerAuthorization{};
  /// Bytes of answers from the service this call may read in all (pages, follow-ups); past it
  /// the call fails with kUpstreamFailure naming the setting maxUpstreamCallBytes.
  std::uint64_t maxUpstreamBytes = std::uint64_t{1} << 30;
};

/// One result row: SO properties with their values, in the method's return order.
using Row = std::vector<std::pair<const serviceobjects::Property*, odata::Value>>;

class RowSink {
 public:
  virtual ~RowSink() = default;
  /// Called once per row, in order; the row is only valid during the call.
  virtual void row(const Row& row) = 0;
};

struct CallResult {
  bool list = false;  ///< a List-like method (rows) rather than a single-row one (row)
  std::int64_t rows = 0;
  std::optional<std::int64_t> totalCount;
  /// What was wrong in the service's answer to a write that succeeded (a value that does not
  /// fit its type, now null): the write is not reported as failed.
  std::vector<std::string> warnings;
};

/// What a call cost upstream; filled in as requests are sent, so it holds after an error too.
struct CallStats {
  std::chrono::nanoseconds upstreamTime{};
  int upstreamRequests = 0;
  std::uint64_t upstreamBytes = 0;  ///< bodies of the answers read
};

/// Executes `request` on `instance`, writing rows to `sink`. Throws core::Error: 404 for an
/// unknown object, method or (unless ignoreErrorWhenRecordNotFound) record, 400 for bad
/// inputs naming them, upstream errors as the client maps them.
CallResult execute(const Instance& instance, const CallRequest& request, RowSink& sink,
                   CallStats* stats = nullptr);

}  // namespace broker::engine
