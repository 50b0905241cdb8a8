// Scans do not starve XML: the watcher takes scans only as fast as its
// workers read them, so an XML application dropped while scans wait is
// taken before them and decided while they are still being read.
// Deterministic: the scan reader holds every read at a gate that the test
// opens read by read; nothing is timed (the waits only bound a hang).
#include <Poco/AutoPtr.h>
#include <Poco/Logger.h>
#include <Poco/NullChannel.h>
#include <gtest/gtest.h>
#include <stdlib.h>

#include <condition_variable>
#include <filesystem>
#include <map>
#include <mutex>
#include <thread>
#include <vector>

#include "daemon/watcher.h"
#include "daemon_harness.h"
#include "test_util.h"

namespace bescheid::daemon {
namespace {

using bescheid::testing::FilesUnder;
using bescheid::testing::ReadFileOrDie;
using bescheid::testing::SourcePath;
using bescheid::testing::TempDir;
using bescheid::testing::WaitFor;
using bescheid::testing::WriteFileOrDie;
namespace fs = std::filesystem;

// Holds each read until the test lets it through.
class Gate {
 public:
  // Blocks until a permit is there (or the gate is open), then uses it.
  void Pass() {
    std::unique_lock<std::mutex> lock(mu_);
    ++entered_;
    cv_.wait(lock, [&] { return open_ || permits_ > 0; });
    if (!open_) --permits_;
  }
  void Permit(int n) {
    std::lock_guard<std::mutex> lock(mu_);
    permits_ += n;
    cv_.notify_all();
  }
  void Open() {
    std::lock_guard<std::mutex> lock(mu_);
    open_ = true;
    cv_.notify_all();
  }
  int entered() {
    std::lock_guard<std::mutex> lock(mu_);
    return entered_;
  }

 private:
  std::mutex mu_;
  std::condition_variable cv_;
  int permits_ = 0;
  int entered_ = 0;
  bool open_ = false;
};

// Opens its gates when it goes out of scope: on every way out of a test,
// before the watcher stops, no read stays held.
struct OpenOnExit {
  std::vector<Gate*> gates;
  ~OpenOnExit() {
    for (Gate* g : gates) g->Open();
  }
};

// Reads a scan as slowly as the gate says and finds no form in it (the
// file then goes to review/ whole).
class GatedReader final : public pipeline::ScanReader {
 public:
  explicit GatedReader(Gate* gate) : gate_(gate) {}
  Result<scan::ScanReading> Read(scan::PageSource& /*pages*/) override {
    gate_->Pass();
    return scan::ScanReading{};
  }

 private:
  Gate* gate_;
};

// Reads every scan as the application given, once the gate for its page
// count lets it through (so a test tells its scans apart by page count).
class KeyedReader final : public pipeline::ScanReader {
 public:
  KeyedReader(std::map<int, Gate*> gates, core::Application app)
      : gates_(std::move(gates)), app_(std::move(app)) {}
  Result<scan::ScanReading> Read(scan::PageSource& pages) override {
    auto gate = gates_.find(pages.page_count());
    if (gate == gates_.end()) return InternalError("no gate for this scan");
    gate->second->Pass();
    scan::ScannedDocument doc;
    doc.application = app_;
    doc.from_barcode = true;
    doc.signature_present = true;
    return scan::ScanReading{{doc}};
  }

 private:
  std::map<int, Gate*> gates_;
  core::Application app_;
};

class ScanFairnessTest : public ::testing::TestWithParam<int> {
 protected:
  ScanFairnessTest() {
    // Decisions on the demo date, inside the programme's decision period.
    ::setenv("SOURCE_DATE_EPOCH", bescheid::testing::kDemoEpoch, 1);
    log_.setChannel(Poco::AutoPtr<Poco::Channel>(new Poco::NullChannel));
    reference_ = *core::ReferenceTable::ParseCsv(
        ReadFileOrDie(SourcePath("config/reference/gemeinden.csv")));
    reader_ = std::move(xml::ApplicationReader::Create()).value();
    journal_ = std::move(store::OpenSqliteJournal(dir_ / "j.sqlite")).value();
    settings_.watch.root = dir_ / "root";
    settings_.watch.workers = GetParam();
    settings_.watch.stable_seconds = 0;
    settings_.watch.rescan_seconds = 1;
    settings_.watch.polling = true;
    settings_.letters.templates_dir = SourcePath("templates/letters");
    settings_.letters.font_regular = SourcePath("fonts/DejaVuSans-letters.ttf");
    settings_.letters.font_bold =
        SourcePath("fonts/DejaVuSans-Bold-letters.ttf");
    fs::create_directories(dir_ / "root/inbox");
    fs::create_directories(dir_ / "staging");
  }

  std::string Root(const std::string& rel) { return dir_ / ("root/" + rel); }

  // A watcher on settings_ (and a pipeline for it), not started; it lives
  // as long as the test.
  Watcher& MakeWatcher() {
    pipe_ = std::make_unique<pipeline::Pipeline>(settings_, &reference_,
                                                 reader_.get(), journal_.get(),
                                                 nullptr, DefaultEnv());
    watcher_ = std::make_unique<Watcher>(settings_, pipe_.get(), journal_.get(),
                                         DefaultEnv(), &log_);
    return *watcher_;
  }
  // Renames an XML application into the inbox as antrag.xml.
  void DropXml() {
    WriteFileOrDie(dir_ / "staging/antrag.xml",
                   bescheid::testing::Application(1));
    fs::rename(dir_ / "staging/antrag.xml", Root("inbox/antrag.xml"));
  }
  // The first `n` of `names` from examples/scans/, into the inbox.
  void DropExampleScans(const std::vector<std::string>& names, int n) {
    for (int i = 0; i < n; ++i) {
      WriteFileOrDie(Root("inbox/" + names[i]),
                     ReadFileOrDie(SourcePath("examples/scans/" + names[i])));
    }
  }
  // Waits until inbox/ and processing/ are empty.
  bool Drained() {
    return WaitFor(
        [&] {
          return FilesUnder(Root("inbox")).empty() &&
                 FilesUnder(Root("processing")).empty();
        },
        30);
  }

  // Every scan `watcher` reads passes gate_; a fatal error is ignored.
  void ReadThroughGate(Watcher& watcher) {
    watcher.SetFatalHandler([](const std::string&) {});
    watcher.SetScanReaderFactory(
        [this]() -> Result<std::unique_ptr<pipeline::ScanReader>> {
          return std::unique_ptr<pipeline::ScanReader>(new GatedReader(&gate_));
        });
  }

  // The decision kind (<Art>) by input file name (<Datei>), from every
  // decision record in outbox/.
  std::map<std::string, std::string> KindsByFile() {
    std::map<std::string, std::string> kinds;
    for (const auto& r : FilesUnder(Root("outbox"), ".decision.xml")) {
      const std::string text = ReadFileOrDie(r);
      kinds[Between(text, "<Datei>", "</Datei>")] =
          Between(text, "<Art>", "</Art>");
    }
    return kinds;
  }
  static std::string Between(const std::string& text, const std::string& from,
                             const std::string& to) {
    const size_t at = text.find(from);
    if (at == std::string::npos) return "";
    const size_t begin = at + from.size();
    return text.substr(begin, text.find(to, begin) - begin);
  }

  TempDir dir_;
  Poco::Logger& log_ = Poco::Logger::get("scan-fairness-test");
  config::Settings settings_;
  core::ReferenceTable reference_;
  std::unique_ptr<xml::ApplicationReader> reader_;
  std::unique_ptr<store::Journal> journal_;
  Gate gate_;
  std::unique_ptr<pipeline::Pipeline> pipe_;
  std::unique_ptr<Watcher> watcher_;  // after pipe_: destroyed first
};

// One scan more than there are workers: with every worker reading a scan,
// the last scan waits in the inbox, and an XML file dropped then is taken
// before it. Once the scans in hand are read, the XML file is decided while
// the last scan's read is still held at the gate. (Were the last scan taken
// before the XML file, a worker would hold it at the gate, and the XML
// file's turn, after it, would never come.)
TEST_P(ScanFairnessTest, XmlDroppedBehindScansIsDecidedBeforeTheLastScan) {
  const int workers = GetParam();
  const std::vector<std::string> scans = {
      "2017-08-14_bitonal-150-tiff-g4_ulm.tif",
      "2017-08-14_corrected-300-g4_freiburg.tif",
      "2017-08-14_unsigned-300-g4_heidelberg.tif"};
  ASSERT_LE(workers + 1, static_cast<int>(scans.size()));
  DropExampleScans(scans, workers + 1);
  Watcher& watcher = MakeWatcher();
  ReadThroughGate(watcher);
  ASSERT_TRUE(watcher.Start().ok());
  OpenOnExit open_on_exit{{&gate_}};

  // Every worker holds a scan at the gate; the last scan waits.
  ASSERT_TRUE(WaitFor([&] { return gate_.entered() == workers; }, 30));
  const std::string waiting = Root("inbox/" + scans[workers]);
  EXPECT_TRUE(fs::exists(waiting));

  DropXml();
  ASSERT_TRUE(
      WaitFor([&] { return !fs::exists(Root("inbox/antrag.xml")); }, 30));
  EXPECT_TRUE(fs::exists(waiting));  // taken after the XML file

  // The scans in hand are read; the last one is taken and held.
  gate_.Permit(workers);
  const bool decided =
      WaitFor([&] { return !FilesUnder(Root("outbox"), ".pdf").empty(); }, 30);
  EXPECT_TRUE(decided) << "the XML application waited for the last scan";
  EXPECT_FALSE(fs::exists(Root("review/" + scans[workers])));

  gate_.Open();
  EXPECT_TRUE(Drained());
  EXPECT_TRUE(watcher.Stop(10));
  for (int i = 0; i <= workers; ++i) {
    EXPECT_TRUE(fs::exists(Root("review/" + scans[i]))) << scans[i];
  }
  EXPECT_EQ(FilesUnder(Root("outbox"), ".pdf").size(), 1u);
  EXPECT_EQ(FilesUnder(Root("archive"), "antrag.xml").size(), 1u);
}

// Every worker reads a scan, held at the gate: an XML file dropped then is
// taken by the XML lane and decided at once. A scan has no place in the
// decision order until it is read, so the XML file waits neither for a
// worker nor for the scans in hand.
TEST_P(ScanFairnessTest, XmlDroppedWhileEveryWorkerReadsAScanIsDecidedAtOnce) {
  const int workers = GetParam();
  const std::vector<std::string> scans = {
      "2017-08-14_bitonal-150-tiff-g4_ulm.tif",
      "2017-08-14_corrected-300-g4_freiburg.tif"};
  DropExampleScans(scans, workers);
  Watcher& watcher = MakeWatcher();
  ReadThroughGate(watcher);
  ASSERT_TRUE(watcher.Start().ok());
  OpenOnExit open_on_exit{{&gate_}};
  ASSERT_TRUE(WaitFor([&] { return gate_.entered() == workers; }, 30));

  DropXml();
  EXPECT_TRUE(WaitFor(
      [&] { return FilesUnder(Root("outbox"), ".pdf").size() == 1; }, 30))
      << "the XML application waited for the scans being read";
  EXPECT_EQ(gate_.entered(), workers);  // the scans are still held

  gate_.Open();
  EXPECT_TRUE(Drained());
  EXPECT_TRUE(watcher.Stop(10));
  for (int i = 0; i < workers; ++i) {
    EXPECT_TRUE(fs::exists(Root("review/" + scans[i]))) << scans[i];
  }
}

// Tests that need two scans read at once.
class TwoWorkers : public ScanFairnessTest {};

// Two scans for one municipality, read at once, the second read first: the
// one taken first still gets the grant, as scans take their tickets in the
// order they were taken.
TEST_P(TwoWorkers, ScansReadOutOfOrderAreDecidedInTheOrderTaken) {
  Result<core::Application> app = reader_->Read(
      ReadFileOrDie(SourcePath("examples/01-bewilligung-tettnang.xml")),
      "tettnang.xml");
  ASSERT_TRUE(app.ok()) << app.status().message();
  // Three pages and one page: the reader tells them apart by that.
  const std::string first = "2017-08-14_a-erster.tif";
  const std::string second = "2017-08-14_b-zweiter.png";
  WriteFileOrDie(Root("inbox/" + first),
                 ReadFileOrDie(SourcePath(
                     "examples/scans/2017-08-14_bitonal-150-tiff-g4_ulm.tif")));
  WriteFileOrDie(Root("inbox/" + second),
                 ReadFileOrDie(SourcePath(
                     "tests/fuzz/corpus/fuzz_scan_intake/seite.png")));
  Gate first_gate, second_gate;
  // Local, after the gates: stopped before they go, on every way out.
  pipeline::Pipeline pipe(settings_, &reference_, reader_.get(), journal_.get(),
                          nullptr, DefaultEnv());
  Watcher watcher(settings_, &pipe, journal_.get(), DefaultEnv(), &log_);
  watcher.SetFatalHandler([](const std::string&) {});
  watcher.SetScanReaderFactory(
      [&]() -> Result<std::unique_ptr<pipeline::ScanReader>> {
        return std::unique_ptr<pipeline::ScanReader>(
            new KeyedReader({{3, &first_gate}, {1, &second_gate}}, *app));
      });
  ASSERT_TRUE(watcher.Start().ok());
  OpenOnExit open_on_exit{{&first_gate, &second_gate}};
  ASSERT_TRUE(WaitFor(
      [&] { return first_gate.entered() == 1 && second_gate.entered() == 1; },
      30));

  second_gate.Open();  // read, it waits for the first one's ticket
  std::this_thread::sleep_for(std::chrono::milliseconds(300));
  EXPECT_TRUE(FilesUnder(Root("outbox"), ".pdf").empty())
      << "the scan taken second was decided first";
  first_gate.Open();
  EXPECT_TRUE(WaitFor(
      [&] { return FilesUnder(Root("outbox"), ".pdf").size() == 2; }, 30));
  EXPECT_TRUE(watcher.Stop(10));
  const std::map<std::string, std::string> expected = {{first, "BEWILLIGUNG"},
                                                       {second, "ABLEHNUNG"}};
  EXPECT_EQ(KindsByFile(), expected);
}

// A scan renamed into the inbox is complete (a rename is atomic), so it is
// taken at once; one written in place waits for the stability window, as a
// scanner may pause between pages. (An hour's window here: the scan
// written in place must still be in the inbox after the other is read.)
TEST_P(ScanFairnessTest, AScanRenamedInIsTakenWithoutWaitingForTheWindow) {
  settings_.watch.polling = false;  // inotify tells a rename from a write
  settings_.watch.stable_seconds = 3600;
  const std::string in_place = "2017-08-14_bitonal-150-tiff-g4_ulm.tif";
  const std::string renamed = "2017-08-14_corrected-300-g4_freiburg.tif";
  Watcher& watcher = MakeWatcher();
  ReadThroughGate(watcher);
  gate_.Open();
  ASSERT_TRUE(watcher.Start().ok());
  WriteFileOrDie(Root("inbox/" + in_place),
                 ReadFileOrDie(SourcePath("examples/scans/" + in_place)));
  WriteFileOrDie(dir_ / ("staging/" + renamed),
                 ReadFileOrDie(SourcePath("examples/scans/" + renamed)));
  fs::rename(dir_ / ("staging/" + renamed), Root("inbox/" + renamed));
  EXPECT_TRUE(
      WaitFor([&] { return fs::exists(Root("review/" + renamed)); }, 30));
  EXPECT_TRUE(fs::exists(Root("inbox/" + in_place)));
  EXPECT_EQ(gate_.entered(), 1);
  EXPECT_TRUE(watcher.Stop(10));
}

INSTANTIATE_TEST_SUITE_P(Workers, ScanFairnessTest, ::testing::Values(1, 2));
INSTANTIATE_TEST_SUITE_P(ScanFairness, TwoWorkers, ::testing::Values(2));

}  // namespace
}  // namespace bescheid::daemon
