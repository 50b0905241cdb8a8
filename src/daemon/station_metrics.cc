#include "daemon/station_metrics.h"

#include <algorithm>
#include <vector>

namespace bescheid::daemon {
namespace {

review::Histogram WithBounds(std::vector<double> bounds) {
  review::Histogram h;
  h.counts.assign(bounds.size(), 0);
  h.upper_bounds = std::move(bounds);
  return h;
}

void Observe(review::Histogram& h, double value) {
  for (size_t i = 0; i < h.upper_bounds.size(); ++i) {
    if (value <= h.upper_bounds[i]) ++h.counts[i];
  }
  ++h.count;
  h.sum += value;
}

class Metered final : public pipeline::ScanReader {
 public:
  Metered(std::unique_ptr<pipeline::ScanReader> inner, StationMetrics* m)
      : inner_(std::move(inner)), metrics_(m) {}
  Result<scan::ScanReading> Read(scan::PageSource& pages) override {
    Result<scan::ScanReading> r = inner_->Read(pages);
    if (r.ok()) {
      for (const scan::ScannedDocument& d : r->documents) {
        for (const scan::FieldReading& f : d.fields) {
          metrics_->FieldRead(f.confidence);
        }
      }
    }
    return r;
  }

 private:
  std::unique_ptr<pipeline::ScanReader> inner_;
  StationMetrics* metrics_;
};

}  // namespace

StationMetrics::StationMetrics() {
  m_.processing_seconds =
      WithBounds({0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120});
  m_.ocr_confidence =
      WithBounds({0.5, 0.6, 0.7, 0.8, 0.85, 0.9, 0.95, 0.99, 1.0});
}

std::string StationMetrics::OutcomeName(const std::string& o) {
  if (o == "rejected") return "ABGEWIESEN";
  if (o == "duplicate") return "DUPLIKAT";
  if (o == "review") return "PRUEFUNG";
  if (o == "deferred") return "ZURUECKGESTELLT";
  if (o == "failed") return "FEHLER";
  return o;  // a decision's kind
}

void StationMetrics::FileDone(const std::string& outcome, double seconds,
                              const core::Date& day) {
  std::lock_guard<std::mutex> lock(mu_);
  const std::string name = OutcomeName(outcome);
  ++m_.files_by_outcome[name];
  Observe(m_.processing_seconds, std::max(0.0, seconds));
  if (name == "FEHLER") {
    if (!(failures_day_ == day)) {
      failures_day_ = day;
      failures_ = 0;
    }
    ++failures_;
  }
}

void StationMetrics::FieldRead(double confidence) {
  std::lock_guard<std::mutex> lock(mu_);
  Observe(m_.ocr_confidence, std::clamp(confidence, 0.0, 1.0));
}

void StationMetrics::LettersReleased(uint64_t n) {
  std::lock_guard<std::mutex> lock(mu_);
  m_.letters_released += n;
}

review::Metrics StationMetrics::Snapshot() const {
  std::lock_guard<std::mutex> lock(mu_);
  return m_;
}

int64_t StationMetrics::FailuresOn(const core::Date& day) const {
  std::lock_guard<std::mutex> lock(mu_);
  return failures_day_ == day ? failures_ : 0;
}

std::unique_ptr<pipeline::ScanReader> MeteredScanReader(
    std::unique_ptr<pipeline::ScanReader> inner, StationMetrics* metrics) {
  return std::make_unique<Metered>(std::move(inner), metrics);
}

}  // namespace bescheid::daemon
