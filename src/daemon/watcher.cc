#include "daemon/watcher.h"

#include <poll.h>
#include <sys/eventfd.h>
#include <sys/inotify.h>
#include <unistd.h>

#include <algorithm>
#include <cstdio>
#include <cstdlib>

#include "core/decision.h"
#include "core/text.h"
#include "daemon/intake_check.h"
#include "daemon/release.h"
#include "scan/intake.h"

namespace bescheid::daemon {
namespace {

constexpr uint32_t kInotifyMask = IN_CREATE | IN_MOVED_TO | IN_CLOSE_WRITE |
                                  IN_MODIFY | IN_ATTRIB | IN_DELETE_SELF;

// Longest wait between two tries of a file that cannot be read (seconds).
constexpr double kMaxReadBackoff = 300;

// An XML file unchanged for watch.stable-seconds plus this long that still
// lacks its end is rejected as truncated (seconds).
constexpr double kTruncatedXmlGrace = 5;

std::string NotProcessed(const std::string& name) {
  return "Die Datei '" + name + "' wurde nicht bearbeitet.\n  ";
}

// A log value in logfmt: quoted when it holds a space, '"' or '='. Names
// are safe file names already (no control characters).
std::string LogValue(const std::string& v) {
  if (v.find_first_of(" \"=") == std::string::npos && !v.empty()) return v;
  std::string out = "\"";
  for (char c : v) {
    if (c == '"' || c == '\\') out += '\\';
    out += c;
  }
  return out + "\"";
}

// Valid UTF-8 without control characters other than tab and line breaks:
// a text a person wrote (not a document format or other binary data).
bool LooksLikeText(std::string_view bytes) {
  for (const char c : bytes) {
    const unsigned char u = static_cast<unsigned char>(c);
    if ((u < 0x20 && c != '\t' && c != '\n' && c != '\r') || u == 0x7F) {
      return false;
    }
  }
  return core::IsValidUtf8(bytes);
}

// A scan (PDF, TIFF, PNG, JPEG, ...) by its first bytes: the pipeline
// decodes and reads it.
bool IsScan(std::string_view bytes) {
  const scan::FileKind k = scan::SniffFileKind(bytes.substr(0, 1024));
  return Sniff(bytes) == FileKind::kScan ||
         (k != scan::FileKind::kXml && k != scan::FileKind::kUnknown);
}

bool EndsWith(const std::string& s, const std::string& suffix) {
  return s.size() >= suffix.size() &&
         s.compare(s.size() - suffix.size(), suffix.size(), suffix) == 0;
}

// The number of an Aktenzeichen "<prefix><digits>", or 0.
int64_t NumberOf(const std::string& aktenzeichen, const std::string& prefix) {
  if (aktenzeichen.size() <= prefix.size() ||
      aktenzeichen.compare(0, prefix.size(), prefix) != 0) {
    return 0;
  }
  int64_t n = 0;
  for (size_t i = prefix.size(); i < aktenzeichen.size(); ++i) {
    const char c = aktenzeichen[i];
    if (c < '0' || c > '9' || n > (int64_t{1} << 50)) return 0;
    n = n * 10 + (c - '0');
  }
  return n;
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

Status Watcher::Start(const StartOptions& options) {
  Status s = LockRoot();
  if (!s.ok()) return s;
  const size_t n = watch_.workers > 0
                       ? static_cast<size_t>(watch_.workers)
                       : std::max(1u, std::thread::hardware_concurrency());
  // Before the folders appear: from then on files are expected to be
  // watched soon, and loading OCR models takes a while.
  s = MakeScanReaders(n);
  if (!s.ok()) return s;
  s = folders_.Create(env_);
  if (!s.ok()) return s;
  s = CheckJournalAgainstFolders(options);
  if (!s.ok()) return s;
  s = PrepareWorkers(n);
  if (!s.ok()) return s;
  s = Recover(options);
  if (!s.ok()) return s;
  {
    std::lock_guard<std::mutex> guard(mu_);
    running_workers_ = n + 1;
    started_workers_ = n + 1;
    scanner_running_ = true;
    watchdog_running_ = true;
  }
  // Workers 0..n-1, then the XML lane.
  for (size_t i = 0; i <= n; ++i)
    workers_.emplace_back([this, i] { WorkerLoop(i); });
  scanner_ = std::thread([this] { ScanLoop(); });
  watchdog_ = std::thread([this] { WatchdogLoop(); });
  log_.information("watching " + folders_.inbox + " with " + std::to_string(n) +
                   " worker(s) and an XML lane" +
                   (inotify_fd_ < 0 ? " (polling)" : ""));
  return Status::Ok();
}

Status Watcher::LockRoot() {
  // A missing root is a mistake (a typo in watch.root would otherwise make
  // the service watch a folder nobody uses): never created here.
  auto root = env_->Stat(folders_.root);
  if (!root.ok() || root->type != FileType::kDirectory) {
    return ConfigError("Der Ablageordner (watch.root) '" + folders_.root +
                       "' existiert nicht oder ist kein Ordner. Legen Sie "
                       "ihn an (beschreibbar für den Dienst) oder "
                       "korrigieren Sie watch.root in der Konfiguration.");
  }
  auto lock = env_->LockFile(JoinPath(folders_.root, ".bescheid.lock"));
  if (!lock.ok()) {
    const std::string& m = lock.status().message();
    const size_t pid = m.find("(pid ");
    return ConfigError(
        "Der Ablageordner '" + folders_.root +
        "' wird bereits von einem anderen bescheid-Dienst überwacht" +
        (pid == std::string::npos
             ? " (" + m + ")"
             : " (Prozess " + m.substr(pid + 5, m.find(')', pid) - pid - 5) +
                   ")") +
        ". Zwei Dienste auf einem Ablageordner würden Aktenzeichen doppelt "
        "vergeben; beenden Sie zuerst den anderen Dienst.");
  }
  root_lock_ = std::move(lock).value();
  return Status::Ok();
}

Status Watcher::PrepareWorkers(size_t n) {
  // One renderer more than workers: the XML lane's.
  for (size_t i = 0; i <= n; ++i) {
    auto r =
        letters::LetterRenderer::Create(pipeline::MakeLetterOptions(settings_));
    if (!r.ok()) return r.status();
    renderers_.push_back(std::move(r).value());
  }
  in_flight_.resize(n + 1);
  scan_slots_ = n;
  wake_fd_ = ::eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);
  if (wake_fd_ < 0) return IoError("eventfd failed");
  if (!watch_.polling) {
    inotify_fd_ = ::inotify_init1(IN_CLOEXEC | IN_NONBLOCK);
    if (inotify_fd_ < 0) {
      log_.warning("inotify unavailable; scanning every " +
                   std::to_string(watch_.rescan_seconds) + " s only");
    }
    // Watched before Start returns: a file renamed in from then on is seen
    // as renamed (subfolders are added by the scans).
    WatchFolder(folders_.inbox);
  }
  return Status::Ok();
}

Status Watcher::Recover(const StartOptions& options) {
  if (!options.init) {
    Status s = RollBackUncommittedOutputs();
    if (!s.ok()) return s;
  }
  if (Result<int> moved = RecoverInterruptedReleases(env_, journal_, folders_);
      !moved.ok()) {
    return moved.status();
  } else if (*moved > 0) {
    log_.warning("release interrupted: " + std::to_string(*moved) +
                 " files of drafts moved back from outbox/ to entwurf/");
  }
  return RecoverProcessing();
}

// Here, before any worker runs: an OCR engine made while another worker
// recognises would race on Tesseract's global parameters.
Status Watcher::MakeScanReaders(size_t n) {
  for (size_t i = 0; i < n; ++i) {
    if (!scan_reader_factory_) {
      scan_readers_.push_back(nullptr);
      continue;
    }
    auto reader = scan_reader_factory_();
    if (!reader.ok()) return reader.status();
    Status prepared = (*reader)->Prepare();
    if (!prepared.ok()) {
      return ConfigError(
          "Die Texterkennung für gescannte Anträge konnte nicht gestartet "
          "werden (" +
          prepared.message() +
          "). Prüfen Sie scan.tessdata in der Konfiguration und ob das "
          "deutsche Sprachmodell (Paket tesseract-ocr-deu) installiert ist.");
    }
    scan_readers_.push_back(std::move(reader).value());
  }
  return Status::Ok();
}

// A journal that knows no decision while the folders show committed ones
// (archive/ is written only after a commit) was lost or is the wrong one:
// starting would hand out Aktenzeichen a second time.
Status Watcher::CheckJournalAgainstFolders(const StartOptions& options) {
  Result<int64_t> last = journal_->LastSequence();
  if (!last.ok()) return last.status();
  const std::string& prefix = settings_.aktenzeichen_prefix;
  int64_t archived = 0, highest = 0;
  if (auto names = env_->ListDir(folders_.archive); names.ok()) {
    for (const std::string& az : *names) {
      archived = std::max(archived, NumberOf(az, prefix));
    }
  }
  highest = archived;
  if (auto days = env_->ListDir(folders_.outbox); days.ok()) {
    for (const std::string& day : *days) {
      auto files = env_->ListDir(JoinPath(folders_.outbox, day));
      if (!files.ok()) continue;
      for (const std::string& f : *files) {
        highest =
            std::max(highest, NumberOf(pipeline::DocumentOfOutput(f), prefix));
      }
    }
  }
  if (*last > 0 || archived == 0) return Status::Ok();
  if (!options.init) {
    return ConfigError(
        "Das Journal (store.path = '" + settings_.store_path +
        "') enthält keine Entscheidung, im Ablageordner '" + folders_.root +
        "' liegen aber schon Bescheide (bis Aktenzeichen " + prefix +
        std::to_string(archived) +
        "). Mit einem leeren Journal würden Aktenzeichen doppelt vergeben "
        "und Gemeinden doppelt gefördert. Prüfen Sie store.path oder stellen "
        "Sie das Journal aus der Datensicherung wieder her. Nur wenn bewusst "
        "mit einem neuen Journal weitergearbeitet werden soll: bescheid watch "
        "--init.");
  }
  pipeline_->SetNumberFloor(highest);
  log_.warning("--init: starting a new journal; numbering continues after " +
               prefix + std::to_string(highest) +
               " and earlier outputs are kept as they are");
  return Status::Ok();
}

// Outputs written without a journal entry (a crash between writing and
// committing) are rolled back; their input is still in processing/.
// Outputs are matched to decisions by document name, so that the letters
// of an earlier decision under the same Aktenzeichen (a request answered
// later) always stay. Leftover temporary files go as well.
Status Watcher::RollBackUncommittedOutputs() {
  for (const std::string* dir :
       {&folders_.rejected, &folders_.duplicates, &folders_.review}) {
    RemoveTemporaries(*dir);
  }
  std::vector<std::string> dirs = {folders_.drafts};
  if (auto days = env_->ListDir(folders_.outbox); days.ok()) {
    for (const std::string& day : *days) {
      dirs.push_back(JoinPath(folders_.outbox, day));
    }
  }
  for (const std::string& dir : dirs) {
    auto files = env_->ListDir(dir);
    if (!files.ok()) continue;
    for (const std::string& f : *files) {
      const std::string document = pipeline::DocumentOfOutput(f);
      if (!document.empty()) {
        auto known = journal_->HasOutputs(document);
        if (!known.ok()) return known.status();
        if (!*known) {
          log_.warning("rolling back uncommitted output " + LogValue(f));
          (void)env_->Remove(JoinPath(dir, f));
        }
      }
    }
    RemoveTemporaries(dir);
  }
  return Status::Ok();
}

void Watcher::RemoveTemporaries(const std::string& dir) {
  auto files = env_->ListDir(dir);
  if (!files.ok()) return;
  for (const std::string& f : *files) {
    if (f.front() == '.' &&
        (EndsWith(f, ".tmp") || EndsWith(f, ".part-move"))) {
      (void)env_->Remove(JoinPath(dir, f));
    }
  }
}

// Files left in processing/ are finished in claim order: an input whose
// decision was committed but not yet archived is archived; everything else
// is processed again. Links and special files are moved to rejected/;
// files from an older naming scheme get claim numbers after the others.
Status Watcher::RecoverProcessing() {
  auto entries = env_->ListDir(folders_.processing);
  if (!entries.ok()) return entries.status();
  std::sort(entries->begin(), entries->end());
  std::map<uint64_t, bool> claims;  // claim -> has data
  std::vector<std::string> legacy;
  for (const std::string& f : *entries) {
    const std::string path = JoinPath(folders_.processing, f);
    auto info = env_->Stat(path);
    if (!info.ok()) continue;
    if (info->type == FileType::kDirectory) {
      log_.warning("ignoring folder in processing/: " + LogValue(f));
      continue;
    }
    if (f.front() == '.') {
      (void)env_->Remove(path);  // a temporary file of an interrupted write
      continue;
    }
    if (info->type != FileType::kRegular) {
      RejectEntry(path,
                  NotRegularFileReason(core::SafeFileName(f), info->type));
      continue;
    }
    if (auto c = ParseClaimEntry(f)) {
      claims[c->claim] = claims[c->claim] || !c->is_name_file;
      next_claim_ = std::max(next_claim_, c->claim + 1);
    } else {
      legacy.push_back(f);
    }
  }
  for (const auto& [claim, has_data] : claims) {
    if (!has_data) {  // the claim's rename never happened, or it finished
      (void)env_->Remove(JoinPath(folders_.processing, ClaimNameFile(claim)));
      continue;
    }
    Status s = RecoverClaim(claim);
    if (!s.ok()) return s;
  }
  for (const std::string& f : legacy) {
    const uint64_t claim = next_claim_++;
    const size_t sep = f.find("__");
    const std::string raw = sep == std::string::npos ? f : f.substr(sep + 2);
    Status s = env_->WriteFileAtomic(
        JoinPath(folders_.processing, ClaimNameFile(claim)),
        EncodeNameFile(raw));
    if (s.ok()) {
      s = env_->MoveFile(JoinPath(folders_.processing, f),
                         JoinPath(folders_.processing, ClaimDataName(claim)));
    }
    if (s.ok()) s = RecoverClaim(claim);
    if (!s.ok()) return s;
  }
  return Status::Ok();
}

// Whether archive/<aktenzeichen>/ holds a file with these bytes: then a
// file with them in processing/ is a second copy, not the decided one
// (which an answered request's Aktenzeichen holds beside the request's).
bool Watcher::ArchiveHolds(const std::string& aktenzeichen,
                           const std::string& sha256) {
  const std::string dir = JoinPath(folders_.archive, aktenzeichen);
  auto names = env_->ListDir(dir);
  if (!names.ok()) return false;
  for (const std::string& name : *names) {
    auto bytes = env_->ReadFile(JoinPath(dir, name), settings_.MaxInputBytes());
    if (bytes.ok() && pipeline::Sha256Hex(*bytes) == sha256) return true;
  }
  return false;
}

Status Watcher::RecoverClaim(uint64_t claim) {
  const std::string path = JoinPath(folders_.processing, ClaimDataName(claim));
  auto name_file = env_->ReadFile(
      JoinPath(folders_.processing, ClaimNameFile(claim)), 64 * 1024);
  std::string name =
      name_file.ok() ? DisplayNameFromNameFile(*name_file) : std::string();
  if (name.empty()) name = "unbenannt-" + std::to_string(claim);
  Item item{pipeline::Input{path, name, claim}, false, 0};
  auto bytes = env_->ReadFile(path, settings_.MaxInputBytes());
  if (bytes.ok()) {
    item.scan = IsScan(*bytes);
    auto earlier = journal_->FindInput(pipeline::Sha256Hex(*bytes));
    if (earlier.ok() && *earlier &&
        (*earlier)->state == store::InputState::kDecided) {
      const std::string& az = (*earlier)->aktenzeichen;
      if (!ArchiveHolds(az, pipeline::Sha256Hex(*bytes))) {
        Status s = sink_.Archive(item.input, az);
        if (!s.ok()) return s;
        (void)env_->Remove(JoinPath(folders_.processing, ClaimNameFile(claim)));
        log_.information("file=" + LogValue(name) +
                         " outcome=decided aktenzeichen=" + az +
                         " recovered=archived");
        return Status::Ok();
      }
    }
  }
  log_.information("file=" + LogValue(name) +
                   " claim=" + std::to_string(claim) + " recovered=requeued");
  std::lock_guard<std::mutex> lock(mu_);
  EnqueueLocked(item);
  return Status::Ok();
}

void Watcher::ScanLoop() {
  try {
    while (!stopping_) {
      const double now = Now();
      {
        std::lock_guard<std::mutex> lock(mu_);
        scan_started_ = now;
      }
      ScanOnce(now);
      bool pending;
      {
        std::lock_guard<std::mutex> lock(mu_);
        scan_started_ = -1;
        pending = !observed_.empty() || !retries_.empty();
      }
      // Files waiting to become stable (or retries) need a look every
      // second; otherwise sleep until the next full scan or an event.
      const double wait = pending ? 1.0 : now + watch_.rescan_seconds - Now();
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
  } catch (const std::exception& e) {
    Fatal(std::string("scanner failed: ") + e.what());
  } catch (...) {
    Fatal("scanner failed");
  }
  std::lock_guard<std::mutex> lock(mu_);
  scanner_running_ = false;
  done_cv_.notify_all();
}

// Files are taken in the order they were first seen (by name within one
// scan). Complete XML that was closed or renamed in is taken before its
// stability window, but never past an earlier file still waiting for its
// window: files present before the watch began have no event, and one
// dropped after them must not overtake them (it could take their grant).
void Watcher::ScanOnce(double now) {
  std::vector<Found> found;
  ScanInbox(folders_.inbox, 0, found);
  std::vector<std::pair<Observation, const Found*>> files;
  files.reserve(found.size());
  {
    std::lock_guard<std::mutex> lock(mu_);
    std::set<std::string> seen;
    for (const Found& f : found) seen.insert(f.path);
    for (auto it = observed_.begin(); it != observed_.end();) {
      it = seen.count(it->first) ? std::next(it) : observed_.erase(it);
    }
    for (const Found& f : found) files.emplace_back(ObserveLocked(f, now), &f);
  }
  std::sort(files.begin(), files.end(), [](const auto& a, const auto& b) {
    return a.first.seen < b.first.seen;
  });
  bool held = false;
  for (const auto& [o, f] : files) {
    if (stopping_) return;
    held = ConsiderFile(f->path, o, now, !held) || held;
  }
  std::lock_guard<std::mutex> lock(mu_);
  // Retries that are due go back to the queue.
  for (auto it = retries_.begin(); it != retries_.end();) {
    if (it->first <= now) {
      EnqueueLocked(std::move(it->second));
      it = retries_.erase(it);
    } else {
      ++it;
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
        const std::string path = JoinPath(dir->second, e->name);
        written_.insert(path);
        if (e->mask & IN_MOVED_TO) moved_in_.insert(path);
      }
    }
  }
}

void Watcher::WatchFolder(const std::string& dir) {
  if (inotify_fd_ < 0) return;
  const int wd = ::inotify_add_watch(inotify_fd_, dir.c_str(),
                                     kInotifyMask | IN_DONT_FOLLOW);
  if (wd >= 0) {
    std::lock_guard<std::mutex> lock(mu_);
    watched_dirs_[wd] = dir;
  }
}

void Watcher::ScanInbox(const std::string& dir, int depth,
                        std::vector<Found>& found) {
  WatchFolder(dir);
  auto names = env_->ListDir(dir);
  if (!names.ok()) {
    std::lock_guard<std::mutex> lock(mu_);
    if (warned_.insert(dir).second) {
      log_.error("cannot scan " + LogValue(core::SafeFileName(dir)) + ": " +
                 names.status().message());
    }
    return;
  }
  std::sort(names->begin(), names->end());
  for (const std::string& name : *names) {
    if (stopping_) return;
    if (IsIgnored(name, watch_.ignore)) continue;
    const std::string path = JoinPath(dir, name);
    auto info = env_->Stat(path);  // lstat: links are seen as links
    if (!info.ok()) continue;      // vanished meanwhile
    switch (info->type) {
      case FileType::kDirectory:
        if (depth + 1 < kMaxInboxDepth) {
          ScanInbox(path, depth + 1, found);
        } else {
          std::lock_guard<std::mutex> lock(mu_);
          if (warned_.insert(path).second) {
            log_.warning("folder nested deeper than " +
                         std::to_string(kMaxInboxDepth) +
                         " levels is not scanned: " +
                         LogValue(core::SafeFileName(path)));
          }
        }
        break;
      case FileType::kSymlink:
      case FileType::kOther:
        RejectEntry(path,
                    NotRegularFileReason(core::SafeFileName(name), info->type));
        break;
      case FileType::kRegular:
        found.push_back(Found{path, *info});
        break;
    }
  }
}

Watcher::Observation Watcher::ObserveLocked(const Found& file, double now) {
  const int64_t mtime_ns =
      file.info.mtime_unix * 1000000000LL + file.info.mtime_nanos;
  auto [it, inserted] = observed_.try_emplace(file.path);
  Observation& o = it->second;
  if (inserted) o.seen = next_seen_++;
  if (inserted || o.size != file.info.size || o.mtime_ns != mtime_ns) {
    o.size = file.info.size;
    o.mtime_ns = mtime_ns;
    o.changed_at = now;
    o.scan = false;
    o.moved_in = false;
    o.written = false;
  }
  if (written_.erase(file.path) > 0) o.written = true;
  if (moved_in_.erase(file.path) > 0) o.moved_in = true;
  return o;
}

bool Watcher::ConsiderFile(const std::string& path, const Observation& o,
                           double now, bool may_take_early) {
  if (now < o.next_read) return false;
  const bool stable = now - o.changed_at >= watch_.stable_seconds;
  if (!stable) {
    // A scan written in place waits for its window; it holds nothing back,
    // as scans are taken only as workers free up anyway.
    if (o.scan && !o.moved_in) return false;
    if (!may_take_early || !(o.written || o.moved_in)) return !o.scan;
  }
  // A scan waits in the inbox until a worker is free for it.
  if (o.scan && !ScanSlotFree()) return false;
  // Is it complete? (Oversized files are claimed and rejected.)
  auto bytes = env_->ReadFile(path, settings_.MaxInputBytes());
  bool complete = true;
  // How long an unfinished file may stay unchanged: XML is written in one
  // go by the portal's export, so it gets its reason soon; scanners may
  // pause between pages.
  double give_up = watch_.incomplete_seconds;
  bool scan = false;
  if (bytes.ok()) {
    const FileKind kind = Sniff(*bytes);
    scan = IsScan(*bytes);
    if (scan) {
      std::lock_guard<std::mutex> lock(mu_);
      observed_[path].scan = true;
    }
    // Only XML is checked for its end; a scan needs only the stability
    // window (the scan intake refuses a truncated one with a reason).
    complete = kind != FileKind::kXml || LooksComplete(kind, *bytes);
    if (kind == FileKind::kXml) {
      give_up = std::min(give_up, watch_.stable_seconds + kTruncatedXmlGrace);
    }
    // Before the stability window has passed only XML is trusted, its
    // end tag proving it complete, and a scan renamed into the folder (a
    // rename is atomic: whoever wrote it has finished). A scan written in
    // place waits for the window, as scanners pause between pages.
    if (!stable && !(complete && kind == FileKind::kXml) &&
        !(scan && o.moved_in)) {
      return !scan;
    }
  } else if (bytes.status().code() != StatusCode::kInvalidInput) {
    std::lock_guard<std::mutex> lock(mu_);
    Observation& ob = observed_[path];
    ++ob.read_failures;
    ob.next_read = now + std::min(kMaxReadBackoff,
                                  double(1 << std::min(ob.read_failures, 9)));
    if (ob.read_failures == 1) {
      log_.warning("file=" + LogValue(core::SafeFileName(BaseName(path))) +
                   " cannot be read (" + bytes.status().message() +
                   "); trying again with growing intervals");
    }
    return false;
  } else if (!stable) {
    return true;
  }
  // Only this thread takes files and workers only free slots, so a free
  // slot is still free at the claim.
  if (scan && !ScanSlotFree()) return false;
  if (complete) {
    Claim(path, false, scan);
  } else if (now - o.changed_at >= give_up) {
    Claim(path, true, scan);
  }
  return false;
}

bool Watcher::ScanSlotFree() const {
  std::lock_guard<std::mutex> lock(mu_);
  return scans_taken_ < scan_slots_;
}

void Watcher::RejectEntry(const std::string& path, const std::string& reason) {
  const std::string name = core::SafeFileName(BaseName(path));
  Status s = sink_.WriteRejection(pipeline::Input{path, name, 0},
                                  NotProcessed(name) + reason);
  if (!s.ok()) {
    // A special file that cannot be moved (another file system) is removed:
    // it holds no data, and the note says what it was.
    (void)env_->Remove(path);
  }
  log_.warning("file=" + LogValue(name) +
               " outcome=rejected reason=not-a-regular-file" +
               (s.ok() ? "" : " removed=true error=" + LogValue(s.message())));
}

void Watcher::Claim(const std::string& path, bool truncated, bool scan) {
  const std::string raw = BaseName(path);
  const std::string name = core::SafeFileName(raw);
  uint64_t claim;
  {
    std::lock_guard<std::mutex> lock(mu_);
    claim = next_claim_++;
  }
  const std::string name_file =
      JoinPath(folders_.processing, ClaimNameFile(claim));
  const std::string dest = JoinPath(folders_.processing, ClaimDataName(claim));
  Status s = env_->WriteFileAtomic(name_file, EncodeNameFile(raw));
  if (s.ok()) {
    s = env_->MoveFile(path, dest);
    if (!s.ok()) (void)env_->Remove(name_file);
  }
  std::lock_guard<std::mutex> lock(mu_);
  if (!s.ok()) {
    Observation& ob = observed_[path];
    ++ob.read_failures;
    ob.next_read = Now() + std::min(kMaxReadBackoff,
                                    double(1 << std::min(ob.read_failures, 9)));
    if (ob.read_failures == 1) {
      log_.warning("file=" + LogValue(name) + " cannot be claimed (" +
                   s.message() + "); trying again with growing intervals");
    }
    return;
  }
  observed_.erase(path);
  Item item{pipeline::Input{dest, name, claim}, truncated, 0};
  item.scan = scan;
  EnqueueLocked(std::move(item));
}

void Watcher::EnqueueLocked(Item item) {
  if (item.scan) {
    item.scan_order = next_scan_order_++;
    ++scans_taken_;
  } else {
    item.ticket = next_ticket_++;
  }
  queue_.push_back(std::move(item));
  work_cv_.notify_all();  // the XML lane may not take it
}

bool Watcher::TakeLocked(bool xml_only, Item* item) {
  auto it = queue_.begin();
  if (xml_only) {
    it = std::find_if(queue_.begin(), queue_.end(),
                      [](const Item& i) { return !i.scan; });
  }
  if (it == queue_.end()) return false;
  *item = std::move(*it);
  queue_.erase(it);
  return true;
}

void Watcher::PassScanTurnLocked(std::unique_lock<std::mutex>& lock,
                                 uint64_t scan_order) {
  scan_turn_cv_.wait(lock, [&] { return next_scan_turn_ == scan_order; });
  ++next_scan_turn_;
  scan_turn_cv_.notify_all();
}

uint64_t Watcher::TakeScanTicket(uint64_t scan_order) {
  std::unique_lock<std::mutex> lock(mu_);
  PassScanTurnLocked(lock, scan_order);
  return next_ticket_++;
}

void Watcher::SkipScanTurn(uint64_t scan_order) {
  std::unique_lock<std::mutex> lock(mu_);
  PassScanTurnLocked(lock, scan_order);
}

void Watcher::GiveUpTurn(const Item& item) {
  if (item.scan) {
    SkipScanTurn(item.scan_order);
  } else {
    pipeline_->PassTicket(item.ticket);
  }
}

void Watcher::WorkerLoop(size_t index) {
  // The last thread is the XML lane (see the file comment).
  const bool xml_only = index == scan_readers_.size();
  try {
    while (true) {
      Item item;
      {
        std::unique_lock<std::mutex> lock(mu_);
        bool took = false;
        work_cv_.wait(lock, [&] {
          took = TakeLocked(xml_only, &item);
          return took || stopping_;
        });
        if (!took) break;  // stopping
        item.releases_seen = releases_;
        if (!stopping_)
          in_flight_[index] = InFlight{item.input.name, Now(), true};
      }
      if (stopping_) {
        // Queued files stay in processing/ for the next start; their
        // places are given up so that no worker waits for them.
        GiveUpTurn(item);
        std::lock_guard<std::mutex> lock(mu_);
        if (item.scan) --scans_taken_;
        continue;
      }
      bool ticket_passed = false;
      try {
        Handle(item, index, &ticket_passed);
      } catch (const std::exception& e) {
        log_.error("file=" + LogValue(item.input.name) +
                   " outcome=failed error=" + LogValue(e.what()));
        Retry(item);
      }
      // Whatever happened, the next file's decision must not wait for
      // this one forever.
      if (!ticket_passed) GiveUpTurn(item);
      {
        std::lock_guard<std::mutex> lock(mu_);
        in_flight_[index].active = false;
        if (item.scan) --scans_taken_;
      }
      if (item.scan) Wake();  // the scanner takes the next scan
    }
  } catch (...) {
    Fatal("worker " + std::to_string(index) + " failed");
  }
  std::lock_guard<std::mutex> lock(mu_);
  --running_workers_;
  done_cv_.notify_all();
}

void Watcher::Handle(const Item& item, size_t index, bool* ticket_passed) {
  const double started = Now();
  const pipeline::Input& input = item.input;
  std::optional<std::string> bytes = ReadClaimed(item, started);
  if (!bytes) return;  // rejected or retried
  const std::string sha = pipeline::Sha256Hex(*bytes);
  if (!IsApplicationXml(item, *bytes, sha, started)) return;

  // Identical inputs in flight at once count as one attempt: a crash that
  // takes both is one crash of these bytes, not two.
  bool counted;
  {
    std::lock_guard<std::mutex> lock(mu_);
    counted = attempts_in_flight_[sha]++ == 0;
  }
  struct Untake {
    Watcher* w;
    const std::string& sha;
    ~Untake() {
      std::lock_guard<std::mutex> lock(w->mu_);
      if (--w->attempts_in_flight_[sha] == 0) w->attempts_in_flight_.erase(sha);
    }
  } untake{this, sha};
  Result<int> attempts =
      counted ? journal_->BeginAttempt(sha, input.name) : Result<int>(1);
  if (!attempts.ok()) {
    Log(item, "failed", "error=" + LogValue(attempts.status().message()),
        started, true);
    pipeline_->HoldAll(input.sequence);
    if (Status h = journal_->Health(); !h.ok()) Fatal(h.message());
    Retry(item);
    return;
  }
  if (*attempts > watch_.max_attempts) {
    RejectClaimed(
        item, sha,
        NotProcessed(input.name) + "Ihre Verarbeitung wurde " +
            std::to_string(*attempts - 1) +
            "-mal abgebrochen (Absturz oder Zeitüberschreitung). Bitte wenden "
            "Sie sich an den IT-Betrieb und geben Sie den Dateinamen an.",
        "gave-up-after-crashes", started);
    (void)journal_->FinishAttempt(sha);
    return;
  }
  *ticket_passed = true;  // the pipeline passes it on, whatever happens
  // A scan takes its place in the order once read: XML taken meanwhile is
  // decided first (see the file comment).
  pipeline::LateTicket late;
  if (item.scan) {
    late = [this, order = item.scan_order] { return TakeScanTicket(order); };
  }
  const pipeline::Outcome o = pipeline_->ProcessBytes(
      input, *bytes, sha, sink_, renderers_[index].get(),
      item.scan ? std::nullopt : std::optional<uint64_t>(item.ticket),
      index < scan_readers_.size() ? scan_readers_[index].get() : nullptr,
      std::move(late));
  const bool crashed_like = o.kind == pipeline::Outcome::Kind::kFailed &&
                            o.failure == StatusCode::kInternal;
  if (!crashed_like && counted) (void)journal_->FinishAttempt(sha);
  HandleOutcome(item, o, started);
}

std::optional<std::string> Watcher::ReadClaimed(const Item& item,
                                                double started) {
  const pipeline::Input& input = item.input;
  auto info = env_->Stat(input.path);
  if (info.ok() && info->type == FileType::kRegular && info->links > 1) {
    RejectClaimed(
        item, "",
        NotProcessed(input.name) +
            "Die Datei hat mehrere Namen (harte Verknüpfung): derselbe Inhalt "
            "ist auch an anderer Stelle abgelegt. Solche Dateien werden aus "
            "Sicherheitsgründen nicht bearbeitet; bitte legen Sie eine Kopie "
            "der Datei ab.",
        "hard-link", started);
    return std::nullopt;
  }
  auto bytes = env_->ReadFile(input.path, settings_.MaxInputBytes());
  if (bytes.ok()) return std::move(bytes).value();
  if (bytes.status().code() == StatusCode::kInvalidInput) {
    RejectClaimed(item, "", NotProcessed(input.name) + bytes.status().message(),
                  "unreadable", started);
    return std::nullopt;
  }
  int failures;
  {
    std::lock_guard<std::mutex> lock(mu_);
    failures = retry_count_[input.sequence];
  }
  if (failures + 1 >= watch_.max_attempts) {
    RejectClaimed(item, "",
                  NotProcessed(input.name) +
                      "Die Datei konnte wiederholt nicht gelesen werden (" +
                      bytes.status().message() +
                      "). Bitte legen Sie sie erneut ab; besteht das "
                      "Problem weiter, wenden Sie sich an den IT-Betrieb.",
                  "unreadable", started);
    return std::nullopt;
  }
  Log(item, "failed", "error=" + LogValue(bytes.status().message()), started,
      true);
  pipeline_->HoldAll(input.sequence);  // its municipalities are unknown
  Retry(item);
  return std::nullopt;
}

bool Watcher::IsApplicationXml(const Item& item, const std::string& bytes,
                               const std::string& sha, double started) {
  const pipeline::Input& input = item.input;
  if (item.truncated) {
    RejectClaimed(item, sha,
                  NotProcessed(input.name) +
                      "Sie ist unvollständig und hat sich seit einiger Zeit "
                      "nicht mehr verändert (vermutlich wurde die "
                      "Übertragung abgebrochen). Bitte legen Sie die Datei "
                      "vollständig erneut ab.",
                  "truncated", started);
    return false;
  }
  if (IsScan(bytes)) return true;  // the pipeline decodes and reads it
  const FileKind kind = Sniff(bytes);
  if (kind == FileKind::kOther && !LooksLikeText(bytes)) {
    RejectClaimed(item, sha,
                  NotProcessed(input.name) +
                      "Ihr Format wird nicht unterstützt. Angenommen werden "
                      "Anträge als XML aus dem Antragsportal und gescannte "
                      "Formulare (PDF, TIFF, PNG, JPEG).",
                  "unsupported-format", started);
    return false;
  }
  return true;  // XML, or text: the reader tells a clerk what it is
}

void Watcher::HandleOutcome(const Item& item, const pipeline::Outcome& o,
                            double started) {
  switch (o.kind) {
    case pipeline::Outcome::Kind::kDecided: {
      Status s = sink_.Archive(item.input, o.aktenzeichen);
      if (!s.ok()) {
        log_.error("file=" + LogValue(item.input.name) +
                   " aktenzeichen=" + o.aktenzeichen +
                   " cannot archive: " + LogValue(s.message()) +
                   " (the letter is out; archived at next start)");
      }
      Log(item, "decided",
          std::string("aktenzeichen=") + o.aktenzeichen +
              " decision=" + core::ToString(o.decision) +
              (o.warning.empty() ? "" : " warning=" + LogValue(o.warning)),
          started, !o.warning.empty(), core::ToString(o.decision));
      Finish(item, /*keep_name_file=*/!s.ok());
      break;
    }
    case pipeline::Outcome::Kind::kRejected:
      Log(item, "rejected", "", started, true);
      Finish(item);
      break;
    case pipeline::Outcome::Kind::kDuplicate:
      Log(item, "duplicate", "aktenzeichen=" + o.aktenzeichen, started, true);
      Finish(item);
      break;
    case pipeline::Outcome::Kind::kReview:
      if (o.scanned) {
        // Every document is in review/<id>/ with a copy of the file.
        Status s = sink_.DropReviewed(item.input);
        if (!s.ok()) {
          Log(item, "failed", "error=" + LogValue(s.message()), started, true);
          Retry(item);
          break;
        }
      }
      Log(item, "review",
          o.scanned ? "reason=scan-doubts documents=" +
                          std::to_string(o.documents.size())
                    : "reason=letter-cannot-be-set",
          started, true);
      Finish(item);
      break;
    case pipeline::Outcome::Kind::kDeferred:
      Log(item, "deferred",
          o.waits_for_review.empty()
              ? std::string("reason=earlier-application-pending")
              : "reason=earlier-scan-in-review review_of=" +
                    LogValue(o.waits_for_review),
          started);
      Park(item);
      break;
    case pipeline::Outcome::Kind::kFailed:
      Log(item, "failed",
          "error=" + LogValue(o.message) + " (kept, retried later)", started,
          true);
      if (o.failure == StatusCode::kStore) {
        if (Status h = journal_->Health(); !h.ok()) Fatal(h.message());
      }
      Retry(item);
      break;
  }
}

void Watcher::RejectClaimed(const Item& item, const std::string& sha,
                            const std::string& reason, const char* log_detail,
                            double started) {
  const pipeline::Outcome o =
      pipeline_->RejectInput(item.input, sha, reason, sink_);
  Log(item, pipeline::ToString(o.kind),
      std::string("reason=") + log_detail +
          (o.kind == pipeline::Outcome::Kind::kFailed
               ? " error=" + LogValue(o.message)
               : ""),
      started, true);
  if (o.kind == pipeline::Outcome::Kind::kFailed) {
    Retry(item);
  } else {
    Finish(item);
  }
}

void Watcher::Finish(const Item& item, bool keep_name_file) {
  if (!keep_name_file) {
    (void)env_->Remove(
        JoinPath(folders_.processing, ClaimNameFile(item.input.sequence)));
  }
  pipeline_->Release(item.input.sequence);
  std::lock_guard<std::mutex> lock(mu_);
  retry_count_.erase(item.input.sequence);
  ++releases_;
  ++finished_;
  // Files that waited for an earlier claim try again, in claim order.
  std::sort(parked_.begin(), parked_.end(), [](const Item& a, const Item& b) {
    return a.input.sequence < b.input.sequence;
  });
  for (Item& parked : parked_) EnqueueLocked(std::move(parked));
  parked_.clear();
}

Status Watcher::CloseReview(const std::string& id) {
  Status s = pipeline_->CloseReview(id);
  if (!s.ok()) return s;
  log_.information("review=" + LogValue(id) + " closed");
  std::lock_guard<std::mutex> lock(mu_);
  ++releases_;
  std::sort(parked_.begin(), parked_.end(), [](const Item& a, const Item& b) {
    return a.input.sequence < b.input.sequence;
  });
  for (Item& parked : parked_) EnqueueLocked(std::move(parked));
  parked_.clear();
  return Status::Ok();
}

void Watcher::Retry(Item item) {
  {
    std::lock_guard<std::mutex> lock(mu_);
    const int n = ++retry_count_[item.input.sequence];
    const double delay = std::min(600.0, 5.0 * (1 << std::min(n - 1, 7)));
    retries_.emplace_back(Now() + delay, std::move(item));
  }
  Wake();  // the scanner may be asleep until the next full scan
}

void Watcher::Park(Item item) {
  std::lock_guard<std::mutex> lock(mu_);
  if (releases_ != item.releases_seen) {
    EnqueueLocked(std::move(item));  // a hold ended meanwhile: look again
  } else {
    parked_.push_back(std::move(item));
  }
}

// One logfmt line on the service's state: queue lengths and throughput
// since the last one. Precondition: mu_ is held.
void Watcher::LogStatusLocked(double now) {
  const double minutes = std::max(1e-9, (now - status_at_) / 60);
  size_t in_flight = 0;
  for (const InFlight& f : in_flight_) in_flight += f.active ? 1 : 0;
  char rate[32];
  std::snprintf(rate, sizeof rate, "%.1f",
                static_cast<double>(finished_ - finished_at_status_) / minutes);
  log_.information("status inbox_waiting=" + std::to_string(observed_.size()) +
                   " queued=" + std::to_string(queue_.size()) +
                   " in_flight=" + std::to_string(in_flight) +
                   " retrying=" + std::to_string(retries_.size()) +
                   " waiting_for_earlier=" + std::to_string(parked_.size()) +
                   " files_per_minute=" + rate +
                   " finished_total=" + std::to_string(finished_));
  status_at_ = now;
  finished_at_status_ = finished_;
}

void Watcher::WatchdogLoop() {
  std::unique_lock<std::mutex> lock(mu_);
  status_at_ = Now();
  while (!stopping_) {
    done_cv_.wait_for(lock, std::chrono::seconds(1));
    const double now = Now();
    if (watch_.status_seconds > 0 &&
        now - status_at_ >= watch_.status_seconds) {
      LogStatusLocked(now);
    }
    for (const InFlight& f : in_flight_) {
      if (f.active && now - f.since > watch_.timeout_seconds) {
        // A thread cannot be stopped safely. Exit so that the service
        // manager restarts us; the journal counted this attempt, and after
        // intake.max-attempts the file is rejected instead of retried.
        log_.fatal("file=" + LogValue(f.name) +
                   " exceeded intake.timeout-seconds (" +
                   std::to_string(watch_.timeout_seconds) +
                   " s); exiting for a restart");
        std::_Exit(75);
      }
    }
    if (scan_started_ >= 0 && now - scan_started_ > watch_.timeout_seconds) {
      log_.fatal("the inbox scan has been stuck for " +
                 std::to_string(watch_.timeout_seconds) +
                 " s; exiting for a restart");
      std::_Exit(75);
    }
  }
  watchdog_running_ = false;
  done_cv_.notify_all();
}

void Watcher::Fatal(const std::string& reason) {
  if (fatal_raised_.exchange(true)) return;
  log_.fatal("cannot go on: " + reason);
  if (on_fatal_) {
    on_fatal_(reason);
  } else {
    std::_Exit(70);
  }
}

void Watcher::Wake() {
  const uint64_t one = 1;
  if (wake_fd_ >= 0) (void)!::write(wake_fd_, &one, sizeof one);
}

bool Watcher::Stop(int seconds) {
  if (!stopping_.exchange(true)) {
    Wake();
    std::lock_guard<std::mutex> lock(mu_);
    work_cv_.notify_all();
    done_cv_.notify_all();
  }
  bool all_done;
  {
    std::unique_lock<std::mutex> lock(mu_);
    all_done = done_cv_.wait_for(lock, std::chrono::seconds(seconds), [&] {
      return running_workers_ == 0 && !scanner_running_ && !watchdog_running_;
    });
  }
  for (std::thread* t : {&scanner_, &watchdog_}) {
    if (t->joinable()) all_done ? t->join() : t->detach();
  }
  for (auto& t : workers_) {
    if (t.joinable()) all_done ? t.join() : t.detach();
  }
  return all_done;
}

bool Watcher::WorkersAlive() const {
  std::lock_guard<std::mutex> lock(mu_);
  return !fatal_raised_ && !stopping_ && running_workers_ == started_workers_ &&
         running_workers_ > 0 && scanner_running_ && watchdog_running_;
}

size_t Watcher::Backlog() const {
  std::lock_guard<std::mutex> lock(mu_);
  size_t n = queue_.size() + retries_.size() + parked_.size();
  for (const InFlight& f : in_flight_) n += f.active ? 1 : 0;
  return n;
}

void Watcher::Log(const Item& item, const char* outcome,
                  const std::string& detail, double started, bool warning,
                  const char* decision) {
  const long ms = static_cast<long>((Now() - started) * 1000);
  if (observer_) observer_(decision ? decision : outcome, Now() - started);
  std::string line =
      "file=" + LogValue(item.input.name) + " outcome=" + outcome;
  if (!detail.empty()) line += " " + detail;
  line += " claim=" + std::to_string(item.input.sequence) +
          " ms=" + std::to_string(ms);
  if (warning) {
    log_.warning(line);
  } else {
    log_.information(line);
  }
}

}  // namespace bescheid::daemon
