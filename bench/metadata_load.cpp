// bench/metadata_load: for every corpus file, the EDMX loader against a raw Xerces SAX2 scan
// of the same bytes (same parser settings, a handler that does nothing), plus the memory the
// loaded model holds and the peak while loading. Ends with a table of ratios.
//
// Run: build/release/bench/metadata_load [--benchmark_filter=msgraph] [--benchmark_min_time=1]
//      [--benchmark_repetitions=5]   (the table then uses medians)
#include <benchmark/benchmark.h>

#include <algorithm>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <map>
#include <memory>
#include <set>
#include <sstream>
#include <string>
#include <vector>
#include <xercesc/framework/MemBufInputSource.hpp>
#include <xercesc/sax2/DefaultHandler.hpp>
#include <xercesc/sax2/SAX2XMLReader.hpp>
#include <xercesc/sax2/XMLReaderFactory.hpp>
#include <xercesc/util/PlatformUtils.hpp>
#include <xercesc/util/SecurityManager.hpp>
#include <xercesc/util/XMLUni.hpp>

#include "allocation_counter.h"
#include "broker/edm/edmx_loader.h"

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

// The same reader settings as the loader's (edmx_loader.cpp), with handlers that do nothing.
void rawScan(const std::string& bytes) {
  using xercesc::XMLUni;
  xercesc::DefaultHandler handler;
  xercesc::SecurityManager security;
  std::unique_ptr<xercesc::SAX2XMLReader> reader(xercesc::XMLReaderFactory::createXMLReader());
  reader->setFeature(XMLUni::fgSAX2CoreNameSpaces, true);
  reader->setFeature(XMLUni::fgSAX2CoreNameSpacePrefixes, false);
  reader->setFeature(XMLUni::fgSAX2CoreValidation, false);
  reader->setFeature(XMLUni::fgXercesSchema, false);
  reader->setFeature(XMLUni::fgXercesLoadSchema, false);
  reader->setFeature(XMLUni::fgXercesLoadExternalDTD, false);
  reader->setFeature(XMLUni::fgXercesSkipDTDValidation, true);
  reader->setFeature(XMLUni::fgXercesDisableDefaultEntityResolution, true);
  reader->setFeature(XMLUni::fgXercesIdentityConstraintChecking, false);
  security.setEntityExpansionLimit(16);
  reader->setProperty(XMLUni::fgXercesSecurityManager, &security);
  reader->setContentHandler(&handler);
  reader->setErrorHandler(&handler);
  reader->setLexicalHandler(&handler);
  reader->setEntityResolver(&handler);
  xercesc::MemBufInputSource source(reinterpret_cast<const XMLByte*>(bytes.data()), bytes.size(),
                                    "bench", false);
  reader->parse(source);
}

void BM_RawSax2Scan(benchmark::State& state, const Document* doc) {
  for (auto _ : state) rawScan(doc->bytes);
  state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations() * doc->bytes.size()));
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
  const std::size_t before = bench::liveBytes();
  bench::resetPeak();
  rawScan(doc.bytes);
  doc.scanPeakBytes = bench::peakBytes() - before;
  bench::resetPeak();
  auto model = broker::edm::EdmxLoader::load(doc.bytes);
  doc.loadPeakBytes = bench::peakBytes() - before;
  doc.modelBytes = bench::liveBytes() - before;
}

// Keeps the real time of every run to print the ratio table at the end.
class RatioReporter : public benchmark::ConsoleReporter {
 public:
  void ReportRuns(const std::vector<Run>& runs) override {
    // With --benchmark_repetitions the median wins over single runs.
    for (const Run& run : runs) {
      const std::string name = run.run_name.str();
      if (run.run_type == Run::RT_Aggregate && run.aggregate_name == "median") {
        times_[name] = run.GetAdjustedRealTime();
        medians_.insert(name);
      } else if (run.run_type == Run::RT_Iteration && medians_.count(name) == 0) {
        times_[name] = run.GetAdjustedRealTime();
      }
    }
    ConsoleReporter::ReportRuns(runs);
  }

  void Finalize() override {
    ConsoleReporter::Finalize();
    std::printf("\n%-40s %9s %10s %10s %7s %9s %7s %9s %9s\n", "file", "size KB", "scan ms",
                "load ms", "load/scan", "model KB", "model/file", "peak KB", "scan pk KB");
    for (const Document& doc : documents()) {
      const double scan = times_["RawSax2Scan/" + doc.name];
      const double load = times_["EdmxLoad/" + doc.name];
      if (scan == 0 || load == 0) continue;
      std::printf("%-40s %9.0f %10.3f %10.3f %7.2fx %9.0f %7.2fx %9.0f %9.0f\n", doc.name.c_str(),
                  static_cast<double>(doc.bytes.size()) / 1024, scan, load, load / scan,
                  static_cast<double>(doc.modelBytes) / 1024,
                  static_cast<double>(doc.modelBytes) / static_cast<double>(doc.bytes.size()),
                  static_cast<double>(doc.loadPeakBytes) / 1024,
                  static_cast<double>(doc.scanPeakBytes) / 1024);
    }
  }

 private:
  std::map<std::string, double> times_;  // in the unit of the run (ms)
  std::set<std::string> medians_;
};

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
    benchmark::RegisterBenchmark(("EdmxLoad/" + doc.name).c_str(), BM_EdmxLoad, &doc)
        ->Unit(benchmark::kMillisecond);
  }
  benchmark::Initialize(&argc, argv);
  RatioReporter reporter;
  benchmark::RunSpecifiedBenchmarks(&reporter);
  benchmark::Shutdown();
  return 0;
}
