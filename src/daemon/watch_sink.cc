#include "daemon/watch_sink.h"

namespace bescheid::daemon {

Status WatchSink::WriteDecision(const pipeline::DecisionOutput& out,
                                std::vector<std::string>* unsynced) {
  return pipeline::WriteDecisionFiles(env_, DirFor(out), out, unsynced);
}

void WatchSink::DiscardDecision(const pipeline::DecisionOutput& out) {
  pipeline::RemoveDecisionFiles(env_, DirFor(out), out);
}

std::string WatchSink::DirFor(const pipeline::DecisionOutput& out) const {
  return out.draft ? folders_.drafts : folders_.OutboxDay(out.decision_date);
}

Status WatchSink::MoveWithNote(const std::string& dir,
                               const pipeline::Input& input,
                               const std::string& suffix,
                               const std::string& note) {
  std::lock_guard<std::mutex> lock(names_mu_);
  const std::string name = FreeName(env_, dir, input.name);
  Status s = env_->WriteFileAtomic(JoinPath(dir, name + suffix), note);
  if (!s.ok()) return s;
  if (!env_->Stat(input.path).ok()) return Status::Ok();
  return env_->MoveFile(input.path, JoinPath(dir, name));
}

Status WatchSink::WriteRejection(const pipeline::Input& input,
                                 const std::string& report) {
  return MoveWithNote(folders_.rejected, input, ".error.txt", report + "\n");
}

Status WatchSink::WriteDuplicate(const pipeline::Input& input,
                                 const pipeline::EarlierOutcome& earlier) {
  return MoveWithNote(folders_.duplicates, input, ".txt",
                      pipeline::DuplicateNote(input.name, earlier));
}

Status WatchSink::SendToReview(const pipeline::Input& input,
                               const std::string& note) {
  return MoveWithNote(folders_.review, input, ".txt", note + "\n");
}

Status WatchSink::WriteScanReview(const pipeline::Input& /*input*/,
                                  const pipeline::ScanReview& review) {
  return pipeline::WriteReviewFolder(env_, folders_.review, review);
}

Status WatchSink::DropReviewed(const pipeline::Input& input) {
  Status s = env_->Remove(input.path);
  // Already gone: a document's letter could not be set, and SendToReview
  // moved the file to review/ with its note.
  if (s.code() == StatusCode::kNotFound) return Status::Ok();
  return s;
}

Status WatchSink::Archive(const pipeline::Input& input,
                          const std::string& aktenzeichen) {
  const std::string dir = JoinPath(folders_.archive, aktenzeichen);
  std::lock_guard<std::mutex> lock(names_mu_);
  return env_->MoveFile(input.path,
                        JoinPath(dir, FreeName(env_, dir, input.name)));
}

Status WatchSink::ArchiveCopy(const std::string& name, std::string_view bytes,
                              const std::string& aktenzeichen) {
  const std::string dir = JoinPath(folders_.archive, aktenzeichen);
  std::lock_guard<std::mutex> lock(names_mu_);
  return env_->WriteFileAtomic(JoinPath(dir, FreeName(env_, dir, name)), bytes);
}

}  // namespace bescheid::daemon
