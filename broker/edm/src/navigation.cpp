#include "broker/edm/navigation.h"

namespace broker::edm {
namespace {

std::string_view lastSegment(std::string_view text, char separator) {
  const std::size_t at = text.rfind(separator);
  return at == std::string_view::npos ? text : text.substr(at + 1);
}

const EntitySet* fromAssociationSet(const Model& model, const EntitySet& set,
                                    const NavigationProperty& navigation) {
  const std::string_view association = lastSegment(navigation.relationship, '.');
  for (const Schema& schema : model.schemas) {
    for (const EntityContainer& container : schema.containers) {
      for (const AssociationSet& associationSet : container.associationSets) {
        if (associationSet.association == nullptr ||
            associationSet.association->name != association) {
          continue;
        }
        for (std::size_t end = 0; end < 2; ++end) {
          const std::size_t other = 1 - end;
          if (associationSet.roles[end] == navigation.toRole &&
              associationSet.roles[other] == navigation.fromRole &&
              associationSet.entitySets[other] == set.name) {
            return container.findEntitySet(associationSet.entitySets[end]);
          }
        }
      }
    }
  }
  return nullptr;
}

}  // namespace

bool addressedByName(const Model& model, const EntityContainer& container) noexcept {
  return container.isDefault || model.version >= ODataVersion::kV4 ||
         &container == model.defaultContainer();
}

const EntityContainer* containerOf(const Model& model, const EntitySet& set) noexcept {
  for (const Schema& schema : model.schemas) {
    for (const EntityContainer& container : schema.containers) {
      if (!container.entitySets.empty() && &set >= &container.entitySets.front() &&
          &set <= &container.entitySets.back()) {
        return &container;
      }
    }
  }
  return nullptr;
}

std::string entitySetPath(const Model& model, const EntitySet& set) {
  const EntityContainer* container = containerOf(model, set);
  if (container == nullptr || addressedByName(model, *container)) return set.name;
  return container->name + "." + set.name;
}

const EntitySet* findEntitySet(const Model& model, std::string_view path) noexcept {
  if (const EntityContainer* container = model.defaultContainer()) {
    if (const EntitySet* set = container->findEntitySet(path)) return set;
  }
  const std::size_t dot = path.rfind('.');
  for (const Schema& schema : model.schemas) {
    for (const EntityContainer& container : schema.containers) {
      if (addressedByName(model, container)) {
        if (const EntitySet* set = container.findEntitySet(path)) return set;
      } else if (dot != std::string_view::npos && path.substr(0, dot) == container.name) {
        if (const EntitySet* set = container.findEntitySet(path.substr(dot + 1))) return set;
      }
    }
  }
  // A plain name of a set in a qualified container (an operation import's EntitySet).
  for (const Schema& schema : model.schemas) {
    for (const EntityContainer& container : schema.containers) {
      if (const EntitySet* set = container.findEntitySet(path)) return set;
    }
  }
  return nullptr;
}

const EntitySet* navigationTarget(const Model& model, const EntitySet& set,
                                  const NavigationProperty& navigation) {
  for (const NavigationPropertyBinding& binding : set.navigationBindings) {
    if (lastSegment(binding.path, '/') == navigation.name) {
      // "Set", or "Namespace.Container/Set" for a set of another container.
      if (const EntitySet* target = findEntitySet(model, lastSegment(binding.target, '/'))) {
        return target;
      }
    }
  }
  if (!navigation.relationship.empty()) {
    if (const EntitySet* target = fromAssociationSet(model, set, navigation)) return target;
  }
  const EntityContainer* container = containerOf(model, set);
  if (container == nullptr) container = model.defaultContainer();
  if (container == nullptr) return nullptr;
  for (const EntitySet& candidate : container->entitySets) {
    if (!candidate.singleton && &candidate.type() == navigation.type.definition) return &candidate;
  }
  return nullptr;
}

const NavigationProperty* reverseNavigation(const NavigationProperty& navigation) {
  if (navigation.partnerProperty != nullptr) return navigation.partnerProperty;
  if (navigation.relationship.empty() || navigation.type.definition == nullptr) return nullptr;
  const auto& target = static_cast<const StructuredType&>(*navigation.type.definition);
  for (const NavigationProperty* candidate : target.allNavigationProperties()) {
    if (candidate->relationship == navigation.relationship &&
        candidate->fromRole == navigation.toRole && candidate->toRole == navigation.fromRole) {
      return candidate;
    }
  }
  return nullptr;
}

}  // namespace broker::edm
