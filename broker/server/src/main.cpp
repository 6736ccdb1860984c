// odata-broker: the broker's command-line entry point.
#include <iostream>
#include <string_view>
#include <vector>

#include "server/commands.h"

int main(int argc, char** argv) {
  const std::vector<std::string_view> args(argv + 1, argv + argc);
  return broker::server::runCommand(args, std::cout, std::cerr);
}
