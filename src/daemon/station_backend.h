// The review station's backend: review::Station over the running service -
// the watcher (its sink, queue and review hook), the journal, the watch
// root's folders and the pipeline's one decision path. docs/release.md.
//
// Files reach the station only by ids this class hands out: a case is a
// review id the journal knows, a case image one of the files this class
// lists in review/<id>/ (seite-N.png, a field's crop), a problem an opaque
// id of a file it lists in rejected/ or duplicates/, a letter an
// Aktenzeichen the journal knows. No path from a caller is ever opened.
//
// Thread-safety: every method may be called from any thread. Saving
// corrections is serialised (one letter renderer of its own), and so are
// releases; everything else reads.
#ifndef BESCHEID_DAEMON_STATION_BACKEND_H_
#define BESCHEID_DAEMON_STATION_BACKEND_H_

#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "config/settings.h"
#include "daemon/station_metrics.h"
#include "daemon/watcher.h"
#include "forms/layout.h"
#include "letters/letter.h"
#include "pipeline/pipeline.h"
#include "review/station.h"
#include "store/journal.h"

namespace bescheid::daemon {

class StationBackend final : public review::Station {
 public:
  // All pointers must outlive the backend. Install Observer() and
  // MeteredReaders() on the watcher before its Start().
  StationBackend(const config::Settings& settings, pipeline::Pipeline* pipeline,
                 Watcher* watcher, store::Journal* journal, Env* env,
                 const forms::FormLayout* layout);
  StationBackend(const StationBackend&) = delete;
  StationBackend& operator=(const StationBackend&) = delete;

  // Counts every file's outcome and time (Watcher::SetOutcomeObserver).
  Watcher::OutcomeObserver Observer();
  // `inner`'s readers, recording each field's confidence
  // (Watcher::SetScanReaderFactory).
  Watcher::ScanReaderFactory MeteredReaders(Watcher::ScanReaderFactory inner);

  Result<review::Overview> GetOverview() override;
  Result<std::vector<review::CaseSummary>> ListCases() override;
  Result<review::Case> GetCase(const std::string& id) override;
  Result<review::Blob> GetCaseImage(const std::string& id,
                                    review::CaseImage kind, int index) override;
  Result<review::SaveResult> SaveCorrections(
      const std::string& id, const std::map<std::string, std::string>& values,
      const std::string& user) override;
  Result<review::Blob> GetLetter(const std::string& aktenzeichen) override;
  Result<std::vector<review::Draft>> ListDrafts() override;
  Status Release(const std::vector<std::string>& aktenzeichen,
                 const std::string& user) override;
  Result<std::vector<review::Problem>> ListProblems() override;
  Status Requeue(const std::string& problem_id,
                 const std::string& user) override;
  Result<std::vector<review::SearchHit>> Search(const std::string& query,
                                                size_t limit) override;
  Result<std::vector<review::AuditEntry>> AuditFor(
      const std::string& target) override;
  review::Health CheckHealth() override;
  review::Metrics GetMetrics() override;

  StationMetrics& metrics() { return metrics_; }

 private:
  struct ProblemFile;
  struct CaseData;
  // The review `id` as the journal has it; kNotFound for anything else
  // (including ids that are no review folder name).
  Result<store::ReviewInfo> FindReview(const std::string& id);
  Result<CaseData> LoadCase(const store::ReviewInfo& info);
  std::vector<ProblemFile> ProblemFiles();
  Result<review::SaveResult> Decide(const CaseData& c,
                                    const store::ReviewInfo& info,
                                    const std::string& user);
  // Copies the scanned original of the case (review/<id>/original.<ext>)
  // to archive/<aktenzeichen>/ under the name it arrived with, unless that
  // name is there already (an earlier save).
  Status ArchiveOriginal(const store::ReviewInfo& info,
                         const std::string& aktenzeichen);
  std::string CaseDir(const std::string& id) const;
  int64_t InboxCount();

  const config::Settings settings_;
  pipeline::Pipeline* pipeline_;
  Watcher* watcher_;
  store::Journal* journal_;
  Env* env_;
  const forms::FormLayout* layout_;
  const WatchFolders folders_;
  StationMetrics metrics_;

  std::mutex corrections_mu_;  // one SaveCorrections at a time
  std::unique_ptr<letters::LetterRenderer> renderer_;  // made at first use
  std::mutex release_mu_;  // one Release or Requeue at a time
};

}  // namespace bescheid::daemon

#endif  // BESCHEID_DAEMON_STATION_BACKEND_H_
