// What every method call shares: the object, its method, the caller's inputs (checked), the
// structured type whose properties it reads, the returned properties mapped to payload fields,
// rows written to the sink, and each upstream request timed. A call is planned (its first
// request) before anything is sent, then finished on the answer, so the engine sends it on its
// own (run) or inside a $batch (batch.cpp).
#pragma once

#include <algorithm>
#include <chrono>
#include <deque>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "broker/core/error.h"
#include "broker/core/json_writer.h"
#include "broker/edm/model.h"
#include "broker/engine/executor.h"
#include "broker/odata/client.h"
#include "broker/odata/plan.h"
#include "broker/odata/reader.h"
#include "expansion.h"
#include "query_options.h"
#include "request_headers.h"
#include "serialized.h"

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
      response = send(planned.request);
    } catch (const Error& e) {
      return failed(e);
    }
    return finish(response, sink);
  }

  /// Inside a $batch: the answer to plan()'s `readBack`, sent in the same batch; finish reads
  /// the entity from it rather than asking again.
  void readBackAnswered(odata::HttpResponse response) { readBackAnswer_ = std::move(response); }

  /// Inside a $batch change set: the entity this call addresses is the one an earlier request
  /// created, `$<Content-ID>`, rather than the one its key inputs name.
  void addressEntityAs(std::string reference) { entityReference_ = std::move(reference); }

  /// Every upstream request goes through here, to be timed and counted against the call's
  /// bytes.
  odata::HttpResponse send(odata::Call call) {
    call.callerAuthorization = request_.callerAuthorization;
    const auto start = std::chrono::steady_clock::now();
    struct Timer {
      CallStats& stats;
      std::chrono::steady_clock::time_point start;
      ~Timer() {
        stats.upstreamTime += std::chrono::steady_clock::now() - start;
        ++stats.upstreamRequests;
      }
    } timer{stats_, start};
    odata::HttpResponse response = client_.send(call);
    count(response);
    return response;
  }

  /// Counts an answer the call read against the bytes it may read in all.
  void count(const odata::HttpResponse& response) {
    // Each answer is bounded by the transport as it is read; the call's answers together here.
    stats_.upstreamBytes += response.body.size();
    if (stats_.upstreamBytes > request_.maxUpstreamBytes) {
      throw core::Error(core::ErrorCode::kUpstreamFailure,
                        "the service's answers to this call passed " +
                            std::to_string(request_.maxUpstreamBytes) +
                            " bytes (setting maxUpstreamCallBytes)");
    }
  }

  const so::ServiceObject& object() const { return object_; }
  const so::Method& method() const { return method_; }

 protected:
  /// `type`: the entity or complex type whose properties the object's data properties are
  /// (null when the object has none, e.g. an operation returning a primitive).
  MethodCall(const Instance& instance, const so::ServiceObject& object, const so::Method& method,
             const CallRequest& request, CallStats& stats, const edm::StructuredType* type)
      : client_(*instance.client),
        stats_(stats),
        object_(object),
        method_(method),
        request_(request),
        version_(client_.version()),
        type_(type) {
    checkInputs();
  }

  bool listing() const {
    return method_.type == so::MethodType::kList ||
           method_.type == so::MethodType::kListWithoutContent;
  }

  const edm::StructuredType& type() const {
    if (type_ == nullptr) {
      throw Error(ErrorCode::kInternal, "'" + object_.name + "' has no structured type");
    }
    return *type_;
  }

  // ---- inputs ----

  void checkInputs() {
    const bool lenient = client_.keys().ignoreUnmappableProperties;
    for (const auto& [name, value] : request_.inputs) {
      const so::Property* property = object_.findProperty(name);
      // Deep insert: a navigation property's name takes the related entities inline.
      const edm::NavigationProperty* nav =
          property != nullptr || type_ == nullptr || method_.type != so::MethodType::kCreate
              ? nullptr
              : type_->findNavigationProperty(name);
      if (nav != nullptr) {
        if (value.kind != Value::Kind::kJson || value.text.empty() ||
            value.text.front() != (nav->type.collection ? '[' : '{')) {
          throw Error(ErrorCode::kInvalidArgument,
                      "input '" + name + "': the related " +
                          (nav->type.collection ? "entities go as an array of objects"
                                                : "entity goes as an object") +
                          " of their inputs (deep insert)");
        }
        deepInputs_.emplace_back(nav, &value);
        continue;
      }
      if (property == nullptr || !contains(method_.inputs, name)) {
        if (lenient) continue;
        throw Error(ErrorCode::kInvalidArgument,
                    property == nullptr
                        ? "'" + object_.name + "' has no property '" + name + "'"
                        : "'" + name + "' is not an input of " + object_.name + "." + method_.name);
      }
      // A serialized item may come compressed; the engine works on its JSON.
      if (holdsSerializedItem(*property) && value.kind == Value::Kind::kString) {
        decoded_.push_back(Value::json(decodeSerialized(value.text, "'" + name + "'")));
        inputs_.emplace_back(property, &decoded_.back());
      } else {
        inputs_.emplace_back(property, &value);
      }
    }
    for (const std::string& required : method_.required) {
      const Value* value = input(required);
      if (value == nullptr || value->isNull()) {
        throw Error(ErrorCode::kInvalidArgument,
                    object_.name + "." + method_.name + " needs a value for '" + required + "'");
      }
    }
    for (const std::string& name : request_.returns) {
      if (!contains(method_.returns, name)) {
        throw Error(ErrorCode::kInvalidArgument,
                    "'" + name + "' is not returned by " + object_.name + "." + method_.name);
      }
    }
  }

  const Value* input(std::string_view name) const {
    for (const auto& [property, value] : inputs_) {
      if (property->name == name) return value;
    }
    return nullptr;
  }

  const Value* inputWithRole(Role role) const {
    for (const auto& [property, value] : inputs_) {
      if (property->role == role) return value;
    }
    return nullptr;
  }

  // The EDM property an SO property maps to; `Supplier/ID` is the key of the related entity.
  const edm::Property& edmProperty(const so::Property& property) const {
    const edm::Property* p = type().findPropertyPath(property.source);
    if (p == nullptr && property.role == Role::kNavigationKey) {
      const std::size_t slash = property.source.find('/');
      const edm::NavigationProperty* nav =
          type().findNavigationProperty(std::string_view(property.source).substr(0, slash));
      if (nav != nullptr && nav->type.definition != nullptr) {
        p = static_cast<const edm::StructuredType*>(nav->type.definition)
                ->findPropertyPath(property.source.substr(slash + 1));
      }
    }
    if (p == nullptr) {
      throw Error(ErrorCode::kInternal, "property '" + property.source + "' of '" + object_.name +
                                            "' is not in the metadata");
    }
    return *p;
  }

  void checkPath(std::string_view option, const std::string& path) const {
    if (type().findPropertyPath(path) == nullptr &&
        type().findNavigationProperty(path.substr(0, path.find('/'))) == nullptr) {
      throw Error(ErrorCode::kInvalidArgument, "Query Options: " + std::string(option) + ": '" +
                                                   object_.name + "' has no property '" + path +
                                                   "'");
    }
  }

  std::vector<odata::Header> callHeaders() const {
    std::vector<odata::Header> headers;
    if (const Value* given = inputWithRole(Role::kRequestHeaders)) {
      headers = parseRequestHeaders(*given);
    }
    return headers;
  }

  // ---- results ----

  // The SO properties this call returns, in the method's order.
  std::vector<const so::Property*> returned() const {
    std::vector<const so::Property*> out;
    for (const std::string& name : method_.returns) {
      if (!request_.returns.empty() && !contains(request_.returns, name)) continue;
      const so::Property* p = object_.findProperty(name);
      // Query Options $select narrows the data properties when the call names none.
      if (request_.returns.empty() && !options_.select.empty() && p->role == Role::kData &&
          !contains(options_.select, p->source.substr(0, p->source.find('/')))) {
        continue;
      }
      out.push_back(p);
    }
    return out;
  }

  // Maps `properties` (by default those this call returns) to payload members; data
  // properties need the structured type.
  void prepareFields(std::vector<const so::Property*> properties) {
    returned_ = std::move(properties);
    fieldOf_.assign(returned_.size(), kNoField);
    for (std::size_t i = 0; i < returned_.size(); ++i) {
      const so::Property& p = *returned_[i];
      if (p.role != Role::kData || type_ == nullptr) continue;
      const edm::Property& property = edmProperty(p);
      fieldOf_[i] = fields_.add(p.source, property.type);
    }
  }
  void prepareFields() { prepareFields(returned()); }

  // Where a list finds a stream's content: the link the payload names, or the entity's own
  // link followed by `$value` (media) or the stream's name (named stream).
  virtual std::string streamLink(const odata::Entry& entry, const so::Property& content) const {
    if (const odata::NamedStream* named = entry.stream(content.source)) {
      if (!named->readLink.empty()) return named->readLink;
    }
    if (content.source.empty() && !entry.mediaReadLink.empty()) return entry.mediaReadLink;
    if (entry.editLink.empty()) return "";
    return entry.editLink + "/" + (content.source.empty() ? "$value" : content.source);
  }

  void emit(const odata::Entry& entry, const odata::HttpResponse& response, RowSink& sink) {
    // The row's values are assigned in place, so their strings reuse the previous row's memory.
    row_.resize(returned_.size());
    for (std::size_t i = 0; i < returned_.size(); ++i) {
      const so::Property* p = returned_[i];
      row_[i].first = p;
      Value& out = row_[i].second;
      // Values the call found itself (a downloaded stream, its name and MIME type).
      const auto given = std::find_if(overrides_.begin(), overrides_.end(),
                                      [p](const auto& o) { return o.first == p; });
      if (given != overrides_.end()) {
        out = given->second;
        continue;
      }
      switch (p->role) {
        case Role::kData:
          serializedOut(entry.values[fieldOf_[i]], out);
          break;
        case Role::kETag: {
          std::string etag = entry.etag;
          if (etag.empty()) etag = std::string(response.header("ETag").value_or(""));
          out = etag.empty() ? Value::null() : Value::string(etag);
          break;
        }
        case Role::kStreamContent: {
          const std::string url = streamLink(entry, *p);
          if (url.empty()) {
            out = Value::null();
          } else {
            std::string link;
            core::JsonWriter(link)
                .beginObject()
                .key("url")
                .value(client_.requestUrl(url))
                .endObject();
            out = Value::json(link);
          }
          break;
        }
        case Role::kStreamMimeType: {
          std::string type = entry.mediaContentType;
          if (!p->source.empty()) {
            const odata::NamedStream* named = entry.stream(p->source);
            type = named != nullptr ? named->contentType : "";
          }
          out = type.empty() ? Value::null() : Value::string(type);
          break;
        }
        case Role::kResponseHeaders:
          out = Value::json(serializeHeaders(response.headers));
          break;
        default:
          out = Value::null();
          break;
      }
    }
    if (expansions_) {
      expansions_->append(entry, row_, returned_.size(), readOptions(), expandWarnings_);
    }
    sink.row(row_);
  }

  // A complex value or collection as the instance writes serialized items.
  void serializedOut(const Value& value, Value& out) const {
    if (value.kind != Value::Kind::kJson || !compressItems_) {
      out = value;
      return;
    }
    out = Value::string(encodeSerialized(value.text, true));
  }

  odata::ReadOptions readOptions() const {
    return {version_, client_.keys().ignoreUnmappableProperties};
  }
  /// For the answer to a write that succeeded: what does not fit becomes null and a warning of
  /// `result`, never a failed call.
  odata::ReadOptions writtenReadOptions(CallResult& result) const {
    return {version_, true, &result.warnings};
  }

  static constexpr std::size_t kNoField = static_cast<std::size_t>(-1);

  odata::ODataClient& client_;
  CallStats& stats_;
  const so::ServiceObject& object_;
  const so::Method& method_;
  const CallRequest& request_;
  ODataVersion version_;
  const edm::StructuredType* type_;
  std::vector<std::pair<const so::Property*, const Value*>> inputs_;
  /// Create: related entities given inline, by navigation (deep insert), as JSON.
  std::vector<std::pair<const edm::NavigationProperty*, const Value*>> deepInputs_;
  /// Complex values in rows are compressed (serializationCompress), except inside an item
  /// that is itself serialized.
  bool compressItems_ = client_.keys().serializationCompress;
  std::deque<Value> decoded_;  // inputs_ of serialized items given compressed, decoded
  std::vector<const so::Property*> returned_;
  std::vector<std::size_t> fieldOf_;
  odata::FieldMap fields_;
  QueryOptions options_;
  Row row_;
  std::vector<std::pair<const so::Property*, Value>> overrides_;  // emitted instead of read
  std::string entityReference_;  // see addressEntityAs
  std::optional<odata::HttpResponse> readBackAnswer_;  // see readBackAnswered
  std::optional<Expansions> expansions_;  // List and Load with `expand`
  std::vector<std::string> expandWarnings_;
};

}  // namespace broker::engine::internal
