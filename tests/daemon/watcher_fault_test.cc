// The watcher in-process with an Env that fails writes to the outbox, as a
// full disk or a share without write permission would.
#include <Poco/AutoPtr.h>
#include <Poco/Logger.h>
#include <Poco/NullChannel.h>
#include <gtest/gtest.h>

#include <chrono>
#include <filesystem>
#include <thread>

#include "daemon/watcher.h"
#include "fault_env.h"
#include "test_util.h"

namespace bescheid::daemon {
namespace {

using bescheid::testing::ReadFileOrDie;
using bescheid::testing::SourcePath;
using bescheid::testing::TempDir;
using bescheid::testing::WriteFileOrDie;
namespace fs = std::filesystem;

bool WaitFor(const std::function<bool()>& done, int seconds) {
  for (int i = 0; i < seconds * 20; ++i) {
    if (done()) return true;
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  return done();
}

TEST(WatcherFaultTest, FullOutboxKeepsTheInputAndRetriesLater) {
  TempDir dir;
  config::Settings settings;
  settings.watch.root = dir / "root";
  settings.watch.workers = 1;
  settings.watch.stable_seconds = 1;
  settings.letters.templates_dir = SourcePath("templates/letters");
  settings.letters.font_regular = SourcePath("fonts/DejaVuSans-cp1252.ttf");
  settings.letters.font_bold = SourcePath("fonts/DejaVuSans-Bold-cp1252.ttf");
  auto reference = core::ReferenceTable::ParseCsv(
      ReadFileOrDie(SourcePath("config/reference/gemeinden.csv")));
  auto reader = xml::ApplicationReader::Create();
  auto journal = store::OpenSqliteJournal(dir / "journal.sqlite");
  ASSERT_TRUE(reference.ok() && reader.ok() && journal.ok());
  bescheid::testing::FaultEnv env([](const std::string& p) {
    return p.find("/outbox/") != std::string::npos;
  });
  env.failing = true;
  pipeline::Pipeline pipe(settings, &*reference, reader->get(), journal->get(),
                          nullptr, &env);
  Poco::Logger& log = Poco::Logger::get("watcher-fault-test");
  log.setChannel(Poco::AutoPtr<Poco::Channel>(new Poco::NullChannel));
  Watcher watcher(settings, &pipe, journal->get(), &env, &log);
  ASSERT_TRUE(watcher.Start().ok());

  WriteFileOrDie(
      dir / "root/inbox/antrag.xml",
      ReadFileOrDie(SourcePath("examples/01-bewilligung-tettnang.xml")));
  ASSERT_TRUE(WaitFor([&] { return env.refused > 0; }, 20));
  // The input is kept (claimed, not lost, not rejected), nothing half-written.
  std::this_thread::sleep_for(std::chrono::milliseconds(300));
  EXPECT_TRUE(fs::exists(dir / "root/processing/000000000001.in"));
  EXPECT_EQ(ReadFileOrDie(dir / "root/processing/000000000001.name"),
            "antrag.xml\nantrag.xml\n");
  EXPECT_TRUE(fs::is_empty(dir / "root/rejected"));
  EXPECT_TRUE(fs::is_empty(dir / "root/archive"));
  EXPECT_TRUE(fs::is_empty(dir / "root/outbox"));

  env.failing = false;  // space freed: the retry (after 5 s) succeeds
  ASSERT_TRUE(WaitFor(
      [&] {
        // The failed attempts used up no number.
        return fs::exists(dir / "root/archive/RPS15-IM-2017-00001/antrag.xml");
      },
      30))
      <<
      [&] {
        std::string tree;
        for (const auto& e : fs::recursive_directory_iterator(dir / "root")) {
          tree += e.path().string() + "\n";
        }
        return tree;
      }();
  EXPECT_TRUE(fs::exists(dir / "root/outbox"));
  EXPECT_TRUE(fs::is_empty(dir / "root/processing"));
  EXPECT_TRUE(watcher.Stop(10));
}

}  // namespace
}  // namespace bescheid::daemon
