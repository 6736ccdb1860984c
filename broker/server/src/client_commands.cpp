// The client commands: register, list, describe (online), call, refresh, remove.
#include <Poco/JSON/Array.h>
#include <Poco/JSON/Object.h>
#include <Poco/JSON/Parser.h>

#include <filesystem>
#include <fstream>
#include <iostream>
#include <sstream>
#include <stdexcept>

#include "broker/core/json_writer.h"
#include "broker/core/text.h"
#include "cli_client.h"

namespace broker::server {

namespace {

using Object = Poco::JSON::Object::Ptr;
using Array = Poco::JSON::Array::Ptr;

int badArguments(std::string_view command, const std::string& problem, std::string_view usage,
                 std::ostream& err) {
  err << command << ": " << problem << "\nusage: odata-broker " << usage << "\n";
  return 2;
}

// Runs `work`, turning an unreachable broker or an unreadable reply into one line on `err`.
template <typename F>
int guarded(std::string_view command, std::ostream& err, F&& work) {
  try {
    return work();
  } catch (const std::exception& e) {
    err << command << ": " << e.what() << "\n";
    return 1;
  }
}

// Prints the reply's JSON as it is (--json), or lets `table` print it; errors go to `err`.
template <typename F>
int show(std::string_view command, const cli::Options& options, const cli::Reply& reply,
         std::ostream& out, std::ostream& err, F&& table) {
  if (reply.status >= 400) return cli::reportError(command, reply, err);
  if (options.json) {
    out << reply.body << (reply.body.empty() || reply.body.back() == '\n' ? "" : "\n");
    return 0;
  }
  table(reply.body.empty() ? Object() : cli::parseJson(reply.body).extract<Object>());
  return 0;
}

std::string joined(const Array& names) {
  std::string text;
  if (!names) return text;
  for (const auto& name : *names) text += (text.empty() ? "" : ", ") + cli::cell(name);
  return text;
}

void printInstances(std::ostream& out, const Array& instances) {
  std::vector<std::vector<std::string>> rows;
  for (std::size_t i = 0; i < instances->size(); ++i) {
    Object instance = instances->getObject(static_cast<unsigned>(i));
    rows.push_back({cli::cell(instance->get("name")), cli::cell(instance->get("status")),
                    cli::cell(instance->get("odataVersion")),
                    cli::cell(instance->get("objectCount")),
                    cli::cell(instance->get("serviceUrl"))});
  }
  cli::printTable(out, {"NAME", "STATUS", "ODATA", "OBJECTS", "SERVICE URL"}, rows);
}

void printObjects(std::ostream& out, const Array& objects) {
  std::vector<std::vector<std::string>> rows;
  for (std::size_t i = 0; i < objects->size(); ++i) {
    Object object = objects->getObject(static_cast<unsigned>(i));
    rows.push_back({cli::cell(object->get("folder")), cli::cell(object->get("name")),
                    joined(object->getArray("methods"))});
  }
  cli::printTable(out, {"FOLDER", "OBJECT", "METHODS"}, rows);
}

void printObject(std::ostream& out, const Object& object) {
  out << cli::cell(object->get("folder")) << "/" << cli::cell(object->get("name")) << "\n\n";
  std::vector<std::vector<std::string>> rows;
  Array properties = object->getArray("properties");
  for (std::size_t i = 0; i < properties->size(); ++i) {
    Object p = properties->getObject(static_cast<unsigned>(i));
    rows.push_back({cli::cell(p->get("name")), cli::cell(p->get("type")),
                    cli::cell(p->get("edmType")),
                    p->has("key") && p->getValue<bool>("key") ? "key" : ""});
  }
  cli::printTable(out, {"PROPERTY", "TYPE", "EDM TYPE", ""}, rows);
  out << "\n";
  rows.clear();
  Array methods = object->getArray("methods");
  for (std::size_t i = 0; i < methods->size(); ++i) {
    Object m = methods->getObject(static_cast<unsigned>(i));
    rows.push_back({cli::cell(m->get("name")), joined(m->getArray("required")),
                    joined(m->getArray("inputs")), joined(m->getArray("returns"))});
  }
  cli::printTable(out, {"METHOD", "REQUIRED", "INPUTS", "RETURNS"}, rows);
}

void printRows(std::ostream& out, const Object& result) {
  std::vector<Object> rows;
  if (result->has("rows")) {
    Array array = result->getArray("rows");
    for (std::size_t i = 0; i < array->size(); ++i) {
      rows.push_back(array->getObject(static_cast<unsigned>(i)));
    }
  } else if (Object row = result->getObject("row")) {
    rows.push_back(row);
  }
  if (rows.empty()) {
    out << "(no rows)\n";
  } else {
    std::vector<std::string> headers;
    rows.front()->getNames(headers);
    std::vector<std::vector<std::string>> cells;
    for (const Object& row : rows) {
      std::vector<std::string> line;
      for (const std::string& header : headers) line.push_back(cli::cell(row->get(header)));
      cells.push_back(std::move(line));
    }
    cli::printTable(out, headers, cells);
  }
  if (result->has("rows")) {
    out << "(" << rows.size() << " rows";
    if (result->has("totalCount")) out << " of " << cli::cell(result->get("totalCount"));
    out << ")\n";
  }
  if (result->has("error")) {
    throw std::runtime_error("the call failed after " + std::to_string(rows.size()) +
                             " rows: " + cli::cell(result->getObject("error")->get("message")));
  }
}

// One line per call: its id, status, and rows or error; change sets indented under theirs.
void printBatch(std::ostream& out, const Array& responses) {
  const auto line = [&](const Object& call, std::string_view indent) {
    out << indent << (call->has("id") ? cli::cell(call->get("id")) : std::string("-")) << "  "
        << cli::cell(call->get("status")) << "  ";
    if (Object error = call->getObject("error")) {
      out << cli::cell(error->get("message"));
    } else if (call->has("rows")) {
      out << cli::cell(call->get("count")) << " rows";
    } else {
      out << (call->isNull("row") ? "no row" : "1 row");
    }
    out << "\n";
  };
  for (std::size_t i = 0; i < responses->size(); ++i) {
    Object item = responses->getObject(static_cast<unsigned>(i));
    if (Array set = item->getArray("changeSet")) {
      out << "change set  " << cli::cell(item->get("status")) << "\n";
      for (std::size_t c = 0; c < set->size(); ++c) {
        line(set->getObject(static_cast<unsigned>(c)), "  ");
      }
    } else {
      line(item, "");
    }
  }
}

}  // namespace

namespace cli {

int describeInstance(const Options& options, std::ostream& out, std::ostream& err) {
  const std::string path =
      "/api/v1/instances/" + core::percentEncode(options.positional[0]) + "/objects" +
      (options.positional.size() > 1 ? "/" + core::percentEncode(options.positional[1])
                                     : std::string());
  return guarded("describe", err, [&] {
    return show("describe", options, send(options, "GET", path), out, err, [&](Object body) {
      if (options.positional.size() > 1) {
        printObject(out, body);
      } else {
        printObjects(out, body->getArray("objects"));
      }
    });
  });
}

}  // namespace cli

int runRegister(Arguments args, std::ostream& out, std::ostream& err) {
  constexpr std::string_view kUsage =
      "register NAME --service-url URL [--set key=value ...] [--description TEXT]\n"
      "         [--auth MODE --username U --password P] | register --file BODY.json\n"
      "         (oauth and the TLS settings: --file, with the auth object of the REST API)\n"
      "         [--url BROKER] [--api-key KEY] [--json]";
  cli::Options options;
  const std::string problem = cli::parse(
      args,
      {"--service-url", "--set", "--description", "--auth", "--username", "--password", "--file"},
      {}, options);
  if (!problem.empty()) return badArguments("register", problem, kUsage, err);
  std::string body;
  if (!options.flag("--file").empty()) {
    std::ifstream file{std::string(options.flag("--file"))};
    std::ostringstream text;
    if (!file || !(text << file.rdbuf())) {
      return badArguments("register", "cannot read " + std::string(options.flag("--file")), kUsage,
                          err);
    }
    body = text.str();
  } else {
    if (options.positional.size() != 1) {
      return badArguments("register", "give the instance's NAME", kUsage, err);
    }
    if (options.flag("--service-url").empty()) {
      return badArguments("register", "--service-url is required", kUsage, err);
    }
    core::JsonWriter json(body);
    json.beginObject().key("name").value(options.positional[0]);
    if (!options.flag("--description").empty()) {
      json.key("description").value(options.flag("--description"));
    }
    json.key("serviceKeys").beginObject().key("serviceUrl").value(options.flag("--service-url"));
    for (std::string_view pair : options.all("--set")) {
      const std::size_t equals = pair.find('=');
      if (equals == std::string_view::npos) {
        return badArguments("register", "--set takes key=value, not '" + std::string(pair) + "'",
                            kUsage, err);
      }
      json.key(pair.substr(0, equals)).value(pair.substr(equals + 1));
    }
    json.endObject();
    if (!options.flag("--auth").empty()) {
      json.key("auth").beginObject().key("mode").value(options.flag("--auth"));
      if (!options.flag("--username").empty())
        json.key("username").value(options.flag("--username"));
      if (!options.flag("--password").empty())
        json.key("password").value(options.flag("--password"));
      json.endObject();
    }
    json.endObject();
  }
  return guarded("register", err, [&] {
    return show("register", options, cli::send(options, "POST", "/api/v1/instances", body), out,
                err, [&](Object instance) {
                  out << "registered " << cli::cell(instance->get("name")) << " (OData "
                      << cli::cell(instance->get("odataVersion")) << ", "
                      << cli::cell(instance->get("objectCount")) << " objects)\n\n";
                  printObjects(out, instance->getArray("objects"));
                });
  });
}

int runList(Arguments args, std::ostream& out, std::ostream& err) {
  cli::Options options;
  if (std::string problem = cli::parse(args, {}, {}, options); !problem.empty()) {
    return badArguments("list", problem, "list [--url BROKER] [--api-key KEY] [--json]", err);
  }
  return guarded("list", err, [&] {
    return show("list", options, cli::send(options, "GET", "/api/v1/instances"), out, err,
                [&](Object body) { printInstances(out, body->getArray("instances")); });
  });
}

int runCall(Arguments args, std::ostream& out, std::ostream& err) {
  constexpr std::string_view kUsage =
      "call INSTANCE OBJECT METHOD [name=value | name:=JSON | name@=FILE ...] [--filter JSON]\n"
      "         [--returns a,b] [--top N] [--skip N] [--order-by 'Name desc'] [--count]\n"
      "         [--expand Nav1,Nav2] [--url BROKER] [--api-key KEY] [--json]";
  cli::Options options;
  const std::string problem =
      cli::parse(args, {"--filter", "--returns", "--top", "--skip", "--order-by", "--expand"},
                 {"--count"}, options);
  if (!problem.empty()) return badArguments("call", problem, kUsage, err);
  if (options.positional.size() < 3) {
    return badArguments("call", "give INSTANCE OBJECT METHOD", kUsage, err);
  }
  std::string body;
  core::JsonWriter json(body);
  json.beginObject().key("inputs").beginObject();
  for (std::size_t i = 3; i < options.positional.size(); ++i) {
    const std::string_view input = options.positional[i];
    const std::size_t equals = input.find('=');
    if (equals == std::string_view::npos || equals == 0) {
      return badArguments(
          "call",
          "inputs are name=value, name:=JSON or name@=FILE, not '" + std::string(input) + "'",
          kUsage, err);
    }
    const char sigil = input[equals - 1];
    const bool raw = sigil == ':';
    const bool file = sigil == '@';
    json.key(input.substr(0, raw || file ? equals - 1 : equals));
    if (raw) {
      json.raw(input.substr(equals + 1));
    } else if (file) {
      // A File value from a local file: its name, and its content in base64.
      const std::filesystem::path source(std::string(input.substr(equals + 1)));
      std::ifstream in(source, std::ios::binary);
      std::ostringstream bytes;
      if (!in || !(bytes << in.rdbuf())) {
        return badArguments("call", "cannot read the file '" + source.string() + "'", kUsage, err);
      }
      json.beginObject().key("fileName").value(source.filename().string());
      json.key("content").value(core::base64Encode(bytes.str())).endObject();
    } else {
      json.value(input.substr(equals + 1));
    }
  }
  json.endObject();
  if (!options.flag("--filter").empty()) {
    try {
      Poco::JSON::Parser parser;
      if (parser.parse(std::string(options.flag("--filter"))).type() !=
          typeid(Poco::JSON::Object::Ptr)) {
        return badArguments("call",
                            "--filter must be a JSON object such as "
                            "'{\"equals\": [{\"property\": \"ID\"}, 1]}'",
                            kUsage, err);
      }
    } catch (const Poco::Exception& e) {
      return badArguments("call", "--filter is not valid JSON: " + e.message(), kUsage, err);
    }
    json.key("filter").raw(options.flag("--filter"));
  }
  for (auto [flag, member] : {std::pair{"--returns", "returns"}, std::pair{"--expand", "expand"}}) {
    if (options.flag(flag).empty()) continue;
    json.key(member).beginArray();
    for (std::string_view name : core::split(options.flag(flag), ',')) json.value(name);
    json.endArray();
  }
  for (auto [flag, member] : {std::pair{"--top", "top"}, std::pair{"--skip", "skip"}}) {
    if (!options.flag(flag).empty()) json.key(member).raw(options.flag(flag));
  }
  if (!options.flag("--order-by").empty()) json.key("orderBy").value(options.flag("--order-by"));
  if (!options.flag("--count").empty()) json.key("includeTotalCount").value(true);
  json.endObject();
  const std::string path = "/api/v1/instances/" + core::percentEncode(options.positional[0]) +
                           "/objects/" + core::percentEncode(options.positional[1]) + "/methods/" +
                           core::percentEncode(options.positional[2]);
  return guarded("call", err, [&] {
    return show("call", options, cli::send(options, "POST", path, body), out, err,
                [&](Object result) { printRows(out, result); });
  });
}

int runBatch(Arguments args, std::ostream& out, std::ostream& err) {
  constexpr std::string_view kUsage =
      "batch INSTANCE FILE|- [--url BROKER] [--api-key KEY] [--json]\n"
      "  FILE holds the batch body: {\"requests\": [calls and {\"changeSet\": [calls]}]}";
  cli::Options options;
  const std::string problem = cli::parse(args, {}, {}, options);
  if (!problem.empty()) return badArguments("batch", problem, kUsage, err);
  if (options.positional.size() != 2) {
    return badArguments("batch", "give INSTANCE and the FILE with the batch body", kUsage, err);
  }
  std::ostringstream body;
  if (options.positional[1] == "-") {
    body << std::cin.rdbuf();
  } else {
    std::ifstream in(std::string(options.positional[1]), std::ios::binary);
    if (!in || !(body << in.rdbuf())) {
      return badArguments("batch",
                          "cannot read the file '" + std::string(options.positional[1]) + "'",
                          kUsage, err);
    }
  }
  const std::string path =
      "/api/v1/instances/" + core::percentEncode(options.positional[0]) + "/batch";
  return guarded("batch", err, [&] {
    return show("batch", options, cli::send(options, "POST", path, body.str()), out, err,
                [&](Object result) { printBatch(out, result->getArray("responses")); });
  });
}

int runRefresh(Arguments args, std::ostream& out, std::ostream& err) {
  cli::Options options;
  const std::string problem = cli::parse(args, {}, {}, options);
  if (!problem.empty() || options.positional.size() != 1) {
    return badArguments("refresh", problem.empty() ? "give the INSTANCE" : problem,
                        "refresh INSTANCE [--url BROKER] [--api-key KEY] [--json]", err);
  }
  const std::string path =
      "/api/v1/instances/" + core::percentEncode(options.positional[0]) + "/refresh";
  return guarded("refresh", err, [&] {
    return show("refresh", options, cli::send(options, "POST", path), out, err, [&](Object body) {
      out << "refreshed " << cli::cell(body->get("name")) << " ("
          << cli::cell(body->get("objectCount")) << " objects)\n";
    });
  });
}

int runRemove(Arguments args, std::ostream& out, std::ostream& err) {
  cli::Options options;
  const std::string problem = cli::parse(args, {}, {}, options);
  if (!problem.empty() || options.positional.size() != 1) {
    return badArguments("remove", problem.empty() ? "give the INSTANCE" : problem,
                        "remove INSTANCE [--url BROKER] [--api-key KEY]", err);
  }
  const std::string path = "/api/v1/instances/" + core::percentEncode(options.positional[0]);
  return guarded("remove", err, [&] {
    return show("remove", options, cli::send(options, "DELETE", path), out, err,
                [&](Object) { out << "removed " << options.positional[0] << "\n"; });
  });
}

}  // namespace broker::server
