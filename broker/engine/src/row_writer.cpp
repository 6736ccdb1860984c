#include "row_writer.h"

#include "broker/core/json_writer.h"
#include "request_headers.h"
#include "serialized.h"

namespace broker::engine::internal {

RowWriter::RowWriter(CallContext& call)
    : compressItems(call.client.keys().serializationCompress),
      streamLink(&RowWriter::payloadStreamLink),
      call_(call) {}

void RowWriter::prepare(std::vector<const so::Property*> properties) {
  returned = std::move(properties);
  fieldOf_.assign(returned.size(), kNoField);
  for (std::size_t i = 0; i < returned.size(); ++i) {
    const so::Property& p = *returned[i];
    if (p.role != Role::kData || call_.structured == nullptr) continue;
    fieldOf_[i] = fields.add(p.source, call_.edmProperty(p).type);
  }
}

void RowWriter::mapAs(std::size_t i, const edm::TypeRef& type) {
  if (returned[i]->role == Role::kData && fieldOf_[i] == kNoField) {
    fieldOf_[i] = fields.add(returned[i]->source, type);
  }
}

std::string RowWriter::payloadStreamLink(const odata::Entry& entry, const so::Property& content) {
  if (const odata::NamedStream* named = entry.stream(content.source)) {
    if (!named->readLink.empty()) return named->readLink;
  }
  if (content.source.empty() && !entry.mediaReadLink.empty()) return entry.mediaReadLink;
  if (entry.editLink.empty()) return "";
  return entry.editLink + "/" + (content.source.empty() ? "$value" : content.source);
}

void RowWriter::emit(const odata::Entry& entry, const odata::HttpResponse& response,
                     RowSink& sink) {
  // The row's values are assigned in place, so their strings reuse the previous row's memory.
  row_.resize(returned.size());
  for (std::size_t i = 0; i < returned.size(); ++i) {
    const so::Property* p = returned[i];
    row_[i].first = p;
    Value& out = row_[i].second;
    const auto given = std::find_if(overrides.begin(), overrides.end(),
                                    [p](const auto& o) { return o.first == p; });
    if (given != overrides.end()) {
      out = given->second;
      continue;
    }
    switch (p->role) {
      case Role::kData:
        serializedOut(entry.values[fieldOf_[i]], out);
        break;
      case Role::kETag: {
        std::string etag = entry.etag;
        if (etag.empty()) etag = std::string(response.header("ETag").value_or(""));
        out = etag.empty() ? Value::null() : Value::string(etag);
        break;
      }
      case Role::kStreamContent: {
        const std::string url = streamLink(entry, *p);
        if (url.empty()) {
          out = Value::null();
        } else {
          std::string link;
          core::JsonWriter(link)
              .beginObject()
              .key("url")
              .value(call_.client.requestUrl(url))
              .endObject();
          out = Value::json(link);
        }
        break;
      }
      case Role::kStreamMimeType: {
        std::string type = entry.mediaContentType;
        if (!p->source.empty()) {
          const odata::NamedStream* named = entry.stream(p->source);
          type = named != nullptr ? named->contentType : "";
        }
        out = type.empty() ? Value::null() : Value::string(type);
        break;
      }
      case Role::kResponseHeaders:
        out = Value::json(serializeHeaders(response.headers));
        break;
      default:
        out = Value::null();
        break;
    }
  }
  if (expansions) {
    expansions->append(entry, row_, returned.size(), call_.readOptions(), expandWarnings);
  }
  sink.row(row_);
}

void RowWriter::emitValue(const Value& value, RowSink& sink) {
  row_.clear();
  for (const so::Property* p : returned) row_.emplace_back(p, value);
  sink.row(row_);
}

// A complex value or collection as the instance writes serialized items.
void RowWriter::serializedOut(const Value& value, Value& out) const {
  if (value.kind != Value::Kind::kJson || !compressItems) {
    out = value;
    return;
  }
  out = Value::string(encodeSerialized(value.text, true));
}

}  // namespace broker::engine::internal
