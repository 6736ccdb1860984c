// bench/metadata_load: for every corpus file, the EDMX loader against a raw Xerces SAX2 scan
// of the same bytes (same parser settings, a ContentHandler that does nothing), plus the memory
// the loaded model holds and the peak while loading. A second baseline scans through a
// do-nothing advanced document handler, the interface the loader uses: the cheapest walk
// Xerces offers. Ends with a table of ratios.
//
// The Paired benchmarks run both scans and the load back to back in every iteration and keep
// the median of the per-iteration ratios: on a shared machine a slow stretch then slows both
// sides of a ratio alike. Those medians are the figures to quote.
//
// Run: build/release/bench/metadata_load [--benchmark_filter=msgraph] [--benchmark_min_time=1]
//      [--benchmark_repetitions=5]   (the table then uses medians)
#include <benchmark/benchmark.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <memory>
#include <sstream>
#include <string>
#include <vector>
#include <xercesc/framework/MemBufInputSource.hpp>
#include <xercesc/framework/XMLDocumentHandler.hpp>
#include <xercesc/sax2/DefaultHandler.hpp>
#include <xercesc/util/PlatformUtils.hpp>

#include "allocation_counter.h"
#include "broker/edm/edmx_loader.h"
#include "median_reporter.h"
#include "secure_reader.h"

namespace {

namespace fs = std::filesystem;

struct Document {
  std::string name;
  std::string bytes;
  std::size_t modelBytes = 0;
  std::size_t loadPeakBytes = 0;
  std::size_t scanPeakBytes = 0;
};

std::vector<Document>& documents() {
  static std::vector<Document> all;
  return all;
}

// The loader's reader settings (secure_reader.h) with handlers that do nothing.
void rawScan(const std::string& bytes) {
  xercesc::DefaultHandler handler;
  xercesc::SecurityManager security;
  auto reader = broker::edm::internal::makeSecureReader(handler, security);
  xercesc::MemBufInputSource source(reinterpret_cast<const XMLByte*>(bytes.data()), bytes.size(),
                                    "bench", false);
  reader->parse(source);
}

// The same settings with no ContentHandler and a do-nothing advanced document handler.
class IgnoringDocumentHandler : public xercesc::XMLDocumentHandler {
 public:
  void docCharacters(const XMLCh*, XMLSize_t, bool) override {}
  void docComment(const XMLCh*) override {}
  void docPI(const XMLCh*, const XMLCh*) override {}
  void endDocument() override {}
  void endElement(const xercesc::XMLElementDecl&, unsigned int, bool, const XMLCh*) override {}
  void endEntityReference(const xercesc::XMLEntityDecl&) override {}
  void ignorableWhitespace(const XMLCh*, XMLSize_t, bool) override {}
  void resetDocument() override {}
  void startDocument() override {}
  void startElement(const xercesc::XMLElementDecl&, unsigned int, const XMLCh*,
                    const xercesc::RefVectorOf<xercesc::XMLAttr>&, XMLSize_t, bool, bool) override {
  }
  void startEntityReference(const xercesc::XMLEntityDecl&) override {}
  void XMLDecl(const XMLCh*, const XMLCh*, const XMLCh*, const XMLCh*) override {}
};

void rawAdvancedScan(const std::string& bytes) {
  xercesc::DefaultHandler handler;
  IgnoringDocumentHandler documentHandler;
  xercesc::SecurityManager security;
  auto reader = broker::edm::internal::makeSecureReader(handler, security);
  reader->setContentHandler(nullptr);
  reader->installAdvDocHandler(&documentHandler);
  xercesc::MemBufInputSource source(reinterpret_cast<const XMLByte*>(bytes.data()), bytes.size(),
                                    "bench", false);
  reader->parse(source);
}

void BM_RawSax2Scan(benchmark::State& state, const Document* doc) {
  for (auto _ : state) rawScan(doc->bytes);
  state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations() * doc->bytes.size()));
}

void BM_RawAdvancedScan(benchmark::State& state, const Document* doc) {
  for (auto _ : state) rawAdvancedScan(doc->bytes);
  state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations() * doc->bytes.size()));
}

double median(std::vector<double> values) {
  if (values.empty()) return 0;
  std::nth_element(values.begin(), values.begin() + values.size() / 2, values.end());
  return values[values.size() / 2];
}

void BM_Paired(benchmark::State& state, const Document* doc) {
  using Clock = std::chrono::steady_clock;
  std::vector<double> perSax2Scan;
  std::vector<double> perAdvancedScan;
  for (auto _ : state) {
    const auto t0 = Clock::now();
    rawScan(doc->bytes);
    const auto t1 = Clock::now();
    rawAdvancedScan(doc->bytes);
    const auto t2 = Clock::now();
    auto model = broker::edm::EdmxLoader::load(doc->bytes);
    const auto t3 = Clock::now();
    benchmark::DoNotOptimize(model.get());
    state.PauseTiming();
    model.reset();
    state.ResumeTiming();
    const std::chrono::duration<double> sax2 = t1 - t0, advanced = t2 - t1, load = t3 - t2;
    perSax2Scan.push_back(load / sax2);
    perAdvancedScan.push_back(load / advanced);
  }
  state.counters["load_per_scan"] = median(perSax2Scan);
  state.counters["load_per_adv_scan"] = median(perAdvancedScan);
}

void BM_EdmxLoad(benchmark::State& state, const Document* doc) {
  for (auto _ : state) {
    auto model = broker::edm::EdmxLoader::load(doc->bytes);
    benchmark::DoNotOptimize(model.get());
    state.PauseTiming();  // freeing the model is not part of loading it
    model.reset();
    state.ResumeTiming();
  }
  state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations() * doc->bytes.size()));
  state.counters["model_bytes"] = static_cast<double>(doc->modelBytes);
  state.counters["model_per_file"] =
      static_cast<double>(doc->modelBytes) / static_cast<double>(doc->bytes.size());
}

void measureMemory(Document& doc) {
  bench::startCounting();
  rawScan(doc.bytes);
  doc.scanPeakBytes = bench::peakBytes();
  bench::resetPeak();
  const std::size_t before = bench::liveBytes();
  bench::resetPeak();
  auto model = broker::edm::EdmxLoader::load(doc.bytes);
  doc.loadPeakBytes = bench::peakBytes() - before;
  doc.modelBytes = bench::liveBytes() - before;
  model.reset();
  bench::stopCounting();
}

void printRatios(const bench::MedianReporter& times) {
  std::printf("\n%-36s %8s %8s %8s %8s %9s %9s %8s %10s %8s %9s\n", "file", "size KB", "scan ms",
              "adv ms", "load ms", "paired/s", "paired/a", "model KB", "model/file", "peak KB",
              "scan pk KB");
  for (const Document& doc : documents()) {
    const double scan = times.time("RawSax2Scan/" + doc.name);
    const double advanced = times.time("RawAdvancedScan/" + doc.name);
    const double load = times.time("EdmxLoad/" + doc.name);
    if (scan == 0 || load == 0) continue;
    std::printf("%-36s %8.0f %8.3f %8.3f %8.3f %8.2fx %8.2fx %8.0f %9.2fx %8.0f %9.0f\n",
                doc.name.c_str(), static_cast<double>(doc.bytes.size()) / 1024, scan, advanced,
                load, times.counter("Paired/" + doc.name, "load_per_scan"),
                times.counter("Paired/" + doc.name, "load_per_adv_scan"),
                static_cast<double>(doc.modelBytes) / 1024,
                static_cast<double>(doc.modelBytes) / static_cast<double>(doc.bytes.size()),
                static_cast<double>(doc.loadPeakBytes) / 1024,
                static_cast<double>(doc.scanPeakBytes) / 1024);
  }
}

}  // namespace

int main(int argc, char** argv) {
  xercesc::XMLPlatformUtils::Initialize();
  std::vector<fs::path> files;
  for (const auto& entry : fs::directory_iterator(BROKER_CORPUS_DIR)) {
    if (entry.path().extension() == ".xml") files.push_back(entry.path());
  }
  std::sort(files.begin(), files.end());
  documents().reserve(files.size());
  for (const fs::path& file : files) {
    std::ifstream in(file, std::ios::binary);
    std::stringstream bytes;
    bytes << in.rdbuf();
    Document& doc = documents().emplace_back();
    doc.name = file.stem().string();
    doc.bytes = bytes.str();
    measureMemory(doc);
  }
  for (const Document& doc : documents()) {
    benchmark::RegisterBenchmark(("RawSax2Scan/" + doc.name).c_str(), BM_RawSax2Scan, &doc)
        ->Unit(benchmark::kMillisecond);
    benchmark::RegisterBenchmark(("RawAdvancedScan/" + doc.name).c_str(), BM_RawAdvancedScan, &doc)
        ->Unit(benchmark::kMillisecond);
    benchmark::RegisterBenchmark(("EdmxLoad/" + doc.name).c_str(), BM_EdmxLoad, &doc)
        ->Unit(benchmark::kMillisecond);
    benchmark::RegisterBenchmark(("Paired/" + doc.name).c_str(), BM_Paired, &doc)
        ->Unit(benchmark::kMillisecond);
  }
  benchmark::Initialize(&argc, argv);
  return bench::runWithRatios(printRatios);
}
