#include "clients/health/metrics.hpp"

#include <fmt/format.h>

#include <algorithm>

namespace nocturna::metrics {

const std::vector<double>& registry::buckets() {
  static const std::vector<double> b = {0.005, 0.01, 0.025, 0.05, 0.1, 0.25,
                                        0.5,   1,    2.5,   5,    10,  30};
  return b;
}

registry::series& registry::at(std::string_view name, std::string_view labels, kind type) {
  auto it = families_.find(name);
  if (it == families_.end()) it = families_.emplace(std::string(name), family{type, {}}).first;
  auto& s = it->second.by_labels[std::string(labels)];
  if (type == kind::histogram && s.bucket_counts.empty())
    s.bucket_counts.assign(buckets().size(), 0);
  return s;
}

void registry::add(std::string_view name, std::string_view labels, double value) {
  std::lock_guard<std::mutex> guard(mutex_);
  at(name, labels, kind::counter).value += value;
}

void registry::set(std::string_view name, std::string_view labels, double value) {
  std::lock_guard<std::mutex> guard(mutex_);
  at(name, labels, kind::gauge).value = value;
}

void registry::observe(std::string_view name, std::string_view labels, double seconds) {
  std::lock_guard<std::mutex> guard(mutex_);
  auto& s = at(name, labels, kind::histogram);
  const auto& b = buckets();
  for (std::size_t i = 0; i < b.size(); ++i)
    if (seconds <= b[i]) ++s.bucket_counts[i];
  s.sum += seconds;
  ++s.count;
}

double registry::value(std::string_view name, std::string_view labels) const {
  std::lock_guard<std::mutex> guard(mutex_);
  auto it = families_.find(name);
  if (it == families_.end()) return 0;
  auto s = it->second.by_labels.find(std::string(labels));
  return s == it->second.by_labels.end() ? 0 : s->second.value;
}

namespace {

std::string with_labels(const std::string& labels, const std::string& extra = {}) {
  std::string all = labels;
  if (!extra.empty()) all += (all.empty() ? "" : ",") + extra;
  return all.empty() ? "" : "{" + all + "}";
}

std::string number(double v) {
  return fmt::format("{}", v);
}

}  // namespace

std::string registry::prometheus_text() const {
  std::lock_guard<std::mutex> guard(mutex_);
  std::string out;
  for (const auto& [name, fam] : families_) {
    const char* type = fam.type == kind::counter ? "counter"
                       : fam.type == kind::gauge ? "gauge"
                                                 : "histogram";
    out += fmt::format("# TYPE {} {}\n", name, type);
    for (const auto& [labels, s] : fam.by_labels) {
      if (fam.type != kind::histogram) {
        out += name + with_labels(labels) + " " + number(s.value) + "\n";
        continue;
      }
      const auto& b = buckets();
      for (std::size_t i = 0; i < b.size(); ++i)
        out += name + "_bucket" + with_labels(labels, "le=\"" + number(b[i]) + "\"") + " " +
               std::to_string(s.bucket_counts[i]) + "\n";
      out += name + "_bucket" + with_labels(labels, "le=\"+Inf\"") + " " + std::to_string(s.count) +
             "\n";
      out += name + "_sum" + with_labels(labels) + " " + number(s.sum) + "\n";
      out += name + "_count" + with_labels(labels) + " " + std::to_string(s.count) + "\n";
    }
  }
  return out;
}

std::string label_value(std::string_view value) {
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

}  // namespace nocturna::metrics
