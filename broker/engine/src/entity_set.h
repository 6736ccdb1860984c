// Finds an entity set (or singleton) of a model by name: in the default container first, then in
// any other.
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

}  // namespace broker::engine
