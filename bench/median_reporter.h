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

  /// A user counter of the named benchmark (the median over repetitions); 0 when absent.
  double counter(const std::string& name, const std::string& counterName) const {
    auto it = counters_.find(name);
    if (it == counters_.end()) return 0;
    auto value = it->second.find(counterName);
    return value == it->second.end() ? 0 : static_cast<double>(value->second);
  }

  void ReportRuns(const std::vector<Run>& runs) override {
    for (const Run& run : runs) {
      const std::string name = run.run_name.str();
      if (run.run_type == Run::RT_Aggregate && run.aggregate_name == "median") {
        times_[name] = run.GetAdjustedRealTime();
        counters_[name] = run.counters;
        medians_.insert(name);
      } else if (run.run_type == Run::RT_Iteration && medians_.count(name) == 0) {
        times_[name] = run.GetAdjustedRealTime();
        counters_[name] = run.counters;
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
  std::map<std::string, benchmark::UserCounters> counters_;
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
