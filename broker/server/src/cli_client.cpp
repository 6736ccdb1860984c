#include "cli_client.h"

#include <Poco/JSON/Object.h>
#include <Poco/JSON/ParseHandler.h>
#include <Poco/JSON/Parser.h>
#include <Poco/JSON/Stringifier.h>
#include <Poco/Net/HTTPClientSession.h>
#include <Poco/Net/HTTPRequest.h>
#include <Poco/Net/HTTPResponse.h>
#include <Poco/StreamCopier.h>
#include <Poco/URI.h>

#include <algorithm>
#include <cstdlib>
#include <iostream>
#include <ostream>
#include <sstream>
#include <stdexcept>

namespace broker::server::cli {

std::string_view Options::flag(std::string_view name) const {
  for (const auto& [flagName, value] : flags) {
    if (flagName == name) return value;
  }
  return {};
}

std::vector<std::string_view> Options::all(std::string_view name) const {
  std::vector<std::string_view> values;
  for (const auto& [flagName, value] : flags) {
    if (flagName == name) values.push_back(value);
  }
  return values;
}

std::string parse(Arguments args, const std::vector<std::string_view>& valueFlags,
                  const std::vector<std::string_view>& booleanFlags, Options& options) {
  const char* url = std::getenv("ODATA_BROKER_URL");
  const char* key = std::getenv("ODATA_BROKER_KEY");
  options.url = url && *url ? url : "http://127.0.0.1:8080";
  options.key = key ? key : "";
  for (std::size_t i = 0; i < args.size(); ++i) {
    const std::string_view arg = args[i];
    const bool takesValue =
        arg == "--url" || arg == "--api-key" || arg == "--key" ||
        std::find(valueFlags.begin(), valueFlags.end(), arg) != valueFlags.end();
    if (takesValue) {
      if (i + 1 >= args.size()) return std::string(arg) + " needs a value";
      const std::string_view value = args[++i];
      if (arg == "--url") {
        options.url = value;
      } else if (arg == "--api-key" || arg == "--key") {
        // --key was the API key's flag before service keys took it (`describe --metadata`).
        if (arg == "--key") {
          std::cerr << "warning: --key for the API key is now --api-key; --key still works "
                       "here for now\n";
        }
        options.key = value;
      } else {
        options.flags.emplace_back(arg, value);
      }
    } else if (arg == "--json") {
      options.json = true;
    } else if (std::find(booleanFlags.begin(), booleanFlags.end(), arg) != booleanFlags.end()) {
      options.flags.emplace_back(arg, "true");
    } else if (arg.starts_with("--")) {
      return "unknown argument '" + std::string(arg) + "'";
    } else {
      options.positional.push_back(arg);
    }
  }
  while (!options.url.empty() && options.url.back() == '/') options.url.pop_back();
  return {};
}

Reply send(const Options& options, const std::string& method, const std::string& path,
           const std::string& body) {
  try {
    const Poco::URI base(options.url);
    if (base.getScheme() != "http") {
      throw std::runtime_error("--url must be an http:// address, not '" + options.url + "'");
    }
    Poco::Net::HTTPClientSession session(base.getHost(), base.getPort());
    session.setTimeout(Poco::Timespan(600, 0));
    Poco::Net::HTTPRequest request(method, base.getPath() + path, Poco::Net::HTTPMessage::HTTP_1_1);
    request.set("Accept", "application/json");
    if (!options.key.empty()) request.set("Authorization", "Bearer " + options.key);
    if (!body.empty() || method == "POST" || method == "PUT") {
      request.setContentType("application/json");
      request.setContentLength(static_cast<std::streamsize>(body.size()));
    }
    session.sendRequest(request) << body;
    Poco::Net::HTTPResponse response;
    std::istream& in = session.receiveResponse(response);
    Reply reply;
    reply.status = static_cast<int>(response.getStatus());
    Poco::StreamCopier::copyToString(in, reply.body);
    return reply;
  } catch (const Poco::Exception& e) {
    throw std::runtime_error("cannot reach the broker at " + options.url + ": " + e.displayText());
  }
}

Poco::Dynamic::Var parseJson(const std::string& text) {
  Poco::JSON::Parser parser(new Poco::JSON::ParseHandler(true));
  return parser.parse(text);
}

int reportError(std::string_view command, const Reply& reply, std::ostream& err) {
  std::string code;
  std::string message = reply.body;
  try {
    auto error = parseJson(reply.body).extract<Poco::JSON::Object::Ptr>()->getObject("error");
    code = error->getValue<std::string>("code");
    message = error->getValue<std::string>("message");
  } catch (const std::exception&) {  // not the API's error shape: show the body as it is
  }
  err << command << ": " << reply.status << (code.empty() ? "" : " " + code) << ": " << message
      << "\n";
  return 1;
}

std::string cell(const Poco::Dynamic::Var& value) {
  if (value.isEmpty()) return "";
  if (value.isString()) return value.extract<std::string>();
  std::ostringstream json;
  Poco::JSON::Stringifier::stringify(value, json);
  return json.str();
}

void printTable(std::ostream& out, const std::vector<std::string>& headers,
                const std::vector<std::vector<std::string>>& rows) {
  constexpr std::size_t kMaxWidth = 60;
  // Widths count characters, not UTF-8 bytes.
  const auto width = [](std::string_view text) {
    return static_cast<std::size_t>(std::count_if(text.begin(), text.end(), [](char c) {
      return (static_cast<unsigned char>(c) & 0xC0) != 0x80;
    }));
  };
  const auto shown = [&](const std::string& text) {
    std::string line = text.substr(0, text.find('\n'));
    if (width(line) <= kMaxWidth) return line;
    std::size_t cut = 0;
    for (std::size_t characters = 0; cut < line.size(); ++cut) {
      if ((static_cast<unsigned char>(line[cut]) & 0xC0) != 0x80 && characters++ == kMaxWidth - 3)
        break;
    }
    return line.substr(0, cut) + "...";
  };
  std::vector<std::size_t> widths;
  for (const std::string& header : headers) widths.push_back(header.size());
  for (const auto& row : rows) {
    for (std::size_t i = 0; i < row.size() && i < widths.size(); ++i) {
      widths[i] = std::max(widths[i], width(shown(row[i])));
    }
  }
  const auto line = [&](const std::vector<std::string>& cells) {
    std::string text;
    for (std::size_t i = 0; i < widths.size(); ++i) {
      const std::string value = i < cells.size() ? shown(cells[i]) : "";
      text += value;
      if (i + 1 < widths.size()) text += std::string(widths[i] - width(value) + 2, ' ');
    }
    while (!text.empty() && text.back() == ' ') text.pop_back();
    out << text << "\n";
  };
  line(headers);
  std::vector<std::string> rules;
  for (std::size_t width : widths) rules.emplace_back(width, '-');
  line(rules);
  for (const auto& row : rows) line(row);
}

}  // namespace broker::server::cli
