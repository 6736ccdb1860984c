#include "batch.h"

#include <Poco/JSON/Array.h>

#include <algorithm>
#include <optional>
#include <set>

#include "broker/core/json_writer.h"

namespace broker::server {
namespace {

using core::Error;
using core::ErrorCode;

[[noreturn]] void invalid(std::string message) {
  throw Error(ErrorCode::kInvalidArgument, std::move(message));
}

std::string stringMember(const Poco::JSON::Object& object, const std::string& name,
                         const std::string& where, bool required) {
  if (!object.has(name) || object.isNull(name)) {
    if (required) invalid(where + ": " + name + " is required");
    return "";
  }
  const Poco::Dynamic::Var value = object.get(name);
  if (!value.isString() || value.extract<std::string>().empty()) {
    invalid(where + ": " + name + " must be a non-empty string");
  }
  return value.extract<std::string>();
}

// {"fromResult": "a", "property": "ID"} as an input value.
bool isReference(const Poco::Dynamic::Var& value) {
  if (value.type() != typeid(Poco::JSON::Object::Ptr)) return false;
  return value.extract<Poco::JSON::Object::Ptr>()->has("fromResult");
}

engine::BatchCall parseCall(const Poco::JSON::Object& body, const std::string& where) {
  for (const std::string& member : body.getNames()) {
    if (member != "object" && member != "method" && member != "id" && !executeMember(member)) {
      invalid(where + ": unknown member '" + member +
              "' (expected object, method, id and the execute body's inputs, filter, returns, "
              "top, skip, orderBy, includeTotalCount, expand)");
    }
  }
  engine::BatchCall call;
  call.id = stringMember(body, "id", where, false);
  // References are taken out of the inputs; the rest is an execute body.
  Poco::JSON::Object copy(body);
  if (Poco::JSON::Object::Ptr inputs = body.getObject("inputs")) {
    Poco::JSON::Object::Ptr plain = new Poco::JSON::Object;
    for (const std::string& name : inputs->getNames()) {
      const Poco::Dynamic::Var value = inputs->get(name);
      if (!isReference(value)) {
        plain->set(name, value);
        continue;
      }
      const auto& ref = *value.extract<Poco::JSON::Object::Ptr>();
      const std::string at = where + ".inputs." + name;
      for (const std::string& member : ref.getNames()) {
        if (member != "fromResult" && member != "property") {
          invalid(at + ": unknown member '" + member + "' (expected fromResult, property)");
        }
      }
      call.references.push_back({name, stringMember(ref, "fromResult", at, true),
                                 stringMember(ref, "property", at, true)});
    }
    copy.set("inputs", plain);
  }
  call.request = executeRequest(copy, stringMember(body, "object", where, true),
                                stringMember(body, "method", where, true), {}, where);
  return call;
}

Poco::JSON::Object::Ptr objectAt(const Poco::Dynamic::Var& value, const std::string& where) {
  if (value.type() != typeid(Poco::JSON::Object::Ptr)) {
    invalid(where +
            " must be an object: a call {\"object\", \"method\", …} or {\"changeSet\": "
            "[calls]}");
  }
  return value.extract<Poco::JSON::Object::Ptr>();
}

// The answers, written as the engine reports each call.
class BatchWriter final : public engine::BatchSink, engine::RowSink {
 public:
  BatchWriter() : json_(text_) { json_.beginObject().key("responses").beginArray(); }

  void beginItem(const engine::BatchItem& item) override {
    if (item.changeSet) json_.beginObject().key("changeSet").beginArray();
  }

  engine::RowSink& rowsOf(const engine::BatchCall&) override {
    rows_.clear();
    rowsJson_.emplace(rows_).beginArray();
    rowCount_ = 0;
    return *this;
  }

  void row(const engine::Row& row) override {
    writeRow(*rowsJson_, rows_, row);
    if (rowCount_++ == 0) firstRowEnd_ = rows_.size();
  }

  void outcome(const engine::BatchCall& call, const engine::BatchCallOutcome& outcome) override {
    rowsJson_->endArray();
    json_.beginObject();
    if (!call.id.empty()) json_.key("id").value(call.id);
    json_.key("status").value(outcome.status);
    if (outcome.error) {
      json_.key("error");
      writeError(json_, *outcome.error);
    } else if (outcome.result.list) {
      json_.key("rows").raw(rows_).key("count").value(rowCount_);
      if (outcome.result.totalCount) json_.key("totalCount").value(*outcome.result.totalCount);
    } else {
      // One row: the first.
      json_.key("row");
      if (rowCount_ == 0) {
        json_.null();
      } else {
        json_.raw(std::string_view(rows_).substr(1, firstRowEnd_ - 1));
      }
    }
    if (!outcome.error && !outcome.result.warnings.empty()) {
      json_.key("warnings").values(outcome.result.warnings);
    }
    json_.endObject();
  }

  void endItem(const engine::BatchItem& item, int status, const core::Error* error) override {
    if (item.changeSet) {
      json_.endArray().key("status").value(status);
      if (error != nullptr) {
        json_.key("error");
        writeError(json_, *error);
      }
      json_.endObject();
    }
  }

  std::string finish() {
    json_.endArray().endObject();
    return std::move(text_);
  }

 private:
  std::string text_;
  core::JsonWriter json_;
  std::string rows_;
  std::optional<core::JsonWriter> rowsJson_;
  std::int64_t rowCount_ = 0;
  std::size_t firstRowEnd_ = 0;  // where the first row ends in rows_
};

}  // namespace

engine::BatchRequest parseBatchBody(const Poco::JSON::Object& body, std::size_t maxCalls) {
  for (const std::string& member : body.getNames()) {
    if (member != "requests" && member != "sequentialFallback") {
      invalid("unknown member '" + member + "' (expected requests, sequentialFallback)");
    }
  }
  engine::BatchRequest batch;
  if (body.has("sequentialFallback") && !body.isNull("sequentialFallback")) {
    const Poco::Dynamic::Var flag = body.get("sequentialFallback");
    if (!flag.isBoolean()) invalid("sequentialFallback must be true or false");
    batch.sequentialFallback = flag.extract<bool>();
  }
  Poco::JSON::Array::Ptr requests = body.getArray("requests");
  if (!requests || requests->size() == 0) {
    invalid("requests must be a non-empty array of calls and {\"changeSet\": [calls]}");
  }
  std::size_t calls = 0;
  std::set<std::string> ids;
  const auto add = [&](engine::BatchItem& item, const Poco::Dynamic::Var& value,
                       const std::string& where) {
    if (++calls > maxCalls) {
      invalid("the batch has more than " + std::to_string(maxCalls) +
              " calls (setting maxBatchCalls)");
    }
    item.calls.push_back(parseCall(*objectAt(value, where), where));
    const std::string& id = item.calls.back().id;
    if (!id.empty() && !ids.insert(id).second) invalid(where + ": id '" + id + "' is used twice");
  };
  for (std::size_t i = 0; i < requests->size(); ++i) {
    const std::string where = "requests[" + std::to_string(i) + "]";
    Poco::JSON::Object::Ptr request = objectAt(requests->get(i), where);
    engine::BatchItem& item = batch.items.emplace_back();
    if (!request->has("changeSet")) {
      add(item, requests->get(i), where);
      continue;
    }
    item.changeSet = true;
    if (request->size() != 1) invalid(where + ": a change set has no member but changeSet");
    Poco::JSON::Array::Ptr set = request->getArray("changeSet");
    if (!set || set->size() == 0) invalid(where + ".changeSet must be a non-empty array of calls");
    for (std::size_t c = 0; c < set->size(); ++c) {
      add(item, set->get(c), where + ".changeSet[" + std::to_string(c) + "]");
    }
  }
  return batch;
}

void executeBatchRequest(Exchange& exchange, const engine::Instance& instance,
                         std::string callerAuthorization, const CallLimits& limits,
                         engine::CallStats& stats) {
  engine::BatchRequest batch = parseBatchBody(*exchange.jsonBody(), limits.maxBatchCalls);
  batch.callerAuthorization = std::move(callerAuthorization);
  batch.maxUpstreamBytes = limits.maxUpstreamBytes;
  BatchWriter writer;
  engine::executeBatch(instance, batch, writer, &stats);
  exchange.reply(200, writer.finish());
}

}  // namespace broker::server
