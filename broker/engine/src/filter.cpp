#include "broker/engine/filter.h"

#include "broker/core/error.h"
#include "broker/edm/navigation.h"
#include "broker/odata/client.h"
#include "broker/odata/literal.h"
#include "filter_binding.h"

namespace broker::engine {

namespace {

using core::Error;
using core::ErrorCode;
namespace so = serviceobjects;

const edm::EntitySet& entitySetOf(const Instance& instance, const std::string& objectName,
                                  const so::ServiceObject*& object) {
  object = instance.catalog->find(objectName);
  if (object == nullptr) {
    throw Error(ErrorCode::kNotFound,
                "instance '" + instance.name + "' has no service object '" + objectName + "'");
  }
  const edm::EntitySet* set =
      object->folder == so::Folder::kEntities
          ? edm::findEntitySet(instance.catalog->model(), object->source.entitySet)
          : nullptr;
  if (set == nullptr) {
    throw Error(
        ErrorCode::kInvalidArgument,
        "filter: '" + objectName + "' is not an entity set; its filters come with operations");
  }
  return *set;
}

}  // namespace

odata::Filter bindFilter(const Instance& instance, const std::string& objectName,
                         std::string_view json) {
  const so::ServiceObject* object = nullptr;
  const edm::EntitySet& set = entitySetOf(instance, objectName, object);
  return bindFilterTo(json, *object, set.type(), instance.client->version(), nullptr);
}

FilterPlan planFilter(const Instance& instance, const std::string& objectName,
                      std::string_view json) {
  const so::ServiceObject* object = nullptr;
  const edm::EntitySet& set = entitySetOf(instance, objectName, object);
  odata::FieldMap fields;
  const odata::Filter filter =
      bindFilterTo(json, *object, set.type(), instance.client->version(), &fields);
  FilterPlan plan;
  plan.evaluatedByBroker =
      odata::Query(instance.client->keys().excludeQueryParameters).excluded("$filter");
  std::string relative =
      odata::encodePathSegment(edm::entitySetPath(instance.catalog->model(), set));
  if (!plan.evaluatedByBroker) {
    plan.filter = odata::formatFilter(filter, instance.client->version());
    relative += "?$filter=" + odata::encodeQueryValue(plan.filter);
  }
  plan.url = instance.client->requestUrl(relative);
  return plan;
}

}  // namespace broker::engine
