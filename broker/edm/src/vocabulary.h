// The EDMX/CSDL vocabulary the loader understands: element and attribute identifiers, the
// namespaces they live in, and the attribute values of one element (already UTF-8).
#pragma once

#include <array>
#include <bitset>
#include <cstdint>
#include <string>
#include <string_view>

namespace broker::edm::internal {

/// Appends UTF-16 text as UTF-8; unpaired surrogates become U+FFFD.
void appendUtf8(std::string& out, std::u16string_view text);
/// The same for NUL-terminated text, as Xerces hands it out (measured in the same pass).
void appendUtf8(std::string& out, const char16_t* text);

/// XML namespaces the loader tells apart.
enum class XmlNamespace : std::uint8_t {
  kNone,      // no namespace (unprefixed attributes)
  kEdmxV1,    // EDMX 1.0 (OData V1–V3)
  kEdmxV4,    // EDMX 4.0 / 4.01
  kCsdlV1,    // CSDL 2006/04, 2007/05, 2008/01, 2008/09 (V1–V2)
  kCsdlV3,    // CSDL 2009/11 (V3)
  kCsdlV4,    // CSDL 4.0
  kMetadata,  // m: (dataservices/metadata)
  kSap,       // sap: (SAPData)
  kOther,     // anything else: skipped
};

XmlNamespace classifyNamespace(std::u16string_view uri) noexcept;

inline bool isCsdl(XmlNamespace ns) noexcept {
  return ns == XmlNamespace::kCsdlV1 || ns == XmlNamespace::kCsdlV3 || ns == XmlNamespace::kCsdlV4;
}

inline bool isEdmx(XmlNamespace ns) noexcept {
  return ns == XmlNamespace::kEdmxV1 || ns == XmlNamespace::kEdmxV4;
}

/// Elements the loader acts on; everything else is kUnknown and skipped with its subtree.
enum class ElementId : std::uint8_t {
  kNone,
  kEdmx,
  kDataServices,
  kReference,
  kInclude,
  kSchema,
  kEntityType,
  kComplexType,
  kEnumType,
  kMember,
  kTypeDefinition,
  kKey,
  kPropertyRef,
  kProperty,
  kNavigationProperty,
  kReferentialConstraint,
  kPrincipal,
  kDependent,
  kOnDelete,
  kAssociation,
  kEnd,
  kEntityContainer,
  kEntitySet,
  kSingleton,
  kAssociationSet,
  kNavigationPropertyBinding,
  kFunctionImport,
  kActionImport,
  kFunction,
  kAction,
  kParameter,
  kReturnType,
  kAnnotations,
  kAnnotation,
  kRecord,
  kPropertyValue,
  kCollection,
  kBool,
  kString,
  kPropertyPath,
  kUnknown,
  kCount,
};

/// The element for a NUL-terminated local name in an EDMX or CSDL namespace; kUnknown when
/// not one.
ElementId elementFromName(const char16_t* localName) noexcept;

std::string_view elementName(ElementId id) noexcept;

/// Attributes the loader reads. Unprefixed ones first, then m: and sap: ones.
enum class AttrId : std::uint8_t {
  kAbstract,
  kAction,
  kAlias,
  kAssociation,
  kBaseType,
  kBool,
  kConcurrencyMode,
  kContainsTarget,
  kDefaultValue,
  kEntitySet,
  kEntitySetPath,
  kEntityType,
  kFunction,
  kHasStream,
  kIncludeInServiceDocument,
  kIsBindable,
  kIsBound,
  kIsComposable,
  kIsFlags,
  kIsSideEffecting,
  kMaxLength,
  kMode,
  kMultiplicity,
  kName,
  kNamespace,
  kNullable,
  kOpenType,
  kPartner,
  kPath,
  kPrecision,
  kProperty,
  kQualifier,
  kReferencedProperty,
  kRelationship,
  kFromRole,
  kToRole,
  kReturnType,
  kRole,
  kScale,
  kSrid,
  kString,
  kTarget,
  kTerm,
  kType,
  kUnderlyingType,
  kUnicode,
  kUri,
  kValue,
  kVersion,
  // m: (dataservices/metadata)
  kMDataServiceVersion,
  kMMaxDataServiceVersion,
  kMIsDefaultEntityContainer,
  kMHasStream,
  kMHttpMethod,
  kMIsAlwaysBindable,
  // sap:
  kSapLabel,
  kSapCreatable,
  kSapUpdatable,
  kSapDeletable,
  kSapFilterable,
  kSapRequiresFilter,
  kCount,
};

/// The attribute for a NUL-terminated local name in a namespace; false when the loader does not
/// read it.
bool attributeFromName(XmlNamespace ns, const char16_t* localName, AttrId& id) noexcept;

/// The attribute's name as written, e.g. "Name" or "sap:label" (for messages).
std::string attributeName(AttrId id);

/// Elements whose character content the loader reads (annotation values such as
/// <Bool>true</Bool>); text anywhere else is not recorded.
constexpr bool carriesText(ElementId id) noexcept {
  return id == ElementId::kBool || id == ElementId::kString || id == ElementId::kPropertyPath;
}

/// The attributes of the element being handled, as UTF-8 views. Reused between elements; the
/// viewed text must outlive the element's handling.
class Attributes {
 public:
  bool has(AttrId id) const noexcept { return present_.test(index(id)); }
  /// The value, or empty when absent.
  std::string_view get(AttrId id) const noexcept {
    return has(id) ? values_[index(id)] : std::string_view();
  }
  void set(AttrId id, std::string_view value) noexcept {
    present_.set(index(id));
    values_[index(id)] = value;
  }
  void clear() noexcept { present_.reset(); }

 private:
  static constexpr std::size_t index(AttrId id) noexcept { return static_cast<std::size_t>(id); }
  static constexpr std::size_t kSize = static_cast<std::size_t>(AttrId::kCount);
  std::array<std::string_view, kSize> values_{};
  std::bitset<kSize> present_;
};

}  // namespace broker::edm::internal
