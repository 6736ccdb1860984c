// Counters and a latency histogram per instance, rendered in the Prometheus text format
// (version 0.0.4) for GET /metrics. Thread-safe.
#pragma once

#include <array>
#include <cstdint>
#include <map>
#include <mutex>
#include <string>
#include <string_view>

namespace broker::server {

class Metrics {
 public:
  /// One method call on `instance` that ended with HTTP `status` after `seconds`.
  void recordCall(std::string_view instance, int status, double seconds);
  /// One API request of any kind that ended with `status`.
  void recordRequest(int status);
  std::string render() const;

  static constexpr std::array<double, 11> kBuckets = {0.005, 0.01, 0.025, 0.05, 0.1, 0.25,
                                                      0.5,   1,    2.5,   5,    10};

 private:
  struct Calls {
    std::map<int, std::uint64_t> byStatus;
    std::array<std::uint64_t, kBuckets.size()> buckets{};  // cumulative at render time
    double seconds = 0;
    std::uint64_t count = 0;
    std::uint64_t errors = 0;
  };
  mutable std::mutex mutex_;
  std::map<std::string, Calls, std::less<>> calls_;
  std::map<int, std::uint64_t> requests_;
};

}  // namespace broker::server
