// The odata-broker commands. Each takes the arguments after its verb, writes to `out` and
// `err`, and returns the process exit code: 0 done, 1 the operation failed (the error names
// what), 2 bad arguments.
#pragma once

#include <iosfwd>
#include <span>
#include <string_view>

namespace broker::server {

using Arguments = std::span<const std::string_view>;

/// The whole command line after the program's name: the command its first word names, or
/// `COMMAND --help` (what it takes), or the list of commands.
int runCommand(Arguments args, std::ostream& out, std::ostream& err);

/// `serve [--host H] [--port P] [--data-dir DIR] [--config FILE] ...`: runs the broker until
/// SIGTERM or SIGINT, then finishes the calls in flight.
int runServe(Arguments args, std::ostream& out, std::ostream& err);

/// `register`, `list`, `describe INSTANCE [OBJECT]`, `call`, `refresh`, `remove`: the REST API
/// of a running broker (--url, --key), as tables or, with --json, as the API's JSON.
int runRegister(Arguments args, std::ostream& out, std::ostream& err);
int runList(Arguments args, std::ostream& out, std::ostream& err);
int runCall(Arguments args, std::ostream& out, std::ostream& err);
int runBatch(Arguments args, std::ostream& out, std::ostream& err);
int runRefresh(Arguments args, std::ostream& out, std::ostream& err);
int runRemove(Arguments args, std::ostream& out, std::ostream& err);

/// `describe`: with --metadata FILE the catalog of a metadata file offline, else the objects
/// of a registered instance.
int runDescribe(Arguments args, std::ostream& out, std::ostream& err);

}  // namespace broker::server
