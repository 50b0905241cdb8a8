#include "daemon/folders.h"

#include <fnmatch.h>

namespace bescheid::daemon {

WatchFolders::WatchFolders(const std::string& r)
    : root(r),
      inbox(JoinPath(r, "inbox")),
      processing(JoinPath(r, "processing")),
      outbox(JoinPath(r, "outbox")),
      archive(JoinPath(r, "archive")),
      rejected(JoinPath(r, "rejected")),
      duplicates(JoinPath(r, "duplicates")),
      review(JoinPath(r, "review")) {}

std::string WatchFolders::OutboxDay(const core::Date& day) const {
  return JoinPath(outbox, day.ToIso());
}

Status WatchFolders::Create(Env* env) const {
  for (const std::string* dir : {&inbox, &processing, &outbox, &archive,
                                 &rejected, &duplicates, &review}) {
    Status s = env->CreateDirs(*dir);
    if (!s.ok()) return s;
  }
  return Status::Ok();
}

bool IsIgnored(const std::string& name,
               const std::vector<std::string>& patterns) {
  for (const std::string& p : patterns) {
    if (::fnmatch(p.c_str(), name.c_str(), FNM_PERIOD) == 0) return true;
  }
  return false;
}

std::string FreeName(Env* env, const std::string& dir,
                     const std::string& name) {
  if (!env->Stat(JoinPath(dir, name)).ok()) return name;
  const size_t dot = name.rfind('.');
  const std::string stem =
      dot == std::string::npos || dot == 0 ? name : name.substr(0, dot);
  const std::string ext = stem.size() == name.size() ? "" : name.substr(dot);
  for (int n = 2;; ++n) {
    std::string candidate = stem + " (" + std::to_string(n) + ")" + ext;
    if (!env->Stat(JoinPath(dir, candidate)).ok()) return candidate;
  }
}

std::string ClaimedName(const std::string& id, const std::string& original) {
  return id + "__" + original;
}

std::string OriginalName(const std::string& claimed) {
  const size_t sep = claimed.find("__");
  return sep == std::string::npos ? "" : claimed.substr(sep + 2);
}

}  // namespace bescheid::daemon
