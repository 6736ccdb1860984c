// Model builder handlers for entity containers, operations and annotations.
#include <string>

#include "attribute_values.h"
#include "model_builder.h"

namespace broker::edm::internal {

namespace {

// Aliases every service document may use without declaring them.
constexpr std::pair<std::string_view, std::string_view> kConventionalAliases[] = {
    {"Core", "Org.OData.Core.V1"},
    {"Capabilities", "Org.OData.Capabilities.V1"},
};

}  // namespace

Flow ModelBuilder::onEntityContainer(const Attributes& a, const ElementContext& c) {
  EntityContainer& container = schema_->containers.emplace_back();
  container.name = identifier(a, ElementId::kEntityContainer, c.position);
  container.fullName = schema_->namespaceName + "." + container.name;
  container.isDefault = boolean(a, AttrId::kMIsDefaultEntityContainer, false, c.position);
  container.position = c.position;
  container_ = &container;
  return Flow::kEnter;
}

Flow ModelBuilder::onEntitySet(const Attributes& a, const ElementContext& c) {
  beginEntitySet(a, c, false);
  return Flow::kEnter;
}

Flow ModelBuilder::onSingleton(const Attributes& a, const ElementContext& c) {
  beginEntitySet(a, c, true);
  return Flow::kEnter;
}

void ModelBuilder::beginEntitySet(const Attributes& a, const ElementContext& c, bool singleton) {
  EntitySet& set = container_->entitySets.emplace_back();
  const ElementId element = singleton ? ElementId::kSingleton : ElementId::kEntitySet;
  set.name = identifier(a, element, c.position);
  set.singleton = singleton;
  set.position = c.position;
  const AttrId typeAttr = singleton ? AttrId::kType : AttrId::kEntityType;
  set.entityType = typeReference(required(a, typeAttr, element, c.position), typeAttr, c.position);
  set.includeInServiceDocument = boolean(a, AttrId::kIncludeInServiceDocument, true, c.position);
  EntitySetAnnotations& n = set.annotations;
  n.insertable = optionalBoolean(a, AttrId::kSapCreatable, c.position);
  n.updatable = optionalBoolean(a, AttrId::kSapUpdatable, c.position);
  n.deletable = optionalBoolean(a, AttrId::kSapDeletable, c.position);
  n.requiresFilter = boolean(a, AttrId::kSapRequiresFilter, false, c.position);
  n.label = a.get(AttrId::kSapLabel);
  entitySet_ = &set;
}

Flow ModelBuilder::onAssociationSet(const Attributes& a, const ElementContext& c) {
  AssociationSet& set = container_->associationSets.emplace_back();
  set.name = identifier(a, ElementId::kAssociationSet, c.position);
  set.associationName = required(a, AttrId::kAssociation, ElementId::kAssociationSet, c.position);
  set.position = c.position;
  associationSet_ = &set;
  associationSetEnds_ = 0;
  return Flow::kEnter;
}

Flow ModelBuilder::onNavigationPropertyBinding(const Attributes& a, const ElementContext& c) {
  entitySet_->navigationBindings.push_back(
      {std::string(required(a, AttrId::kPath, ElementId::kNavigationPropertyBinding, c.position)),
       std::string(
           required(a, AttrId::kTarget, ElementId::kNavigationPropertyBinding, c.position))});
  return Flow::kEnter;
}

void ModelBuilder::beginServiceOperation(const Attributes& a, const ElementContext& c) {
  Operation& op = container_->serviceOperations.emplace_back();
  op.kind = OperationKind::kServiceOperation;
  op.name = identifier(a, ElementId::kFunctionImport, c.position);
  op.fullName = container_->name + "." + op.name;
  op.position = c.position;
  op.httpMethod = httpMethod(a.get(AttrId::kMHttpMethod), c.position);
  op.sideEffecting =
      boolean(a, AttrId::kIsSideEffecting, op.httpMethod != HttpMethod::kGet, c.position);
  op.bound = boolean(a, AttrId::kIsBindable, false, c.position);
  op.composable = boolean(a, AttrId::kIsComposable, false, c.position);
  op.entitySet = a.get(AttrId::kEntitySet);
  op.label = a.get(AttrId::kSapLabel);
  if (a.has(AttrId::kReturnType)) {
    op.returnType = typeReference(a.get(AttrId::kReturnType), AttrId::kReturnType, c.position);
  }
  operation_ = &op;

  OperationImport& import = container_->operationImports.emplace_back();
  import.name = op.name;
  import.kind = OperationKind::kServiceOperation;
  import.operationName = op.fullName;
  import.entitySet = op.entitySet;
  import.includeInServiceDocument = true;
  import.position = c.position;
}

Flow ModelBuilder::onFunctionImport(const Attributes& a, const ElementContext& c) {
  if (c.ns != XmlNamespace::kCsdlV4) {
    beginServiceOperation(a, c);
    return Flow::kEnter;
  }
  OperationImport& import = container_->operationImports.emplace_back();
  import.name = identifier(a, ElementId::kFunctionImport, c.position);
  import.kind = OperationKind::kFunction;
  import.operationName = required(a, AttrId::kFunction, ElementId::kFunctionImport, c.position);
  import.entitySet = a.get(AttrId::kEntitySet);
  import.includeInServiceDocument =
      boolean(a, AttrId::kIncludeInServiceDocument, false, c.position);
  import.position = c.position;
  operation_ = nullptr;
  return Flow::kEnter;
}

Flow ModelBuilder::onActionImport(const Attributes& a, const ElementContext& c) {
  OperationImport& import = container_->operationImports.emplace_back();
  import.name = identifier(a, ElementId::kActionImport, c.position);
  import.kind = OperationKind::kAction;
  import.operationName = required(a, AttrId::kAction, ElementId::kActionImport, c.position);
  import.entitySet = a.get(AttrId::kEntitySet);
  import.position = c.position;
  return Flow::kEnter;
}

Flow ModelBuilder::onFunction(const Attributes& a, const ElementContext& c) {
  beginOperation(a, c, OperationKind::kFunction);
  return Flow::kEnter;
}

Flow ModelBuilder::onAction(const Attributes& a, const ElementContext& c) {
  beginOperation(a, c, OperationKind::kAction);
  operation_->sideEffecting = true;
  return Flow::kEnter;
}

void ModelBuilder::beginOperation(const Attributes& a, const ElementContext& c,
                                  OperationKind kind) {
  Operation& op = schema_->operations.emplace_back();
  op.kind = kind;
  op.name = identifier(
      a, kind == OperationKind::kAction ? ElementId::kAction : ElementId::kFunction, c.position);
  op.fullName = schema_->namespaceName + "." + op.name;
  op.position = c.position;
  op.bound = boolean(a, AttrId::kIsBound, false, c.position);
  op.composable = boolean(a, AttrId::kIsComposable, false, c.position);
  op.entitySetPath = a.get(AttrId::kEntitySetPath);
  operation_ = &op;
}

Flow ModelBuilder::onParameter(const Attributes& a, const ElementContext& c) {
  if (operation_ == nullptr) return Flow::kSkip;  // a V4 FunctionImport has no parameters
  Parameter& p = parameters_.emplace_back();
  p.name = identifier(a, ElementId::kParameter, c.position);
  p.type = typeReference(required(a, AttrId::kType, ElementId::kParameter, c.position),
                         AttrId::kType, c.position);
  p.nullable = boolean(a, AttrId::kNullable, true, c.position);
  p.facets = facets(a, c.position);
  p.mode = a.get(AttrId::kMode);
  p.position = c.position;
  return Flow::kEnter;
}

Flow ModelBuilder::onReturnType(const Attributes& a, const ElementContext& c) {
  if (operation_ == nullptr) return Flow::kSkip;
  operation_->returnType = typeReference(
      required(a, AttrId::kType, ElementId::kReturnType, c.position), AttrId::kType, c.position);
  operation_->returnNullable = boolean(a, AttrId::kNullable, true, c.position);
  return Flow::kEnter;
}

Flow ModelBuilder::onAnnotations(const Attributes& a, const ElementContext& c) {
  annotationsTarget_ = required(a, AttrId::kTarget, ElementId::kAnnotations, c.position);
  return Flow::kEnter;
}

std::string ModelBuilder::qualifyTerm(std::string_view term) const {
  const std::size_t dot = term.rfind('.');
  if (dot == std::string_view::npos) return std::string(term);
  const std::string prefix(term.substr(0, dot));
  std::string ns = prefix;
  if (auto it = namespacesByAlias_.find(prefix); it != namespacesByAlias_.end()) {
    ns = it->second;
  } else {
    for (const auto& [alias, namespaceName] : kConventionalAliases) {
      if (alias == prefix) ns = namespaceName;
    }
  }
  return ns + std::string(term.substr(dot));
}

std::string ModelBuilder::inlineAnnotationTarget(ElementId parent) const {
  switch (parent) {
    case ElementId::kEntityType:
    case ElementId::kComplexType:
      return structured_->fullName;
    case ElementId::kProperty:
      return structured_->fullName + "/" + property_->name;
    case ElementId::kNavigationProperty:
      return structured_->fullName + "/" + navigation_->name;
    case ElementId::kEntitySet:
    case ElementId::kSingleton:
      return container_->fullName + "/" + entitySet_->name;
    case ElementId::kEntityContainer:
      return container_->fullName;
    case ElementId::kAnnotations:
      return annotationsTarget_;
    default:
      return {};
  }
}

Flow ModelBuilder::onAnnotation(const Attributes& a, const ElementContext& c) {
  // Annotations of annotations, and qualified (alternative) ones, are never acted on.
  if (collecting_ || a.has(AttrId::kQualifier)) return Flow::kSkip;
  Term term{};
  const std::string_view written = a.get(AttrId::kTerm);
  if (!mayBeKeptTerm(written) || !termFromName(qualifyTerm(written), term)) return Flow::kSkip;
  std::string target = inlineAnnotationTarget(c.parent);
  if (target.empty()) return Flow::kSkip;
  PendingAnnotation annotation;
  annotation.target = std::move(target);
  annotation.term = term;
  annotation.position = c.position;
  collector_.begin(std::move(annotation), a);
  collecting_ = true;
  return Flow::kEnter;
}

Flow ModelBuilder::onAnnotationValue(const Attributes&, const ElementContext&) {
  return Flow::kSkip;  // only reached outside a kept annotation
}

}  // namespace broker::edm::internal
