// Second phase of loading: resolves every type reference, base type, association, partner and
// operation import of a freshly parsed model, checks keys, applies the kept annotations, and
// settles the OData version.
#pragma once

#include <string_view>
#include <unordered_map>
#include <vector>

#include "annotation_collector.h"
#include "broker/edm/model.h"
#include "vocabulary.h"

namespace broker::edm::internal {

class ModelResolver {
 public:
  ModelResolver(Model& model, XmlNamespace csdlNamespace) : model_(model), csdl_(csdlNamespace) {}

  /// Throws core::Error(kInvalidArgument) naming the position of the first reference that does
  /// not resolve, a BaseType cycle or a key property that does not exist.
  void resolve(std::vector<PendingAnnotation>& annotations);

 private:
  void resolveVersion();
  void resolveType(TypeRef& ref);
  const SchemaType* findUnqualified(const TypeRef& ref);
  /// Resolves a reference that must name an entity type; `allowAbstract` admits Edm.EntityType.
  void resolveEntityType(TypeRef& ref, std::string_view what, bool allowAbstract = false);
  void resolveBaseType(StructuredType& type);
  void resolveMembers(StructuredType& type);
  void resolveNavigation(NavigationProperty& navigation);
  void resolvePartner(NavigationProperty& navigation);
  void resolveOperation(Operation& operation);
  void resolveContainer(EntityContainer& container);
  void checkKeys(const EntityType& type);
  void apply(const PendingAnnotation& annotation);

  template <typename Visit>
  void forEachStructuredType(Visit visit);

  Model& model_;
  XmlNamespace csdl_;
  std::unordered_map<std::string_view, Association*> associations_;
  std::unordered_multimap<std::string_view, const SchemaType*> typesBySimpleName_;
};

}  // namespace broker::edm::internal
