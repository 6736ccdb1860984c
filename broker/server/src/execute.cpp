#include "execute.h"

#include <Poco/JSON/Array.h>
#include <Poco/JSON/Parser.h>
#include <Poco/JSON/Stringifier.h>

#include <ostream>
#include <sstream>

#include "broker/core/json_writer.h"
#include "broker/core/text.h"

namespace broker::server {

namespace {

using core::Error;
using core::ErrorCode;
using odata::Value;

[[noreturn]] void invalid(std::string message) {
  throw Error(ErrorCode::kInvalidArgument, std::move(message));
}

// A JSON input value as the engine takes it: numbers keep their text, objects and arrays stay
// JSON (complex values, collections, File objects).
Value inputValue(const Poco::Dynamic::Var& value) {
  if (value.isEmpty()) return Value::null();
  if (value.isBoolean()) return Value::boolean(value.extract<bool>());
  if (value.isString()) return Value::string(value.extract<std::string>());
  if (value.isNumeric()) return Value::number(value.convert<std::string>());
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
  if (!value.isInteger() || value.convert<std::int64_t>() < 0) {
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

void writeValue(core::JsonWriter& json, const Value& value) {
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
  }
}

void writeRow(core::JsonWriter& json, const engine::Row& row) {
  json.beginObject();
  for (const auto& [property, value] : row) {
    json.key(property->name);
    writeValue(json, value);
  }
  json.endObject();
}

// Writes {"rows": [...] as rows arrive; sends the buffer chunked once it passes kFlushAt.
class ListWriter final : public engine::RowSink {
 public:
  explicit ListWriter(Exchange& exchange) : exchange_(exchange), json_(buffer_) {
    json_.beginObject().key("rows").beginArray();
  }

  void row(const engine::Row& row) override {
    writeRow(json_, row);
    ++rows_;
    if (buffer_.size() >= kFlushAt) flush();
  }

  // Ends the body; returns whether it was streamed.
  bool finish(const engine::CallResult& result) {
    json_.endArray().key("count").value(rows_);
    if (result.totalCount) json_.key("totalCount").value(*result.totalCount);
    json_.endObject();
    if (stream_ == nullptr) {
      exchange_.reply(200, buffer_);
      return false;
    }
    flush();
    return true;
  }

  // After rows were streamed, an error can only end the body.
  void fail(const Error& error) {
    json_.endArray().key("count").value(rows_).key("error");
    writeError(json_, error);
    json_.endObject();
    flush();
  }

  bool streaming() const { return stream_ != nullptr; }
  std::int64_t rows() const { return rows_; }

 private:
  static constexpr std::size_t kFlushAt = 256 * 1024;

  void flush() {
    if (stream_ == nullptr) stream_ = &exchange_.beginStream();
    stream_->write(buffer_.data(), static_cast<std::streamsize>(buffer_.size()));
    stream_->flush();
    buffer_.clear();
  }

  Exchange& exchange_;
  std::string buffer_;
  core::JsonWriter json_;
  std::ostream* stream_ = nullptr;
  std::int64_t rows_ = 0;
};

class RowWriter final : public engine::RowSink {
 public:
  void row(const engine::Row& row) override {
    text_.clear();
    core::JsonWriter json(text_);
    writeRow(json, row);
  }
  // {"row": {...}} or {"row": null}
  std::string body() const { return "{\"row\":" + (text_.empty() ? "null" : text_) + "}"; }
  bool empty() const { return text_.empty(); }

 private:
  std::string text_;
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
                                     std::string method) {
  engine::CallRequest request;
  request.object = std::move(object);
  request.method = std::move(method);
  if (core::trim(text).empty()) return request;  // no inputs at all
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
    static const std::vector<std::string> known = {"inputs", "filter",  "returns",          "top",
                                                   "skip",   "orderBy", "includeTotalCount"};
    if (std::find(known.begin(), known.end(), member) == known.end()) {
      invalid("unknown member '" + member +
              "' (expected inputs, filter, returns, top, skip, orderBy, includeTotalCount)");
    }
  }
  if (body->has("inputs") && !body->isNull("inputs")) {
    Poco::JSON::Object::Ptr inputs = body->getObject("inputs");
    if (!inputs) invalid("inputs must be an object of property name → value");
    for (const std::string& name : inputs->getNames()) {
      request.inputs.emplace_back(name, inputValue(inputs->get(name)));
    }
  }
  if (body->has("filter") && !body->isNull("filter")) {
    request.filter = filterJson(body->get("filter"));
  }
  if (body->has("returns") && !body->isNull("returns")) {
    Poco::JSON::Array::Ptr returns = body->getArray("returns");
    if (!returns) invalid("returns must be an array of property names");
    for (const Poco::Dynamic::Var& name : *returns) {
      if (!name.isString()) invalid("returns must be an array of property names");
      request.returns.push_back(name.extract<std::string>());
    }
  }
  request.top = count(*body, "top");
  request.skip = count(*body, "skip");
  if (body->has("orderBy") && !body->isNull("orderBy"))
    request.orderBy = orderBy(body->get("orderBy"));
  if (body->has("includeTotalCount") && !body->isNull("includeTotalCount")) {
    const Poco::Dynamic::Var flag = body->get("includeTotalCount");
    if (!flag.isBoolean()) invalid("includeTotalCount must be true or false");
    request.includeTotalCount = flag.extract<bool>();
  }
  return request;
}

ExecuteOutcome executeMethod(Exchange& exchange, const engine::Instance& instance,
                             const std::string& object, const std::string& method,
                             engine::CallStats& stats) {
  const engine::CallRequest request = parseExecuteBody(exchange.body(), object, method);
  ExecuteOutcome outcome;
  if (listLike(instance, request)) {
    ListWriter writer(exchange);
    try {
      const engine::CallResult result = engine::execute(instance, request, writer, &stats);
      writer.finish(result);
    } catch (const Error& e) {
      if (!writer.streaming()) throw;
      writer.fail(e);
      outcome.status = core::httpStatus(e.code());
    }
    outcome.rows = writer.rows();
    return outcome;
  }
  RowWriter writer;
  engine::execute(instance, request, writer, &stats);
  exchange.reply(200, writer.body());
  outcome.rows = writer.empty() ? 0 : 1;
  return outcome;
}

}  // namespace broker::server
