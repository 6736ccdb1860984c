#include "request_headers.h"

#include <simdjson.h>

#include "broker/core/error.h"
#include "broker/core/json_writer.h"

namespace broker::engine {

std::vector<odata::Header> parseRequestHeaders(const odata::Value& value) {
  auto bad = [&](const std::string& why) {
    return core::Error(
        core::ErrorCode::kInvalidArgument,
        "HTTP Request Headers: " + why + "; expected a JSON array of {\"Name\": …, \"Value\": …}");
  };
  if (value.isNull()) return {};
  simdjson::dom::parser parser;
  simdjson::dom::element root;
  if (parser.parse(value.text).get(root) != simdjson::SUCCESS || !root.is_array()) {
    throw bad("not a JSON array");
  }
  std::vector<odata::Header> headers;
  for (simdjson::dom::element item : root.get_array()) {
    std::string_view name;
    std::string_view text;
    if (!item.is_object() || item["Name"].get(name) != simdjson::SUCCESS ||
        item["Value"].get(text) != simdjson::SUCCESS) {
      throw bad("an item without a string Name and Value");
    }
    if (name.empty() || name.find_first_of(" :\r\n") != std::string_view::npos ||
        text.find_first_of("\r\n") != std::string_view::npos) {
      throw bad("'" + std::string(name) + "' is not a valid header");
    }
    headers.push_back({std::string(name), std::string(text)});
  }
  return headers;
}

std::string serializeHeaders(const std::vector<odata::Header>& headers) {
  std::string out;
  core::JsonWriter writer(out);
  writer.beginArray();
  for (const odata::Header& h : headers) {
    writer.beginObject().key("Name").value(h.name).key("Value").value(h.value).endObject();
  }
  writer.endArray();
  return out;
}

}  // namespace broker::engine
