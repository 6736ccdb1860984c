#include "operation_call.h"

#include <simdjson.h>

#include "broker/core/text.h"
#include "broker/edm/navigation.h"
#include "broker/odata/filter.h"
#include "broker/odata/literal.h"
#include "broker/odata/payload.h"
#include "filter_binding.h"
#include "method_call.h"
#include "row_writer.h"
#include "serialized.h"

namespace broker::engine::internal {

namespace {

const edm::StructuredType* structuredResult(const so::ServiceObject& object) {
  const edm::Operation* op = object.source.operationDefinition;
  if (op == nullptr || !op->returnType) return nullptr;
  const edm::TypeRef& type = *op->returnType;
  if (type.kind != edm::TypeKind::kEntity && type.kind != edm::TypeKind::kComplex) return nullptr;
  return static_cast<const edm::StructuredType*>(type.definition);
}

// The entity set an operation bound to `bindingType` is called on: the first set of that type
// in the default container.
const edm::EntitySet* bindingSet(const edm::Model& model, const std::string& bindingType) {
  if (const edm::EntityContainer* container = model.defaultContainer()) {
    for (const edm::EntitySet& set : container->entitySets) {
      if (set.entityType.qualifiedName() == bindingType) return &set;
    }
  }
  return nullptr;
}

class OperationCall final : public MethodCall {
 public:
  OperationCall(const Instance& instance, const so::ServiceObject& object, const so::Method& method,
                const CallRequest& request, CallStats& stats)
      : call_(instance, object, method, request, stats, structuredResult(object)),
        rows_(call_),
        model_(instance.catalog->model()),
        op_(operationOf(object)) {
    if (const Value* options = call_.inputWithRole(Role::kQueryOptions);
        options && !options->isNull()) {
      throw Error(ErrorCode::kInvalidArgument,
                  "Query Options are not supported on operations yet; use filter, top and skip");
    }
  }

  CallContext& context() override { return call_; }

  odata::RequestPlan plan() override {
    const bool collection = op_.returnType && op_.returnType->collection;
    if (!call_.request.filter.empty() &&
        !(collection && call_.method.type == so::MethodType::kList)) {
      throw Error(ErrorCode::kInvalidArgument, "filter: " + call_.object.name + "." +
                                                   call_.method.name +
                                                   " takes no filter (List does)");
    }
    // The serialized forms carry the result's properties inside their one item.
    const bool serializing = call_.method.type == so::MethodType::kListToSerializedItem ||
                             call_.method.type == so::MethodType::kReadToSerializedItem;
    rows_.prepare(serializing ? resultProperties() : call_.returned());
    if (serializing) rows_.compressItems = false;  // the item as a whole is compressed
    odata::Query query(call_.client.keys().excludeQueryParameters);
    if (!call_.request.filter.empty()) {
      if (call_.structured == nullptr) {
        throw Error(ErrorCode::kInvalidArgument, "filter: the rows of " + call_.object.name +
                                                     " are values, not objects with properties");
      }
      filter_ = bindFilterTo(call_.request.filter, call_.object, *call_.structured, call_.version,
                             &rows_.fields);
      // The service filters when the instance says so and may send $filter; else the broker.
      filterHere_ = !call_.client.keys().handleServiceOperationFilters || query.excluded("$filter");
      if (filterHere_ && !evaluableByBroker(*filter_)) {
        throw Error(ErrorCode::kInvalidArgument,
                    "filter: the broker cannot evaluate navigation paths on operation results");
      }
    }
    odata::RequestPlan plan;
    odata::Call& call = plan.request;
    call =
        request(filter_ && !filterHere_ ? odata::formatFilter(*filter_, call_.version) : "", query);
    call.headers = call_.callHeaders();
    // An action on an entity whose set uses ETags needs If-Match (the service may refuse it
    // without); the object has no ETag input, so it acts on the current version.
    if (call.method != "GET" && concurrencyControlled()) call.headers.push_back({"If-Match", "*"});
    return plan;
  }

  CallResult run(RowSink& sink) override {
    odata::RequestPlan planned = plan();
    odata::HttpResponse response = sendWithPrecondition(planned.request);
    return finish(response, sink);
  }

  CallResult finish(odata::HttpResponse& response, RowSink& sink) override {
    const bool collection = op_.returnType && op_.returnType->collection;
    CallResult result;
    result.list = call_.listing();
    if (!op_.returnType || response.status == 204 || core::trim(response.body).empty()) {
      return result;
    }
    Collector collector(*this, sink, call_.method.type);
    std::string body = response.body;
    if (call_.structured == nullptr) {
      readValues(body, collector);
    } else if (collection) {
      std::int64_t skip = call_.request.skip.value_or(0);
      const std::int64_t limit = std::min<std::int64_t>(
          call_.request.top.value_or(call_.client.keys().maxRows), call_.client.keys().maxRows);
      odata::readFeed(body, rows_.fields, call_.readOptions(), [&](const odata::Entry& entry) {
        if (filterHere_) {
          const auto valueOf = [&](const odata::FilterOperand& o) -> const Value& {
            return entry.values[o.slot];
          };
          if (!odata::evaluateFilter(*filter_, valueOf)) return;
        }
        if (skip > 0) {
          --skip;
          return;
        }
        if (collector.rows() >= limit) return;
        collector.entry(entry, response);
      });
    } else {
      if (const auto entry = odata::readEntity(body, rows_.fields, call_.readOptions())) {
        collector.entry(*entry, response);
      }
    }
    result.rows = collector.finish();
    return result;
  }

 private:
  // Rows go to the sink one by one, or (the serialized forms) into one JSON item.
  class Collector {
   public:
    Collector(OperationCall& call, RowSink& sink, so::MethodType type)
        : owner_(call), sink_(sink), kind_(type), json_(serialized_) {
      if (kind_ == so::MethodType::kListToSerializedItem) json_.beginArray();
    }
    std::int64_t rows() const { return count_; }

    void entry(const odata::Entry& entry, const odata::HttpResponse& response) {
      if (serializing()) {
        Capture capture(*this);
        owner_.rows_.emit(entry, response, capture);
      } else {
        owner_.rows_.emit(entry, response, sink_);
      }
      ++count_;
    }

    void value(const Value& value) {
      if (serializing()) {
        Capture capture(*this);
        owner_.rows_.emitValue(value, capture);
      } else {
        owner_.rows_.emitValue(value, sink_);
      }
      ++count_;
    }

    // Sends the serialized item; the number of rows the caller sees.
    std::int64_t finish() {
      if (!serializing()) return count_;
      if (kind_ == so::MethodType::kListToSerializedItem) json_.endArray();
      if (kind_ == so::MethodType::kReadToSerializedItem && count_ == 0) serialized_ = "null";
      const so::Property* item = nullptr;
      for (const so::Property& p : owner_.call_.object.properties) {
        if (p.role == Role::kSerializedItem) item = &p;
      }
      const bool compress = owner_.call_.client.keys().serializationCompress;
      Row row{{item, compress ? Value::string(encodeSerialized(serialized_, true))
                              : Value::json(serialized_)}};
      sink_.row(row);
      return 1;
    }

   private:
    struct Capture final : RowSink {
      explicit Capture(Collector& owner) : owner(owner) {}
      void row(const Row& row) override { owner.serialize(row); }
      Collector& owner;
    };

    bool serializing() const {
      return kind_ == so::MethodType::kListToSerializedItem ||
             kind_ == so::MethodType::kReadToSerializedItem;
    }

    void serialize(const Row& row) {
      if (kind_ == so::MethodType::kReadToSerializedItem && count_ > 0) return;  // the first item
      json_.beginObject();
      for (const auto& [property, value] : row) {
        json_.key(property->name);
        if (value.kind == Value::Kind::kString) {
          json_.value(value.text);
        } else if (value.isNull()) {
          json_.null();
        } else {
          json_.raw(value.text);
        }
      }
      json_.endObject();
    }

    OperationCall& owner_;
    RowSink& sink_;
    so::MethodType kind_;
    std::string serialized_;
    core::JsonWriter json_;
    std::int64_t count_ = 0;
  };

  static const edm::Operation& operationOf(const so::ServiceObject& object) {
    if (object.source.operationDefinition == nullptr) {
      throw Error(ErrorCode::kInternal, "'" + object.name + "' has no operation behind it");
    }
    return *object.source.operationDefinition;
  }

  // The returned properties of the serialized forms are the result's, not "Serialized Item".
  std::vector<const so::Property*> resultProperties() const {
    std::vector<const so::Property*> out;
    for (const so::Property& p : call_.object.properties) {
      if (p.role == Role::kData || p.role == Role::kReturnValue) {
        if (!call_.request.returns.empty() && !contains(call_.request.returns, p.name)) continue;
        out.push_back(&p);
      }
    }
    return out;
  }

  // Parameter inputs by EDM parameter, with their types.
  struct Argument {
    const edm::Parameter* parameter;
    const Value* value;
  };

  std::vector<Argument> arguments() const {
    std::vector<Argument> out;
    for (const edm::Parameter& p : op_.parameters) {
      if (op_.bound && &p == &op_.parameters.front()) continue;
      for (const auto& [property, value] : call_.inputs) {
        if (property->role == Role::kParameter && property->source == p.name) {
          out.push_back({&p, value});
        }
      }
    }
    return out;
  }

  // The request: path, verb, query and body, per version and kind.
  odata::Call request(const std::string& filterText, odata::Query& query) const {
    odata::Call call;
    const std::vector<Argument> args = arguments();
    if (call_.version < ODataVersion::kV4) {
      call.method = call_.object.source.httpMethod;
      for (const Argument& a : args) {
        query.add(a.parameter->name, odata::formatLiteral(a.parameter->type, call_.version,
                                                          *a.value, a.parameter->name));
      }
      if (!filterText.empty()) query.add("$filter", filterText);
      call.url = call_.client.resolve(odata::encodePathSegment(call_.object.source.operation) +
                                      query.toString());
      return call;
    }
    std::string path = odata::encodePathSegment(bound() ? call_.object.source.qualifiedOperation
                                                        : call_.object.source.operation);
    if (op_.kind == edm::OperationKind::kFunction) {
      std::string list;
      for (const Argument& a : args) {
        list += (list.empty() ? "" : ",") + a.parameter->name + "=" +
                odata::formatLiteral(a.parameter->type, call_.version, *a.value, a.parameter->name);
      }
      path += odata::encodePathSegment("(" + list + ")");
      call.method = "GET";
    } else {
      call.method = "POST";
      core::JsonWriter json(call.body);
      json.beginObject();
      for (const Argument& a : args) {
        json.key(a.parameter->name);
        odata::writePayloadValue(json, a.parameter->type, call_.version, *a.value,
                                 a.parameter->name);
      }
      json.endObject();
    }
    if (bound()) path = bindingPath() + "/" + path;
    if (!filterText.empty()) query.add("$filter", filterText);
    call.url = call_.client.resolve(path + query.toString());
    return call;
  }

  bool bound() const { return op_.bound; }

  // A service that demands a precondition the metadata did not announce (428) gets the same
  // call again with If-Match: *.
  odata::HttpResponse sendWithPrecondition(odata::Call& call) {
    try {
      return call_.send(call);
    } catch (const Error& e) {
      const bool required = e.code() == ErrorCode::kPreconditionFailed &&
                            contains(e.details(), "upstream status 428");
      if (!required || call.method == "GET" || odata::findHeader(call.headers, "If-Match")) {
        throw;
      }
      call.headers.push_back({"If-Match", "*"});
      return call_.send(call);
    }
  }

  // The entity set the operation acts on (V4: the binding set; V2/V3: the import's set) uses
  // ETags.
  bool concurrencyControlled() const {
    const edm::EntitySet* set = nullptr;
    if (bound()) {
      set = bindingSet(model_, call_.object.source.bindingType);
    } else if (!op_.entitySet.empty()) {
      set = edm::findEntitySet(model_, op_.entitySet);
    }
    return set != nullptr && set->annotations.optimisticConcurrency;
  }

  // `Products(1)` for an operation bound to an entity, `Products` for one bound to a set.
  std::string bindingPath() const {
    const edm::EntitySet* set = bindingSet(model_, call_.object.source.bindingType);
    if (set == nullptr) {
      throw Error(ErrorCode::kInvalidArgument, "'" + call_.object.name + "' is bound to " +
                                                   call_.object.source.bindingType +
                                                   ", which no entity set of the service holds");
    }
    std::string path = odata::encodePathSegment(set->name);
    if (call_.object.source.bindingCollection) return path;
    std::vector<odata::KeyValue> keys;
    const auto& entity = static_cast<const edm::EntityType&>(set->type());
    for (const edm::PropertyRef& ref : entity.key()) {
      const edm::Property* property = entity.findPropertyPath(ref.name);
      const Value* value = nullptr;
      for (const auto& [p, v] : call_.inputs) {
        if (p->key && p->source == ref.name) value = v;
      }
      static const Value kNull;
      keys.push_back({ref.name, &property->type, value == nullptr ? &kNull : value});
    }
    return path + odata::keyPredicate(keys, call_.version);
  }

  // A primitive result, or a collection of them: a row per value.
  void readValues(std::string& body, Collector& collector) const {
    const Value value = odata::readValue(body, *op_.returnType, call_.readOptions());
    if (!op_.returnType->collection || value.kind != Value::Kind::kJson) {
      collector.value(value);
      return;
    }
    simdjson::dom::parser parser;
    simdjson::dom::element array = parser.parse(value.text);
    std::int64_t skip = call_.request.skip.value_or(0);
    for (simdjson::dom::element item : array.get_array()) {
      if (skip-- > 0) continue;
      if (call_.request.top && collector.rows() >= *call_.request.top) break;
      switch (item.type()) {
        case simdjson::dom::element_type::NULL_VALUE:
          collector.value(Value::null());
          break;
        case simdjson::dom::element_type::STRING:
          collector.value(Value::string(std::string_view(item.get_string())));
          break;
        case simdjson::dom::element_type::BOOL:
          collector.value(Value::boolean(bool(item.get_bool())));
          break;
        default:
          collector.value(Value::json(simdjson::minify(item)));
          break;
      }
    }
  }

  CallContext call_;
  RowWriter rows_;
  const edm::Model& model_;
  const edm::Operation& op_;
  std::optional<odata::Filter> filter_;  // the call's filter, bound to rows_.fields
  bool filterHere_ = false;              // evaluated by the broker on the rows
};

}  // namespace

std::unique_ptr<MethodCall> operationCall(const Instance& instance, const so::ServiceObject& object,
                                          const so::Method& method, const CallRequest& request,
                                          CallStats& stats) {
  return std::make_unique<OperationCall>(instance, object, method, request, stats);
}

}  // namespace broker::engine::internal
