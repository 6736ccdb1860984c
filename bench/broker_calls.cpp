// bench/broker_calls: calls per second for a Load through the broker (REST API over HTTP,
// registry lookup, engine, OData client, JSON out) against the same requests sent straight
// to the demo service, in the same run, each over one kept-alive connection on loopback.
#include <Poco/Net/HTTPClientSession.h>
#include <Poco/Net/HTTPRequest.h>
#include <Poco/Net/HTTPResponse.h>
#include <Poco/StreamCopier.h>
#include <Poco/URI.h>
#include <benchmark/benchmark.h>

#include <cstdio>
#include <cstdlib>
#include <memory>
#include <string>

#include "broker/core/log.h"
#include "broker_support.h"
#include "demo_peer.h"
#include "median_reporter.h"

namespace {

std::unique_ptr<broker::testing::DemoPeer> peer;
std::unique_ptr<broker::testing::BrokerUnderTest> brokerUnderTest;
std::string directQuery;  // the $select the broker's Load sends, so both ask for the same

// One request on a kept-alive session; the status.
int send(Poco::Net::HTTPClientSession& session, Poco::Net::HTTPRequest& request,
         const std::string& body) {
  session.sendRequest(request) << body;
  Poco::Net::HTTPResponse response;
  std::string text;
  Poco::StreamCopier::copyToString(session.receiveResponse(response), text);
  return static_cast<int>(response.getStatus());
}

std::unique_ptr<Poco::Net::HTTPClientSession> sessionTo(const std::string& url) {
  const Poco::URI uri(url);
  auto session = std::make_unique<Poco::Net::HTTPClientSession>(uri.getHost(), uri.getPort());
  session->setKeepAlive(true);
  return session;
}

void BM_BrokerLoad(benchmark::State& state) {
  auto session = sessionTo(brokerUnderTest->url());
  int id = 0;
  for (auto _ : state) {
    const std::string body = R"({"inputs": {"ID": )" + std::to_string(1 + id++ % 600) + "}}";
    Poco::Net::HTTPRequest request("POST", "/api/v1/instances/demo/objects/Products/methods/Load",
                                   Poco::Net::HTTPMessage::HTTP_1_1);
    request.setContentType("application/json");
    request.setContentLength(static_cast<std::streamsize>(body.size()));
    request.setKeepAlive(true);
    if (send(*session, request, body) != 200) state.SkipWithError("broker call failed");
  }
  state.SetItemsProcessed(state.iterations());
}

void BM_DirectLoad(benchmark::State& state) {
  auto session = sessionTo(peer->origin());
  int id = 0;
  for (auto _ : state) {
    Poco::Net::HTTPRequest request(
        "GET", "/odata/v4/demo/Products(" + std::to_string(1 + id++ % 600) + ")" + directQuery,
        Poco::Net::HTTPMessage::HTTP_1_1);
    request.set("Accept", "application/json;odata.metadata=minimal;IEEE754Compatible=true");
    request.set("OData-Version", "4.0");
    request.setKeepAlive(true);
    if (send(*session, request, "") != 200) state.SkipWithError("direct call failed");
  }
  state.SetItemsProcessed(state.iterations());
}

BENCHMARK(BM_BrokerLoad)->Unit(benchmark::kMicrosecond)->UseRealTime();
BENCHMARK(BM_DirectLoad)->Unit(benchmark::kMicrosecond)->UseRealTime();

void printRatios(const bench::MedianReporter& times) {
  const double viaBroker = times.time("BM_BrokerLoad/real_time");
  const double direct = times.time("BM_DirectLoad/real_time");
  if (viaBroker > 0 && direct > 0) {
    std::printf(
        "\nLoad: %.0f calls/s through the broker, %.0f calls/s straight to the service; "
        "broker / direct time = %.2f\n",
        1e6 / viaBroker, 1e6 / direct, viaBroker / direct);
  }
}

}  // namespace

int main(int argc, char** argv) {
  benchmark::Initialize(&argc, argv);
  broker::core::setLogLevel(std::getenv("BENCH_LOG") ? broker::core::LogLevel::kInfo
                                                     : broker::core::LogLevel::kWarning);
  peer = std::make_unique<broker::testing::DemoPeer>();
  brokerUnderTest = std::make_unique<broker::testing::BrokerUnderTest>();
  if (brokerUnderTest->registerInstance("demo", peer->v4()).status != 201) {
    std::fprintf(stderr, "broker_calls: registration failed\n");
    return 1;
  }
  const auto& products = *brokerUnderTest->registry().instance("demo")->catalog->find("Products");
  for (const std::string& name : products.findMethod("Load")->returns) {
    const auto* property = products.findProperty(name);
    if (property->role != serviceobjects::PropertyRole::kData) continue;
    directQuery += (directQuery.empty() ? "?$select=" : ",") + property->source;
  }
  const int status = bench::runWithRatios(printRatios);
  brokerUnderTest.reset();
  peer.reset();
  return status;
}
