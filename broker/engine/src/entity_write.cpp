// Create and Update: the entity's payload (JSON, or Atom for a service that speaks only that),
// the stream contents that go with it, and the stored entity read back.
#include <simdjson.h>

#include <algorithm>

#include "broker/core/text.h"
#include "broker/odata/literal.h"
#include "broker/odata/payload.h"
#include "broker/odata/reader.h"
#include "entity_call.h"

namespace broker::engine::internal {
namespace {

// A Slug header value: printable ASCII as it is, anything else percent-encoded (RFC 5023).
std::string slugHeader(std::string_view name) {
  return core::percentEncode(name, " !\"#$&'()*+,/:;<=>?@[\\]^`{|}");
}

// `attachment; filename="…"; filename*=UTF-8''…` (RFC 6266): an ASCII fallback with the quote,
// the backslash and what is not printable ASCII replaced, then the exact name.
std::string contentDisposition(std::string_view name) {
  std::string fallback;
  for (const char c : name) {
    const auto u = static_cast<unsigned char>(c);
    fallback += u < 0x20 || u >= 0x7f || c == '"' || c == '\\' ? '_' : c;
  }
  return "attachment; filename=\"" + fallback + "\"; filename*=UTF-8''" +
         core::percentEncode(name, "!#$&+^`|~");  // RFC 8187 attr-char
}

constexpr std::string_view kStreamsApart =
    "file content goes to the service in requests of its own; call it outside the batch";

}  // namespace

// ---- Create ----

odata::RequestPlan EntityCall::planCreate() {
  prepareEntityFields();
  streams_ = streamInputs();
  addFileNameInputs(streams_);
  const auto media = std::find_if(streams_.begin(), streams_.end(),
                                  [](const StreamInput& in) { return in.content->source.empty(); });
  odata::RequestPlan plan;
  odata::Call& call = plan.request;
  call.method = "POST";
  call.url = pathOf(*set_);
  call.headers = call_.callHeaders();
  if (media != streams_.end()) {
    // A media entity is created from its stream; its other properties follow.
    call.bodyFile = media->upload.content.path;
    call.contentType = media->contentType;
    if (!media->slug.empty()) call.headers.push_back({"Slug", slugHeader(media->slug)});
  } else {
    setPayload(call, true);
  }
  if (!streams_.empty()) plan.unbatchable = kStreamsApart;
  if (!call_.deepInputs.empty()) {
    if (media != streams_.end()) {
      throw Error(ErrorCode::kInvalidArgument,
                  "a media entity is created from its file content alone: it takes no related "
                  "entities inline (deep insert)");
    }
    // The created children come back the way `expand` returns them.
    std::vector<std::string> navs;
    for (const auto& [nav, value] : call_.deepInputs) navs.push_back(nav->name);
    rows_.expansions.emplace(navs, call_.type(), call_.object.name, rows_.fields);
  }
  return plan;
}

CallResult EntityCall::finishCreate(odata::HttpResponse& response, RowSink& sink) {
  // From here on the entity exists: nothing the service answers fails the call.
  CallResult result;
  std::optional<odata::Entry> entry;
  if (!response.body.empty()) {
    entry = odata::readEntity(response.body, rows_.fields, call_.writtenReadOptions(result));
  }
  created_ = createdUrl(response, entry ? &*entry : nullptr);
  const auto media = std::find_if(streams_.begin(), streams_.end(),
                                  [](const StreamInput& in) { return in.content->source.empty(); });
  if (media != streams_.end() && setsData()) {
    odata::Call patch;
    patch.method = mergeMethod();
    patch.url = created_;
    patch.headers = call_.callHeaders();
    if (hasETag()) patch.headers.push_back({"If-Match", "*"});
    setPayload(patch, false);
    call_.send(patch);
  }
  for (auto in = streams_.begin(); in != streams_.end(); ++in) {
    if (in != media) call_.send(streamPut(created_, *in));
  }
  // Deep insert: the children come with the answer, or are read back with the entity.
  const bool children =
      std::all_of(call_.deepInputs.begin(), call_.deepInputs.end(), [&](const auto& in) {
        const auto field = rows_.fields.find(in.first->name);
        return entry && field && !entry->values[*field].isNull();
      });
  if (entry && streams_.empty() && children) {
    rows_.emit(*entry, response, sink);
    result.rows = 1;
    result.warnings.insert(result.warnings.end(), rows_.expandWarnings.begin(),
                           rows_.expandWarnings.end());
    return result;
  }
  // 204 (return=minimal), or streams and properties written after: read what was stored.
  std::string url = created_;
  if (rows_.expansions) {
    const std::vector<std::string> none;
    odata::Query query(none);
    query.add("$expand", rows_.expansions->option());
    const std::string option = query.toString();  // "?$expand=…"
    url += url.find('?') == std::string::npos ? option : "&" + option.substr(1);
  }
  CallResult read = readBack(url, sink);
  read.warnings.insert(read.warnings.begin(), result.warnings.begin(), result.warnings.end());
  return read;
}

// The URL of an entity the service just created: its Location, the payload's own link, or the
// keys it answered with.
std::string EntityCall::createdUrl(const odata::HttpResponse& response,
                                   const odata::Entry* entry) const {
  if (const auto location = response.header("Location"); location && !location->empty()) {
    return std::string(*location);
  }
  if (entry != nullptr && !entry->editLink.empty()) return entry->editLink;
  if (entry != nullptr) return entityUrlOf(*entry);
  return entityUrl();
}

// ---- Update ----

odata::RequestPlan EntityCall::planUpdate() {
  prepareEntityFields();
  streams_ = streamInputs();
  addFileNameInputs(streams_);
  odata::RequestPlan plan;
  // Properties are patched unless the call only replaces streams.
  if (streams_.empty() || setsData()) {
    odata::Call& call = plan.request;
    call.method = mergeMethod();
    call.url = entityUrl();
    call.headers = call_.callHeaders();
    if (hasETag()) call.headers.push_back({"If-Match", ifMatch()});
    setPayload(call, false);
  } else {
    plan.request = streamPut(entityUrl(), streams_.front());
    sentStreams_ = 1;
  }
  if (!streams_.empty()) plan.unbatchable = kStreamsApart;
  // Addressed by a Content-ID, the entity has a URL only after the change set ran.
  if (streams_.empty() && entityReference_.empty()) plan.readBack = readBackCall(entityUrl());
  return plan;
}

CallResult EntityCall::finishUpdate(RowSink& sink) {
  for (std::size_t i = sentStreams_; i < streams_.size(); ++i) {
    call_.send(streamPut(entityUrl(), streams_[i]));
  }
  // The service's answer varies (204, or the entity without its new ETag): read it back.
  return readBack(entityUrl(), sink);
}

std::string EntityCall::mergeMethod() const {
  return call_.version >= ODataVersion::kV4 ? "PATCH" : "MERGE";
}

std::string EntityCall::ifMatch() const {
  const Value* etag = call_.inputWithRole(Role::kETag);
  return etag != nullptr && !etag->isNull() && !etag->text.empty() ? etag->text : "*";
}

bool EntityCall::hasETag() const {
  return std::any_of(call_.object.properties.begin(), call_.object.properties.end(),
                     [](const so::Property& p) { return p.role == Role::kETag; });
}

// Whether the call sets any data property other than the keys.
bool EntityCall::setsData() const {
  return std::any_of(call_.inputs.begin(), call_.inputs.end(), [](const auto& input) {
    return input.first->role == Role::kData && !input.first->key;
  });
}

// ---- payloads ----

// The entity body of a write: JSON, and the same as an Atom entry for a V2/V3 service that
// takes no JSON (the client sends the one the service speaks).
void EntityCall::setPayload(odata::Call& call, bool withKeys) const {
  call.body = payload(withKeys);
  if (call_.version < ODataVersion::kV4 && call_.deepInputs.empty()) {
    call.atomBody = [this, withKeys] { return atomPayload(withKeys); };
  }
}

std::string EntityCall::atomPayload(bool withKeys) const {
  std::string body;
  odata::AtomEntryWriter writer(body);
  for (const auto& [property, value] : call_.inputs) {
    if (property->role != Role::kData || (property->key && !withKeys)) continue;
    writer.property(property->source, call_.edmProperty(*property).type, *value, property->name);
  }
  writer.finish();
  return body;
}

std::string EntityCall::payload(bool withKeys) const {
  std::string body;
  core::JsonWriter writer(body);
  writer.beginObject();
  for (const auto& [property, value] : call_.inputs) {
    if (property->role != Role::kData || (property->key && !withKeys)) continue;
    writer.key(property->source);
    odata::writePayloadValue(writer, call_.edmProperty(*property).type, call_.version, *value,
                             property->name);
  }
  if (withKeys) {
    for (const auto& [nav, value] : call_.deepInputs) {
      writer.key(nav->name);
      writeInline(writer, *nav, value->text, nav->name);
    }
  }
  writer.endObject();
  return body;
}

namespace {

// A JSON value of the caller's as the engine's input value.
Value inputOf(simdjson::dom::element element) {
  switch (element.type()) {
    case simdjson::dom::element_type::NULL_VALUE:
      return Value::null();
    case simdjson::dom::element_type::STRING:
      return Value::string(std::string_view(element.get_string()));
    case simdjson::dom::element_type::BOOL:
      return Value::boolean(bool(element.get_bool()));
    case simdjson::dom::element_type::ARRAY:
    case simdjson::dom::element_type::OBJECT:
      return Value::json(simdjson::minify(element));
    default:
      return Value::number(simdjson::minify(element));
  }
}

void writeEntity(core::JsonWriter& writer, const edm::StructuredType& type,
                 simdjson::dom::object object, ODataVersion version, const std::string& where);

// The related entities of `nav` given inline: an object, or an array of them, each member a
// property (or, nested deeper, a navigation) of the related type.
void writeRelated(core::JsonWriter& writer, const edm::NavigationProperty& nav,
                  simdjson::dom::element value, ODataVersion version, const std::string& where) {
  const auto& related = static_cast<const edm::StructuredType&>(*nav.type.definition);
  if (!nav.type.collection) {
    simdjson::dom::object object;
    if (value.get_object().get(object) != simdjson::SUCCESS) {
      throw Error(ErrorCode::kInvalidArgument, "input '" + where + "' must be an object");
    }
    writeEntity(writer, related, object, version, where);
    return;
  }
  simdjson::dom::array array;
  if (value.get_array().get(array) != simdjson::SUCCESS) {
    throw Error(ErrorCode::kInvalidArgument, "input '" + where + "' must be an array of objects");
  }
  writer.beginArray();
  std::size_t index = 0;
  for (simdjson::dom::element item : array) {
    const std::string at = where + "[" + std::to_string(index++) + "]";
    simdjson::dom::object object;
    if (item.get_object().get(object) != simdjson::SUCCESS) {
      throw Error(ErrorCode::kInvalidArgument, "input '" + at + "' must be an object");
    }
    writeEntity(writer, related, object, version, at);
  }
  writer.endArray();
}

void writeEntity(core::JsonWriter& writer, const edm::StructuredType& type,
                 simdjson::dom::object object, ODataVersion version, const std::string& where) {
  writer.beginObject();
  for (auto [key, value] : object) {
    const std::string name(key);
    if (const edm::Property* property = type.findPropertyPath(name);
        property != nullptr && name.find('/') == std::string::npos) {
      writer.key(name);
      odata::writePayloadValue(writer, property->type, version, inputOf(value), where + "." + name);
    } else if (const edm::NavigationProperty* nav = type.findNavigationProperty(name);
               nav != nullptr && nav->type.definition != nullptr) {
      writer.key(name);
      writeRelated(writer, *nav, value, version, where + "." + name);
    } else {
      throw Error(ErrorCode::kInvalidArgument,
                  "input '" + where + "': '" + type.name + "' has no property '" + name + "'");
    }
  }
  writer.endObject();
}

}  // namespace

void EntityCall::writeInline(core::JsonWriter& writer, const edm::NavigationProperty& nav,
                             const std::string& json, const std::string& where) const {
  simdjson::dom::parser parser;
  simdjson::dom::element value;
  if (parser.parse(json).get(value) != simdjson::SUCCESS) {
    throw Error(ErrorCode::kInvalidArgument, "input '" + where + "' is not valid JSON");
  }
  writeRelated(writer, nav, value, call_.version, where);
}

// ---- streams ----

std::vector<EntityCall::StreamInput> EntityCall::streamInputs() const {
  std::vector<StreamInput> out;
  for (const auto& [property, value] : call_.inputs) {
    if (property->role != Role::kStreamContent || value->isNull()) continue;
    StreamInput in{property, uploadOf(*value, property->name), {}, {}};
    const so::Property& content = *property;  // lambdas may not capture bindings (clang < 16)
    const auto text = [&](Role role) {
      const so::Property* p = companion(content, role);
      const Value* given = p == nullptr ? nullptr : call_.input(p->name);
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

// A named stream's file name travels in the property its Core.ContentDisposition names (V4
// services keep it there; the PUT of the content cannot carry it), unless the caller gave that
// property a value of its own.
void EntityCall::addFileNameInputs(const std::vector<StreamInput>& streams) {
  for (const StreamInput& in : streams) {
    if (in.content->source.empty() || in.slug.empty()) continue;
    const edm::Property* stream = set_->type().findPropertyPath(in.content->source);
    if (stream == nullptr || stream->annotations.fileNameProperty.empty()) continue;
    const auto target = std::find_if(
        call_.object.properties.begin(), call_.object.properties.end(), [&](const so::Property& p) {
          return p.role == Role::kData && p.source == stream->annotations.fileNameProperty;
        });
    if (target == call_.object.properties.end() || call_.input(target->name) != nullptr) continue;
    call_.addInput(*target, Value::string(in.slug));
  }
}

// PUT of a stream's content (media `$value`, or a named stream's property URL), its file name
// as Slug and Content-Disposition for the services that take it from there.
odata::Call EntityCall::streamPut(const std::string& entity, const StreamInput& in) const {
  odata::Call call;
  call.method = "PUT";
  call.url = streamPath(entity, *in.content);
  call.headers = call_.callHeaders();
  if (!in.slug.empty()) {
    call.headers.push_back({"Slug", slugHeader(in.slug)});
    call.headers.push_back({"Content-Disposition", contentDisposition(in.slug)});
  }
  if (hasETag()) call.headers.push_back({"If-Match", ifMatch()});
  call.bodyFile = in.upload.content.path;
  call.contentType = in.contentType;
  return call;
}

}  // namespace broker::engine::internal
