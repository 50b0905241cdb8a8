// Every write step on a file's way (claim, each output, archive move,
// journal writes) interrupted as a crash would interrupt it, then a
// restart: each input still ends with exactly one outcome, decisions in the
// order of receipt, no Aktenzeichen twice, no half-written letter, and a
// sound journal. For XML inputs and for a scanned file of two forms (one
// decided, one to review) with an identical copy.
#include <Poco/AutoPtr.h>
#include <Poco/Logger.h>
#include <Poco/NullChannel.h>
#include <fcntl.h>
#include <gtest/gtest.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <filesystem>
#include <iostream>
#include <mutex>
#include <set>
#include <thread>

#include "daemon/watcher.h"
#include "daemon_harness.h"
#include "forwarding_journal.h"
#include "pipeline/ocr_scan_reader.h"
#include "scan/degrade.h"
#include "scan/image_write.h"
#include "scan/intake.h"
#include "test_util.h"

namespace bescheid::daemon {
namespace {

using bescheid::testing::ReadFileOrDie;
using bescheid::testing::SourcePath;
using bescheid::testing::TempDir;
using bescheid::testing::WaitFor;
using bescheid::testing::WriteFileOrDie;
namespace fs = std::filesystem;

// Numbers every write step (1, 2, ...). At step `crash_at`, or at the
// first step for which `crash_when(kind, step)` is true, the process "dies":
// a file being written keeps only what a power cut would leave (its
// temporary file with part of the data, never synced or renamed), every
// file written without sync (WriteFileUnsynced) and not yet made durable by
// SyncFiles keeps only half its bytes, and every later write fails without
// touching the disk. crash_at 0 and no crash_when: no crash. Kinds: "write",
// "write-unsynced", "sync", "rename", "move", "remove", "journal" and
// "journal-group" (a group's transaction, Journal::CommitDecisions).
class CrashEnv final : public Env {
 public:
  explicit CrashEnv(
      int crash_at,
      std::function<bool(const std::string&, int)> crash_when = nullptr)
      : crash_at_(crash_at), crash_when_(std::move(crash_when)) {}

  // False if the step must not happen (the crash point or after it).
  bool Step(const std::string& kind) {
    const int n = ++steps;
    const bool now = (crash_at_ != 0 && n >= crash_at_) ||
                     (crash_when_ && !crashed && crash_when_(kind, n));
    if (!now && !crashed) return true;
    if (!crashed.exchange(true)) {
      crash_step_ = n;
      LoseUnsynced();
    }
    return false;
  }
  bool AtCrashPoint() const { return steps.load() == crash_step_.load(); }

  Result<std::string> ReadFile(const std::string& p, uint64_t max) override {
    return base_->ReadFile(p, max);
  }
  Result<FileInfo> Stat(const std::string& p) override {
    return base_->Stat(p);
  }
  using Env::WriteFileAtomic;
  Status WriteFileAtomic(const std::string& p, std::string_view d,
                         const WriteOptions& o) override {
    if (Step("write")) return base_->WriteFileAtomic(p, d, o);
    if (AtCrashPoint()) LeavePartialTemporary(p, d);
    return Dead(p);
  }
  Status WriteFileUnsynced(const std::string& p, std::string_view d) override {
    if (before_unsynced_write) before_unsynced_write(p);
    if (Step("write-unsynced")) {
      {
        std::lock_guard<std::mutex> lock(mu_);
        unsynced_.insert(p);
      }
      return base_->WriteFileUnsynced(p, d);
    }
    if (AtCrashPoint()) LeavePartialTemporary(p, d);
    return Dead(p);
  }
  Status SyncFiles(const std::vector<std::string>& paths) override {
    if (before_sync) before_sync(paths);
    if (!Step("sync")) return Dead(paths.empty() ? "" : paths.front());
    Status s = base_->SyncFiles(paths);
    if (s.ok()) {
      std::lock_guard<std::mutex> lock(mu_);
      for (const std::string& p : paths) unsynced_.erase(p);
    }
    return s;
  }
  Status CreateDirs(const std::string& p) override {
    return base_->CreateDirs(p);
  }
  Status Rename(const std::string& a, const std::string& b) override {
    return Step("rename") ? base_->Rename(a, b) : Dead(b);
  }
  Status MoveFile(const std::string& a, const std::string& b) override {
    return Step("move") ? base_->MoveFile(a, b) : Dead(b);
  }
  Status Remove(const std::string& p) override {
    return Step("remove") ? base_->Remove(p) : Dead(p);
  }
  Result<std::vector<std::string>> ListDir(const std::string& p) override {
    return base_->ListDir(p);
  }
  int64_t NowUnix() override { return base_->NowUnix(); }
  Result<std::unique_ptr<FileLock>> LockFile(const std::string& p) override {
    return base_->LockFile(p);
  }

  std::atomic<int> steps{0};
  std::atomic<bool> crashed{false};
  // Called at every SyncFiles and WriteFileUnsynced before its step (set
  // before the env is used).
  std::function<void(const std::vector<std::string>&)> before_sync;
  std::function<void(const std::string&)> before_unsynced_write;

 private:
  static Status Dead(const std::string& p) {
    return IoError("cannot write '" + p + "': the process crashed (test)");
  }
  // Unsynced data lost: a prefix in a temporary file.
  void LeavePartialTemporary(const std::string& p, std::string_view d) {
    const std::string tmp =
        JoinPath(DirName(p), "." + BaseName(p) + ".crash.tmp");
    (void)base_->CreateDirs(DirName(p));
    const int fd = ::open(tmp.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
    if (fd >= 0) {
      (void)!::write(fd, d.data(), d.size() / 2);
      ::close(fd);
    }
  }
  // A power cut before their sync: renamed into place, half their data.
  void LoseUnsynced() {
    std::lock_guard<std::mutex> lock(mu_);
    for (const std::string& p : unsynced_) {
      std::error_code ec;
      const auto size = std::filesystem::file_size(p, ec);
      if (!ec) std::filesystem::resize_file(p, size / 2, ec);
    }
    unsynced_.clear();
  }

  const int crash_at_;
  const std::function<bool(const std::string&, int)> crash_when_;
  std::atomic<int> crash_step_{-1};
  std::mutex mu_;
  std::set<std::string> unsynced_;  // written, not yet synced
  Env* base_ = DefaultEnv();
};

// The journal's writes are steps of the same crash clock.
class CrashJournal final : public bescheid::testing::ForwardingJournal {
 public:
  CrashJournal(store::Journal* base, CrashEnv* clock)
      : ForwardingJournal(base), clock_(clock) {}

  std::vector<Status> CommitDecisions(
      const std::vector<store::DecisionEntry>& e) override {
    last_group_size = e.size();
    return ForwardingJournal::CommitDecisions(e);
  }
  std::atomic<size_t> last_group_size{0};

 private:
  Status Gate(Call call) override {
    if (!IsWrite(call)) return Status::Ok();
    if (clock_->Step(call == Call::kCommitDecisions ? "journal-group"
                                                    : "journal")) {
      return Status::Ok();
    }
    return StoreError("journal: crashed (test)");
  }
  CrashEnv* clock_;
};

// The scanned forms of the Stadt Ulm (decided) and of Freiburg (a value
// corrected by hand: review) as one two-application G4 TIFF, made once.
const std::string& TwoFormsScan() {
  static const std::string file = [] {
    scan::Pages pages;
    for (const char* name :
         {"examples/scans/2017-08-14_bitonal-150-tiff-g4_ulm.tif",
          "examples/scans/2017-08-14_corrected-300-g4_freiburg.tif"}) {
      scan::DecodedScan d =
          std::move(scan::DecodeScan(ReadFileOrDie(SourcePath(name)),
                                     scan::ScanLimits{}))
              .value();
      for (const scan::PixPtr& page : d.pages) {
        pages.push_back(std::move(scan::Binarize(page.get(), 128)).value());
      }
    }
    return std::move(scan::EncodeDocument(pages, scan::ImageFormat::kTiffG4))
        .value();
  }();
  return file;
}

scan::ScanReading CopyReading(const scan::ScanReading& r) {
  scan::ScanReading out;
  for (const scan::ScannedDocument& d : r.documents) {
    scan::ScannedDocument c;
    c.serial = d.serial;
    c.form_pages = d.form_pages;
    c.kept_pages = d.kept_pages;
    c.file_pages = d.file_pages;
    c.fields = d.fields;
    c.application = d.application;
    c.from_barcode = d.from_barcode;
    c.signature_present = d.signature_present;
    c.doubts = d.doubts;
    out.documents.push_back(std::move(c));
  }
  return out;
}

// The production reader (real OCR) for the first scan of the test binary;
// later scans of the same page count get a copy of that reading, so that
// dozens of crash points cost one reading (every input here is the same
// file). Thread-safe.
class ReadOnceReader final : public pipeline::ScanReader {
 public:
  explicit ReadOnceReader(const config::Settings& settings)
      : settings_(settings) {}
  Result<scan::ScanReading> Read(scan::PageSource& pages) override {
    static std::mutex mu;
    static std::optional<scan::ScanReading> cached;
    static int cached_pages = 0;
    std::lock_guard<std::mutex> lock(mu);
    if (cached && cached_pages == pages.page_count()) {
      return CopyReading(*cached);
    }
    static forms::FormLayout layout =
        std::move(pipeline::LoadFormLayout(settings_, DefaultEnv())).value();
    auto real = pipeline::OcrScanReader::Create(settings_, &layout);
    if (!real.ok()) return real.status();
    Result<scan::ScanReading> r = (*real)->Read(pages);
    if (!r.ok()) return r;
    cached = CopyReading(*r);
    cached_pages = pages.page_count();
    return r;
  }

 private:
  const config::Settings settings_;
};

class CrashPointTest : public ::testing::Test {
 protected:
  CrashPointTest() {
    log_.setChannel(Poco::AutoPtr<Poco::Channel>(new Poco::NullChannel));
    reference_ = *core::ReferenceTable::ParseCsv(
        ReadFileOrDie(SourcePath("config/reference/gemeinden.csv")));
    reader_ = std::move(xml::ApplicationReader::Create()).value();
  }

  config::Settings SettingsFor(const TempDir& dir) {
    config::Settings s;
    s.watch.root = dir / "root";
    s.watch.workers = 2;
    s.watch.stable_seconds = 0;
    s.watch.polling = true;
    s.letters.templates_dir = SourcePath("templates/letters");
    s.letters.font_regular = SourcePath("fonts/DejaVuSans-letters.ttf");
    s.letters.font_bold = SourcePath("fonts/DejaVuSans-Bold-letters.ttf");
    s.forms.layout = SourcePath("templates/forms/antrag-1.0.form");
    return s;
  }

  // Runs the watcher on `env` and `journal` until `done`, then stops it.
  // `started` (optional) is told the run's pipeline first.
  void Run(const config::Settings& settings, Env* env, store::Journal* journal,
           const std::function<bool()>& done,
           const std::function<void(pipeline::Pipeline*)>& started = nullptr) {
    pipeline::Pipeline pipe(settings, &reference_, reader_.get(), journal,
                            nullptr, env);
    if (started) started(&pipe);
    Watcher watcher(settings, &pipe, journal, env, &log_);
    watcher.SetFatalHandler([](const std::string&) {});
    watcher.SetScanReaderFactory(
        [&settings]() -> Result<std::unique_ptr<pipeline::ScanReader>> {
          return std::unique_ptr<pipeline::ScanReader>(
              new ReadOnceReader(settings));
        });
    ASSERT_TRUE(watcher.Start().ok());
    EXPECT_TRUE(WaitFor(done, 30));
    EXPECT_TRUE(watcher.Stop(10));
  }

  // Drops four inputs, crashes at step `crash_at`, restarts, checks.
  // Returns the number of write steps the first run made.
  int CrashAndRecover(int crash_at) {
    const std::string a =
        ReadFileOrDie(SourcePath("examples/01-bewilligung-tettnang.xml"));
    return CrashAndRecover(
        crash_at,
        {{"1-a.xml", a},
         {"2-b.xml",
          ReadFileOrDie(SourcePath(
              "examples/06-ablehnung-doppelfoerderung-tettnang.xml"))},
         {"3-kaputt.xml", "<Foerderantrag/>"},
         {"4-a-kopie.xml", a}},
        [&](const TempDir& dir, store::Journal* journal) {
          Check(dir, journal, crash_at);
        });
  }

  // Drops `inputs` (name, bytes) in that order, crashes at step `crash_at`,
  // restarts, then runs `check`. Returns the first run's write steps.
  int CrashAndRecover(
      int crash_at,
      const std::vector<std::pair<std::string, std::string>>& inputs,
      const std::function<void(const TempDir&, store::Journal*)>& check) {
    TempDir dir;
    const config::Settings settings = SettingsFor(dir);
    for (const auto& [name, bytes] : inputs) {
      WriteFileOrDie(dir / ("root/inbox/" + name), bytes);
    }
    auto processing_empty = [&] {
      for (const auto& e : fs::directory_iterator(dir / "root/processing")) {
        if (e.path().filename().string().front() != '.') return false;
      }
      return fs::is_empty(dir / "root/inbox");
    };
    CrashEnv crash(crash_at);
    {
      auto journal = store::OpenSqliteJournal(dir / "journal.sqlite");
      EXPECT_TRUE(journal.ok());
      if (!journal.ok()) return 0;
      CrashJournal crashing(journal->get(), &crash);
      // Or done without crashing: which letters share a sync pass depends
      // on timing, so a run may make fewer steps than the counted one.
      Run(settings, &crash, &crashing, [&] {
        return crash.crashed.load() || processing_empty();
      });
    }
    auto journal = store::OpenSqliteJournal(dir / "journal.sqlite");
    EXPECT_TRUE(journal.ok());
    if (!journal.ok()) return 0;
    Run(settings, DefaultEnv(), journal->get(), processing_empty);
    check(dir, journal->get());
    return crash.steps;
  }

  // After a request, its answer and a joint application: the answer under
  // the request's Aktenzeichen beside the request's letter (never removed
  // by a rollback), the joint application next in number with a copy per
  // member.
  void CheckResubmissionAndCopies(const TempDir& dir, store::Journal* journal,
                                  int crash_at) {
    SCOPED_TRACE("crash at step " + std::to_string(crash_at));
    const std::string az1 = "RPS15-IM-2017-00001", az2 = "RPS15-IM-2017-00002";
    EXPECT_EQ(
        Inputs(dir / ("root/archive/" + az1)),
        (std::vector<std::string>{"1-wangen.xml", "2-wangen-komplett.xml"}));
    EXPECT_EQ(Inputs(dir / ("root/archive/" + az2)),
              std::vector<std::string>{"3-bodensee.xml"});
    std::vector<std::string> outputs;
    for (const auto& e :
         fs::recursive_directory_iterator(dir / "root/outbox")) {
      if (!e.is_regular_file()) continue;
      outputs.push_back(e.path().filename().string());
      if (e.path().extension() == ".pdf") {
        const std::string pdf = ReadFileOrDie(e.path());
        EXPECT_NE(pdf.find("%%EOF", pdf.size() - 16), std::string::npos)
            << e.path();
      }
    }
    std::sort(outputs.begin(), outputs.end());
    EXPECT_EQ(outputs,
              (std::vector<std::string>{az1 + "-2.decision.xml", az1 + "-2.pdf",
                                        az1 + ".decision.xml", az1 + ".pdf",
                                        az2 + ".decision.xml", az2 + ".pdf",
                                        az2 + "_nachrichtlich_08435016.pdf",
                                        az2 + "_nachrichtlich_08435040.pdf"}));
    EXPECT_NE(RecordOf(dir, az1).find("<Art>NACHFORDERUNG</Art>"),
              std::string::npos);
    EXPECT_NE(RecordOf(dir, az1 + "-2").find("<Fassung>2</Fassung>"),
              std::string::npos);
    EXPECT_EQ(journal->DecisionCount().value(), 3);
    EXPECT_EQ(journal->LastSequence().value(), 2);
    EXPECT_TRUE(journal->OpenRequests().value().empty());
    EXPECT_TRUE(journal->IntegrityCheck().ok());
  }

  void Check(const TempDir& dir, store::Journal* journal, int crash_at) {
    SCOPED_TRACE("crash at step " + std::to_string(crash_at));
    const std::string az1 = "RPS15-IM-2017-00001", az2 = "RPS15-IM-2017-00002";
    // Each input once, the first dropped decided first.
    EXPECT_TRUE(fs::exists(dir / ("root/archive/" + az1 + "/1-a.xml")));
    EXPECT_TRUE(fs::exists(dir / ("root/archive/" + az2 + "/2-b.xml")));
    EXPECT_EQ(Inputs(dir / "root/rejected"),
              std::vector<std::string>{"3-kaputt.xml"});
    EXPECT_EQ(Inputs(dir / "root/duplicates"),
              std::vector<std::string>{"4-a-kopie.xml"});
    EXPECT_EQ(Inputs(dir / "root/archive").size(), 2u);
    // Two letters, numbered 1 and 2, none half-written, no leftovers.
    std::vector<std::string> outputs;
    for (const auto& e :
         fs::recursive_directory_iterator(dir / "root/outbox")) {
      if (!e.is_regular_file()) continue;
      const std::string name = e.path().filename().string();
      outputs.push_back(name);
      if (name.size() > 4 && name.substr(name.size() - 4) == ".pdf") {
        const std::string pdf = ReadFileOrDie(e.path());
        EXPECT_NE(pdf.find("%%EOF", pdf.size() - 16), std::string::npos)
            << name;
      }
    }
    std::sort(outputs.begin(), outputs.end());
    EXPECT_EQ(outputs,
              (std::vector<std::string>{az1 + ".decision.xml", az1 + ".pdf",
                                        az2 + ".decision.xml", az2 + ".pdf"}));
    EXPECT_NE(RecordOf(dir, az1).find("<Art>BEWILLIGUNG</Art>"),
              std::string::npos);
    EXPECT_NE(RecordOf(dir, az2).find("DOPPELFOERDERUNG"), std::string::npos);
    // No temporary file of an interrupted write is left behind.
    for (const auto& e : fs::recursive_directory_iterator(dir / "root")) {
      const std::string name = e.path().filename().string();
      EXPECT_TRUE(name.front() != '.' || name == ".bescheid.lock") << name;
    }
    EXPECT_EQ(journal->DecisionCount().value(), 2);
    EXPECT_TRUE(journal->IntegrityCheck().ok());
  }

  // A scanned file with two applications, and the same bytes again: Ulm
  // decided and the file archived once, Freiburg's review complete and
  // open once, the copy a duplicate naming both.
  void CheckScans(const TempDir& dir, store::Journal* journal, int crash_at) {
    SCOPED_TRACE("crash at step " + std::to_string(crash_at));
    const std::string az1 = "RPS15-IM-2017-00001";
    EXPECT_EQ(Inputs(dir / "root/archive"),
              std::vector<std::string>{"1-zwei.tif"});
    EXPECT_TRUE(fs::exists(dir / ("root/archive/" + az1 + "/1-zwei.tif")));
    EXPECT_EQ(Inputs(dir / "root/duplicates"),
              std::vector<std::string>{"2-zwei-kopie.tif"});
    const std::string note =
        ReadFileOrDie(dir / "root/duplicates/2-zwei-kopie.tif.txt");
    EXPECT_NE(note.find("unter dem Aktenzeichen " + az1), std::string::npos)
        << note;
    EXPECT_TRUE(fs::is_empty(dir / "root/rejected"));
    // review/: one folder, complete, nothing else.
    const std::string id =
        pipeline::Sha256Hex(TwoFormsScan()).substr(0, 12) + "-2";
    std::vector<std::string> review;
    for (const auto& e :
         fs::recursive_directory_iterator(dir / "root/review")) {
      review.push_back(fs::relative(e.path(), dir / "root/review").string());
    }
    std::sort(review.begin(), review.end());
    ASSERT_GE(review.size(), 6u);
    EXPECT_EQ(review.front(), id);
    for (const char* f : {"seite-1.png", "seite-2.png", "seite-3.png",
                          "felder.json", "grund.txt", "original.tif"}) {
      EXPECT_NE(std::find(review.begin(), review.end(), id + "/" + f),
                review.end())
          << f;
    }
    for (const std::string& f : review) {
      EXPECT_EQ(f.rfind(id, 0), 0u) << f;  // nothing beside the folder
    }
    EXPECT_EQ(ReadFileOrDie(dir / ("root/review/" + id + "/original.tif")),
              TwoFormsScan());
    EXPECT_NE(ReadFileOrDie(dir / ("root/review/" + id + "/felder.json"))
                  .find("\"gruende\""),
              std::string::npos);
    // One letter, complete.
    std::vector<std::string> outputs;
    for (const auto& e :
         fs::recursive_directory_iterator(dir / "root/outbox")) {
      if (!e.is_regular_file()) continue;
      outputs.push_back(e.path().filename().string());
      if (e.path().extension() == ".pdf") {
        const std::string pdf = ReadFileOrDie(e.path());
        EXPECT_NE(pdf.find("%%EOF", pdf.size() - 16), std::string::npos);
      }
    }
    std::sort(outputs.begin(), outputs.end());
    EXPECT_EQ(outputs,
              (std::vector<std::string>{az1 + ".decision.xml", az1 + ".pdf"}));
    EXPECT_NE(RecordOf(dir, az1).find("<Kanal>SCAN</Kanal>"),
              std::string::npos);
    for (const auto& e : fs::recursive_directory_iterator(dir / "root")) {
      const std::string name = e.path().filename().string();
      EXPECT_TRUE(name.front() != '.' || name == ".bescheid.lock") << e.path();
    }
    EXPECT_EQ(journal->DecisionCount().value(), 1);
    EXPECT_EQ(journal->LastSequence().value(), 1);
    const std::vector<store::ReviewRecord> open =
        journal->OpenReviews().value();
    ASSERT_EQ(open.size(), 1u);
    EXPECT_EQ(open[0].id, id);
    EXPECT_EQ(open[0].file_name, "1-zwei.tif");
    EXPECT_TRUE(journal->IntegrityCheck().ok());
  }

  // The names of the inputs in `dir` and its subfolders (not the notes).
  static std::vector<std::string> Inputs(const std::string& dir) {
    std::vector<std::string> out;
    for (const auto& e : fs::recursive_directory_iterator(dir)) {
      const std::string name = e.path().filename().string();
      if (!e.is_regular_file() || name.front() == '.' ||
          name.find(".txt") != std::string::npos) {
        continue;
      }
      out.push_back(name);
    }
    std::sort(out.begin(), out.end());
    return out;
  }
  static std::string RecordOf(const TempDir& dir, const std::string& az) {
    for (const auto& e :
         fs::recursive_directory_iterator(dir / "root/outbox")) {
      if (e.path().filename() == az + ".decision.xml") {
        return ReadFileOrDie(e.path());
      }
    }
    return "";
  }

  Poco::Logger& log_ = Poco::Logger::get("crash-points-test");
  core::ReferenceTable reference_;
  std::unique_ptr<xml::ApplicationReader> reader_;
};

// Grouped durability (docs/durability.md). Four applications on four
// workers; the first one's sync pass is held until the other three wait
// for their commit, so that those three form one group (8 files: two
// letters, a joint letter with two copies, three records). A crash
//   "sync":   at that group's sync pass: its files are written and renamed
//             into place but not durable, so a power cut leaves each with
//             half its bytes;
//   "commit": at its journal transaction, after the sync: files durable,
//             nothing committed;
//   "move":   at the first move of an input after all four are committed:
//             decided, inputs still in processing/;
// then a restart. Each time: every input decided exactly once and
// archived under its number, numbers 1-4 in the order of receipt, exactly
// the four decisions' outputs and every letter whole (the half-written
// ones rolled back and made again), no temporary file, a sound journal.
TEST_F(CrashPointTest, AGroupOfLettersSurvivesACrashAtEachStepOfItsCommit) {
  const std::vector<std::pair<std::string, std::string>> inputs = {
      {"1-tettnang.xml", "examples/01-bewilligung-tettnang.xml"},
      {"2-offenburg.xml", "examples/02-teilbewilligung-offenburg.xml"},
      {"3-todtnau.xml", "examples/03-ablehnung-mindestbetrag-todtnau.xml"},
      {"4-bodensee.xml", "examples/05-zusammenschluss-bodensee.xml"}};
  for (const std::string point : {"sync", "commit", "move"}) {
    SCOPED_TRACE("crash at the group's " + point);
    TempDir dir;
    config::Settings settings = SettingsFor(dir);
    settings.watch.workers = 4;
    for (const auto& [name, example] : inputs) {
      WriteFileOrDie(dir / ("root/inbox/" + name),
                     ReadFileOrDie(SourcePath(example)));
    }
    auto journal = store::OpenSqliteJournal(dir / "journal.sqlite");
    ASSERT_TRUE(journal.ok());
    std::atomic<int> syncs{0}, groups{0};
    std::atomic<size_t> group_files{0};
    CrashEnv crash(0, [&](const std::string& kind, int) {
      if (kind == "sync") return ++syncs == 2 && point == "sync";
      if (kind == "journal-group") return ++groups == 2 && point == "commit";
      if (kind != "move" || point != "move") return false;
      Result<int64_t> decided = (*journal)->DecisionCount();
      return decided.ok() && *decided == 4;
    });
    std::atomic<pipeline::Pipeline*> pipe{nullptr};
    std::atomic<bool> held{false};
    auto wait_until = [](const std::function<bool()>& ready) {
      const auto until =
          std::chrono::steady_clock::now() + std::chrono::seconds(30);
      while (!ready() && std::chrono::steady_clock::now() < until) {
        std::this_thread::sleep_for(std::chrono::milliseconds(5));
      }
    };
    // Inputs 2-4 write their files only once input 1's sync has begun, and
    // that sync waits until all three wait for their commit.
    crash.before_unsynced_write = [&](const std::string& path) {
      if (BaseName(path).rfind("RPS15-IM-2017-00001", 0) != 0) {
        wait_until([&] { return held.load(); });
      }
    };
    crash.before_sync = [&](const std::vector<std::string>& paths) {
      if (!held.exchange(true)) {  // the first pass: input 1 alone
        wait_until([&] { return pipe.load()->CommitsWaiting() == 3; });
        return;
      }
      if (group_files == 0) group_files = paths.size();
    };
    {
      CrashJournal crashing(journal->get(), &crash);
      Run(
          settings, &crash, &crashing, [&] { return crash.crashed.load(); },
          [&](pipeline::Pipeline* p) { pipe = p; });
      EXPECT_EQ(group_files.load(), 8u);  // the three decisions in one pass
      if (point != "sync") {
        EXPECT_EQ(crashing.last_group_size.load(), 3u);
      }
    }
    // Input 1 alone committed before the crash at the group's transaction;
    // at the group's sync pass its own commit may still have been running.
    const int64_t before = (*journal)->DecisionCount().value();
    if (point == "sync") {
      EXPECT_LE(before, 1);
    } else {
      EXPECT_EQ(before, point == "commit" ? 1 : 4);
    }
    Run(settings, DefaultEnv(), journal->get(), [&] {
      return fs::is_empty(dir / "root/inbox") &&
             Inputs(dir / "root/archive").size() == 4;
    });
    std::vector<std::string> expected;
    for (size_t i = 0; i < inputs.size(); ++i) {
      const std::string az = "RPS15-IM-2017-0000" + std::to_string(i + 1);
      EXPECT_EQ(Inputs(dir / ("root/archive/" + az)),
                std::vector<std::string>{inputs[i].first});
      EXPECT_NE(RecordOf(dir, az).find(inputs[i].first), std::string::npos);
      expected.push_back(az + ".decision.xml");
      expected.push_back(az + ".pdf");
    }
    expected.push_back("RPS15-IM-2017-00004_nachrichtlich_08435016.pdf");
    expected.push_back("RPS15-IM-2017-00004_nachrichtlich_08435040.pdf");
    std::sort(expected.begin(), expected.end());
    std::vector<std::string> outputs;
    for (const auto& e :
         fs::recursive_directory_iterator(dir / "root/outbox")) {
      if (!e.is_regular_file()) continue;
      outputs.push_back(e.path().filename().string());
      if (e.path().extension() == ".pdf") {
        const std::string pdf = ReadFileOrDie(e.path());
        EXPECT_NE(pdf.find("%%EOF", pdf.size() - 16), std::string::npos)
            << e.path();
      }
    }
    std::sort(outputs.begin(), outputs.end());
    EXPECT_EQ(outputs, expected);
    for (const auto& e : fs::recursive_directory_iterator(dir / "root")) {
      const std::string name = e.path().filename().string();
      EXPECT_TRUE(name.front() != '.' || name == ".bescheid.lock") << e.path();
    }
    EXPECT_TRUE(fs::is_empty(dir / "root/rejected"));
    EXPECT_EQ((*journal)->DecisionCount().value(), 4);
    EXPECT_EQ((*journal)->LastSequence().value(), 4);
    EXPECT_TRUE((*journal)->IntegrityCheck().ok());
    if (HasFailure()) break;
  }
}

TEST_F(CrashPointTest, EveryWriteStepCanBeInterruptedWithNothingLost) {
  const int steps = CrashAndRecover(0);
  ASSERT_FALSE(HasFailure());
  ASSERT_GE(steps, 20);  // claims, outputs, moves and commits of 4 inputs
  RecordProperty("write_steps", steps);
  std::cout << "crash points: " << steps << "\n";
  for (int crash_at = 1; crash_at <= steps; ++crash_at) {
    CrashAndRecover(crash_at);
    if (HasFailure()) break;  // one crash point's report is enough
  }
}

// A crash anywhere while a completed application answers a request (and a
// joint application gets its copies) never removes the request's letter,
// and numbering stays without gaps.
TEST_F(CrashPointTest, ResubmissionAndCopiesSurviveEveryCrashPoint) {
  const std::vector<std::pair<std::string, std::string>> inputs = {
      {"1-wangen.xml",
       ReadFileOrDie(SourcePath("examples/04-nachforderung-wangen.xml"))},
      {"2-wangen-komplett.xml",
       ReadFileOrDie(SourcePath(
           "tests/data/04-nachforderung-wangen-vervollstaendigt.xml"))},
      {"3-bodensee.xml",
       ReadFileOrDie(SourcePath("examples/05-zusammenschluss-bodensee.xml"))}};
  int crash_at = 0;
  auto check = [&](const TempDir& dir, store::Journal* journal) {
    CheckResubmissionAndCopies(dir, journal, crash_at);
  };
  const int steps = CrashAndRecover(0, inputs, check);
  ASSERT_FALSE(HasFailure());
  ASSERT_GE(steps, 15);
  for (crash_at = 1; crash_at <= steps; ++crash_at) {
    CrashAndRecover(crash_at, inputs, check);
    if (HasFailure()) break;
  }
}

// A scanned file with two applications (one decided, one to review) and
// an identical copy: a crash at any write step, then a restart, still ends
// with the file archived once under the decided form's Aktenzeichen, the
// other form in review once, the copy a duplicate, no number used twice.
// OCR runs once (ReadOnceReader); the crash points reuse its reading.
TEST_F(CrashPointTest, ATwoFormScanSurvivesEveryCrashPoint) {
  const std::vector<std::pair<std::string, std::string>> inputs = {
      {"1-zwei.tif", TwoFormsScan()}, {"2-zwei-kopie.tif", TwoFormsScan()}};
  int crash_at = 0;
  auto check = [&](const TempDir& dir, store::Journal* journal) {
    CheckScans(dir, journal, crash_at);
  };
  const int steps = CrashAndRecover(0, inputs, check);
  ASSERT_FALSE(HasFailure());
  ASSERT_GE(steps, 15);  // claims, review folder, letter, moves, commits
  std::cout << "scan crash points: " << steps << "\n";
  for (crash_at = 1; crash_at <= steps; ++crash_at) {
    CrashAndRecover(crash_at, inputs, check);
    if (HasFailure()) break;
  }
}

}  // namespace
}  // namespace bescheid::daemon
