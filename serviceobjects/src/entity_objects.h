// Service objects of the Entities folder: one per entity set and singleton.
#pragma once

#include "broker/edm/model.h"
#include "config/service_keys.h"
#include "serviceobjects/service_object.h"

namespace serviceobjects::internal {

/// The SO of an entity set or singleton (name not yet made unique in the catalog).
/// The object of `set`, named and addressed `path` (its name, or `Container.Set`).
ServiceObject buildEntityObject(const broker::edm::Model& model, const broker::edm::EntitySet& set,
                                const std::string& path, const config::ServiceKeys& keys);

}  // namespace serviceobjects::internal
