// `describe`: the catalog of a metadata file (offline) or of a registered instance, as readable
// tables or JSON.
#include <algorithm>
#include <fstream>
#include <iostream>
#include <ostream>
#include <sstream>
#include <string>
#include <utility>
#include <vector>

#include "broker/core/error.h"
#include "broker/edm/type_ref.h"
#include "broker/engine/instance.h"
#include "cli_client.h"
#include "server/commands.h"
#include "serviceobjects/catalog.h"
#include "serviceobjects/catalog_json.h"

namespace broker::server {

namespace {

namespace so = serviceobjects;

struct Options {
  std::string metadata;
  std::vector<std::pair<std::string, std::string>> keys;
  bool json = false;
};

std::string joined(const std::vector<std::string>& names) {
  std::string text;
  for (const std::string& name : names) text += (text.empty() ? "" : ", ") + name;
  return text.empty() ? "-" : text;
}

void printObject(const so::ServiceObject& object, std::ostream& out) {
  out << "\n" << so::toString(object.folder) << "/" << object.name;
  if (!object.description.empty()) out << "  (" << object.description << ")";
  out << "\n  properties:\n";
  std::size_t width = 0;
  for (const so::Property& p : object.properties) width = std::max(width, p.name.size());
  for (const so::Property& p : object.properties) {
    out << "    " << p.name << std::string(width - p.name.size() + 2, ' ') << so::toString(p.type)
        << std::string(11 - so::toString(p.type).size(), ' ') << p.edmType << (p.key ? "  key" : "")
        << "\n";
  }
  out << "  methods:\n";
  for (const so::Method& m : object.methods) {
    out << "    " << m.name << "\n      inputs:   " << joined(m.inputs)
        << "\n      required: " << joined(m.required) << "\n      returns:  " << joined(m.returns)
        << "\n";
  }
}

void printCatalog(const so::Catalog& catalog, std::ostream& out) {
  std::size_t counts[3] = {0, 0, 0};
  for (const so::ServiceObject& object : catalog.objects()) {
    ++counts[static_cast<int>(object.folder)];
  }
  out << "OData " << edm::toString(catalog.model().version) << ": " << counts[0] << " Entities, "
      << counts[1] << " Operations, " << counts[2] << " ObjectTypes\n";
  for (const so::ServiceObject& object : catalog.objects()) printObject(object, out);
}

// Fills `options`; returns an error message, or empty.
std::string parseArguments(std::span<const std::string_view> args, Options& options) {
  for (std::size_t i = 0; i < args.size(); ++i) {
    const std::string_view arg = args[i];
    const bool hasValue = i + 1 < args.size();
    if (arg == "--metadata" && hasValue) {
      options.metadata = args[++i];
    } else if ((arg == "--set" || arg == "--key") && hasValue) {
      // Service keys were given with --key before the API key took its own flag.
      if (arg == "--key") {
        std::cerr << "warning: --key name=value is now --set name=value; --key still works here "
                     "for now\n";
      }
      const std::string_view pair = args[++i];
      const std::size_t equals = pair.find('=');
      if (equals == std::string_view::npos) {
        return std::string(arg) + " takes name=value, not '" + std::string(pair) + "'";
      }
      options.keys.emplace_back(pair.substr(0, equals), pair.substr(equals + 1));
    } else if (arg == "--json") {
      options.json = true;
    } else {
      return "unknown argument '" + std::string(arg) + "'";
    }
  }
  return options.metadata.empty() ? "--metadata FILE is required" : "";
}

}  // namespace

int runDescribe(Arguments args, std::ostream& out, std::ostream& err) {
  if (std::find(args.begin(), args.end(), "--metadata") == args.end()) {
    cli::Options online;
    const std::string problem = cli::parse(args, {}, {}, online);
    if (!problem.empty() || online.positional.empty() || online.positional.size() > 2) {
      err << "describe: " << (problem.empty() ? "give an INSTANCE, or --metadata FILE" : problem)
          << "\nusage: odata-broker describe INSTANCE [OBJECT] [--url BROKER] [--api-key KEY] "
             "[--json]\n       odata-broker describe --metadata FILE [--set name=value ...] "
             "[--json]\n";
      return 2;
    }
    return cli::describeInstance(online, out, err);
  }
  Options options;
  if (const std::string problem = parseArguments(args, options); !problem.empty()) {
    err << "describe: " << problem << "\n"
        << "usage: odata-broker describe --metadata FILE [--set name=value ...] [--json]\n";
    return 2;
  }
  // Offline there is no service to call; the URL only satisfies the required key.
  options.keys.insert(options.keys.begin(), {"serviceUrl", "http://offline.invalid/"});
  try {
    const config::ServiceKeys keys = config::ServiceKeys::parse(options.keys);
    std::ifstream in(options.metadata, std::ios::binary);
    std::ostringstream text;
    if (!in || !(text << in.rdbuf())) {
      throw core::Error(core::ErrorCode::kInvalidArgument,
                        "cannot read the metadata file '" + options.metadata + "'");
    }
    // The instance is never called: its transport only completes it.
    std::shared_ptr<const engine::Instance> instance;
    try {
      instance = engine::openInstance("describe", keys, text.str(), engine::transportFor(keys));
    } catch (const core::Error& e) {
      throw core::Error(e.code(), options.metadata + ": " + e.message(), e.details());
    }
    const auto& catalog = instance->catalog;
    if (options.json) {
      out << so::toJson(*catalog);
    } else {
      printCatalog(*catalog, out);
    }
    return 0;
  } catch (const core::Error& e) {
    err << "describe: " << e.message() << "\n";
    return 1;
  }
}

}  // namespace broker::server
