// bench/catalog_build: building the service-object catalog against loading the metadata it is
// built from, per large corpus file, in the same run. Target: the catalog adds at most 50% to
// the load time of msgraph-v1. Ends with a table of the ratio catalog/load (medians when
// --benchmark_repetitions is given).
#include <benchmark/benchmark.h>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <map>
#include <sstream>
#include <string>

#include "broker/edm/edmx_loader.h"
#include "median_reporter.h"
#include "serviceobjects/catalog.h"

namespace {

namespace fs = std::filesystem;

const char* const kFiles[] = {"msgraph-v1", "dynamics-crm-v4", "sap-insurance-v4",
                              "sap-api-business-partner-v2"};

std::map<std::string, std::string>& documents() {
  static std::map<std::string, std::string> all;
  return all;
}

void BM_EdmxLoad(benchmark::State& state, const std::string* bytes) {
  for (auto _ : state) {
    auto model = broker::edm::EdmxLoader::load(*bytes);
    benchmark::DoNotOptimize(model.get());
    state.PauseTiming();
    model.reset();
    state.ResumeTiming();
  }
}

void BM_CatalogBuild(benchmark::State& state, const std::string* bytes) {
  auto model = broker::edm::EdmxLoader::load(*bytes);
  const auto keys = config::ServiceKeys::defaults("http://127.0.0.1/");
  std::size_t objects = 0;
  for (auto _ : state) {
    auto catalog = serviceobjects::Catalog::build(model, keys);
    objects = catalog->objects().size();
    state.PauseTiming();
    catalog.reset();
    state.ResumeTiming();
  }
  state.counters["objects"] = static_cast<double>(objects);
}

void printRatios(const bench::MedianReporter& times) {
  std::printf("\n%-32s %10s %12s %14s\n", "file", "load ms", "catalog ms", "catalog/load");
  for (const char* file : kFiles) {
    const double load = times.time(std::string("EdmxLoad/") + file);
    const double build = times.time(std::string("CatalogBuild/") + file);
    if (load > 0 && build > 0) {
      std::printf("%-32s %10.3f %12.3f %13.2fx\n", file, load, build, build / load);
    }
  }
}

}  // namespace

int main(int argc, char** argv) {
  for (const char* file : kFiles) {
    std::ifstream in(fs::path(BROKER_CORPUS_DIR) / (std::string(file) + ".xml"), std::ios::binary);
    std::stringstream bytes;
    bytes << in.rdbuf();
    documents()[file] = bytes.str();
  }
  for (const char* file : kFiles) {
    const std::string* bytes = &documents()[file];
    benchmark::RegisterBenchmark((std::string("EdmxLoad/") + file).c_str(), BM_EdmxLoad, bytes)
        ->Unit(benchmark::kMillisecond);
    benchmark::RegisterBenchmark((std::string("CatalogBuild/") + file).c_str(), BM_CatalogBuild,
                                 bytes)
        ->Unit(benchmark::kMillisecond);
  }
  benchmark::Initialize(&argc, argv);
  return bench::runWithRatios(printRatios);
}
