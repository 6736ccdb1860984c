#include "broker/engine/executor.h"

#include <algorithm>
#include <chrono>
#include <deque>

#include "broker/core/error.h"
#include "broker/core/json_writer.h"
#include "broker/core/text.h"
#include "broker/edm/model.h"
#include "broker/edm/navigation.h"
#include "broker/odata/literal.h"
#include "broker/odata/payload.h"
#include "broker/odata/reader.h"
#include "filter_binding.h"
#include "media.h"
#include "method_call.h"
#include "object_type_call.h"
#include "operation_call.h"
#include "query_options.h"
#include "request_headers.h"

namespace broker::engine {
namespace {

using namespace internal;

// A call on an entity service object: the entity set behind it, and its methods.
class EntityCall : private MethodCall {
 public:
  EntityCall(const Instance& instance, const so::ServiceObject& object, const so::Method& method,
             const CallRequest& request, CallStats& stats)
      : MethodCall(instance, object, method, request, stats, &entitySetOf(instance, object).type()),
        model_(instance.catalog->model()),
        set_(&entitySetOf(instance, object)) {
    if (const Value* text = inputWithRole(Role::kQueryOptions); text && !text->isNull()) {
      options_ = parseQueryOptions(text->text, listing());
      for (const std::string& name : options_.select) checkPath("$select", name);
      for (const auto& [path, descending] : options_.orderBy) checkPath("$orderby", path);
    }
  }

  CallResult run(RowSink& sink) {
    if (!request_.filter.empty() && !listing()) {
      throw Error(ErrorCode::kInvalidArgument,
                  "filter: " + object_.name + "." + method_.name + " takes no filter (List does)");
    }
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
      case so::MethodType::kCreateLink:
      case so::MethodType::kDeleteLink:
        return link(method_.type == so::MethodType::kCreateLink);
      default:
        throw Error(ErrorCode::kInvalidArgument, "method '" + method_.name + "' of '" +
                                                     object_.name +
                                                     "' is not supported on entities yet");
    }
  }

 private:
  static const edm::EntitySet& entitySetOf(const Instance& instance,
                                           const so::ServiceObject& object) {
    const edm::EntitySet* set =
        edm::findEntitySet(instance.catalog->model(), object.source.entitySet);
    if (set == nullptr) {
      throw Error(ErrorCode::kInternal,
                  "entity set '" + object.source.entitySet + "' of '" + object.name + "' is gone");
    }
    return *set;
  }

  // ---- URLs ----

  // The resource path of an entity set, encoded: `Set`, or `Container.Set` for a set of a
  // V2/V3 container that is not the default one.
  std::string pathOf(const edm::EntitySet& set) const {
    return odata::encodePathSegment(edm::entitySetPath(model_, set));
  }

  std::string entityUrl() const {
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

  // ---- methods ----

  // Where a List reads from: the entity set, or (a to-many navigation input) the entities
  // related to one entity of the other side, which may be a single entity.
  struct ListSource {
    std::string path;
    bool single = false;
  };

  CallResult list(RowSink& sink) {
    prepareEntityFields();
    const config::ServiceKeys& keys = client_.keys();
    odata::Query query(keys.excludeQueryParameters);
    const ListSource source = listSource();
    // List inputs and the framework filter go to the service as $filter; when $filter may not
    // be sent (or the source is one entity), the broker evaluates them on the rows and then
    // also pages and counts itself.
    std::optional<odata::Filter> filter = listFilter();
    const bool local = source.single || (filter && query.excluded("$filter"));
    const bool filterHere = filter && local;
    if (filterHere && !evaluableByBroker(*filter)) {
      throw Error(ErrorCode::kInvalidArgument,
                  source.single ? "filter: the broker filters the entity related to the "
                                  "navigation input itself, and cannot evaluate navigation paths"
                                : "filter: $filter is excluded for this instance and the broker "
                                  "cannot evaluate navigation paths itself");
    }
    if (local && !options_.filter.empty()) {
      throw Error(ErrorCode::kInvalidArgument,
                  "Query Options: $filter cannot be applied: " +
                      std::string(source.single ? "the navigation input leads to one entity"
                                                : "$filter is excluded for this instance"));
    }
    if (!request_.returns.empty() || !options_.select.empty() || filterHere) {
      query.add("$select", selectList());
    }
    // The call's filter and the Query Options one: `(framework) and (user)`.
    std::string filterText = filter && !filterHere ? odata::formatFilter(*filter, version_) : "";
    if (!options_.filter.empty()) {
      filterText = filterText.empty() ? options_.filter
                                      : "(" + filterText + ") and (" + options_.filter + ")";
    }
    if (!filterText.empty()) query.add("$filter", filterText);
    if (const std::string order = orderByList(); !order.empty() && !source.single) {
      query.add("$orderby", order);
    }
    if (request_.top && *request_.top < 0) {
      throw Error(ErrorCode::kInvalidArgument, "top must not be negative");
    }
    if (request_.skip && *request_.skip < 0) {
      throw Error(ErrorCode::kInvalidArgument, "skip must not be negative");
    }
    // The call's own top and skip; else those of the Query Options.
    const std::optional<std::int64_t> top = request_.top ? request_.top : options_.top;
    const std::optional<std::int64_t> skip = request_.skip ? request_.skip : options_.skip;
    std::int64_t limit = keys.maxRows;
    if (top) limit = std::min(limit, *top);
    // Paging the service cannot do (excluded options, a filter applied here, one entity) the
    // broker does on the rows.
    std::int64_t skipHere = 0;
    if (skip && *skip > 0 && (local || !query.add("$skip", std::to_string(*skip)))) {
      skipHere = *skip;
    }
    if (top && !local) query.add("$top", std::to_string(*top));
    const bool countHere = request_.includeTotalCount && local;
    if (request_.includeTotalCount && !countHere) {
      if (version_ >= ODataVersion::kV4) {
        query.add("$count", "true");
      } else {
        query.add("$inlinecount", "allpages");
      }
    }
    CallResult result;
    result.list = true;
    std::int64_t matched = 0;
    const auto onEntry = [&](const odata::Entry& entry, const odata::HttpResponse& response) {
      if (filterHere) {
        const auto valueOf = [&](const odata::FilterOperand& operand) -> const Value& {
          return entry.values[operand.slot];
        };
        if (!odata::evaluateFilter(*filter, valueOf)) return;
      }
      ++matched;
      if (skipHere > 0) {
        --skipHere;
        return;
      }
      if (result.rows >= limit) return;
      emit(entry, response, sink);
      ++result.rows;
    };
    std::string url = client_.resolve(source.path + query.toString());
    const std::vector<odata::Header> headers = callHeaders();
    if (source.single) {
      readRelated(url, headers, onEntry);
      if (countHere) result.totalCount = matched;
      return result;
    }
    // At least one request when a count is wanted, even for top 0.
    bool counting = request_.includeTotalCount;
    while (!url.empty() && (result.rows < limit || countHere || counting)) {
      counting = false;
      odata::Call call;
      call.url = url;
      call.headers = headers;
      odata::HttpResponse response = send(call);
      const odata::FeedPage page =
          odata::readFeed(response.body, fields_, readOptions(),
                          [&](const odata::Entry& entry) { onEntry(entry, response); });
      if (page.count && !result.totalCount) result.totalCount = page.count;
      url = page.nextLink.empty() || !keys.followNextLinks
                ? std::string()
                : odata::ODataClient::resolveAgainst(url, page.nextLink);
    }
    if (countHere) result.totalCount = matched;
    return result;
  }

  // The one entity a to-one navigation leads to; none when the source entity does not exist
  // or has no related entity (404, or 204 with no body).
  template <typename OnEntry>
  void readRelated(const std::string& url, const std::vector<odata::Header>& headers,
                   const OnEntry& onEntry) {
    odata::Call call;
    call.url = url;
    call.headers = headers;
    odata::HttpResponse response;
    try {
      response = send(call);
    } catch (const Error& e) {
      if (e.code() == ErrorCode::kNotFound) return;
      throw;
    }
    if (response.body.empty()) return;
    if (const auto entry = odata::readEntity(response.body, fields_, readOptions())) {
      onEntry(*entry, response);
    }
  }

  // The navigation input groups by navigation property, in input order.
  std::vector<std::pair<const edm::NavigationProperty*, std::vector<const so::Property*>>>
  navigationInputs() const {
    std::vector<std::pair<const edm::NavigationProperty*, std::vector<const so::Property*>>> out;
    for (const auto& [property, value] : inputs_) {
      if (property->role != Role::kNavigationKey) continue;
      const std::string name = property->source.substr(0, property->source.find('/'));
      const edm::NavigationProperty* nav = set_->type().findNavigationProperty(name);
      if (nav == nullptr) {
        throw Error(ErrorCode::kInternal,
                    "navigation '" + name + "' of '" + object_.name + "' is not in the metadata");
      }
      auto group = std::find_if(out.begin(), out.end(),
                                [nav](const auto& entry) { return entry.first == nav; });
      if (group == out.end()) group = out.insert(out.end(), {nav, {}});
      group->second.push_back(property);
    }
    return out;
  }

  // A to-many navigation input (`Products/ID` on Categories) lists through the navigation
  // back from the related entity (`Products(5)/Category`); without one, the entity set.
  ListSource listSource() const {
    ListSource source{pathOf(*set_), false};
    bool used = false;
    for (const auto& [nav, properties] : navigationInputs()) {
      if (!nav->type.collection) continue;
      const std::string inputs = "'" + properties.front()->name + "'";
      if (used) {
        throw Error(ErrorCode::kInvalidArgument, "input " + inputs +
                                                     ": one to-many navigation input per List; '" +
                                                     object_.name + "' was already given one");
      }
      used = true;
      const edm::NavigationProperty* back = edm::reverseNavigation(*nav);
      const edm::EntitySet* target = edm::navigationTarget(model_, *set_, *nav);
      if (back == nullptr || target == nullptr) {
        throw Error(ErrorCode::kInvalidArgument,
                    "input " + inputs + ": the metadata has no navigation back from '" + nav->name +
                        "' to '" + object_.name + "' to list through");
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
            {ref.name, &related.findPropertyPath(ref.name)->type, input((*given)->name)});
      }
      source.path = pathOf(*target) + odata::keyPredicate(keys, version_) + "/" +
                    odata::encodePathSegment(back->name);
      source.single = !back->type.collection;
    }
    return source;
  }

  // $select of the fields read: the returned data properties and those a filter applied here
  // reads (a path selects its complex property).
  std::string selectList() const {
    std::vector<std::string> members;
    std::string select;
    for (std::size_t i = 0; i < fields_.size(); ++i) {
      const std::string& name = fields_[i].name;
      std::string member = name.substr(0, name.find('/'));
      if (contains(members, member)) continue;
      select += (select.empty() ? "" : ",") + member;
      members.push_back(std::move(member));
    }
    return select;
  }

  // The List inputs as equality filters, and the framework filter, as one tree (bound, with
  // the fields a broker-side evaluation reads); nullopt when there is neither.
  std::optional<odata::Filter> listFilter() {
    odata::Filter all;
    all.op = odata::FilterOp::kAnd;
    for (const auto& [property, value] : inputs_) {
      if (property->role != Role::kData && !toOneNavigationKey(*property)) continue;
      const edm::Property& p = edmProperty(*property);
      odata::formatLiteral(p.type, version_, *value, property->name);  // checks the value
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
        const auto field = fields_.find(property->source);
        subject.slot = field ? *field : fields_.add(property->source, p.type);
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
    if (!request_.filter.empty()) {
      all.children.push_back(
          bindFilterTo(request_.filter, object_, set_->type(), version_, &fields_));
    }
    if (all.children.empty()) return std::nullopt;
    if (all.children.size() == 1) return std::move(all.children.front());
    return all;
  }

  // `Supplier/ID`: a key of an entity the set's entities each have one of (or none).
  bool toOneNavigationKey(const so::Property& property) const {
    if (property.role != Role::kNavigationKey) return false;
    const edm::NavigationProperty* nav =
        set_->type().findNavigationProperty(property.source.substr(0, property.source.find('/')));
    return nav != nullptr && !nav->type.collection;
  }

  // The call's order, or else that of the Query Options.
  std::string orderByList() const {
    std::string order;
    if (request_.orderBy.empty()) {
      for (const auto& [path, descending] : options_.orderBy) {
        order += (order.empty() ? "" : ",") + path + (descending ? " desc" : "");
      }
      return order;
    }
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
    prepareEntityFields();
    odata::Query query(client_.keys().excludeQueryParameters);
    if (!request_.returns.empty() || !options_.select.empty()) query.add("$select", selectList());
    odata::Call call;
    call.url = entityUrl() + query.toString();
    call.headers = callHeaders();
    if (method_.type == so::MethodType::kLoad) downloadStreams();
    return readOne(call, sink);
  }

  // ---- streams ----

  // `Set(1)/$value` for media content, `Set(1)/Name` for a named stream.
  static std::string streamPath(const std::string& entity, const so::Property& content) {
    return entity + "/" +
           (content.source.empty() ? "$value" : odata::encodePathSegment(content.source));
  }

  // The Path or MIME Type property that goes with a stream's content.
  const so::Property* companion(const so::Property& content, Role role) const {
    for (const so::Property& p : object_.properties) {
      if (p.role == role && p.source == content.source) return &p;
    }
    return nullptr;
  }

  // Load returns stream content: each stream returned is downloaded into a file, and its
  // content, file name and MIME type are emitted instead of the links a list has.
  void downloadStreams() {
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

  // A stream given to Create or Update, with what goes with it.
  struct StreamInput {
    const so::Property* content;
    Upload upload;
    std::string slug;         // the Path input, else the file's name
    std::string contentType;  // the MIME Type input, else the file's, else by its name
  };

  std::vector<StreamInput> streamInputs() const {
    std::vector<StreamInput> out;
    for (const auto& [property, value] : inputs_) {
      if (property->role != Role::kStreamContent || value->isNull()) continue;
      StreamInput in{property, uploadOf(*value, property->name), {}, {}};
      const so::Property& content = *property;  // lambdas may not capture bindings (clang < 16)
      const auto text = [&](Role role) {
        const so::Property* p = companion(content, role);
        const Value* given = p == nullptr ? nullptr : input(p->name);
        return given == nullptr || given->isNull() ? std::string() : given->text;
      };
      in.slug = text(Role::kStreamPath);
      if (in.slug.empty()) in.slug = in.upload.content.fileName;
      in.contentType = text(Role::kStreamMimeType);
      if (in.contentType.empty()) in.contentType = in.upload.content.contentType;
      if (in.contentType.empty()) in.contentType = mimeTypeFor(in.slug);
      out.push_back(std::move(in));
    }
    return out;
  }

  // A named stream's file name travels in the property its Core.ContentDisposition names
  // (V4 services keep it there; the PUT of the content cannot carry it), unless the caller gave
  // that property a value of its own.
  void addFileNameInputs(const std::vector<StreamInput>& streams) {
    for (const StreamInput& in : streams) {
      if (in.content->source.empty() || in.slug.empty()) continue;
      const edm::Property* stream = set_->type().findPropertyPath(in.content->source);
      if (stream == nullptr || stream->annotations.fileNameProperty.empty()) continue;
      const auto target = std::find_if(
          object_.properties.begin(), object_.properties.end(), [&](const so::Property& p) {
            return p.role == Role::kData && p.source == stream->annotations.fileNameProperty;
          });
      if (target == object_.properties.end() || input(target->name) != nullptr) continue;
      decoded_.push_back(Value::string(in.slug));
      inputs_.emplace_back(&*target, &decoded_.back());
    }
  }

  // PUT of a stream's content (media `$value`, or a named stream's property URL), its file name
  // as Slug and Content-Disposition for the services that take it from there.
  void putStream(const std::string& entity, const StreamInput& in) {
    odata::Call call;
    call.method = "PUT";
    call.url = streamPath(entity, *in.content);
    call.headers = callHeaders();
    if (!in.slug.empty()) {
      call.headers.push_back({"Slug", slugHeader(in.slug)});
      call.headers.push_back({"Content-Disposition", contentDisposition(in.slug)});
    }
    if (hasETag()) call.headers.push_back({"If-Match", ifMatch()});
    call.bodyFile = in.upload.content.path;
    call.contentType = in.contentType;
    send(call);
  }

  // Whether the call sets any data property other than the keys.
  bool setsData() const {
    return std::any_of(inputs_.begin(), inputs_.end(), [](const auto& input) {
      return input.first->role == Role::kData && !input.first->key;
    });
  }

  // The URL of an entity the service just created: its Location, the payload's own link, or
  // the keys it answered with.
  std::string createdUrl(const odata::HttpResponse& response, const odata::Entry* entry) const {
    if (const auto location = response.header("Location"); location && !location->empty()) {
      return std::string(*location);
    }
    if (entry != nullptr && !entry->editLink.empty()) return entry->editLink;
    if (entry != nullptr) return entityUrlOf(*entry);
    return entityUrl();
  }

  // The entity URL from the key values a payload holds.
  std::string entityUrlOf(const odata::Entry& entry) const {
    std::vector<odata::KeyValue> keys;
    for (const auto& [property, field] : keyFields_) {
      keys.push_back({property->source, &edmProperty(*property).type, &entry.values[field]});
    }
    return pathOf(*set_) + odata::keyPredicate(keys, version_);
  }

  std::string streamLink(const odata::Entry& entry, const so::Property& content) const override {
    std::string link = MethodCall::streamLink(entry, content);
    if (link.empty() && !keyFields_.empty()) link = streamPath(entityUrlOf(entry), content);
    return link;
  }

  // The returned fields, and the keys (to address the entity and its streams).
  void prepareEntityFields() {
    prepareFields();
    for (const so::Property& p : object_.properties) {
      if (!p.key) continue;
      const auto field = fields_.find(p.source);
      keyFields_.emplace_back(&p, field ? *field : fields_.add(p.source, edmProperty(p).type));
      fields_.setKey(keyFields_.back().second);
    }
  }

  // Sends a call that answers with one entity and emits it; a missing record is no row
  // when the instance ignores not-found errors.
  // `written`: the entity a write just stored, which is read without failing the call.
  CallResult readOne(const odata::Call& call, RowSink& sink, bool written = false) {
    CallResult result;
    try {
      odata::HttpResponse response = send(call);
      const auto entry = odata::readEntity(response.body, fields_,
                                           written ? writtenReadOptions(result) : readOptions());
      if (!entry) throw Error(ErrorCode::kNotFound, "the service answered that there is none");
      emit(*entry, response, sink);
      result.rows = 1;
    } catch (const Error& e) {
      if (e.code() != ErrorCode::kNotFound || !client_.keys().ignoreErrorWhenRecordNotFound) throw;
    }
    return result;
  }

  // The entity body of a write: JSON, and the same as an Atom entry for a V2/V3 service that
  // takes no JSON (the client sends the one the service speaks).
  void setPayload(odata::Call& call, bool withKeys) const {
    call.body = payload(withKeys);
    if (version_ < ODataVersion::kV4) {
      call.atomBody = [this, withKeys] { return atomPayload(withKeys); };
    }
  }

  std::string atomPayload(bool withKeys) const {
    std::string body;
    odata::AtomEntryWriter writer(body);
    for (const auto& [property, value] : inputs_) {
      if (property->role != Role::kData || (property->key && !withKeys)) continue;
      writer.property(property->source, edmProperty(*property).type, *value, property->name);
    }
    writer.finish();
    return body;
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
    prepareEntityFields();
    std::vector<StreamInput> streams = streamInputs();
    addFileNameInputs(streams);
    const auto media = std::find_if(streams.begin(), streams.end(), [](const StreamInput& in) {
      return in.content->source.empty();
    });
    odata::Call call;
    call.method = "POST";
    call.url = pathOf(*set_);
    call.headers = callHeaders();
    if (media != streams.end()) {
      // A media entity is created from its stream; its other properties follow.
      call.bodyFile = media->upload.content.path;
      call.contentType = media->contentType;
      if (!media->slug.empty()) call.headers.push_back({"Slug", slugHeader(media->slug)});
    } else {
      setPayload(call, true);
    }
    odata::HttpResponse response = send(call);
    // From here on the entity exists: nothing the service answers fails the call.
    CallResult result;
    std::optional<odata::Entry> entry;
    if (!response.body.empty()) {
      entry = odata::readEntity(response.body, fields_, writtenReadOptions(result));
    }
    const std::string created = createdUrl(response, entry ? &*entry : nullptr);
    if (media != streams.end() && setsData()) {
      odata::Call patch;
      patch.method = version_ >= ODataVersion::kV4 ? "PATCH" : "MERGE";
      patch.url = created;
      patch.headers = callHeaders();
      if (hasETag()) patch.headers.push_back({"If-Match", "*"});
      setPayload(patch, false);
      send(patch);
    }
    for (auto in = streams.begin(); in != streams.end(); ++in) {
      if (in != media) putStream(created, *in);
    }
    if (entry && streams.empty()) {
      emit(*entry, response, sink);
      result.rows = 1;
      return result;
    }
    // 204 (return=minimal), or streams and properties written after: read what was stored.
    odata::Call reread;
    reread.url = created;
    reread.headers = callHeaders();
    CallResult read = readOne(reread, sink, true);
    read.warnings.insert(read.warnings.begin(), result.warnings.begin(), result.warnings.end());
    return read;
  }

  // A Slug header value: printable ASCII as it is, anything else percent-encoded (RFC 5023).
  static std::string slugHeader(std::string_view name) {
    return core::percentEncode(name, " !\"#$&'()*+,/:;<=>?@[\\]^`{|}");
  }

  // `attachment; filename="…"; filename*=UTF-8''…` (RFC 6266): an ASCII fallback with the
  // quote, the backslash and what is not printable ASCII replaced, then the exact name.
  static std::string contentDisposition(std::string_view name) {
    std::string fallback;
    for (const char c : name) {
      const auto u = static_cast<unsigned char>(c);
      fallback += u < 0x20 || u >= 0x7f || c == '"' || c == '\\' ? '_' : c;
    }
    return "attachment; filename=\"" + fallback + "\"; filename*=UTF-8''" +
           core::percentEncode(name, "!#$&+^`|~");  // RFC 8187 attr-char
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
    prepareEntityFields();
    const std::vector<StreamInput> streams = streamInputs();
    addFileNameInputs(streams);
    const std::vector<odata::Header> headers = callHeaders();
    const std::string url = entityUrl();
    try {
      // Properties are patched unless the call only replaces streams.
      if (streams.empty() || setsData()) {
        odata::Call call;
        call.method = version_ >= ODataVersion::kV4 ? "PATCH" : "MERGE";
        call.url = url;
        call.headers = headers;
        if (hasETag()) call.headers.push_back({"If-Match", ifMatch()});
        setPayload(call, false);
        send(call);
      }
      for (const StreamInput& in : streams) putStream(url, in);
    } catch (const Error& e) {
      if (e.code() != ErrorCode::kNotFound || !client_.keys().ignoreErrorWhenRecordNotFound) throw;
      return {};
    }
    // The service's answer varies (204, or the entity without its new ETag): read it back.
    odata::Call reread;
    reread.url = url;
    reread.headers = headers;
    return readOne(reread, sink, true);
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

  // CreateLink/DeleteLink: adds or removes the related entity given by its keys to the
  // navigation (V4 `Nav/$ref` with `@odata.id`; V2/V3 `$links/Nav` with `uri`/`url`).
  CallResult link(bool create) {
    const edm::NavigationProperty* nav = set_->type().findNavigationProperty(method_.navigation);
    const edm::EntitySet* target =
        nav == nullptr ? nullptr : edm::navigationTarget(model_, *set_, *nav);
    if (target == nullptr) {
      throw Error(ErrorCode::kInvalidArgument, object_.name + "." + method_.name +
                                                   ": the metadata names no entity set that '" +
                                                   method_.navigation + "' leads to");
    }
    std::vector<odata::KeyValue> keys;
    for (const edm::PropertyRef& ref : target->type().key()) {
      const std::string path = nav->name + "/" + ref.name;
      const Value* value = nullptr;
      for (const auto& [property, given] : inputs_) {
        if (property->role == Role::kNavigationKey && property->source == path) value = given;
      }
      // Required inputs, so present.
      keys.push_back({ref.name, &target->type().findPropertyPath(ref.name)->type, value});
    }
    const std::string related = pathOf(*target) + odata::keyPredicate(keys, version_);
    const std::string navigation = odata::encodePathSegment(nav->name);
    odata::Call call;
    call.method = create ? "POST" : "DELETE";
    call.headers = callHeaders();
    const bool v4 = version_ >= ODataVersion::kV4;
    // DeleteLink addresses the related entity by key in the navigation: `Nav(2)/$ref`.
    const std::string predicate = create ? "" : odata::keyPredicate(keys, version_);
    call.url = v4 ? entityUrl() + "/" + navigation + predicate + "/$ref"
                  : entityUrl() + "/$links/" + navigation + predicate;
    // V4 takes the id relative to the service root; V2/V3 the absolute URI.
    if (create) {
      const char* member = v4 ? "@odata.id" : version_ == ODataVersion::kV3 ? "url" : "uri";
      core::JsonWriter(call.body)
          .beginObject()
          .key(member)
          .value(v4 ? related : client_.resolve(related))
          .endObject();
    }
    send(call);
    return {};
  }

  const edm::Model& model_;
  const edm::EntitySet* set_;
  std::vector<std::pair<const so::Property*, std::size_t>> keyFields_;  // key → field
  std::deque<core::TempFile> downloads_;  // stream content Load returns, kept for the sink
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
  if (object->folder == so::Folder::kOperations) {
    return runOperation(instance, *object, *method, request, sink, stats ? *stats : unused);
  }
  if (object->folder == so::Folder::kObjectTypes) {
    return runObjectTypeMethod(instance, *object, *method, request, sink, stats ? *stats : unused);
  }
  EntityCall call(instance, *object, *method, request, stats ? *stats : unused);
  return call.run(sink);
}

}  // namespace broker::engine
