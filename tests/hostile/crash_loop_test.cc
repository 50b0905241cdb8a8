// Black-box crash loop: 500 valid applications, the real daemon started and
// SIGKILLed 50 times at random moments (SIGHUP now and then), then run to
// the end. Proves that every input gets exactly one outcome, Aktenzeichen
// are gapless and follow the drop order, double funding is refused by drop
// order, every letter is a complete PDF, and the journal is intact.
#include <Poco/Data/RecordSet.h>
#include <Poco/Data/SQLite/Connector.h>
#include <Poco/Data/Session.h>
#include <Poco/Data/Statement.h>

#include <chrono>
#include <cstdio>
#include <filesystem>
#include <map>
#include <random>
#include <regex>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include "hostile/hostile_util.h"
#include "store/journal.h"

namespace bescheid::testing {
namespace {

namespace fs = std::filesystem;
using namespace std::chrono_literals;

constexpr int kInputs = 500;
constexpr int kKills = 50;
constexpr int kHangups = 5;
// Municipalities from config/reference/gemeinden.csv whose planning budget
// covers one full-time position, so that the first application of each is
// a grant and every later one a DOPPELFOERDERUNG refusal.
const std::vector<std::string> kAgs = {"08435059", "08111000", "08221000",
                                       "08311000", "08421000"};

std::string InputName(int i) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "antrag-%04d.xml", i);
  return buf;
}

std::string InputDoc(int i) {
  std::string doc = Application(1000 + i);
  const std::string from = "<AGS>08435059</AGS>";
  doc.replace(doc.find(from), from.size(),
              "<AGS>" + kAgs[i % kAgs.size()] + "</AGS>");
  return doc;
}

std::string Tag(const std::string& text, const std::string& tag) {
  const std::regex re("<" + tag + ">([^<]*)</" + tag + ">");
  std::smatch m;
  return std::regex_search(text, m, re) ? m[1].str() : "";
}

class CrashLoopTest : public HostileTest {
 protected:
  DaemonOptions CrashOptions() {
    DaemonOptions o = Options();
    // Files are all present before the first start. With a 1 s stability
    // window, a daemon living 50-400 ms would never claim one and the kills
    // would only ever hit start-up; with 0 every life does real work.
    o.defines.push_back("watch.stable-seconds=0");
    // The kills are ours, not caused by the inputs: an input killed in
    // flight several times must not be given up on as a poison pill.
    o.defines.push_back("intake.max-attempts=100");
    return o;
  }
};

TEST_F(CrashLoopTest, FiveHundredInputsFiftyKillsNothingLost) {
  const auto test_start = std::chrono::steady_clock::now();
  for (int i = 0; i < kInputs; ++i) {
    WriteFileOrDie(Root("inbox/" + InputName(i)), InputDoc(i));
  }

  std::mt19937 rng(4711);
  std::uniform_int_distribution<int> life_ms(50, 400);
  std::set<int> hangup_at;
  while (hangup_at.size() < kHangups) hangup_at.insert(rng() % kKills);
  int hangups_sent = 0;
  for (int k = 0; k < kKills; ++k) {
    Daemon d(dir_, CrashOptions());
    const int life = life_ms(rng);
    if (hangup_at.count(k)) {
      const int before = life * static_cast<int>(rng() % 100) / 100;
      std::this_thread::sleep_for(std::chrono::milliseconds(before));
      d.Signal(SIGHUP);
      ++hangups_sent;
      std::this_thread::sleep_for(std::chrono::milliseconds(life - before));
    } else {
      std::this_thread::sleep_for(std::chrono::milliseconds(life));
    }
    d.Kill();
  }
  ASSERT_EQ(hangups_sent, kHangups);
  const size_t done_before_final =
      FilesUnder(Root("archive")).size() + FilesUnder(Root("rejected")).size();
  const auto loop_end = std::chrono::steady_clock::now();

  auto outcomes = [&] {
    return FilesUnder(Root("archive")).size() +
           FilesUnder(Root("rejected")).size() / 2 +
           FilesUnder(Root("duplicates")).size() / 2;
  };
  {
    Daemon d(dir_, CrashOptions());
    ASSERT_TRUE(WaitFor(
        [&] {
          return InboxAndProcessingEmpty() &&
                 outcomes() >= static_cast<size_t>(kInputs);
        },
        180s))
        << outcomes() << " outcomes\n"
        << d.LogTail();
    std::this_thread::sleep_for(500ms);
    EXPECT_EQ(d.Terminate(kTerminateLimit), 0);
  }
  const auto final_end = std::chrono::steady_clock::now();
  std::printf(
      "crash loop: %zu inputs finished during the kill loop (%.1f s), "
      "final run %.1f s\n",
      done_before_final,
      std::chrono::duration<double>(loop_end - test_start).count(),
      std::chrono::duration<double>(final_end - loop_end).count());

  // Every input has exactly one outcome; all are valid, so none is rejected.
  std::map<std::string, int> seen;
  for (const auto& f : FilesUnder(Root("archive"))) {
    seen[fs::path(f).filename()]++;
  }
  for (const auto& f : EntriesUnder(Root("rejected"))) {
    if (!Contains(f, ".error.txt")) seen[fs::path(f).filename()]++;
  }
  for (const auto& f : EntriesUnder(Root("duplicates"))) {
    const std::string name = fs::path(f).filename();
    if (name.size() < 4 || name.compare(name.size() - 4, 4, ".txt") != 0) {
      seen[name]++;
    }
  }
  for (int i = 0; i < kInputs; ++i) {
    EXPECT_EQ(seen[InputName(i)], 1) << InputName(i);
  }
  EXPECT_EQ(seen.size(), static_cast<size_t>(kInputs))
      << "outcomes under names that were never dropped";
  for (const auto& f : FilesUnder(Root("rejected"), ".error.txt")) {
    ADD_FAILURE() << "a valid input was rejected: " << f << "\n"
                  << ReadFileOrDie(f);
  }
  EXPECT_TRUE(EntriesUnder(Root("processing")).empty());
  EXPECT_TRUE(EntriesUnder(Root("inbox")).empty());

  // Decisions: name -> (sequence number, grant?).
  const std::string prefix = "RPS15-IM-2017-";
  std::map<std::string, long> number_of;
  std::map<long, int> count_of_number;
  std::set<std::string> granted;
  std::set<std::string> aktenzeichen;
  for (const auto& r : FilesUnder(Root("outbox"), ".decision.xml")) {
    const std::string text = ReadFileOrDie(r);
    const std::string az = Tag(text, "Aktenzeichen");
    const std::string file = Tag(text, "Datei");
    ASSERT_EQ(az.rfind(prefix, 0), 0u) << r;
    const long n = std::stol(az.substr(prefix.size()));
    count_of_number[n]++;
    aktenzeichen.insert(az);
    EXPECT_EQ(number_of.count(file), 0u) << file << " decided twice";
    number_of[file] = n;
    if (std::regex_search(text, std::regex("<Art>(TEIL)?BEWILLIGUNG</Art>"))) {
      granted.insert(file);
    }
    // Each decision has its letter and its archived input.
    const std::string pdf =
        r.substr(0, r.size() - std::string(".decision.xml").size()) + ".pdf";
    EXPECT_TRUE(fs::exists(pdf)) << pdf;
    EXPECT_EQ(FilesUnder(Root("archive/" + az)).size(), 1u) << az;
  }
  const long decisions = static_cast<long>(number_of.size());
  EXPECT_EQ(decisions, static_cast<long>(FilesUnder(Root("archive")).size()));
  // Aktenzeichen are unique and exactly 1..N.
  std::vector<long> gaps;
  for (long n = 1; n <= decisions; ++n) {
    if (count_of_number[n] != 1) gaps.push_back(n);
  }
  EXPECT_TRUE(gaps.empty())
      << gaps.size() << " of 1.." << decisions << " missing or doubled, first "
      << gaps.front() << "; highest number " << count_of_number.rbegin()->first;
  EXPECT_EQ(count_of_number.size(), static_cast<size_t>(decisions));
  // First dropped, first decided.
  long last = 0;
  std::string last_name;
  int out_of_order = 0;
  for (const auto& [file, n] : number_of) {  // sorted by name
    if (n <= last) {
      if (++out_of_order <= 5) {
        ADD_FAILURE() << file << " got " << n << " after " << last_name
                      << " got " << last;
      }
    }
    last = n;
    last_name = file;
  }
  EXPECT_EQ(out_of_order, 0);
  // Per municipality only its first application is a grant.
  std::set<std::string> expected_grants;
  for (size_t i = 0; i < kAgs.size(); ++i) {
    expected_grants.insert(InputName(static_cast<int>(i)));
  }
  EXPECT_EQ(granted, expected_grants);

  // Every letter is a complete PDF.
  int bad_pdfs = 0;
  for (const auto& pdf : FilesUnder(Root("outbox"), ".pdf")) {
    std::string bytes = ReadFileOrDie(pdf);
    while (!bytes.empty() && (bytes.back() == '\n' || bytes.back() == '\r')) {
      bytes.pop_back();
    }
    const bool eof =
        bytes.size() >= 5 && bytes.compare(bytes.size() - 5, 5, "%%EOF") == 0;
    const CommandResult info = RunCommand("pdfinfo '" + pdf + "' >/dev/null");
    if ((!eof || info.exit_code != 0) && ++bad_pdfs <= 5) {
      ADD_FAILURE() << pdf << " incomplete: " << info.out;
    }
  }
  EXPECT_EQ(bad_pdfs, 0);

  // No temporary or partial files anywhere under the root (the root's
  // instance lock is the one hidden file that belongs there).
  for (const auto& p : EntriesUnder(Root())) {
    const std::string name = fs::path(p).filename();
    if (p == Root(".bescheid.lock")) continue;
    EXPECT_FALSE(Contains(name, ".tmp") || Contains(name, ".part") ||
                 name.front() == '.')
        << p;
  }

  // The journal knows every decision and passes SQLite's integrity check.
  {
    auto journal = store::OpenSqliteJournal(dir_ / "journal.sqlite");
    ASSERT_TRUE(journal.ok()) << journal.status().message();
    for (const std::string& az : aktenzeichen) {
      auto known = (*journal)->HasDecision(az);
      ASSERT_TRUE(known.ok());
      EXPECT_TRUE(*known) << az;
    }
  }
  Poco::Data::SQLite::Connector::registerConnector();
  Poco::Data::Session session("SQLite", dir_ / "journal.sqlite");
  std::string integrity;
  session << "PRAGMA integrity_check", Poco::Data::Keywords::into(integrity),
      Poco::Data::Keywords::now;
  EXPECT_EQ(integrity, "ok");

  const double total = std::chrono::duration<double>(
                           std::chrono::steady_clock::now() - test_start)
                           .count();
  std::printf("crash loop: %ld decisions, whole test %.1f s\n", decisions,
              total);
  EXPECT_LT(total, 240.0) << "the crash loop must stay under 4 minutes";
}

}  // namespace
}  // namespace bescheid::testing
