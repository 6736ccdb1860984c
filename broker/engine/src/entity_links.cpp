// CreateLink and DeleteLink: the related entity given by its keys added to or removed from a
// navigation (V4 `Nav/$ref` with `@odata.id`; V2/V3 `$links/Nav` with `uri`/`url`).
#include "broker/edm/navigation.h"
#include "broker/odata/literal.h"
#include "entity_call.h"

namespace broker::engine::internal {

odata::RequestPlan EntityCall::planLink(bool create) {
  const edm::NavigationProperty* nav = set_->type().findNavigationProperty(call_.method.navigation);
  const edm::EntitySet* target =
      nav == nullptr ? nullptr : edm::navigationTarget(model_, *set_, *nav);
  if (target == nullptr) {
    throw Error(ErrorCode::kInvalidArgument, call_.object.name + "." + call_.method.name +
                                                 ": the metadata names no entity set that '" +
                                                 call_.method.navigation + "' leads to");
  }
  std::vector<odata::KeyValue> keys;
  for (const edm::PropertyRef& ref : target->type().key()) {
    const std::string path = nav->name + "/" + ref.name;
    const Value* value = nullptr;
    for (const auto& [property, given] : call_.inputs) {
      if (property->role == Role::kNavigationKey && property->source == path) value = given;
    }
    // Required inputs, so present.
    keys.push_back({ref.name, &target->type().findPropertyPath(ref.name)->type, value});
  }
  const std::string related = pathOf(*target) + odata::keyPredicate(keys, call_.version);
  const std::string navigation = odata::encodePathSegment(nav->name);
  odata::RequestPlan plan;
  odata::Call& call = plan.request;
  call.method = create ? "POST" : "DELETE";
  call.headers = call_.callHeaders();
  const bool v4 = call_.version >= ODataVersion::kV4;
  // DeleteLink addresses the related entity by key in the navigation: `Nav(2)/$ref`.
  const std::string predicate = create ? "" : odata::keyPredicate(keys, call_.version);
  call.url = v4 ? entityUrl() + "/" + navigation + predicate + "/$ref"
                : entityUrl() + "/$links/" + navigation + predicate;
  // V4 takes the id relative to the service root; V2/V3 the absolute URI.
  if (create) {
    const char* member = v4 ? "@odata.id" : call_.version == ODataVersion::kV3 ? "url" : "uri";
    core::JsonWriter(call.body)
        .beginObject()
        .key(member)
        .value(v4 ? related : call_.client.resolve(related))
        .endObject();
  }
  return plan;
}

}  // namespace broker::engine::internal
