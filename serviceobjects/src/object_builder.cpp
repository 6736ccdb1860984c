// Shared pieces of the catalog builders.
#include "object_builder.h"

#include <algorithm>

#include "serviceobjects/type_mapping.h"

namespace serviceobjects::internal {

namespace edm = broker::edm;

std::string uniqueName(const std::string& base, std::unordered_set<std::string>& taken) {
  std::string name = base;
  for (int n = 2; taken.count(name) != 0; ++n) name = base + "_" + std::to_string(n);
  taken.insert(name);
  return name;
}

std::string shortTypeName(const edm::TypeRef& type) {
  std::string name;
  if (type.definition != nullptr) {
    name = type.definition->name;
  } else {
    name = std::string(edm::primitiveName(type.primitive));
    if (name.starts_with("Edm.")) name.erase(0, 4);
  }
  return type.collection ? "Collection(" + name + ")" : name;
}

ObjectBuilder::ObjectBuilder(Folder folder, const config::ServiceKeys& keys) : keys_(keys) {
  object_.folder = folder;
}

std::string ObjectBuilder::add(Property property) {
  property.name = uniqueName(property.name, propertyNames_);
  std::string name = property.name;
  object_.properties.push_back(std::move(property));
  return name;
}

std::string ObjectBuilder::find(PropertyRole role, std::string_view source) const {
  for (const Property& p : object_.properties) {
    if (p.role == role && p.source == source) return p.name;
  }
  return {};
}

Method& ObjectBuilder::addMethod(MethodType type, std::string name) {
  Method& method = object_.methods.emplace_back();
  method.type = type;
  method.name = uniqueName(name.empty() ? std::string(toString(type)) : name, methodNames_);
  return method;
}

Method& ObjectBuilder::define(MethodType type, std::vector<std::string> inputs,
                              std::vector<std::string> required, std::vector<std::string> returns) {
  Method& method = addMethod(type);
  method.inputs = std::move(inputs);
  method.required = std::move(required);
  method.returns = std::move(returns);
  return method;
}

std::vector<std::string> ObjectBuilder::addStructuralProperties(
    const edm::StructuredType& type, const std::vector<edm::PropertyRef>& key) {
  std::vector<std::string> added;
  for (const edm::Property* p : type.allProperties()) {
    const bool isKey = std::any_of(
        key.begin(), key.end(), [p](const edm::PropertyRef& ref) { return ref.name == p->name; });
    if (p->type.primitive == edm::PrimitiveKind::kStream && !p->type.collection) {
      added.push_back(add({p->name,
                           SoType::kFile,
                           "Edm.Stream",
                           PropertyRole::kStreamContent,
                           p->name,
                           false,
                           true,
                           {}}));
      added.push_back(add({p->name + " Path",
                           SoType::kText,
                           "Edm.String",
                           PropertyRole::kStreamPath,
                           p->name,
                           false,
                           true,
                           {}}));
      added.push_back(add({p->name + " MIME Type",
                           SoType::kText,
                           "Edm.String",
                           PropertyRole::kStreamMimeType,
                           p->name,
                           false,
                           true,
                           {}}));
      continue;
    }
    std::string name = p->name;
    const bool complex = p->type.kind == edm::TypeKind::kComplex;
    if (complex && keys_.namesAppendPropertyTypes) name += " (" + shortTypeName(p->type) + ")";
    added.push_back(
        add({std::move(name), soTypeOf(p->type), edmTypeName(p->type), PropertyRole::kData, p->name,
             isKey, p->nullable && !isKey, p->facets.maxLength}));
  }
  return added;
}

std::vector<std::string> ObjectBuilder::named(std::initializer_list<PropertyRole> roles) const {
  std::vector<std::string> names;
  for (const Property& p : object_.properties) {
    if (std::find(roles.begin(), roles.end(), p.role) != roles.end()) names.push_back(p.name);
  }
  return names;
}

ServiceObject ObjectBuilder::finish() {
  // Serialization methods of ObjectTypes send no HTTP request.
  if (object_.folder == Folder::kObjectTypes) return std::move(object_);
  if (keys_.addHttpRequestHeaderProperty) {
    const std::string name = add({"HTTP Request Headers",
                                  SoType::kMemo,
                                  "Collection(HttpHeader)",
                                  PropertyRole::kRequestHeaders,
                                  "",
                                  false,
                                  true,
                                  {}});
    for (Method& method : object_.methods) method.inputs.push_back(name);
  }
  if (keys_.addHttpResponseHeaderProperty) {
    const std::string name = add({"HTTP Response Headers",
                                  SoType::kMemo,
                                  "Collection(HttpHeader)",
                                  PropertyRole::kResponseHeaders,
                                  "",
                                  false,
                                  true,
                                  {}});
    for (Method& method : object_.methods) method.returns.push_back(name);
  }
  return std::move(object_);
}

}  // namespace serviceobjects::internal
