// The element rule table and the schema-level handlers of the model builder: what may appear
// where, and how types, properties, navigation and associations are read.
#include "model_builder.h"

#include <algorithm>
#include <array>
#include <cstdint>
#include <iterator>
#include <utility>

#include "attribute_values.h"
#include "broker/core/error.h"

namespace broker::edm::internal {

namespace {

using Start = Flow (ModelBuilder::*)(const Attributes&, const ElementContext&);
using End = void (ModelBuilder::*)();

constexpr std::uint64_t bit(ElementId id) { return std::uint64_t{1} << static_cast<unsigned>(id); }

template <typename... Ids>
constexpr std::uint64_t parents(Ids... ids) {
  return (bit(ids) | ...);
}

constexpr std::uint64_t kAnyParent = ~std::uint64_t{0};
constexpr std::uint64_t kInAnnotation = parents(ElementId::kAnnotation, ElementId::kRecord,
                                                ElementId::kPropertyValue, ElementId::kCollection);

struct Rule {
  std::uint64_t parents = 0;
  Start start = nullptr;
  End end = nullptr;
};

using E = ElementId;
using B = ModelBuilder;

constexpr std::array<Rule, static_cast<std::size_t>(ElementId::kCount)> makeRules() {
  std::array<Rule, static_cast<std::size_t>(ElementId::kCount)> r{};
  auto set = [&r](ElementId id, std::uint64_t allowed, Start start, End end = nullptr) {
    r[static_cast<std::size_t>(id)] = Rule{allowed, start, end};
  };
  set(E::kEdmx, parents(E::kNone), &B::onEdmx);
  set(E::kReference, parents(E::kEdmx), &B::onReference);
  set(E::kInclude, parents(E::kReference), &B::onInclude);
  set(E::kDataServices, parents(E::kEdmx), &B::onDataServices);
  set(E::kSchema, parents(E::kDataServices), &B::onSchema);
  set(E::kEntityType, parents(E::kSchema), &B::onEntityType, &B::endStructuredType);
  set(E::kComplexType, parents(E::kSchema), &B::onComplexType, &B::endStructuredType);
  set(E::kEnumType, parents(E::kSchema), &B::onEnumType);
  set(E::kMember, parents(E::kEnumType), &B::onMember);
  set(E::kTypeDefinition, parents(E::kSchema), &B::onTypeDefinition);
  set(E::kKey, parents(E::kEntityType), &B::onStructural);
  set(E::kPropertyRef, parents(E::kKey, E::kPrincipal, E::kDependent), &B::onPropertyRef);
  set(E::kProperty, parents(E::kEntityType, E::kComplexType), &B::onProperty);
  set(E::kNavigationProperty, parents(E::kEntityType, E::kComplexType), &B::onNavigationProperty);
  set(E::kReferentialConstraint, parents(E::kAssociation, E::kNavigationProperty),
      &B::onReferentialConstraint, &B::endReferentialConstraint);
  // Some generators write Principal and Dependent straight into the Association.
  set(E::kPrincipal, parents(E::kReferentialConstraint, E::kAssociation), &B::onPrincipal);
  set(E::kDependent, parents(E::kReferentialConstraint, E::kAssociation), &B::onDependent);
  set(E::kOnDelete, parents(E::kEnd, E::kNavigationProperty), &B::onOnDelete);
  set(E::kAssociation, parents(E::kSchema), &B::onAssociation, &B::endAssociation);
  set(E::kEnd, parents(E::kAssociation, E::kAssociationSet), &B::onEnd);
  set(E::kEntityContainer, parents(E::kSchema), &B::onEntityContainer);
  set(E::kEntitySet, parents(E::kEntityContainer), &B::onEntitySet);
  set(E::kSingleton, parents(E::kEntityContainer), &B::onSingleton);
  set(E::kAssociationSet, parents(E::kEntityContainer), &B::onAssociationSet);
  set(E::kNavigationPropertyBinding, parents(E::kEntitySet, E::kSingleton),
      &B::onNavigationPropertyBinding);
  set(E::kFunctionImport, parents(E::kEntityContainer), &B::onFunctionImport, &B::endOperation);
  set(E::kActionImport, parents(E::kEntityContainer), &B::onActionImport);
  set(E::kFunction, parents(E::kSchema), &B::onFunction, &B::endOperation);
  set(E::kAction, parents(E::kSchema), &B::onAction, &B::endOperation);
  set(E::kParameter, parents(E::kFunctionImport, E::kFunction, E::kAction), &B::onParameter);
  set(E::kReturnType, parents(E::kFunctionImport, E::kFunction, E::kAction), &B::onReturnType);
  set(E::kAnnotations, parents(E::kSchema), &B::onAnnotations);
  set(E::kAnnotation, kAnyParent, &B::onAnnotation);
  for (ElementId id :
       {E::kRecord, E::kPropertyValue, E::kCollection, E::kBool, E::kString, E::kPropertyPath}) {
    set(id, kInAnnotation, &B::onAnnotationValue);
  }
  return r;
}

constexpr auto kRules = makeRules();

const Rule& ruleFor(ElementId id) { return kRules[static_cast<std::size_t>(id)]; }

std::string qualified(std::string_view ns, std::string_view name) {
  std::string full;
  full.reserve(ns.size() + 1 + name.size());
  full.append(ns).append(1, '.').append(name);
  return full;
}

}  // namespace

void failAt(SourcePosition position, const std::string& message) {
  throw core::Error(core::ErrorCode::kInvalidArgument,
                    "invalid metadata at " + describe(position) + ": " + message);
}

Flow ModelBuilder::start(ElementId id, const Attributes& attributes,
                         const ElementContext& context) {
  if (collecting_ && id != ElementId::kAnnotation) {
    return collector_.start(id, attributes) ? Flow::kEnter : Flow::kSkip;
  }
  const Rule& rule = ruleFor(id);
  if (rule.start == nullptr) return Flow::kSkip;
  if ((rule.parents & bit(context.parent)) == 0) {
    failAt(context.position, std::string(elementName(id)) + " is not allowed inside " +
                                 std::string(elementName(context.parent)));
  }
  return (this->*rule.start)(attributes, context);
}

void ModelBuilder::end(ElementId id) {
  if (collecting_) {
    if (id != ElementId::kAnnotation) {
      collector_.end(id);
      return;
    }
    collecting_ = false;
    annotations_.push_back(collector_.finish());
    return;
  }
  const Rule& rule = ruleFor(id);
  if (rule.end != nullptr) (this->*rule.end)();
}

Flow ModelBuilder::onEdmx(const Attributes& a, const ElementContext& c) {
  model_.edmxVersion = required(a, AttrId::kVersion, ElementId::kEdmx, c.position);
  const bool v4 = model_.edmxVersion == "4.0" || model_.edmxVersion == "4.01";
  if (!v4 && model_.edmxVersion != "1.0") {
    failAt(c.position,
           "unsupported EDMX Version '" + model_.edmxVersion + "' (expected 1.0, 4.0 or 4.01)");
  }
  if (v4 != (c.ns == XmlNamespace::kEdmxV4)) {
    failAt(c.position,
           "EDMX Version '" + model_.edmxVersion + "' does not match the edmx namespace");
  }
  return Flow::kEnter;
}

Flow ModelBuilder::onDataServices(const Attributes& a, const ElementContext&) {
  model_.dataServiceVersion = a.get(AttrId::kMDataServiceVersion);
  model_.maxDataServiceVersion = a.get(AttrId::kMMaxDataServiceVersion);
  return Flow::kEnter;
}

Flow ModelBuilder::onReference(const Attributes& a, const ElementContext&) {
  referenceUri_ = a.get(AttrId::kUri);
  return Flow::kEnter;
}

Flow ModelBuilder::onInclude(const Attributes& a, const ElementContext& c) {
  ReferenceInclude include{
      referenceUri_, std::string(required(a, AttrId::kNamespace, ElementId::kInclude, c.position)),
      std::string(a.get(AttrId::kAlias))};
  if (!include.alias.empty()) namespacesByAlias_[include.alias] = include.namespaceName;
  model_.references.push_back(std::move(include));
  return Flow::kSkip;
}

Flow ModelBuilder::onSchema(const Attributes& a, const ElementContext& c) {
  if (csdlNamespace_ == XmlNamespace::kNone) csdlNamespace_ = c.ns;
  Schema& schema = model_.schemas.emplace_back();
  schema.namespaceName = required(a, AttrId::kNamespace, ElementId::kSchema, c.position);
  schema.alias = a.get(AttrId::kAlias);
  if (!schema.alias.empty()) namespacesByAlias_[schema.alias] = schema.namespaceName;
  schema_ = &schema;
  return Flow::kEnter;
}

void ModelBuilder::readStructuredType(StructuredType& type, const Attributes& a,
                                      const ElementContext& c) {
  type.position = c.position;
  type.fullName = qualified(schema_->namespaceName, type.name);
  type.baseTypeName = a.get(AttrId::kBaseType);
  type.abstract = boolean(a, AttrId::kAbstract, false, c.position);
  type.openType = boolean(a, AttrId::kOpenType, false, c.position);
  type.label = a.get(AttrId::kSapLabel);
  structured_ = &type;
}

Flow ModelBuilder::onEntityType(const Attributes& a, const ElementContext& c) {
  EntityType& type = schema_->entityTypes.emplace_back();
  type.kind = TypeKind::kEntity;
  type.name = identifier(a, ElementId::kEntityType, c.position);
  readStructuredType(type, a, c);
  type.hasStream = boolean(a, AttrId::kHasStream, false, c.position) ||
                   boolean(a, AttrId::kMHasStream, false, c.position);
  entity_ = &type;
  return Flow::kEnter;
}

Flow ModelBuilder::onComplexType(const Attributes& a, const ElementContext& c) {
  ComplexType& type = schema_->complexTypes.emplace_back();
  type.kind = TypeKind::kComplex;
  type.name = identifier(a, ElementId::kComplexType, c.position);
  readStructuredType(type, a, c);
  entity_ = nullptr;
  return Flow::kEnter;
}

Flow ModelBuilder::onEnumType(const Attributes& a, const ElementContext& c) {
  EnumType& type = schema_->enumTypes.emplace_back();
  type.kind = TypeKind::kEnum;
  type.name = identifier(a, ElementId::kEnumType, c.position);
  type.fullName = qualified(schema_->namespaceName, type.name);
  type.position = c.position;
  type.flags = boolean(a, AttrId::kIsFlags, false, c.position);
  if (a.has(AttrId::kUnderlyingType)) {
    type.underlying = primitiveKindFromName(a.get(AttrId::kUnderlyingType));
    const PrimitiveKind u = type.underlying;
    if (u != PrimitiveKind::kByte && u != PrimitiveKind::kSByte && u != PrimitiveKind::kInt16 &&
        u != PrimitiveKind::kInt32 && u != PrimitiveKind::kInt64) {
      failAt(c.position, "EnumType '" + type.name + "' has UnderlyingType '" +
                             std::string(a.get(AttrId::kUnderlyingType)) +
                             "'; it must be Edm.Byte, SByte, Int16, Int32 or Int64");
    }
  }
  enum_ = &type;
  return Flow::kEnter;
}

Flow ModelBuilder::onMember(const Attributes& a, const ElementContext& c) {
  EnumMember member;
  member.name = identifier(a, ElementId::kMember, c.position);
  if (a.has(AttrId::kValue)) {
    member.value = integer(a.get(AttrId::kValue), AttrId::kValue, c.position);
  } else if (!enum_->members.empty()) {
    member.value = enum_->members.back().value + 1;
  }
  enum_->members.push_back(std::move(member));
  return Flow::kEnter;
}

Flow ModelBuilder::onTypeDefinition(const Attributes& a, const ElementContext& c) {
  TypeDefinition& type = schema_->typeDefinitions.emplace_back();
  type.kind = TypeKind::kTypeDefinition;
  type.name = identifier(a, ElementId::kTypeDefinition, c.position);
  type.fullName = qualified(schema_->namespaceName, type.name);
  type.position = c.position;
  type.underlying =
      typeReference(required(a, AttrId::kUnderlyingType, ElementId::kTypeDefinition, c.position),
                    AttrId::kUnderlyingType, c.position);
  type.facets = facets(a, c.position);
  return Flow::kEnter;
}

Flow ModelBuilder::onStructural(const Attributes&, const ElementContext&) { return Flow::kEnter; }

Flow ModelBuilder::onPropertyRef(const Attributes& a, const ElementContext& c) {
  std::string name(required(a, AttrId::kName, ElementId::kPropertyRef, c.position));
  if (c.parent == ElementId::kKey) {
    entity_->declaredKey.push_back(
        {std::move(name), std::string(a.get(AttrId::kAlias)), c.position});
  } else {
    (inDependent_ ? dependentProperties_ : principalProperties_).push_back(std::move(name));
  }
  return Flow::kEnter;
}

Flow ModelBuilder::onProperty(const Attributes& a, const ElementContext& c) {
  Property& p = properties_.emplace_back();
  p.name = identifier(a, ElementId::kProperty, c.position);
  p.position = c.position;
  p.type = typeReference(required(a, AttrId::kType, ElementId::kProperty, c.position),
                         AttrId::kType, c.position);
  p.nullable = boolean(a, AttrId::kNullable, true, c.position);
  p.facets = facets(a, c.position);
  if (a.has(AttrId::kDefaultValue)) p.defaultValue = std::string(a.get(AttrId::kDefaultValue));
  p.annotations.concurrencyToken = a.get(AttrId::kConcurrencyMode) == "Fixed";
  p.annotations.creatable = optionalBoolean(a, AttrId::kSapCreatable, c.position);
  p.annotations.updatable = optionalBoolean(a, AttrId::kSapUpdatable, c.position);
  p.annotations.filterable = optionalBoolean(a, AttrId::kSapFilterable, c.position);
  p.annotations.label = a.get(AttrId::kSapLabel);
  property_ = &p;
  return Flow::kEnter;
}

Flow ModelBuilder::onNavigationProperty(const Attributes& a, const ElementContext& c) {
  NavigationProperty& n = navigationProperties_.emplace_back();
  n.name = identifier(a, ElementId::kNavigationProperty, c.position);
  n.position = c.position;
  if (a.has(AttrId::kRelationship)) {
    n.relationship = a.get(AttrId::kRelationship);
    n.fromRole = required(a, AttrId::kFromRole, ElementId::kNavigationProperty, c.position);
    n.toRole = required(a, AttrId::kToRole, ElementId::kNavigationProperty, c.position);
  } else {
    n.type = typeReference(required(a, AttrId::kType, ElementId::kNavigationProperty, c.position),
                           AttrId::kType, c.position);
    n.nullable = boolean(a, AttrId::kNullable, true, c.position);
    n.partner = a.get(AttrId::kPartner);
    n.containsTarget = boolean(a, AttrId::kContainsTarget, false, c.position);
  }
  navigation_ = &n;
  return Flow::kEnter;
}

namespace {

// Moves the gathered items into `target` with an exact allocation and empties `scratch`.
template <typename T>
void moveInto(std::vector<T>& target, std::vector<T>& scratch) {
  target.reserve(target.size() + scratch.size());
  std::move(scratch.begin(), scratch.end(), std::back_inserter(target));
  scratch.clear();
}

}  // namespace

void ModelBuilder::endStructuredType() {
  moveInto(structured_->properties, properties_);
  moveInto(structured_->navigationProperties, navigationProperties_);
}

void ModelBuilder::endOperation() {
  if (operation_ != nullptr) moveInto(operation_->parameters, parameters_);
}

Flow ModelBuilder::onReferentialConstraint(const Attributes& a, const ElementContext& c) {
  if (c.parent == ElementId::kNavigationProperty) {
    navigation_->constraints.push_back(
        {std::string(required(a, AttrId::kProperty, ElementId::kReferentialConstraint, c.position)),
         std::string(required(a, AttrId::kReferencedProperty, ElementId::kReferentialConstraint,
                              c.position))});
  }
  principalProperties_.clear();
  dependentProperties_.clear();
  return Flow::kEnter;
}

Flow ModelBuilder::onPrincipal(const Attributes& a, const ElementContext& c) {
  inDependent_ = false;
  association_->principalRole = required(a, AttrId::kRole, ElementId::kPrincipal, c.position);
  return Flow::kEnter;
}

Flow ModelBuilder::onDependent(const Attributes& a, const ElementContext& c) {
  inDependent_ = true;
  association_->dependentRole = required(a, AttrId::kRole, ElementId::kDependent, c.position);
  return Flow::kEnter;
}

void ModelBuilder::endReferentialConstraint() {
  inDependent_ = false;
  if (association_ == nullptr) return;
  for (std::size_t i = 0; i < principalProperties_.size() && i < dependentProperties_.size(); ++i) {
    association_->constraints.push_back({dependentProperties_[i], principalProperties_[i]});
  }
  principalProperties_.clear();
  dependentProperties_.clear();
}

Flow ModelBuilder::onOnDelete(const Attributes& a, const ElementContext& c) {
  if (c.parent == ElementId::kEnd && associationEnds_ > 0) {
    association_->ends[associationEnds_ - 1].cascadeDelete = a.get(AttrId::kAction) == "Cascade";
  }
  return Flow::kEnter;
}

Flow ModelBuilder::onAssociation(const Attributes& a, const ElementContext& c) {
  Association& association = schema_->associations.emplace_back();
  association.name = identifier(a, ElementId::kAssociation, c.position);
  association.fullName = qualified(schema_->namespaceName, association.name);
  association.position = c.position;
  association_ = &association;
  associationEnds_ = 0;
  principalProperties_.clear();
  dependentProperties_.clear();
  return Flow::kEnter;
}

void ModelBuilder::endAssociation() {
  endReferentialConstraint();
  if (associationEnds_ != 2) {
    failAt(association_->position, "Association '" + association_->name + "' has " +
                                       std::to_string(associationEnds_) + " End elements, not 2");
  }
  association_ = nullptr;
}

Flow ModelBuilder::onEnd(const Attributes& a, const ElementContext& c) {
  std::string role(required(a, AttrId::kRole, ElementId::kEnd, c.position));
  if (c.parent == ElementId::kAssociationSet) {
    if (associationSetEnds_ >= 2)
      failAt(c.position, "AssociationSet has more than two End elements");
    associationSet_->roles[associationSetEnds_] = std::move(role);
    associationSet_->entitySets[associationSetEnds_++] =
        required(a, AttrId::kEntitySet, ElementId::kEnd, c.position);
    return Flow::kEnter;
  }
  if (associationEnds_ >= 2) {
    failAt(c.position, "Association '" + association_->name + "' has more than two End elements");
  }
  AssociationEnd& end = association_->ends[associationEnds_++];
  end.role = std::move(role);
  end.type = typeReference(required(a, AttrId::kType, ElementId::kEnd, c.position), AttrId::kType,
                           c.position);
  end.multiplicity =
      multiplicity(required(a, AttrId::kMultiplicity, ElementId::kEnd, c.position), c.position);
  return Flow::kEnter;
}

}  // namespace broker::edm::internal
