// The service-object model (API.md §1–2): typed properties and methods, grouped in folders.
// Built once per catalog and immutable afterwards.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace broker::edm {
struct Operation;
}  // namespace broker::edm

namespace serviceobjects {

/// Property types a workflow sees.
enum class SoType : std::uint8_t {
  kText,
  kMemo,
  kNumber,
  kDecimal,
  kYesNo,
  kDateTime,
  kDate,
  kTime,
  kGuid,
  kFile,
  kHyperLink,
};

std::string_view toString(SoType type) noexcept;

enum class Folder : std::uint8_t { kEntities, kOperations, kObjectTypes };

std::string_view toString(Folder folder) noexcept;

enum class MethodType : std::uint8_t {
  kList,
  kLoad,
  kCreate,
  kUpdate,
  kDelete,
  kExecute,
  kCreateLink,
  kDeleteLink,
  kListWithoutContent,
  kLoadWithoutContent,
  kListToSerializedItem,
  kReadToSerializedItem,
  kSerialize,
  kDeserialize,
  kSerializeArray,
  kDeserializeArray,
};

std::string_view toString(MethodType type) noexcept;

/// What an SO property stands for in the OData payload or request.
enum class PropertyRole : std::uint8_t {
  kData,             ///< a structural property (primitive, enum, or complex/collection as JSON)
  kStreamContent,    ///< media content (`Content`) or a named stream (`<Name>`)
  kStreamPath,       ///< `Content Path` / `<Name> Path`, sent as Slug
  kStreamMimeType,   ///< `Content MIME Type` / `<Name> MIME Type`, sent as Content-Type
  kETag,             ///< the entity's ETag (returned by Load, If-Match on Update/Delete)
  kNavigationKey,    ///< `Supplier/ID`: a key of a related entity
  kParameter,        ///< an operation parameter
  kReturnValue,      ///< a primitive operation result
  kSerializedItem,   ///< a complex value or collection serialized as JSON
  kQueryOptions,     ///< `Query Options`
  kRequestHeaders,   ///< `HTTP Request Headers`
  kResponseHeaders,  ///< `HTTP Response Headers`
};

std::string_view toString(PropertyRole role) noexcept;

struct Property {
  std::string name;  ///< unique within its service object
  SoType type = SoType::kText;
  std::string edmType;  ///< e.g. "Edm.Int32", "NS.Address", "Collection(Edm.String)"
  PropertyRole role = PropertyRole::kData;
  std::string source;  ///< the OData name it maps to: property, parameter, path ("Supplier/ID")
  bool key = false;
  bool nullable = true;
  std::optional<std::uint32_t> size;  ///< MaxLength
};

struct Method {
  std::string name;  ///< unique within its service object
  MethodType type = MethodType::kList;
  std::vector<std::string> inputs;    ///< property names
  std::vector<std::string> required;  ///< a subset of inputs
  std::vector<std::string> returns;   ///< property names
  std::string navigation;             ///< CreateLink/DeleteLink: the navigation property
};

/// What a service object was derived from, for the engine.
struct Source {
  std::string entitySet;  ///< entity set or singleton
  bool singleton = false;
  std::string operation;           ///< operation (import) name as the service knows it
  std::string qualifiedOperation;  ///< V4 Namespace.Name for bound operations
  std::string bindingType;         ///< bound operations: the binding entity type (qualified)
  bool bindingCollection = false;
  std::string complexType;  ///< ObjectTypes: the complex type (qualified)
  std::string httpMethod;   ///< operations: "GET" or "POST"
  /// Operations: the operation in the catalog's model (which the catalog keeps alive).
  const broker::edm::Operation* operationDefinition = nullptr;
};

struct ServiceObject {
  std::string name;  ///< unique within the catalog
  Folder folder = Folder::kEntities;
  std::string description;
  std::vector<Property> properties;
  std::vector<Method> methods;
  Source source;

  const Property* findProperty(std::string_view propertyName) const noexcept;
  const Method* findMethod(std::string_view methodName) const noexcept;
};

}  // namespace serviceobjects
