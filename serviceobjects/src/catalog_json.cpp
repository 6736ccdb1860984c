// JSON form of service objects.
#include "serviceobjects/catalog_json.h"

namespace serviceobjects {

namespace {

void writeProperty(broker::core::JsonWriter& json, const Property& p) {
  json.beginObject().key("name").value(p.name).key("type").value(toString(p.type));
  json.key("edmType").value(p.edmType).key("role").value(toString(p.role));
  if (!p.source.empty()) json.key("source").value(p.source);
  json.key("key").value(p.key).key("nullable").value(p.nullable);
  if (p.size) json.key("size").value(static_cast<std::int64_t>(*p.size));
  json.endObject();
}

void writeMethod(broker::core::JsonWriter& json, const Method& m) {
  json.beginObject().key("name").value(m.name).key("type").value(toString(m.type));
  json.key("inputs").values(m.inputs).key("required").values(m.required);
  json.key("returns").values(m.returns);
  if (!m.navigation.empty()) json.key("navigation").value(m.navigation);
  json.endObject();
}

}  // namespace

void writeJson(broker::core::JsonWriter& json, const ServiceObject& object) {
  json.beginObject().key("name").value(object.name).key("folder").value(toString(object.folder));
  if (!object.description.empty()) json.key("description").value(object.description);
  json.key("properties").beginArray();
  for (const Property& p : object.properties) writeProperty(json, p);
  json.endArray().key("methods").beginArray();
  for (const Method& m : object.methods) writeMethod(json, m);
  json.endArray().endObject();
}

std::string toJson(const Catalog& catalog, int indent) {
  std::string out;
  broker::core::JsonWriter json(out, indent);
  json.beginObject().key("odataVersion").value(broker::edm::toString(catalog.model().version));
  json.key("objects").beginArray();
  for (const ServiceObject& object : catalog.objects()) writeJson(json, object);
  json.endArray().endObject();
  out.push_back('\n');
  return out;
}

}  // namespace serviceobjects
