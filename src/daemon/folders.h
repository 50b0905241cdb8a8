// The watch root's folders and the rules for names in them.
#ifndef BESCHEID_DAEMON_FOLDERS_H_
#define BESCHEID_DAEMON_FOLDERS_H_

#include <string>
#include <string_view>
#include <vector>

#include "core/date.h"
#include "core/status.h"
#include "env/env.h"

namespace bescheid::daemon {

struct WatchFolders {
  explicit WatchFolders(const std::string& root);

  std::string root;
  std::string inbox;       // where files are dropped (subfolders allowed)
  std::string processing;  // claimed work
  std::string outbox;    // outbox/<YYYY-MM-DD>/<Aktenzeichen>.pdf|.decision.xml
  std::string archive;   // archive/<Aktenzeichen>/<original name>
  std::string rejected;  // rejected/<name> and <name>.error.txt
  std::string duplicates;  // duplicates/<name> and <name>.txt
  std::string review;      // review/<name> and <name>.txt: for a person

  std::string OutboxDay(const core::Date& day) const;
  // Creates every folder that does not exist.
  Status Create(Env* env) const;
};

// True if `name` (a file or folder name, no slashes) matches one of the
// shell-style patterns ("*.tmp", "~$*", ".*").
bool IsIgnored(const std::string& name,
               const std::vector<std::string>& patterns);

// `name` if no "<dir>/<name>" exists, else "a (2).xml", "a (3).xml", ...
std::string FreeName(Env* env, const std::string& dir, const std::string& name);

// Claimed files are named "<id>__<original name>" in processing/.
std::string ClaimedName(const std::string& id, const std::string& original);
// The original name of a claimed file ("" if `claimed` has no id prefix).
std::string OriginalName(const std::string& claimed);

}  // namespace bescheid::daemon

#endif  // BESCHEID_DAEMON_FOLDERS_H_
