#include "broker/odata/reader.h"

#include <simdjson.h>

#include <algorithm>
#include <charconv>
#include <memory>

#include "atom.h"
#include "broker/core/error.h"
#include "broker/core/json_writer.h"
#include "broker/core/text.h"
#include "broker/edm/model.h"
#include "broker/odata/temporal.h"
#include "json_scan.h"
#include "typed_value.h"
#include "value_text.h"

namespace broker::odata {
namespace {

using internal::primitiveValue;
using internal::TextKind;
using internal::writeValue;

namespace sj = simdjson::ondemand;
using core::Error;
using core::ErrorCode;
using edm::ODataVersion;
using edm::PrimitiveKind;

// One parser per thread, reused: a parser keeps buffers sized for the largest document it
// read, which a new parser per page would allocate (and fault in) again every time. A document
// is read while its caller's callbacks run; should one of them read another document, it gets
// a parser of its own, so the outer document stays valid.
class ParserLease {
 public:
  ParserLease() : reused_(!inUse_) {
    if (reused_) inUse_ = true;
  }
  ~ParserLease() {
    if (reused_) inUse_ = false;
  }
  ParserLease(const ParserLease&) = delete;
  ParserLease& operator=(const ParserLease&) = delete;

  simdjson::ondemand::parser& get() {
    if (reused_) return shared_;
    if (!own_) own_ = std::make_unique<simdjson::ondemand::parser>();
    return *own_;
  }

 private:
  static thread_local inline simdjson::ondemand::parser shared_{simdjson::SIMDJSON_MAXSIZE_BYTES};
  static thread_local inline bool inUse_ = false;
  bool reused_;
  std::unique_ptr<simdjson::ondemand::parser> own_;
};

simdjson::padded_string_view padded(std::string& body) {
  body.reserve(body.size() + simdjson::SIMDJSON_PADDING);
  return simdjson::padded_string_view(body.data(), body.size(), body.capacity());
}

std::string_view trimToken(std::string_view token) {
  while (!token.empty() && (token.back() == ' ' || token.back() == '\n' || token.back() == '\r' ||
                            token.back() == '\t')) {
    token.remove_suffix(1);
  }
  return token;
}

// Metadata members that are not data: V4 "@odata.etag", "Name@odata.type", V3 "odata.etag",
// V2 "__metadata" and "__deferred".
bool annotationMember(std::string_view key) {
  return key.find('@') != std::string_view::npos || key.starts_with("odata.") ||
         key.starts_with("__");
}

// A complex value or collection as clean JSON: no annotations, and V2's collection wrapper
// {"__metadata": …, "results": […]} reduced to the array.
void writeClean(sj::value value, core::JsonWriter& out) {
  switch (value.type()) {
    case sj::json_type::object: {
      std::string members;
      core::JsonWriter writer(members);
      writer.beginObject();
      int count = 0;
      std::string results;
      for (auto field : value.get_object()) {
        const std::string_view key = field.unescaped_key();
        if (annotationMember(key)) continue;
        ++count;
        sj::value member = field.value();
        if (key == "results" && member.type() == sj::json_type::array) {
          core::JsonWriter arrayWriter(results);
          writeClean(member, arrayWriter);
          writer.key(key).raw(results);
        } else {
          writer.key(key);
          writeClean(member, writer);
        }
      }
      writer.endObject();
      out.raw(count == 1 && !results.empty() ? results : members);
      break;
    }
    case sj::json_type::array:
      out.beginArray();
      for (auto element : value.get_array()) writeClean(element.value(), out);
      out.endArray();
      break;
    case sj::json_type::string:
      out.value(std::string_view(value.get_string()));
      break;
    case sj::json_type::boolean:
      out.value(bool(value.get_bool()));
      break;
    case sj::json_type::null:
      out.null();
      break;
    default:
      out.raw(trimToken(value.raw_json_token()));
      break;
  }
}

using internal::Unmappable;

class Converter {
 public:
  explicit Converter(const ReadOptions& options) : options_(options) {}

  // Converts into `out` where it can (a primitive value: `out` keeps its capacity), else
  // assigns convert()'s result.
  void convertInto(sj::value value, const edm::TypeRef& type, std::string_view member,
                   Value& out) const {
    const sj::json_type json = value.type();
    const bool scalar = json == sj::json_type::string || json == sj::json_type::number ||
                        json == sj::json_type::boolean;
    const bool primitive = !type.collection && (type.kind == edm::TypeKind::kPrimitive ||
                                                type.kind == edm::TypeKind::kEnum ||
                                                type.kind == edm::TypeKind::kTypeDefinition);
    if (!scalar || !primitive || isAnyJson(type)) {
      out = convert(value, type, member);
      return;
    }
    const std::string_view text = json == sj::json_type::string
                                      ? std::string_view(value.get_string())
                                      : trimToken(value.raw_json_token());
    if (!primitiveValue(type, text, kindOf(json), options_.version, out)) {
      out = unmappable(type, member, text);
    }
  }

  Value convert(sj::value value, const edm::TypeRef& type, std::string_view member) const {
    const sj::json_type json = value.type();
    if (json == sj::json_type::null) return Value::null();
    if (type.collection) return collection(value, type, member);
    const bool structured =
        type.kind == edm::TypeKind::kComplex || type.kind == edm::TypeKind::kEntity;
    const bool anyJson = isAnyJson(type);
    if (structured && json != sj::json_type::object) {
      return unmappable(type, member, trimToken(value.raw_json_token()));
    }
    if (structured || anyJson) return clean(value);
    if (json == sj::json_type::object || json == sj::json_type::array) {
      return unmappable(type, member, trimToken(value.raw_json_token()));
    }
    std::string_view text;
    if (json == sj::json_type::string) {
      text = value.get_string();
    } else {
      text = trimToken(value.raw_json_token());
    }
    Value converted;
    if (primitiveValue(type, text, kindOf(json), options_.version, converted)) return converted;
    return unmappable(type, member, text);
  }

 private:
  // Geography and geometry values (GeoJSON), Edm.Untyped and Edm.PrimitiveType: any JSON.
  static bool isAnyJson(const edm::TypeRef& type) {
    return type.kind == edm::TypeKind::kPrimitive && type.primitive >= PrimitiveKind::kGeography &&
           type.primitive <= PrimitiveKind::kPrimitiveType;
  }

  static TextKind kindOf(sj::json_type json) {
    return json == sj::json_type::string    ? TextKind::kJsonString
           : json == sj::json_type::number  ? TextKind::kJsonNumber
           : json == sj::json_type::boolean ? TextKind::kJsonBoolean
                                            : TextKind::kJsonOther;
  }

  static Value clean(sj::value value) {
    std::string text;
    core::JsonWriter writer(text);
    writeClean(value, writer);
    return Value::json(text);
  }

  // A collection: an array (V2 wraps it as {"results": [...]}) whose elements each fit the
  // element type; primitive elements are converted like single values.
  Value collection(sj::value value, const edm::TypeRef& type, std::string_view member) const {
    edm::TypeRef element = type;
    element.collection = false;
    sj::array array;
    if (value.type() == sj::json_type::object) {
      std::optional<Value> read;
      for (auto field : value.get_object()) {
        const std::string_view key = field.unescaped_key();
        // An expanded feed the service sent in part names the rest (V2 `__next`).
        if (key == "__next" && partial_ != nullptr) partial_->emplace_back(member);
        if (key != "results" || read) continue;
        if (field.value().get_array().get(array) != simdjson::SUCCESS) break;
        read = elements(array, element, member);
      }
      if (read) return std::move(*read);
      return unmappable(type, member, trimToken(value.raw_json_token()));
    }
    if (value.get_array().get(array) != simdjson::SUCCESS) {
      return unmappable(type, member, trimToken(value.raw_json_token()));
    }
    return elements(array, element, member);
  }

  Value elements(sj::array array, const edm::TypeRef& element, std::string_view member) const {
    std::string text;
    core::JsonWriter writer(text);
    writer.beginArray();
    for (auto item : array) {
      const Value converted = convert(item.value(), element, member);
      writeValue(converted, writer);
    }
    writer.endArray();
    return Value::json(text);
  }

  Value unmappable(const edm::TypeRef& type, std::string_view member, std::string_view text) const {
    if (options_.ignoreUnmappable && options_.problems == nullptr) return Value::null();
    std::string description = internal::describeUnfit(type, member, text);
    if (options_.problems != nullptr) {
      options_.problems->push_back("the service sent " + description + "; it is null here");
      return Value::null();
    }
    throw Unmappable{std::move(description)};
  }

  const ReadOptions& options_;

 public:
  /// Where collections sent in part (V2 `__next` inside an expanded feed) are named, by member.
  void notePartialIn(std::vector<std::string>* partial) const { partial_ = partial; }

 private:
  mutable std::vector<std::string>* partial_ = nullptr;
};

// Reads one entity object's members into `entry`.
// The entries of a feed name their members in the same order, as a rule: the index found for
// the n-th member of one entry is tried first for the n-th member of the next, one comparison
// instead of a search. Bounded, so an entry with endless members costs no more memory.
class MemberOrder {
 public:
  std::optional<std::size_t> find(std::size_t position, std::string_view key,
                                  const FieldMap& fields) {
    if (position < seen_.size() && seen_[position].name == key) return seen_[position].index;
    const std::optional<std::size_t> index = fields.find(key);
    if (position < seen_.size()) {
      seen_[position] = {std::string(key), index};
    } else if (position == seen_.size() && position < kMaxMembers) {
      seen_.push_back({std::string(key), index});
    }
    return index;
  }

 private:
  static constexpr std::size_t kMaxMembers = 256;
  struct Seen {
    std::string name;
    std::optional<std::size_t> index;
  };
  std::vector<Seen> seen_;
};

// Reads one entity object's members into `entry`. Returns whether it is a row: false for an
// entry without its key when such entries are skipped (ignoreUnmappable).
bool readEntityObject(sj::object object, const FieldMap& fields, const Converter& converter,
                      const ReadOptions& options, Entry& entry, MemberOrder* order = nullptr) {
  std::size_t position = 0;
  entry.values.assign(fields.size(), Value::null());
  entry.etag.clear();
  entry.editLink.clear();
  entry.mediaReadLink.clear();
  entry.mediaContentType.clear();
  entry.streams.clear();
  entry.partial.clear();
  converter.notePartialIn(&entry.partial);
  std::optional<Unmappable> unmappable;
  for (auto field : object) {
    const std::string_view key = field.unescaped_key();
    if (key == "__metadata") {
      for (auto meta : field.value().get_object()) {
        const std::string_view name = meta.unescaped_key();
        if (name == "etag") entry.etag = std::string_view(meta.value().get_string());
        if (name == "uri") entry.editLink = std::string_view(meta.value().get_string());
        if (name == "media_src") entry.mediaReadLink = std::string_view(meta.value().get_string());
        if (name == "content_type") {
          entry.mediaContentType = std::string_view(meta.value().get_string());
        }
      }
      continue;
    }
    if (key.starts_with('@') || key.starts_with("odata.")) {
      // "@odata.etag" (V4) or "odata.etag" (V3 light); other annotations are skipped.
      const std::size_t prefix = key.starts_with("@odata.") ? 7 : key.starts_with("odata.") ? 6 : 0;
      const std::string_view term = key.substr(prefix);
      if (prefix > 0) {
        if (term == "etag") entry.etag = std::string_view(field.value().get_string());
        if (term == "editLink" || (term == "id" && entry.editLink.empty())) {
          entry.editLink = std::string_view(field.value().get_string());
        }
        if (term == "mediaReadLink")
          entry.mediaReadLink = std::string_view(field.value().get_string());
        if (term == "mediaContentType") {
          entry.mediaContentType = std::string_view(field.value().get_string());
        }
      }
      continue;
    }
    if (const std::size_t at = key.find("@odata."); at != std::string_view::npos && at > 0) {
      // A property's annotation: a named stream's link and MIME type are kept.
      const std::string_view term = key.substr(at + 7);
      if (term == "nextLink") entry.partial.emplace_back(key.substr(0, at));
      if (term == "mediaReadLink" || term == "mediaContentType") {
        const std::string_view name = key.substr(0, at);
        auto stream = std::find_if(entry.streams.begin(), entry.streams.end(),
                                   [name](const NamedStream& s) { return s.name == name; });
        if (stream == entry.streams.end()) {
          stream = entry.streams.insert(stream, NamedStream{std::string(name), {}, {}});
        }
        std::string_view text;
        if (field.value().get_string().get(text) == simdjson::SUCCESS) {
          (term == "mediaReadLink" ? stream->readLink : stream->contentType) = text;
        }
      }
      continue;
    }
    const std::optional<std::size_t> index =
        order != nullptr ? order->find(position++, key, fields) : fields.find(key);
    if (!index) continue;  // navigation links, members the object does not map
    try {
      converter.convertInto(field.value(), fields[*index].type, key, entry.values[*index]);
    } catch (Unmappable& e) {
      // Named once the whole entry (its key included) has been read.
      if (!unmappable) unmappable = std::move(e);
    }
  }
  return internal::finishEntry(entry, fields, options,
                               unmappable ? &unmappable->description : nullptr);
}

std::optional<std::int64_t> countOf(sj::value value) {
  std::string_view text;
  if (value.type() == sj::json_type::string) {
    text = value.get_string();
  } else {
    text = trimToken(value.raw_json_token());
  }
  std::int64_t n = 0;
  if (std::from_chars(text.data(), text.data() + text.size(), n).ec != std::errc()) {
    return std::nullopt;
  }
  return n;
}

// What a JSON library error means for the payload, in words.
std::string_view unexpected(simdjson::error_code code) {
  switch (code) {
    case simdjson::INCORRECT_TYPE:
      return "a value of another type than an OData payload has there";
    case simdjson::EMPTY:
      return "no JSON at all (an empty body)";
    case simdjson::UTF8_ERROR:
      return "text that is not UTF-8";
    case simdjson::UNCLOSED_STRING:
      return "a string that never ends";
    case simdjson::NUMBER_ERROR:
      return "a malformed number";
    case simdjson::T_ATOM_ERROR:
    case simdjson::F_ATOM_ERROR:
    case simdjson::N_ATOM_ERROR:
      return "a word that is not true, false or null";
    case simdjson::DEPTH_ERROR:
      return "values nested too deeply";
    case simdjson::INCOMPLETE_ARRAY_OR_OBJECT:
      return "an object or array that never ends";
    case simdjson::TRAILING_CONTENT:
      return "more after the JSON value";
    case simdjson::UNESCAPED_CHARS:
      return "a control character inside a string";
    default:
      return "text that is not JSON";
  }
}

// One response body being read: the parser it is read with, its document, and, when the body
// is not what the reader expects, an error that says what was unexpected where.
class Reading {
 public:
  explicit Reading(std::string& body) : body_(body) {}
  sj::document& start() {
    doc_ = lease_.get().iterate(padded(body_));
    started_ = true;
    return doc_;
  }
  [[noreturn]] void fail(const simdjson::simdjson_error& e) {
    std::string message = "the service's answer is not the OData JSON expected: ";
    const char* at = nullptr;
    if (started_ && doc_.current_location().get(at) == simdjson::SUCCESS && at >= body_.data() &&
        at <= body_.data() + body_.size()) {
      const auto offset = static_cast<std::size_t>(at - body_.data());
      // A value of the wrong type that cannot start a JSON value at all (an HTML page).
      const bool json =
          offset < body_.size() &&
          std::string_view("{[\"-0123456789tfn").find(body_[offset]) != std::string_view::npos;
      message += unexpected(e.error() == simdjson::INCORRECT_TYPE && !json ? simdjson::TAPE_ERROR
                                                                           : e.error());
      std::string excerpt;
      for (const char c : std::string_view(body_).substr(offset, 40)) {
        excerpt += c >= 0x20 && c < 0x7f ? c : '?';
      }
      message += " at byte " + std::to_string(offset) + " (`" + excerpt + "`)";
    } else {
      message += unexpected(e.error());
    }
    throw Error(ErrorCode::kUpstreamFailure, std::move(message));
  }

 private:
  std::string& body_;
  ParserLease lease_;
  sj::document doc_;
  bool started_ = false;
};

void readEntries(sj::array array, const FieldMap& fields, const Converter& converter,
                 const ReadOptions& options, FeedPage& page,
                 const std::function<void(const Entry&)>& onEntry) {
  Entry entry;
  MemberOrder order;
  for (auto element : array) {
    const bool row =
        readEntityObject(element.get_object(), fields, converter, options, entry, &order);
    ++page.entries;
    if (row) onEntry(entry);
  }
}

}  // namespace

std::size_t FieldMap::add(std::string name, const edm::TypeRef& type) {
  const std::size_t index = fields_.size();
  const auto at = lowerBound(name);
  fields_.push_back({std::move(name), type});
  byName_.insert(at, index);
  return index;
}

std::vector<std::size_t>::const_iterator FieldMap::lowerBound(std::string_view name) const {
  return std::lower_bound(byName_.begin(), byName_.end(), name,
                          [&](std::size_t i, std::string_view n) { return fields_[i].name < n; });
}

std::optional<std::size_t> FieldMap::find(std::string_view name) const noexcept {
  const auto at = lowerBound(name);
  if (at == byName_.end() || fields_[*at].name != name) return std::nullopt;
  return *at;
}

FeedPage readFeed(std::string& body, const FieldMap& fields, const ReadOptions& options,
                  const std::function<void(const Entry&)>& onEntry) {
  if (internal::looksLikeXml(body)) return internal::readAtomFeed(body, fields, options, onEntry);
  FeedPage page;
  const Converter converter(options);
  Reading reading(body);
  try {
    sj::object top = reading.start().get_object();
    for (auto field : top) {
      const std::string_view key = field.unescaped_key();
      if (key == "d") {
        // V2/V3 verbose: {"d": {"results": [...], "__count": "n", "__next": "…"}} or V1 {"d":
        // [...]}.
        sj::value d = field.value();
        if (d.type() == sj::json_type::array) {
          readEntries(d.get_array(), fields, converter, options, page, onEntry);
          continue;
        }
        for (auto member : d.get_object()) {
          const std::string_view name = member.unescaped_key();
          if (name == "results") {
            readEntries(member.value().get_array(), fields, converter, options, page, onEntry);
          } else if (name == "__count") {
            page.count = countOf(member.value());
          } else if (name == "__next") {
            page.nextLink = std::string_view(member.value().get_string());
          }
        }
      } else if (key == "value") {
        readEntries(field.value().get_array(), fields, converter, options, page, onEntry);
      } else if (key == "@odata.nextLink" || key == "odata.nextLink") {
        page.nextLink = std::string_view(field.value().get_string());
      } else if (key == "@odata.count" || key == "odata.count") {
        page.count = countOf(field.value());
      }
    }
  } catch (const simdjson::simdjson_error& e) {
    reading.fail(e);
  }
  return page;
}

// What a document answering for one entity holds, found in one pass over its top level: a
// collection instead (V4 and JSON light {"value": [...]}, V2 verbose {"d": {"results": [...]}}
// or {"d": [...]}), no entity (V2/V3 {"d": null}, V4 {"@odata.null": true}), or the entity.
enum class EntityShape { kEntity, kCollection, kNone };

EntityShape shapeOf(sj::document& doc, const FieldMap& fields, ODataVersion version) {
  for (auto field : doc.get_object()) {
    const std::string_view key = field.unescaped_key();
    if (key == "value" && !fields.find("value") && field.value().type() == sj::json_type::array) {
      return EntityShape::kCollection;
    }
    if (key == "@odata.null" && version >= ODataVersion::kV4) {
      bool null = false;
      return field.value().get_bool().get(null) == simdjson::SUCCESS && null ? EntityShape::kNone
                                                                             : EntityShape::kEntity;
    }
    if (key == "d" && version < ODataVersion::kV4) {
      sj::value d = field.value();
      if (d.is_null()) return EntityShape::kNone;
      if (d.type() == sj::json_type::array) return EntityShape::kCollection;
      if (d.type() != sj::json_type::object) return EntityShape::kEntity;
      for (auto member : d.get_object()) {
        if (member.unescaped_key().value() == "results" && !fields.find("results") &&
            member.value().type() == sj::json_type::array) {
          return EntityShape::kCollection;
        }
      }
    }
  }
  return EntityShape::kEntity;
}

std::optional<Entry> readEntity(std::string& body, const FieldMap& fields,
                                const ReadOptions& options) {
  if (internal::looksLikeXml(body)) return internal::readAtomEntry(body, fields, options);
  Entry entry;
  const Converter converter(options);
  Reading reading(body);
  try {
    sj::document& doc = reading.start();
    switch (shapeOf(doc, fields, options.version)) {
      case EntityShape::kCollection:
        throw Error(ErrorCode::kUpstreamFailure,
                    "the service answered with a collection where one entity was expected");
      case EntityShape::kNone:
        return std::nullopt;
      case EntityShape::kEntity:
        break;
    }
    doc.rewind();
    // Verbose JSON (V2, V3) wraps the entity in "d"; JSON light and V4 do not.
    if (options.version < ODataVersion::kV4) {
      for (auto field : doc.get_object()) {
        if (field.unescaped_key().value() == "d") {
          if (!readEntityObject(field.value().get_object(), fields, converter, options, entry)) {
            return std::nullopt;
          }
          return entry;
        }
        break;
      }
      doc.rewind();
    }
    if (!readEntityObject(doc.get_object(), fields, converter, options, entry)) return std::nullopt;
  } catch (const simdjson::simdjson_error& e) {
    reading.fail(e);
  }
  return entry;
}

Value readValue(std::string& body, const edm::TypeRef& type, const ReadOptions& options) {
  const Converter converter(options);
  Reading reading(body);
  try {
    for (auto field : reading.start().get_object()) {
      const std::string_view key = field.unescaped_key();
      if (key == "value") return converter.convert(field.value(), type, key);
      if (key == "d") {
        sj::value d = field.value();
        if (d.type() != sj::json_type::object) return converter.convert(d, type, key);
        // V2 wraps a primitive result as {"d": {"Name": value}} and collections as results.
        for (auto member : d.get_object()) {
          const std::string_view name = member.unescaped_key();
          if (name == "__metadata") continue;
          return converter.convert(member.value(), type, name);
        }
      }
    }
  } catch (const simdjson::simdjson_error& e) {
    reading.fail(e);
  } catch (const Unmappable& e) {
    throw Error(ErrorCode::kUpstreamFailure, "the service sent " + e.description);
  }
  throw Error(ErrorCode::kUpstreamFailure, "the service's response holds no value");
}

namespace internal {

std::optional<std::string> errorMessageOfJson(std::string_view body) {
  std::string copy(body);
  try {
    ParserLease parser;
    sj::document doc = parser.get().iterate(padded(copy));
    for (auto field : doc.get_object()) {
      const std::string_view key = field.unescaped_key();
      if (key != "error" && key != "odata.error") continue;
      for (auto member : field.value().get_object()) {
        if (member.unescaped_key().value() != "message") continue;
        sj::value message = member.value();
        if (message.type() == sj::json_type::string)
          return std::string(std::string_view(message.get_string()));
        for (auto part : message.get_object()) {
          if (part.unescaped_key().value() == "value") {
            return std::string(std::string_view(part.value().get_string()));
          }
        }
      }
    }
  } catch (const simdjson::simdjson_error&) {
  }
  return std::nullopt;
}

}  // namespace internal
}  // namespace broker::odata
