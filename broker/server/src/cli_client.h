// What the client commands share: the broker's address and key from flags or the environment,
// one HTTP exchange with the broker, the API's errors as one line, and plain-text tables.
#pragma once

#include <Poco/Dynamic/Var.h>

#include <iosfwd>
#include <string>
#include <string_view>
#include <vector>

#include "server/commands.h"

namespace broker::server::cli {

struct Options {
  std::string url;  ///< --url, ODATA_BROKER_URL, or http://127.0.0.1:8080
  std::string key;  ///< --key, ODATA_BROKER_KEY
  bool json = false;
  std::vector<std::string_view> positional;
  std::vector<std::pair<std::string_view, std::string_view>> flags;  ///< other --name value

  /// The value of a flag given with a value; empty when absent.
  std::string_view flag(std::string_view name) const;
  /// Every value of a repeatable flag.
  std::vector<std::string_view> all(std::string_view name) const;
};

/// Parses `args`: --url, --key and --json, the flags in `valueFlags` (each takes a value),
/// `booleanFlags` (none), and positional arguments. Returns an error message, or empty.
std::string parse(Arguments args, const std::vector<std::string_view>& valueFlags,
                  const std::vector<std::string_view>& booleanFlags, Options& options);

struct Reply {
  int status = 0;
  std::string body;
};

/// Sends one request to the broker; throws std::runtime_error naming the broker's address when
/// it cannot be reached.
Reply send(const Options& options, const std::string& method, const std::string& path,
           const std::string& body = {});

/// Reports a failed reply on `err` as "<command>: <status> <code>: <message>"; returns 1.
int reportError(std::string_view command, const Reply& reply, std::ostream& err);

/// Parses JSON keeping the order of object members.
Poco::Dynamic::Var parseJson(const std::string& text);

/// A value as a table cell: strings bare, null empty, anything else compact JSON.
std::string cell(const Poco::Dynamic::Var& value);

/// Prints `rows` under `headers` in aligned columns, cells cut at 60 characters.
void printTable(std::ostream& out, const std::vector<std::string>& headers,
                const std::vector<std::vector<std::string>>& rows);

/// Prints the objects of an instance (one object when `object` is given), for `describe`.
int describeInstance(const Options& options, std::ostream& out, std::ostream& err);

}  // namespace broker::server::cli
