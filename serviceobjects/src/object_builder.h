// Shared pieces of the catalog builders: unique names, adding properties and methods, and the
// properties of structured types under the naming keys.
#pragma once

#include <string>
#include <string_view>
#include <unordered_set>
#include <vector>

#include "broker/edm/model.h"
#include "config/service_keys.h"
#include "serviceobjects/service_object.h"

namespace serviceobjects::internal {

/// `base` if not taken, else `base_2`, `base_3`, …; the result is marked taken.
std::string uniqueName(const std::string& base, std::unordered_set<std::string>& taken);

/// "Int32" for Edm.Int32, "Address" for NS.Address, "Collection(Address)" for collections.
std::string shortTypeName(const broker::edm::TypeRef& type);

/// Builds one service object; property and method names stay unique inside it.
class ObjectBuilder {
 public:
  ObjectBuilder(Folder folder, const config::ServiceKeys& keys);

  /// Adds the property under a unique name and returns that name.
  std::string add(Property property);
  /// The name of an existing property with that role and source, or empty.
  std::string find(PropertyRole role, std::string_view source) const;
  /// Adds a method named after its type (made unique) with the optional header properties.
  Method& addMethod(MethodType type, std::string name = {});
  /// addMethod with its inputs, required inputs and returns.
  Method& define(MethodType type, std::vector<std::string> inputs,
                 std::vector<std::string> required, std::vector<std::string> returns);

  /// Data properties of a structured type (base types first). Edm.Stream properties become
  /// `<Name>`, `<Name> Path`, `<Name> MIME Type`. Returns the added names.
  std::vector<std::string> addStructuralProperties(
      const broker::edm::StructuredType& type, const std::vector<broker::edm::PropertyRef>& key);

  /// Names of properties with one of the roles, in order.
  std::vector<std::string> named(std::initializer_list<PropertyRole> roles) const;

  ServiceObject& object() noexcept { return object_; }
  const ServiceObject& object() const noexcept { return object_; }
  ServiceObject finish();

 private:
  ServiceObject object_;
  const config::ServiceKeys& keys_;
  std::unordered_set<std::string> propertyNames_;
  std::unordered_set<std::string> methodNames_;
};

}  // namespace serviceobjects::internal
