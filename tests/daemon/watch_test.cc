// Integration tests: the real `bescheid watch` against a temporary watch
// root, killed and restarted as a service manager would.
#include <fcntl.h>
#include <gtest/gtest.h>
#include <signal.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <filesystem>
#include <functional>
#include <regex>
#include <set>
#include <thread>

#include "daemon_harness.h"
#include "pipeline/pipeline.h"
#include "store/journal.h"
#include "test_util.h"

namespace bescheid {
namespace {

using bescheid::testing::Application;
using bescheid::testing::Daemon;
using bescheid::testing::FilesUnder;
using bescheid::testing::ReadFileOrDie;
using bescheid::testing::SourcePath;
using bescheid::testing::TempDir;
using bescheid::testing::WaitFor;
using bescheid::testing::WatchRootTest;
using bescheid::testing::WriteFileOrDie;
namespace fs = std::filesystem;
using namespace std::chrono_literals;

class WatchTest : public WatchRootTest {};

TEST_F(WatchTest, FilePresentBeforeStartIsProcessed) {
  Drop("vorher.xml", Application(1));
  Daemon d(dir_);
  ASSERT_TRUE(
      WaitFor([&] { return Letters() == 1 && InboxAndProcessingEmpty(); }, 30s))
      << d.Log();
  const auto archived = FilesUnder(Root("archive"));
  ASSERT_EQ(archived.size(), 1u);
  EXPECT_EQ(fs::path(archived[0]).filename(), "vorher.xml");
  EXPECT_EQ(ReadFileOrDie(archived[0]), Application(1));  // byte for byte
  const auto records = FilesUnder(Root("outbox"), ".decision.xml");
  ASSERT_EQ(records.size(), 1u);
  EXPECT_NE(ReadFileOrDie(records[0]).find("<Datei>vorher.xml</Datei>"),
            std::string::npos);
  EXPECT_EQ(d.Terminate(), 0) << d.Log();
}

TEST_F(WatchTest, SlowCopyIsTakenOnceWhenComplete) {
  Daemon d(dir_);
  ASSERT_TRUE(WaitFor([&] { return fs::exists(Root("inbox")); }, 10s));
  const std::string doc = Application(2);
  const std::string path = Root("inbox/langsam.xml");
  // Six pieces, 700 ms apart (longer than stable-seconds in total, shorter
  // per pause than it): a scanner writing page by page.
  const size_t piece = doc.size() / 6 + 1;
  for (size_t at = 0; at < doc.size(); at += piece) {
    std::ofstream out(path, std::ios::binary | std::ios::app);
    out << doc.substr(at, piece);
    out.close();
    std::this_thread::sleep_for(700ms);
  }
  ASSERT_TRUE(
      WaitFor([&] { return Letters() == 1 && InboxAndProcessingEmpty(); }, 30s))
      << d.Log();
  EXPECT_TRUE(FilesUnder(Root("rejected")).empty()) << d.Log();
  const auto archived = FilesUnder(Root("archive"));
  ASSERT_EQ(archived.size(), 1u);
  EXPECT_EQ(ReadFileOrDie(archived[0]), doc);
  const std::string log = d.Log();
  EXPECT_EQ(std::count(log.begin(), log.end(), '\n') > 0, true);
  EXPECT_EQ(log.find("file=langsam.xml outcome=decided"),
            log.rfind("file=langsam.xml outcome="))  // exactly one outcome
      << log;
}

TEST_F(WatchTest, CompleteXmlMovedInSkipsTheStabilityWindow) {
  Daemon d(dir_, {"watch.stable-seconds=60"});
  ASSERT_TRUE(WaitFor([&] { return fs::exists(Root("inbox")); }, 10s));
  std::this_thread::sleep_for(300ms);  // the first scan has set its watches
  // The half-written file comes second, and after it by name: an earlier
  // file still waiting for its window would hold the complete one back.
  Drop("sofort.xml", Application(31));
  const std::string doc = Application(30);
  WriteFileOrDie(Root("inbox/zweit-halb.xml"), doc.substr(0, doc.size() / 2));
  // The outcome is logged after the letter is written: wait for both.
  ASSERT_TRUE(WaitFor(
      [&] {
        return Letters() == 1 &&
               d.Log().find("file=sofort.xml outcome=decided") !=
                   std::string::npos;
      },
      20s))
      << d.Log();
  // The incomplete one waits for the window (and then for its rest).
  EXPECT_TRUE(fs::exists(Root("inbox/zweit-halb.xml")));
  EXPECT_EQ(d.Terminate(), 0);
}

TEST_F(WatchTest, TwoHundredFilesDroppedAtOnceAllComeOut) {
  for (int i = 0; i < 200; ++i) {
    WriteFileOrDie(dir_ / ("staging/antrag-" + std::to_string(i) + ".xml"),
                   Application(i));
  }
  Daemon d(dir_);
  ASSERT_TRUE(WaitFor([&] { return fs::exists(Root("inbox")); }, 10s));
  for (int i = 0; i < 200; ++i) {
    const std::string name = "antrag-" + std::to_string(i) + ".xml";
    fs::rename(dir_ / ("staging/" + name), Root("inbox/" + name));
  }
  ASSERT_TRUE(WaitFor(
      [&] { return Letters() == 200 && InboxAndProcessingEmpty(); }, 180s))
      << Letters() << " letters\n"
      << d.Log();
  EXPECT_EQ(FilesUnder(Root("archive")).size(), 200u);
  EXPECT_TRUE(FilesUnder(Root("rejected")).empty());
  // All for Tettnang: one grant, 199 rejections for double funding.
  // The first file dropped is the one granted: decisions follow the order
  // files were taken, whichever worker gets there first.
  std::vector<std::string> granted;
  for (const auto& r : FilesUnder(Root("outbox"), ".decision.xml")) {
    const std::string text = ReadFileOrDie(r);
    if (text.find("<Art>BEWILLIGUNG</Art>") != std::string::npos) {
      const size_t from = text.find("<Datei>") + 7;
      granted.push_back(text.substr(from, text.find("</Datei>") - from));
    }
  }
  EXPECT_EQ(granted, std::vector<std::string>{"antrag-0.xml"});
  EXPECT_EQ(d.Terminate(), 0);
}

TEST_F(WatchTest, SameFileTwiceGivesOneLetterAndOneDuplicate) {
  const std::string doc = Application(3);
  // Both present at once, so that two workers could take them together.
  Drop("erste.xml", doc);
  Drop("kopie.xml", doc);
  Daemon d(dir_);
  ASSERT_TRUE(WaitFor(
      [&] {
        return InboxAndProcessingEmpty() &&
               FilesUnder(Root("duplicates")).size() == 2;
      },
      30s))
      << d.Log();
  EXPECT_EQ(Letters(), 1u);
  EXPECT_EQ(FilesUnder(Root("archive")).size(), 1u);
  const auto notes = FilesUnder(Root("duplicates"), ".txt");
  ASSERT_EQ(notes.size(), 1u);
  EXPECT_NE(ReadFileOrDie(notes[0]).find("RPS15-IM-2017-00001"),
            std::string::npos);
  // Later again: still no second letter.
  Drop("dritte.xml", doc);
  ASSERT_TRUE(
      WaitFor([&] { return FilesUnder(Root("duplicates")).size() == 4; }, 30s))
      << d.Log();
  EXPECT_EQ(Letters(), 1u);
  EXPECT_EQ(d.Terminate(), 0);
}

TEST_F(WatchTest, KilledMidBatchAndRestartedEveryInputHasOneOutcome) {
  const int n = 400;
  for (int i = 0; i < n; ++i) {
    std::string doc = Application(100 + i);
    if (i % 10 == 7) doc = doc.substr(0, doc.size() / 2) + "</Foerderantrag>";
    WriteFileOrDie(Root("inbox/a" + std::to_string(i) + ".xml"), doc);
  }
  {
    Daemon d(dir_);
    // Letters take a few milliseconds: look often, so that the kill lands
    // in the middle of the batch.
    ASSERT_TRUE(WaitFor([&] { return Letters() >= 5; }, 60s, 5ms)) << d.Log();
    d.Kill();  // SIGKILL in the middle of the batch
  }
  ASSERT_FALSE(InboxAndProcessingEmpty())
      << "the batch finished before the kill";
  Daemon again(dir_);
  ASSERT_TRUE(WaitFor(
      [&] {
        return InboxAndProcessingEmpty() &&
               FilesUnder(Root("archive")).size() +
                       FilesUnder(Root("rejected"), ".xml").size() ==
                   static_cast<size_t>(n);
      },
      120s))
      << again.Log();
  std::this_thread::sleep_for(500ms);
  // Every input has exactly one outcome.
  std::map<std::string, int> outcomes;
  for (const auto& f : FilesUnder(Root("archive")))
    outcomes[fs::path(f).filename()]++;
  for (const auto& f : FilesUnder(Root("rejected"), ".xml"))
    outcomes[fs::path(f).filename()]++;
  for (const auto& f : FilesUnder(Root("duplicates"), ".xml"))
    outcomes[fs::path(f).filename()]++;
  ASSERT_EQ(outcomes.size(), static_cast<size_t>(n));
  for (const auto& [name, count] : outcomes) EXPECT_EQ(count, 1) << name;
  // One letter per archived input, each Aktenzeichen once, each with its
  // archive folder.
  const auto records = FilesUnder(Root("outbox"), ".decision.xml");
  EXPECT_EQ(records.size(), FilesUnder(Root("archive")).size());
  EXPECT_EQ(Letters(), records.size());
  std::set<std::string> numbers;
  const std::regex az("<Aktenzeichen>([^<]+)</Aktenzeichen>");
  for (const auto& r : records) {
    std::smatch m;
    const std::string text = ReadFileOrDie(r);
    ASSERT_TRUE(std::regex_search(text, m, az));
    EXPECT_TRUE(numbers.insert(m[1]).second) << "used twice: " << m[1];
    EXPECT_EQ(FilesUnder(Root("archive/" + m[1].str())).size(), 1u) << m[1];
  }
  EXPECT_EQ(FilesUnder(Root("rejected"), ".xml").size(),
            static_cast<size_t>(n / 10));  // the broken ones
  EXPECT_EQ(again.Terminate(), 0);
}

TEST_F(WatchTest, StartRecoversEveryCrashWindow) {
  // State as a run killed at four different moments would leave it:
  // (a) letter written, record not yet, no journal entry;
  // (b) record written, no journal entry;
  // (c) decision committed, input not yet archived;
  // (d) input claimed, nothing else done.
  WriteFileOrDie(Root("outbox/2017-08-19/RPS15-IM-2017-00091.pdf"),
                 "%PDF-1.4 orphan");
  WriteFileOrDie(Root("outbox/2017-08-19/RPS15-IM-2017-00092.decision.xml"),
                 "<x/>");
  const std::string committed = Application(20);
  {
    auto journal = store::OpenSqliteJournal(dir_ / "journal.sqlite");
    ASSERT_TRUE(journal.ok());
    ASSERT_TRUE((*journal)
                    ->CommitDecision({pipeline::Sha256Hex(committed),
                                      "c.xml",
                                      "RPS15-IM-2017-00001",
                                      core::DecisionKind::kAblehnung,
                                      {"08435059"},
                                      "<x/>",
                                      "RPS15-IM-2017-00001.pdf",
                                      1})
                    .ok());
  }
  WriteFileOrDie(Root("outbox/2017-08-19/RPS15-IM-2017-00001.pdf"),
                 "%PDF-1.4 kept");
  WriteFileOrDie(Root("outbox/2017-08-19/RPS15-IM-2017-00001.decision.xml"),
                 "<kept/>");
  WriteFileOrDie(Root("processing/000000000001.in"), committed);
  WriteFileOrDie(Root("processing/000000000001.name"), "c.xml\nc.xml\n");
  // (d) as an older version named its claims.
  WriteFileOrDie(Root("processing/1-1-2__d.xml"), Application(21));
  Daemon d(dir_);
  ASSERT_TRUE(
      WaitFor([&] { return InboxAndProcessingEmpty() && Letters() == 2; }, 30s))
      << d.Log();
  EXPECT_FALSE(fs::exists(Root("outbox/2017-08-19/RPS15-IM-2017-00091.pdf")));
  EXPECT_FALSE(
      fs::exists(Root("outbox/2017-08-19/RPS15-IM-2017-00092.decision.xml")));
  EXPECT_EQ(ReadFileOrDie(Root("archive/RPS15-IM-2017-00001/c.xml")),
            committed);
  const auto d_archive = FilesUnder(Root("archive/RPS15-IM-2017-00002"));
  ASSERT_EQ(d_archive.size(), 1u);  // (d) processed anew, next number
  EXPECT_EQ(fs::path(d_archive[0]).filename(), "d.xml");
  EXPECT_EQ(d.Terminate(), 0);
}

TEST_F(WatchTest, IgnoredNamesStayUntouched) {
  const std::vector<std::string> ignored = {
      ".versteckt.xml", "~$antrag.xml",    "kopie.tmp",
      "scan.part",      "upload.filepart", "Thumbs.db",
      "desktop.ini",    ".DS_Store",       "@eaDir/antrag.xml"};
  for (const auto& name : ignored)
    WriteFileOrDie(Root("inbox/" + name), Application(4));
  Drop("echt.xml", Application(5));
  Daemon d(dir_);
  ASSERT_TRUE(WaitFor([&] { return Letters() == 1; }, 30s)) << d.Log();
  std::this_thread::sleep_for(2500ms);  // a few more scans
  for (const auto& name : ignored) {
    ASSERT_TRUE(fs::exists(Root("inbox/" + name))) << name;
    EXPECT_EQ(ReadFileOrDie(Root("inbox/" + name)), Application(4)) << name;
  }
  EXPECT_EQ(Letters(), 1u);
  EXPECT_EQ(d.Terminate(), 0);
}

TEST_F(WatchTest, FileThatStaysIncompleteIsRejectedAsTruncated) {
  const std::string doc = Application(6);
  Daemon d(dir_, {"watch.incomplete-seconds=3"});
  ASSERT_TRUE(WaitFor([&] { return fs::exists(Root("inbox")); }, 10s));
  WriteFileOrDie(Root("inbox/abgebrochen.xml"), doc.substr(0, doc.size() / 2));
  ASSERT_TRUE(WaitFor(
      [&] { return fs::exists(Root("rejected/abgebrochen.xml")); }, 30s))
      << d.Log();
  EXPECT_NE(ReadFileOrDie(Root("rejected/abgebrochen.xml.error.txt"))
                .find("unvollständig"),
            std::string::npos);
  EXPECT_EQ(Letters(), 0u);
  EXPECT_EQ(d.Terminate(), 0);
}

// A truncated XML file gets its reason within watch.stable-seconds plus a
// short grace time, not after watch.incomplete-seconds (5 minutes by
// default) of silence.
TEST_F(WatchTest, TruncatedXmlGetsItsReasonSoon) {
  const std::string doc = Application(7);
  Daemon d(dir_, {"watch.incomplete-seconds=300"});
  ASSERT_TRUE(WaitFor([&] { return fs::exists(Root("inbox")); }, 10s));
  const auto start = std::chrono::steady_clock::now();
  WriteFileOrDie(Root("inbox/halb.xml"), doc.substr(0, doc.size() / 2));
  ASSERT_TRUE(
      WaitFor([&] { return fs::exists(Root("rejected/halb.xml")); }, 20s))
      << d.Log();
  // stable-seconds (1) + grace (5) + a scan interval.
  EXPECT_LT(std::chrono::steady_clock::now() - start, 10s);
  EXPECT_NE(
      ReadFileOrDie(Root("rejected/halb.xml.error.txt")).find("unvollständig"),
      std::string::npos);
  EXPECT_EQ(d.Terminate(), 0);
}

// The service logs its state periodically: queue lengths and throughput.
TEST_F(WatchTest, StatusLineAtTheConfiguredInterval) {
  Daemon d(dir_, {"watch.status-seconds=1"});
  ASSERT_TRUE(WaitFor([&] { return fs::exists(Root("inbox")); }, 10s));
  Drop("a.xml", Application(11));
  ASSERT_TRUE(WaitFor([&] { return Letters() == 1; }, 30s)) << d.Log();
  ASSERT_TRUE(WaitFor(
      [&] { return d.Log().find("finished_total=1") != std::string::npos; },
      10s))
      << d.Log();
  const std::string log = d.Log();
  EXPECT_NE(log.find("status inbox_waiting=0 queued=0 in_flight=0"),
            std::string::npos)
      << log;
  EXPECT_NE(log.find("files_per_minute="), std::string::npos);
  EXPECT_EQ(d.Terminate(), 0);
}

// A decision date outside the programme's period (a wrong clock, last
// year's configuration) produces no letter: the file goes to a person with
// the reason, once, instead of being retried for ever.
TEST_F(WatchTest, DecisionDateOutsideThePeriodGoesToReview) {
  Daemon d(dir_, {"programme.decision-period.to=2017-12-31"});  // demo: 2018
  ASSERT_TRUE(WaitFor([&] { return fs::exists(Root("inbox")); }, 10s));
  Drop("spaet.xml", Application(12));
  ASSERT_TRUE(
      WaitFor([&] { return fs::exists(Root("review/spaet.xml")); }, 30s))
      << d.Log();
  const std::string note = ReadFileOrDie(Root("review/spaet.xml.txt"));
  EXPECT_NE(note.find("Entscheidungsdatum 22.01.2018"), std::string::npos)
      << note;
  EXPECT_NE(note.find("kein Bescheid"), std::string::npos) << note;
  EXPECT_EQ(Letters(), 0u);
  EXPECT_TRUE(InboxAndProcessingEmpty());
  EXPECT_EQ(d.Terminate(), 0);
}

// Scanned forms in the watcher: one is decided and archived like XML; the
// hand-corrected one goes to review/<id>/ (the claimed file leaves
// processing/), and a later XML application for the same municipality
// stays parked, undecided, also across a restart, since the review is open.
TEST_F(WatchTest, ScansAreDecidedOrReviewedAndAReviewHoldsLaterApplications) {
  Drop("2017-08-14_ulm.tif",
       ReadFileOrDie(SourcePath(
           "examples/scans/2017-08-14_bitonal-150-tiff-g4_ulm.tif")));
  Drop("2017-08-14_freiburg.tif",
       ReadFileOrDie(SourcePath(
           "examples/scans/2017-08-14_corrected-300-g4_freiburg.tif")));
  {
    Daemon d(dir_);
    ASSERT_TRUE(WaitFor([&] { return InboxAndProcessingEmpty(); }, 60s))
        << d.Log();
    EXPECT_EQ(Letters(), 1u) << d.Log();
    EXPECT_TRUE(
        fs::exists(Root("archive/RPS15-IM-2017-00001/2017-08-14_ulm.tif")));
    std::vector<std::string> reviews;
    for (const auto& e : fs::directory_iterator(Root("review"))) {
      if (e.is_directory()) reviews.push_back(e.path().string());
    }
    ASSERT_EQ(reviews.size(), 1u);
    EXPECT_TRUE(fs::exists(reviews[0] + "/felder.json"));
    EXPECT_TRUE(fs::exists(reviews[0] + "/feld-position_0_.fte.png"));
    EXPECT_EQ(ReadFileOrDie(reviews[0] + "/original.tif"),
              ReadFileOrDie(SourcePath(
                  "examples/scans/2017-08-14_corrected-300-g4_freiburg.tif")));

    Drop("freiburg.xml",
         ReadFileOrDie(SourcePath("examples/scans/antraege/freiburg.xml")));
    ASSERT_TRUE(WaitFor(
        [&] {
          return d.Log().find("reason=earlier-scan-in-review") !=
                 std::string::npos;
        },
        30s))
        << d.Log();
    EXPECT_EQ(Letters(), 1u);
    EXPECT_EQ(d.Terminate(), 0);
  }
  testing::DaemonOptions second;
  second.log = dir_ / "daemon-2.log";  // this run's lines only
  Daemon again(dir_, second);
  ASSERT_TRUE(again.WaitWatching()) << again.Log();
  ASSERT_TRUE(WaitFor(
      [&] {
        return again.Log().find("reason=earlier-scan-in-review") !=
               std::string::npos;
      },
      30s))
      << again.Log();
  EXPECT_EQ(Letters(), 1u);  // still waiting for the review
  EXPECT_FALSE(InboxAndProcessingEmpty());
  EXPECT_EQ(again.Terminate(), 0);
}

// A scan goes through the scan intake (a PDF without pages is refused with
// its reason); a file of no known kind is rejected.
TEST_F(WatchTest, BrokenScansAndOtherFilesAreRejected) {
  Drop("scan.pdf", "%PDF-1.4\n1 0 obj\n<<>>\nendobj\n%%EOF\n");
  Drop("notiz.docx", "PK\x03\x04 not an application");
  Daemon d(dir_);
  ASSERT_TRUE(WaitFor([&] { return InboxAndProcessingEmpty(); }, 30s))
      << d.Log();
  EXPECT_TRUE(fs::exists(Root("rejected/scan.pdf")));
  EXPECT_NE(ReadFileOrDie(Root("rejected/scan.pdf.error.txt"))
                .find("Die Datei 'scan.pdf' wurde nicht bearbeitet."),
            std::string::npos);
  EXPECT_NE(ReadFileOrDie(Root("rejected/notiz.docx.error.txt")).find("Format"),
            std::string::npos);
  EXPECT_EQ(Letters(), 0u);
  EXPECT_EQ(d.Terminate(), 0);
}

TEST_F(WatchTest, InputThatKeptCrashingIsRejectedAfterMaxAttempts) {
  // Three earlier attempts that never finished (the service crashed or hung
  // on this file each time), as the journal would have counted them.
  const std::string doc = Application(7);
  {
    auto journal = store::OpenSqliteJournal(dir_ / "journal.sqlite");
    ASSERT_TRUE(journal.ok());
    for (int i = 0; i < 3; ++i) {
      ASSERT_TRUE(
          (*journal)->BeginAttempt(pipeline::Sha256Hex(doc), "gift.xml").ok());
    }
  }
  Drop("gift.xml", doc);
  Daemon d(dir_, {"intake.max-attempts=3"});
  ASSERT_TRUE(
      WaitFor([&] { return fs::exists(Root("rejected/gift.xml")); }, 30s))
      << d.Log();
  EXPECT_NE(ReadFileOrDie(Root("rejected/gift.xml.error.txt"))
                .find("3-mal abgebrochen"),
            std::string::npos);
  EXPECT_EQ(Letters(), 0u);
  EXPECT_EQ(d.Terminate(), 0);
}

TEST_F(WatchTest, SighupReloadsWithoutDroppingWork) {
  Daemon d(dir_);
  ASSERT_TRUE(WaitFor([&] { return fs::exists(Root("inbox")); }, 10s));
  Drop("vor-reload.xml", Application(8));
  ASSERT_TRUE(WaitFor([&] { return Letters() == 1; }, 30s)) << d.Log();
  d.Signal(SIGHUP);
  ASSERT_TRUE(WaitFor(
      [&] {
        return d.Log().find("SIGHUP: reloading") != std::string::npos &&
               d.Log().rfind("watching") > d.Log().find("SIGHUP");
      },
      20s))
      << d.Log();
  Drop("nach-reload.xml", Application(9));
  ASSERT_TRUE(WaitFor([&] { return Letters() == 2; }, 30s)) << d.Log();
  EXPECT_EQ(d.Terminate(), 0);
}

// Kills, when it goes out of scope, the backgrounded daemon of a test: the
// process named in its PID file once that could be read, else every process
// of ours whose command line names the test's unique PID file path (the
// daemon forked away from us, so it is not our child to wait for).
class KillDaemonOnExit {
 public:
  explicit KillDaemonOnExit(std::string pidfile)
      : pidfile_(std::move(pidfile)) {}
  ~KillDaemonOnExit() {
    if (pid_ > 1 && ::kill(pid_, 0) == 0) ::kill(pid_, SIGKILL);
    std::error_code ec;
    for (const auto& e : fs::directory_iterator("/proc", ec)) {
      const std::string name = e.path().filename();
      if (name.find_first_not_of("0123456789") != std::string::npos) continue;
      struct stat st;
      if (::stat(e.path().c_str(), &st) != 0 || st.st_uid != ::getuid()) {
        continue;
      }
      std::string cmdline;
      try {
        cmdline = ReadFileOrDie(e.path() / "cmdline");
      } catch (const std::exception&) {
        continue;
      }
      std::replace(cmdline.begin(), cmdline.end(), '\0', ' ');
      if (cmdline.find(" --pidfile " + pidfile_ + " ") != std::string::npos) {
        ::kill(std::stoi(name), SIGKILL);
      }
    }
  }
  void set_pid(pid_t pid) { pid_ = pid; }

 private:
  std::string pidfile_;
  pid_t pid_ = -1;
};

TEST(WatchServiceTest, DaemonModeWritesAndRemovesThePidFile) {
  TempDir dir;
  fs::create_directories(dir / "root");
  const std::string pidfile = dir / "bescheid.pid";
  KillDaemonOnExit guard(pidfile);  // on every exit path, before dir goes
  auto r = bescheid::testing::RunCommand(
      "cd '" + std::string(BESCHEID_SOURCE_DIR) + "' && '" + BESCHEID_BINARY +
      "' watch --daemon --pidfile '" + pidfile + "' -D watch.root='" +
      (dir / "root") + "' -D store.path='" + (dir / "j.sqlite") +
      "' -D log.file='" + (dir / "bescheid.log") + "'");
  ASSERT_EQ(r.exit_code, 0) << r.out;  // the parent returns at once
  // The file appears before its content is written: wait for a whole line.
  std::string line;
  ASSERT_TRUE(WaitFor(
      [&] {
        try {
          line = ReadFileOrDie(pidfile);
        } catch (const std::exception&) {
          return false;
        }
        return line.size() >= 2 && line.back() == '\n' &&
               line.find_first_not_of("0123456789") == line.size() - 1;
      },
      10s))
      << "PID file content: '" << line << "'";
  const pid_t pid = std::stoi(line);
  guard.set_pid(pid);
  ASSERT_GT(pid, 1);
  EXPECT_EQ(::kill(pid, 0), 0);  // running
  ASSERT_TRUE(WaitFor(
      [&] {
        return fs::exists(dir / "bescheid.log") &&
               ReadFileOrDie(dir / "bescheid.log").find("watching") !=
                   std::string::npos;
      },
      10s));
  ::kill(pid, SIGTERM);
  EXPECT_TRUE(WaitFor([&] { return !fs::exists(pidfile); }, 30s));
  EXPECT_TRUE(WaitFor([&] { return ::kill(pid, 0) != 0; }, 30s));
  EXPECT_NE(ReadFileOrDie(dir / "bescheid.log").find("stopped"),
            std::string::npos);
}

// --daemon reports every start error on the terminal, with exit 2, before
// it detaches (it used to return 0 and die without a word), and writes no
// PID file then; the PID file exists as soon as the parent has returned.
TEST(WatchServiceTest, DaemonModeReportsStartErrorsBeforeDetaching) {
  TempDir dir;
  fs::create_directories(dir / "root");
  const std::string pidfile = dir / "bescheid.pid";
  KillDaemonOnExit guard(pidfile);
  auto watch = [&](const std::string& store, const std::string& pid) {
    return bescheid::testing::RunCommand(
        "cd '" + std::string(BESCHEID_SOURCE_DIR) + "' && '" + BESCHEID_BINARY +
        "' watch --daemon --pidfile '" + pid + "' -D watch.root='" +
        (dir / "root") + "' -D store.path='" + store + "' -D log.file='" +
        (dir / "bescheid.log") + "' 2>&1");
  };
  // A bad configuration value.
  auto bad = bescheid::testing::RunCommand(
      "cd '" + std::string(BESCHEID_SOURCE_DIR) + "' && '" + BESCHEID_BINARY +
      "' watch --daemon -D watch.workers=viele -D watch.root='" +
      (dir / "root") + "' 2>&1");
  EXPECT_EQ(bad.exit_code, 2) << bad.out;
  EXPECT_NE(bad.out.find("watch.workers"), std::string::npos) << bad.out;
  // A watch root that does not exist is not created (a typo would make
  // the service watch a folder nobody uses).
  auto typo = bescheid::testing::RunCommand(
      "cd '" + std::string(BESCHEID_SOURCE_DIR) + "' && '" + BESCHEID_BINARY +
      "' watch --daemon -D watch.root='" + (dir / "rooot") +
      "' -D store.path='" + (dir / "j1.sqlite") + "' -D log.file='" +
      (dir / "y.log") + "' 2>&1");
  EXPECT_EQ(typo.exit_code, 2) << typo.out;
  EXPECT_NE(typo.out.find("existiert nicht"), std::string::npos) << typo.out;
  EXPECT_FALSE(fs::exists(dir / "rooot"));
  // A reference table that cannot be read is found after the fork.
  auto missing = bescheid::testing::RunCommand(
      "cd '" + std::string(BESCHEID_SOURCE_DIR) + "' && '" + BESCHEID_BINARY +
      "' watch --daemon -D reference.gemeinden=/nonexistent.csv" +
      " -D watch.root='" + (dir / "root") + "' -D store.path='" +
      (dir / "j0.sqlite") + "' -D log.file='" + (dir / "x.log") + "' 2>&1");
  EXPECT_EQ(missing.exit_code, 2) << missing.out;
  EXPECT_NE(missing.out.find("Referenztabelle"), std::string::npos)
      << missing.out;

  auto first = watch(dir / "j.sqlite", pidfile);
  ASSERT_EQ(first.exit_code, 0) << first.out;
  ASSERT_TRUE(fs::exists(pidfile));  // written before the parent returned
  const pid_t pid = std::stoi(ReadFileOrDie(pidfile));
  guard.set_pid(pid);
  // A second service on the same root: refused on the terminal, naming
  // the first one's PID; no PID file of its own.
  auto second = watch(dir / "j2.sqlite", dir / "second.pid");
  EXPECT_EQ(second.exit_code, 2) << second.out;
  EXPECT_NE(second.out.find("Prozess " + std::to_string(pid)),
            std::string::npos)
      << second.out;
  EXPECT_FALSE(fs::exists(dir / "second.pid"));
  EXPECT_EQ(::kill(pid, 0), 0);  // the first runs on
  ::kill(pid, SIGTERM);
  EXPECT_TRUE(WaitFor([&] { return ::kill(pid, 0) != 0; }, 30s));
}

}  // namespace
}  // namespace bescheid
