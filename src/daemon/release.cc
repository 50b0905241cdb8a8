#include "daemon/release.h"

#include <algorithm>

#include "pipeline/pipeline.h"

namespace bescheid::daemon {
namespace {

// outbox/<decision date>/ of a draft; its date is always recorded by the
// pipeline (a draft without one would be a bug).
Result<std::string> OutboxDirOf(const WatchFolders& folders,
                                const store::DecisionSummary& d) {
  if (!d.decision_date) {
    return InternalError("release: decision " + d.document + " has no date");
  }
  return folders.OutboxDay(*d.decision_date);
}

struct Move {
  std::string from, to;
};

// Moves back what `done` moved, newest first (best effort).
void Undo(Env* env, const std::vector<Move>& done) {
  for (auto it = done.rbegin(); it != done.rend(); ++it) {
    (void)env->MoveFile(it->to, it->from);
  }
}

}  // namespace

std::vector<std::string> OutputsOf(Env* env, const std::string& dir,
                                   const std::string& document) {
  std::vector<std::string> out;
  Result<std::vector<std::string>> names = env->ListDir(dir);
  if (!names.ok()) return out;
  for (const std::string& n : *names) {
    if (pipeline::DocumentOfOutput(n) == document) out.push_back(n);
  }
  std::sort(out.begin(), out.end());
  return out;
}

Status ReleaseDraftFiles(Env* env, store::Journal* journal,
                         const WatchFolders& folders,
                         const std::vector<store::DecisionSummary>& drafts,
                         const std::string& user,
                         const std::vector<store::AuditRecord>& audit) {
  std::vector<Move> done;
  std::vector<std::string> documents;
  for (const store::DecisionSummary& d : drafts) {
    Result<std::string> dir = OutboxDirOf(folders, d);
    if (!dir.ok()) {
      Undo(env, done);
      return dir.status();
    }
    for (const std::string& f : OutputsOf(env, folders.drafts, d.document)) {
      Move m{JoinPath(folders.drafts, f), JoinPath(*dir, f)};
      // MoveFile is a rename without replacing, the target folder synced:
      // as durable as the pipeline's own outbox writes.
      Status s = env->MoveFile(m.from, m.to);
      if (!s.ok()) {
        Undo(env, done);
        return s;
      }
      done.push_back(std::move(m));
    }
    documents.push_back(d.document);
  }
  Status s = journal->ReleaseDrafts(documents, user, audit);
  if (!s.ok()) Undo(env, done);
  return s;
}

Result<int> RecoverInterruptedReleases(Env* env, store::Journal* journal,
                                       const WatchFolders& folders) {
  Result<std::vector<store::DecisionSummary>> drafts = journal->Drafts();
  if (!drafts.ok()) return drafts.status();
  int moved = 0;
  for (const store::DecisionSummary& d : *drafts) {
    Result<std::string> dir = OutboxDirOf(folders, d);
    if (!dir.ok()) continue;
    for (const std::string& f : OutputsOf(env, *dir, d.document)) {
      const std::string back = JoinPath(folders.drafts, f);
      Status s = env->Stat(back).ok() ? env->Remove(JoinPath(*dir, f))
                                      : env->MoveFile(JoinPath(*dir, f), back);
      if (!s.ok()) return s;
      ++moved;
    }
  }
  return moved;
}

}  // namespace bescheid::daemon
