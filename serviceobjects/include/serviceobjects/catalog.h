// The catalog of one service instance: its service objects, built from an EDM model and the
// instance's service keys. Immutable; shared between threads as shared_ptr<const Catalog>.
#pragma once

#include <memory>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "broker/edm/model.h"
#include "config/service_keys.h"
#include "serviceobjects/service_object.h"

namespace serviceobjects {

class Catalog {
 public:
  /// Derives every service object of `model` as API.md §2 describes, honouring the keys that
  /// shape the catalog (naming, list inputs, header and query-option properties, ObjectTypes).
  /// Never fails on a model the loader accepted; name collisions are resolved by suffixes.
  static std::shared_ptr<const Catalog> build(std::shared_ptr<const broker::edm::Model> model,
                                              const config::ServiceKeys& keys);

  const std::vector<ServiceObject>& objects() const noexcept { return objects_; }
  /// The object with that name; nullptr if none.
  const ServiceObject* find(std::string_view name) const noexcept;
  const broker::edm::Model& model() const noexcept { return *model_; }
  /// What of the metadata has no object, and why (shown in the registration result).
  const std::vector<std::string>& warnings() const noexcept { return warnings_; }

 private:
  std::vector<std::string> warnings_;
  std::shared_ptr<const broker::edm::Model> model_;
  std::vector<ServiceObject> objects_;
  std::unordered_map<std::string_view, const ServiceObject*> byName_;
};

}  // namespace serviceobjects
