#include "daemon/watcher.h"

#include <poll.h>
#include <sys/eventfd.h>
#include <sys/inotify.h>
#include <unistd.h>

#include <algorithm>
#include <cstdlib>

#include "core/decision.h"
#include "daemon/intake_check.h"

namespace bescheid::daemon {
namespace {

constexpr uint32_t kInotifyMask = IN_CREATE | IN_MOVED_TO | IN_CLOSE_WRITE |
                                  IN_MODIFY | IN_ATTRIB | IN_DELETE_SELF;

std::string ScanNote(const std::string& name) {
  return "Die Datei '" + name +
         "' ist ein gescanntes Formular oder Bild. Gescannte Anträge werden "
         "von dieser Version noch nicht automatisch gelesen.\nBitte prüfen "
         "Sie den Antrag und erfassen Sie ihn im Antragsportal; es wurde kein "
         "Bescheid erstellt.";
}

}  // namespace

Watcher::Watcher(const config::Settings& settings, pipeline::Pipeline* pipeline,
                 store::Journal* journal, Env* env, Poco::Logger* log)
    : settings_(settings),
      watch_(settings_.watch),
      pipeline_(pipeline),
      journal_(journal),
      env_(env),
      log_(*log),
      folders_(settings_.watch.root),
      sink_(folders_, env),
      epoch_(std::chrono::steady_clock::now()) {}

Watcher::~Watcher() {
  Stop(watch_.shutdown_seconds);
  if (wake_fd_ >= 0) ::close(wake_fd_);
  if (inotify_fd_ >= 0) ::close(inotify_fd_);
}

double Watcher::Now() const {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() -
                                       epoch_)
      .count();
}

Status Watcher::Start() {
  Status s = folders_.Create(env_);
  if (!s.ok()) return s;
  size_t n = watch_.workers > 0
                 ? static_cast<size_t>(watch_.workers)
                 : std::max(1u, std::thread::hardware_concurrency());
  for (size_t i = 0; i < n; ++i) {
    auto r =
        letters::LetterRenderer::Create(pipeline::MakeLetterOptions(settings_));
    if (!r.ok()) return r.status();
    renderers_.push_back(std::move(r).value());
  }
  in_flight_.resize(n);
  wake_fd_ = ::eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);
  if (wake_fd_ < 0) return IoError("eventfd failed");
  if (!watch_.polling) {
    inotify_fd_ = ::inotify_init1(IN_CLOEXEC | IN_NONBLOCK);
    if (inotify_fd_ < 0) {
      log_.warning("inotify unavailable; scanning every " +
                   std::to_string(watch_.rescan_seconds) + " s only");
    }
  }
  s = Recover();
  if (!s.ok()) return s;
  running_workers_ = n;
  for (size_t i = 0; i < n; ++i)
    workers_.emplace_back([this, i] { WorkerLoop(i); });
  scanner_ = std::thread([this] { ScanLoop(); });
  log_.information("watching " + folders_.inbox + " with " + std::to_string(n) +
                   " worker(s)" + (inotify_fd_ < 0 ? " (polling)" : ""));
  return Status::Ok();
}

bool Watcher::Stop(int seconds) {
  if (stopping_.exchange(true)) {
    // Already stopped or stopping: just report whether everyone is done.
    std::lock_guard<std::mutex> lock(mu_);
    return running_workers_ == 0;
  }
  if (wake_fd_ >= 0) {
    const uint64_t one = 1;
    (void)!::write(wake_fd_, &one, sizeof one);
  }
  work_cv_.notify_all();
  if (scanner_.joinable()) scanner_.join();
  bool all_done;
  {
    std::unique_lock<std::mutex> lock(mu_);
    all_done = done_cv_.wait_for(lock, std::chrono::seconds(seconds),
                                 [&] { return running_workers_ == 0; });
  }
  if (all_done) {
    for (auto& t : workers_) {
      if (t.joinable()) t.join();
    }
  } else {
    for (auto& t : workers_) {
      if (t.joinable()) t.detach();  // the process is about to exit
    }
  }
  return all_done;
}

size_t Watcher::Backlog() const {
  std::lock_guard<std::mutex> lock(mu_);
  size_t n = queue_.size() + retries_.size();
  for (const InFlight& f : in_flight_) n += f.active ? 1 : 0;
  return n;
}

Status Watcher::Recover() {
  // 1. Outputs written without a journal entry (a crash between writing
  //    and committing) are rolled back; their input is still in processing/.
  //    Leftover temporary files go as well.
  auto days = env_->ListDir(folders_.outbox);
  if (days.ok()) {
    for (const std::string& day : *days) {
      const std::string dir = JoinPath(folders_.outbox, day);
      auto files = env_->ListDir(dir);
      if (!files.ok()) continue;
      for (const std::string& f : *files) {
        // A letter or record whose Aktenzeichen the journal does not know
        // was written by a run that died before committing (either file
        // may be missing, depending on when it died).
        std::string az;
        for (const char* suffix : {".decision.xml", ".pdf"}) {
          const size_t n = std::char_traits<char>::length(suffix);
          if (f.size() > n && f.compare(f.size() - n, n, suffix) == 0) {
            az = f.substr(0, f.size() - n);
          }
        }
        if (!az.empty() && f.front() != '.') {
          auto known = journal_->HasDecision(az);
          if (!known.ok()) return known.status();
          if (!*known) {
            log_.warning("rolling back uncommitted output " + f);
            env_->Remove(JoinPath(dir, f));
          }
        } else if (f.front() == '.' && f.size() > 4 &&
                   f.compare(f.size() - 4, 4, ".tmp") == 0) {
          env_->Remove(JoinPath(dir, f));
        }
      }
    }
  }
  // 2. Files left in processing/ are finished: an input whose decision was
  //    committed but not yet archived is archived; everything else is
  //    processed again (a number taken before the crash is never reused).
  auto claimed = env_->ListDir(folders_.processing);
  if (!claimed.ok()) return claimed.status();
  std::sort(claimed->begin(), claimed->end());
  for (const std::string& f : *claimed) {
    const std::string path = JoinPath(folders_.processing, f);
    if (f.front() == '.' ||
        (f.size() > 10 && f.find(".part-move") != std::string::npos)) {
      env_->Remove(path);
      continue;
    }
    std::string name = OriginalName(f);
    if (name.empty()) name = f;
    const pipeline::Input input{path, name};
    auto bytes = env_->ReadFile(path, settings_.intake_max_bytes);
    if (bytes.ok()) {
      auto earlier = journal_->FindInput(pipeline::Sha256Hex(*bytes));
      if (earlier.ok() && *earlier &&
          (*earlier)->state == store::InputState::kDecided) {
        const std::string dir =
            JoinPath(folders_.archive, (*earlier)->aktenzeichen);
        auto archived = env_->ListDir(dir);
        if (!archived.ok() || archived->empty()) {
          Status s = sink_.Archive(input, (*earlier)->aktenzeichen);
          if (!s.ok()) return s;
          log_.information("file=" + name + " outcome=decided aktenzeichen=" +
                           (*earlier)->aktenzeichen + " recovered=archived");
          continue;
        }
      }
    }
    log_.information("file=" + name + " recovered=requeued");
    std::lock_guard<std::mutex> lock(mu_);
    EnqueueLocked(Item{input, false, 0});
  }
  return Status::Ok();
}

void Watcher::ScanLoop() {
  double next_full = 0;
  while (!stopping_) {
    const double now = Now();
    bool pending = false;
    {
      std::map<std::string, bool> seen;
      ScanInbox(folders_.inbox, now, seen);
      std::lock_guard<std::mutex> lock(mu_);
      for (auto it = observed_.begin(); it != observed_.end();) {
        it = seen.count(it->first) ? std::next(it) : observed_.erase(it);
      }
      pending = !observed_.empty();
      // Retries that are due go back to the queue.
      for (auto it = retries_.begin(); it != retries_.end();) {
        if (it->first <= now) {
          EnqueueLocked(std::move(it->second));
          it = retries_.erase(it);
        } else {
          pending = true;
          ++it;
        }
      }
    }
    Watchdog(now);
    next_full = now + watch_.rescan_seconds;
    // Files waiting to become stable need a look every second; otherwise
    // sleep until the next full scan or an inotify event.
    const double wait = pending ? 1.0 : next_full - Now();
    pollfd fds[2] = {{wake_fd_, POLLIN, 0}, {inotify_fd_, POLLIN, 0}};
    const int nfds = inotify_fd_ >= 0 ? 2 : 1;
    const int rc =
        ::poll(fds, nfds, static_cast<int>(std::max(0.0, wait) * 1000));
    if (rc > 0) {
      char buf[8192];
      if (fds[0].revents & POLLIN) (void)!::read(wake_fd_, buf, sizeof buf);
      if (nfds == 2 && (fds[1].revents & POLLIN)) ReadInotifyEvents();
    }
  }
}

// Notes which files were moved in or closed after writing; everything else
// only wakes the scan.
void Watcher::ReadInotifyEvents() {
  alignas(inotify_event) char buf[16384];
  while (true) {
    const ssize_t n = ::read(inotify_fd_, buf, sizeof buf);
    if (n <= 0) break;
    std::lock_guard<std::mutex> lock(mu_);
    for (ssize_t at = 0; at < n;) {
      const auto* e = reinterpret_cast<const inotify_event*>(buf + at);
      at += static_cast<ssize_t>(sizeof(inotify_event) + e->len);
      if (e->len == 0 || !(e->mask & (IN_MOVED_TO | IN_CLOSE_WRITE))) continue;
      auto dir = watched_dirs_.find(e->wd);
      if (dir != watched_dirs_.end()) {
        written_.insert(JoinPath(dir->second, e->name));
      }
    }
  }
}

void Watcher::ScanInbox(const std::string& dir, double now,
                        std::map<std::string, bool>& seen) {
  if (inotify_fd_ >= 0) {
    const int wd = ::inotify_add_watch(inotify_fd_, dir.c_str(), kInotifyMask);
    if (wd >= 0) {
      std::lock_guard<std::mutex> lock(mu_);
      watched_dirs_[wd] = dir;
    }
  }
  auto names = env_->ListDir(dir);
  if (!names.ok()) {
    log_.error("cannot scan " + dir + ": " + names.status().message());
    return;
  }
  std::sort(names->begin(), names->end());
  for (const std::string& name : *names) {
    if (stopping_) return;
    if (IsIgnored(name, watch_.ignore)) continue;
    const std::string path = JoinPath(dir, name);
    auto info = env_->Stat(path);
    if (!info.ok()) continue;  // vanished meanwhile
    if (info->is_directory) {
      ScanInbox(path, now, seen);
      continue;
    }
    seen[path] = true;
    const int64_t mtime_ns =
        info->mtime_unix * 1000000000LL + info->mtime_nanos;
    double changed_at;
    bool written = false;
    {
      std::lock_guard<std::mutex> lock(mu_);
      written = written_.erase(path) > 0;
      auto [it, inserted] = observed_.try_emplace(path);
      Observation& o = it->second;
      if (inserted || o.size != info->size || o.mtime_ns != mtime_ns) {
        o.size = info->size;
        o.mtime_ns = mtime_ns;
        o.changed_at = now;
      }
      changed_at = o.changed_at;
    }
    const bool stable = now - changed_at >= watch_.stable_seconds;
    if (!stable && !written) continue;
    // Is it complete? (Oversized files are claimed and rejected.)
    auto bytes = env_->ReadFile(path, settings_.intake_max_bytes);
    bool complete = true;
    if (bytes.ok()) {
      const FileKind kind = Sniff(*bytes);
      complete = LooksComplete(kind, *bytes);
      // Only XML is trusted before the stability window has passed: its
      // end tag proves it complete. Scans wait for the window.
      if (!stable && !(complete && kind == FileKind::kXml)) continue;
    } else if (!stable || bytes.status().code() != StatusCode::kInvalidInput) {
      continue;  // unreadable right now (permissions, vanished): next scan
    }
    if (complete) {
      Claim(path, false);
    } else if (now - changed_at >= watch_.incomplete_seconds) {
      Claim(path, true);
    }
  }
}

void Watcher::Claim(const std::string& path, bool truncated) {
  const std::string name = BaseName(path);
  uint64_t n;
  {
    std::lock_guard<std::mutex> lock(mu_);
    n = ++claim_counter_;
  }
  const std::string id = std::to_string(env_->NowUnix()) + "-" +
                         std::to_string(::getpid()) + "-" + std::to_string(n);
  const std::string dest = JoinPath(folders_.processing, ClaimedName(id, name));
  Status s = env_->MoveFile(path, dest);
  if (!s.ok()) {
    log_.warning("cannot claim " + path + ": " + s.message() + " (will retry)");
    return;
  }
  std::lock_guard<std::mutex> lock(mu_);
  observed_.erase(path);
  EnqueueLocked(Item{pipeline::Input{dest, name}, truncated, 0});
}

void Watcher::EnqueueLocked(Item item) {
  item.ticket = next_ticket_++;
  queue_.push_back(std::move(item));
  work_cv_.notify_one();
}

void Watcher::WorkerLoop(size_t index) {
  while (true) {
    Item item;
    {
      std::unique_lock<std::mutex> lock(mu_);
      work_cv_.wait(lock, [&] { return stopping_ || !queue_.empty(); });
      if (stopping_) break;  // queued files stay in processing/ for next start
      item = std::move(queue_.front());
      queue_.pop_front();
      in_flight_[index] = InFlight{item.input.name, Now(), true};
    }
    bool ticket_passed = false;
    try {
      Handle(item, index, &ticket_passed);
    } catch (const std::exception& e) {
      log_.error("file=" + item.input.name +
                 " outcome=failed error=" + e.what());
      Retry(item);
    } catch (...) {
      log_.error("file=" + item.input.name + " outcome=failed");
      Retry(item);
    }
    // Whatever happened, the next file's decision must not wait for this
    // one forever.
    if (!ticket_passed) pipeline_->PassTicket(item.ticket);
    const bool finished =
        !env_->Stat(item.input.path).ok();  // left processing/
    std::lock_guard<std::mutex> lock(mu_);
    in_flight_[index].active = false;
    if (finished) retry_count_.erase(item.input.path);
  }
  std::lock_guard<std::mutex> lock(mu_);
  --running_workers_;
  done_cv_.notify_all();
}

void Watcher::Handle(const Item& item, size_t index, bool* ticket_passed) {
  const double started = Now();
  const pipeline::Input& input = item.input;
  auto bytes = env_->ReadFile(input.path, settings_.intake_max_bytes);
  if (!bytes.ok()) {
    if (bytes.status().code() == StatusCode::kInvalidInput) {
      auto o = pipeline_->RejectInput(input, "",
                                      "Die Datei '" + input.name +
                                          "' wurde nicht bearbeitet.\n  " +
                                          bytes.status().message(),
                                      sink_);
      Log(item, pipeline::ToString(o.kind), o.message, started, true);
    } else {
      Log(item, "failed", bytes.status().message(), started, true);
      Retry(item);
    }
    return;
  }
  const std::string sha = pipeline::Sha256Hex(*bytes);
  if (item.truncated) {
    auto o = pipeline_->RejectInput(
        input, sha,
        "Die Datei '" + input.name +
            "' wurde nicht bearbeitet.\n  Sie ist seit " +
            std::to_string(watch_.incomplete_seconds) +
            " Sekunden unverändert, aber unvollständig (vermutlich wurde die "
            "Übertragung abgebrochen). Bitte legen Sie die Datei vollständig "
            "erneut ab.",
        sink_);
    Log(item, pipeline::ToString(o.kind), "truncated", started, true);
    if (o.kind == pipeline::Outcome::Kind::kFailed) Retry(item);
    return;
  }
  const FileKind kind = Sniff(*bytes);
  if (kind == FileKind::kScan) {
    Status s = sink_.SendToReview(input, ScanNote(input.name));
    if (!s.ok()) {
      Log(item, "failed", s.message(), started, true);
      Retry(item);
    } else {
      Log(item, "review", "scanned form", started);
    }
    return;
  }
  if (kind == FileKind::kOther) {
    auto o = pipeline_->RejectInput(
        input, sha,
        "Die Datei '" + input.name +
            "' wurde nicht bearbeitet.\n  Ihr Format wird nicht unterstützt. "
            "Angenommen werden Anträge als XML aus dem Antragsportal und "
            "gescannte Formulare (PDF, TIFF, PNG, JPEG).",
        sink_);
    Log(item, pipeline::ToString(o.kind), "unsupported format", started, true);
    if (o.kind == pipeline::Outcome::Kind::kFailed) Retry(item);
    return;
  }

  auto attempts = journal_->BeginAttempt(sha, input.name);
  if (!attempts.ok()) {
    Log(item, "failed", attempts.status().message(), started, true);
    Retry(item);
    return;
  }
  if (*attempts > watch_.max_attempts) {
    auto o = pipeline_->RejectInput(
        input, sha,
        "Die Datei '" + input.name +
            "' wurde nicht bearbeitet.\n  Ihre Verarbeitung wurde " +
            std::to_string(*attempts - 1) +
            "-mal abgebrochen (Absturz oder Zeitüberschreitung). Bitte wenden "
            "Sie sich an den IT-Betrieb und geben Sie den Dateinamen an.",
        sink_);
    journal_->FinishAttempt(sha);
    Log(item, pipeline::ToString(o.kind), "gave up after crashes", started,
        true);
    return;
  }
  *ticket_passed = true;  // the pipeline passes it on, whatever happens
  pipeline::Outcome o = pipeline_->ProcessBytes(
      input, *bytes, sha, sink_, renderers_[index].get(), item.ticket);
  const bool crashed_like = o.kind == pipeline::Outcome::Kind::kFailed &&
                            o.failure == StatusCode::kInternal;
  if (!crashed_like) journal_->FinishAttempt(sha);

  switch (o.kind) {
    case pipeline::Outcome::Kind::kDecided: {
      Status s = sink_.Archive(input, o.aktenzeichen);
      if (!s.ok()) {
        log_.error("file=" + input.name + " aktenzeichen=" + o.aktenzeichen +
                   " cannot archive: " + s.message() +
                   " (the letter is out; archived at next start)");
      }
      Log(item, "decided",
          std::string("aktenzeichen=") + o.aktenzeichen +
              " decision=" + core::ToString(o.decision) +
              (o.warning.empty() ? "" : " warning=" + o.warning),
          started, !o.warning.empty());
      break;
    }
    case pipeline::Outcome::Kind::kRejected:
      Log(item, "rejected", "", started, true);
      break;
    case pipeline::Outcome::Kind::kDuplicate:
      Log(item, "duplicate", "aktenzeichen=" + o.aktenzeichen, started, true);
      break;
    case pipeline::Outcome::Kind::kFailed:
      Log(item, "failed", "error=" + o.message + " (kept, retried later)",
          started, true);
      Retry(item);
      break;
  }
}

void Watcher::Retry(Item item) {
  {
    std::lock_guard<std::mutex> lock(mu_);
    const int n = ++retry_count_[item.input.path];
    const double delay = std::min(600.0, 5.0 * (1 << std::min(n - 1, 7)));
    retries_.emplace_back(Now() + delay, std::move(item));
  }
  // The scanner may be asleep until the next full scan: let it plan for
  // the retry.
  const uint64_t one = 1;
  (void)!::write(wake_fd_, &one, sizeof one);
}

void Watcher::Watchdog(double now) {
  std::lock_guard<std::mutex> lock(mu_);
  for (const InFlight& f : in_flight_) {
    if (f.active && now - f.since > watch_.timeout_seconds) {
      // A thread cannot be stopped safely. Exit so that the service manager
      // restarts us; the journal counted this attempt, and after
      // intake.max-attempts the file is rejected instead of retried.
      log_.fatal("file=" + f.name + " exceeded intake.timeout-seconds (" +
                 std::to_string(watch_.timeout_seconds) +
                 " s); exiting for a restart");
      std::_Exit(75);
    }
  }
}

void Watcher::Log(const Item& item, const char* outcome,
                  const std::string& detail, double started, bool warning) {
  const long ms = static_cast<long>((Now() - started) * 1000);
  std::string line = "file=" + item.input.name + " outcome=" + outcome;
  if (!detail.empty()) line += " " + detail;
  line += " ms=" + std::to_string(ms);
  if (warning) {
    log_.warning(line);
  } else {
    log_.information(line);
  }
}

}  // namespace bescheid::daemon
