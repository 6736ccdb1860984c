// bench/engine_list: a List of 10,000 rows through the engine (HTTP, paging, simdjson reading,
// conversion, JSON output) against plain curl fetching the same pages over one kept-alive
// connection, in the same run, from the demo service on loopback. Then the peak heap of a
// List of 10,000 and of 100,000 rows: it must not grow with the result.
#include <benchmark/benchmark.h>

#include <cstdio>
#include <cstdlib>
#include <memory>
#include <string>
#include <vector>

#include "allocation_counter.h"
#include "broker/core/json_writer.h"
#include "broker/engine/executor.h"
#include "broker/odata/client.h"
#include "demo_peer.h"
#include "median_reporter.h"

namespace {

using broker::engine::CallRequest;

std::unique_ptr<broker::testing::DemoPeer> peer;
std::shared_ptr<const broker::engine::Instance> instance;
std::vector<std::string> pageUrls;  // the pages a List of 10,000 rows fetches

// Writes every row as JSON into one reused buffer, as the REST API would stream it.
class JsonSink : public broker::engine::RowSink {
 public:
  void row(const broker::engine::Row& row) override {
    buffer_.clear();
    broker::core::JsonWriter writer(buffer_);
    writer.beginObject();
    for (const auto& [property, value] : row) {
      writer.key(property->name);
      if (value.kind == broker::odata::Value::Kind::kString) {
        writer.value(value.text);
      } else if (value.isNull()) {
        writer.null();
      } else {
        writer.raw(value.text);
      }
    }
    writer.endObject();
    bytes += buffer_.size();
  }
  std::size_t bytes = 0;

 private:
  std::string buffer_;
};

std::int64_t list(std::int64_t rows) {
  JsonSink sink;
  const auto result = broker::engine::execute(
      *instance, {.object = "Products", .method = "List", .top = rows}, sink);
  return result.rows;
}

void BM_EngineList10k(benchmark::State& state) {
  for (auto _ : state) {
    if (list(10000) != 10000) state.SkipWithError("wrong row count");
  }
}

void BM_CurlPages10k(benchmark::State& state) {
  std::string command =
      "curl -s -f -o /dev/null -H 'Accept: "
      "application/json;odata.metadata=minimal;IEEE754Compatible=true'";
  for (const std::string& url : pageUrls) command += " '" + url + "'";
  for (auto _ : state) {
    if (std::system(command.c_str()) != 0) state.SkipWithError("curl failed");
  }
}

void BM_EngineListPeakHeap(benchmark::State& state) {
  for (auto _ : state) {
    bench::resetPeak();
    bench::startCounting();
    const std::int64_t rows = list(state.range(0));
    bench::stopCounting();
    if (rows != state.range(0)) state.SkipWithError("wrong row count");
  }
  state.counters["peak_heap_KiB"] = static_cast<double>(bench::peakBytes()) / 1024;
}

BENCHMARK(BM_EngineList10k)->Unit(benchmark::kMillisecond)->UseRealTime();
BENCHMARK(BM_CurlPages10k)->Unit(benchmark::kMillisecond)->UseRealTime();
BENCHMARK(BM_EngineListPeakHeap)
    ->Arg(10000)
    ->Arg(100000)
    ->Iterations(1)
    ->Unit(benchmark::kMillisecond)
    ->UseRealTime();

void printRatios(const bench::MedianReporter& times) {
  const double engine = times.time("BM_EngineList10k/real_time");
  const double curl = times.time("BM_CurlPages10k/real_time");
  if (engine > 0 && curl > 0) {
    std::printf("\nList of 10,000 rows (%zu pages): engine / curl = %.2f\n", pageUrls.size(),
                engine / curl);
  }
}

// The page URLs the engine will follow, found once with the engine's own client.
void findPages() {
  broker::odata::ODataClient& client = *instance->client;
  std::string url = client.resolve("Products?$top=10000");
  while (!url.empty()) {
    pageUrls.push_back(url);
    broker::odata::Call call;
    call.url = url;
    const std::string body = client.send(call).body;
    const std::size_t at = body.rfind("\"@odata.nextLink\":\"");
    if (at == std::string::npos) break;
    const std::size_t start = at + 19;
    url = broker::odata::ODataClient::resolveAgainst(
        url, body.substr(start, body.find('"', start) - start));
  }
}

}  // namespace

int main(int argc, char** argv) {
  benchmark::Initialize(&argc, argv);
  std::fprintf(stderr, "starting the demo service with 100,000 products...\n");
  peer = std::make_unique<broker::testing::DemoPeer>(broker::testing::PeerOptions{"", 100000});
  auto keys = config::ServiceKeys::defaults(peer->v4());
  keys.maxRows = 1000000;
  instance = broker::engine::openInstance("bench", keys, broker::odata::makeHttpTransport({}));
  findPages();
  const int code = bench::runWithRatios(printRatios);
  instance.reset();
  peer.reset();
  return code;
}
