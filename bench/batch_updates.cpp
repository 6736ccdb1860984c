// bench/batch_updates: 100 Updates of the demo service's products through the engine, one call
// after another against all of them in one $batch (one change set, and calls on their own), in
// the same run, on loopback. Each Update reads the entity back after writing it, so a call on
// its own costs two requests and the batch one request plus the 100 reads.
#include <benchmark/benchmark.h>

#include <cstdio>
#include <memory>
#include <string>

#include "broker/engine/batch.h"
#include "broker/engine/executor.h"
#include "demo_peer.h"
#include "median_reporter.h"

namespace {

using broker::engine::BatchCall;
using broker::engine::BatchItem;
using broker::engine::CallRequest;
using broker::odata::Value;

constexpr int kUpdates = 100;

std::unique_ptr<broker::testing::DemoPeer> peer;
std::shared_ptr<const broker::engine::Instance> instance;
int round = 0;

class CountingSink : public broker::engine::RowSink {
 public:
  void row(const broker::engine::Row&) override { ++rows; }
  int rows = 0;
};

CallRequest update(int id) {
  return {.object = "Products",
          .method = "Update",
          .inputs = {{"ID", Value::number(std::to_string(id))},
                     {"Rating", Value::number(std::to_string(round % 5))}}};
}

class Outcomes : public broker::engine::BatchSink {
 public:
  broker::engine::RowSink& rowsOf(const BatchCall&) override { return rows; }
  void outcome(const BatchCall&, const broker::engine::BatchCallOutcome& outcome) override {
    if (outcome.error) ++failed;
  }
  void endItem(const BatchItem&, int, const broker::core::Error*) override {}
  CountingSink rows;
  int failed = 0;
};

void BM_UpdatesOneByOne(benchmark::State& state) {
  for (auto _ : state) {
    ++round;
    CountingSink sink;
    for (int id = 1; id <= kUpdates; ++id) broker::engine::execute(*instance, update(id), sink);
    if (sink.rows != kUpdates) state.SkipWithError("wrong row count");
  }
}

void BM_UpdatesInOneBatch(benchmark::State& state) {
  const bool changeSet = state.range(0) == 1;
  for (auto _ : state) {
    ++round;
    broker::engine::BatchRequest batch;
    if (changeSet) batch.items.push_back({true, {}});
    for (int id = 1; id <= kUpdates; ++id) {
      BatchCall call{"u" + std::to_string(id), update(id), {}};
      if (changeSet) {
        batch.items.front().calls.push_back(std::move(call));
      } else {
        batch.items.push_back({false, {std::move(call)}});
      }
    }
    Outcomes outcomes;
    broker::engine::executeBatch(*instance, batch, outcomes);
    if (outcomes.failed != 0 || outcomes.rows.rows != kUpdates) {
      state.SkipWithError("a call of the batch failed");
    }
  }
}

BENCHMARK(BM_UpdatesOneByOne)->Unit(benchmark::kMillisecond)->UseRealTime();
BENCHMARK(BM_UpdatesInOneBatch)
    ->ArgName("changeSet")
    ->Arg(0)
    ->Arg(1)
    ->Unit(benchmark::kMillisecond)
    ->UseRealTime();

void printRatios(const bench::MedianReporter& times) {
  const double single = times.time("BM_UpdatesOneByOne/real_time");
  const double calls = times.time("BM_UpdatesInOneBatch/changeSet:0/real_time");
  const double set = times.time("BM_UpdatesInOneBatch/changeSet:1/real_time");
  if (single > 0 && calls > 0 && set > 0) {
    std::printf(
        "\n100 Updates: one by one / one batch = %.2f (calls on their own), %.2f (one "
        "change set)\n",
        single / calls, single / set);
  }
}

}  // namespace

int main(int argc, char** argv) {
  benchmark::Initialize(&argc, argv);
  peer = std::make_unique<broker::testing::DemoPeer>();
  instance = broker::engine::openInstance("bench", config::ServiceKeys::defaults(peer->v4()),
                                          broker::odata::makeHttpTransport({}));
  const int code = bench::runWithRatios(printRatios);
  instance.reset();
  peer.reset();
  return code;
}
