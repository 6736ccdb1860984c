#include "execute.h"

#include <Poco/JSON/Array.h>
#include <Poco/JSON/Parser.h>
#include <Poco/JSON/Stringifier.h>

#include <fstream>
#include <functional>
#include <optional>
#include <ostream>
#include <sstream>

#include "broker/core/json_writer.h"
#include "broker/core/text.h"
#include "broker/engine/file_content.h"
#include "broker/engine/inspection.h"

namespace broker::server {

namespace {

using core::Error;
using core::ErrorCode;
using odata::Value;

[[noreturn]] void invalid(std::string message) {
  throw Error(ErrorCode::kInvalidArgument, std::move(message));
}

// A JSON input value as the engine takes it: numbers keep their text, objects and arrays stay
// JSON (complex values, collections, File objects). A File object whose content was spooled
// becomes a file value.
Value inputValue(const std::string& name, const Poco::Dynamic::Var& value,
                 const std::vector<core::TempFile>& files) {
  if (value.isEmpty()) return Value::null();
  if (value.isBoolean()) return Value::boolean(value.extract<bool>());
  if (value.isString()) return Value::string(value.extract<std::string>());
  if (value.isNumeric()) return Value::number(value.convert<std::string>());
  if (value.type() == typeid(Poco::JSON::Object::Ptr)) {
    const auto& object = *value.extract<Poco::JSON::Object::Ptr>();
    if (Poco::JSON::Object::Ptr content = object.getObject("content");
        content && content->has("$spooled")) {
      const Poco::Dynamic::Var index = content->get("$spooled");
      if (!index.isInteger() || index.convert<std::int64_t>() < 0 ||
          index.convert<std::uint64_t>() >= files.size()) {
        invalid("inputs." + name + ".content must be a base64 string");
      }
      return engine::fileValue({optionalString(object, "fileName"),
                                optionalString(object, "contentType"),
                                files[index.convert<std::size_t>()].path()});
    }
  }
  std::ostringstream json;
  Poco::JSON::Stringifier::stringify(value, json);
  return Value::json(json.str());
}

}  // namespace

std::string filterJson(const Poco::Dynamic::Var& filter) {
  if (filter.type() != typeid(Poco::JSON::Object::Ptr)) {
    invalid("filter must be an object such as {\"equals\": [{\"property\": \"ID\"}, 1]}");
  }
  std::ostringstream json;
  Poco::JSON::Stringifier::stringify(filter, json);
  return json.str();
}

namespace {

std::optional<std::int64_t> count(const Poco::JSON::Object& body, const std::string& member) {
  if (!body.has(member) || body.isNull(member)) return std::nullopt;
  const Poco::Dynamic::Var value = body.get(member);
  // JSON true is no count, though POCO would read it as 1.
  if (value.isBoolean() || !value.isInteger() || value.convert<std::int64_t>() < 0) {
    invalid(member + " must be a whole number of 0 or more");
  }
  return value.convert<std::int64_t>();
}

std::vector<engine::OrderBy> orderBy(const Poco::Dynamic::Var& value) {
  std::vector<engine::OrderBy> order;
  const auto add = [&](std::string_view text) {
    text = core::trim(text);
    engine::OrderBy item;
    const std::size_t space = text.rfind(' ');
    const std::string_view direction =
        space == std::string_view::npos ? "" : text.substr(space + 1);
    if (core::equalsIgnoreCase(direction, "desc") || core::equalsIgnoreCase(direction, "asc")) {
      item.descending = core::equalsIgnoreCase(direction, "desc");
      text = core::trim(text.substr(0, space));
    }
    if (text.empty()) invalid("orderBy has an empty property name");
    item.property = std::string(text);
    order.push_back(std::move(item));
  };
  if (value.isString()) {
    for (std::string_view part : core::split(value.extract<std::string>(), ',')) add(part);
    return order;
  }
  if (value.type() != typeid(Poco::JSON::Array::Ptr)) {
    invalid("orderBy must be \"Name desc, ID\" or an array of such strings");
  }
  for (const Poco::Dynamic::Var& item : *value.extract<Poco::JSON::Array::Ptr>()) {
    if (!item.isString()) invalid("orderBy must be an array of strings such as \"Name desc\"");
    add(item.extract<std::string>());
  }
  return order;
}

constexpr std::size_t kFileChunk = 48 * 1024;  // a multiple of 3: no padding inside

// {"fileName", "contentType", "content": "<base64>"}, the content encoded chunk by chunk.
void writeFile(core::JsonWriter& json, std::string& buffer, const Value& value,
               const std::function<void()>& spill) {
  const std::optional<engine::FileContent> file = engine::fileContentOf(value);
  std::ifstream in(file ? file->path : std::string(), std::ios::binary);
  if (!file || !in) throw Error(ErrorCode::kInternal, "a downloaded file went missing");
  json.beginObject().key("fileName").value(file->fileName);
  json.key("contentType").value(file->contentType).key("content").raw("\"");
  std::string chunk(kFileChunk, '\0');
  while (in) {
    in.read(chunk.data(), static_cast<std::streamsize>(chunk.size()));
    const auto got = static_cast<std::size_t>(in.gcount());
    if (got == 0) break;
    buffer += core::base64Encode(std::string_view(chunk.data(), got));
    spill();
  }
  buffer += '"';
  json.endObject();
}

}  // namespace

void writeRow(core::JsonWriter& json, std::string& buffer, const engine::Row& row,
              const std::function<void()>& spill) {
  json.beginObject();
  for (const auto& [property, value] : row) {
    json.key(property->name);
    switch (value.kind) {
      case Value::Kind::kNull:
        json.null();
        break;
      case Value::Kind::kBool:
      case Value::Kind::kNumber:
      case Value::Kind::kJson:
        json.raw(value.text);
        break;
      case Value::Kind::kString:
        json.value(value.text);
        break;
      case Value::Kind::kFile:
        writeFile(json, buffer, value, spill);
        break;
    }
  }
  json.endObject();
}

namespace {

// `expand`: ["Supplier", "Tags"] or "Supplier,Tags".
std::vector<std::string> names(const Poco::Dynamic::Var& value) {
  std::vector<std::string> out;
  const auto add = [&](std::string_view name) {
    name = core::trim(name);
    if (name.empty()) invalid("expand has an empty navigation property name");
    out.emplace_back(name);
  };
  if (value.isString()) {
    for (std::string_view part : core::split(value.extract<std::string>(), ',')) add(part);
    return out;
  }
  if (value.type() != typeid(Poco::JSON::Array::Ptr)) {
    invalid("expand must be an array of navigation property names such as [\"Supplier\"]");
  }
  for (const Poco::Dynamic::Var& item : *value.extract<Poco::JSON::Array::Ptr>()) {
    if (!item.isString()) invalid("expand must be an array of navigation property names");
    add(item.extract<std::string>());
  }
  return out;
}

// Writes {"rows": [...], "count": n} (lists) or {"row": {...}} as rows arrive; past kFlushAt
// the reply goes out chunked, so a file's content is sent as it is encoded, never held whole.
class ResultWriter final : public engine::RowSink {
 public:
  ResultWriter(Exchange& exchange, bool list) : exchange_(exchange), list_(list), json_(buffer_) {
    buffer_.reserve(kFlushAt + kFlushAt / 4);
    json_.beginObject();
    if (list_) json_.key("rows").beginArray();
  }

  void row(const engine::Row& row) override {
    if (!list_ && rows_ > 0) return;  // one row: the first
    if (!list_) json_.key("row");
    writeRow(json_, buffer_, row, [this] {
      if (buffer_.size() >= kFlushAt) flush();
    });
    ++rows_;
    if (buffer_.size() >= kFlushAt) flush();
  }

  /// The upstream requests to report at the end of the body (`inspect` asked for them).
  void inspectWith(const engine::RequestInspection* inspection) { inspection_ = inspection; }

  // Ends the body: sent whole, or the rest of a stream.
  void finish(const engine::CallResult& result) {
    if (list_) {
      json_.endArray().key("count").value(rows_);
      if (result.totalCount) json_.key("totalCount").value(*result.totalCount);
    } else if (rows_ == 0) {
      json_.key("row").null();
    }
    if (!result.warnings.empty()) json_.key("warnings").values(result.warnings);
    writeInspection();
    json_.endObject();
    if (stream_ == nullptr) {
      exchange_.reply(200, buffer_);
    } else {
      flush();
    }
  }

  // After part of the reply was sent, an error can only end the body.
  void fail(const Error& error) {
    if (list_) json_.endArray().key("count").value(rows_);
    if (!list_ && rows_ == 0) json_.key("row").null();
    json_.key("error");
    writeError(json_, error);
    writeInspection();
    json_.endObject();
    flush();
  }

  bool streaming() const { return stream_ != nullptr; }
  std::int64_t rows() const { return rows_; }

 private:
  // Small enough to stay below malloc's mmap threshold (a buffer per call, never faulted in
  // afresh), large enough that a page of rows goes out in a few writes.
  static constexpr std::size_t kFlushAt = 64 * 1024;

  void writeInspection() {
    if (inspection_ == nullptr) return;
    const auto headers = [&](const std::vector<odata::Header>& list) {
      json_.beginArray();
      for (const odata::Header& h : list) {
        json_.beginObject().key("name").value(h.name).key("value").value(h.value).endObject();
      }
      json_.endArray();
    };
    json_.key("inspection").beginObject().key("upstream").beginArray();
    for (const engine::InspectedRequest& r : inspection_->requests()) {
      json_.beginObject().key("method").value(r.method).key("url").value(r.url);
      json_.key("headers");
      headers(r.headers);
      json_.key("body").value(r.body);
      json_.key("bodyBytes").value(static_cast<std::int64_t>(r.bodyBytes));
      json_.key("status").value(r.status);
      json_.key("milliseconds").raw(std::to_string(static_cast<std::int64_t>(r.milliseconds)));
      json_.key("responseHeaders");
      headers(r.responseHeaders);
      json_.key("responseBody").value(r.responseBody);
      json_.key("responseBytes").value(static_cast<std::int64_t>(r.responseBytes));
      if (!r.error.empty()) json_.key("error").value(r.error);
      json_.endObject();
    }
    json_.endArray().endObject();
  }

  void flush() {
    if (stream_ == nullptr) stream_ = &exchange_.beginStream();
    stream_->write(buffer_.data(), static_cast<std::streamsize>(buffer_.size()));
    stream_->flush();
    buffer_.clear();
  }

  Exchange& exchange_;
  bool list_;
  std::string buffer_;
  core::JsonWriter json_;
  std::ostream* stream_ = nullptr;
  std::int64_t rows_ = 0;
  const engine::RequestInspection* inspection_ = nullptr;
};

// List and ListWithoutContent reply {"rows": [...]}; every other method {"row": ...}.
bool listLike(const engine::Instance& instance, const engine::CallRequest& request) {
  const serviceobjects::ServiceObject* object = instance.catalog->find(request.object);
  const serviceobjects::Method* method = object ? object->findMethod(request.method) : nullptr;
  return method != nullptr && (method->type == serviceobjects::MethodType::kList ||
                               method->type == serviceobjects::MethodType::kListWithoutContent);
}

}  // namespace

engine::CallRequest parseExecuteBody(const std::string& text, std::string object,
                                     std::string method, const std::vector<core::TempFile>& files) {
  if (core::trim(text).empty()) {  // no inputs at all
    engine::CallRequest request;
    request.object = std::move(object);
    request.method = std::move(method);
    return request;
  }
  Poco::JSON::Object::Ptr body;
  try {
    Poco::JSON::Parser parser;
    const Poco::Dynamic::Var root = parser.parse(text);
    if (root.type() != typeid(Poco::JSON::Object::Ptr)) invalid("the body must be a JSON object");
    body = root.extract<Poco::JSON::Object::Ptr>();
  } catch (const Poco::Exception& e) {
    invalid("the body is not valid JSON: " + e.message());
  }
  for (const std::string& member : body->getNames()) {
    if (!executeMember(member)) {
      invalid("unknown member '" + member +
              "' (expected inputs, filter, returns, top, skip, orderBy, includeTotalCount, "
              "expand)");
    }
  }
  return executeRequest(*body, std::move(object), std::move(method), files);
}

bool executeMember(std::string_view member) {
  static const std::vector<std::string_view> known = {
      "inputs", "filter", "returns", "top", "skip", "orderBy", "includeTotalCount", "expand"};
  return std::find(known.begin(), known.end(), member) != known.end();
}

engine::CallRequest executeRequest(const Poco::JSON::Object& body, std::string object,
                                   std::string method, const std::vector<core::TempFile>& files,
                                   const std::string& where) {
  engine::CallRequest request;
  request.object = std::move(object);
  request.method = std::move(method);
  try {
    if (body.has("inputs") && !body.isNull("inputs")) {
      Poco::JSON::Object::Ptr inputs = body.getObject("inputs");
      if (!inputs) invalid("inputs must be an object of property name → value");
      for (const std::string& name : inputs->getNames()) {
        request.inputs.emplace_back(name, inputValue(name, inputs->get(name), files));
      }
    }
    if (body.has("filter") && !body.isNull("filter")) {
      request.filter = filterJson(body.get("filter"));
    }
    if (body.has("returns") && !body.isNull("returns")) {
      Poco::JSON::Array::Ptr returns = body.getArray("returns");
      if (!returns) invalid("returns must be an array of property names");
      for (const Poco::Dynamic::Var& name : *returns) {
        if (!name.isString()) invalid("returns must be an array of property names");
        request.returns.push_back(name.extract<std::string>());
      }
    }
    request.top = count(body, "top");
    request.skip = count(body, "skip");
    if (body.has("orderBy") && !body.isNull("orderBy")) {
      request.orderBy = orderBy(body.get("orderBy"));
    }
    if (body.has("expand") && !body.isNull("expand")) request.expand = names(body.get("expand"));
    if (body.has("includeTotalCount") && !body.isNull("includeTotalCount")) {
      const Poco::Dynamic::Var flag = body.get("includeTotalCount");
      if (!flag.isBoolean()) invalid("includeTotalCount must be true or false");
      request.includeTotalCount = flag.extract<bool>();
    }
  } catch (const Error& e) {
    if (where.empty()) throw;
    throw Error(e.code(), where + ": " + e.message(), e.details());
  }
  return request;
}

ExecuteOutcome executeMethod(Exchange& exchange, const engine::Instance& instance,
                             const std::string& object, const std::string& method,
                             std::string callerAuthorization, const CallLimits& limits,
                             engine::CallStats& stats) {
  // Spooled file contents live as long as the call.
  const SpooledBody body = exchange.spooledBody(limits.maxStreamBytes, limits.maxFiles);
  engine::CallRequest request = parseExecuteBody(body.json, object, method, body.files);
  request.callerAuthorization = std::move(callerAuthorization);
  request.maxUpstreamBytes = limits.maxUpstreamBytes;
  ResultWriter writer(exchange, listLike(instance, request));
  // `X-Broker-Inspect: true`: the upstream requests of the call come back with its result.
  std::optional<engine::RequestInspection> inspection;
  const std::string inspect = exchange.request().get("X-Broker-Inspect", "");
  if (core::equalsIgnoreCase(inspect, "true") || inspect == "1") {
    inspection.emplace();
    writer.inspectWith(&*inspection);
  }
  ExecuteOutcome outcome;
  try {
    writer.finish(engine::execute(instance, request, writer, &stats));
  } catch (const Error& e) {
    if (!writer.streaming()) throw;
    writer.fail(e);
    outcome.status = core::httpStatus(e.code());
  }
  outcome.rows = writer.rows();
  return outcome;
}

}  // namespace broker::server
