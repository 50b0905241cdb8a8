// Black-box harness for tests that run the real `bescheid watch` binary
// (BESCHEID_BINARY) as a child process against a temporary watch root.
// Every wait is bounded: a daemon that hangs makes the test fail, never the
// suite hang, and a daemon still running at the end of a test is killed.
#ifndef BESCHEID_TESTS_DAEMON_HARNESS_H_
#define BESCHEID_TESTS_DAEMON_HARNESS_H_

#include <fcntl.h>
#include <gtest/gtest.h>
#include <signal.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <filesystem>
#include <functional>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "test_util.h"

namespace bescheid::testing {

// 22.01.2018 12:00 UTC: the date the demo and the tests decide on.
inline constexpr char kDemoEpoch[] = "1516622400";

// Polls `done` every `interval` for at most `limit`.
inline bool WaitFor(
    const std::function<bool()>& done, std::chrono::milliseconds limit,
    std::chrono::milliseconds interval = std::chrono::milliseconds(100)) {
  const auto end = std::chrono::steady_clock::now() + limit;
  while (std::chrono::steady_clock::now() < end) {
    if (done()) return true;
    std::this_thread::sleep_for(interval);
  }
  return done();
}

// Polls `done` every 20 ms for at most `seconds` (in-process tests).
inline bool WaitFor(const std::function<bool()>& done, int seconds) {
  return WaitFor(done, std::chrono::seconds(seconds),
                 std::chrono::milliseconds(20));
}

// Regular files (symlinks to regular files included, as
// std::filesystem::is_regular_file follows them) under `dir`, recursively,
// whose path ends in `suffix`; sorted.
inline std::vector<std::string> FilesUnder(const std::string& dir,
                                           const std::string& suffix = "") {
  namespace fs = std::filesystem;
  std::vector<std::string> out;
  std::error_code ec;
  if (!fs::exists(dir, ec)) return out;
  for (const auto& e : fs::recursive_directory_iterator(dir, ec)) {
    if (!e.is_regular_file()) continue;
    const std::string p = e.path().string();
    if (suffix.empty() ||
        (p.size() >= suffix.size() &&
         p.compare(p.size() - suffix.size(), suffix.size(), suffix) == 0)) {
      out.push_back(p);
    }
  }
  std::sort(out.begin(), out.end());
  return out;
}

// Every entry under `dir` that is not a directory (files, symlinks, FIFOs,
// sockets), recursively, without following symlinks; sorted.
inline std::vector<std::string> EntriesUnder(const std::string& dir) {
  namespace fs = std::filesystem;
  std::vector<std::string> out;
  std::error_code ec;
  if (!fs::exists(fs::symlink_status(dir, ec))) return out;
  fs::recursive_directory_iterator it(dir, ec), end;
  for (; !ec && it != end; it.increment(ec)) {
    if (it->is_symlink(ec) || !it->is_directory(ec)) {
      out.push_back(it->path().string());
    }
  }
  std::sort(out.begin(), out.end());
  return out;
}

// A distinct application: Tettnang's example with a numbered person.
inline std::string Application(int n) {
  std::string doc =
      ReadFileOrDie(SourcePath("examples/01-bewilligung-tettnang.xml"));
  const std::string from = "<Person>Jana Müller</Person>";
  doc.replace(doc.find(from), from.size(),
              "<Person>Jana Müller " + std::to_string(n) + "</Person>");
  return doc;
}

// How to start a daemon. Paths default to <dir>/root, <dir>/journal.sqlite
// and <dir>/daemon.log (stdout and stderr both go to the log file).
struct DaemonOptions {
  DaemonOptions() {}  // not an aggregate: {"a=b"} means defines, not this
  std::string root;
  std::string store;
  std::string log;
  std::vector<std::string> defines;  // extra `--define key=value`
  std::vector<std::string> args;     // extra arguments after `watch`
  int workers = 2;
};

// `bescheid watch` as a child process, killed (SIGKILL) on destruction if
// it is still running.
class Daemon {
 public:
  explicit Daemon(const TempDir& dir, std::vector<std::string> defines = {})
      : Daemon(dir, WithDefines(std::move(defines))) {}

  Daemon(const TempDir& dir, DaemonOptions options) {
    if (options.root.empty()) options.root = dir / "root";
    if (options.store.empty()) options.store = dir / "journal.sqlite";
    if (options.log.empty()) options.log = dir / "daemon.log";
    log_ = options.log;
    std::vector<std::string> args = {BESCHEID_BINARY, "watch"};
    for (auto& a : options.args) args.push_back(a);
    for (const std::string& d :
         {"watch.root=" + options.root, "store.path=" + options.store,
          std::string("watch.stable-seconds=1"),
          std::string("watch.rescan-seconds=2"),
          "watch.workers=" + std::to_string(options.workers),
          // The review station is off unless a test turns it on (then
          // with http.port=0): parallel tests would share one port.
          std::string("http.enabled=false")}) {
      args.push_back("--define");
      args.push_back(d);
    }
    for (auto& d : options.defines) {
      args.push_back("--define");
      args.push_back(d);
    }
    std::filesystem::create_directories(options.root);  // watch.root must exist
    pid_ = ::fork();
    if (pid_ == 0) {
      const int log =
          ::open(log_.c_str(), O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0644);
      ::dup2(log, 1);
      ::dup2(log, 2);
      if (::chdir(BESCHEID_SOURCE_DIR) != 0) ::_exit(126);
      std::vector<char*> argv;
      for (auto& a : args) argv.push_back(a.data());
      argv.push_back(nullptr);
      // Decisions are dated on the demo date, inside the programme's
      // decision period (programme.decision-period.*).
      ::setenv("SOURCE_DATE_EPOCH", kDemoEpoch, 0);
      ::execv(argv[0], argv.data());
      ::_exit(127);
    }
  }
  ~Daemon() {
    if (pid_ > 0) Kill();
  }
  Daemon(const Daemon&) = delete;
  Daemon& operator=(const Daemon&) = delete;

  pid_t pid() const { return pid_; }

  // True while the child has not exited (reaps it if it has).
  bool Running() {
    if (pid_ <= 0) return false;
    int status = 0;
    if (::waitpid(pid_, &status, WNOHANG) == pid_) {
      exit_code_ = Decode(status);
      pid_ = -1;
      return false;
    }
    return true;
  }

  // Waits for the child to exit by itself and returns its exit code
  // (128 + signal number if a signal ended it), or nullopt if it is still
  // running after `limit` (it is then left running; the destructor kills
  // it).
  std::optional<int> WaitExit(std::chrono::milliseconds limit) {
    if (pid_ <= 0) return exit_code_;
    WaitFor([&] { return !Running(); }, limit, std::chrono::milliseconds(20));
    if (pid_ > 0) return std::nullopt;
    return exit_code_;
  }

  void Kill() {
    if (pid_ <= 0) return;
    ::kill(pid_, SIGKILL);
    int status = 0;
    ::waitpid(pid_, &status, 0);
    exit_code_ = Decode(status);
    pid_ = -1;
  }

  // Sends SIGTERM and returns the exit code, or -1 if the daemon did not
  // exit within `limit` (it is then killed).
  int Terminate(std::chrono::milliseconds limit = std::chrono::seconds(30)) {
    if (pid_ <= 0) return exit_code_.value_or(-1);
    ::kill(pid_, SIGTERM);
    const std::optional<int> code = WaitExit(limit);
    if (!code) {
      Kill();
      return -1;
    }
    return *code;
  }

  void Signal(int sig) {
    if (pid_ > 0) ::kill(pid_, sig);
  }

  // Peak resident set size (VmHWM) in KiB while the daemon runs; -1 if it
  // is not running or the value cannot be read.
  long PeakRssKb() const { return StatusField("VmHWM:"); }
  long RssKb() const { return StatusField("VmRSS:"); }

  // The daemon's stdout and stderr so far ("" before it wrote anything).
  std::string Log() const {
    try {
      return ReadFileOrDie(log_);
    } catch (const std::exception&) {
      return "";
    }
  }
  // The last `n` bytes of the log, for failure messages.
  std::string LogTail(size_t n = 4000) const {
    const std::string log = Log();
    return log.size() <= n ? log : "..." + log.substr(log.size() - n);
  }
  const std::string& log_path() const { return log_; }

  // Waits until the daemon logged that it is watching.
  bool WaitWatching(
      std::chrono::milliseconds limit = std::chrono::seconds(20)) {
    return WaitFor(
        [&] { return Log().find(" watching ") != std::string::npos; }, limit);
  }

 private:
  static DaemonOptions WithDefines(std::vector<std::string> defines) {
    DaemonOptions o;
    o.defines = std::move(defines);
    return o;
  }
  static int Decode(int status) {
    if (WIFEXITED(status)) return WEXITSTATUS(status);
    if (WIFSIGNALED(status)) return 128 + WTERMSIG(status);
    return -1;
  }
  long StatusField(const std::string& field) const {
    if (pid_ <= 0) return -1;
    std::string text;
    try {
      text = ReadFileOrDie("/proc/" + std::to_string(pid_) + "/status");
    } catch (const std::exception&) {
      return -1;
    }
    const size_t at = text.find(field);
    if (at == std::string::npos) return -1;
    return std::strtol(text.c_str() + at + field.size(), nullptr, 10);
  }

  std::string log_;
  pid_t pid_ = -1;
  std::optional<int> exit_code_;
};

// A test with its own watch root under a TempDir, with helpers to drop
// files and count outcomes.
class WatchRootTest : public ::testing::Test {
 protected:
  std::string Root(const std::string& rel = "") {
    return rel.empty() ? dir_ / "root" : dir_ / ("root/" + rel);
  }
  // Drops a file the way a copy tool does: written beside, renamed in.
  void Drop(const std::string& name, const std::string& content) {
    namespace fs = std::filesystem;
    const std::string staging = dir_ / ("staging/" + name);
    WriteFileOrDie(staging, content);
    fs::create_directories(fs::path(Root("inbox/" + name)).parent_path());
    fs::rename(staging, Root("inbox/" + name));
  }
  size_t Letters() { return FilesUnder(Root("outbox"), ".pdf").size(); }
  bool InboxAndProcessingEmpty() {
    return FilesUnder(Root("inbox")).empty() &&
           FilesUnder(Root("processing")).empty();
  }

  TempDir dir_;
};

}  // namespace bescheid::testing

#endif  // BESCHEID_TESTS_DAEMON_HARNESS_H_
