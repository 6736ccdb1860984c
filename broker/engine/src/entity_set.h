// Finding entity sets in a model: by name (in the default container first, then in any other),
// the set a navigation property leads to, and the navigation back.
#pragma once

#include <string_view>

#include "broker/edm/model.h"

namespace broker::engine {

inline const edm::EntitySet* findEntitySet(const edm::Model& model, std::string_view name) {
  if (const edm::EntityContainer* container = model.defaultContainer()) {
    if (const edm::EntitySet* set = container->findEntitySet(name)) return set;
  }
  for (const edm::Schema& schema : model.schemas) {
    for (const edm::EntityContainer& container : schema.containers) {
      if (const edm::EntitySet* set = container.findEntitySet(name)) return set;
    }
  }
  return nullptr;
}

/// The entity set `navigation` of an entity in `set` leads to: the V4 navigation binding, the
/// V2/V3 association set, or else the first set of the target type. Null when there is none.
const edm::EntitySet* navigationTarget(const edm::Model& model, const edm::EntitySet& set,
                                       const edm::NavigationProperty& navigation);

/// The navigation property that leads back: the V4 Partner, or the V2/V3 navigation over the
/// same association with the roles swapped. Null when the metadata has none.
const edm::NavigationProperty* reverseNavigation(const edm::NavigationProperty& navigation);

}  // namespace broker::engine
