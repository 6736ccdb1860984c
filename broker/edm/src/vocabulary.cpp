// Element, attribute and namespace tables of the EDMX/CSDL vocabulary.
#include "vocabulary.h"

#include <algorithm>
#include <cstring>
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

  /// Hashes and measures the NUL-terminated name in one pass, then compares bytes.
  bool find(const char16_t* name, Value& value) const noexcept {
    std::size_t h = 0;
    const char16_t* end = name;
    for (; *end != 0; ++end) h = mix(h, *end);
    const auto length = static_cast<std::size_t>(end - name);
    for (std::size_t slot = finish(h, length);; slot = (slot + 1) % kSlots) {
      const Slot& s = slots_[slot];
      if (s.name.empty()) return false;
      if (s.name.size() == length &&
          std::memcmp(s.name.data(), name, length * sizeof(char16_t)) == 0) {
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

  // The hash is built from these two in both places: filling the table and finding a name.
  static std::size_t mix(std::size_t h, char16_t c) noexcept { return h * 31 + c; }
  static std::size_t finish(std::size_t h, std::size_t length) noexcept {
    return (h ^ (length << 7)) % kSlots;
  }
  static std::size_t hash(std::u16string_view name) noexcept {
    std::size_t h = 0;
    for (char16_t c : name) h = mix(h, c);
    return finish(h, name.size());
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

ElementId elementFromName(const char16_t* localName) noexcept {
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

bool attributeFromName(XmlNamespace ns, const char16_t* localName, AttrId& id) noexcept {
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

namespace {

// Converts UTF-16 from `p` until `atEnd(p)` through a stack buffer in chunks: names and values
// are nearly always short ASCII, and per-byte push_back or a zero-filled resize dominated the
// loader's profile. `atEnd` tells a length-bounded view from NUL-terminated text.
template <typename AtEnd>
void convertToUtf8(std::string& out, const char16_t* p, AtEnd atEnd) {
  constexpr std::size_t kChunk = 128;
  char buffer[kChunk * 4];
  while (!atEnd(p)) {
    char* q = buffer;
    char* const full = buffer + kChunk * 4 - 4;
    while (q < full && !atEnd(p)) {
      char32_t c = *p++;
      if (c < 0x80) {
        *q++ = static_cast<char>(c);
        continue;
      }
      if (c >= 0xD800 && c <= 0xDBFF && !atEnd(p) && *p >= 0xDC00 && *p <= 0xDFFF) {
        c = 0x10000 + ((c - 0xD800) << 10) + (*p++ - 0xDC00);
      } else if (c >= 0xD800 && c <= 0xDFFF) {
        c = 0xFFFD;
      }
      if (c < 0x800) {
        *q++ = static_cast<char>(0xC0 | (c >> 6));
      } else if (c < 0x10000) {
        *q++ = static_cast<char>(0xE0 | (c >> 12));
        *q++ = static_cast<char>(0x80 | ((c >> 6) & 0x3F));
      } else {
        *q++ = static_cast<char>(0xF0 | (c >> 18));
        *q++ = static_cast<char>(0x80 | ((c >> 12) & 0x3F));
        *q++ = static_cast<char>(0x80 | ((c >> 6) & 0x3F));
      }
      *q++ = static_cast<char>(0x80 | (c & 0x3F));
    }
    out.append(buffer, static_cast<std::size_t>(q - buffer));
  }
}

}  // namespace

void appendUtf8(std::string& out, std::u16string_view text) {
  const char16_t* const end = text.data() + text.size();
  convertToUtf8(out, text.data(), [end](const char16_t* p) { return p == end; });
}

void appendUtf8(std::string& out, const char16_t* text) {
  if (text == nullptr) return;
  convertToUtf8(out, text, [](const char16_t* p) { return *p == 0; });
}

}  // namespace broker::edm::internal
