// OData `$batch` in its multipart/mixed form (V2, V3, V4): requests written as
// `application/http` parts, change sets as nested multipart parts whose requests carry a
// Content-ID, and the answer read back part by part. The client (ODataClient::sendBatch) turns
// calls into the requests written here; nothing here sends anything.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "broker/odata/http.h"

namespace broker::odata {

/// One request inside a batch: method, URL relative to the service root (or `$<Content-ID>`
/// followed by a path, a reference to an entity created earlier in the same change set),
/// headers and body.
struct BatchRequest {
  std::string method;
  std::string url;
  std::vector<Header> headers;
  std::string body;
  std::string contentId;  ///< "" outside change sets
};

/// Requests sent one after the other, or a change set: atomic, all applied or none. (The engine
/// sends a group per call outside change sets, so that an answer stopped short ends between
/// groups.)
struct BatchGroup {
  bool changeSet = false;
  std::vector<BatchRequest> requests;
  /// The requests run after the group before (a change set's read-backs). In the multipart
  /// form everything runs in order anyway; the JSON form says so with `dependsOn`.
  bool afterPrevious = false;
};

/// What the service answered to one group: a response per request, in order; or, for a change
/// set that failed, the one response saying why (`failed`), none of its requests applied.
struct BatchGroupAnswer {
  std::vector<HttpResponse> responses;
  bool failed = false;
};

/// The multipart body of `groups`, delimited by `boundary` (change sets by "changeset_" +
/// an index inside it). CRLF line ends, as RFC 2046 wants.
std::string writeBatch(const std::vector<BatchGroup>& groups, std::string_view boundary);

/// Reads the answer to writeBatch(`groups`): `contentType` is the response's Content-Type
/// (its boundary). A service that stopped after a failed request answers fewer parts: the
/// groups after the last answer have none (the result is shorter, the last group's responses
/// may be fewer than its requests). Throws core::Error(kUpstreamFailure) naming what is not as
/// expected: no boundary, a part that is not an HTTP response, a change set answered in part.
std::vector<BatchGroupAnswer> readBatch(std::string_view body, std::string_view contentType,
                                        const std::vector<BatchGroup>& groups);

/// The same batch in the JSON format of OData 4.01 (`{"requests": [...]}`), for services that
/// advertise 4.01: a change set is an atomicity group, request ids are the Content-IDs (`$1`
/// references them), and what must run after something else depends on it (`dependsOn`): a
/// request on the one before it in its group outside change sets, a group `afterPrevious` on
/// the group before. JSON bodies go as JSON, others as strings.
std::string writeJsonBatch(const std::vector<BatchGroup>& groups);

/// Reads the answer to writeJsonBatch(`groups`); answers are matched to requests by id. A change
/// set with a failed request is `failed`, with the failing response (its Content-ID header set
/// to the request's id). Throws core::Error(kUpstreamFailure) naming what is not as expected.
std::vector<BatchGroupAnswer> readJsonBatch(std::string_view body,
                                            const std::vector<BatchGroup>& groups);

}  // namespace broker::odata
