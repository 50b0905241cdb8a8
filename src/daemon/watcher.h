// The watcher: takes every file dropped into the inbox through the pipeline,
// exactly once, surviving crashes, half-copied files and duplicates.
//
// - A full scan of the inbox (at start and every rescan-seconds) is the
//   source of truth; inotify only wakes the scan early.
// - A file is claimed once its size and mtime have been unchanged for
//   stable-seconds and it looks complete; one that stays incomplete for
//   incomplete-seconds is rejected as truncated. An XML file that inotify
//   saw moved in or closed after writing, and that already ends with its
//   root's end tag, is claimed at once.
// - Claiming is an atomic rename into processing/. Files are decided in
//   the order they were taken (first dropped, first decided), while
//   workers read, render and write in parallel. Outputs are durable before
//   the journal commits; the input is archived after.
// - At start, outputs without a journal entry are rolled back and every
//   file left in processing/ is finished, so each input ends with exactly
//   one outcome: letter, rejection, duplicate or review.
#ifndef BESCHEID_DAEMON_WATCHER_H_
#define BESCHEID_DAEMON_WATCHER_H_

#include <Poco/Logger.h>

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <deque>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include "config/settings.h"
#include "daemon/folders.h"
#include "daemon/watch_sink.h"
#include "letters/letter.h"
#include "pipeline/pipeline.h"
#include "store/journal.h"

namespace bescheid::daemon {

class Watcher {
 public:
  // All pointers must outlive the watcher.
  Watcher(const config::Settings& settings, pipeline::Pipeline* pipeline,
          store::Journal* journal, Env* env, Poco::Logger* log);
  ~Watcher();
  Watcher(const Watcher&) = delete;
  Watcher& operator=(const Watcher&) = delete;

  // Creates the folders and one letter renderer per worker, recovers what a
  // previous run left, and starts the scanner and the workers. Call once.
  // Precondition: the signals the service handles are blocked.
  Status Start();

  // Stops claiming files; lets each worker finish the file in hand. Returns
  // false if some did not finish within `seconds` (their files stay in
  // processing/ and are finished at the next start).
  bool Stop(int seconds);

  // Files claimed and not yet finished (queued, in flight or waiting to be
  // retried).
  size_t Backlog() const;

 private:
  struct Item {
    pipeline::Input input;
    bool truncated = false;
    uint64_t ticket = 0;  // decision order: the order files were taken
  };
  struct Observation {
    uint64_t size = 0;
    int64_t mtime_ns = 0;
    double changed_at = 0;  // steady seconds
  };
  struct InFlight {
    std::string name;
    double since = 0;
    bool active = false;
  };

  Status Recover();
  void ScanLoop();
  void ReadInotifyEvents();
  void ScanInbox(const std::string& dir, double now,
                 std::map<std::string, bool>& seen);
  void Claim(const std::string& path, bool truncated);
  // Queues `item` with the next ticket. Precondition: mu_ is held.
  void EnqueueLocked(Item item);
  void WorkerLoop(size_t index);
  // Takes one file to its outcome. Sets *ticket_passed once the item's
  // ticket has been handed to the pipeline (which passes it on).
  void Handle(const Item& item, size_t index, bool* ticket_passed);
  void Retry(Item item);
  void Watchdog(double now);
  void Log(const Item& item, const char* outcome, const std::string& detail,
           double started, bool warning = false);
  double Now() const;

  const config::Settings settings_;
  const config::WatchSettings& watch_;
  pipeline::Pipeline* pipeline_;
  store::Journal* journal_;
  Env* env_;
  Poco::Logger& log_;
  const WatchFolders folders_;
  WatchSink sink_;
  const std::chrono::steady_clock::time_point epoch_;

  std::vector<std::unique_ptr<letters::LetterRenderer>> renderers_;
  std::vector<std::thread> workers_;
  std::thread scanner_;
  std::atomic<bool> stopping_{false};
  int wake_fd_ = -1;     // eventfd: wakes the scanner
  int inotify_fd_ = -1;  // -1 in polling mode

  mutable std::mutex mu_;  // guards everything below
  std::condition_variable work_cv_;
  std::condition_variable done_cv_;
  std::deque<Item> queue_;
  std::vector<std::pair<double, Item>> retries_;  // due time, item
  std::map<std::string, int> retry_count_;        // by processing path
  std::map<std::string, Observation> observed_;   // by inbox path
  std::map<int, std::string> watched_dirs_;       // inotify wd -> folder
  std::set<std::string> written_;  // moved in or closed after writing
  std::vector<InFlight> in_flight_;
  size_t running_workers_ = 0;
  uint64_t claim_counter_ = 0;
  uint64_t next_ticket_ = 0;
};

}  // namespace bescheid::daemon

#endif  // BESCHEID_DAEMON_WATCHER_H_
