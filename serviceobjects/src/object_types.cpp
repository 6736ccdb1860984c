// ObjectTypes: a complex value's properties, its serialized form (a JSON object) and arrays of
// them (a JSON array), with the four serialization methods.
#include "object_types.h"

#include "object_builder.h"

namespace serviceobjects::internal {

namespace {

namespace edm = broker::edm;
using R = PropertyRole;

// Serialize takes the flat values; Deserialize returns everything. SerializeArray appends an
// item to a serialized array; DeserializeArray returns one row per item.
void addSerializationMethods(ObjectBuilder& b, const std::vector<std::string>& serializeInputs,
                             const std::vector<std::string>& all, const std::string& typeName) {
  const std::string item =
      b.add({"Serialized Item", SoType::kMemo, typeName, R::kSerializedItem, "", false, true, {}});
  const std::string array = b.add({"Serialized Array",
                                   SoType::kMemo,
                                   "Collection(" + typeName + ")",
                                   R::kSerializedItem,
                                   "",
                                   false,
                                   true,
                                   {}});
  b.define(MethodType::kSerialize, serializeInputs, {}, {item});
  b.define(MethodType::kDeserialize, {item}, {item}, all);
  std::vector<std::string> arrayInputs = serializeInputs;
  arrayInputs.insert(arrayInputs.begin(), array);
  b.define(MethodType::kSerializeArray, arrayInputs, {}, {array});
  b.define(MethodType::kDeserializeArray, {array}, {array}, all);
}

}  // namespace

ServiceObject buildComplexObject(const edm::ComplexType& type, const config::ServiceKeys& keys) {
  ObjectBuilder b(Folder::kObjectTypes, keys);
  b.object().name = type.name;
  b.object().description = type.label;
  b.object().source.complexType = type.fullName;
  const std::vector<std::string> all = b.addStructuralProperties(type, {});
  std::vector<std::string> serializeInputs;
  for (const Property& p : b.object().properties) {
    // Nested complex values and collections are not serialized from flat inputs unless asked.
    const bool flat = p.type != SoType::kMemo || p.role != R::kData ||
                      (!p.edmType.starts_with("Collection(") && p.edmType.starts_with("Edm."));
    if (flat || keys.includeNonSerializedProperties) serializeInputs.push_back(p.name);
  }
  addSerializationMethods(b, serializeInputs, all, type.fullName);
  return b.finish();
}

ServiceObject buildHttpHeaderObject(const config::ServiceKeys& keys) {
  ObjectBuilder b(Folder::kObjectTypes, keys);
  b.object().name = "HttpHeader";
  b.object().description = "An HTTP header (name and value), for header list properties.";
  const std::vector<std::string> all = {
      b.add({"Name", SoType::kText, "Edm.String", R::kData, "Name", false, false, {}}),
      b.add({"Value", SoType::kText, "Edm.String", R::kData, "Value", false, true, {}})};
  addSerializationMethods(b, all, all, "HttpHeader");
  return b.finish();
}

}  // namespace serviceobjects::internal
