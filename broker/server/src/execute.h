// POST .../objects/{so}/methods/{method}: the execute body (API.md §4) turned into an engine
// call, and its rows written as JSON. List results stream: up to a buffer's worth the reply is
// sent whole (so an error still gets its proper status); past it, rows go out chunked as they
// arrive, and an error after that point ends the body with an "error" member.
#pragma once

#include <Poco/Dynamic/Var.h>
#include <Poco/JSON/Object.h>

#include <functional>
#include <string>

#include "broker/core/json_writer.h"
#include "broker/core/temp_file.h"
#include "broker/engine/executor.h"
#include "broker/engine/instance.h"
#include "exchange.h"

namespace broker::server {

struct ExecuteOutcome {
  int status = 200;  ///< 200, or the status of an error reported inside a streamed body
  std::int64_t rows = 0;
};

/// Reads the request body, executes `method` of `object` on `instance` and replies. Throws
/// core::Error for failures before any of the reply was sent.
/// What one execute call may cost: file contents it uploads (bytes, and files), bytes of
/// answers it reads.
struct CallLimits {
  std::uint64_t maxStreamBytes = 0;
  std::uint64_t maxUpstreamBytes = 0;
  std::size_t maxFiles = 16;
  std::size_t maxBatchCalls = 1000;
};

ExecuteOutcome executeMethod(Exchange& exchange, const engine::Instance& instance,
                             const std::string& object, const std::string& method,
                             std::string callerAuthorization, const CallLimits& limits,
                             engine::CallStats& stats);

/// A filter member's JSON text (an object); throws core::Error(kInvalidArgument) otherwise.
std::string filterJson(const Poco::Dynamic::Var& filter);

/// Whether `member` is a member of the execute body (inputs, filter, returns, …).
bool executeMember(std::string_view member);

/// The execute body's members of `body` as a call request (other members are left alone);
/// errors are prefixed with `where` ("requests[2]") when it is not empty.
engine::CallRequest executeRequest(const Poco::JSON::Object& body, std::string object,
                                   std::string method,
                                   const std::vector<core::TempFile>& files = {},
                                   const std::string& where = "");

/// Writes `row` as a JSON object through `json` (whose text is `buffer`); a File value's
/// content goes into `buffer` base64-encoded chunk by chunk, `spill` called after each chunk
/// (to send what the buffer holds).
void writeRow(
    core::JsonWriter& json, std::string& buffer, const engine::Row& row,
    const std::function<void()>& spill = [] {});

/// The execute body as a call request (exposed for tests). A File input whose content was
/// spooled ({"$spooled": N}) becomes a file value on `files[N]`. Throws
/// core::Error(kInvalidArgument) naming the member that is wrong.
engine::CallRequest parseExecuteBody(const std::string& body, std::string object,
                                     std::string method,
                                     const std::vector<core::TempFile>& files = {});

}  // namespace broker::server
