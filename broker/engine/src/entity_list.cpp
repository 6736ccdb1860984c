// List and ListWithoutContent: the query the service answers, and what the broker does to its
// rows where the service cannot (filter, skip, count), page by page.
#include <algorithm>

#include "broker/edm/navigation.h"
#include "broker/odata/literal.h"
#include "broker/odata/reader.h"
#include "entity_call.h"
#include "filter_binding.h"

namespace broker::engine::internal {

odata::RequestPlan EntityCall::planList() {
  prepareEntityFields();
  const config::ServiceKeys& keys = call_.client.keys();
  odata::Query query(keys.excludeQueryParameters);
  const ListSource source = listSource();
  // List inputs and the framework filter go to the service as $filter; when $filter may not
  // be sent (or the source is one entity), the broker evaluates them on the rows and then
  // also pages and counts itself. Only then does it select what the filter reads.
  const std::size_t returnedFields = rows_.fields.size();
  filter_ = listFilter();
  const bool local = source.single || (filter_ && query.excluded("$filter"));
  odata::RequestPlan plan;
  odata::RowWork& work = plan.rows;
  work.single = source.single;
  work.filter = filter_ && local;
  if (work.filter && !evaluableByBroker(*filter_)) {
    throw Error(ErrorCode::kInvalidArgument,
                source.single ? "filter: the broker filters the entity related to the "
                                "navigation input itself, and cannot evaluate navigation paths"
                              : "filter: $filter is excluded for this instance and the broker "
                                "cannot evaluate navigation paths itself");
  }
  if (local && !call_.options.filter.empty()) {
    throw Error(ErrorCode::kInvalidArgument,
                "Query Options: $filter cannot be applied: " +
                    std::string(source.single ? "the navigation input leads to one entity"
                                              : "$filter is excluded for this instance"));
  }
  if (!call_.request.returns.empty() || !call_.options.select.empty() || work.filter) {
    query.add("$select", selectList(work.filter ? rows_.fields.size() : returnedFields));
  }
  // The call's filter and the Query Options one: `(framework) and (user)`.
  std::string filterText =
      filter_ && !work.filter ? odata::formatFilter(*filter_, call_.version) : "";
  if (!call_.options.filter.empty()) {
    filterText = filterText.empty() ? call_.options.filter
                                    : "(" + filterText + ") and (" + call_.options.filter + ")";
  }
  if (!filterText.empty()) query.add("$filter", filterText);
  addExpand(query);
  if (const std::string order = orderByList(); !order.empty() && !source.single) {
    query.add("$orderby", order);
  }
  if (call_.request.top && *call_.request.top < 0) {
    throw Error(ErrorCode::kInvalidArgument, "top must not be negative");
  }
  if (call_.request.skip && *call_.request.skip < 0) {
    throw Error(ErrorCode::kInvalidArgument, "skip must not be negative");
  }
  // The call's own top and skip; else those of the Query Options.
  const std::optional<std::int64_t> top = call_.request.top ? call_.request.top : call_.options.top;
  const std::optional<std::int64_t> skip =
      call_.request.skip ? call_.request.skip : call_.options.skip;
  work.limit = keys.maxRows;
  if (top) work.limit = std::min(work.limit, *top);
  // Paging the service cannot do (excluded options, a filter applied here, one entity) the
  // broker does on the rows.
  if (skip && *skip > 0 && (local || !query.add("$skip", std::to_string(*skip)))) {
    work.skip = *skip;
  }
  if (top && !local) query.add("$top", std::to_string(*top));
  work.count = call_.request.includeTotalCount && local;
  if (call_.request.includeTotalCount && !work.count) {
    if (call_.version >= ODataVersion::kV4) {
      query.add("$count", "true");
    } else {
      query.add("$inlinecount", "allpages");
    }
  }
  work.followNextLinks = keys.followNextLinks && !source.single;
  url_ = call_.client.resolve(source.path + query.toString());
  plan.request.url = url_;
  plan.request.headers = call_.callHeaders();
  rowWork_ = work;
  return plan;
}

CallResult EntityCall::finishList(odata::HttpResponse& first, RowSink& sink) {
  odata::RowWork& work = rowWork_;
  CallResult result;
  result.list = true;
  std::int64_t matched = 0;
  const auto onEntry = [&](const odata::Entry& entry, const odata::HttpResponse& response) {
    if (work.filter) {
      const auto valueOf = [&](const odata::FilterOperand& operand) -> const Value& {
        return entry.values[operand.slot];
      };
      if (!odata::evaluateFilter(*filter_, valueOf)) return;
    }
    ++matched;
    if (work.skip > 0) {
      --work.skip;
      return;
    }
    if (result.rows >= work.limit) return;
    rows_.emit(entry, response, sink);
    ++result.rows;
  };
  if (work.single) {
    // The one entity a to-one navigation leads to; none when it has none (204, no body).
    if (!first.body.empty()) {
      if (const auto entry = odata::readEntity(first.body, rows_.fields, call_.readOptions())) {
        onEntry(*entry, first);
      }
    }
    if (work.count) result.totalCount = matched;
    result.warnings = std::move(rows_.expandWarnings);
    return result;
  }
  std::string url = url_;
  odata::HttpResponse* response = &first;
  odata::HttpResponse next;
  while (true) {
    const odata::FeedPage page =
        odata::readFeed(response->body, rows_.fields, call_.readOptions(),
                        [&](const odata::Entry& entry) { onEntry(entry, *response); });
    if (page.count && !result.totalCount) result.totalCount = page.count;
    if (page.nextLink.empty() || !work.followNextLinks ||
        (result.rows >= work.limit && !work.count)) {
      break;
    }
    url = odata::ODataClient::resolveAgainst(url, page.nextLink);
    odata::Call call;
    call.url = url;
    call.headers = call_.callHeaders();
    next = call_.send(call);
    response = &next;
  }
  if (work.count) result.totalCount = matched;
  result.warnings = std::move(rows_.expandWarnings);
  return result;
}

// The navigation input groups by navigation property, in input order.
std::vector<std::pair<const edm::NavigationProperty*, std::vector<const so::Property*>>>
EntityCall::navigationInputs() const {
  std::vector<std::pair<const edm::NavigationProperty*, std::vector<const so::Property*>>> out;
  for (const auto& [property, value] : call_.inputs) {
    if (property->role != Role::kNavigationKey) continue;
    const std::string name = property->source.substr(0, property->source.find('/'));
    const edm::NavigationProperty* nav = set_->type().findNavigationProperty(name);
    if (nav == nullptr) {
      throw Error(ErrorCode::kInternal, "navigation '" + name + "' of '" + call_.object.name +
                                            "' is not in the metadata");
    }
    auto group = std::find_if(out.begin(), out.end(),
                              [nav](const auto& entry) { return entry.first == nav; });
    if (group == out.end()) group = out.insert(out.end(), {nav, {}});
    group->second.push_back(property);
  }
  return out;
}

// A to-many navigation input (`Products/ID` on Categories) lists through the navigation back
// from the related entity (`Products(5)/Category`); without one, the entity set.
EntityCall::ListSource EntityCall::listSource() const {
  ListSource source{pathOf(*set_), false};
  bool used = false;
  for (const auto& [nav, properties] : navigationInputs()) {
    if (!nav->type.collection) continue;
    const std::string inputs = "'" + properties.front()->name + "'";
    if (used) {
      throw Error(ErrorCode::kInvalidArgument, "input " + inputs +
                                                   ": one to-many navigation input per List; '" +
                                                   call_.object.name + "' was already given one");
    }
    used = true;
    const edm::NavigationProperty* back = edm::reverseNavigation(*nav);
    const edm::EntitySet* target = edm::navigationTarget(model_, *set_, *nav);
    if (back == nullptr || target == nullptr) {
      throw Error(ErrorCode::kInvalidArgument,
                  "input " + inputs + ": the metadata has no navigation back from '" + nav->name +
                      "' to '" + call_.object.name + "' to list through");
    }
    const auto& related = static_cast<const edm::EntityType&>(*nav->type.definition);
    std::vector<odata::KeyValue> keys;
    for (const edm::PropertyRef& ref : related.key()) {
      const std::string path = nav->name + "/" + ref.name;
      const auto given = std::find_if(properties.begin(), properties.end(),
                                      [&](const so::Property* p) { return p->source == path; });
      if (given == properties.end()) {
        throw Error(ErrorCode::kInvalidArgument, "input " + inputs + ": also give '" + path +
                                                     "' (every key of " + nav->name +
                                                     " is needed)");
      }
      keys.push_back(
          {ref.name, &related.findPropertyPath(ref.name)->type, call_.input((*given)->name)});
    }
    source.path = pathOf(*target) + odata::keyPredicate(keys, call_.version) + "/" +
                  odata::encodePathSegment(back->name);
    source.single = !back->type.collection;
  }
  return source;
}

// The List inputs as equality filters, and the framework filter, as one tree (bound, with the
// fields a broker-side evaluation reads); nullopt when there is neither.
std::optional<odata::Filter> EntityCall::listFilter() {
  odata::Filter all;
  all.op = odata::FilterOp::kAnd;
  for (const auto& [property, value] : call_.inputs) {
    if (property->role != Role::kData && !toOneNavigationKey(*property)) continue;
    const edm::Property& p = call_.edmProperty(*property);
    odata::formatLiteral(p.type, call_.version, *value, property->name);  // checks the value
    odata::Filter equals;
    equals.op = odata::FilterOp::kEquals;
    equals.where = "input '" + property->name + "'";
    odata::FilterOperand subject;
    subject.property = true;
    subject.name = property->name;
    subject.path = property->source;
    subject.type = p.type;
    subject.bound = true;
    if (property->role == Role::kData) {
      const auto field = rows_.fields.find(property->source);
      subject.slot = field ? *field : rows_.fields.add(property->source, p.type);
    } else {
      subject.slot = kNoSlot;  // a related entity's key: only the service can filter by it
    }
    odata::FilterOperand literal;
    literal.value = *value;
    literal.type = p.type;
    literal.bound = true;
    equals.operands = {std::move(subject), std::move(literal)};
    all.children.push_back(std::move(equals));
  }
  if (!call_.request.filter.empty()) {
    all.children.push_back(bindFilterTo(call_.request.filter, call_.object, set_->type(),
                                        call_.version, &rows_.fields));
  }
  if (all.children.empty()) return std::nullopt;
  if (all.children.size() == 1) return std::move(all.children.front());
  return all;
}

// `Supplier/ID`: a key of an entity the set's entities each have one of (or none).
bool EntityCall::toOneNavigationKey(const so::Property& property) const {
  if (property.role != Role::kNavigationKey) return false;
  const edm::NavigationProperty* nav =
      set_->type().findNavigationProperty(property.source.substr(0, property.source.find('/')));
  return nav != nullptr && !nav->type.collection;
}

// The call's order, or else that of the Query Options.
std::string EntityCall::orderByList() const {
  std::string order;
  if (call_.request.orderBy.empty()) {
    for (const auto& [path, descending] : call_.options.orderBy) {
      order += (order.empty() ? "" : ",") + path + (descending ? " desc" : "");
    }
    return order;
  }
  for (const OrderBy& o : call_.request.orderBy) {
    const so::Property* p = call_.object.findProperty(o.property);
    if (p == nullptr || p->role != Role::kData) {
      throw Error(ErrorCode::kInvalidArgument, "cannot order by '" + o.property +
                                                   "': not a data property of '" +
                                                   call_.object.name + "'");
    }
    order += (order.empty() ? "" : ",") + p->source + (o.descending ? " desc" : "");
  }
  return order;
}

}  // namespace broker::engine::internal
