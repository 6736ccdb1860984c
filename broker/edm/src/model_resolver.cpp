// Resolution and validation of a parsed EDM model.
#include "model_resolver.h"

#include <string>

#include "model_builder.h"

namespace broker::edm::internal {

namespace {

std::string quoted(std::string_view text) { return "'" + std::string(text) + "'"; }

// The OData version a DataServiceVersion value names; false when it names none we serve.
bool versionFromDataServiceVersion(std::string_view text, ODataVersion& version) {
  if (text.starts_with("1.") || text.starts_with("2.")) {
    version = ODataVersion::kV2;
    return true;
  }
  if (text.starts_with("3.")) {
    version = ODataVersion::kV3;
    return true;
  }
  return false;
}

}  // namespace

template <typename Visit>
void ModelResolver::forEachStructuredType(Visit visit) {
  for (Schema& schema : model_.schemas) {
    for (EntityType& type : schema.entityTypes) visit(type);
    for (ComplexType& type : schema.complexTypes) visit(type);
  }
}

void ModelResolver::resolve(std::vector<PendingAnnotation>& annotations) {
  resolveVersion();
  model_.index();
  for (Schema& schema : model_.schemas) {
    for (TypeDefinition& definition : schema.typeDefinitions) {
      resolveType(definition.underlying);
      if (definition.underlying.kind != TypeKind::kPrimitive) {
        failAt(definition.position, "TypeDefinition " + quoted(definition.name) +
                                        " must have a primitive UnderlyingType");
      }
    }
    for (Association& association : schema.associations) {
      associations_.emplace(association.fullName, &association);
      for (AssociationEnd& end : association.ends) resolveEntityType(end.type, "Association End");
    }
  }
  forEachStructuredType([this](StructuredType& type) { resolveBaseType(type); });
  forEachStructuredType([this](StructuredType& type) { resolveMembers(type); });
  forEachStructuredType([this](StructuredType& type) {
    for (NavigationProperty& navigation : type.navigationProperties) resolvePartner(navigation);
  });
  for (Schema& schema : model_.schemas) {
    for (EntityType& type : schema.entityTypes) checkKeys(type);
    for (Operation& operation : schema.operations) resolveOperation(operation);
  }
  for (Schema& schema : model_.schemas) {
    for (EntityContainer& container : schema.containers) resolveContainer(container);
  }
  for (const PendingAnnotation& annotation : annotations) apply(annotation);
}

void ModelResolver::resolveVersion() {
  if (model_.edmxVersion == "4.01") {
    model_.version = ODataVersion::kV401;
    return;
  }
  if (model_.edmxVersion == "4.0") {
    model_.version = ODataVersion::kV4;
    return;
  }
  model_.version = csdl_ == XmlNamespace::kCsdlV3 ? ODataVersion::kV3 : ODataVersion::kV2;
  for (const std::string* declared : {&model_.dataServiceVersion, &model_.maxDataServiceVersion}) {
    if (declared->empty()) continue;
    ODataVersion version{};
    if (!versionFromDataServiceVersion(*declared, version)) {
      failAt({}, "unsupported DataServiceVersion " + quoted(*declared) +
                     " in an EDMX 1.0 document (expected 1.0, 2.0 or 3.0)");
    }
    if (declared == &model_.dataServiceVersion || version > model_.version)
      model_.version = version;
  }
}

void ModelResolver::resolveType(TypeRef& ref) {
  if (ref.written.empty()) return;  // primitive (resolved while parsing) or resolved already
  const SchemaType* definition = ref.written.find('.') == std::string::npos
                                     ? findUnqualified(ref)
                                     : model_.findType(ref.written);
  if (definition == nullptr) {
    failAt(ref.position,
           "type " + quoted(ref.written) + " does not resolve to a type of this document");
  }
  ref.kind = definition->kind;
  ref.definition = definition;
  if (definition->kind == TypeKind::kTypeDefinition) {
    ref.primitive = static_cast<const TypeDefinition*>(definition)->underlying.primitive;
  } else if (definition->kind == TypeKind::kEnum) {
    ref.primitive = static_cast<const EnumType*>(definition)->underlying;
  }
  ref.written.clear();
}

// Unqualified type names are not valid CSDL, yet some generators write them; they are
// accepted when exactly one type of the document has that name.
const SchemaType* ModelResolver::findUnqualified(const TypeRef& ref) {
  if (typesBySimpleName_.empty()) {
    for (const Schema& schema : model_.schemas) {
      auto add = [this](const auto& types) {
        for (const SchemaType& type : types) typesBySimpleName_.emplace(type.name, &type);
      };
      add(schema.entityTypes);
      add(schema.complexTypes);
      add(schema.enumTypes);
      add(schema.typeDefinitions);
    }
  }
  auto [first, last] = typesBySimpleName_.equal_range(ref.written);
  if (first == last) return nullptr;
  if (std::next(first) != last) {
    failAt(ref.position,
           "unqualified type " + quoted(ref.written) + " is ambiguous: several schemas define it");
  }
  return first->second;
}

void ModelResolver::resolveEntityType(TypeRef& ref, std::string_view what, bool allowAbstract) {
  const std::string written =
      ref.written.empty() ? std::string(primitiveName(ref.primitive)) : ref.written;
  resolveType(ref);
  const bool abstract = allowAbstract && ref.primitive == PrimitiveKind::kEntityType;
  if (ref.kind != TypeKind::kEntity && !abstract) {
    failAt(ref.position, std::string(what) + " type " + quoted(written) + " is not an entity type");
  }
}

void ModelResolver::resolveBaseType(StructuredType& type) {
  if (type.baseTypeName.empty()) return;
  const SchemaType* base = model_.findType(type.baseTypeName);
  if (base == nullptr || base->kind != type.kind) {
    failAt(type.position, "BaseType " + quoted(type.baseTypeName) + " of " + quoted(type.name) +
                              " does not resolve to a type of the same kind");
  }
  type.baseType = static_cast<const StructuredType*>(base);
  std::size_t steps = 0;
  for (const StructuredType* t = type.baseType; t != nullptr; t = t->baseType) {
    if (t == &type || ++steps > 10000) {
      failAt(type.position, "BaseType chain of " + quoted(type.name) + " forms a cycle");
    }
  }
}

void ModelResolver::resolveMembers(StructuredType& type) {
  for (Property& property : type.properties) resolveType(property.type);
  for (NavigationProperty& navigation : type.navigationProperties) resolveNavigation(navigation);
}

void ModelResolver::resolveNavigation(NavigationProperty& navigation) {
  if (navigation.relationship.empty()) {
    resolveEntityType(navigation.type, "NavigationProperty " + quoted(navigation.name), true);
    return;
  }
  auto it = associations_.find(model_.qualify(navigation.relationship));
  if (it == associations_.end()) {
    failAt(navigation.position, "NavigationProperty " + quoted(navigation.name) +
                                    " refers to unknown Association " +
                                    quoted(navigation.relationship));
  }
  const Association& association = *it->second;
  const AssociationEnd* from = association.findEnd(navigation.fromRole);
  const AssociationEnd* to = association.findEnd(navigation.toRole);
  if (from == nullptr || to == nullptr) {
    failAt(navigation.position, "NavigationProperty " + quoted(navigation.name) +
                                    " names a role that Association " + quoted(association.name) +
                                    " does not have");
  }
  navigation.type.kind = TypeKind::kEntity;
  navigation.type.definition = to->type.definition;
  navigation.type.collection = to->multiplicity == Multiplicity::kMany;
  navigation.nullable = to->multiplicity != Multiplicity::kOne;
  navigation.sourceMultiplicity = from->multiplicity;
  navigation.constraints = association.constraints;
}

void ModelResolver::resolvePartner(NavigationProperty& navigation) {
  if (navigation.partner.empty()) return;
  const auto* target = static_cast<const StructuredType*>(navigation.type.definition);
  if (target == nullptr) return;  // abstract Edm.EntityType
  const NavigationProperty* partner = target->findNavigationProperty(navigation.partner);
  if (partner == nullptr) return;  // a dangling Partner only loses the reverse multiplicity
  navigation.partnerProperty = partner;
  navigation.sourceMultiplicity = partner->multiplicity();
}

void ModelResolver::resolveOperation(Operation& operation) {
  for (Parameter& parameter : operation.parameters) resolveType(parameter.type);
  if (operation.returnType) resolveType(*operation.returnType);
  if (operation.bound && operation.parameters.empty()) {
    failAt(operation.position,
           "bound operation " + quoted(operation.name) + " has no binding parameter");
  }
}

void ModelResolver::resolveContainer(EntityContainer& container) {
  for (EntitySet& set : container.entitySets) {
    resolveEntityType(set.entityType, set.singleton ? "Singleton" : "EntitySet");
  }
  for (AssociationSet& set : container.associationSets) {
    auto it = associations_.find(model_.qualify(set.associationName));
    if (it == associations_.end()) {
      failAt(set.position, "AssociationSet " + quoted(set.name) +
                               " refers to unknown Association " + quoted(set.associationName));
    }
    set.association = it->second;
  }
  for (Operation& operation : container.serviceOperations) resolveOperation(operation);
  std::size_t serviceOperation = 0;
  for (OperationImport& import : container.operationImports) {
    if (import.kind == OperationKind::kServiceOperation) {
      import.overloads = {&container.serviceOperations[serviceOperation++]};
      continue;
    }
    const std::string name = model_.qualify(import.operationName);
    for (const Schema& schema : model_.schemas) {
      for (const Operation& operation : schema.operations) {
        if (operation.fullName == name && operation.kind == import.kind && !operation.bound) {
          import.overloads.push_back(&operation);
        }
      }
    }
    if (import.overloads.empty()) {
      failAt(import.position,
             "import " + quoted(import.name) + " refers to unknown unbound " +
                 (import.kind == OperationKind::kAction ? "action " : "function ") +
                 quoted(import.operationName));
    }
  }
}

void ModelResolver::checkKeys(const EntityType& type) {
  for (const PropertyRef& ref : type.declaredKey) {
    if (type.findPropertyPath(ref.name) == nullptr) {
      failAt(ref.position, "key property " + quoted(ref.name) + " of entity type " +
                               quoted(type.name) + " does not exist");
    }
  }
}

}  // namespace broker::edm::internal

namespace broker::edm::internal {

namespace {

void applyToProperty(const PendingAnnotation& annotation, Property& property) {
  PropertyAnnotations& a = property.annotations;
  switch (annotation.term) {
    case Term::kComputed:
      a.computed = annotation.boolValue.value_or(true);
      break;
    case Term::kComputedDefaultValue:
      a.computedDefaultValue = annotation.boolValue.value_or(true);
      break;
    case Term::kImmutable:
      a.immutable = annotation.boolValue.value_or(true);
      break;
    case Term::kMediaType:
      a.mediaType = annotation.stringValue;
      break;
    case Term::kContentDisposition:
      if (const auto& paths = annotation.fieldPaths("Filename"); !paths.empty()) {
        a.fileNameProperty = paths.front();
      }
      break;
    default:
      break;
  }
}

void applyToEntitySet(const PendingAnnotation& annotation, EntitySet& set) {
  EntitySetAnnotations& a = set.annotations;
  auto keep = [](std::optional<bool>& field, std::optional<bool> value) {
    if (value) field = value;
  };
  switch (annotation.term) {
    case Term::kInsertRestrictions:
      keep(a.insertable, annotation.fieldBool("Insertable"));
      break;
    case Term::kUpdateRestrictions:
      keep(a.updatable, annotation.fieldBool("Updatable"));
      break;
    case Term::kDeleteRestrictions:
      keep(a.deletable, annotation.fieldBool("Deletable"));
      break;
    case Term::kFilterRestrictions:
      keep(a.filterable, annotation.fieldBool("Filterable"));
      a.requiresFilter = annotation.fieldBool("RequiresFilter").value_or(a.requiresFilter);
      a.nonFilterableProperties = annotation.fieldPaths("NonFilterableProperties");
      break;
    case Term::kOptimisticConcurrency:
      a.optimisticConcurrency = true;
      a.concurrencyProperties = annotation.paths;
      break;
    default:
      break;
  }
}

}  // namespace

void ModelResolver::apply(const PendingAnnotation& annotation) {
  // Targets that do not resolve (operations, parameters, other documents) are not used by a
  // broker and are ignored, as are terms applied to kinds of element they do not fit.
  const std::string_view target = annotation.target;
  const std::size_t slash = target.find('/');
  const std::string head = model_.qualify(target.substr(0, slash));
  const std::string_view member =
      slash == std::string_view::npos ? std::string_view() : target.substr(slash + 1);
  if (member.empty() || member.find('/') != std::string_view::npos) return;
  if (const SchemaType* type = model_.findType(head);
      type != nullptr && (type->kind == TypeKind::kEntity || type->kind == TypeKind::kComplex)) {
    // The model is ours to finish; findType only hands out const views of it.
    auto& structured = const_cast<StructuredType&>(static_cast<const StructuredType&>(*type));
    for (Property& property : structured.properties) {
      if (property.name == member) applyToProperty(annotation, property);
    }
    return;
  }
  for (Schema& schema : model_.schemas) {
    for (EntityContainer& container : schema.containers) {
      if (container.fullName != head) continue;
      for (EntitySet& set : container.entitySets) {
        if (set.name == member) applyToEntitySet(annotation, set);
      }
    }
  }
}

}  // namespace broker::edm::internal
