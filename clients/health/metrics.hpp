// Counters, gauges and latency histograms for /metrics (Prometheus text format). Thread-safe:
// actors on any thread and the health server's handlers use one registry.
#pragma once

#include <map>
#include <mutex>
#include <string>
#include <string_view>
#include <vector>

namespace nocturna::metrics {

class registry {
 public:
  // `labels` is the inside of {…}, e.g. `method="sendMessage"` (values already escaped).
  void add(std::string_view name, std::string_view labels = {}, double value = 1);
  void set(std::string_view name, std::string_view labels, double value);
  void observe(std::string_view name, std::string_view labels, double seconds);
  double value(std::string_view name, std::string_view labels = {}) const;

  // Every series with its # TYPE line, sorted by name: the /metrics body.
  std::string prometheus_text() const;

  // Bucket upper bounds of every histogram, in seconds.
  static const std::vector<double>& buckets();

 private:
  enum class kind { counter, gauge, histogram };
  struct series {
    double value = 0;
    std::vector<std::uint64_t> bucket_counts;
    double sum = 0;
    std::uint64_t count = 0;
  };
  struct family {
    kind type = kind::counter;
    std::map<std::string, series> by_labels;
  };
  series& at(std::string_view name, std::string_view labels, kind type);

  mutable std::mutex mutex_;
  std::map<std::string, family, std::less<>> families_;
};

// `value` escaped for a Prometheus label value (backslash, quote, newline).
std::string label_value(std::string_view value);

}  // namespace nocturna::metrics
