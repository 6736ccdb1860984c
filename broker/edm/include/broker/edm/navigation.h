// Finding one's way in a model: entity sets by name in every container, how requests address
// them, the set a navigation property leads to, and the navigation back.
#pragma once

#include <string>
#include <string_view>

#include "broker/edm/model.h"

namespace broker::edm {

/// Whether requests address the sets and operation imports of `container` by their names
/// alone: a container marked default (V2/V3 m:IsDefaultEntityContainer), or the model's
/// default one. Those of any other V2/V3 container are qualified: `Container.Set`.
bool addressedByName(const Model& model, const EntityContainer& container) noexcept;

/// The container that holds `set`; nullptr when it is not one of the model's.
const EntityContainer* containerOf(const Model& model, const EntitySet& set) noexcept;

/// The resource path of `set`, unencoded: its name, or `Container.Set` for a set of a container
/// not addressed by name.
std::string entitySetPath(const Model& model, const EntitySet& set);

/// The set a path of entitySetPath() names, or a set's plain name (the default container's
/// first, then any other's). Null when there is none.
const EntitySet* findEntitySet(const Model& model, std::string_view path) noexcept;

/// The entity set `navigation` of an entity in `set` leads to: the V4 navigation binding, the
/// V2/V3 association set, or else the first set of the target type in the set's container.
/// Null when there is none.
const EntitySet* navigationTarget(const Model& model, const EntitySet& set,
                                  const NavigationProperty& navigation);

/// The navigation property that leads back: the V4 Partner, or the V2/V3 navigation over the
/// same association with the roles swapped. Null when the metadata has none.
const NavigationProperty* reverseNavigation(const NavigationProperty& navigation);

}  // namespace broker::edm
