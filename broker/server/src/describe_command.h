// `odata-broker describe --metadata FILE [--key name=value ...] [--json]`: prints the catalog
// of service objects the broker derives from a metadata document, offline.
#pragma once

#include <iosfwd>
#include <span>
#include <string_view>

namespace broker::server {

/// Runs the command with the arguments after `describe`; returns the process exit code
/// (0 done, 1 bad metadata or keys, 2 bad arguments). Errors go to `err` as one line naming
/// what was wrong.
int runDescribe(std::span<const std::string_view> args, std::ostream& out, std::ostream& err);

}  // namespace broker::server
