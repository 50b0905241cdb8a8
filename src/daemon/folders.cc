#include "daemon/folders.h"

#include <fnmatch.h>

#include <cctype>
#include <cstdio>

#include "core/text.h"

namespace bescheid::daemon {

WatchFolders::WatchFolders(const std::string& r)
    : root(r),
      inbox(JoinPath(r, "inbox")),
      processing(JoinPath(r, "processing")),
      outbox(JoinPath(r, "outbox")),
      archive(JoinPath(r, "archive")),
      rejected(JoinPath(r, "rejected")),
      duplicates(JoinPath(r, "duplicates")),
      review(JoinPath(r, "review")),
      drafts(JoinPath(r, "entwurf")) {}

std::string WatchFolders::OutboxDay(const core::Date& day) const {
  return JoinPath(outbox, day.ToIso());
}

Status WatchFolders::Create(Env* env) const {
  for (const std::string* dir : {&inbox, &processing, &outbox, &archive,
                                 &rejected, &duplicates, &review, &drafts}) {
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

namespace {

constexpr int kClaimDigits = 12;

std::string ClaimStem(uint64_t claim) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%0*llu", kClaimDigits,
                static_cast<unsigned long long>(claim));
  return buf;
}

}  // namespace

std::string ClaimDataName(uint64_t claim) { return ClaimStem(claim) + ".in"; }

std::string ClaimNameFile(uint64_t claim) { return ClaimStem(claim) + ".name"; }

std::optional<ClaimEntry> ParseClaimEntry(const std::string& name) {
  const size_t dot = name.find('.');
  if (dot != static_cast<size_t>(kClaimDigits)) return std::nullopt;
  const std::string ext = name.substr(dot);
  if (ext != ".in" && ext != ".name") return std::nullopt;
  uint64_t claim = 0;
  for (size_t i = 0; i < dot; ++i) {
    if (name[i] < '0' || name[i] > '9') return std::nullopt;
    claim = claim * 10 + static_cast<uint64_t>(name[i] - '0');
  }
  return ClaimEntry{claim, ext == ".name"};
}

std::string EncodeNameFile(std::string_view raw) {
  std::string out = core::SafeFileName(raw) + "\n";
  static const char kHex[] = "0123456789ABCDEF";
  for (const char ch : raw) {
    const unsigned char c = static_cast<unsigned char>(ch);
    if (std::isalnum(c) || c == '.' || c == '-' || c == '_') {
      out += ch;
    } else {
      out += '%';
      out += kHex[c >> 4];
      out += kHex[c & 15];
    }
  }
  return out + "\n";
}

std::string DisplayNameFromNameFile(std::string_view contents) {
  const size_t nl = contents.find('\n');
  if (nl == std::string_view::npos || nl == 0) return "";
  // Never trust the file blindly: it lives in a folder others can see.
  return core::SafeFileName(contents.substr(0, nl));
}

}  // namespace bescheid::daemon
