// A console reporter that also keeps each benchmark's real time (the median when
// --benchmark_repetitions is given) so a program can print ratios at the end.
#pragma once

#include <benchmark/benchmark.h>

#include <functional>
#include <map>
#include <set>
#include <string>
#include <vector>

namespace bench {

class MedianReporter : public benchmark::ConsoleReporter {
 public:
  /// `printRatios` runs after the console output, with this reporter to query.
  explicit MedianReporter(std::function<void(const MedianReporter&)> printRatios)
      : printRatios_(std::move(printRatios)) {}

  /// Real time of the named benchmark in its unit; 0 when it did not run.
  double time(const std::string& name) const {
    auto it = times_.find(name);
    return it == times_.end() ? 0 : it->second;
  }

  void ReportRuns(const std::vector<Run>& runs) override {
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
    printRatios_(*this);
  }

 private:
  std::function<void(const MedianReporter&)> printRatios_;
  std::map<std::string, double> times_;
  std::set<std::string> medians_;
};

/// Runs the registered benchmarks (after benchmark::Initialize) with a MedianReporter that
/// ends with `printRatios`; the program's exit code.
inline int runWithRatios(std::function<void(const MedianReporter&)> printRatios) {
  MedianReporter reporter(std::move(printRatios));
  benchmark::RunSpecifiedBenchmarks(&reporter);
  benchmark::Shutdown();
  return 0;
}

}  // namespace bench
