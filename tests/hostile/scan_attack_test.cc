// Black-box tests: the hostile scan corpus (tests/hostile/scan_files.h,
// which the scan intake's own tests check one by one) dropped all at once
// into the real `bescheid watch`, beside a good scan and a portal XML
// application. Each hostile file ends in rejected/ with its German reason;
// the good ones still get their letters; the daemon stays up, below 1 GiB,
// and stops on SIGTERM.
#include <algorithm>
#include <chrono>
#include <set>
#include <string>

#include "hostile/hostile_util.h"
#include "hostile/scan_files.h"

namespace bescheid::testing {
namespace {

using namespace std::chrono_literals;

constexpr long kOneGiBInKb = 1024L * 1024L;

// Files the intake cannot even call a scan (no image signature): the XML
// reader refuses them, with its own German reason.
const std::set<std::string> kNoScanKind = {"leer.png", "ein-byte.tif",
                                           "text-als.png"};

class HostileScanTest : public HostileTest {};

TEST_F(HostileScanTest, EachIsRejectedWithItsReasonAndGoodFilesStillPass) {
  const std::vector<HostileScan> scans = HostileScans();
  auto d = StartDaemon();
  ASSERT_TRUE(d->WaitWatching()) << d->LogTail();
  for (const HostileScan& s : scans) Drop(s.name, s.make());
  Drop("2017-08-14_ulm.tif",
       ReadFileOrDie(SourcePath(
           "examples/scans/2017-08-14_bitonal-150-tiff-g4_ulm.tif")));
  Drop("tettnang.xml", Application(1));

  long peak_kb = 0;
  const bool done = WaitFor(
      [&] {
        peak_kb = std::max(peak_kb, d->PeakRssKb());
        return peak_kb >= kOneGiBInKb ||
               (Letters() == 2 &&
                std::all_of(scans.begin(), scans.end(), [&](const auto& s) {
                  return LExists(
                      Root(std::string("rejected/") + s.name + ".error.txt"));
                }));
      },
      120s, 100ms);
  EXPECT_LT(peak_kb, kOneGiBInKb);
  EXPECT_TRUE(done) << "letters: " << Letters() << "\n" << d->LogTail();
  EXPECT_TRUE(d->Running()) << d->LogTail();
  EXPECT_EQ(Letters(), 2u) << d->LogTail();
  for (const HostileScan& s : scans) {
    const std::string note = RejectionNote(s.name);
    EXPECT_TRUE(IsValidUtf8(note)) << s.name;
    EXPECT_TRUE(Contains(note, std::string("'") + s.name + "'"))
        << s.name << ": " << note;
    if (kNoScanKind.count(s.name) == 0) {
      EXPECT_TRUE(Contains(note, s.reason)) << s.name << ": " << note;
    }
  }
  EXPECT_EQ(d->Terminate(kTerminateLimit), 0) << d->LogTail();
}

}  // namespace
}  // namespace bescheid::testing
