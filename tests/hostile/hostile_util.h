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

#include "core/text.h"
#include "daemon_harness.h"
#include "test_util.h"

namespace bescheid::testing {

// SIGTERM must stop the daemon within watch.shutdown-seconds + 3 s.
constexpr int kShutdownSeconds = 5;
constexpr std::chrono::seconds kTerminateLimit(kShutdownSeconds + 3);

using core::IsValidUtf8;

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
