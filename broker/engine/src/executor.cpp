#include "broker/engine/executor.h"

#include <algorithm>
#include <chrono>

#include "broker/core/error.h"
#include "broker/core/json_writer.h"
#include "broker/edm/model.h"
#include "broker/odata/literal.h"
#include "broker/odata/payload.h"
#include "broker/odata/reader.h"
#include "request_headers.h"

namespace broker::engine {
namespace {

namespace so = serviceobjects;
using core::Error;
using core::ErrorCode;
using edm::ODataVersion;
using odata::Value;
using Role = so::PropertyRole;

const edm::EntitySet* findEntitySet(const edm::Model& model, std::string_view name) {
  if (const edm::EntityContainer* container = model.defaultContainer()) {
    if (const edm::EntitySet* set = container->findEntitySet(name)) return set;
  }
  for (const edm::Schema& schema : model.schemas) {
    for (const edm::EntityContainer& container : schema.containers) {
      if (const edm::EntitySet* set = container.findEntitySet(name)) return set;
    }
  }
  return nullptr;
}

bool contains(const std::vector<std::string>& names, std::string_view name) {
  return std::find(names.begin(), names.end(), name) != names.end();
}

// A call on an entity service object: the object, its method, the entity set behind it and
// the caller's inputs, checked.
class EntityCall {
 public:
  EntityCall(const Instance& instance, const so::ServiceObject& object, const so::Method& method,
             const CallRequest& request, CallStats& stats)
      : client_(*instance.client),
        stats_(stats),
        object_(object),
        method_(method),
        request_(request),
        version_(client_.version()) {
    set_ = findEntitySet(instance.catalog->model(), object.source.entitySet);
    if (set_ == nullptr) {
      throw Error(ErrorCode::kInternal,
                  "entity set '" + object.source.entitySet + "' of '" + object.name + "' is gone");
    }
    checkInputs();
  }

  CallResult run(RowSink& sink) {
    switch (method_.type) {
      case so::MethodType::kList:
      case so::MethodType::kListWithoutContent:
        return list(sink);
      case so::MethodType::kLoad:
      case so::MethodType::kLoadWithoutContent:
        return load(sink);
      case so::MethodType::kCreate:
        return create(sink);
      case so::MethodType::kUpdate:
        return update(sink);
      case so::MethodType::kDelete:
        return remove();
      default:
        throw Error(ErrorCode::kInvalidArgument, "method '" + method_.name + "' of '" +
                                                     object_.name +
                                                     "' is not supported on entities yet");
    }
  }

 private:
  // ---- inputs ----

  void checkInputs() {
    const bool lenient = client_.keys().ignoreUnmappableProperties;
    for (const auto& [name, value] : request_.inputs) {
      const so::Property* property = object_.findProperty(name);
      if (property == nullptr || !contains(method_.inputs, name)) {
        if (lenient) continue;
        throw Error(ErrorCode::kInvalidArgument,
                    property == nullptr
                        ? "'" + object_.name + "' has no property '" + name + "'"
                        : "'" + name + "' is not an input of " + object_.name + "." + method_.name);
      }
      inputs_.emplace_back(property, &value);
    }
    for (const std::string& required : method_.required) {
      const Value* value = input(required);
      if (value == nullptr || value->isNull()) {
        throw Error(ErrorCode::kInvalidArgument,
                    object_.name + "." + method_.name + " needs a value for '" + required + "'");
      }
    }
    for (const std::string& name : request_.returns) {
      if (!contains(method_.returns, name)) {
        throw Error(ErrorCode::kInvalidArgument,
                    "'" + name + "' is not returned by " + object_.name + "." + method_.name);
      }
    }
  }

  const Value* input(std::string_view name) const {
    for (const auto& [property, value] : inputs_) {
      if (property->name == name) return value;
    }
    return nullptr;
  }

  const Value* inputWithRole(Role role) const {
    for (const auto& [property, value] : inputs_) {
      if (property->role == role) return value;
    }
    return nullptr;
  }

  const edm::Property& edmProperty(const so::Property& property) const {
    const edm::Property* p = set_->type().findPropertyPath(property.source);
    if (p == nullptr) {
      throw Error(ErrorCode::kInternal, "property '" + property.source + "' of '" + object_.name +
                                            "' is not in the metadata");
    }
    return *p;
  }

  // ---- URLs ----

  std::string entityUrl() const {
    std::vector<odata::KeyValue> keys;
    for (const so::Property& p : object_.properties) {
      if (!p.key) continue;
      const Value* value = input(p.name);
      static const Value kNull;
      keys.push_back({p.source, &edmProperty(p).type, value == nullptr ? &kNull : value});
    }
    const std::string setPath = odata::encodePathSegment(set_->name);
    if (set_->singleton) return setPath;
    return setPath + odata::keyPredicate(keys, version_);
  }

  std::vector<odata::Header> callHeaders() const {
    std::vector<odata::Header> headers;
    if (const Value* given = inputWithRole(Role::kRequestHeaders)) {
      headers = parseRequestHeaders(*given);
    }
    return headers;
  }

  // ---- results ----

  // The SO properties this call returns, in the method's order.
  std::vector<const so::Property*> returned() const {
    std::vector<const so::Property*> out;
    for (const std::string& name : method_.returns) {
      if (!request_.returns.empty() && !contains(request_.returns, name)) continue;
      out.push_back(object_.findProperty(name));
    }
    return out;
  }

  // Maps the returned data properties to payload members.
  void prepareFields() {
    returned_ = returned();
    fieldOf_.assign(returned_.size(), kNoField);
    for (std::size_t i = 0; i < returned_.size(); ++i) {
      const so::Property& p = *returned_[i];
      if (p.role != Role::kData) continue;
      const edm::Property& property = edmProperty(p);
      fieldOf_[i] = fields_.add(p.source, property.type);
    }
  }

  void emit(const odata::Entry& entry, const odata::HttpResponse& response, RowSink& sink) {
    row_.clear();
    for (std::size_t i = 0; i < returned_.size(); ++i) {
      const so::Property* p = returned_[i];
      switch (p->role) {
        case Role::kData:
          row_.emplace_back(p, entry.values[fieldOf_[i]]);
          break;
        case Role::kETag: {
          std::string etag = entry.etag;
          if (etag.empty()) etag = std::string(response.header("ETag").value_or(""));
          row_.emplace_back(p, etag.empty() ? Value::null() : Value::string(etag));
          break;
        }
        case Role::kStreamContent: {
          std::string url = entry.mediaReadLink;
          if (url.empty() && !entry.editLink.empty()) url = entry.editLink + "/$value";
          if (url.empty()) {
            row_.emplace_back(p, Value::null());
          } else {
            std::string link;
            core::JsonWriter(link).beginObject().key("url").value(client_.resolve(url)).endObject();
            row_.emplace_back(p, Value::json(link));
          }
          break;
        }
        case Role::kStreamMimeType:
          row_.emplace_back(p, entry.mediaContentType.empty()
                                   ? Value::null()
                                   : Value::string(entry.mediaContentType));
          break;
        case Role::kResponseHeaders:
          row_.emplace_back(p, Value::json(serializeHeaders(response.headers)));
          break;
        default:
          row_.emplace_back(p, Value::null());
          break;
      }
    }
    sink.row(row_);
  }

  odata::ReadOptions readOptions() const {
    return {version_, client_.keys().ignoreUnmappableProperties};
  }

  // ---- methods ----

  CallResult list(RowSink& sink) {
    prepareFields();
    const config::ServiceKeys& keys = client_.keys();
    odata::Query query(keys.excludeQueryParameters);
    if (!request_.returns.empty()) query.add("$select", selectList());
    if (const std::string filter = inputFilter(); !filter.empty()) query.add("$filter", filter);
    if (!request_.orderBy.empty()) query.add("$orderby", orderByList());
    if (request_.top && *request_.top < 0) {
      throw Error(ErrorCode::kInvalidArgument, "top must not be negative");
    }
    if (request_.skip && *request_.skip < 0) {
      throw Error(ErrorCode::kInvalidArgument, "skip must not be negative");
    }
    std::int64_t limit = keys.maxRows;
    if (request_.top) limit = std::min(limit, *request_.top);
    // Paging the service cannot do (excluded options) the broker does on the rows.
    std::int64_t skipHere = 0;
    if (request_.skip && *request_.skip > 0 &&
        !query.add("$skip", std::to_string(*request_.skip))) {
      skipHere = *request_.skip;
    }
    if (request_.top) query.add("$top", std::to_string(*request_.top));
    if (request_.includeTotalCount) {
      if (version_ >= ODataVersion::kV4) {
        query.add("$count", "true");
      } else {
        query.add("$inlinecount", "allpages");
      }
    }
    CallResult result;
    result.list = true;
    std::string url = client_.resolve(odata::encodePathSegment(set_->name) + query.toString());
    const std::vector<odata::Header> headers = callHeaders();
    while (!url.empty() && result.rows < limit) {
      odata::Call call;
      call.url = url;
      call.headers = headers;
      odata::HttpResponse response = send(call);
      const odata::FeedPage page =
          odata::readFeed(response.body, fields_, readOptions(), [&](const odata::Entry& entry) {
            if (skipHere > 0) {
              --skipHere;
              return;
            }
            if (result.rows >= limit) return;
            emit(entry, response, sink);
            ++result.rows;
          });
      if (page.count && !result.totalCount) result.totalCount = page.count;
      url = page.nextLink.empty() || !keys.followNextLinks
                ? std::string()
                : odata::ODataClient::resolveAgainst(url, page.nextLink);
    }
    return result;
  }

  // $select of the returned data properties (a key path selects its complex property).
  std::string selectList() const {
    std::vector<std::string> members;
    std::string select;
    for (const so::Property* p : returned_) {
      if (p->role != Role::kData) continue;
      std::string member = p->source.substr(0, p->source.find('/'));
      if (contains(members, member)) continue;
      select += (select.empty() ? "" : ",") + member;
      members.push_back(std::move(member));
    }
    return select;
  }

  // Equality filters from List inputs: `Name eq 'x' and Rating eq 3`.
  std::string inputFilter() const {
    std::string filter;
    for (const auto& [property, value] : inputs_) {
      if (property->role != Role::kData) continue;
      const edm::Property& p = edmProperty(*property);
      filter += (filter.empty() ? "" : " and ") + property->source + " eq " +
                odata::formatLiteral(p.type, version_, *value, property->name);
    }
    return filter;
  }

  std::string orderByList() const {
    std::string order;
    for (const OrderBy& o : request_.orderBy) {
      const so::Property* p = object_.findProperty(o.property);
      if (p == nullptr || p->role != Role::kData) {
        throw Error(
            ErrorCode::kInvalidArgument,
            "cannot order by '" + o.property + "': not a data property of '" + object_.name + "'");
      }
      order += (order.empty() ? "" : ",") + p->source + (o.descending ? " desc" : "");
    }
    return order;
  }

  CallResult load(RowSink& sink) {
    prepareFields();
    odata::Query query(client_.keys().excludeQueryParameters);
    if (!request_.returns.empty()) query.add("$select", selectList());
    odata::Call call;
    call.url = entityUrl() + query.toString();
    call.headers = callHeaders();
    return readOne(call, sink);
  }

  // Sends a call that answers with one entity and emits it; a missing record is no row
  // when the instance ignores not-found errors.
  CallResult readOne(const odata::Call& call, RowSink& sink) {
    CallResult result;
    try {
      odata::HttpResponse response = send(call);
      const odata::Entry entry = odata::readEntity(response.body, fields_, readOptions());
      emit(entry, response, sink);
      result.rows = 1;
    } catch (const Error& e) {
      if (e.code() != ErrorCode::kNotFound || !client_.keys().ignoreErrorWhenRecordNotFound) throw;
    }
    return result;
  }

  std::string payload(bool withKeys) const {
    std::string body;
    core::JsonWriter writer(body);
    writer.beginObject();
    for (const auto& [property, value] : inputs_) {
      if (property->role != Role::kData || (property->key && !withKeys)) continue;
      writer.key(property->source);
      odata::writePayloadValue(writer, edmProperty(*property).type, version_, *value,
                               property->name);
    }
    writer.endObject();
    return body;
  }

  CallResult create(RowSink& sink) {
    prepareFields();
    odata::Call call;
    call.method = "POST";
    call.url = odata::encodePathSegment(set_->name);
    call.headers = callHeaders();
    call.body = payload(true);
    odata::HttpResponse response = send(call);
    CallResult result;
    if (response.body.empty()) {
      // 204 (return=minimal): what the service stored is at its Location, or the keys sent.
      odata::Call reread;
      reread.url = std::string(response.header("Location").value_or(entityUrl()));
      reread.headers = call.headers;
      return readOne(reread, sink);
    }
    const odata::Entry entry = odata::readEntity(response.body, fields_, readOptions());
    emit(entry, response, sink);
    result.rows = 1;
    return result;
  }

  std::string ifMatch() const {
    const Value* etag = inputWithRole(Role::kETag);
    return etag != nullptr && !etag->isNull() && !etag->text.empty() ? etag->text : "*";
  }

  bool hasETag() const {
    return std::any_of(object_.properties.begin(), object_.properties.end(),
                       [](const so::Property& p) { return p.role == Role::kETag; });
  }

  CallResult update(RowSink& sink) {
    prepareFields();
    odata::Call call;
    call.method = version_ >= ODataVersion::kV4 ? "PATCH" : "MERGE";
    call.url = entityUrl();
    const std::vector<odata::Header> headers = callHeaders();
    call.headers = headers;
    if (hasETag()) call.headers.push_back({"If-Match", ifMatch()});
    call.body = payload(false);
    try {
      send(call);
    } catch (const Error& e) {
      if (e.code() != ErrorCode::kNotFound || !client_.keys().ignoreErrorWhenRecordNotFound) throw;
      return {};
    }
    // The service's answer varies (204, or the entity without its new ETag): read it back.
    odata::Call reread;
    reread.url = std::move(call.url);
    reread.headers = headers;
    return readOne(reread, sink);
  }

  CallResult remove() {
    odata::Call call;
    call.method = "DELETE";
    call.url = entityUrl();
    call.headers = callHeaders();
    if (hasETag()) call.headers.push_back({"If-Match", ifMatch()});
    try {
      send(call);
    } catch (const Error& e) {
      if (e.code() != ErrorCode::kNotFound || !client_.keys().ignoreErrorWhenRecordNotFound) throw;
    }
    return {};
  }

  // Every upstream request goes through here, to be timed.
  odata::HttpResponse send(const odata::Call& call) {
    const auto start = std::chrono::steady_clock::now();
    struct Timer {
      CallStats& stats;
      std::chrono::steady_clock::time_point start;
      ~Timer() {
        stats.upstreamTime += std::chrono::steady_clock::now() - start;
        ++stats.upstreamRequests;
      }
    } timer{stats_, start};
    return client_.send(call);
  }

  static constexpr std::size_t kNoField = static_cast<std::size_t>(-1);

  odata::ODataClient& client_;
  CallStats& stats_;
  const so::ServiceObject& object_;
  const so::Method& method_;
  const CallRequest& request_;
  ODataVersion version_;
  const edm::EntitySet* set_ = nullptr;
  std::vector<std::pair<const so::Property*, const Value*>> inputs_;
  std::vector<const so::Property*> returned_;
  std::vector<std::size_t> fieldOf_;
  odata::FieldMap fields_;
  Row row_;
};

}  // namespace

CallResult execute(const Instance& instance, const CallRequest& request, RowSink& sink,
                   CallStats* stats) {
  CallStats unused;
  const so::ServiceObject* object = instance.catalog->find(request.object);
  if (object == nullptr) {
    throw Error(ErrorCode::kNotFound,
                "instance '" + instance.name + "' has no service object '" + request.object + "'");
  }
  const so::Method* method = object->findMethod(request.method);
  if (method == nullptr) {
    throw Error(ErrorCode::kNotFound,
                "'" + object->name + "' has no method '" + request.method + "'");
  }
  if (object->folder != so::Folder::kEntities) {
    throw Error(ErrorCode::kInvalidArgument,
                "'" + object->name + "' is not an entity; its methods come with operations");
  }
  EntityCall call(instance, *object, *method, request, stats ? *stats : unused);
  return call.run(sink);
}

}  // namespace broker::engine
