// Lookups over the immutable EDM model.
#include "broker/edm/model.h"

namespace broker::edm {

Multiplicity NavigationProperty::multiplicity() const noexcept {
  if (type.collection) return Multiplicity::kMany;
  return nullable ? Multiplicity::kZeroOrOne : Multiplicity::kOne;
}

const Property* StructuredType::findProperty(std::string_view propertyName) const noexcept {
  for (const StructuredType* t = this; t != nullptr; t = t->baseType) {
    for (const Property& p : t->properties) {
      if (p.name == propertyName) return &p;
    }
  }
  return nullptr;
}

const Property* StructuredType::findPropertyPath(std::string_view path) const noexcept {
  const StructuredType* type = this;
  while (true) {
    const std::size_t slash = path.find('/');
    const Property* property = type->findProperty(path.substr(0, slash));
    if (property == nullptr || slash == std::string_view::npos) return property;
    if (property->type.kind != TypeKind::kComplex || property->type.collection) return nullptr;
    type = static_cast<const StructuredType*>(property->type.definition);
    path.remove_prefix(slash + 1);
  }
}

const NavigationProperty* StructuredType::findNavigationProperty(
    std::string_view propertyName) const noexcept {
  for (const StructuredType* t = this; t != nullptr; t = t->baseType) {
    for (const NavigationProperty& p : t->navigationProperties) {
      if (p.name == propertyName) return &p;
    }
  }
  return nullptr;
}

namespace {

// Types from the root of the hierarchy down to `type`.
std::vector<const StructuredType*> lineage(const StructuredType* type) {
  std::vector<const StructuredType*> chain;
  for (; type != nullptr; type = type->baseType) chain.push_back(type);
  return {chain.rbegin(), chain.rend()};
}

}  // namespace

std::vector<const Property*> StructuredType::allProperties() const {
  std::vector<const Property*> all;
  for (const StructuredType* t : lineage(this)) {
    for (const Property& p : t->properties) all.push_back(&p);
  }
  return all;
}

std::vector<const NavigationProperty*> StructuredType::allNavigationProperties() const {
  std::vector<const NavigationProperty*> all;
  for (const StructuredType* t : lineage(this)) {
    for (const NavigationProperty& p : t->navigationProperties) all.push_back(&p);
  }
  return all;
}

const std::vector<PropertyRef>& EntityType::key() const noexcept {
  const EntityType* t = this;
  while (t->declaredKey.empty() && t->baseEntityType() != nullptr) t = t->baseEntityType();
  return t->declaredKey;
}

const EntityType* EntityType::baseEntityType() const noexcept {
  return static_cast<const EntityType*>(baseType);
}

const AssociationEnd* Association::findEnd(std::string_view role) const noexcept {
  for (const AssociationEnd& end : ends) {
    if (end.role == role) return &end;
  }
  return nullptr;
}

const EntityType& EntitySet::type() const noexcept {
  return *static_cast<const EntityType*>(entityType.definition);
}

const EntitySet* EntityContainer::findEntitySet(std::string_view setName) const noexcept {
  for (const EntitySet& set : entitySets) {
    if (set.name == setName) return &set;
  }
  return nullptr;
}

const SchemaType* Model::findType(std::string_view qualifiedName) const noexcept {
  auto it = typesByName_.find(qualifiedName);
  return it == typesByName_.end() ? nullptr : it->second;
}

const EntityContainer* Model::defaultContainer() const noexcept {
  const EntityContainer* first = nullptr;
  for (const Schema& schema : schemas) {
    for (const EntityContainer& container : schema.containers) {
      if (container.isDefault) return &container;
      if (first == nullptr) first = &container;
    }
  }
  return first;
}

std::string_view Model::resolveAlias(std::string_view namespaceOrAlias) const noexcept {
  auto it = namespacesByAlias_.find(namespaceOrAlias);
  return it == namespacesByAlias_.end() ? namespaceOrAlias : it->second;
}

std::string Model::qualify(std::string_view qualifiedName) const {
  const std::size_t dot = qualifiedName.rfind('.');
  if (dot == std::string_view::npos) return std::string(qualifiedName);
  std::string full(resolveAlias(qualifiedName.substr(0, dot)));
  full.append(qualifiedName.substr(dot));
  return full;
}

void Model::index() {
  typesByName_.clear();
  aliasedNames_.clear();
  namespacesByAlias_.clear();
  std::size_t names = 0;
  for (const Schema& schema : schemas) {
    const std::size_t types = schema.entityTypes.size() + schema.complexTypes.size() +
                              schema.enumTypes.size() + schema.typeDefinitions.size();
    names += schema.alias.empty() ? types : 2 * types;
  }
  typesByName_.reserve(names);
  for (const ReferenceInclude& include : references) {
    if (!include.alias.empty()) namespacesByAlias_.emplace(include.alias, include.namespaceName);
  }
  for (const Schema& schema : schemas) {
    if (!schema.alias.empty()) namespacesByAlias_[schema.alias] = schema.namespaceName;
    // Types are indexed under their alias-qualified names too: documents such as Microsoft
    // Graph write nearly every reference through the alias.
    auto add = [this, &schema](const auto& types) {
      for (const SchemaType& type : types) {
        typesByName_.emplace(type.fullName, &type);
        if (!schema.alias.empty()) {
          typesByName_.emplace(aliasedNames_.emplace_back(schema.alias + "." + type.name), &type);
        }
      }
    };
    add(schema.entityTypes);
    add(schema.complexTypes);
    add(schema.enumTypes);
    add(schema.typeDefinitions);
  }
}

}  // namespace broker::edm
