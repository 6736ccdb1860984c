#include "engine_support.h"

#include <gtest/gtest.h>
#include <simdjson.h>

#include <fstream>
#include <iterator>

#include "broker/core/json_writer.h"
#include "broker/engine/file_content.h"
#include "config/service_keys.h"

namespace broker::testing {

std::shared_ptr<const engine::Instance> openOn(
    const std::string& serviceUrl, std::vector<std::pair<std::string, std::string>> keys) {
  keys.emplace_back("serviceUrl", serviceUrl);
  return engine::openInstance("test", config::ServiceKeys::parse(keys));
}

void CollectingSink::row(const engine::Row& row) {
  RowMap copy;
  std::map<std::string, std::string> contents;
  for (const auto& [property, value] : row) {
    copy.emplace(property->name, value);
    if (const auto file = engine::fileContentOf(value)) {
      std::ifstream in(file->path, std::ios::binary);
      contents[property->name] = std::string(std::istreambuf_iterator<char>(in), {});
    }
  }
  rows.push_back(std::move(copy));
  files.push_back(std::move(contents));
}

engine::CallResult call(const engine::Instance& instance, const engine::CallRequest& request,
                        CollectingSink& sink) {
  return engine::execute(instance, request, sink);
}

std::vector<RowMap> call(const engine::Instance& instance, engine::CallRequest request,
                         engine::CallResult* result) {
  CollectingSink sink;
  const engine::CallResult r = engine::execute(instance, request, sink);
  if (result != nullptr) *result = r;
  return std::move(sink.rows);
}

std::vector<std::string> idsOf(const std::vector<RowMap>& rows) {
  std::vector<std::string> ids;
  for (const RowMap& row : rows) ids.push_back(row.at("ID").text);
  return ids;
}

core::Error errorOf(const engine::Instance& instance, engine::CallRequest request) {
  try {
    call(instance, std::move(request));
  } catch (const core::Error& e) {
    return e;
  }
  ADD_FAILURE() << "no error";
  return core::Error(core::ErrorCode::kInternal, "");
}

std::vector<LoggedRequest> peerRequests(const std::string& origin, bool clear) {
  auto transport = odata::makeHttpTransport({});
  odata::HttpRequest request;
  request.method = clear ? "DELETE" : "GET";
  request.url = origin + "/__peer/requests";
  odata::HttpResponse response = transport->send(request);
  std::vector<LoggedRequest> out;
  simdjson::dom::parser parser;
  for (simdjson::dom::element item : parser.parse(response.body).get_array()) {
    LoggedRequest logged;
    logged.method = std::string(std::string_view(item["method"]));
    logged.url = std::string(std::string_view(item["url"]));
    for (auto [name, value] : item["headers"].get_object()) {
      std::string_view text;
      if (value.get(text) == simdjson::SUCCESS)
        logged.headers[std::string(name)] = std::string(text);
    }
    std::string_view body;
    if (item["body"].get(body) == simdjson::SUCCESS) logged.body = std::string(body);
    out.push_back(std::move(logged));
  }
  return out;
}

void recordAnswer(const std::string& origin, const std::string& method, const std::string& path,
                  int status, const std::string& body, const std::string& contentType,
                  const std::string& whenHeader, const std::string& contains) {
  odata::HttpRequest request;
  request.method = "PUT";
  request.url = origin + "/__peer/answers";
  core::JsonWriter(request.body)
      .beginObject()
      .key("method")
      .value(method)
      .key("path")
      .value(path)
      .key("status")
      .value(status)
      .key("contentType")
      .value(contentType)
      .key("body")
      .value(body)
      .key("whenHeader")
      .value(whenHeader)
      .key("contains")
      .value(contains)
      .endObject();
  const odata::HttpResponse response = odata::makeHttpTransport({})->send(request);
  if (response.status != 204) throw std::runtime_error("the capture peer took no answer");
}

}  // namespace broker::testing
