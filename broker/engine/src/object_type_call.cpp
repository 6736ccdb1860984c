#include "object_type_call.h"

#include <simdjson.h>

#include "broker/odata/payload.h"
#include "method_call.h"
#include "row_writer.h"
#include "serialized.h"

namespace broker::engine::internal {
namespace {

// The complex type behind an ObjectTypes object; null for HttpHeader, whose two members are
// strings.
const edm::StructuredType* complexTypeOf(const Instance& instance,
                                         const so::ServiceObject& object) {
  if (object.source.complexType.empty()) return nullptr;
  const edm::SchemaType* type = instance.catalog->model().findType(object.source.complexType);
  if (type == nullptr || type->kind != edm::TypeKind::kComplex) {
    throw Error(ErrorCode::kInternal, "complex type '" + object.source.complexType + "' of '" +
                                          object.name + "' is not in the metadata");
  }
  return static_cast<const edm::StructuredType*>(type);
}

class ObjectTypeCall final : public MethodCall {
 public:
  ObjectTypeCall(const Instance& instance, const so::ServiceObject& object,
                 const so::Method& method, const CallRequest& request, CallStats& stats)
      : call_(instance, object, method, request, stats, complexTypeOf(instance, object)),
        rows_(call_) {
    if (!call_.request.filter.empty()) {
      throw Error(ErrorCode::kInvalidArgument,
                  "filter: " + call_.object.name + "." + call_.method.name + " takes no filter");
    }
    rows_.compressItems = false;  // members of an item are never compressed on their own
  }

  CallContext& context() override { return call_; }

  // Nothing goes to the service: no request to plan.
  odata::RequestPlan plan() override {
    odata::RequestPlan plan;
    plan.unbatchable = "it sends nothing to the service";
    return plan;
  }
  CallResult finish(odata::HttpResponse&, RowSink&) override {
    throw Error(ErrorCode::kInternal, "an ObjectTypes method has no answer to finish");
  }

  CallResult run(RowSink& sink) override {
    switch (call_.method.type) {
      case so::MethodType::kSerialize:
        return deliverItem(serializeInputs(), false, sink);
      case so::MethodType::kSerializeArray:
        return deliverItem(appendToArray(), true, sink);
      case so::MethodType::kDeserialize:
        return deserialize(false, sink);
      case so::MethodType::kDeserializeArray:
        return deserialize(true, sink);
      default:
        throw Error(ErrorCode::kInvalidArgument, "method '" + call_.method.name + "' of '" +
                                                     call_.object.name +
                                                     "' is not supported on object types");
    }
  }

 private:
  edm::TypeRef memberType(const so::Property& property) const {
    if (call_.structured != nullptr) return call_.edmProperty(property).type;
    edm::TypeRef text;
    text.primitive = edm::PrimitiveKind::kString;
    return text;
  }

  // The item's members from the data inputs given, under their OData names, as a V4 payload
  // writes them (so the item can be sent as a complex value as it is).
  std::string serializeInputs() const {
    std::string json;
    core::JsonWriter writer(json);
    writer.beginObject();
    for (const auto& [property, value] : call_.inputs) {
      if (property->role != Role::kData) continue;
      writer.key(property->source);
      odata::writePayloadValue(writer, memberType(*property), ODataVersion::kV4, *value,
                               property->name);
    }
    writer.endObject();
    return json;
  }

  std::string appendToArray() const {
    std::string json = "[";
    if (const Value* array = call_.inputWithRole(Role::kSerializedItem);
        array && !array->isNull()) {
      simdjson::dom::parser parser;
      simdjson::dom::array items;
      if (parser.parse(array->text).get(items) != simdjson::SUCCESS) {
        throw Error(ErrorCode::kInvalidArgument, "'" + serializedProperty(true).name +
                                                     "': expected a JSON array, got '" +
                                                     array->text.substr(0, 80) + "'");
      }
      for (simdjson::dom::element item : items) {
        if (!item.is_object()) {
          throw Error(ErrorCode::kInvalidArgument,
                      "'" + serializedProperty(true).name + "': every item must be an object");
        }
        json += simdjson::minify(item);
        json += ',';
      }
    }
    json += serializeInputs();
    json += ']';
    return json;
  }

  const so::Property& serializedProperty(bool array) const {
    for (const so::Property& p : call_.object.properties) {
      if (p.role == Role::kSerializedItem && p.edmType.starts_with("Collection(") == array) {
        return p;
      }
    }
    throw Error(ErrorCode::kInternal,
                "'" + call_.object.name + "' has no serialized item property");
  }

  CallResult deliverItem(std::string json, bool array, RowSink& sink) {
    const so::Property& item = serializedProperty(array);
    const bool compress = call_.client.keys().serializationCompress;
    Row row{{&item, compress ? Value::string(encodeSerialized(std::move(json), true))
                             : Value::json(json)}};
    sink.row(row);
    CallResult result;
    result.rows = 1;
    return result;
  }

  // Reads the serialized item (already decoded from its compressed form, if it was) into rows.
  CallResult deserialize(bool array, RowSink& sink) {
    rows_.prepare();
    for (std::size_t i = 0; i < rows_.returned.size(); ++i) {
      if (rows_.returned[i]->role == Role::kData) rows_.mapAs(i, memberType(*rows_.returned[i]));
    }
    const Value* given = call_.inputWithRole(Role::kSerializedItem);
    const std::string& what = serializedProperty(array).name;
    CallResult result;
    result.list = array;
    if (given == nullptr || given->isNull()) return result;
    std::string body = array ? "{\"value\":" + given->text + "}" : given->text;
    const odata::ReadOptions options{ODataVersion::kV4,
                                     call_.client.keys().ignoreUnmappableProperties};
    const odata::HttpResponse none;
    try {
      if (array) {
        odata::readFeed(body, rows_.fields, options, [&](const odata::Entry& entry) {
          rows_.emit(entry, none, sink);
          ++result.rows;
        });
      } else {
        if (const auto entry = odata::readEntity(body, rows_.fields, options)) {
          rows_.emit(*entry, none, sink);
          result.rows = 1;
        }
      }
    } catch (const Error& e) {
      if (e.code() != ErrorCode::kUpstreamFailure && e.code() != ErrorCode::kInvalidArgument) {
        throw;
      }
      throw Error(ErrorCode::kInvalidArgument, "'" + what + "': " + e.message());
    }
    return result;
  }

  CallContext call_;
  RowWriter rows_;
};

}  // namespace

std::unique_ptr<MethodCall> objectTypeCall(const Instance& instance,
                                           const so::ServiceObject& object,
                                           const so::Method& method, const CallRequest& request,
                                           CallStats& stats) {
  return std::make_unique<ObjectTypeCall>(instance, object, method, request, stats);
}

}  // namespace broker::engine::internal
