// The watcher: takes every file dropped into the inbox through the pipeline,
// exactly once, surviving crashes, half-copied files, duplicates and hostile
// files.
//
// - A full scan of the inbox (at start and every rescan-seconds) is the
//   source of truth; inotify only wakes the scan early. The scan never
//   follows a link: a symbolic link, FIFO, socket or device in the inbox is
//   moved (as itself) to rejected/ with a German reason; folders are entered
//   only when they are real folders, at most kMaxInboxDepth deep.
// - A file is claimed once its size and mtime have been unchanged for
//   stable-seconds and it looks complete; one that stays incomplete for
//   incomplete-seconds is rejected as truncated. An XML file that inotify
//   saw moved in or closed after writing, and that already ends with its
//   root's end tag, is claimed at once, unless a file seen before it still
//   waits for its window (files are claimed in the order first seen). A
//   file that cannot be read is logged once and tried again with a growing
//   back-off.
// - Claiming writes processing/<claim>.name (the original name, as data)
//   and renames the file to processing/<claim>.in. The claim number is the
//   file's place in the order of receipt for its whole life: recovery,
//   reloads and retries keep it, and while a file waits for a retry, later
//   applications for its municipalities wait too (pipeline holds).
// - Scans are taken only as fast as the workers read them (seconds of OCR
//   each): at most one scan per worker is queued or in a worker's hands;
//   the others wait in the inbox, stable, and are taken in name order as
//   workers finish theirs. XML (milliseconds of work) is taken at once,
//   and one thread beside the workers, the XML lane, takes XML only. A
//   scan takes its place in the decision order (its ticket) only once it
//   has been read, scans among themselves in the order taken. So an XML
//   file dropped during a burst of scans is decided at once, neither
//   waiting for a worker nor for the scans being read; every other
//   decision follows the order of taking (claim numbers and tickets).
// - Outputs are durable before the journal commits; the input is archived
//   after. At start, outputs without a journal entry are rolled back and
//   every file left in processing/ is finished, so each input ends with
//   exactly one outcome: letter, rejection, duplicate or review.
// - One process per watch root: Start() takes an exclusive lock on
//   <root>/.bescheid.lock.
// - A watchdog thread on its own clock ends the process (for the service
//   manager to restart it) when a file takes longer than
//   intake.timeout-seconds or the scan is stuck; a store that cannot
//   recover ends it too, through the fatal handler.
#ifndef BESCHEID_DAEMON_WATCHER_H_
#define BESCHEID_DAEMON_WATCHER_H_

#include <Poco/Logger.h>

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <deque>
#include <functional>
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

// Folders below the inbox deeper than this are not scanned.
inline constexpr int kMaxInboxDepth = 8;

struct StartOptions {
  // Accept an empty journal although outbox/ or archive/ hold decisions
  // (`bescheid watch --init`): existing outputs are kept as they are and
  // numbering continues above the highest Aktenzeichen found there.
  bool init = false;
};

class Watcher {
 public:
  // Called once, from any thread, when the service cannot go on (the store
  // is broken, a thread failed); the handler should stop the process with
  // a non-zero exit. Must not block.
  using FatalHandler = std::function<void(const std::string& reason)>;

  // All pointers must outlive the watcher.
  Watcher(const config::Settings& settings, pipeline::Pipeline* pipeline,
          store::Journal* journal, Env* env, Poco::Logger* log);
  ~Watcher();
  Watcher(const Watcher&) = delete;
  Watcher& operator=(const Watcher&) = delete;

  // Set before Start(). Default: log and _Exit(70).
  void SetFatalHandler(FatalHandler handler) { on_fatal_ = std::move(handler); }

  // Makes the scan reader of one worker (an OCR engine each). Start()
  // calls it and the reader's Prepare() once per worker, on its own
  // thread, before any worker runs (like the letter renderers); a failure
  // ends Start(). Set before Start(); without it a scanned file goes to
  // review/ whole.
  using ScanReaderFactory =
      std::function<Result<std::unique_ptr<pipeline::ScanReader>>()>;
  void SetScanReaderFactory(ScanReaderFactory factory) {
    scan_reader_factory_ = std::move(factory);
  }

  // Ends the review `id` (pipeline::Pipeline::CloseReview) and processes
  // again, in claim order, every file that waited for it. The review
  // station's hook; thread-safe. kNotFound: no such review.
  [[nodiscard]] Status CloseReview(const std::string& id);

  // Locks the root, makes one prepared scan reader per worker, checks the
  // journal against the folders, creates the folders and one letter
  // renderer per worker, recovers what a previous
  // run left, and starts the scanner, the workers and the watchdog. Call
  // once. Start errors are German, for the operator's terminal.
  // Precondition: the signals the service handles are blocked.
  [[nodiscard]] Status Start(const StartOptions& options = {});

  // Stops claiming files; lets each worker finish the file in hand. Returns
  // within about `seconds` whatever the threads are doing: false if some
  // did not finish (their files stay in processing/ and are finished at the
  // next start); the caller must then end the process at once (_Exit),
  // since those threads still use the pipeline and journal.
  bool Stop(int seconds);

  // Files claimed and not yet finished (queued, in flight, parked or
  // waiting to be retried).
  size_t Backlog() const;

  // --- For the review station (daemon::StationBackend) ---
  // Called once per file that reaches an outcome or is put back (from the
  // worker threads; must be thread-safe and quick): `outcome` is the
  // decision's kind ("BEWILLIGUNG", ...) for a decided file, else the
  // watcher's outcome ("rejected", "duplicate", "review", "deferred",
  // "failed"); `seconds` the time the file took. Set before Start().
  using OutcomeObserver =
      std::function<void(const std::string& outcome, double seconds)>;
  void SetOutcomeObserver(OutcomeObserver observer) {
    observer_ = std::move(observer);
  }
  // Whether every worker, the scanner and the watchdog still run.
  bool WorkersAlive() const;
  // The sink the workers write through (thread-safe), and the folders.
  WatchSink& sink() { return sink_; }
  const WatchFolders& folders() const { return folders_; }

 private:
  struct Item {
    pipeline::Input input;  // input.sequence is the claim number
    bool truncated = false;
    uint64_t ticket = 0;  // decision order within this run (not scans)
    // A scan's place among scans: it is given its ticket only once read,
    // in this order (TakeScanTicket).
    uint64_t scan_order = 0;
    uint64_t releases_seen = 0;  // releases_ when a worker took it
    bool scan = false;           // a scan by its bytes: takes a scan slot
  };
  struct Observation {
    uint64_t size = 0;
    int64_t mtime_ns = 0;
    double changed_at = 0;  // steady seconds
    int read_failures = 0;  // consecutive; drives the back-off
    double next_read = 0;   // steady seconds
    // A scan by its bytes as last read (while size and mtime stay): it is
    // not read again while no scan slot is free.
    bool scan = false;
    // Renamed into the folder and unchanged since: complete (a scan is
    // then taken without waiting for the stability window).
    bool moved_in = false;
    // Closed after writing or renamed in, and unchanged since: complete XML
    // may then be taken before the stability window has passed.
    bool written = false;
    // Order of first sighting: files are taken in this order (see
    // ScanOnce), so a file seen later never overtakes one still waiting.
    uint64_t seen = 0;
  };
  // A regular file found in the inbox by one scan.
  struct Found {
    std::string path;
    FileInfo info;
  };
  struct InFlight {
    std::string name;
    double since = 0;
    bool active = false;
  };

  // Takes the watch root's lock file (one service per root).
  Status LockRoot();
  // One scan reader per worker, each prepared (see SetScanReaderFactory).
  Status MakeScanReaders(size_t n);
  // Renderers and slots for `n` workers, the wake-up eventfd and the
  // inotify watch on the inbox.
  Status PrepareWorkers(size_t n);
  // Puts back what a crash left: uncommitted outputs (unless
  // `options.init`), interrupted releases, claimed files.
  Status Recover(const StartOptions& options);
  Status CheckJournalAgainstFolders(const StartOptions& options);
  Status RollBackUncommittedOutputs();
  // Removes hidden temporary files an interrupted write left in `dir`.
  void RemoveTemporaries(const std::string& dir);
  Status RecoverProcessing();
  Status RecoverClaim(uint64_t claim);
  bool ArchiveHolds(const std::string& aktenzeichen, const std::string& sha256);
  void ScanLoop();
  void ScanOnce(double now);
  void ReadInotifyEvents();
  // Appends the regular files under `dir` to `found`, in name order, folder
  // by folder; rejects links and special files.
  void ScanInbox(const std::string& dir, int depth, std::vector<Found>& found);
  // Records what a scan found of `file` and the events noted for it;
  // returns its observation. Precondition: mu_ is held.
  Observation ObserveLocked(const Found& file, double now);
  // Takes the file if it is ready. A file may be taken before its stability
  // window has passed only if `may_take_early`. Returns whether the file
  // holds back files seen after it: it waits for its window and is not
  // known to be a scan.
  bool ConsiderFile(const std::string& path, const Observation& o, double now,
                    bool may_take_early);
  // Moves a link or special file (never its target) out of the inbox or
  // processing/ to rejected/, with `reason`.
  void RejectEntry(const std::string& path, const std::string& reason);
  void Claim(const std::string& path, bool truncated, bool scan);
  // Whether another scan may be taken (see scans_taken_).
  bool ScanSlotFree() const;
  // Adds an inotify watch on `dir` (no-op without inotify; again for a
  // watched folder, the same watch).
  void WatchFolder(const std::string& dir);
  // Queues `item` with the next ticket (a scan takes a slot until a worker
  // is done with it). Precondition: mu_ is held.
  void EnqueueLocked(Item item);
  // Worker `index` takes files from the queue; the one past the last scan
  // reader is the XML lane and takes XML only.
  void WorkerLoop(size_t index);
  // Moves the first item the worker may take (any, or XML only) to *item;
  // false if there is none. Precondition: mu_ is held.
  bool TakeLocked(bool xml_only, Item* item);
  // The ticket of the scan with `scan_order`, once every scan taken before
  // it has its ticket (or gave up its turn). May block; mu_ not held.
  uint64_t TakeScanTicket(uint64_t scan_order);
  // For a scan that ends without a ticket: lets the next scan take its.
  void SkipScanTurn(uint64_t scan_order);
  // Precondition: `lock` holds mu_. Waits until it is the turn of the scan
  // with `scan_order` (every scan before it took its ticket or skipped),
  // then passes the turn to the next scan.
  void PassScanTurnLocked(std::unique_lock<std::mutex>& lock,
                          uint64_t scan_order);
  // Gives up `item`'s place in the order (ticket or scan turn) for an item
  // that ends without reaching the pipeline.
  void GiveUpTurn(const Item& item);
  // Takes one file to its outcome. Sets *ticket_passed once the item's
  // ticket has been handed to the pipeline (which passes it on).
  void Handle(const Item& item, size_t index, bool* ticket_passed);
  // The claimed file's bytes, or nullopt when it was rejected (a link, a
  // special file, too large, several names) or queued for a retry.
  std::optional<std::string> ReadClaimed(const Item& item, double started);
  // False when the file took another way (truncated or binary: rejected;
  // a scan: review). XML and other text go to the XML reader, which tells
  // a clerk what the file is if it is not an application.
  bool IsApplicationXml(const Item& item, const std::string& bytes,
                        const std::string& sha, double started);
  void HandleOutcome(const Item& item, const pipeline::Outcome& o,
                     double started);
  // Rejects a claimed file that cannot be processed, with `reason`.
  void RejectClaimed(const Item& item, const std::string& sha,
                     const std::string& reason, const char* log_detail,
                     double started);
  // The item reached its outcome: its name file goes, its holds end, and
  // files that waited for it are queued again.
  // The name file stays when the input could not be moved out.
  void Finish(const Item& item, bool keep_name_file = false);
  void Retry(Item item);
  void Park(Item item);
  void WatchdogLoop();
  void LogStatusLocked(double now);
  void Fatal(const std::string& reason);
  void Wake();
  // `decision`: a decided file's kind, for the outcome observer.
  void Log(const Item& item, const char* outcome, const std::string& detail,
           double started, bool warning = false,
           const char* decision = nullptr);
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
  FatalHandler on_fatal_;
  std::atomic<bool> fatal_raised_{false};

  std::unique_ptr<FileLock> root_lock_;
  std::vector<std::unique_ptr<letters::LetterRenderer>> renderers_;
  ScanReaderFactory scan_reader_factory_;
  OutcomeObserver observer_;
  std::vector<std::unique_ptr<pipeline::ScanReader>> scan_readers_;
  std::vector<std::thread> workers_;
  std::thread scanner_;
  std::thread watchdog_;
  std::atomic<bool> stopping_{false};
  int wake_fd_ = -1;     // eventfd: wakes the scanner
  int inotify_fd_ = -1;  // -1 in polling mode

  mutable std::mutex mu_;  // guards everything below
  std::condition_variable work_cv_;
  std::condition_variable done_cv_;  // workers, scanner or watchdog ended
  std::deque<Item> queue_;
  std::vector<std::pair<double, Item>> retries_;  // due time, item
  std::vector<Item> parked_;             // deferred: wait for an earlier claim
  std::map<uint64_t, int> retry_count_;  // by claim
  // Inputs being handled, by SHA-256: identical ones count one attempt.
  std::map<std::string, int> attempts_in_flight_;
  std::map<std::string, Observation> observed_;  // by inbox path
  std::map<int, std::string> watched_dirs_;      // inotify wd -> folder
  std::set<std::string> written_;   // moved in or closed after writing
  std::set<std::string> moved_in_;  // renamed into a watched folder
  std::set<std::string> warned_;    // paths already logged as skipped
  std::vector<InFlight> in_flight_;
  size_t running_workers_ = 0;
  size_t started_workers_ = 0;  // by Start(), for WorkersAlive()
  bool scanner_running_ = false;
  bool watchdog_running_ = false;
  double scan_started_ = -1;  // steady seconds; -1 while the scan waits
  uint64_t releases_ = 0;     // Finish() calls: parked files look again
  uint64_t finished_ = 0;     // files that reached their outcome
  uint64_t finished_at_status_ = 0;
  double status_at_ = 0;  // steady seconds of the last status line
  uint64_t next_claim_ = 1;
  uint64_t next_seen_ = 0;  // for Observation::seen
  uint64_t next_ticket_ = 0;
  uint64_t next_scan_order_ = 0;  // for Item::scan_order
  uint64_t next_scan_turn_ = 0;   // the next scan to take its ticket
  std::condition_variable scan_turn_cv_;
  // Scans queued or in a worker's hands, and how many may be (one per
  // worker): further scans wait in the inbox (see the file comment).
  size_t scans_taken_ = 0;
  size_t scan_slots_ = 1;
};

}  // namespace bescheid::daemon

#endif  // BESCHEID_DAEMON_WATCHER_H_
