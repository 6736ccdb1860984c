// Service objects of the Entities folder: one per entity set and singleton.
#pragma once

#include "broker/edm/model.h"
#include "config/service_keys.h"
#include "serviceobjects/service_object.h"

namespace serviceobjects::internal {

/// The SO of an entity set or singleton (name not yet made unique in the catalog).
ServiceObject buildEntityObject(const broker::edm::EntitySet& set, const config::ServiceKeys& keys);

}  // namespace serviceobjects::internal
