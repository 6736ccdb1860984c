#include "entity_set.h"

#include <string_view>

namespace broker::engine {
namespace {

std::string_view lastSegment(std::string_view text, char separator) {
  const std::size_t at = text.rfind(separator);
  return at == std::string_view::npos ? text : text.substr(at + 1);
}

const edm::EntitySet* fromAssociationSet(const edm::Model& model, const edm::EntitySet& set,
                                         const edm::NavigationProperty& navigation) {
  const std::string_view association = lastSegment(navigation.relationship, '.');
  for (const edm::Schema& schema : model.schemas) {
    for (const edm::EntityContainer& container : schema.containers) {
      for (const edm::AssociationSet& associationSet : container.associationSets) {
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

const edm::EntitySet* navigationTarget(const edm::Model& model, const edm::EntitySet& set,
                                       const edm::NavigationProperty& navigation) {
  for (const edm::NavigationPropertyBinding& binding : set.navigationBindings) {
    if (lastSegment(binding.path, '/') == navigation.name) {
      // "Set", or "Namespace.Container/Set" for a set of another container.
      if (const edm::EntitySet* target = findEntitySet(model, lastSegment(binding.target, '/'))) {
        return target;
      }
    }
  }
  if (!navigation.relationship.empty()) {
    if (const edm::EntitySet* target = fromAssociationSet(model, set, navigation)) return target;
  }
  const edm::EntityContainer* container = model.defaultContainer();
  if (container == nullptr) return nullptr;
  for (const edm::EntitySet& candidate : container->entitySets) {
    if (!candidate.singleton && &candidate.type() == navigation.type.definition) return &candidate;
  }
  return nullptr;
}

const edm::NavigationProperty* reverseNavigation(const edm::NavigationProperty& navigation) {
  if (navigation.partnerProperty != nullptr) return navigation.partnerProperty;
  if (navigation.relationship.empty() || navigation.type.definition == nullptr) return nullptr;
  const auto& target = static_cast<const edm::StructuredType&>(*navigation.type.definition);
  for (const edm::NavigationProperty* candidate : target.allNavigationProperties()) {
    if (candidate->relationship == navigation.relationship &&
        candidate->fromRole == navigation.toRole && candidate->toRole == navigation.fromRole) {
      return candidate;
    }
  }
  return nullptr;
}

}  // namespace broker::engine
