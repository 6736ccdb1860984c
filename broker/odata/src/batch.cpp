#include "broker/odata/batch.h"

#include <simdjson.h>

#include <algorithm>
#include <cctype>
#include <charconv>

#include "broker/core/error.h"
#include "broker/core/json_writer.h"
#include "broker/core/text.h"

namespace broker::odata {
namespace {

using core::Error;
using core::ErrorCode;

constexpr std::string_view kCrlf = "\r\n";

bool startsWithIgnoreCase(std::string_view text, std::string_view prefix) {
  return text.size() >= prefix.size() &&
         core::equalsIgnoreCase(text.substr(0, prefix.size()), prefix);
}

[[noreturn]] void malformed(const std::string& what) {
  throw Error(ErrorCode::kUpstreamFailure,
              "the service's $batch answer is not as expected: " + what);
}

void writeRequest(std::string& out, const BatchRequest& request) {
  out += "Content-Type: application/http\r\nContent-Transfer-Encoding: binary\r\n";
  if (!request.contentId.empty()) out += "Content-ID: " + request.contentId + "\r\n";
  out += kCrlf;
  out += request.method + " " + request.url + " HTTP/1.1\r\n";
  for (const Header& h : request.headers) out += h.name + ": " + h.value + "\r\n";
  if (!request.body.empty())
    out += "Content-Length: " + std::to_string(request.body.size()) + "\r\n";
  out += kCrlf;
  out += request.body;
  out += kCrlf;
}

// The `boundary` parameter of a multipart Content-Type, unquoted; "" when there is none.
std::string_view boundaryOf(std::string_view contentType) {
  for (std::string_view param : core::split(contentType, ';')) {
    param = core::trim(param);
    const std::size_t eq = param.find('=');
    if (eq == std::string_view::npos ||
        !core::equalsIgnoreCase(core::trim(param.substr(0, eq)), "boundary")) {
      continue;
    }
    std::string_view value = core::trim(param.substr(eq + 1));
    if (value.size() >= 2 && value.front() == '"' && value.back() == '"') {
      value = value.substr(1, value.size() - 2);
    }
    return value;
  }
  return {};
}

struct Part {
  std::vector<Header> headers;
  std::string_view content;
};

// Header lines up to the first empty line; `text` is left at what follows it.
std::vector<Header> readHeaders(std::string_view& text) {
  std::vector<Header> headers;
  while (!text.empty()) {
    const std::size_t end = text.find('\n');
    std::string_view line = text.substr(0, end);
    text = end == std::string_view::npos ? std::string_view() : text.substr(end + 1);
    if (line.ends_with('\r')) line.remove_suffix(1);
    if (line.empty()) return headers;
    const std::size_t colon = line.find(':');
    if (colon == std::string_view::npos)
      malformed("a header line without ':' (" + std::string(line.substr(0, 80)) + ")");
    headers.push_back({std::string(core::trim(line.substr(0, colon))),
                       std::string(core::trim(line.substr(colon + 1)))});
  }
  return headers;
}

// Where the line `--boundary` (then `--`, or only white space, to the line's end) starts at or
// after `from`; npos when nowhere.
std::size_t findDelimiter(std::string_view body, std::string_view boundary, std::size_t from) {
  const std::string dashes = "--" + std::string(boundary);
  for (std::size_t at = body.find(dashes, from); at != std::string_view::npos;
       at = body.find(dashes, at + 1)) {
    if (at != 0 && body[at - 1] != '\n') continue;
    const std::string_view rest = body.substr(at + dashes.size());
    if (rest.empty() || rest.starts_with("--") || rest.front() == '\r' || rest.front() == '\n' ||
        rest.front() == ' ' || rest.front() == '\t') {
      return at;
    }
  }
  return std::string_view::npos;
}

std::vector<Part> splitMultipart(std::string_view body, std::string_view boundary) {
  if (boundary.empty()) malformed("its Content-Type names no multipart boundary");
  std::vector<Part> parts;
  std::size_t at = findDelimiter(body, boundary, 0);
  if (at == std::string_view::npos) {
    malformed("no part delimited by '--" + std::string(boundary) + "'");
  }
  while (true) {
    const std::size_t afterDashes = at + 2 + boundary.size();
    if (body.substr(afterDashes).starts_with("--")) return parts;  // the closing delimiter
    const std::size_t lineEnd = body.find('\n', afterDashes);
    if (lineEnd == std::string_view::npos) malformed("it ends inside a part");
    const std::size_t next = findDelimiter(body, boundary, lineEnd + 1);
    if (next == std::string_view::npos) malformed("a part has no closing delimiter");
    std::string_view text = body.substr(lineEnd + 1, next - lineEnd - 1);
    // The line break before a delimiter belongs to the delimiter.
    if (text.ends_with('\n')) text.remove_suffix(1);
    if (text.ends_with('\r')) text.remove_suffix(1);
    Part part;
    part.headers = readHeaders(text);
    part.content = text;
    parts.push_back(std::move(part));
    at = next;
  }
}

bool isMultipart(const Part& part) {
  const auto type = findHeader(part.headers, "Content-Type");
  return type && startsWithIgnoreCase(*type, "multipart/mixed");
}

HttpResponse readResponse(const Part& part) {
  const auto type = findHeader(part.headers, "Content-Type");
  if (!type || !startsWithIgnoreCase(*type, "application/http")) {
    malformed("a part of type '" + std::string(type.value_or("")) +
              "' where an application/http response belongs");
  }
  std::string_view text = part.content;
  const std::size_t end = text.find('\n');
  std::string_view statusLine = text.substr(0, end);
  text = end == std::string_view::npos ? std::string_view() : text.substr(end + 1);
  if (statusLine.ends_with('\r')) statusLine.remove_suffix(1);
  HttpResponse response;
  const std::size_t space = statusLine.find(' ');
  const std::string_view code =
      space == std::string_view::npos ? std::string_view() : statusLine.substr(space + 1, 3);
  if (!statusLine.starts_with("HTTP/") ||
      std::from_chars(code.data(), code.data() + code.size(), response.status).ec != std::errc() ||
      response.status < 100 || response.status > 599) {
    malformed("a response part starts with '" + std::string(statusLine.substr(0, 80)) +
              "', not an HTTP status line");
  }
  response.headers = readHeaders(text);
  response.body = std::string(text);
  // The request a response answers is named by its part's Content-ID (in a failed change set,
  // the one that failed); kept with the response's own headers.
  if (const auto id = findHeader(part.headers, "Content-ID");
      id && !response.header("Content-ID")) {
    response.headers.push_back({"Content-ID", std::string(*id)});
  }
  return response;
}

}  // namespace

std::string writeBatch(const std::vector<BatchGroup>& groups, std::string_view boundary) {
  std::string out;
  const std::string delimiter = "--" + std::string(boundary) + "\r\n";
  for (std::size_t g = 0; g < groups.size(); ++g) {
    const BatchGroup& group = groups[g];
    if (!group.changeSet) {
      for (const BatchRequest& request : group.requests) {
        out += delimiter;
        writeRequest(out, request);
      }
      continue;
    }
    out += delimiter;
    const std::string changeSet = "changeset_" + std::to_string(g) + "_" + std::string(boundary);
    out += "Content-Type: multipart/mixed; boundary=" + changeSet + "\r\n\r\n";
    for (const BatchRequest& request : group.requests) {
      out += "--" + changeSet + "\r\n";
      writeRequest(out, request);
    }
    out += "--" + changeSet + "--\r\n";
  }
  out += "--" + std::string(boundary) + "--\r\n";
  return out;
}

std::vector<BatchGroupAnswer> readBatch(std::string_view body, std::string_view contentType,
                                        const std::vector<BatchGroup>& groups) {
  if (!startsWithIgnoreCase(core::trim(contentType), "multipart/mixed")) {
    malformed("its Content-Type is '" + std::string(contentType) + "', not multipart/mixed");
  }
  const std::vector<Part> parts = splitMultipart(body, boundaryOf(contentType));
  std::vector<BatchGroupAnswer> answers;
  std::size_t next = 0;
  for (const BatchGroup& group : groups) {
    BatchGroupAnswer answer;
    if (group.changeSet) {
      if (next >= parts.size()) break;
      const Part& part = parts[next++];
      if (isMultipart(part)) {
        for (const Part& inner :
             splitMultipart(part.content, boundaryOf(*findHeader(part.headers, "Content-Type")))) {
          answer.responses.push_back(readResponse(inner));
        }
        if (answer.responses.size() != group.requests.size()) {
          malformed("a change set of " + std::to_string(group.requests.size()) +
                    " requests was answered with " + std::to_string(answer.responses.size()));
        }
      } else {
        answer.failed = true;  // one response for the whole change set: why it failed
        answer.responses.push_back(readResponse(part));
      }
    } else {
      for (std::size_t i = 0; i < group.requests.size() && next < parts.size(); ++i) {
        answer.responses.push_back(readResponse(parts[next++]));
      }
      if (answer.responses.empty()) break;
    }
    answers.push_back(std::move(answer));
  }
  return answers;
}

namespace {

// The id of request `r` of group `g` in a JSON batch: its Content-ID in a change set.
std::string jsonId(const BatchGroup& group, std::size_t g, std::size_t r) {
  const BatchRequest& request = group.requests[r];
  return !request.contentId.empty() ? request.contentId
                                    : "g" + std::to_string(g) + "r" + std::to_string(r);
}

bool jsonContent(const std::vector<Header>& headers) {
  const auto type = findHeader(headers, "Content-Type");
  return !type || type->find("json") != std::string_view::npos;
}

}  // namespace

std::string writeJsonBatch(const std::vector<BatchGroup>& groups) {
  std::string out;
  core::JsonWriter json(out);
  json.beginObject().key("requests").beginArray();
  for (std::size_t g = 0; g < groups.size(); ++g) {
    const BatchGroup& group = groups[g];
    for (std::size_t r = 0; r < group.requests.size(); ++r) {
      const BatchRequest& request = group.requests[r];
      json.beginObject().key("id").value(jsonId(group, g, r));
      if (group.changeSet) json.key("atomicityGroup").value("g" + std::to_string(g));
      std::vector<std::string> after;
      if (!group.changeSet && r > 0) after.push_back(jsonId(group, g, r - 1));
      if (group.afterPrevious && g > 0) {
        const BatchGroup& previous = groups[g - 1];
        if (previous.changeSet) {
          after.push_back("g" + std::to_string(g - 1));
        } else if (!previous.requests.empty()) {
          after.push_back(jsonId(previous, g - 1, previous.requests.size() - 1));
        }
      }
      if (!after.empty()) json.key("dependsOn").values(after);
      json.key("method").value(request.method).key("url").value(request.url);
      json.key("headers").beginObject();
      // Names in lower case: some services look them up so (HTTP names are case-insensitive).
      for (const Header& h : request.headers) {
        std::string name = h.name;
        for (char& c : name) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
        json.key(name).value(h.value);
      }
      json.endObject();
      if (!request.body.empty()) {
        json.key("body");
        if (jsonContent(request.headers)) {
          json.raw(request.body);
        } else {
          json.value(request.body);
        }
      }
      json.endObject();
    }
  }
  json.endArray().endObject();
  return out;
}

std::vector<BatchGroupAnswer> readJsonBatch(std::string_view body,
                                            const std::vector<BatchGroup>& groups) {
  simdjson::dom::parser parser;
  simdjson::dom::element root;
  simdjson::dom::array responses;
  if (parser.parse(body.data(), body.size()).get(root) != simdjson::SUCCESS ||
      root["responses"].get_array().get(responses) != simdjson::SUCCESS) {
    malformed("it is not a JSON object with a \"responses\" array");
  }
  // Every answer by the id of its request.
  std::vector<std::pair<std::string, HttpResponse>> byId;
  for (simdjson::dom::element item : responses) {
    std::string_view id;
    int64_t status = 0;
    if (item["id"].get_string().get(id) != simdjson::SUCCESS ||
        item["status"].get_int64().get(status) != simdjson::SUCCESS || status < 100 ||
        status > 599) {
      malformed("a response without a string id and an HTTP status");
    }
    HttpResponse response;
    response.status = static_cast<int>(status);
    simdjson::dom::object headers;
    if (item["headers"].get_object().get(headers) == simdjson::SUCCESS) {
      for (auto [name, value] : headers) {
        std::string_view text;
        if (value.get_string().get(text) == simdjson::SUCCESS) {
          response.headers.push_back({std::string(name), std::string(text)});
        }
      }
    }
    simdjson::dom::element content;
    if (item["body"].get(content) == simdjson::SUCCESS) {
      std::string_view text;
      response.body = content.get_string().get(text) == simdjson::SUCCESS
                          ? std::string(text)
                          : simdjson::minify(content);
    }
    if (!findHeader(response.headers, "Content-ID")) {
      response.headers.push_back({"Content-ID", std::string(id)});
    }
    byId.emplace_back(std::string(id), std::move(response));
  }
  const auto answerTo = [&](const std::string& id) -> HttpResponse* {
    for (auto& [answered, response] : byId) {
      if (answered == id) return &response;
    }
    return nullptr;
  };
  std::vector<BatchGroupAnswer> answers;
  for (std::size_t g = 0; g < groups.size(); ++g) {
    const BatchGroup& group = groups[g];
    BatchGroupAnswer answer;
    for (std::size_t r = 0; r < group.requests.size(); ++r) {
      HttpResponse* response = answerTo(jsonId(group, g, r));
      if (response == nullptr) {
        if (group.changeSet) malformed("a change set was answered in part");
        break;  // not run; the requests after it in the group neither
      }
      answer.responses.push_back(std::move(*response));
    }
    if (group.changeSet) {
      // Failed: the failing request's answer (the others say 424, or nothing was done).
      const auto failing =
          std::find_if(answer.responses.begin(), answer.responses.end(),
                       [](const HttpResponse& r) { return r.status >= 400 && r.status != 424; });
      if (failing != answer.responses.end()) {
        HttpResponse why = std::move(*failing);
        answer.responses = {std::move(why)};
        answer.failed = true;
      }
    }
    answers.push_back(std::move(answer));
  }
  return answers;
}

}  // namespace broker::odata
