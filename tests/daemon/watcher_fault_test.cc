// The watcher in-process with an Env that fails reads, writes and moves as
// a full disk, a broken share or an unreadable file would, and a journal
// that breaks.
#include <Poco/AutoPtr.h>
#include <Poco/Channel.h>
#include <Poco/Logger.h>
#include <Poco/Message.h>
#include <gtest/gtest.h>

#include <chrono>
#include <filesystem>
#include <mutex>
#include <thread>

#include "daemon/watcher.h"
#include "daemon_harness.h"
#include "fault_env.h"
#include "forwarding_journal.h"
#include "test_util.h"

namespace bescheid::daemon {
namespace {

using bescheid::testing::ReadFileOrDie;
using bescheid::testing::SourcePath;
using bescheid::testing::TempDir;
using bescheid::testing::WaitFor;
using bescheid::testing::WriteFileOrDie;
namespace fs = std::filesystem;

// Keeps every log line, for assertions on what operators would see.
class CaptureChannel : public Poco::Channel {
 public:
  void log(const Poco::Message& msg) override {
    std::lock_guard<std::mutex> lock(mu_);
    lines_.push_back(msg.getText());
  }
  size_t Count(const std::string& needle) {
    std::lock_guard<std::mutex> lock(mu_);
    size_t n = 0;
    for (const auto& l : lines_) n += l.find(needle) != std::string::npos;
    return n;
  }
  std::string All() {
    std::lock_guard<std::mutex> lock(mu_);
    std::string out;
    for (const auto& l : lines_) out += l + "\n";
    return out;
  }

 private:
  std::mutex mu_;
  std::vector<std::string> lines_;
};

// A journal whose calls fail while `broken` is set (reads of committed
// decisions excepted), and whose health check says it cannot recover.
class BreakingJournal final : public bescheid::testing::ForwardingJournal {
 public:
  using ForwardingJournal::ForwardingJournal;
  std::atomic<bool> broken{false};

 private:
  Status Gate(Call call) override {
    const bool fails =
        IsWrite(call) || call == Call::kFindInput || call == Call::kHealth;
    if (!broken || !fails) return Status::Ok();
    return StoreError("journal: the store cannot recover (test)");
  }
};

class WatcherFaultTest : public ::testing::Test {
 protected:
  void SetUp() override {
    settings_.watch.root = dir_ / "root";
    fs::create_directories(settings_.watch.root);
    settings_.watch.workers = 1;
    settings_.watch.stable_seconds = 1;
    settings_.letters.templates_dir = SourcePath("templates/letters");
    settings_.letters.font_regular = SourcePath("fonts/DejaVuSans-letters.ttf");
    settings_.letters.font_bold =
        SourcePath("fonts/DejaVuSans-Bold-letters.ttf");
    reference_ = *core::ReferenceTable::ParseCsv(
        ReadFileOrDie(SourcePath("config/reference/gemeinden.csv")));
    reader_ = std::move(xml::ApplicationReader::Create()).value();
    journal_ =
        std::move(store::OpenSqliteJournal(dir_ / "journal.sqlite")).value();
    log_.setChannel(channel_);
    log_.setLevel(Poco::Message::PRIO_INFORMATION);
  }

  void Start(store::Journal* journal = nullptr) {
    journal = journal ? journal : journal_.get();
    pipeline_ = std::make_unique<pipeline::Pipeline>(
        settings_, &reference_, reader_.get(), journal, nullptr, &env_);
    watcher_ = std::make_unique<Watcher>(settings_, pipeline_.get(), journal,
                                         &env_, &log_);
    watcher_->SetFatalHandler([this](const std::string& reason) {
      std::lock_guard<std::mutex> lock(fatal_mu_);
      fatal_ = reason;
    });
    ASSERT_TRUE(watcher_->Start().ok());
  }
  std::string Example(const std::string& name) {
    return ReadFileOrDie(SourcePath("examples/" + name));
  }
  std::string Tree() {
    std::string tree;
    for (const auto& e : fs::recursive_directory_iterator(dir_ / "root")) {
      tree += e.path().string() + "\n";
    }
    return tree + channel_->All();
  }
  // The kind in the decision record archived under `aktenzeichen`.
  std::string KindOf(const std::string& aktenzeichen) {
    for (const auto& e :
         fs::recursive_directory_iterator(dir_ / "root/outbox")) {
      if (e.path().filename() == aktenzeichen + ".decision.xml") {
        const std::string xml = ReadFileOrDie(e.path());
        const size_t at = xml.find("<Art>");
        if (at == std::string::npos) return "?";
        return xml.substr(at + 5, xml.find('<', at + 5) - at - 5);
      }
    }
    return "";
  }

  TempDir dir_;
  config::Settings settings_;
  core::ReferenceTable reference_;
  std::unique_ptr<xml::ApplicationReader> reader_;
  std::unique_ptr<store::Journal> journal_;
  bescheid::testing::FaultEnv env_{[](const std::string& p) {
    return p.find("/outbox/") != std::string::npos;
  }};
  Poco::AutoPtr<CaptureChannel> channel_{new CaptureChannel};
  Poco::Logger& log_ = Poco::Logger::get("watcher-fault-test");
  std::unique_ptr<pipeline::Pipeline> pipeline_;
  std::unique_ptr<Watcher> watcher_;
  std::mutex fatal_mu_;
  std::string fatal_;
};

TEST_F(WatcherFaultTest, FullOutboxKeepsTheInputAndRetriesLater) {
  env_.failing = true;
  Start();
  WriteFileOrDie(dir_ / "root/inbox/antrag.xml",
                 Example("01-bewilligung-tettnang.xml"));
  ASSERT_TRUE(WaitFor([&] { return env_.refused > 0; }, 20));
  // The input is kept (claimed, not lost, not rejected), nothing half-written.
  std::this_thread::sleep_for(std::chrono::milliseconds(300));
  EXPECT_TRUE(fs::exists(dir_ / "root/processing/000000000001.in"));
  EXPECT_EQ(ReadFileOrDie(dir_ / "root/processing/000000000001.name"),
            "antrag.xml\nantrag.xml\n");
  EXPECT_TRUE(fs::is_empty(dir_ / "root/rejected"));
  EXPECT_TRUE(fs::is_empty(dir_ / "root/archive"));
  EXPECT_TRUE(fs::is_empty(dir_ / "root/outbox"));

  env_.failing = false;  // space freed: the retry (after 5 s) succeeds
  ASSERT_TRUE(WaitFor(
      [&] {
        // The failed attempts used up no number.
        return fs::exists(dir_ / "root/archive/RPS15-IM-2017-00001/antrag.xml");
      },
      30))
      << Tree();
  // The claim's name file goes after its input has reached archive/.
  EXPECT_TRUE(
      WaitFor([&] { return fs::is_empty(dir_ / "root/processing"); }, 10))
      << Tree();
  EXPECT_TRUE(watcher_->Stop(10));
}

// The first of two applications for Tettnang cannot be read for a while;
// the second must not be decided first (it would get the grant), and an
// application for another municipality waits as well, since the first's
// municipalities are unknown while it cannot be read.
TEST_F(WatcherFaultTest, ARetryKeepsItsPlaceInTheOrderOfReceipt) {
  env_.unreadable = [](const std::string& p) {
    return p.find("/processing/000000000001.in") != std::string::npos;
  };
  settings_.watch.max_attempts = 5;
  Start();
  WriteFileOrDie(dir_ / "root/inbox/a-erster.xml",
                 Example("01-bewilligung-tettnang.xml"));
  ASSERT_TRUE(WaitFor([&] { return env_.refused_reads > 0; }, 20)) << Tree();
  WriteFileOrDie(dir_ / "root/inbox/b-zweiter.xml",
                 Example("06-ablehnung-doppelfoerderung-tettnang.xml"));
  ASSERT_TRUE(
      WaitFor([&] { return channel_->Count("outcome=deferred") >= 1; }, 20))
      << Tree();
  EXPECT_TRUE(fs::is_empty(dir_ / "root/outbox"));  // nothing decided yet
  env_.reads_failing = false;
  ASSERT_TRUE(
      WaitFor([&] { return fs::is_empty(dir_ / "root/processing"); }, 40))
      << Tree();
  // The first dropped got the grant, the second was refused for it.
  EXPECT_EQ(KindOf("RPS15-IM-2017-00001"), "BEWILLIGUNG") << Tree();
  EXPECT_EQ(KindOf("RPS15-IM-2017-00002"), "ABLEHNUNG") << Tree();
  EXPECT_TRUE(
      fs::exists(dir_ / "root/archive/RPS15-IM-2017-00001/a-erster.xml"));
  EXPECT_TRUE(
      fs::exists(dir_ / "root/archive/RPS15-IM-2017-00002/b-zweiter.xml"));
  EXPECT_TRUE(watcher_->Stop(10));
}

// A file already in the inbox when the service starts has had no event
// and waits for its stability window; a complete one renamed in right after
// the start could be taken at once, but must not overtake it: it would take
// the first one's grant.
TEST_F(WatcherFaultTest, AFileDroppedAfterStartDoesNotOvertakeOneAlreadyThere) {
  fs::create_directories(dir_ / "root/inbox");
  WriteFileOrDie(dir_ / "root/inbox/a-erster.xml",
                 Example("01-bewilligung-tettnang.xml"));
  WriteFileOrDie(dir_ / "b-zweiter.xml",
                 Example("06-ablehnung-doppelfoerderung-tettnang.xml"));
  Start();
  fs::rename(dir_ / "b-zweiter.xml", dir_ / "root/inbox/b-zweiter.xml");
  ASSERT_TRUE(WaitFor(
      [&] {
        return fs::is_empty(dir_ / "root/inbox") &&
               fs::is_empty(dir_ / "root/processing");
      },
      30))
      << Tree();
  EXPECT_EQ(KindOf("RPS15-IM-2017-00001"), "BEWILLIGUNG") << Tree();
  EXPECT_EQ(KindOf("RPS15-IM-2017-00002"), "ABLEHNUNG") << Tree();
  EXPECT_TRUE(
      fs::exists(dir_ / "root/archive/RPS15-IM-2017-00001/a-erster.xml"))
      << Tree();
  EXPECT_TRUE(
      fs::exists(dir_ / "root/archive/RPS15-IM-2017-00002/b-zweiter.xml"));
  EXPECT_TRUE(watcher_->Stop(10));
}

// A file in the inbox that cannot be read gets one log line, not one per
// scan, and is taken once it can be read.
TEST_F(WatcherFaultTest, AnUnreadableFileIsLoggedOnceAndTriedWithBackOff) {
  env_.unreadable = [](const std::string& p) {
    return p.find("/inbox/") != std::string::npos;
  };
  Start();
  WriteFileOrDie(dir_ / "root/inbox/gesperrt.xml",
                 Example("01-bewilligung-tettnang.xml"));
  std::this_thread::sleep_for(std::chrono::seconds(7));
  EXPECT_EQ(channel_->Count("cannot be read"), 1u) << channel_->All();
  // Back-off: 1, 2, 4 s after the stability second -> at most 4 reads.
  EXPECT_GE(env_.refused_reads.load(), 2);
  EXPECT_LE(env_.refused_reads.load(), 4);
  env_.reads_failing = false;
  ASSERT_TRUE(WaitFor(
      [&] { return fs::exists(dir_ / "root/archive/RPS15-IM-2017-00001"); },
      30))
      << Tree();
  EXPECT_TRUE(watcher_->Stop(10));
}

// A store that cannot recover stops the service (the handler makes the
// process exit non-zero) instead of failing every file for ever.
TEST_F(WatcherFaultTest, ABrokenStoreStopsTheService) {
  BreakingJournal breaking(journal_.get());
  breaking.broken = true;
  Start(&breaking);
  WriteFileOrDie(dir_ / "root/inbox/antrag.xml",
                 Example("01-bewilligung-tettnang.xml"));
  ASSERT_TRUE(WaitFor(
      [&] {
        std::lock_guard<std::mutex> lock(fatal_mu_);
        return !fatal_.empty();
      },
      20))
      << Tree();
  {
    std::lock_guard<std::mutex> lock(fatal_mu_);
    EXPECT_NE(fatal_.find("cannot recover"), std::string::npos);
  }
  // The input is kept for the next start.
  EXPECT_TRUE(fs::exists(dir_ / "root/processing/000000000001.in"));
  EXPECT_TRUE(watcher_->Stop(10));
}

}  // namespace
}  // namespace bescheid::daemon
