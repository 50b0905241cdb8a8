#include "cli/progress.h"

#include <gtest/gtest.h>

#include <sstream>

namespace bescheid::cli {
namespace {

using Kind = pipeline::Outcome::Kind;

TEST(ProgressTest, LineShowsCountRateTimeLeftAndOutcomes) {
  std::ostringstream out;
  Progress p(200, out, /*live=*/false);
  for (int i = 0; i < 49; ++i) p.Done(Kind::kDecided);
  p.Done(Kind::kRejected);
  // 50 files after 4 s: 12,50 per second, 150 left take 12 s.
  const std::string line = p.Line(Progress::Clock::now());
  EXPECT_NE(line.find("50 von 200 Dateien"), std::string::npos) << line;
  EXPECT_NE(line.find("49 entschieden"), std::string::npos) << line;
  EXPECT_NE(line.find("1 abgelehnt (ungültig)"), std::string::npos) << line;
  EXPECT_EQ(out.str(), "");  // not live: nothing drawn
}

TEST(ProgressTest, LiveLineIsRedrawnInPlaceAndClearedForTheSummary) {
  std::ostringstream out;
  Progress p(2, out, /*live=*/true);
  p.Done(Kind::kDecided);
  p.Note("Die Datei 'x.xml' wurde nicht bearbeitet.");
  p.Done(Kind::kDuplicate);
  p.Finish();
  const std::string s = out.str();
  EXPECT_EQ(s.find("\r\033[K1 von 2 Dateien"), 0u) << s;
  EXPECT_NE(s.find("\r\033[KDie Datei 'x.xml' wurde nicht bearbeitet.\n"),
            std::string::npos)
      << s;
  EXPECT_NE(s.find("Ergebnis: 2 von 2 Dateien"), std::string::npos) << s;
  // Counts right-aligned in one column after labels padded to 24.
  EXPECT_NE(s.find("  entschieden" + std::string(13 + 5, ' ') + "1\n"),
            std::string::npos)
      << s;
  EXPECT_NE(s.find("  doppelt" + std::string(17 + 5, ' ') + "1\n"),
            std::string::npos)
      << s;
}

TEST(ProgressTest, WithoutATerminalOnlyNotesAndTheSummary) {
  std::ostringstream out;
  Progress p(1, out, /*live=*/false);
  p.Note("Bericht");
  p.Done(Kind::kFailed);
  p.Finish();
  EXPECT_EQ(out.str().find('\r'), std::string::npos);
  EXPECT_EQ(out.str().find('\033'), std::string::npos);
  EXPECT_EQ(out.str().rfind("Bericht\nErgebnis: 1 von 1 Dateien", 0), 0u)
      << out.str();
  EXPECT_NE(
      out.str().find("  nicht bearbeitet" + std::string(8 + 5, ' ') + "1\n"),
      std::string::npos)
      << out.str();
}

}  // namespace
}  // namespace bescheid::cli
