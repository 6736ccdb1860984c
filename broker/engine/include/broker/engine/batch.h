// Several method calls as one OData `$batch` (API.md §6): calls in order, and change sets whose
// calls all apply or none does. Each call is planned as on its own (executor.h) and its
// answer finished the same way; a later call of a change set may use a value of an earlier
// one's result, sent as a Content-ID reference where the protocol has one.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "broker/core/error.h"
#include "broker/engine/executor.h"
#include "broker/engine/instance.h"

namespace broker::engine {

/// An input whose value comes from an earlier call of the same change set:
/// `{"fromResult": call, "property": property}`.
struct ResultReference {
  std::string input;     ///< the input (SO property) of the call that takes the value
  std::string call;      ///< the id of the earlier call
  std::string property;  ///< the SO property of the earlier call's result
};

struct BatchCall {
  std::string id;  ///< the caller's name for the call; "" when it gave none
  CallRequest request;
  std::vector<ResultReference> references;
};

/// One call on its own, or a change set.
struct BatchItem {
  bool changeSet = false;
  std::vector<BatchCall> calls;
};

struct BatchRequest {
  std::vector<BatchItem> items;
  /// A service without $batch gets the calls one by one (never when there is a change set).
  bool sequentialFallback = false;
  std::string callerAuthorization{};
  std::uint64_t maxUpstreamBytes = std::uint64_t{1} << 30;  ///< all the batch's answers
};

/// How one call ended.
struct BatchCallOutcome {
  int status = 200;  ///< 201 for a Create; the error's HTTP status when it failed
  CallResult result{};
  std::optional<core::Error> error{};
};

/// Receives the outcome of every call in request order: beginItem, then per call rowsOf(call)
/// before its rows and outcome(call), then endItem (for a change set, its status and error).
class BatchSink {
 public:
  virtual ~BatchSink() = default;
  virtual void beginItem(const BatchItem&) {}
  virtual RowSink& rowsOf(const BatchCall& call) = 0;
  virtual void outcome(const BatchCall& call, const BatchCallOutcome& outcome) = 0;
  /// `error`: null when the item succeeded; for a change set that failed, the failing call's
  /// error (its message names the call).
  virtual void endItem(const BatchItem& item, int status, const core::Error* error) = 0;
};

/// Runs `batch` on `instance` and reports every call to `sink`. Throws core::Error only for
/// what fails the batch as a whole: 400 for a service without $batch (see sequentialFallback)
/// or a reference that cannot be sent, the upstream error when the $batch request itself
/// failed. A call's own failure is its outcome.
void executeBatch(const Instance& instance, const BatchRequest& batch, BatchSink& sink,
                  CallStats* stats = nullptr);

}  // namespace broker::engine
