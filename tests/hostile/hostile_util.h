// Shared set-up for the hostile black-box tests: a watch root with short
// timings, and checks for the rejection notes the daemon writes.
#ifndef BESCHEID_TESTS_HOSTILE_HOSTILE_UTIL_H_
#define BESCHEID_TESTS_HOSTILE_HOSTILE_UTIL_H_

#include <sys/stat.h>

#include <chrono>
#include <cstdint>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "daemon_harness.h"
#include "test_util.h"

namespace bescheid::testing {

// SIGTERM must stop the daemon within watch.shutdown-seconds + 3 s.
constexpr int kShutdownSeconds = 5;
constexpr std::chrono::seconds kTerminateLimit(kShutdownSeconds + 3);

// True if `s` is well-formed UTF-8 (no overlongs, no surrogates).
inline bool IsValidUtf8(const std::string& s) {
  size_t i = 0;
  while (i < s.size()) {
    const unsigned char c = static_cast<unsigned char>(s[i]);
    size_t n;
    uint32_t cp;
    if (c < 0x80) {
      ++i;
      continue;
    } else if ((c & 0xE0) == 0xC0) {
      n = 1;
      cp = c & 0x1F;
    } else if ((c & 0xF0) == 0xE0) {
      n = 2;
      cp = c & 0x0F;
    } else if ((c & 0xF8) == 0xF0) {
      n = 3;
      cp = c & 0x07;
    } else {
      return false;
    }
    if (i + n >= s.size()) return false;  // truncated sequence
    for (size_t k = 1; k <= n; ++k) {
      const unsigned char d = static_cast<unsigned char>(s[i + k]);
      if ((d & 0xC0) != 0x80) return false;
      cp = (cp << 6) | (d & 0x3F);
    }
    if ((n == 1 && cp < 0x80) || (n == 2 && cp < 0x800) ||
        (n == 3 && (cp < 0x10000 || cp > 0x10FFFF)) ||
        (cp >= 0xD800 && cp <= 0xDFFF)) {
      return false;
    }
    i += n + 1;
  }
  return true;
}

// lstat() succeeded for `path` (a dangling or looping link counts).
inline bool LExists(const std::string& path) {
  struct stat st;
  return ::lstat(path.c_str(), &st) == 0;
}

// The file type bits of `path` without following a link; 0 if missing.
inline mode_t LType(const std::string& path) {
  struct stat st;
  if (::lstat(path.c_str(), &st) != 0) return 0;
  return st.st_mode & S_IFMT;
}

// Path -> content of every regular file under `dir` (links not followed).
inline std::map<std::string, std::string> Snapshot(const std::string& dir) {
  std::map<std::string, std::string> out;
  for (const std::string& p : EntriesUnder(dir)) {
    if (LType(p) == S_IFREG) out[p] = ReadFileOrDie(p);
  }
  return out;
}

inline bool Contains(const std::string& haystack, const std::string& needle) {
  return haystack.find(needle) != std::string::npos;
}

// A watch root whose daemon runs with short timings: stable 1 s, rescan
// 2 s, shutdown 5 s, incomplete 4 s.
class HostileTest : public WatchRootTest {
 protected:
  DaemonOptions Options() {
    DaemonOptions o;
    o.defines = {"watch.shutdown-seconds=" + std::to_string(kShutdownSeconds),
                 "watch.incomplete-seconds=4"};
    return o;
  }
  std::unique_ptr<Daemon> StartDaemon() {
    return std::make_unique<Daemon>(dir_, Options());
  }
  std::unique_ptr<Daemon> StartDaemon(DaemonOptions o) {
    return std::make_unique<Daemon>(dir_, std::move(o));
  }
  // The rejection note for rejected/<name> ("" if there is none).
  std::string RejectionNote(const std::string& name) {
    try {
      return ReadFileOrDie(Root("rejected/" + name + ".error.txt"));
    } catch (const std::exception&) {
      return "";
    }
  }
  // Waits until rejected/<name> and its note exist.
  bool WaitRejected(const std::string& name, std::chrono::seconds limit) {
    return WaitFor(
        [&] {
          return LExists(Root("rejected/" + name)) &&
                 LExists(Root("rejected/" + name + ".error.txt"));
        },
        limit);
  }
  // Entries in rejected/ (files, links, FIFOs; not following links).
  size_t RejectedEntries() { return EntriesUnder(Root("rejected")).size(); }
};

}  // namespace bescheid::testing

#endif  // BESCHEID_TESTS_HOSTILE_HOSTILE_UTIL_H_
