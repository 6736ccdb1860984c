#include "broker/engine/file_content.h"

#include <simdjson.h>

#include "broker/core/json_writer.h"

namespace broker::engine {

odata::Value fileValue(const FileContent& file) {
  odata::Value value;
  value.kind = odata::Value::Kind::kFile;
  core::JsonWriter(value.text)
      .beginObject()
      .key("fileName")
      .value(file.fileName)
      .key("contentType")
      .value(file.contentType)
      .key("path")
      .value(file.path)
      .endObject();
  return value;
}

std::optional<FileContent> fileContentOf(const odata::Value& value) {
  if (value.kind != odata::Value::Kind::kFile) return std::nullopt;
  simdjson::dom::parser parser;
  simdjson::dom::object object;
  if (parser.parse(value.text).get(object) != simdjson::SUCCESS) return std::nullopt;
  FileContent file;
  std::string_view text;
  if (object["fileName"].get(text) == simdjson::SUCCESS) file.fileName = text;
  if (object["contentType"].get(text) == simdjson::SUCCESS) file.contentType = text;
  if (object["path"].get(text) == simdjson::SUCCESS) file.path = text;
  return file;
}

}  // namespace broker::engine
