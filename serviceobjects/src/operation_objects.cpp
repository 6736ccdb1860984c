// Operation service objects: parameters (and a bound operation's entity keys) as inputs, the
// result's properties as returns; Load/Execute for one item, List and the serialized forms for
// collections.
#include "operation_objects.h"

#include "object_builder.h"
#include "serviceobjects/type_mapping.h"

namespace serviceobjects::internal {

namespace {

namespace edm = broker::edm;
using R = PropertyRole;

std::string httpMethodOf(const edm::Operation& op, const config::ServiceKeys& keys) {
  switch (op.kind) {
    case edm::OperationKind::kFunction:
      return "GET";
    case edm::OperationKind::kAction:
      return "POST";
    case edm::OperationKind::kServiceOperation:
      break;
  }
  switch (op.httpMethod) {
    case edm::HttpMethod::kGet:
      return "GET";
    case edm::HttpMethod::kPost:
      return "POST";
    case edm::HttpMethod::kPut:
      return "PUT";
    case edm::HttpMethod::kPatch:
      return "PATCH";
    case edm::HttpMethod::kMerge:
      return "MERGE";
    case edm::HttpMethod::kDelete:
      return "DELETE";
    case edm::HttpMethod::kUnspecified:
      break;
  }
  return keys.defaultHttpMethodForServiceOperations == config::OperationHttpMethod::kGet ? "GET"
                                                                                         : "POST";
}

// "GetProductsByRating(Int32 rating)" or "GetProductsByRating"; bound operations are prefixed
// with their binding type ("Products_Discontinue()") so that operations of one name bound to
// different types stay apart.
std::string objectName(const edm::Operation& op, const std::string& importName,
                       const config::ServiceKeys& keys) {
  std::string name = importName;
  const std::size_t first = op.bound ? 1 : 0;
  if (op.bound) name = shortTypeName(op.parameters[0].type) + "_" + name;
  if (!keys.namesUseMethodFullName) return name;
  name += "(";
  for (std::size_t i = first; i < op.parameters.size(); ++i) {
    if (i > first) name += ", ";
    name += shortTypeName(op.parameters[i].type) + " " + op.parameters[i].name;
  }
  return name + ")";
}

// The properties of the result; their names.
std::vector<std::string> addResult(ObjectBuilder& b, const edm::TypeRef& result) {
  if (result.kind == edm::TypeKind::kEntity || result.kind == edm::TypeKind::kComplex) {
    const auto& type = *static_cast<const edm::StructuredType*>(result.definition);
    const std::vector<edm::PropertyRef> none;
    const auto& key = result.kind == edm::TypeKind::kEntity
                          ? static_cast<const edm::EntityType&>(type).key()
                          : none;
    return b.addStructuralProperties(type, key);
  }
  edm::TypeRef item = result;
  item.collection = false;
  return {
      b.add({"Value", soTypeOf(item), edmTypeName(item), R::kReturnValue, "", false, true, {}})};
}

}  // namespace

ServiceObject buildOperationObject(const edm::Operation& op, const std::string& importName,
                                   const config::ServiceKeys& keys) {
  ObjectBuilder b(Folder::kOperations, keys);
  ServiceObject& so = b.object();
  so.name = objectName(op, importName, keys);
  so.description = op.label;
  so.source.operation = importName;
  so.source.httpMethod = httpMethodOf(op, keys);
  so.source.operationDefinition = &op;
  if (op.bound) so.source.qualifiedOperation = op.fullName;

  // Parameters first: the names in the object's signature are the names a caller sends, so a
  // returned property of the same name is the one renamed.
  std::vector<std::string> inputs;
  std::vector<std::string> required;
  const std::size_t first = op.bound ? 1 : 0;
  for (std::size_t i = first; i < op.parameters.size(); ++i) {
    const edm::Parameter& p = op.parameters[i];
    if (p.mode == "Out") continue;
    const std::string name = b.add({p.name, soTypeOf(p.type), edmTypeName(p.type), R::kParameter,
                                    p.name, false, p.nullable, p.facets.maxLength});
    inputs.push_back(name);
    if (!p.nullable) required.push_back(name);
  }

  std::vector<std::string> returns;
  if (op.returnType) returns = addResult(b, *op.returnType);

  if (op.bound) {
    const edm::TypeRef& binding = op.parameters[0].type;
    so.source.bindingType = binding.qualifiedName();
    so.source.bindingCollection = binding.collection;
    if (binding.kind == edm::TypeKind::kEntity && !binding.collection) {
      const auto& entity = *static_cast<const edm::EntityType*>(binding.definition);
      std::size_t keyCount = 0;  // the binding entity's keys come first among the inputs
      for (const edm::PropertyRef& ref : entity.key()) {
        const edm::Property* key = entity.findPropertyPath(ref.name);
        // The binding entity's keys. A result of the same entity type already has them as key
        // properties: they serve as inputs too.
        std::string name = b.find(R::kData, ref.name);
        const Property* existing = name.empty() ? nullptr : b.object().findProperty(name);
        if (existing == nullptr || !existing->key || existing->edmType != edmTypeName(key->type)) {
          name = b.add({ref.name, soTypeOf(key->type), edmTypeName(key->type), R::kData, ref.name,
                        true, false, key->facets.maxLength});
        }
        inputs.insert(inputs.begin() + static_cast<std::ptrdiff_t>(keyCount), name);
        required.insert(required.begin() + static_cast<std::ptrdiff_t>(keyCount), name);
        ++keyCount;
      }
    }
  }

  const bool collection = op.returnType && op.returnType->collection;
  std::vector<std::string> listInputs = inputs;
  if (keys.addQueryOptionsProperty && (collection || !op.sideEffecting)) {
    listInputs.push_back(b.add(
        {"Query Options", SoType::kMemo, "Edm.String", R::kQueryOptions, "", false, true, {}}));
  }
  if (collection) {
    b.define(MethodType::kList, listInputs, required, returns);
    const std::string serialized = b.add({"Serialized Item",
                                          SoType::kMemo,
                                          edmTypeName(*op.returnType),
                                          R::kSerializedItem,
                                          "",
                                          false,
                                          true,
                                          {}});
    b.define(MethodType::kListToSerializedItem, listInputs, required, {serialized});
    b.define(MethodType::kReadToSerializedItem, listInputs, required, {serialized});
  } else if (op.returnType && !op.sideEffecting) {
    b.define(MethodType::kLoad, listInputs, required, returns);
  } else {
    b.define(MethodType::kExecute, inputs, required, returns);
  }
  return b.finish();
}

}  // namespace serviceobjects::internal
