// The immutable EDM model of one service: schemas with their types, containers and operations,
// every type reference resolved (aliases included). Built by EdmxLoader; shared as
// shared_ptr<const Model> and never changed afterwards, so any thread may read it.
#pragma once

#include <array>
#include <cstdint>
#include <deque>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "broker/edm/type_ref.h"

namespace broker::edm {

/// How many instances an association end or navigation target admits.
enum class Multiplicity : std::uint8_t { kZeroOrOne, kOne, kMany };

/// The annotations and SAP attributes a broker acts on, for properties. Others are skipped.
struct PropertyAnnotations {
  bool computed = false;              ///< Core.Computed
  bool computedDefaultValue = false;  ///< Core.ComputedDefaultValue: filled in when not given
  bool immutable = false;             ///< Core.Immutable
  bool concurrencyToken = false;   ///< V2/V3 ConcurrencyMode="Fixed" or Core.OptimisticConcurrency
  std::optional<bool> creatable;   ///< sap:creatable
  std::optional<bool> updatable;   ///< sap:updatable
  std::optional<bool> filterable;  ///< sap:filterable or Capabilities.FilterRestrictions
  std::string mediaType;           ///< Core.MediaType
  /// Core.ContentDisposition/Filename of a stream property: the property holding its file name.
  std::string fileNameProperty;
  std::string label;  ///< sap:label
};

/// The annotations and SAP attributes a broker acts on, for entity sets and singletons.
struct EntitySetAnnotations {
  std::optional<bool> insertable;  ///< Capabilities.InsertRestrictions or sap:creatable
  std::optional<bool> updatable;   ///< Capabilities.UpdateRestrictions or sap:updatable
  std::optional<bool> deletable;   ///< Capabilities.DeleteRestrictions or sap:deletable
  std::optional<bool> filterable;  ///< Capabilities.FilterRestrictions
  bool requiresFilter = false;     ///< FilterRestrictions/RequiresFilter, sap:requires-filter
  std::vector<std::string> nonFilterableProperties;
  /// Core.OptimisticConcurrency: writes need an ETag; the properties may be listed or not.
  bool optimisticConcurrency = false;
  std::vector<std::string> concurrencyProperties;
  std::string label;  ///< sap:label
};

/// A structural property of an entity or complex type.
struct Property {
  std::string name;
  TypeRef type;
  bool nullable = true;
  Facets facets;
  std::optional<std::string> defaultValue;
  PropertyAnnotations annotations;
  SourcePosition position;
};

/// One pair of a referential constraint: the dependent property and the principal it refers to.
struct ReferentialConstraint {
  std::string property;
  std::string referencedProperty;
};

/// A navigation property (V4), or a V2/V3 one resolved through its Association.
struct NavigationProperty {
  std::string name;
  TypeRef type;  ///< entity type; `collection` when the target end is "many"
  bool nullable = true;
  std::string partner;  ///< V4 Partner
  bool containsTarget = false;
  std::string relationship;  ///< V2/V3 Association (qualified, as written)
  std::string fromRole;
  std::string toRole;
  std::vector<ReferentialConstraint> constraints;
  /// Multiplicity of this (source) side: from the partner (V4) or the FromRole end (V2/V3);
  /// unset when the metadata does not tell.
  std::optional<Multiplicity> sourceMultiplicity;
  const NavigationProperty* partnerProperty = nullptr;
  SourcePosition position;

  /// kMany for collections, else kZeroOrOne or kOne by nullability.
  Multiplicity multiplicity() const noexcept;
};

/// Common part of every named type in a schema.
struct SchemaType {
  TypeKind kind = TypeKind::kPrimitive;
  std::string name;
  std::string fullName;  ///< Namespace.Name
  SourcePosition position;
};

struct EnumMember {
  std::string name;
  std::int64_t value = 0;
};

struct EnumType : SchemaType {
  PrimitiveKind underlying = PrimitiveKind::kInt32;
  bool flags = false;
  std::vector<EnumMember> members;
};

struct TypeDefinition : SchemaType {
  TypeRef underlying;  ///< a primitive type
  Facets facets;
};

/// An entity or complex type: properties, navigation, inheritance.
struct StructuredType : SchemaType {
  std::string baseTypeName;                  ///< as written; empty without BaseType
  const StructuredType* baseType = nullptr;  ///< resolved base, same kind
  bool abstract = false;
  bool openType = false;
  std::vector<Property> properties;                      ///< declared on this type only
  std::vector<NavigationProperty> navigationProperties;  ///< declared on this type only
  std::string label;                                     ///< sap:label

  /// The property named so, declared here or on a base type; nullptr if none.
  const Property* findProperty(std::string_view propertyName) const noexcept;
  /// The navigation property named so, here or on a base type; nullptr if none.
  const NavigationProperty* findNavigationProperty(std::string_view propertyName) const noexcept;
  /// The property at a path such as "Address/Zip" (through complex properties); nullptr if
  /// the path does not resolve.
  const Property* findPropertyPath(std::string_view path) const noexcept;
  /// All properties, base types' first, in declaration order.
  std::vector<const Property*> allProperties() const;
  /// All navigation properties, base types' first.
  std::vector<const NavigationProperty*> allNavigationProperties() const;
};

struct PropertyRef {
  std::string name;  ///< a property name or, in V4, a path into a complex property
  std::string alias;
  SourcePosition position;
};

struct EntityType : StructuredType {
  std::vector<PropertyRef> declaredKey;  ///< empty when the key is inherited
  bool hasStream = false;                ///< a media entity

  /// The effective key: the declared one, else the nearest base type's; empty if none.
  const std::vector<PropertyRef>& key() const noexcept;
  const EntityType* baseEntityType() const noexcept;
};

struct ComplexType : StructuredType {};

/// An end of a V2/V3 Association.
struct AssociationEnd {
  std::string role;
  TypeRef type;
  Multiplicity multiplicity = Multiplicity::kOne;
  bool cascadeDelete = false;
};

/// V2/V3 Association: two ends and an optional referential constraint.
struct Association {
  std::string name;
  std::string fullName;
  std::array<AssociationEnd, 2> ends;
  std::string principalRole;
  std::string dependentRole;
  std::vector<ReferentialConstraint> constraints;  ///< dependent → principal property
  SourcePosition position;

  /// The end with that role; nullptr if none.
  const AssociationEnd* findEnd(std::string_view role) const noexcept;
};

struct NavigationPropertyBinding {
  std::string path;
  std::string target;
};

struct EntitySet {
  std::string name;
  TypeRef entityType;  ///< kind kEntity
  bool singleton = false;
  bool includeInServiceDocument = true;
  std::vector<NavigationPropertyBinding> navigationBindings;
  EntitySetAnnotations annotations;
  SourcePosition position;

  const EntityType& type() const noexcept;
};

/// V2/V3 AssociationSet.
struct AssociationSet {
  std::string name;
  std::string associationName;  ///< as written
  const Association* association = nullptr;
  std::array<std::string, 2> roles;
  std::array<std::string, 2> entitySets;
  SourcePosition position;
};

enum class OperationKind : std::uint8_t {
  kServiceOperation,  ///< V2/V3 FunctionImport
  kFunction,          ///< V4 Function
  kAction,            ///< V4 Action
};

enum class HttpMethod : std::uint8_t { kUnspecified, kGet, kPost, kPut, kPatch, kMerge, kDelete };

struct Parameter {
  std::string name;
  TypeRef type;
  bool nullable = true;
  Facets facets;
  std::string mode;  ///< V2/V3 In, Out, InOut
  SourcePosition position;
};

/// A V4 function or action, or the signature of a V2/V3 service operation.
struct Operation {
  OperationKind kind = OperationKind::kFunction;
  std::string name;
  std::string fullName;  ///< Namespace.Name (V4) or Container.Name (V2/V3)
  bool bound = false;    ///< the first parameter is the binding parameter
  bool composable = false;
  bool sideEffecting = false;  ///< actions, POST service operations, V3 IsSideEffecting
  std::string entitySetPath;
  std::vector<Parameter> parameters;
  std::optional<TypeRef> returnType;
  bool returnNullable = true;
  HttpMethod httpMethod = HttpMethod::kUnspecified;  ///< V2/V3 m:HttpMethod
  std::string entitySet;                             ///< V2/V3 result entity set
  std::string label;                                 ///< sap:label
  SourcePosition position;
};

/// A V4 FunctionImport/ActionImport, or a V2/V3 FunctionImport.
struct OperationImport {
  std::string name;
  OperationKind kind = OperationKind::kFunction;
  std::string operationName;                ///< V4: the qualified function or action, as written
  std::vector<const Operation*> overloads;  ///< the unbound operations it exposes
  std::string entitySet;
  bool includeInServiceDocument = false;
  SourcePosition position;
};

struct EntityContainer {
  std::string name;
  std::string fullName;  ///< Namespace.Name
  bool isDefault = false;
  std::vector<EntitySet> entitySets;  ///< entity sets and singletons
  std::vector<AssociationSet> associationSets;
  std::vector<OperationImport> operationImports;
  std::vector<Operation> serviceOperations;  ///< V2/V3: signatures behind the imports
  SourcePosition position;

  const EntitySet* findEntitySet(std::string_view setName) const noexcept;
};

struct Schema {
  std::string namespaceName;
  std::string alias;
  std::vector<EntityType> entityTypes;
  std::vector<ComplexType> complexTypes;
  std::vector<EnumType> enumTypes;
  std::vector<TypeDefinition> typeDefinitions;
  std::vector<Association> associations;
  std::vector<Operation> operations;  ///< V4 functions and actions
  std::vector<EntityContainer> containers;
};

/// An edmx:Include of an edmx:Reference: a namespace and its alias. Never fetched.
struct ReferenceInclude {
  std::string uri;
  std::string namespaceName;
  std::string alias;
};

/// One service's metadata, fully resolved. Non-copyable so that the pointers inside stay valid.
class Model {
 public:
  Model() = default;
  Model(const Model&) = delete;
  Model& operator=(const Model&) = delete;
  Model(Model&&) = default;
  Model& operator=(Model&&) = default;

  ODataVersion version = ODataVersion::kV4;
  std::string edmxVersion;  ///< Edmx/@Version: "1.0", "4.0", "4.01"
  std::string dataServiceVersion;
  std::string maxDataServiceVersion;
  std::vector<ReferenceInclude> references;
  std::vector<Schema> schemas;

  /// The type with that namespace- or alias-qualified name; nullptr if none.
  const SchemaType* findType(std::string_view qualifiedName) const noexcept;
  /// The container marked default (V2/V3), else the first one; nullptr when there is none.
  const EntityContainer* defaultContainer() const noexcept;
  /// The namespace an alias stands for (schema aliases and reference includes); the input
  /// itself when it is not an alias.
  std::string_view resolveAlias(std::string_view namespaceOrAlias) const noexcept;
  /// "Alias.Name" or "Namespace.Name" → "Namespace.Name".
  std::string qualify(std::string_view qualifiedName) const;

  /// Rebuilds the lookup tables; called by the loader once the schemas are complete.
  void index();

 private:
  std::unordered_map<std::string_view, const SchemaType*> typesByName_;  // also "Alias.Name"
  std::deque<std::string> aliasedNames_;  // keys of typesByName_ written through an alias
  std::unordered_map<std::string_view, std::string_view> namespacesByAlias_;
};

}  // namespace broker::edm
