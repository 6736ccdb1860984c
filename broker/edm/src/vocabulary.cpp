// Element, attribute and namespace tables of the EDMX/CSDL vocabulary.
#include "vocabulary.h"

#include <algorithm>
#include <utility>

namespace broker::edm::internal {

namespace {

struct NamespaceEntry {
  std::u16string_view uri;
  XmlNamespace ns;
};

constexpr NamespaceEntry kNamespaces[] = {
    {u"http://schemas.microsoft.com/ado/2007/06/edmx", XmlNamespace::kEdmxV1},
    {u"http://docs.oasis-open.org/odata/ns/edmx", XmlNamespace::kEdmxV4},
    {u"http://schemas.microsoft.com/ado/2006/04/edm", XmlNamespace::kCsdlV1},
    {u"http://schemas.microsoft.com/ado/2007/05/edm", XmlNamespace::kCsdlV1},
    {u"http://schemas.microsoft.com/ado/2008/01/edm", XmlNamespace::kCsdlV1},
    {u"http://schemas.microsoft.com/ado/2008/09/edm", XmlNamespace::kCsdlV1},
    {u"http://schemas.microsoft.com/ado/2009/11/edm", XmlNamespace::kCsdlV3},
    {u"http://docs.oasis-open.org/odata/ns/edm", XmlNamespace::kCsdlV4},
    {u"http://schemas.microsoft.com/ado/2007/08/dataservices/metadata", XmlNamespace::kMetadata},
    {u"http://www.sap.com/Protocols/SAPData", XmlNamespace::kSap},
};

constexpr std::pair<std::u16string_view, ElementId> kElements[] = {
    {u"Edmx", ElementId::kEdmx},
    {u"DataServices", ElementId::kDataServices},
    {u"Reference", ElementId::kReference},
    {u"Include", ElementId::kInclude},
    {u"Schema", ElementId::kSchema},
    {u"EntityType", ElementId::kEntityType},
    {u"ComplexType", ElementId::kComplexType},
    {u"EnumType", ElementId::kEnumType},
    {u"Member", ElementId::kMember},
    {u"TypeDefinition", ElementId::kTypeDefinition},
    {u"Key", ElementId::kKey},
    {u"PropertyRef", ElementId::kPropertyRef},
    {u"Property", ElementId::kProperty},
    {u"NavigationProperty", ElementId::kNavigationProperty},
    {u"ReferentialConstraint", ElementId::kReferentialConstraint},
    {u"Principal", ElementId::kPrincipal},
    {u"Dependent", ElementId::kDependent},
    {u"OnDelete", ElementId::kOnDelete},
    {u"Association", ElementId::kAssociation},
    {u"End", ElementId::kEnd},
    {u"EntityContainer", ElementId::kEntityContainer},
    {u"EntitySet", ElementId::kEntitySet},
    {u"Singleton", ElementId::kSingleton},
    {u"AssociationSet", ElementId::kAssociationSet},
    {u"NavigationPropertyBinding", ElementId::kNavigationPropertyBinding},
    {u"FunctionImport", ElementId::kFunctionImport},
    {u"ActionImport", ElementId::kActionImport},
    {u"Function", ElementId::kFunction},
    {u"Action", ElementId::kAction},
    {u"Parameter", ElementId::kParameter},
    {u"ReturnType", ElementId::kReturnType},
    {u"Annotations", ElementId::kAnnotations},
    {u"Annotation", ElementId::kAnnotation},
    {u"Record", ElementId::kRecord},
    {u"PropertyValue", ElementId::kPropertyValue},
    {u"Collection", ElementId::kCollection},
    {u"Bool", ElementId::kBool},
    {u"String", ElementId::kString},
    {u"PropertyPath", ElementId::kPropertyPath},
};

constexpr std::pair<std::u16string_view, AttrId> kPlainAttributes[] = {
    {u"Abstract", AttrId::kAbstract},
    {u"Action", AttrId::kAction},
    {u"Alias", AttrId::kAlias},
    {u"Association", AttrId::kAssociation},
    {u"BaseType", AttrId::kBaseType},
    {u"Bool", AttrId::kBool},
    {u"ConcurrencyMode", AttrId::kConcurrencyMode},
    {u"ContainsTarget", AttrId::kContainsTarget},
    {u"DefaultValue", AttrId::kDefaultValue},
    {u"EntitySet", AttrId::kEntitySet},
    {u"EntitySetPath", AttrId::kEntitySetPath},
    {u"EntityType", AttrId::kEntityType},
    {u"Function", AttrId::kFunction},
    {u"HasStream", AttrId::kHasStream},
    {u"IncludeInServiceDocument", AttrId::kIncludeInServiceDocument},
    {u"IsBindable", AttrId::kIsBindable},
    {u"IsBound", AttrId::kIsBound},
    {u"IsComposable", AttrId::kIsComposable},
    {u"IsFlags", AttrId::kIsFlags},
    {u"IsSideEffecting", AttrId::kIsSideEffecting},
    {u"MaxLength", AttrId::kMaxLength},
    {u"Mode", AttrId::kMode},
    {u"Multiplicity", AttrId::kMultiplicity},
    {u"Name", AttrId::kName},
    {u"Namespace", AttrId::kNamespace},
    {u"Nullable", AttrId::kNullable},
    {u"OpenType", AttrId::kOpenType},
    {u"Partner", AttrId::kPartner},
    {u"Path", AttrId::kPath},
    {u"Precision", AttrId::kPrecision},
    {u"Property", AttrId::kProperty},
    {u"Qualifier", AttrId::kQualifier},
    {u"ReferencedProperty", AttrId::kReferencedProperty},
    {u"Relationship", AttrId::kRelationship},
    {u"FromRole", AttrId::kFromRole},
    {u"ToRole", AttrId::kToRole},
    {u"ReturnType", AttrId::kReturnType},
    {u"Role", AttrId::kRole},
    {u"Scale", AttrId::kScale},
    {u"SRID", AttrId::kSrid},
    {u"String", AttrId::kString},
    {u"Target", AttrId::kTarget},
    {u"Term", AttrId::kTerm},
    {u"Type", AttrId::kType},
    {u"UnderlyingType", AttrId::kUnderlyingType},
    {u"Unicode", AttrId::kUnicode},
    {u"Uri", AttrId::kUri},
    {u"Value", AttrId::kValue},
    {u"Version", AttrId::kVersion},
};

constexpr std::pair<std::u16string_view, AttrId> kMetadataAttributes[] = {
    {u"DataServiceVersion", AttrId::kMDataServiceVersion},
    {u"MaxDataServiceVersion", AttrId::kMMaxDataServiceVersion},
    {u"IsDefaultEntityContainer", AttrId::kMIsDefaultEntityContainer},
    {u"HasStream", AttrId::kMHasStream},
    {u"HttpMethod", AttrId::kMHttpMethod},
    {u"IsAlwaysBindable", AttrId::kMIsAlwaysBindable},
};

constexpr std::pair<std::u16string_view, AttrId> kSapAttributes[] = {
    {u"label", AttrId::kSapLabel},           {u"creatable", AttrId::kSapCreatable},
    {u"updatable", AttrId::kSapUpdatable},   {u"deletable", AttrId::kSapDeletable},
    {u"filterable", AttrId::kSapFilterable}, {u"requires-filter", AttrId::kSapRequiresFilter},
};

// A fixed open-addressing table from names to ids. Lookups run once per element and per
// attribute of every document, so they avoid std::hash's byte-wise hashing of UTF-16.
template <typename Value>
class NameTable {
 public:
  template <std::size_t N>
  explicit NameTable(const std::pair<std::u16string_view, Value> (&entries)[N]) {
    static_assert(N * 2 <= kSlots);
    for (const auto& [name, value] : entries) {
      std::size_t slot = hash(name);
      while (!slots_[slot].name.empty()) slot = (slot + 1) % kSlots;
      slots_[slot] = {name, value};
    }
  }

  bool find(std::u16string_view name, Value& value) const noexcept {
    for (std::size_t slot = hash(name);; slot = (slot + 1) % kSlots) {
      const Slot& s = slots_[slot];
      if (s.name.empty()) return false;
      if (s.name == name) {
        value = s.value;
        return true;
      }
    }
  }

 private:
  static constexpr std::size_t kSlots = 128;
  struct Slot {
    std::u16string_view name;
    Value value{};
  };

  static std::size_t hash(std::u16string_view name) noexcept {
    std::size_t h = name.size();
    for (char16_t c : name) h = h * 31 + c;
    return h % kSlots;
  }

  std::array<Slot, kSlots> slots_{};
};

}  // namespace

XmlNamespace classifyNamespace(std::u16string_view uri) noexcept {
  if (uri.empty()) return XmlNamespace::kNone;
  for (const NamespaceEntry& entry : kNamespaces) {
    if (entry.uri == uri) return entry.ns;
  }
  return XmlNamespace::kOther;
}

ElementId elementFromName(std::u16string_view localName) noexcept {
  static const NameTable<ElementId> table(kElements);
  ElementId id = ElementId::kUnknown;
  table.find(localName, id);
  return id;
}

std::string_view elementName(ElementId id) noexcept {
  static const auto names = [] {
    std::array<std::string, static_cast<std::size_t>(ElementId::kCount)> all;
    all[static_cast<std::size_t>(ElementId::kNone)] = "(document)";
    all[static_cast<std::size_t>(ElementId::kUnknown)] = "(unknown)";
    for (const auto& [name, element] : kElements) {
      std::string& out = all[static_cast<std::size_t>(element)];
      appendUtf8(out, name);
    }
    return all;
  }();
  return names[static_cast<std::size_t>(id)];
}

bool attributeFromName(XmlNamespace ns, std::u16string_view localName, AttrId& id) noexcept {
  static const NameTable<AttrId> plain(kPlainAttributes);
  static const NameTable<AttrId> metadata(kMetadataAttributes);
  static const NameTable<AttrId> sap(kSapAttributes);
  switch (ns) {
    case XmlNamespace::kNone:
      return plain.find(localName, id);
    case XmlNamespace::kMetadata:
      return metadata.find(localName, id);
    case XmlNamespace::kSap:
      return sap.find(localName, id);
    default:
      return false;
  }
}

std::string attributeName(AttrId id) {
  const auto find = [id](const auto& entries, std::string_view prefix, std::string& out) {
    for (const auto& [name, attribute] : entries) {
      if (attribute != id) continue;
      out.assign(prefix);
      appendUtf8(out, name);
      return true;
    }
    return false;
  };
  std::string name;
  if (find(kPlainAttributes, "", name) || find(kMetadataAttributes, "m:", name) ||
      find(kSapAttributes, "sap:", name)) {
    return name;
  }
  return "(attribute)";
}

void appendUtf8(std::string& out, std::u16string_view text) {
  // Converts through a stack buffer in chunks: names and values are nearly always short ASCII,
  // and per-byte push_back or a zero-filled resize dominated the loader's profile.
  constexpr std::size_t kChunk = 128;
  char buffer[kChunk * 3 + 4];
  std::size_t i = 0;
  while (i < text.size()) {
    char* p = buffer;
    const std::size_t end = std::min(text.size(), i + kChunk);
    for (; i < end; ++i) {
      char32_t c = text[i];
      if (c < 0x80) {
        *p++ = static_cast<char>(c);
        continue;
      }
      if (c >= 0xD800 && c <= 0xDBFF && i + 1 < text.size() && text[i + 1] >= 0xDC00 &&
          text[i + 1] <= 0xDFFF) {
        c = 0x10000 + ((c - 0xD800) << 10) + (text[i + 1] - 0xDC00);
        ++i;
      } else if (c >= 0xD800 && c <= 0xDFFF) {
        c = 0xFFFD;
      }
      if (c < 0x800) {
        *p++ = static_cast<char>(0xC0 | (c >> 6));
      } else if (c < 0x10000) {
        *p++ = static_cast<char>(0xE0 | (c >> 12));
        *p++ = static_cast<char>(0x80 | ((c >> 6) & 0x3F));
      } else {
        *p++ = static_cast<char>(0xF0 | (c >> 18));
        *p++ = static_cast<char>(0x80 | ((c >> 12) & 0x3F));
        *p++ = static_cast<char>(0x80 | ((c >> 6) & 0x3F));
      }
      *p++ = static_cast<char>(0x80 | (c & 0x3F));
    }
    out.append(buffer, static_cast<std::size_t>(p - buffer));
  }
}

}  // namespace broker::edm::internal
