// The odata-broker command line: one command per verb, `--help` for each.
#include <algorithm>
#include <ostream>
#include <string_view>
#include <vector>

#include "server/commands.h"

namespace broker::server {
namespace {

struct Command {
  std::string_view name;
  std::string_view summary;
  int (*run)(Arguments, std::ostream&, std::ostream&);
};

constexpr Command kCommands[] = {
    {"serve",
     "serve [--config FILE] [--host H] [--port P] [--data-dir DIR] ...\n"
     "      run the broker (REST API, UI) until SIGTERM",
     runServe},
    {"register",
     "register NAME --service-url URL [--set key=value ...] [--auth ...]\n"
     "      register an OData service instance with a running broker",
     runRegister},
    {"list", "list\n      list the registered instances", runList},
    {"describe",
     "describe INSTANCE [OBJECT] | describe --metadata FILE [--key name=value ...]\n"
     "      print service objects of an instance, or of a $metadata file offline",
     runDescribe},
    {"call",
     "call INSTANCE OBJECT METHOD [name=value | name:=JSON ...] [--filter JSON] ...\n"
     "      execute a method and print its rows",
     runCall},
    {"batch",
     "batch INSTANCE FILE|-\n"
     "      run the calls of a batch body (API section 6) as one OData $batch",
     runBatch},
    {"refresh", "refresh INSTANCE\n      reload an instance's metadata", runRefresh},
    {"remove", "remove INSTANCE\n      remove an instance", runRemove},
};

constexpr std::string_view kClientFlags =
    "  --url BROKER     the broker (default $ODATA_BROKER_URL or http://127.0.0.1:8080)\n"
    "  --api-key KEY    an API key, sent as a bearer token (default $ODATA_BROKER_KEY)\n"
    "  --json           the API's JSON instead of tables\n";
constexpr std::string_view kDescribeFlags =
    "  --metadata FILE  describe a $metadata file offline\n"
    "  --set name=value a service key for the offline description (naming, folders)\n";

void usage(std::ostream& out) {
  out << "usage: odata-broker COMMAND [ARGS]\n";
  for (const Command& command : kCommands) out << "  " << command.summary << "\n";
  out << "Client commands take:\n"
      << kClientFlags << "odata-broker COMMAND --help says what a command takes.\n";
}

}  // namespace

int runCommand(Arguments args, std::ostream& out, std::ostream& err) {
  if (args.empty() || args[0] == "--help" || args[0] == "-h") {
    usage(args.empty() ? err : out);
    return args.empty() ? 2 : 0;
  }
  for (const Command& command : kCommands) {
    if (command.name != args[0]) continue;
    // `odata-broker COMMAND --help`: what the command takes.
    if (std::find(args.begin() + 1, args.end(), "--help") != args.end() ||
        std::find(args.begin() + 1, args.end(), "-h") != args.end()) {
      out << "usage: odata-broker " << command.summary << "\n";
      if (command.name == "describe") out << kDescribeFlags;
      if (command.name != "serve") out << "Talking to a broker:\n" << kClientFlags;
      return 0;
    }
    return command.run(args.subspan(1), out, err);
  }
  err << "odata-broker: unknown command '" << args[0] << "'\n";
  usage(err);
  return 2;
}

}  // namespace broker::server
