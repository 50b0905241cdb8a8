// The watchdog keeps its own clock: a file stuck in a worker ends the
// process for the service manager to restart it within
// intake.timeout-seconds, even while the scanner sleeps until its next full
// scan (it used to look only once per scan loop, here every 60 s).
#include <Poco/Data/SQLite/Connector.h>
#include <Poco/Data/Session.h>

#include <chrono>

#include "hostile/hostile_util.h"

namespace bescheid::testing {
namespace {

using namespace std::chrono_literals;
using Poco::Data::Keywords::now;

TEST_F(HostileTest, AStuckFileEndsTheProcessWithinTheTimeout) {
  DaemonOptions o = Options();
  o.defines.push_back("intake.timeout-seconds=2");
  o.defines.push_back("watch.rescan-seconds=60");
  o.defines.push_back("watch.workers=1");
  auto d = StartDaemon(o);
  ASSERT_TRUE(d->WaitWatching()) << d->LogTail();
  // Another writer holds the journal: the worker waits in the store's busy
  // timeout (10 s), far longer than intake.timeout-seconds.
  Poco::Data::SQLite::Connector::registerConnector();
  Poco::Data::Session blocker("SQLite", dir_ / "journal.sqlite");
  blocker << "BEGIN EXCLUSIVE", now;
  Drop("haengt.xml", Application(1));
  const std::optional<int> code = d->WaitExit(8s);
  blocker << "ROLLBACK", now;
  ASSERT_TRUE(code.has_value()) << "still running: " << d->LogTail();
  EXPECT_EQ(*code, 75) << d->LogTail();  // EX_TEMPFAIL: restart me
  EXPECT_TRUE(Contains(d->Log(), "exceeded intake.timeout-seconds"))
      << d->LogTail();
  // The file is kept for the next start, which decides it.
  EXPECT_FALSE(FilesUnder(Root("processing")).empty());
  auto again = StartDaemon(o);
  EXPECT_TRUE(WaitFor([&] { return Letters() == 1; }, 30s)) << again->LogTail();
  EXPECT_EQ(again->Terminate(), 0);
}

}  // namespace
}  // namespace bescheid::testing
