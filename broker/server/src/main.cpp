// odata-broker: the broker's command-line entry point; dispatches to one command per verb.
#include <iostream>
#include <span>
#include <string_view>
#include <vector>

#include "server/commands.h"

namespace {

struct Command {
  std::string_view name;
  std::string_view summary;
  int (*run)(broker::server::Arguments, std::ostream&, std::ostream&);
};

constexpr Command kCommands[] = {
    {"serve",
     "serve [--config FILE] [--host H] [--port P] [--data-dir DIR] ...\n"
     "      run the broker (REST API, UI) until SIGTERM",
     broker::server::runServe},
    {"register",
     "register NAME --service-url URL [--set key=value ...] [--auth ...]\n"
     "      register an OData service instance with a running broker",
     broker::server::runRegister},
    {"list", "list\n      list the registered instances", broker::server::runList},
    {"describe",
     "describe INSTANCE [OBJECT] | describe --metadata FILE [--key name=value ...]\n"
     "      print service objects of an instance, or of a $metadata file offline",
     broker::server::runDescribe},
    {"call",
     "call INSTANCE OBJECT METHOD [name=value | name:=JSON ...] [--filter JSON] ...\n"
     "      execute a method and print its rows",
     broker::server::runCall},
    {"batch",
     "batch INSTANCE FILE|-\n"
     "      run the calls of a batch body (API section 6) as one OData $batch",
     broker::server::runBatch},
    {"refresh", "refresh INSTANCE\n      reload an instance's metadata",
     broker::server::runRefresh},
    {"remove", "remove INSTANCE\n      remove an instance", broker::server::runRemove},
};

void usage(std::ostream& out) {
  out << "usage: odata-broker COMMAND [ARGS]\n";
  for (const Command& command : kCommands) out << "  " << command.summary << "\n";
  out << "Client commands take --url BROKER (default $ODATA_BROKER_URL or "
         "http://127.0.0.1:8080),\n--key API_KEY (default $ODATA_BROKER_KEY) and --json.\n";
}

}  // namespace

int main(int argc, char** argv) {
  const std::vector<std::string_view> args(argv + 1, argv + argc);
  if (args.empty() || args[0] == "--help" || args[0] == "-h") {
    usage(args.empty() ? std::cerr : std::cout);
    return args.empty() ? 2 : 0;
  }
  for (const Command& command : kCommands) {
    if (command.name == args[0]) {
      return command.run(std::span(args).subspan(1), std::cout, std::cerr);
    }
  }
  std::cerr << "odata-broker: unknown command '" << args[0] << "'\n";
  usage(std::cerr);
  return 2;
}
