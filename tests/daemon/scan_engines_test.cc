// The watcher makes every worker's scan reader, and prepares it (an OCR
// engine: Tesseract's model loaded, which writes process-wide parameters),
// on the starting thread before any worker runs; workers only read.
#include <Poco/AutoPtr.h>
#include <Poco/Logger.h>
#include <Poco/NullChannel.h>
#include <gtest/gtest.h>

#include <filesystem>
#include <mutex>
#include <thread>

#include "daemon/watcher.h"
#include "daemon_harness.h"
#include "test_util.h"

namespace bescheid::daemon {
namespace {

using bescheid::testing::ReadFileOrDie;
using bescheid::testing::SourcePath;
using bescheid::testing::TempDir;
using bescheid::testing::WaitFor;
using bescheid::testing::WriteFileOrDie;
namespace fs = std::filesystem;

// What the readers did, in order, and on which thread.
struct Events {
  struct Event {
    std::string what;  // "made", "prepared", "read"
    std::thread::id thread;
  };
  void Add(const std::string& what) {
    std::lock_guard<std::mutex> lock(mu);
    list.push_back({what, std::this_thread::get_id()});
  }
  std::vector<Event> Copy() {
    std::lock_guard<std::mutex> lock(mu);
    return list;
  }
  std::mutex mu;
  std::vector<Event> list;
};

// Finds no form in any scan (the file then goes to review/ whole).
class RecordingReader final : public pipeline::ScanReader {
 public:
  RecordingReader(Events* events, bool fail_prepare)
      : events_(events), fail_prepare_(fail_prepare) {}
  Status Prepare() override {
    events_->Add("prepared");
    if (fail_prepare_) return ConfigError("no model in /nirgends");
    return Status::Ok();
  }
  Result<scan::ScanReading> Read(scan::PageSource& /*pages*/) override {
    events_->Add("read");
    return scan::ScanReading{};
  }

 private:
  Events* events_;
  bool fail_prepare_;
};

class ScanEnginesTest : public ::testing::Test {
 protected:
  ScanEnginesTest() {
    log_.setChannel(Poco::AutoPtr<Poco::Channel>(new Poco::NullChannel));
    reference_ = *core::ReferenceTable::ParseCsv(
        ReadFileOrDie(SourcePath("config/reference/gemeinden.csv")));
    reader_ = std::move(xml::ApplicationReader::Create()).value();
    journal_ = std::move(store::OpenSqliteJournal(dir_ / "j.sqlite")).value();
    settings_.watch.root = dir_ / "root";
    settings_.watch.workers = 3;
    settings_.watch.stable_seconds = 0;
    settings_.watch.polling = true;
    settings_.letters.templates_dir = SourcePath("templates/letters");
    settings_.letters.font_regular = SourcePath("fonts/DejaVuSans-letters.ttf");
    settings_.letters.font_bold =
        SourcePath("fonts/DejaVuSans-Bold-letters.ttf");
    fs::create_directories(dir_ / "root/inbox");
    WriteFileOrDie(
        dir_ / "root/inbox/2017-08-14_scan.tif",
        ReadFileOrDie(SourcePath(
            "examples/scans/2017-08-14_bitonal-150-tiff-g4_ulm.tif")));
  }

  Watcher::ScanReaderFactory Factory(bool fail_prepare) {
    return [this,
            fail_prepare]() -> Result<std::unique_ptr<pipeline::ScanReader>> {
      events_.Add("made");
      return std::unique_ptr<pipeline::ScanReader>(
          new RecordingReader(&events_, fail_prepare));
    };
  }

  TempDir dir_;
  Poco::Logger& log_ = Poco::Logger::get("scan-engines-test");
  config::Settings settings_;
  core::ReferenceTable reference_;
  std::unique_ptr<xml::ApplicationReader> reader_;
  std::unique_ptr<store::Journal> journal_;
  Events events_;
};

TEST_F(ScanEnginesTest, EveryReaderIsPreparedBeforeAnyWorkerReads) {
  pipeline::Pipeline pipe(settings_, &reference_, reader_.get(), journal_.get(),
                          nullptr, DefaultEnv());
  Watcher watcher(settings_, &pipe, journal_.get(), DefaultEnv(), &log_);
  watcher.SetFatalHandler([](const std::string&) {});
  watcher.SetScanReaderFactory(Factory(/*fail_prepare=*/false));
  ASSERT_TRUE(watcher.Start().ok());
  const std::thread::id starter = std::this_thread::get_id();
  EXPECT_TRUE(WaitFor(
      [&] { return fs::exists(dir_ / "root/review/2017-08-14_scan.tif"); },
      30));
  EXPECT_TRUE(watcher.Stop(10));

  const std::vector<Events::Event> events = events_.Copy();
  std::vector<std::string> whats;
  for (const Events::Event& e : events) whats.push_back(e.what);
  EXPECT_EQ(whats,
            (std::vector<std::string>{"made", "prepared", "made", "prepared",
                                      "made", "prepared", "read"}));
  for (size_t i = 0; i + 1 < events.size(); ++i) {
    EXPECT_EQ(events[i].thread, starter) << events[i].what << " " << i;
  }
  ASSERT_FALSE(events.empty());
  EXPECT_NE(events.back().thread, starter);  // a worker read it
}

TEST_F(ScanEnginesTest, AReaderThatCannotBePreparedStopsTheStart) {
  pipeline::Pipeline pipe(settings_, &reference_, reader_.get(), journal_.get(),
                          nullptr, DefaultEnv());
  Watcher watcher(settings_, &pipe, journal_.get(), DefaultEnv(), &log_);
  watcher.SetFatalHandler([](const std::string&) {});
  watcher.SetScanReaderFactory(Factory(/*fail_prepare=*/true));
  const Status s = watcher.Start();
  EXPECT_EQ(s.code(), StatusCode::kConfig);
  EXPECT_NE(s.message().find("Die Texterkennung für gescannte Anträge konnte "
                             "nicht gestartet werden (no model in "
                             "/nirgends)."),
            std::string::npos)
      << s.message();
  // No worker ran: the file was not taken.
  EXPECT_TRUE(fs::exists(dir_ / "root/inbox/2017-08-14_scan.tif"));
  std::vector<std::string> whats;
  for (const Events::Event& e : events_.Copy()) whats.push_back(e.what);
  EXPECT_EQ(whats, (std::vector<std::string>{"made", "prepared"}));
}

}  // namespace
}  // namespace bescheid::daemon
