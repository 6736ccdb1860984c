// A method call as the engine drives it: planned (its first request) before anything is sent,
// then finished on the answer, so the engine sends it on its own (run) or inside a $batch
// (batch.cpp). Calls hold what they were asked (CallContext) and how their rows are written
// (RowWriter); this is only what the engine needs of every one.
#pragma once

#include <string>

#include "broker/odata/plan.h"
#include "call_context.h"

namespace broker::engine::internal {

class MethodCall {
 public:
  virtual ~MethodCall() = default;

  /// The first request and what the broker does with its answer. Throws core::Error (400)
  /// naming a bad input.
  virtual odata::RequestPlan plan() = 0;
  /// Reads the (2xx) answer to plan()'s request into rows for `sink`; may send follow-up
  /// requests (further pages, the entity read back after a write, stream contents).
  virtual CallResult finish(odata::HttpResponse& response, RowSink& sink) = 0;
  /// plan()'s request failed with `error`: the result when the instance ignores such errors (a
  /// record not found), else `error` is thrown.
  virtual CallResult failed(const Error& error) { throw error; }
  /// The call on its own: planned, sent, finished.
  virtual CallResult run(RowSink& sink) {
    odata::RequestPlan planned = plan();
    odata::HttpResponse response;
    try {
      response = context().send(planned.request);
    } catch (const Error& e) {
      return failed(e);
    }
    return finish(response, sink);
  }

  /// Inside a $batch: the answer to plan()'s `readBack`, sent in the same batch; finish reads
  /// the entity from it rather than asking again. Ignored by calls that plan no read-back.
  virtual void readBackAnswered(odata::HttpResponse) {}
  /// Inside a $batch change set: the entity this call addresses is the one an earlier request
  /// created (`$<Content-ID>`, later its URL) rather than the one its key inputs name.
  virtual void addressEntityAs(std::string) {}

  virtual CallContext& context() = 0;
  const so::Method& method() { return context().method; }
};

}  // namespace broker::engine::internal
