// Names of the service-object enums and lookups on a service object.
#include "serviceobjects/service_object.h"

#include <array>

namespace serviceobjects {

namespace {

template <typename Enum, std::size_t N>
std::string_view nameOf(const std::array<std::string_view, N>& names, Enum value) noexcept {
  const auto index = static_cast<std::size_t>(value);
  return index < N ? names[index] : std::string_view();
}

constexpr std::array<std::string_view, 11> kSoTypes = {"Text",  "Memo",     "Number",   "Decimal",
                                                       "YesNo", "DateTime", "Date",     "Time",
                                                       "Guid",  "File",     "HyperLink"};

constexpr std::array<std::string_view, 3> kFolders = {"Entities", "Operations", "ObjectTypes"};

constexpr std::array<std::string_view, 16> kMethodTypes = {
    "List",
    "Load",
    "Create",
    "Update",
    "Delete",
    "Execute",
    "CreateLink",
    "DeleteLink",
    "ListWithoutContent",
    "LoadWithoutContent",
    "ListToSerializedItem",
    "ReadToSerializedItem",
    "Serialize",
    "Deserialize",
    "SerializeArray",
    "DeserializeArray",
};

constexpr std::array<std::string_view, 12> kRoles = {
    "data",           "streamContent", "streamPath",     "streamMimeType",
    "etag",           "navigationKey", "parameter",      "returnValue",
    "serializedItem", "queryOptions",  "requestHeaders", "responseHeaders"};

}  // namespace

std::string_view toString(SoType type) noexcept { return nameOf(kSoTypes, type); }
std::string_view toString(Folder folder) noexcept { return nameOf(kFolders, folder); }
std::string_view toString(MethodType type) noexcept { return nameOf(kMethodTypes, type); }
std::string_view toString(PropertyRole role) noexcept { return nameOf(kRoles, role); }

const Property* ServiceObject::findProperty(std::string_view propertyName) const noexcept {
  for (const Property& property : properties) {
    if (property.name == propertyName) return &property;
  }
  return nullptr;
}

const Method* ServiceObject::findMethod(std::string_view methodName) const noexcept {
  for (const Method& method : methods) {
    if (method.name == methodName) return &method;
  }
  return nullptr;
}

}  // namespace serviceobjects
