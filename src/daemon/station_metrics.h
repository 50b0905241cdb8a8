// Counters the review station's /metrics shows, kept in memory since the
// service started: files by outcome, processing time per file, confidence
// of each field the scan reader read, letters released. Thread-safe: the
// watcher's workers record, the station's threads read.
#ifndef BESCHEID_DAEMON_STATION_METRICS_H_
#define BESCHEID_DAEMON_STATION_METRICS_H_

#include <memory>
#include <mutex>
#include <string>

#include "core/date.h"
#include "pipeline/pipeline.h"
#include "review/station.h"

namespace bescheid::daemon {

class StationMetrics {
 public:
  StationMetrics();

  // A file reached `outcome` (see Watcher::OutcomeObserver) after
  // `seconds`, on local day `day`.
  void FileDone(const std::string& outcome, double seconds,
                const core::Date& day);
  // The scan reader read a field with `confidence` (0..1).
  void FieldRead(double confidence);
  void LettersReleased(uint64_t n);

  // Counters and histograms (the queue lengths are left 0 for the caller).
  review::Metrics Snapshot() const;
  // Files that failed (kept for a retry) on local day `day`.
  int64_t FailuresOn(const core::Date& day) const;

  // The station's outcome name for a watcher outcome: the decision kinds
  // as they are, "ABGEWIESEN", "DUPLIKAT", "PRUEFUNG", "ZURUECKGESTELLT"
  // (deferred) and "FEHLER" (failed, retried).
  static std::string OutcomeName(const std::string& watcher_outcome);

 private:
  mutable std::mutex mu_;
  review::Metrics m_;
  core::Date failures_day_;
  int64_t failures_ = 0;
};

// A scan reader that records every field's confidence in `metrics` and
// otherwise is `inner`.
std::unique_ptr<pipeline::ScanReader> MeteredScanReader(
    std::unique_ptr<pipeline::ScanReader> inner, StationMetrics* metrics);

}  // namespace bescheid::daemon

#endif  // BESCHEID_DAEMON_STATION_METRICS_H_
