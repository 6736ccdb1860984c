// Builds the raw EDM model from the element events of one SAX pass. Knows nothing of Xerces:
// it receives element ids, UTF-8 attributes and positions. Type references stay unresolved
// (as written) until ModelResolver runs.
#pragma once

#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "annotation_collector.h"
#include "broker/edm/model.h"
#include "vocabulary.h"

namespace broker::edm::internal {

/// Where the current element sits and what namespace it is in.
struct ElementContext {
  ElementId parent = ElementId::kNone;
  XmlNamespace ns = XmlNamespace::kNone;
  SourcePosition position;
};

/// Whether the SAX glue should walk into the element or skip its whole subtree.
enum class Flow : bool { kEnter, kSkip };

/// [[noreturn]] Throws core::Error(kInvalidArgument) "invalid metadata at line L, column C: …".
[[noreturn]] void failAt(SourcePosition position, const std::string& message);

class ModelBuilder {
 public:
  explicit ModelBuilder(Model& model) : model_(model) {}

  /// Handles an element start. Throws core::Error for an element in a place CSDL does not allow
  /// or a bad attribute value.
  Flow start(ElementId id, const Attributes& attributes, const ElementContext& context);
  void end(ElementId id);
  void text(std::string_view chunk) { collector_.text(chunk); }
  bool wantsText() const noexcept { return collecting_ && collector_.wantsText(); }

  /// The CSDL namespace of the first Schema (tells V2 from V3 when no version is declared).
  XmlNamespace csdlNamespace() const noexcept { return csdlNamespace_; }
  std::vector<PendingAnnotation>& annotations() noexcept { return annotations_; }

  // Element handlers, dispatched through the rule table in model_builder.cpp.
  Flow onEdmx(const Attributes& a, const ElementContext& c);
  Flow onDataServices(const Attributes& a, const ElementContext& c);
  Flow onReference(const Attributes& a, const ElementContext& c);
  Flow onInclude(const Attributes& a, const ElementContext& c);
  Flow onSchema(const Attributes& a, const ElementContext& c);
  Flow onEntityType(const Attributes& a, const ElementContext& c);
  Flow onComplexType(const Attributes& a, const ElementContext& c);
  Flow onEnumType(const Attributes& a, const ElementContext& c);
  Flow onMember(const Attributes& a, const ElementContext& c);
  Flow onTypeDefinition(const Attributes& a, const ElementContext& c);
  Flow onPropertyRef(const Attributes& a, const ElementContext& c);
  Flow onProperty(const Attributes& a, const ElementContext& c);
  Flow onNavigationProperty(const Attributes& a, const ElementContext& c);
  Flow onReferentialConstraint(const Attributes& a, const ElementContext& c);
  Flow onPrincipal(const Attributes& a, const ElementContext& c);
  Flow onDependent(const Attributes& a, const ElementContext& c);
  Flow onOnDelete(const Attributes& a, const ElementContext& c);
  Flow onAssociation(const Attributes& a, const ElementContext& c);
  Flow onEnd(const Attributes& a, const ElementContext& c);
  Flow onEntityContainer(const Attributes& a, const ElementContext& c);
  Flow onEntitySet(const Attributes& a, const ElementContext& c);
  Flow onSingleton(const Attributes& a, const ElementContext& c);
  Flow onAssociationSet(const Attributes& a, const ElementContext& c);
  Flow onNavigationPropertyBinding(const Attributes& a, const ElementContext& c);
  Flow onFunctionImport(const Attributes& a, const ElementContext& c);
  Flow onActionImport(const Attributes& a, const ElementContext& c);
  Flow onFunction(const Attributes& a, const ElementContext& c);
  Flow onAction(const Attributes& a, const ElementContext& c);
  Flow onParameter(const Attributes& a, const ElementContext& c);
  Flow onReturnType(const Attributes& a, const ElementContext& c);
  Flow onAnnotations(const Attributes& a, const ElementContext& c);
  Flow onAnnotation(const Attributes& a, const ElementContext& c);
  Flow onAnnotationValue(const Attributes& a, const ElementContext& c);
  Flow onStructural(const Attributes& a, const ElementContext& c);  // Key

  void endStructuredType();
  void endOperation();
  void endReferentialConstraint();
  void endAssociation();

 private:
  std::string inlineAnnotationTarget(ElementId parent) const;
  std::string qualifyTerm(std::string_view term) const;
  void readStructuredType(StructuredType& type, const Attributes& a, const ElementContext& c);
  void beginServiceOperation(const Attributes& a, const ElementContext& c);
  void beginEntitySet(const Attributes& a, const ElementContext& c, bool singleton);
  void beginOperation(const Attributes& a, const ElementContext& c, OperationKind kind);

  Model& model_;
  XmlNamespace csdlNamespace_ = XmlNamespace::kNone;
  std::unordered_map<std::string, std::string> namespacesByAlias_;
  std::string referenceUri_;

  // The innermost open element of each kind; each points at the back of its vector, which
  // does not grow while the element is open. Properties, navigation properties and parameters
  // gather in the scratch vectors below while their type or operation is open, and move into
  // it, sized exactly, at its end.
  Schema* schema_ = nullptr;
  StructuredType* structured_ = nullptr;
  EntityType* entity_ = nullptr;
  EnumType* enum_ = nullptr;
  Property* property_ = nullptr;
  NavigationProperty* navigation_ = nullptr;
  Association* association_ = nullptr;
  std::size_t associationEnds_ = 0;
  EntityContainer* container_ = nullptr;
  EntitySet* entitySet_ = nullptr;
  AssociationSet* associationSet_ = nullptr;
  std::size_t associationSetEnds_ = 0;
  Operation* operation_ = nullptr;
  std::vector<Property> properties_;
  std::vector<NavigationProperty> navigationProperties_;
  std::vector<Parameter> parameters_;

  // V2/V3 ReferentialConstraint: the Principal and Dependent PropertyRefs, paired at its end.
  bool inDependent_ = false;
  std::vector<std::string> principalProperties_;
  std::vector<std::string> dependentProperties_;

  std::string annotationsTarget_;
  bool collecting_ = false;
  AnnotationCollector collector_;
  std::vector<PendingAnnotation> annotations_;
};

}  // namespace broker::edm::internal
