// The watch root's folders and the rules for names in them.
#ifndef BESCHEID_DAEMON_FOLDERS_H_
#define BESCHEID_DAEMON_FOLDERS_H_

#include <cstdint>
#include <optional>
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
  // entwurf/<document>.pdf, copies and .decision.xml: drafts waiting for
  // release (release.mode=manual, docs/release.md)
  std::string drafts;

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

// A claimed file lives in processing/ as "<claim>.in" beside "<claim>.name"
// (the name it arrived with, as data), where <claim> is its claim sequence
// number, zero-padded to a fixed width so that names sort in claim order.
// The sequence is the input's place in the decision order for its whole
// life: across retries, reloads and restarts.
std::string ClaimDataName(uint64_t claim);
std::string ClaimNameFile(uint64_t claim);

struct ClaimEntry {
  uint64_t claim = 0;
  bool is_name_file = false;  // "<claim>.name" rather than "<claim>.in"
};
// The claim an entry of processing/ belongs to, if it is named as above.
std::optional<ClaimEntry> ParseClaimEntry(const std::string& name);

// The contents of a "<claim>.name" file for a file that arrived as `raw`
// (any bytes): the safe display name (core::SafeFileName) on the first line,
// then the raw name percent-encoded, so nothing is lost.
std::string EncodeNameFile(std::string_view raw);
// The safe display name from a name file's contents ("" if malformed).
std::string DisplayNameFromNameFile(std::string_view contents);

}  // namespace bescheid::daemon

#endif  // BESCHEID_DAEMON_FOLDERS_H_
