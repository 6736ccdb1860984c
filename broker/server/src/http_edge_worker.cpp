// The HTTP edge's workers: one request at a time per connection, then the next head when it
// is already there (or arrives within a moment and no other request waits), else the
// connection goes back to the poller.
#include <Poco/Net/HTTPRequestHandler.h>

#include "broker/core/log.h"
#include "http_edge_impl.h"
#include "http_message.h"

namespace broker::server {

using namespace edge;

// ---- the workers ----

void HttpEdge::Impl::workerLoop() {
  for (;;) {
    Job job;
    {
      std::unique_lock lock(mutex);
      ++idleWorkers;
      jobReady.wait(lock, [this] { return !jobs.empty() || stopping; });
      --idleWorkers;
      if (jobs.empty()) return;
      job = std::move(jobs.front());
      jobs.pop_front();
    }
    serve(std::move(job));
  }
}

void HttpEdge::Impl::serve(Job job) {
  Connection& connection = *job.connection;
  for (;;) {
    if (!exchange(connection, job.head)) {
      startLinger(connection);
      return handBack(std::move(job.connection));
    }
    switch (nextHead(connection, job.head)) {
      case Next::kReady:
        continue;
      case Next::kWait:
        return handBack(std::move(job.connection));
      case Next::kClose:
        return;  // the client has gone
    }
  }
}

bool HttpEdge::Impl::exchange(Connection& connection, const RequestHead& head) {
  EdgeResponse* response = nullptr;
  BodyReader body(connection, head, settings.body, [&response] { response->sendContinue(); });
  EdgeResponse edgeResponse(
      connection, head, body,
      ResponsePolicy{isStopping(), settings.maxDrainBytes, settings.writeTimeout});
  response = &edgeResponse;
  EdgeRequest request(head, connection, body, edgeResponse, *params);
  try {
    std::unique_ptr<Poco::Net::HTTPRequestHandler> handler(factory.createRequestHandler(request));
    handler->handleRequest(request, edgeResponse);
  } catch (const ProtocolError& e) {
    if (!edgeResponse.sent()) {
      edgeResponse.setStatusAndReason(static_cast<Poco::Net::HTTPResponse::HTTPStatus>(e.status()));
      edgeResponse.setContentType("application/json; charset=utf-8");
      const std::string json = protocolErrorJson(e);
      edgeResponse.sendBuffer(json.data(), json.size());
    }
  } catch (const std::exception& e) {
    core::log(core::LogLevel::kError, std::string("a request handler failed: ") + e.what());
  }
  return edgeResponse.finish() && !body.failed();
}

HttpEdge::Impl::Next HttpEdge::Impl::nextHead(Connection& connection, RequestHead& head) {
  try {
    skipEmptyLines(connection);
    std::size_t end = findHeadEnd(connection.buffered(), connection.headScanned, settings.head);
    bool quiet = false;
    {
      std::lock_guard lock(mutex);
      quiet = jobs.empty() && !stopping;
    }
    if (end == 0 && connection.buffered().empty() && quiet &&
        connection.waitReadable(EdgeClock::now() + kWorkerLinger)) {
      if (connection.readAvailable() == Connection::Read::kClosed) return Next::kClose;
      skipEmptyLines(connection);
      end = findHeadEnd(connection.buffered(), connection.headScanned, settings.head);
    }
    if (end == 0) return Next::kWait;
    head = parseHead(connection.buffered().substr(0, end), settings.head);
    connection.consume(end);
    connection.headScanned = 0;
    return Next::kReady;
  } catch (const ProtocolError& e) {
    answerAndLinger(connection, e);  // the poller then reads and drops what follows
    return Next::kWait;
  }
}

void HttpEdge::Impl::handBack(std::unique_ptr<Connection> connection) {
  {
    std::lock_guard lock(mutex);
    if (stopping) return;  // destroyed here: the poller no longer watches
    returned.push_back(std::move(connection));
  }
  const std::uint64_t one = 1;
  [[maybe_unused]] const auto written = ::write(wakeFd, &one, sizeof one);
}

void HttpEdge::Impl::release(const std::string& client) {
  std::lock_guard lock(mutex);
  --open;
  const auto it = perClient.find(client);
  if (it != perClient.end() && --it->second == 0) perClient.erase(it);
}

}  // namespace broker::server
