// What a method call was asked, checked: the object and its method, the caller's request and
// its inputs (by SO property, compressed serialized items decoded, related entities given
// inline apart), the structured type the object's properties belong to, the client it goes
// through and what it costs upstream. Calls hold one (composition), not inherit it.
#pragma once

#include <algorithm>
#include <deque>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "broker/core/error.h"
#include "broker/edm/model.h"
#include "broker/engine/executor.h"
#include "broker/odata/client.h"
#include "broker/odata/reader.h"
#include "query_options.h"

namespace broker::engine::internal {

namespace so = serviceobjects;
using core::Error;
using core::ErrorCode;
using edm::ODataVersion;
using odata::Value;
using Role = so::PropertyRole;

inline bool contains(const std::vector<std::string>& names, std::string_view name) {
  return std::find(names.begin(), names.end(), name) != names.end();
}

class CallContext {
 public:
  /// `type`: the entity or complex type whose properties the object's data properties are
  /// (null when the object has none, e.g. an operation returning a primitive). Throws
  /// core::Error(kInvalidArgument) naming an input that is not the method's, a required input
  /// missing, a returned property the method does not return.
  CallContext(const Instance& instance, const so::ServiceObject& object, const so::Method& method,
              const CallRequest& request, CallStats& stats, const edm::StructuredType* type);
  CallContext(const CallContext&) = delete;
  CallContext& operator=(const CallContext&) = delete;

  odata::ODataClient& client;
  CallStats& stats;
  const so::ServiceObject& object;
  const so::Method& method;
  const CallRequest& request;
  const ODataVersion version;
  const edm::StructuredType* const structured;
  /// The inputs given, in the caller's order.
  std::vector<std::pair<const so::Property*, const Value*>> inputs;
  /// Create: related entities given inline, by navigation (deep insert), as JSON.
  std::vector<std::pair<const edm::NavigationProperty*, const Value*>> deepInputs;
  /// The `Query Options` input, parsed by the call that takes it.
  QueryOptions options;

  bool listing() const;
  /// The structured type; an internal error for an object without one.
  const edm::StructuredType& type() const;
  const Value* input(std::string_view name) const;
  const Value* inputWithRole(Role role) const;
  /// Adds an input the call derives itself (a file name that goes with a stream).
  void addInput(const so::Property& property, Value value);
  /// The EDM property an SO property maps to; `Supplier/ID` is the key of the related entity.
  const edm::Property& edmProperty(const so::Property& property) const;
  /// A Query Options path (`$select`, `$orderby`) must name a property or navigation.
  void checkPath(std::string_view option, const std::string& path) const;
  /// The `HTTP Request Headers` input, as headers.
  std::vector<odata::Header> callHeaders() const;
  /// The SO properties this call returns, in the method's order.
  std::vector<const so::Property*> returned() const;

  odata::ReadOptions readOptions() const;
  /// For the answer to a write that succeeded: what does not fit becomes null and a warning of
  /// `result`, never a failed call.
  odata::ReadOptions writtenReadOptions(CallResult& result) const;

  /// Every upstream request goes through here, to be timed and counted against the call's
  /// bytes.
  odata::HttpResponse send(odata::Call call);
  /// Counts an answer the call read against the bytes it may read in all.
  void count(const odata::HttpResponse& response);

 private:
  void checkInputs();

  std::deque<Value> owned_;  // inputs decoded or derived here
};

}  // namespace broker::engine::internal
