#include "metrics.h"

#include <cstdio>

namespace broker::server {

namespace {

// A label value with \, " and newline escaped.
std::string label(std::string_view value) {
  std::string out;
  for (char c : value) {
    if (c == '\\' || c == '"') out += '\\';
    if (c == '\n') {
      out += "\\n";
      continue;
    }
    out += c;
  }
  return out;
}

std::string number(double value) {
  char text[32];
  std::snprintf(text, sizeof text, "%.6g", value);
  return text;
}

}  // namespace

void Metrics::recordCall(std::string_view instance, int status, double seconds) {
  const std::lock_guard lock(mutex_);
  auto found = calls_.find(instance);
  if (found == calls_.end()) found = calls_.emplace(std::string(instance), Calls{}).first;
  Calls& calls = found->second;
  ++calls.byStatus[status];
  ++calls.count;
  calls.seconds += seconds;
  if (status >= 400) ++calls.errors;
  for (std::size_t i = 0; i < kBuckets.size(); ++i) {
    if (seconds <= kBuckets[i]) {
      ++calls.buckets[i];
      break;
    }
  }
}

void Metrics::recordRequest(int status) {
  const std::lock_guard lock(mutex_);
  ++requests_[status];
}

std::string Metrics::render() const {
  const std::lock_guard lock(mutex_);
  std::string out;
  out += "# HELP odata_broker_http_requests_total API requests by HTTP status.\n";
  out += "# TYPE odata_broker_http_requests_total counter\n";
  for (const auto& [status, count] : requests_) {
    out += "odata_broker_http_requests_total{status=\"" + std::to_string(status) + "\"} " +
           std::to_string(count) + "\n";
  }
  out += "# HELP odata_broker_calls_total Method calls by instance and HTTP status.\n";
  out += "# TYPE odata_broker_calls_total counter\n";
  for (const auto& [instance, calls] : calls_) {
    for (const auto& [status, count] : calls.byStatus) {
      out += "odata_broker_calls_total{instance=\"" + label(instance) + "\",status=\"" +
             std::to_string(status) + "\"} " + std::to_string(count) + "\n";
    }
  }
  out += "# HELP odata_broker_call_errors_total Method calls that failed, by instance.\n";
  out += "# TYPE odata_broker_call_errors_total counter\n";
  for (const auto& [instance, calls] : calls_) {
    out += "odata_broker_call_errors_total{instance=\"" + label(instance) + "\"} " +
           std::to_string(calls.errors) + "\n";
  }
  out += "# HELP odata_broker_call_duration_seconds Method call latency, by instance.\n";
  out += "# TYPE odata_broker_call_duration_seconds histogram\n";
  for (const auto& [instance, calls] : calls_) {
    const std::string name = "odata_broker_call_duration_seconds";
    const std::string labels = "instance=\"" + label(instance) + "\"";
    std::uint64_t cumulative = 0;
    for (std::size_t i = 0; i < kBuckets.size(); ++i) {
      cumulative += calls.buckets[i];
      out += name + "_bucket{" + labels + ",le=\"" + number(kBuckets[i]) + "\"} " +
             std::to_string(cumulative) + "\n";
    }
    out += name + "_bucket{" + labels + ",le=\"+Inf\"} " + std::to_string(calls.count) + "\n";
    out += name + "_sum{" + labels + "} " + number(calls.seconds) + "\n";
    out += name + "_count{" + labels + "} " + std::to_string(calls.count) + "\n";
  }
  return out;
}

}  // namespace broker::server
