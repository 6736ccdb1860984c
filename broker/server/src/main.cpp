// odata-broker: the broker's command-line entry point; dispatches to one command per verb.
#include <iostream>
#include <span>
#include <string_view>
#include <vector>

#include "describe_command.h"

namespace {

struct Command {
  std::string_view name;
  std::string_view summary;
  int (*run)(std::span<const std::string_view>, std::ostream&, std::ostream&);
};

constexpr Command kCommands[] = {
    {"describe",
     "describe --metadata FILE [--key name=value ...] [--json]\n"
     "      print the service objects the broker derives from a $metadata file",
     broker::server::runDescribe},
};

void usage(std::ostream& out) {
  out << "usage: odata-broker COMMAND [ARGS]\n";
  for (const Command& command : kCommands) out << "  " << command.summary << "\n";
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
