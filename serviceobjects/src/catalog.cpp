// The catalog: entity objects, then operations, then ObjectTypes; names made unique in that
// order (a later object whose name is taken gets `_2`, `_3`, …).
#include "serviceobjects/catalog.h"

#include <unordered_set>

#include "broker/edm/navigation.h"
#include "entity_objects.h"
#include "object_builder.h"
#include "object_types.h"
#include "operation_objects.h"

namespace serviceobjects {

namespace {

namespace edm = broker::edm;

// Complex types reachable from the given type, including nested ones and base types.
void collectComplex(const edm::TypeRef& type, std::unordered_set<const edm::SchemaType*>& used);

void collectStructured(const edm::StructuredType& type,
                       std::unordered_set<const edm::SchemaType*>& used) {
  for (const edm::Property* p : type.allProperties()) collectComplex(p->type, used);
}

void collectComplex(const edm::TypeRef& type, std::unordered_set<const edm::SchemaType*>& used) {
  if (type.kind != edm::TypeKind::kComplex || !used.insert(type.definition).second) return;
  collectStructured(*static_cast<const edm::StructuredType*>(type.definition), used);
}

void collectOperation(const edm::Operation& op, std::unordered_set<const edm::SchemaType*>& used) {
  for (const edm::Parameter& p : op.parameters) collectComplex(p.type, used);
  if (op.returnType) collectComplex(*op.returnType, used);
}

}  // namespace

std::shared_ptr<const Catalog> Catalog::build(std::shared_ptr<const edm::Model> model,
                                              const config::ServiceKeys& keys) {
  auto catalog = std::make_shared<Catalog>();
  std::vector<ServiceObject>& objects = catalog->objects_;
  std::unordered_set<const edm::SchemaType*> used;

  // Every container's sets and imports, the default container's first. Those of a V2/V3
  // container that is not the default one are named and addressed `Container.Name`.
  std::vector<const edm::EntityContainer*> containers;
  if (const edm::EntityContainer* first = model->defaultContainer()) containers.push_back(first);
  for (const edm::Schema& schema : model->schemas) {
    for (const edm::EntityContainer& container : schema.containers) {
      if (&container != containers.front()) containers.push_back(&container);
    }
  }
  for (const edm::EntityContainer* container : containers) {
    const std::string prefix =
        edm::addressedByName(*model, *container) ? "" : container->name + ".";
    for (const edm::EntitySet& set : container->entitySets) {
      objects.push_back(internal::buildEntityObject(*model, set, prefix + set.name, keys));
      collectStructured(set.type(), used);
    }
    for (const edm::OperationImport& import : container->operationImports) {
      if (import.overloads.empty()) {
        catalog->warnings_.push_back("operation import '" + prefix + import.name +
                                     "' names no operation of the metadata ('" +
                                     import.operationName + "'); it has no object");
      }
      for (const edm::Operation* op : import.overloads) {
        objects.push_back(internal::buildOperationObject(*op, prefix + import.name, keys));
        collectOperation(*op, used);
      }
    }
  }
  for (const edm::Schema& schema : model->schemas) {
    for (const edm::Operation& op : schema.operations) {
      if (!op.bound) continue;
      objects.push_back(internal::buildOperationObject(op, op.name, keys));
      collectOperation(op, used);
    }
  }
  objects.push_back(internal::buildHttpHeaderObject(keys));
  for (const edm::Schema& schema : model->schemas) {
    for (const edm::ComplexType& type : schema.complexTypes) {
      if (keys.serializationIncludeAllTypes || used.count(&type) != 0) {
        objects.push_back(internal::buildComplexObject(type, keys));
      }
    }
  }

  std::unordered_set<std::string> taken;
  for (ServiceObject& object : objects) object.name = internal::uniqueName(object.name, taken);
  for (const ServiceObject& object : objects) catalog->byName_.emplace(object.name, &object);
  catalog->model_ = std::move(model);
  return catalog;
}

const ServiceObject* Catalog::find(std::string_view name) const noexcept {
  auto it = byName_.find(name);
  return it == byName_.end() ? nullptr : it->second;
}

}  // namespace serviceobjects
