// Release of drafts (Schlusszeichnung, release.mode=manual; docs/release.md):
// a decided letter, its copies and its record wait in entwurf/ and the
// journal marks the decision DRAFT; releasing moves the files durably into
// outbox/<decision date>/ and then marks the decision released (who, when)
// with its audit line, in one journal transaction.
//
// Crash safety: the journal is the truth. Files of a decision the journal
// still calls a draft that are found in the outbox (a crash between the
// move and the journal's commit) are moved back into entwurf/ at start
// (RecoverInterruptedReleases); the release must then be given again.
#ifndef BESCHEID_DAEMON_RELEASE_H_
#define BESCHEID_DAEMON_RELEASE_H_

#include <string>
#include <vector>

#include "core/status.h"
#include "daemon/folders.h"
#include "env/env.h"
#include "store/journal.h"

namespace bescheid::daemon {

// The files of `document` (pipeline::DocumentOfOutput) in `dir`, sorted.
std::vector<std::string> OutputsOf(Env* env, const std::string& dir,
                                   const std::string& document);

// Releases `drafts` (committed DRAFT decisions) as `user`: moves each
// one's files from entwurf/ to outbox/<decision date>/, then commits the
// release and `audit` in the journal. If the journal refuses, the files
// are moved back (best effort; a crash leaves it to recovery). Not
// thread-safe with itself: the caller serialises releases.
Status ReleaseDraftFiles(Env* env, store::Journal* journal,
                         const WatchFolders& folders,
                         const std::vector<store::DecisionSummary>& drafts,
                         const std::string& user,
                         const std::vector<store::AuditRecord>& audit);

// At start, before anything is processed: moves the outbox files of every
// decision the journal still calls a draft back into entwurf/. Returns how
// many files were moved.
Result<int> RecoverInterruptedReleases(Env* env, store::Journal* journal,
                                       const WatchFolders& folders);

}  // namespace bescheid::daemon

#endif  // BESCHEID_DAEMON_RELEASE_H_
