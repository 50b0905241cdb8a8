// Outputs of the watcher, placed in the watch root's folders. Thread-safe.
#ifndef BESCHEID_DAEMON_WATCH_SINK_H_
#define BESCHEID_DAEMON_WATCH_SINK_H_

#include <mutex>
#include <string>
#include <string_view>

#include "daemon/folders.h"
#include "pipeline/pipeline.h"

namespace bescheid::daemon {

class WatchSink final : public pipeline::OutputSink {
 public:
  WatchSink(WatchFolders folders, Env* env)
      : folders_(std::move(folders)), env_(env) {}

  // outbox/<decision date>/<document>.pdf, its copies and .decision.xml
  // (see pipeline::DocumentName); a draft (out.draft) into entwurf/. Not
  // yet durable: the pipeline syncs the paths in `unsynced` with its group.
  Status WriteDecision(const pipeline::DecisionOutput& out,
                       std::vector<std::string>* unsynced) override;
  void DiscardDecision(const pipeline::DecisionOutput& out) override;
  // The input moves to rejected/<name>, beside <name>.error.txt.
  Status WriteRejection(const pipeline::Input& input,
                        const std::string& report) override;
  // The input moves to duplicates/<name>, beside <name>.txt.
  Status WriteDuplicate(const pipeline::Input& input,
                        const pipeline::EarlierOutcome& earlier) override;
  // The input moves to review/<name>, beside <name>.txt, for a person.
  Status SendToReview(const pipeline::Input& input,
                      const std::string& note) override;
  // review/<id>/ (see pipeline::WriteReviewFolder); the input stays.
  Status WriteScanReview(const pipeline::Input& input,
                         const pipeline::ScanReview& review) override;
  // Removes the claimed input once every document of it is in review (each
  // review folder holds a copy of it).
  Status DropReviewed(const pipeline::Input& input);
  // After the journal committed the decision: the original, byte for byte,
  // moves to archive/<Aktenzeichen>/<name>.
  Status Archive(const pipeline::Input& input, const std::string& aktenzeichen);
  // The same for an original that stays where it is (a review folder's
  // copy, decided from the review station): `bytes` are written durably as
  // archive/<Aktenzeichen>/<name> (a free name if taken).
  Status ArchiveCopy(const std::string& name, std::string_view bytes,
                     const std::string& aktenzeichen);

 private:
  // Where the decision's files go: entwurf/ or outbox/<decision date>/.
  std::string DirFor(const pipeline::DecisionOutput& out) const;
  // Writes `note` as <dir>/<free name><suffix>, then moves the input to
  // <dir>/<free name>. A missing input (moved before a crash) is fine.
  Status MoveWithNote(const std::string& dir, const pipeline::Input& input,
                      const std::string& suffix, const std::string& note);

  const WatchFolders folders_;
  Env* env_;
  std::mutex names_mu_;  // choosing a free name and taking it
};

}  // namespace bescheid::daemon

#endif  // BESCHEID_DAEMON_WATCH_SINK_H_
