// Helpers for engine tests: a sink that keeps rows by property name, instance set-up against
// a peer, and reading the peer's request log.
#pragma once

#include <map>
#include <string>
#include <utility>
#include <vector>

#include "broker/core/error.h"
#include "broker/engine/executor.h"
#include "broker/engine/instance.h"
#include "broker/odata/http.h"

namespace broker::testing {

using RowMap = std::map<std::string, odata::Value>;

class CollectingSink : public engine::RowSink {
 public:
  void row(const engine::Row& row) override;
  std::vector<RowMap> rows;
  /// Per row, the content of each File value held in a file (read while the row is valid).
  std::vector<std::map<std::string, std::string>> files;
};

/// Opens an instance on `serviceUrl` with extra service keys (name=value).
std::shared_ptr<const engine::Instance> openOn(
    const std::string& serviceUrl, std::vector<std::pair<std::string, std::string>> keys = {});

/// Runs a call; the rows it returned.
std::vector<RowMap> call(const engine::Instance& instance, engine::CallRequest request,
                         engine::CallResult* result = nullptr);

/// Runs a call into `sink`.
engine::CallResult call(const engine::Instance& instance, const engine::CallRequest& request,
                        CollectingSink& sink);

/// One request the peer logged (tests/peers/middleware.js, feature "log").
struct LoggedRequest {
  std::string method;
  std::string url;
  std::map<std::string, std::string> headers;  // lower-case names
  std::string body;                            // when the peer records bodies
};

/// The requests the peer logged since the last clear; `clear` forgets them afterwards.
std::vector<LoggedRequest> peerRequests(const std::string& origin, bool clear = true);

/// Makes the capture peer (tests/peers/capture-server.js) answer `method` requests of `path`
/// (decoded, query aside) with a recorded answer; with `whenHeader`, only requests whose header
/// of that name contains `contains`.
void recordAnswer(const std::string& origin, const std::string& method, const std::string& path,
                  int status, const std::string& body,
                  const std::string& contentType = "application/json",
                  const std::string& whenHeader = "", const std::string& contains = "");

/// The ID column of rows, as text.
std::vector<std::string> idsOf(const std::vector<RowMap>& rows);

/// The error a call fails with (a test failure when it does not fail).
core::Error errorOf(const engine::Instance& instance, engine::CallRequest request);

inline odata::Value num(std::string_view digits) { return odata::Value::number(digits); }
inline odata::Value str(std::string_view text) { return odata::Value::string(text); }

}  // namespace broker::testing
