// Entity service objects: properties from the entity type, media and named streams, ETag,
// navigation keys; List/Load/Create/Update/Delete as the metadata allows, links, media methods.
#include "entity_objects.h"

#include <algorithm>

#include "broker/edm/navigation.h"
#include "object_builder.h"
#include "serviceobjects/type_mapping.h"

namespace serviceobjects::internal {

namespace {

namespace edm = broker::edm;
using R = PropertyRole;

bool hasConcurrency(const edm::EntitySet& set) {
  if (set.annotations.optimisticConcurrency) return true;
  const auto properties = set.type().allProperties();
  return std::any_of(properties.begin(), properties.end(),
                     [](const edm::Property* p) { return p->annotations.concurrencyToken; });
}

// Properties a workflow may filter a List by: primitive data the metadata does not forbid.
bool filterable(const edm::EntitySet& set, const edm::Property& p) {
  if (p.type.collection || p.type.kind == edm::TypeKind::kComplex) return false;
  if (p.type.primitive == edm::PrimitiveKind::kStream) return false;
  if (p.annotations.filterable == false || set.annotations.filterable == false) return false;
  const auto& excluded = set.annotations.nonFilterableProperties;
  return std::find(excluded.begin(), excluded.end(), p.name) == excluded.end();
}

// The keys of a navigation target as `Nav/Key` properties; reuses ones already added.
std::vector<std::string> addNavigationKeys(ObjectBuilder& b, const edm::NavigationProperty& nav) {
  std::vector<std::string> names;
  const auto* target = static_cast<const edm::EntityType*>(nav.type.definition);
  for (const edm::PropertyRef& ref : target->key()) {
    const std::string source = nav.name + "/" + ref.name;
    std::string name = b.find(R::kNavigationKey, source);
    if (name.empty()) {
      const edm::Property* key = target->findPropertyPath(ref.name);
      name = b.add({source, soTypeOf(key->type), edmTypeName(key->type), R::kNavigationKey, source,
                    false, true, key->facets.maxLength});
    }
    names.push_back(std::move(name));
  }
  return names;
}

bool linkable(const edm::NavigationProperty& nav) {
  // Links are kept on the "one" side of 1:M and on both sides of M:M, i.e. wherever the
  // navigation is a collection of independent (not contained) entities.
  return nav.type.collection && !nav.containsTarget && nav.type.definition != nullptr;
}

struct EntityShape {
  std::vector<std::string> keys;
  std::vector<std::string> readable;  // everything Load and List return
  std::vector<std::string> listInputs;
  std::vector<std::string> createInputs;
  std::vector<std::string> createRequired;
  std::vector<std::string> updateInputs;
  std::string etag;
  std::string queryOptions;
};

void classifyData(const edm::EntitySet& set, const ObjectBuilder& b, EntityShape& s) {
  const edm::EntityType& type = set.type();
  for (const Property& so : b.object().properties) {
    if (so.role != R::kData) continue;
    const edm::Property& p = *type.findPropertyPath(so.source);
    const edm::PropertyAnnotations& a = p.annotations;
    if (so.key) s.keys.push_back(so.name);
    if (filterable(set, p)) s.listInputs.push_back(so.name);
    if (!a.computed && a.creatable != false) {
      s.createInputs.push_back(so.name);
      if (!p.nullable && !p.defaultValue && !a.computedDefaultValue) {
        s.createRequired.push_back(so.name);
      }
    }
    if (!so.key && !a.computed && !a.immutable && a.updatable != false) {
      s.updateInputs.push_back(so.name);
    }
  }
}

void addStreams(const edm::EntityType& type, ObjectBuilder& b, EntityShape& s) {
  if (type.hasStream) {
    b.add({"Content", SoType::kFile, "Edm.Stream", R::kStreamContent, "", false, true, {}});
    b.add({"Content Path", SoType::kText, "Edm.String", R::kStreamPath, "", false, true, {}});
    b.add({"Content MIME Type",
           SoType::kText,
           "Edm.String",
           R::kStreamMimeType,
           "",
           false,
           true,
           {}});
  }
  for (const std::string& name : b.named({R::kStreamContent, R::kStreamPath, R::kStreamMimeType})) {
    s.createInputs.push_back(name);
    s.updateInputs.push_back(name);
  }
}

void addEntityMethods(const edm::EntitySet& set, ObjectBuilder& b, const EntityShape& s) {
  const edm::EntitySetAnnotations& a = set.annotations;
  auto withOptions = [&s](std::vector<std::string> inputs) {
    if (!s.queryOptions.empty()) inputs.push_back(s.queryOptions);
    return inputs;
  };
  auto plusETag = [&s](std::vector<std::string> inputs) {
    if (!s.etag.empty()) inputs.push_back(s.etag);
    return inputs;
  };
  const bool keyed = !s.keys.empty() || set.singleton;
  // A media entity or one with named streams: its content can also be left out.
  const bool media = !b.named({R::kStreamContent}).empty();
  if (!set.singleton) {
    b.define(MethodType::kList, withOptions(s.listInputs), {}, s.readable);
  }
  if (keyed) {
    b.define(MethodType::kLoad, withOptions(s.keys), s.keys, s.readable);
  }
  if (!set.singleton && a.insertable != false) {
    b.define(MethodType::kCreate, s.createInputs, s.createRequired, s.readable);
  }
  if (keyed && a.updatable != false) {
    std::vector<std::string> inputs = s.keys;
    inputs.insert(inputs.end(), s.updateInputs.begin(), s.updateInputs.end());
    b.define(MethodType::kUpdate, plusETag(inputs), s.keys, s.readable);
  }
  if (!set.singleton && keyed && a.deletable != false) {
    b.define(MethodType::kDelete, plusETag(s.keys), s.keys, {});
  }
  if (media && keyed) {
    b.define(MethodType::kLoadWithoutContent, withOptions(s.keys), s.keys, s.readable);
  }
  if (media && !set.singleton) {
    b.define(MethodType::kListWithoutContent, withOptions(s.listInputs), {}, s.readable);
  }
}

void addLinkMethods(const edm::EntitySet& set, ObjectBuilder& b, const EntityShape& s) {
  std::vector<const edm::NavigationProperty*> navs;
  for (const edm::NavigationProperty* nav : set.type().allNavigationProperties()) {
    if (linkable(*nav)) navs.push_back(nav);
  }
  for (const edm::NavigationProperty* nav : navs) {
    std::vector<std::string> inputs = s.keys;
    const std::vector<std::string> targetKeys = addNavigationKeys(b, *nav);
    inputs.insert(inputs.end(), targetKeys.begin(), targetKeys.end());
    // One navigation: plain "CreateLink"; several: "CreateLink_<Navigation>".
    const std::string suffix = navs.size() == 1 ? "" : "_" + nav->name;
    for (MethodType type : {MethodType::kCreateLink, MethodType::kDeleteLink}) {
      Method& m = b.addMethod(type, std::string(toString(type)) + suffix);
      m.inputs = inputs;
      m.required = inputs;
      m.navigation = nav->name;
    }
  }
}

}  // namespace

ServiceObject buildEntityObject(const edm::Model& model, const edm::EntitySet& set,
                                const std::string& path, const config::ServiceKeys& keys) {
  const edm::EntityType& type = set.type();
  ObjectBuilder b(Folder::kEntities, keys);
  ServiceObject& so = b.object();
  so.name = path;
  so.description = !set.annotations.label.empty() ? set.annotations.label : type.label;
  so.source.entitySet = path;
  so.source.singleton = set.singleton;

  EntityShape s;
  b.addStructuralProperties(type, type.key());
  // A V4 key path into a complex property ("Ref/Code") is a key property of its own.
  for (const edm::PropertyRef& ref : type.key()) {
    if (ref.name.find('/') == std::string::npos) continue;
    const edm::Property& leaf = *type.findPropertyPath(ref.name);
    b.add({ref.alias.empty() ? ref.name : ref.alias, soTypeOf(leaf.type), edmTypeName(leaf.type),
           R::kData, ref.name, true, false, leaf.facets.maxLength});
  }
  classifyData(set, b, s);
  if (set.singleton) s.keys.clear();  // a singleton is addressed by its name alone
  addStreams(type, b, s);
  if (hasConcurrency(set)) {
    s.etag = b.add({"ETag", SoType::kText, "Edm.String", R::kETag, "", false, true, {}});
  }
  s.readable = b.named({R::kData, R::kStreamContent, R::kStreamPath, R::kStreamMimeType, R::kETag});
  if (keys.addNavigationPropertiesToListMethods && !set.singleton) {
    for (const edm::NavigationProperty* nav : type.allNavigationProperties()) {
      if (nav->containsTarget || nav->type.definition == nullptr) continue;
      // A to-many input lists through the navigation back from the related entity's set:
      // offered only when the metadata has both.
      if (nav->type.collection && (edm::reverseNavigation(*nav) == nullptr ||
                                   edm::navigationTarget(model, set, *nav) == nullptr)) {
        continue;
      }
      const std::vector<std::string> names = addNavigationKeys(b, *nav);
      s.listInputs.insert(s.listInputs.end(), names.begin(), names.end());
    }
  }
  if (keys.addQueryOptionsProperty) {
    s.queryOptions = b.add(
        {"Query Options", SoType::kMemo, "Edm.String", R::kQueryOptions, "", false, true, {}});
  }
  addEntityMethods(set, b, s);
  addLinkMethods(set, b, s);
  return b.finish();
}

}  // namespace serviceobjects::internal
