#include "entity_call.h"

#include "broker/edm/navigation.h"
#include "broker/odata/literal.h"
#include "broker/odata/reader.h"
#include "query_options.h"

namespace broker::engine::internal {
namespace {

const edm::EntitySet& entitySetOf(const Instance& instance, const so::ServiceObject& object) {
  const edm::EntitySet* set = edm::findEntitySet(instance.catalog->model(), object.source.entitySet);
  if (set == nullptr) {
    throw Error(ErrorCode::kInternal,
                "entity set '" + object.source.entitySet + "' of '" + object.name + "' is gone");
  }
  return *set;
}

}  // namespace

EntityCall::EntityCall(const Instance& instance, const so::ServiceObject& object,
                       const so::Method& method, const CallRequest& request, CallStats& stats)
    : MethodCall(instance, object, method, request, stats, &entitySetOf(instance, object).type()),
      model_(instance.catalog->model()),
      set_(&entitySetOf(instance, object)) {
  if (const Value* text = inputWithRole(Role::kQueryOptions); text && !text->isNull()) {
    options_ = parseQueryOptions(text->text, listing());
    for (const std::string& name : options_.select) checkPath("$select", name);
    for (const auto& [path, descending] : options_.orderBy) checkPath("$orderby", path);
  }
  if (!request_.filter.empty() && !listing()) {
    throw Error(ErrorCode::kInvalidArgument,
                "filter: " + object_.name + "." + method_.name + " takes no filter (List does)");
  }
  const bool loading =
      method_.type == so::MethodType::kLoad || method_.type == so::MethodType::kLoadWithoutContent;
  if (!request_.expand.empty() && !listing() && !loading) {
    throw Error(ErrorCode::kInvalidArgument, "expand: " + object_.name + "." + method_.name +
                                                 " takes no expand (List and Load do)");
  }
}

odata::RequestPlan EntityCall::plan() {
  switch (method_.type) {
    case so::MethodType::kList:
    case so::MethodType::kListWithoutContent:
      return planList();
    case so::MethodType::kLoad:
    case so::MethodType::kLoadWithoutContent:
      return planLoad();
    case so::MethodType::kCreate:
      return planCreate();
    case so::MethodType::kUpdate:
      return planUpdate();
    case so::MethodType::kDelete:
      return planDelete();
    case so::MethodType::kCreateLink:
    case so::MethodType::kDeleteLink:
      return planLink(method_.type == so::MethodType::kCreateLink);
    default:
      throw Error(ErrorCode::kInvalidArgument, "method '" + method_.name + "' of '" +
                                                   object_.name +
                                                   "' is not supported on entities yet");
  }
}

CallResult EntityCall::finish(odata::HttpResponse& response, RowSink& sink) {
  switch (method_.type) {
    case so::MethodType::kList:
    case so::MethodType::kListWithoutContent:
      return finishList(response, sink);
    case so::MethodType::kLoad:
    case so::MethodType::kLoadWithoutContent:
      return finishLoad(response, sink);
    case so::MethodType::kCreate:
      return finishCreate(response, sink);
    case so::MethodType::kUpdate:
      try {
        return finishUpdate(sink);
      } catch (const Error& e) {
        return failed(e);
      }
    default:
      return {};  // Delete and links answer nothing
  }
}

CallResult EntityCall::failed(const Error& error) {
  switch (method_.type) {
    case so::MethodType::kList:
    case so::MethodType::kListWithoutContent:
      // One related entity (a to-one navigation back): none when the source does not exist.
      if (rowWork_.single && error.code() == ErrorCode::kNotFound) {
        CallResult result;
        result.list = true;
        if (rowWork_.count) result.totalCount = 0;
        return result;
      }
      throw error;
    case so::MethodType::kLoad:
    case so::MethodType::kLoadWithoutContent:
    case so::MethodType::kUpdate:
    case so::MethodType::kDelete:
      if (ignoresNotFound(error)) return {};
      throw error;
    default:
      throw error;
  }
}

bool EntityCall::ignoresNotFound(const Error& error) const {
  return error.code() == ErrorCode::kNotFound && client_.keys().ignoreErrorWhenRecordNotFound;
}

// ---- addressing ----

std::string EntityCall::pathOf(const edm::EntitySet& set) const {
  return odata::encodePathSegment(edm::entitySetPath(model_, set));
}

std::string EntityCall::entityUrl() const {
  if (!entityReference_.empty()) return entityReference_;
  std::vector<odata::KeyValue> keys;
  for (const so::Property& p : object_.properties) {
    if (!p.key) continue;
    const Value* value = input(p.name);
    static const Value kNull;
    keys.push_back({p.source, &edmProperty(p).type, value == nullptr ? &kNull : value});
  }
  const std::string setPath = pathOf(*set_);
  if (set_->singleton) return setPath;
  return setPath + odata::keyPredicate(keys, version_);
}

std::string EntityCall::entityUrlOf(const odata::Entry& entry) const {
  std::vector<odata::KeyValue> keys;
  for (const auto& [property, field] : keyFields_) {
    keys.push_back({property->source, &edmProperty(*property).type, &entry.values[field]});
  }
  return pathOf(*set_) + odata::keyPredicate(keys, version_);
}

void EntityCall::prepareEntityFields() {
  prepareFields();
  if (!request_.expand.empty()) expansions_.emplace(request_.expand, type(), object_.name, fields_);
  for (const so::Property& p : object_.properties) {
    if (!p.key) continue;
    const auto field = fields_.find(p.source);
    keyFields_.emplace_back(&p, field ? *field : fields_.add(p.source, edmProperty(p).type));
    fields_.setKey(keyFields_.back().second);
  }
}

std::string EntityCall::streamLink(const odata::Entry& entry, const so::Property& content) const {
  std::string link = MethodCall::streamLink(entry, content);
  if (link.empty() && !keyFields_.empty()) link = streamPath(entityUrlOf(entry), content);
  return link;
}

std::string EntityCall::streamPath(const std::string& entity, const so::Property& content) {
  return entity + "/" +
         (content.source.empty() ? "$value" : odata::encodePathSegment(content.source));
}

// The first `fields` fields read: the returned data properties, the keys, and those a filter
// applied here reads (a path selects its complex property).
std::string EntityCall::selectList(std::size_t fields) const {
  std::vector<std::string> members;
  std::string select;
  // V4 selects what it expands apart ($expand); V2 and V3 want it named in $select too.
  if (expansions_ && version_ >= ODataVersion::kV4) members = expansions_->names();
  for (std::size_t i = 0; i < std::min(fields, fields_.size()); ++i) {
    const std::string& name = fields_[i].name;
    std::string member = name.substr(0, name.find('/'));
    if (contains(members, member)) continue;
    select += (select.empty() ? "" : ",") + member;
    members.push_back(std::move(member));
  }
  return select;
}

CallResult EntityCall::readOne(odata::HttpResponse& response, RowSink& sink, bool written) {
  CallResult result;
  const auto entry = odata::readEntity(response.body, fields_,
                                       written ? writtenReadOptions(result) : readOptions());
  if (!entry) {
    const Error none(ErrorCode::kNotFound, "the service answered that there is none");
    if (ignoresNotFound(none)) return result;
    throw none;
  }
  emit(*entry, response, sink);
  result.rows = 1;
  return result;
}

odata::Call EntityCall::readBackCall(const std::string& url) const {
  odata::Call call;
  call.url = url;
  call.headers = callHeaders();
  return call;
}

CallResult EntityCall::readBack(const std::string& url, RowSink& sink) {
  if (readBackAnswer_ && readBackAnswer_->status >= 200 && readBackAnswer_->status < 300) {
    odata::HttpResponse answered = std::move(*readBackAnswer_);
    readBackAnswer_.reset();
    return readOne(answered, sink, true);
  }
  const odata::Call call = readBackCall(url);
  odata::HttpResponse response;
  try {
    response = send(call);
  } catch (const Error& e) {
    if (ignoresNotFound(e)) return {};
    throw;
  }
  return readOne(response, sink, true);
}

// ---- Load ----

odata::RequestPlan EntityCall::planLoad() {
  prepareEntityFields();
  odata::Query query(client_.keys().excludeQueryParameters);
  if (!request_.returns.empty() || !options_.select.empty()) {
    query.add("$select", selectList(fields_.size()));
  }
  addExpand(query);
  odata::RequestPlan plan;
  plan.request.url = entityUrl() + query.toString();
  plan.request.headers = callHeaders();
  return plan;
}

CallResult EntityCall::finishLoad(odata::HttpResponse& response, RowSink& sink) {
  if (method_.type == so::MethodType::kLoad) downloadStreams();
  CallResult result = readOne(response, sink, false);
  result.warnings.insert(result.warnings.end(), expandWarnings_.begin(), expandWarnings_.end());
  return result;
}

void EntityCall::addExpand(odata::Query& query) const {
  if (!expansions_) return;
  if (!query.add("$expand", expansions_->option())) {
    throw Error(ErrorCode::kInvalidArgument,
                "expand: $expand is excluded for this instance (excludeQueryParameters)");
  }
}

const so::Property* EntityCall::companion(const so::Property& content, Role role) const {
  for (const so::Property& p : object_.properties) {
    if (p.role == role && p.source == content.source) return &p;
  }
  return nullptr;
}

// Each stream returned is downloaded into a file, and its content, file name and MIME type are
// emitted instead of the links a list has.
void EntityCall::downloadStreams() {
  for (const so::Property* content : returned_) {
    if (content->role != Role::kStreamContent) continue;
    odata::Call call;
    call.url = streamPath(entityUrl(), *content);
    call.headers = callHeaders();
    call.headers.push_back({"Accept", "*/*"});
    call.protocolHeaders = false;
    core::TempFile& file = downloads_.emplace_back();
    call.responseFile = file.path();
    odata::HttpResponse response;
    try {
      response = send(call);
    } catch (const Error& e) {
      if (e.code() != ErrorCode::kNotFound) throw;
      response.status = 404;  // no stream (or no entity: reading it says which)
    }
    if (response.status == 204 || response.status == 404) {
      overrides_.emplace_back(content, Value::null());
      continue;
    }
    FileContent got;
    got.contentType = std::string(response.header("Content-Type").value_or(""));
    got.fileName = dispositionFileName(response.header("Content-Disposition").value_or(""));
    if (got.fileName.empty()) {
      got.fileName = (content->source.empty() ? object_.name : content->source) +
                     extensionFor(got.contentType);
    }
    got.path = file.path();
    if (const so::Property* path = companion(*content, Role::kStreamPath)) {
      overrides_.emplace_back(path, Value::string(got.fileName));
    }
    if (const so::Property* type = companion(*content, Role::kStreamMimeType)) {
      overrides_.emplace_back(
          type, got.contentType.empty() ? Value::null() : Value::string(got.contentType));
    }
    overrides_.emplace_back(content, fileValue(got));
  }
}

// ---- Delete ----

odata::RequestPlan EntityCall::planDelete() {
  odata::RequestPlan plan;
  plan.request.method = "DELETE";
  plan.request.url = entityUrl();
  plan.request.headers = callHeaders();
  if (hasETag()) plan.request.headers.push_back({"If-Match", ifMatch()});
  return plan;
}

}  // namespace broker::engine::internal
