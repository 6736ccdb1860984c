#include "media.h"

#include <simdjson.h>

#include <array>
#include <fstream>
#include <utility>

#include "broker/core/error.h"
#include "broker/core/text.h"

namespace broker::engine::internal {
namespace {

using core::Error;
using core::ErrorCode;

constexpr std::array<std::pair<std::string_view, std::string_view>, 16> kTypes = {{
    {".png", "image/png"},
    {".jpg", "image/jpeg"},
    {".jpeg", "image/jpeg"},
    {".gif", "image/gif"},
    {".svg", "image/svg+xml"},
    {".webp", "image/webp"},
    {".pdf", "application/pdf"},
    {".zip", "application/zip"},
    {".json", "application/json"},
    {".xml", "application/xml"},
    {".txt", "text/plain"},
    {".csv", "text/csv"},
    {".html", "text/html"},
    {".docx", "application/vnd.openxmlformats-officedocument.wordprocessingml.document"},
    {".xlsx", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"},
    {".mp4", "video/mp4"},
}};

[[noreturn]] void notAFile(std::string_view what) {
  throw Error(ErrorCode::kInvalidArgument,
              "'" + std::string(what) +
                  "': expected a File value {\"fileName\", \"contentType\", \"content\": "
                  "\"<base64>\"}");
}

}  // namespace

Upload uploadOf(const odata::Value& value, std::string_view what) {
  Upload upload;
  if (std::optional<FileContent> file = fileContentOf(value)) {
    upload.content = std::move(*file);
    return upload;
  }
  if (value.kind != odata::Value::Kind::kJson) notAFile(what);
  simdjson::dom::parser parser;
  simdjson::dom::object object;
  if (parser.parse(value.text).get(object) != simdjson::SUCCESS) notAFile(what);
  std::string_view text;
  if (object["fileName"].get(text) == simdjson::SUCCESS) upload.content.fileName = text;
  if (object["contentType"].get(text) == simdjson::SUCCESS) upload.content.contentType = text;
  std::string_view content;
  if (object["content"].get(content) != simdjson::SUCCESS) notAFile(what);
  std::string bytes;
  if (!core::base64Decode(content, bytes)) {
    throw Error(ErrorCode::kInvalidArgument,
                "'" + std::string(what) + "': content is not base64 (RFC 4648, with padding)");
  }
  upload.owned.emplace();
  std::ofstream(upload.owned->path(), std::ios::binary)
      .write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
  upload.content.path = upload.owned->path();
  return upload;
}

std::string mimeTypeFor(std::string_view fileName) {
  const std::size_t dot = fileName.rfind('.');
  if (dot != std::string_view::npos) {
    const std::string_view extension = fileName.substr(dot);
    for (const auto& [known, type] : kTypes) {
      if (core::equalsIgnoreCase(known, extension)) return std::string(type);
    }
  }
  return "application/octet-stream";
}

std::string extensionFor(std::string_view mimeType) {
  mimeType = core::trim(mimeType.substr(0, mimeType.find(';')));
  for (const auto& [extension, type] : kTypes) {
    if (core::equalsIgnoreCase(type, mimeType)) return std::string(extension);
  }
  return "";
}

std::string dispositionFileName(std::string_view header) {
  for (std::string_view part : core::split(header, ';')) {
    part = core::trim(part);
    const std::size_t eq = part.find('=');
    if (eq == std::string_view::npos ||
        !core::equalsIgnoreCase(core::trim(part.substr(0, eq)), "filename")) {
      continue;
    }
    std::string_view name = core::trim(part.substr(eq + 1));
    if (name.size() >= 2 && name.front() == '"' && name.back() == '"') {
      name = name.substr(1, name.size() - 2);
    }
    return std::string(name);
  }
  return "";
}

}  // namespace broker::engine::internal
