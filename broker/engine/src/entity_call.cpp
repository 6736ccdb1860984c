#include "entity_call.h"

#include "broker/edm/navigation.h"
#include "broker/odata/literal.h"
#include "broker/odata/reader.h"
#include "query_options.h"

namespace broker::engine::internal {
namespace {

const edm::EntitySet& entitySetOf(const Instance& instance, const so::ServiceObject& object) {
  const edm::EntitySet* set =
      edm::findEntitySet(instance.catalog->model(), object.source.entitySet);
  if (set == nullptr) {
    throw Error(ErrorCode::kInternal,
                "entity set '" + object.source.entitySet + "' of '" + object.name + "' is gone");
  }
  return *set;
}

}  // namespace

EntityCall::EntityCall(const Instance& instance, const so::ServiceObject& object,
                       const so::Method& method, const CallRequest& request, CallStats& stats)
    : call_(instance, object, method, request, stats, &entitySetOf(instance, object).type()),
      rows_(call_),
      model_(instance.catalog->model()),
      set_(&entitySetOf(instance, object)) {
  rows_.streamLink = [this](const odata::Entry& entry, const so::Property& content) {
    return streamLink(entry, content);
  };
  if (const Value* text = call_.inputWithRole(Role::kQueryOptions); text && !text->isNull()) {
    call_.options = parseQueryOptions(text->text, call_.listing());
    for (const std::string& name : call_.options.select) call_.checkPath("$select", name);
    for (const auto& [path, descending] : call_.options.orderBy) call_.checkPath("$orderby", path);
  }
  if (!call_.request.filter.empty() && !call_.listing()) {
    throw Error(
        ErrorCode::kInvalidArgument,
        "filter: " + call_.object.name + "." + call_.method.name + " takes no filter (List does)");
  }
  const bool loading = call_.method.type == so::MethodType::kLoad ||
                       call_.method.type == so::MethodType::kLoadWithoutContent;
  if (!call_.request.expand.empty() && !call_.listing() && !loading) {
    throw Error(ErrorCode::kInvalidArgument, "expand: " + call_.object.name + "." +
                                                 call_.method.name +
                                                 " takes no expand (List and Load do)");
  }
}

odata::RequestPlan EntityCall::plan() {
  switch (call_.method.type) {
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
      return planLink(call_.method.type == so::MethodType::kCreateLink);
    default:
      throw Error(ErrorCode::kInvalidArgument, "method '" + call_.method.name + "' of '" +
                                                   call_.object.name +
                                                   "' is not supported on entities yet");
  }
}

CallResult EntityCall::finish(odata::HttpResponse& response, RowSink& sink) {
  switch (call_.method.type) {
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
  switch (call_.method.type) {
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
  return error.code() == ErrorCode::kNotFound && call_.client.keys().ignoreErrorWhenRecordNotFound;
}

// ---- addressing ----

std::string EntityCall::pathOf(const edm::EntitySet& set) const {
  return odata::encodePathSegment(edm::entitySetPath(model_, set));
}

std::string EntityCall::entityUrl() const {
  if (!entityReference_.empty()) return entityReference_;
  std::vector<odata::KeyValue> keys;
  for (const so::Property& p : call_.object.properties) {
    if (!p.key) continue;
    const Value* value = call_.input(p.name);
    static const Value kNull;
    keys.push_back({p.source, &call_.edmProperty(p).type, value == nullptr ? &kNull : value});
  }
  const std::string setPath = pathOf(*set_);
  if (set_->singleton) return setPath;
  return setPath + odata::keyPredicate(keys, call_.version);
}

std::string EntityCall::entityUrlOf(const odata::Entry& entry) const {
  std::vector<odata::KeyValue> keys;
  for (const auto& [property, field] : keyFields_) {
    keys.push_back({property->source, &call_.edmProperty(*property).type, &entry.values[field]});
  }
  return pathOf(*set_) + odata::keyPredicate(keys, call_.version);
}

void EntityCall::prepareEntityFields() {
  rows_.prepare();
  if (!call_.request.expand.empty())
    rows_.expansions.emplace(call_.request.expand, call_.type(), call_.object.name, rows_.fields);
  for (const so::Property& p : call_.object.properties) {
    if (!p.key) continue;
    const auto field = rows_.fields.find(p.source);
    keyFields_.emplace_back(&p,
                            field ? *field : rows_.fields.add(p.source, call_.edmProperty(p).type));
    rows_.fields.setKey(keyFields_.back().second);
  }
}

std::string EntityCall::streamLink(const odata::Entry& entry, const so::Property& content) const {
  std::string link = RowWriter::payloadStreamLink(entry, content);
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
  if (rows_.expansions && call_.version >= ODataVersion::kV4) members = rows_.expansions->names();
  for (std::size_t i = 0; i < std::min(fields, rows_.fields.size()); ++i) {
    const std::string& name = rows_.fields[i].name;
    std::string member = name.substr(0, name.find('/'));
    if (contains(members, member)) continue;
    select += (select.empty() ? "" : ",") + member;
    members.push_back(std::move(member));
  }
  return select;
}

CallResult EntityCall::readOne(odata::HttpResponse& response, RowSink& sink, bool written) {
  CallResult result;
  const auto entry =
      odata::readEntity(response.body, rows_.fields,
                        written ? call_.writtenReadOptions(result) : call_.readOptions());
  if (!entry) {
    const Error none(ErrorCode::kNotFound, "the service answered that there is none");
    if (ignoresNotFound(none)) return result;
    throw none;
  }
  rows_.emit(*entry, response, sink);
  result.rows = 1;
  return result;
}

odata::Call EntityCall::readBackCall(const std::string& url) const {
  odata::Call call;
  call.url = url;
  call.headers = call_.callHeaders();
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
    response = call_.send(call);
  } catch (const Error& e) {
    if (ignoresNotFound(e)) return {};
    throw;
  }
  return readOne(response, sink, true);
}

// ---- Load ----

odata::RequestPlan EntityCall::planLoad() {
  prepareEntityFields();
  odata::Query query(call_.client.keys().excludeQueryParameters);
  if (!call_.request.returns.empty() || !call_.options.select.empty()) {
    query.add("$select", selectList(rows_.fields.size()));
  }
  addExpand(query);
  odata::RequestPlan plan;
  plan.request.url = entityUrl() + query.toString();
  plan.request.headers = call_.callHeaders();
  return plan;
}

CallResult EntityCall::finishLoad(odata::HttpResponse& response, RowSink& sink) {
  if (call_.method.type == so::MethodType::kLoad) downloadStreams();
  CallResult result = readOne(response, sink, false);
  result.warnings.insert(result.warnings.end(), rows_.expandWarnings.begin(),
                         rows_.expandWarnings.end());
  return result;
}

void EntityCall::addExpand(odata::Query& query) const {
  if (!rows_.expansions) return;
  if (!query.add("$expand", rows_.expansions->option())) {
    throw Error(ErrorCode::kInvalidArgument,
                "expand: $expand is excluded for this instance (excludeQueryParameters)");
  }
}

const so::Property* EntityCall::companion(const so::Property& content, Role role) const {
  for (const so::Property& p : call_.object.properties) {
    if (p.role == role && p.source == content.source) return &p;
  }
  return nullptr;
}

// Each stream returned is downloaded into a file, and its content, file name and MIME type are
// emitted instead of the links a list has.
void EntityCall::downloadStreams() {
  for (const so::Property* content : rows_.returned) {
    if (content->role != Role::kStreamContent) continue;
    odata::Call call;
    call.url = streamPath(entityUrl(), *content);
    call.headers = call_.callHeaders();
    call.headers.push_back({"Accept", "*/*"});
    call.protocolHeaders = false;
    core::TempFile& file = downloads_.emplace_back();
    call.responseFile = file.path();
    odata::HttpResponse response;
    try {
      response = call_.send(call);
    } catch (const Error& e) {
      if (e.code() != ErrorCode::kNotFound) throw;
      response.status = 404;  // no stream (or no entity: reading it says which)
    }
    if (response.status == 204 || response.status == 404) {
      rows_.overrides.emplace_back(content, Value::null());
      continue;
    }
    FileContent got;
    got.contentType = std::string(response.header("Content-Type").value_or(""));
    got.fileName = dispositionFileName(response.header("Content-Disposition").value_or(""));
    if (got.fileName.empty()) {
      got.fileName = (content->source.empty() ? call_.object.name : content->source) +
                     extensionFor(got.contentType);
    }
    got.path = file.path();
    if (const so::Property* path = companion(*content, Role::kStreamPath)) {
      rows_.overrides.emplace_back(path, Value::string(got.fileName));
    }
    if (const so::Property* type = companion(*content, Role::kStreamMimeType)) {
      rows_.overrides.emplace_back(
          type, got.contentType.empty() ? Value::null() : Value::string(got.contentType));
    }
    rows_.overrides.emplace_back(content, fileValue(got));
  }
}

// ---- Delete ----

odata::RequestPlan EntityCall::planDelete() {
  odata::RequestPlan plan;
  plan.request.method = "DELETE";
  plan.request.url = entityUrl();
  plan.request.headers = call_.callHeaders();
  if (hasETag()) plan.request.headers.push_back({"If-Match", ifMatch()});
  return plan;
}

}  // namespace broker::engine::internal
