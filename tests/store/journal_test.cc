#include "store/journal.h"

#include <gtest/gtest.h>
#include <sched.h>
#include <sqlite3.h>
#include <sys/mount.h>
#include <sys/wait.h>
#include <unistd.h>

#include <atomic>
#include <cerrno>
#include <chrono>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <future>
#include <set>
#include <thread>

#include "store/sqlite_journal_testing.h"
#include "test_util.h"

namespace bescheid::store {
namespace {

using bescheid::testing::ReadFileOrDie;
using bescheid::testing::TempDir;
using bescheid::testing::WriteFileOrDie;

std::unique_ptr<Journal> Open(const std::string& path) {
  auto j = OpenSqliteJournal(path);
  EXPECT_TRUE(j.ok()) << j.status().message();
  return j.ok() ? std::move(j).value() : nullptr;
}

DecisionEntry Entry(const std::string& sha, const std::string& az,
                    core::DecisionKind kind, std::vector<std::string> ags,
                    int64_t sequence,
                    std::optional<core::Date> date = std::nullopt) {
  return DecisionEntry{sha,    sha + ".xml", az,       kind, std::move(ags),
                       "<x/>", "",           sequence, date};
}

// A NACHFORDERUNG of `ags` dated `date` with its deadline: records an open
// request.
DecisionEntry Nachforderung(const std::string& sha, const std::string& az,
                            const std::string& ags, int64_t sequence,
                            core::Date date, core::Date deadline) {
  DecisionEntry e =
      Entry(sha, az, core::DecisionKind::kNachforderung, {ags}, sequence, date);
  e.request_deadline = deadline;
  e.application_receipt = core::Date{2017, 8, 14};
  e.applicant_ags = ags;
  e.applicant_name = "Stadt " + ags;
  return e;
}

// The decision on a completed application that answers the request made by
// `revision` - 1 under `az`.
DecisionEntry Answer(const std::string& sha, const std::string& az,
                     core::DecisionKind kind, const std::string& ags,
                     int revision, core::Date date) {
  DecisionEntry e = Entry(sha, az, kind, {ags}, 0, date);
  e.revision = revision;
  e.document = az + "-" + std::to_string(revision);
  return e;
}

DecisionEntry Ablehnung(const std::string& sha, int64_t sequence) {
  return Entry(sha, "AZ-" + std::to_string(sequence),
               core::DecisionKind::kAblehnung, {}, sequence);
}

// A second, plain SQLite connection to a journal's database, to look at or
// prepare what the journal itself does not show.
class RawDb {
 public:
  explicit RawDb(const std::string& path) {
    EXPECT_EQ(sqlite3_open(path.c_str(), &db_), SQLITE_OK) << path;
  }
  ~RawDb() { sqlite3_close(db_); }
  RawDb(const RawDb&) = delete;
  RawDb& operator=(const RawDb&) = delete;

  // The first column of every row `sql` returns; fails the test on errors.
  std::vector<std::string> Query(const std::string& sql) {
    std::vector<std::string> rows;
    char* error = nullptr;
    const int rc = sqlite3_exec(
        db_, sql.c_str(),
        [](void* out, int, char** values, char**) {
          static_cast<std::vector<std::string>*>(out)->push_back(
              values[0] ? values[0] : "NULL");
          return 0;
        },
        &rows, &error);
    EXPECT_EQ(rc, SQLITE_OK) << sql << ": " << (error ? error : "");
    sqlite3_free(error);
    return rows;
  }

 private:
  sqlite3* db_ = nullptr;
};

// --- Aktenzeichen sequence -------------------------------------------------

TEST(JournalTest, LastSequenceIsZeroForANewJournalAndSurvivesReopening) {
  TempDir dir;
  const std::string path = dir / "sub/dir/j.sqlite";  // parents created
  {
    auto j = Open(path);
    EXPECT_EQ(*j->LastSequence(), 0);
    ASSERT_TRUE(j->CommitDecision(Ablehnung("h1", 1)).ok());
    ASSERT_TRUE(j->CommitDecision(Ablehnung("h2", 2)).ok());
    EXPECT_EQ(*j->LastSequence(), 2);
  }
  auto j = Open(path);
  EXPECT_EQ(*j->LastSequence(), 2);
}

TEST(JournalTest, OpenReviewsSurviveReopeningUntilClosed) {
  TempDir dir;
  const std::string path = dir / "j.sqlite";
  {
    auto j = Open(path);
    EXPECT_TRUE(j->OpenReviews()->empty());
    ASSERT_TRUE(
        j->OpenReview({"aaa-1", "scan.tif", "aaa", 7, {"08435059", "08435016"}})
            .ok());
    ASSERT_TRUE(j->OpenReview({"bbb-1", "b.png", "bbb", 0, {}}).ok());
    // Opening again (a retry after a crash) changes nothing.
    ASSERT_TRUE(j->OpenReview({"aaa-1", "other.tif", "aaa", 9, {}}).ok());
  }
  auto j = Open(path);
  Result<std::vector<ReviewRecord>> open = j->OpenReviews();
  ASSERT_TRUE(open.ok());
  ASSERT_EQ(open->size(), 2u);
  EXPECT_EQ((*open)[0].id, "aaa-1");
  EXPECT_EQ((*open)[0].file_name, "scan.tif");
  EXPECT_EQ((*open)[0].sequence, 7u);
  EXPECT_EQ((*open)[0].ags, (std::vector<std::string>{"08435059", "08435016"}));
  EXPECT_TRUE((*open)[1].ags.empty());
  ASSERT_TRUE(j->CloseReview("aaa-1").ok());
  ASSERT_TRUE(j->CloseReview("aaa-1").ok());  // closing twice is fine
  EXPECT_EQ(j->CloseReview("nope").code(), StatusCode::kNotFound);
  ASSERT_EQ(j->OpenReviews()->size(), 1u);
  EXPECT_EQ(j->OpenReviews()->front().id, "bbb-1");
  // The same document again: the review is open again, as first recorded.
  ASSERT_TRUE(j->OpenReview({"aaa-1", "x.tif", "aaa", 9, {}}).ok());
  ASSERT_EQ(j->OpenReviews()->size(), 2u);
  EXPECT_EQ(j->OpenReviews()->front().id, "aaa-1");  // opened first
  EXPECT_EQ(j->OpenReviews()->front().file_name, "scan.tif");
  EXPECT_EQ(j->OpenReviews()->front().ags.size(), 2u);
}

TEST(JournalTest, CommitRaisesLastSequenceButNeverLowersIt) {
  TempDir dir;
  auto j = Open(dir / "j.sqlite");
  ASSERT_TRUE(j->CommitDecision(Ablehnung("h5", 5)).ok());
  EXPECT_EQ(*j->LastSequence(), 5);
  // A number given back by a failed attempt is committed later.
  ASSERT_TRUE(j->CommitDecision(Ablehnung("h3", 3)).ok());
  EXPECT_EQ(*j->LastSequence(), 5);
}

TEST(JournalTest, SequenceNumberCannotBeCommittedTwiceAndNothingIsWritten) {
  TempDir dir;
  auto j = Open(dir / "j.sqlite");
  ASSERT_TRUE(
      j->CommitDecision(Entry("h1", "AZ-1", core::DecisionKind::kBewilligung,
                              {"08435059"}, 1))
          .ok());
  Status again = j->CommitDecision(
      Entry("h2", "AZ-2", core::DecisionKind::kBewilligung, {"08111000"}, 1));
  ASSERT_FALSE(again.ok());
  EXPECT_EQ(again.code(), StatusCode::kStore);
  EXPECT_NE(again.message().find("sequence number 1 is already used by "
                                 "decision AZ-1"),
            std::string::npos)
      << again.message();
  EXPECT_FALSE(j->FindInput("h2")->has_value());
  EXPECT_FALSE(*j->HasDecision("AZ-2"));
  EXPECT_TRUE(j->GrantsCovering({"08111000"})->empty());
  EXPECT_EQ(*j->DecisionCount(), 1);
}

// Grouped durability: a group's entries commit in one transaction, and one
// entry the journal refuses (its input decided already) leaves nothing of
// itself while the others stand.
TEST(JournalTest, CommitDecisionsCommitsAGroupAndRefusesOnlyItsBadEntry) {
  TempDir dir;
  auto j = Open(dir / "j.sqlite");
  ASSERT_TRUE(j->CommitDecision(Ablehnung("h1", 1)).ok());
  DecisionEntry grant =
      Entry("h4", "AZ-4", core::DecisionKind::kBewilligung, {"08435059"}, 4);
  const std::vector<Status> r = j->CommitDecisions(
      {Ablehnung("h2", 2), Ablehnung("h1", 3), grant, Ablehnung("h5", 5)});
  ASSERT_EQ(r.size(), 4u);
  EXPECT_TRUE(r[0].ok()) << r[0].message();
  EXPECT_EQ(r[1].code(), StatusCode::kStore);  // h1 was decided before
  EXPECT_TRUE(r[2].ok()) << r[2].message();
  EXPECT_TRUE(r[3].ok()) << r[3].message();
  EXPECT_EQ(*j->DecisionCount(), 4);
  EXPECT_EQ(*j->LastSequence(), 5);
  EXPECT_EQ((*j->GrantsCovering({"08435059"})).size(), 1u);
  // Number 3 was not used up by the refused entry.
  ASSERT_TRUE(j->CommitDecision(Ablehnung("h3", 3)).ok());
  // An inconsistent entry is refused before anything is written.
  DecisionEntry bad = Ablehnung("h6", 0);
  const std::vector<Status> r2 = j->CommitDecisions({bad, Ablehnung("h6", 6)});
  EXPECT_EQ(r2[0].code(), StatusCode::kInternal);
  EXPECT_TRUE(r2[1].ok()) << r2[1].message();
  EXPECT_TRUE(j->CommitDecisions({}).empty());
  EXPECT_EQ(*j->DecisionCount(), 6);
  EXPECT_TRUE(j->IntegrityCheck().ok());
}

TEST(JournalTest, FailedCommitDoesNotUseUpItsNumber) {
  TempDir dir;
  auto j = Open(dir / "j.sqlite");
  ASSERT_TRUE(j->CommitDecision(Ablehnung("h1", 1)).ok());
  // Same input again (already decided): fails, number 2 stays free.
  ASSERT_FALSE(j->CommitDecision(Ablehnung("h1", 2)).ok());
  EXPECT_EQ(*j->LastSequence(), 1);
  ASSERT_TRUE(j->CommitDecision(Ablehnung("h2", 2)).ok());
  EXPECT_EQ(*j->LastSequence(), 2);
}

TEST(JournalTest, DecisionWithoutSequenceNumberIsRefused) {
  TempDir dir;
  auto j = Open(dir / "j.sqlite");
  for (int64_t bad : {int64_t{0}, int64_t{-3}}) {
    Status s = j->CommitDecision(Ablehnung("h1", bad));
    EXPECT_EQ(s.code(), StatusCode::kInternal) << bad;
  }
  EXPECT_EQ(*j->DecisionCount(), 0);
  EXPECT_FALSE(j->FindInput("h1")->has_value());
}

TEST(JournalTest, EachSequenceNumberIsCommittedOnceUnderConcurrency) {
  TempDir dir;
  auto j = Open(dir / "j.sqlite");
  // Four threads race for the same 25 numbers.
  std::vector<std::vector<int64_t>> won(4);
  std::vector<std::thread> threads;
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&, t] {
      for (int64_t n = 1; n <= 25; ++n) {
        const std::string sha =
            "t" + std::to_string(t) + "-" + std::to_string(n);
        DecisionEntry e =
            Entry(sha, "AZ-" + sha, core::DecisionKind::kAblehnung, {}, n);
        if (j->CommitDecision(e).ok()) won[t].push_back(n);
      }
    });
  }
  for (auto& t : threads) t.join();
  std::multiset<int64_t> all;
  for (auto& v : won) all.insert(v.begin(), v.end());
  EXPECT_EQ(all.size(), 25u);
  for (int64_t n = 1; n <= 25; ++n) EXPECT_EQ(all.count(n), 1u) << n;
  EXPECT_EQ(*j->LastSequence(), 25);
  EXPECT_EQ(*j->DecisionCount(), 25);
}

TEST(JournalTest, OldJournalIsMigratedAndKeepsItsSequence) {
  TempDir dir;
  const std::string path = dir / "j.sqlite";
  {
    RawDb old(path);  // the schema before decisions carried their number
    old.Query(
        "CREATE TABLE decisions (aktenzeichen TEXT PRIMARY KEY,"
        " sha256 TEXT NOT NULL UNIQUE, kind TEXT NOT NULL,"
        " record_xml TEXT NOT NULL, letter_file TEXT,"
        " created_at TEXT NOT NULL DEFAULT (datetime('now')));"
        "CREATE TABLE sequence (name TEXT PRIMARY KEY, value INTEGER NOT "
        "NULL);"
        "INSERT INTO sequence VALUES ('aktenzeichen', 247);"
        "INSERT INTO decisions(aktenzeichen, sha256, kind, record_xml)"
        " VALUES ('AZ-00100', 'old', 'ABLEHNUNG', '<x/>');");
  }
  for (int run = 0; run < 2; ++run) {  // the second open finds it migrated
    auto j = Open(path);
    ASSERT_NE(j, nullptr);
    EXPECT_EQ(*j->LastSequence(), 247 + run);
    EXPECT_TRUE(*j->HasDecision("AZ-00100"));
    const std::string sha = "new" + std::to_string(run);
    ASSERT_TRUE(j->CommitDecision(Ablehnung(sha, 248 + run)).ok());
    EXPECT_FALSE(j->CommitDecision(Ablehnung(sha + "x", 248 + run)).ok());
  }
  RawDb raw(path);
  EXPECT_EQ(raw.Query("SELECT COALESCE(sequence, 'NULL') FROM decisions "
                      "ORDER BY aktenzeichen"),
            (std::vector<std::string>{"NULL", "248", "249"}));
}

TEST(JournalTest, GrantsCarryTheirDecisionDate) {
  TempDir dir;
  const std::string path = dir / "j.sqlite";
  {
    auto j = Open(path);
    ASSERT_NE(j, nullptr);
    ASSERT_TRUE(j->CommitDecision(
                     Entry("h1", "AZ-00001", core::DecisionKind::kBewilligung,
                           {"08435059"}, 1, core::Date{2017, 9, 18}))
                    .ok());
    ASSERT_TRUE(j->CommitDecision(Entry("h2", "AZ-00002",
                                        core::DecisionKind::kTeilbewilligung,
                                        {"08435036", "08435016"}, 2))
                    .ok());  // no date known
  }
  auto j = Open(path);  // the date survives reopening
  ASSERT_NE(j, nullptr);
  auto grants = j->GrantsCovering({"08435059", "08435016"});
  ASSERT_TRUE(grants.ok()) << grants.status().message();
  ASSERT_EQ(grants->size(), 2u);
  EXPECT_EQ((*grants)[0].ags, "08435059");
  EXPECT_EQ((*grants)[0].aktenzeichen, "AZ-00001");
  ASSERT_TRUE((*grants)[0].date.has_value());
  EXPECT_EQ((*grants)[0].date->ToIso(), "2017-09-18");
  EXPECT_EQ((*grants)[1].ags, "08435016");
  EXPECT_EQ((*grants)[1].aktenzeichen, "AZ-00002");
  EXPECT_FALSE((*grants)[1].date.has_value());
  j.reset();
  RawDb raw(path);
  EXPECT_EQ(raw.Query("SELECT COALESCE(decision_date, 'NULL') FROM decisions "
                      "ORDER BY aktenzeichen"),
            (std::vector<std::string>{"2017-09-18", "NULL"}));
}

TEST(JournalTest, DecisionsAreListedByPeriodInAktenzeichenOrder) {
  TempDir dir;
  const std::string path = dir / "j.sqlite";
  {
    auto j = Open(path);
    ASSERT_NE(j, nullptr);
    DecisionEntry late = Entry("h3", "AZ-00003", core::DecisionKind::kAblehnung,
                               {}, 3, core::Date{2017, 10, 2});
    late.letter_file = "AZ-00003.pdf";
    for (const DecisionEntry& e :
         {Entry("h1", "AZ-00001", core::DecisionKind::kBewilligung,
                {"08435059"}, 1, core::Date{2017, 9, 18}),
          late,
          Entry("h2", "AZ-00002", core::DecisionKind::kTeilbewilligung,
                {"08435036"}, 2, core::Date{2017, 9, 30}),
          Entry("h4", "AZ-00004", core::DecisionKind::kAblehnung, {}, 4)}) {
      ASSERT_TRUE(j->CommitDecision(e).ok()) << e.aktenzeichen;
    }
  }
  JournalOptions read_only;
  read_only.read_only = true;
  auto opened = OpenSqliteJournal(path, read_only);
  ASSERT_TRUE(opened.ok()) << opened.status().message();
  Journal& j = **opened;
  auto names = [&](std::optional<core::Date> from,
                   std::optional<core::Date> to) {
    auto found = j.Decisions(from, to);
    EXPECT_TRUE(found.ok()) << found.status().message();
    std::vector<std::string> az;
    for (const DecisionEntry& e :
         found.ok() ? *found : std::vector<DecisionEntry>{}) {
      az.push_back(e.aktenzeichen);
    }
    return az;
  };
  EXPECT_EQ(names(std::nullopt, std::nullopt),
            (std::vector<std::string>{"AZ-00001", "AZ-00002", "AZ-00003",
                                      "AZ-00004"}));
  EXPECT_EQ(names(core::Date{2017, 9, 30}, std::nullopt),
            (std::vector<std::string>{"AZ-00002", "AZ-00003"}));
  EXPECT_EQ(names(std::nullopt, core::Date{2017, 9, 30}),
            (std::vector<std::string>{"AZ-00001", "AZ-00002"}));
  EXPECT_EQ(names(core::Date{2017, 9, 19}, core::Date{2017, 9, 29}),
            std::vector<std::string>{});
  auto all = j.Decisions(std::nullopt, std::nullopt);
  ASSERT_TRUE(all.ok());
  const DecisionEntry& third = (*all)[2];
  EXPECT_EQ(third.kind, core::DecisionKind::kAblehnung);
  EXPECT_EQ(third.sha256, "h3");
  EXPECT_EQ(third.file_name, "h3.xml");
  EXPECT_EQ(third.letter_file, "AZ-00003.pdf");
  EXPECT_EQ(third.sequence, 3);
  EXPECT_EQ(third.record_xml, "<x/>");
  ASSERT_TRUE(third.decision_date.has_value());
  EXPECT_EQ(third.decision_date->ToIso(), "2017-10-02");
  EXPECT_EQ((*all)[1].kind, core::DecisionKind::kTeilbewilligung);
  EXPECT_FALSE((*all)[3].decision_date.has_value());
}

// A journal from before decisions carried their date: the column is added
// once, old grants are returned without a date, new ones with theirs.
// The register and the station read decisions alike: the register's
// entries carry what the station shows (applicant, draft, corrector), and a
// journal written before the station's columns still lists its decisions
// read-only (`bescheid register` beside an older service), with the
// station's columns empty.
TEST(JournalTest, DecisionsCarryTheStationsColumnsWhereTheJournalHasThem) {
  TempDir dir;
  const std::string path = dir / "j.sqlite";
  {
    auto j = Open(path);
    ASSERT_NE(j, nullptr);
    DecisionEntry e =
        Nachforderung("h1", "AZ-00001", "08435059", 1, core::Date{2017, 9, 18},
                      core::Date{2017, 10, 18});
    e.letter_file = "AZ-00001.pdf";
    e.draft = true;
    e.corrected_by = "anna";
    ASSERT_TRUE(j->CommitDecision(e).ok());
    auto all = j->Decisions(std::nullopt, std::nullopt);
    ASSERT_TRUE(all.ok()) << all.status().message();
    ASSERT_EQ(all->size(), 1u);
    EXPECT_EQ((*all)[0].applicant_ags, "08435059");
    EXPECT_EQ((*all)[0].applicant_name, "Stadt 08435059");
    EXPECT_TRUE((*all)[0].draft);
    EXPECT_EQ((*all)[0].corrected_by, "anna");
    auto drafts = j->Drafts();
    ASSERT_TRUE(drafts.ok());
    ASSERT_EQ(drafts->size(), 1u);
    EXPECT_EQ((*drafts)[0].document, "AZ-00001");
    EXPECT_EQ((*drafts)[0].file_name, "h1.xml");
    EXPECT_EQ((*drafts)[0].applicant_name, "Stadt 08435059");
    EXPECT_EQ((*drafts)[0].release, ReleaseState::kDraft);
    EXPECT_EQ((*drafts)[0].decision_date->ToIso(), "2017-09-18");
  }
  {
    RawDb old(path);  // as the release before the review station left it
    old.Query(
        "DROP INDEX drafts;"
        "ALTER TABLE decisions DROP COLUMN release_state;"
        "ALTER TABLE decisions DROP COLUMN released_by;"
        "ALTER TABLE decisions DROP COLUMN released_at;"
        "ALTER TABLE decisions DROP COLUMN corrected_by;"
        "ALTER TABLE decisions DROP COLUMN applicant_ags;"
        "ALTER TABLE decisions DROP COLUMN applicant_name;");
  }
  JournalOptions read_only;
  read_only.read_only = true;
  auto opened = OpenSqliteJournal(path, read_only);
  ASSERT_TRUE(opened.ok()) << opened.status().message();
  auto all = (*opened)->Decisions(std::nullopt, core::Date{2017, 12, 31});
  ASSERT_TRUE(all.ok()) << all.status().message();
  ASSERT_EQ(all->size(), 1u);
  const DecisionEntry& e = (*all)[0];
  EXPECT_EQ(e.aktenzeichen, "AZ-00001");
  EXPECT_EQ(e.kind, core::DecisionKind::kNachforderung);
  EXPECT_EQ(e.letter_file, "AZ-00001.pdf");
  EXPECT_EQ(e.sequence, 1);
  EXPECT_EQ(e.record_xml, "<x/>");
  EXPECT_EQ(e.file_name, "h1.xml");
  EXPECT_EQ(e.applicant_ags, "");
  EXPECT_FALSE(e.draft);
  EXPECT_EQ(e.corrected_by, "");
}

TEST(JournalTest, JournalWithoutDecisionDatesIsMigrated) {
  TempDir dir;
  const std::string path = dir / "j.sqlite";
  {
    RawDb old(path);  // the schema of the release before
    old.Query(
        "CREATE TABLE inputs (sha256 TEXT PRIMARY KEY,"
        " file_name TEXT NOT NULL, state TEXT NOT NULL, aktenzeichen TEXT,"
        " attempts INTEGER NOT NULL DEFAULT 0, report TEXT,"
        " updated_at TEXT NOT NULL DEFAULT (datetime('now')));"
        "CREATE TABLE decisions (aktenzeichen TEXT PRIMARY KEY,"
        " sha256 TEXT NOT NULL UNIQUE, kind TEXT NOT NULL,"
        " record_xml TEXT NOT NULL, letter_file TEXT,"
        " created_at TEXT NOT NULL DEFAULT (datetime('now')),"
        " sequence INTEGER);"
        "CREATE UNIQUE INDEX decisions_by_sequence ON decisions(sequence);"
        "CREATE TABLE funded (ags TEXT NOT NULL, aktenzeichen TEXT NOT NULL"
        " REFERENCES decisions(aktenzeichen), PRIMARY KEY (ags, aktenzeichen));"
        "CREATE TABLE sequence (name TEXT PRIMARY KEY, value INTEGER NOT "
        "NULL);"
        "INSERT INTO sequence VALUES ('aktenzeichen', 1);"
        "INSERT INTO decisions(aktenzeichen, sha256, kind, record_xml,"
        " sequence) VALUES ('AZ-00001', 'old', 'BEWILLIGUNG', '<x/>', 1);"
        "INSERT INTO funded VALUES ('08435059', 'AZ-00001');");
  }
  for (int run = 0; run < 2; ++run) {  // the second open finds it migrated
    auto j = Open(path);
    ASSERT_NE(j, nullptr);
    const std::string sha = "new" + std::to_string(run);
    ASSERT_TRUE(
        j->CommitDecision(Entry(sha, "AZ-0000" + std::to_string(2 + run),
                                core::DecisionKind::kBewilligung, {"08435059"},
                                2 + run, core::Date{2017, 10, 2 + run}))
            .ok());
    auto grants = j->GrantsCovering({"08435059"});
    ASSERT_TRUE(grants.ok()) << grants.status().message();
    ASSERT_EQ(grants->size(), static_cast<size_t>(2 + run));
    EXPECT_EQ((*grants)[0].aktenzeichen, "AZ-00001");
    EXPECT_FALSE((*grants)[0].date.has_value());
    EXPECT_EQ((*grants)[1].aktenzeichen, "AZ-00002");
    ASSERT_TRUE((*grants)[1].date.has_value());
    EXPECT_EQ((*grants)[1].date->ToIso(), "2017-10-02");
  }
  RawDb raw(path);
  EXPECT_EQ(raw.Query("SELECT COUNT(*) FROM pragma_table_info('decisions') "
                      "WHERE name = 'decision_date'"),
            (std::vector<std::string>{"1"}));
  EXPECT_EQ(raw.Query("SELECT COALESCE(decision_date, 'NULL') FROM decisions "
                      "ORDER BY aktenzeichen"),
            (std::vector<std::string>{"NULL", "2017-10-02", "2017-10-03"}));
}

// A journal of the release before revisions: aktenzeichen is the primary
// key of decisions, funded refers to it, no requests. Opening rebuilds both
// tables in place (every decision revision 1, its Aktenzeichen its
// document), keeps every row and adds the requests table; the second open
// finds nothing to do.
TEST(JournalTest, JournalWithOneDecisionPerAktenzeichenIsMigrated) {
  TempDir dir;
  const std::string path = dir / "j.sqlite";
  {
    RawDb old(path);
    old.Query(
        "CREATE TABLE inputs (sha256 TEXT PRIMARY KEY,"
        " file_name TEXT NOT NULL, state TEXT NOT NULL, aktenzeichen TEXT,"
        " attempts INTEGER NOT NULL DEFAULT 0, report TEXT,"
        " updated_at TEXT NOT NULL DEFAULT (datetime('now')));"
        "CREATE TABLE decisions (aktenzeichen TEXT PRIMARY KEY,"
        " sha256 TEXT NOT NULL UNIQUE, kind TEXT NOT NULL,"
        " record_xml TEXT NOT NULL, letter_file TEXT,"
        " created_at TEXT NOT NULL DEFAULT (datetime('now')),"
        " sequence INTEGER, decision_date TEXT);"
        "CREATE UNIQUE INDEX decisions_by_sequence ON decisions(sequence);"
        "CREATE TABLE funded (ags TEXT NOT NULL, aktenzeichen TEXT NOT NULL"
        " REFERENCES decisions(aktenzeichen), PRIMARY KEY (ags, aktenzeichen));"
        "CREATE TABLE sequence (name TEXT PRIMARY KEY, value INTEGER NOT "
        "NULL);"
        "INSERT INTO sequence VALUES ('aktenzeichen', 2);"
        "INSERT INTO decisions(aktenzeichen, sha256, kind, record_xml,"
        " letter_file, sequence, decision_date) VALUES"
        " ('AZ-00001', 'old1', 'BEWILLIGUNG', '<x/>', 'AZ-00001.pdf', 1,"
        " '2017-09-18'),"
        " ('AZ-00002', 'old2', 'NACHFORDERUNG', '<y/>', 'AZ-00002.pdf', 2,"
        " '2017-09-19');"
        "INSERT INTO funded VALUES ('08435059', 'AZ-00001');");
  }
  for (int run = 0; run < 2; ++run) {
    auto j = Open(path);
    ASSERT_NE(j, nullptr);
    EXPECT_EQ(*j->LastSequence(), 2 + run);
    EXPECT_TRUE(*j->HasDecision("AZ-00002"));
    EXPECT_TRUE(*j->HasOutputs("AZ-00001"));
    EXPECT_FALSE(*j->HasOutputs("AZ-00001-2"));
    auto grants = j->GrantsCovering({"08435059"});
    ASSERT_TRUE(grants.ok()) << grants.status().message();
    ASSERT_EQ(grants->size(), 1u);
    EXPECT_EQ((*grants)[0].date->ToIso(), "2017-09-18");
    // Requests made before the migration were not recorded.
    EXPECT_TRUE(j->OpenRequests()->empty());
    if (run == 0) {
      ASSERT_TRUE(
          j->CommitDecision(Nachforderung("new", "AZ-00003", "08436094", 3,
                                          {2017, 10, 2}, {2017, 10, 30}))
              .ok());
      ASSERT_TRUE(j->CommitDecision(Answer("answer", "AZ-00003",
                                           core::DecisionKind::kBewilligung,
                                           "08436094", 2, {2017, 10, 20}))
                      .ok());
    }
  }
  RawDb raw(path);
  EXPECT_EQ(raw.Query("SELECT aktenzeichen || '/' || revision || '/' || "
                      "document || '/' || COALESCE(sequence, 'NULL') FROM "
                      "decisions ORDER BY aktenzeichen, revision"),
            (std::vector<std::string>{
                "AZ-00001/1/AZ-00001/1", "AZ-00002/1/AZ-00002/2",
                "AZ-00003/1/AZ-00003/3", "AZ-00003/2/AZ-00003-2/NULL"}));
  EXPECT_EQ(
      raw.Query("SELECT ags || '/' || aktenzeichen || '/' || revision "
                "FROM funded ORDER BY aktenzeichen"),
      (std::vector<std::string>{"08435059/AZ-00001/1", "08436094/AZ-00003/2"}));
  EXPECT_EQ(raw.Query("SELECT COUNT(*) FROM pragma_foreign_key_check"),
            (std::vector<std::string>{"0"}));
}

// --- Requests for missing documents ---------------------------------------

TEST(JournalTest, NachforderungRecordsAnOpenRequestOfItsApplicant) {
  TempDir dir;
  const std::string path = dir / "j.sqlite";
  {
    auto j = Open(path);
    ASSERT_TRUE(j->CommitDecision(Nachforderung("h1", "AZ-00001", "08436094", 1,
                                                {2017, 9, 18}, {2017, 10, 16}))
                    .ok());
  }
  auto j = Open(path);  // survives reopening
  auto open = j->OpenRequestFor("08436094");
  ASSERT_TRUE(open.ok()) << open.status().message();
  ASSERT_TRUE(open->has_value());
  const RequestRecord& r = **open;
  EXPECT_EQ(r.aktenzeichen, "AZ-00001");
  EXPECT_EQ(r.revision, 1);
  EXPECT_EQ(r.applicant_ags, "08436094");
  EXPECT_EQ(r.applicant_name, "Stadt 08436094");
  EXPECT_EQ(r.request_date.ToIso(), "2017-09-18");
  EXPECT_EQ(r.deadline.ToIso(), "2017-10-16");
  EXPECT_EQ(r.application_receipt.ToIso(), "2017-08-14");
  EXPECT_EQ(r.state, RequestState::kOpen);
  EXPECT_FALSE(j->OpenRequestFor("08435059")->has_value());
  EXPECT_EQ(j->OpenRequests()->size(), 1u);
}

TEST(JournalTest, NachforderungWithoutDeadlineIsRefused) {
  TempDir dir;
  auto j = Open(dir / "j.sqlite");
  DecisionEntry e =
      Nachforderung("h1", "AZ-1", "08436094", 1, {2017, 9, 18}, {2017, 10, 16});
  e.request_deadline.reset();
  Status s = j->CommitDecision(e);
  EXPECT_EQ(s.code(), StatusCode::kInternal);
  EXPECT_FALSE(*j->HasDecision("AZ-1"));
}

TEST(JournalTest, AnswerKeepsTheAktenzeichenAndUsesNoNumber) {
  TempDir dir;
  auto j = Open(dir / "j.sqlite");
  ASSERT_TRUE(j->CommitDecision(Nachforderung("h1", "AZ-00001", "08436094", 1,
                                              {2017, 9, 18}, {2017, 10, 16}))
                  .ok());
  ASSERT_TRUE(j->CommitDecision(Answer("h2", "AZ-00001",
                                       core::DecisionKind::kBewilligung,
                                       "08436094", 2, {2017, 11, 2}))
                  .ok());
  EXPECT_EQ(*j->LastSequence(), 1);
  EXPECT_EQ(*j->DecisionCount(), 2);
  EXPECT_EQ((*j->FindInput("h2"))->aktenzeichen, "AZ-00001");
  EXPECT_TRUE(*j->HasOutputs("AZ-00001"));
  EXPECT_TRUE(*j->HasOutputs("AZ-00001-2"));
  EXPECT_FALSE(j->OpenRequestFor("08436094")->has_value());
  EXPECT_TRUE(j->OpenRequests()->empty());
  // The grant of the answer counts, with its own date.
  auto grants = j->GrantsCovering({"08436094"});
  ASSERT_EQ(grants->size(), 1u);
  EXPECT_EQ((*grants)[0].aktenzeichen, "AZ-00001");
  EXPECT_EQ((*grants)[0].date->ToIso(), "2017-11-02");
  // The next number is 2: the answer used none.
  ASSERT_TRUE(j->CommitDecision(Ablehnung("h3", 2)).ok());
}

TEST(JournalTest, AnswerWithoutOpenRequestIsRefusedAndWritesNothing) {
  TempDir dir;
  auto j = Open(dir / "j.sqlite");
  ASSERT_TRUE(
      j->CommitDecision(Entry("h1", "AZ-00001", core::DecisionKind::kAblehnung,
                              {"08436094"}, 1))
          .ok());
  Status s = j->CommitDecision(Answer("h2", "AZ-00001",
                                      core::DecisionKind::kBewilligung,
                                      "08436094", 2, {2017, 11, 2}));
  EXPECT_EQ(s.code(), StatusCode::kStore);
  EXPECT_NE(s.message().find("answers no open request"), std::string::npos)
      << s.message();
  EXPECT_FALSE(j->FindInput("h2")->has_value());
  EXPECT_TRUE(j->GrantsCovering({"08436094"})->empty());
  // A request is answered once.
  ASSERT_TRUE(j->CommitDecision(Nachforderung("h3", "AZ-00002", "08436094", 2,
                                              {2017, 9, 18}, {2017, 10, 16}))
                  .ok());
  ASSERT_TRUE(
      j->CommitDecision(Answer("h4", "AZ-00002", core::DecisionKind::kAblehnung,
                               "08436094", 2, {2017, 11, 2}))
          .ok());
  EXPECT_FALSE(
      j->CommitDecision(Answer("h5", "AZ-00002", core::DecisionKind::kAblehnung,
                               "08436094", 2, {2017, 11, 3}))
          .ok());
}

// An answer that is itself incomplete answers the request and makes the
// next one, under the same Aktenzeichen.
TEST(JournalTest, AnswerThatRequestsAgainOpensTheNextRequest) {
  TempDir dir;
  auto j = Open(dir / "j.sqlite");
  ASSERT_TRUE(j->CommitDecision(Nachforderung("h1", "AZ-00001", "08436094", 1,
                                              {2017, 9, 18}, {2017, 10, 16}))
                  .ok());
  DecisionEntry again =
      Answer("h2", "AZ-00001", core::DecisionKind::kNachforderung, "08436094",
             2, {2017, 10, 20});
  again.request_deadline = core::Date{2017, 11, 17};
  again.application_receipt = core::Date{2017, 8, 14};
  again.applicant_ags = "08436094";
  again.applicant_name = "Stadt Wangen im Allgäu";
  ASSERT_TRUE(j->CommitDecision(again).ok());
  auto open = j->OpenRequests();
  ASSERT_EQ(open->size(), 1u);
  EXPECT_EQ((*open)[0].aktenzeichen, "AZ-00001");
  EXPECT_EQ((*open)[0].revision, 2);
  EXPECT_EQ((*open)[0].deadline.ToIso(), "2017-11-17");
  ASSERT_TRUE(j->CommitDecision(Answer("h3", "AZ-00001",
                                       core::DecisionKind::kBewilligung,
                                       "08436094", 3, {2017, 11, 10}))
                  .ok());
  EXPECT_TRUE(j->OpenRequests()->empty());
}

// `bescheid deadlines` reads requests while the service holds the journal.
TEST(JournalTest, ReadOnlyJournalReadsBesideTheHolderAndWritesNothing) {
  TempDir dir;
  const std::string path = dir / "j.sqlite";
  EXPECT_EQ(OpenSqliteJournal(path, {true, true}).status().code(),
            StatusCode::kNotFound);
  EXPECT_FALSE(std::filesystem::exists(path));
  auto service = Open(path);
  ASSERT_TRUE(
      service
          ->CommitDecision(Nachforderung("h1", "AZ-00001", "08436094", 1,
                                         {2017, 9, 18}, {2017, 10, 16}))
          .ok());
  auto reader = OpenSqliteJournal(path, {true, true});
  ASSERT_TRUE(reader.ok()) << reader.status().message();
  auto open = (*reader)->OpenRequests();
  ASSERT_TRUE(open.ok()) << open.status().message();
  ASSERT_EQ(open->size(), 1u);
  EXPECT_EQ((*open)[0].aktenzeichen, "AZ-00001");
  Status write = (*reader)->CommitDecision(Ablehnung("h2", 2));
  EXPECT_EQ(write.code(), StatusCode::kStore);
  EXPECT_EQ(*service->LastSequence(), 1);
  EXPECT_TRUE(service->CommitDecision(Ablehnung("h2", 2)).ok());
}

// --- Existing behaviour ------------------------------------------------------

TEST(JournalTest, UnknownInputIsNotFound) {
  TempDir dir;
  auto j = Open(dir / "j.sqlite");
  auto r = j->FindInput("abc");
  ASSERT_TRUE(r.ok());
  EXPECT_FALSE(r->has_value());
}

TEST(JournalTest, CommittedDecisionMarksInputAndFundsGrantedAgs) {
  TempDir dir;
  auto j = Open(dir / "j.sqlite");
  ASSERT_TRUE(j->CommitDecision(Entry("h1", "AZ-00001",
                                      core::DecisionKind::kBewilligung,
                                      {"08435036", "08435016"}, 1))
                  .ok());
  auto in = j->FindInput("h1");
  ASSERT_TRUE(in.ok() && in->has_value());
  EXPECT_EQ((*in)->state, InputState::kDecided);
  EXPECT_EQ((*in)->aktenzeichen, "AZ-00001");
  EXPECT_EQ((*in)->file_name, "h1.xml");

  auto grants = j->GrantsCovering({"08435016", "08111000"});
  ASSERT_TRUE(grants.ok());
  ASSERT_EQ(grants->size(), 1u);
  EXPECT_EQ((*grants)[0].ags, "08435016");
  EXPECT_EQ((*grants)[0].aktenzeichen, "AZ-00001");
}

TEST(JournalTest, NonGrantsFundNothing) {
  TempDir dir;
  auto j = Open(dir / "j.sqlite");
  ASSERT_TRUE(
      j->CommitDecision(
           Entry("h1", "AZ-1", core::DecisionKind::kAblehnung, {"08435059"}, 1))
          .ok());
  ASSERT_TRUE(j->CommitDecision(Nachforderung("h2", "AZ-2", "08435059", 2,
                                              {2017, 9, 18}, {2017, 10, 16}))
                  .ok());
  ASSERT_TRUE(j->CommitDecision(Entry("h3", "AZ-3",
                                      core::DecisionKind::kTeilbewilligung,
                                      {"08317096"}, 3))
                  .ok());
  EXPECT_TRUE(j->GrantsCovering({"08435059"})->empty());
  EXPECT_EQ(j->GrantsCovering({"08317096"})->size(), 1u);
}

TEST(JournalTest, SameAktenzeichenOrInputCannotBeDecidedTwice) {
  TempDir dir;
  auto j = Open(dir / "j.sqlite");
  ASSERT_TRUE(
      j->CommitDecision(Entry("h1", "AZ-1", core::DecisionKind::kBewilligung,
                              {"08435059"}, 1))
          .ok());
  Status again = j->CommitDecision(
      Entry("h2", "AZ-1", core::DecisionKind::kBewilligung, {"08435059"}, 2));
  EXPECT_FALSE(again.ok());
  EXPECT_EQ(again.code(), StatusCode::kStore);
  Status same_input = j->CommitDecision(
      Entry("h1", "AZ-2", core::DecisionKind::kAblehnung, {"08435059"}, 3));
  EXPECT_FALSE(same_input.ok());
  // The failed transactions left nothing behind.
  EXPECT_EQ(j->GrantsCovering({"08435059"})->size(), 1u);
  EXPECT_EQ((*j->FindInput("h1"))->aktenzeichen, "AZ-1");
}

TEST(JournalTest, AttemptsAreCountedAndRejectionsRecorded) {
  TempDir dir;
  auto j = Open(dir / "j.sqlite");
  EXPECT_EQ(*j->BeginAttempt("h9", "a.xml"), 1);
  EXPECT_EQ(*j->BeginAttempt("h9", "a.xml"), 2);
  EXPECT_EQ((*j->FindInput("h9"))->state, InputState::kInProgress);
  EXPECT_EQ((*j->FindInput("h9"))->attempts, 2);
  ASSERT_TRUE(j->FinishAttempt("h9").ok());
  EXPECT_EQ((*j->FindInput("h9"))->attempts, 1);
  ASSERT_TRUE(j->CommitRejection("h9", "a.xml", "kaputt").ok());
  EXPECT_EQ((*j->FindInput("h9"))->state, InputState::kRejected);
}

TEST(JournalTest, UnwritableLocationIsAStoreError) {
  auto j = OpenSqliteJournal("/proc/nonexistent/j.sqlite");
  ASSERT_FALSE(j.ok());
  EXPECT_EQ(j.status().code(), StatusCode::kStore);
}
// --- Recovery from failed transactions --------------------------------------

TEST(JournalTest, FailureMidTransactionRollsBackEverythingAndJournalGoesOn) {
  TempDir dir;
  auto j = Open(dir / "j.sqlite");
  // The second funded row violates its primary key after the decision and
  // the input rows were written in the same transaction.
  Status s =
      j->CommitDecision(Entry("h1", "AZ-1", core::DecisionKind::kBewilligung,
                              {"08435059", "08435059"}, 1));
  ASSERT_FALSE(s.ok());
  EXPECT_EQ(s.code(), StatusCode::kStore);
  EXPECT_FALSE(*j->HasDecision("AZ-1"));
  EXPECT_FALSE(j->FindInput("h1")->has_value());
  EXPECT_EQ(*j->LastSequence(), 0);
  EXPECT_TRUE(j->Health().ok());
  // Transactions work again: the number and the input are still free.
  EXPECT_EQ(*j->BeginAttempt("h1", "h1.xml"), 1);
  ASSERT_TRUE(
      j->CommitDecision(Entry("h1", "AZ-1", core::DecisionKind::kBewilligung,
                              {"08435059"}, 1))
          .ok());
  EXPECT_EQ(j->GrantsCovering({"08435059"})->size(), 1u);
}

// What one file costs the journal, as the pipeline calls it.
void RecordFile(Journal& j, int64_t n) {
  const std::string sha = "sha-" + std::to_string(n);
  ASSERT_TRUE(j.Health().ok());
  ASSERT_FALSE(j.FindInput(sha)->has_value());
  ASSERT_EQ(*j.BeginAttempt(sha, sha + ".xml"), 1);
  const std::string ags = "08" + std::to_string(435000 + n);
  ASSERT_TRUE(j.GrantsCovering({ags})->empty());
  ASSERT_FALSE(j.OpenRequestFor(ags)->has_value());
  ASSERT_TRUE(
      j.CommitDecision(Entry(sha, "AZ-" + std::to_string(n),
                             core::DecisionKind::kBewilligung, {ags}, n))
          .ok());
  ASSERT_TRUE(j.FinishAttempt(sha).ok());
  ASSERT_EQ(*j.LastSequence(), n);
  ASSERT_TRUE(*j.HasDecision("AZ-" + std::to_string(n)));
}

// The reads that deciding an application makes (FindInput, GrantsCovering,
// OpenRequestFor) do not wait for a commit in progress: here a commit waits
// for the database's write lock, held by another connection, and the reads
// answer from what was committed before it.
TEST(JournalTest, DecidingReadsDoNotWaitForACommitInProgress) {
  TempDir dir;
  const std::string path = dir / "j.sqlite";
  auto j = Open(path);
  ASSERT_TRUE(
      j->CommitDecision(Entry("sha-1", "AZ-1", core::DecisionKind::kBewilligung,
                              {"08111000"}, 1))
          .ok());
  RawDb other(path);
  other.Query("BEGIN IMMEDIATE");  // the write lock, until ROLLBACK
  std::atomic<bool> committed{false};
  std::thread commit([&] {
    EXPECT_TRUE(j->CommitDecision(Entry("sha-2", "AZ-2",
                                        core::DecisionKind::kAblehnung, {}, 2))
                    .ok());
    committed = true;
  });
  // Give the commit time to take the journal and wait for the lock; the
  // reads below must not wait for it (busy_timeout is 10 s).
  std::this_thread::sleep_for(std::chrono::milliseconds(300));
  auto reads = std::async(std::launch::async, [&] {
    Result<std::optional<InputRecord>> first = j->FindInput("sha-1");
    Result<std::optional<InputRecord>> second = j->FindInput("sha-2");
    Result<std::vector<core::PriorGrant>> grants =
        j->GrantsCovering({"08111000"});
    Result<std::optional<RequestRecord>> request =
        j->OpenRequestFor("08111000");
    return first.ok() && *first && (*first)->aktenzeichen == "AZ-1" &&
           second.ok() && !*second && grants.ok() && grants->size() == 1 &&
           request.ok() && !*request;
  });
  const bool answered =
      reads.wait_for(std::chrono::seconds(5)) == std::future_status::ready;
  EXPECT_TRUE(answered) << "the reads waited for the commit";
  EXPECT_FALSE(committed.load());
  other.Query("ROLLBACK");
  commit.join();
  EXPECT_TRUE(committed.load());
  EXPECT_TRUE(reads.get());
  // Committed now, and seen by the next read.
  Result<std::optional<InputRecord>> second = j->FindInput("sha-2");
  ASSERT_TRUE(second.ok() && *second);
  EXPECT_EQ((*second)->aktenzeichen, "AZ-2");
}

TEST(JournalTest, PreparesEachStatementOnce) {
  TempDir dir;
  auto j = Open(dir / "j.sqlite");
  RecordFile(*j, 1);
  const Result<int64_t> after_one = PreparedStatementsForTesting(*j);
  ASSERT_TRUE(after_one.ok()) << after_one.status().message();
  EXPECT_GT(*after_one, 5);
  for (int64_t n = 2; n <= 50; ++n) RecordFile(*j, n);
  EXPECT_EQ(*PreparedStatementsForTesting(*j), *after_one);
  // The statements stay usable after a failed call rolled back.
  Status taken = j->CommitDecision(Ablehnung("again", 50));
  EXPECT_FALSE(taken.ok());
  RecordFile(*j, 51);
  EXPECT_EQ(*PreparedStatementsForTesting(*j), *after_one);
  EXPECT_EQ(*j->DecisionCount(), 51);
}

TEST(JournalTest, FullDatabaseDoesNotWedgeTheJournal) {
  TempDir dir;
  auto j = Open(dir / "j.sqlite");
  ASSERT_TRUE(j->CommitDecision(Ablehnung("h1", 1)).ok());
  // Below the current size: caps the database where it is now.
  ASSERT_TRUE(SetMaxPageCountForTesting(*j, 1).ok());
  DecisionEntry big = Ablehnung("big", 2);
  big.record_xml = "<x>" + std::string(200000, 'x') + "</x>";

  Status full = j->CommitDecision(big);
  ASSERT_FALSE(full.ok());
  EXPECT_EQ(full.code(), StatusCode::kStore);
  EXPECT_NE(full.message().find("full"), std::string::npos) << full.message();
  EXPECT_FALSE(j->FindInput("big")->has_value());
  EXPECT_EQ(*j->LastSequence(), 1);
  // Calls that need no new page work at once (before the fix: "Transaction
  // in progress" forever).
  EXPECT_TRUE(j->Health().ok());
  EXPECT_EQ(*j->BeginAttempt("h2", "h2.xml"), 1);

  ASSERT_TRUE(SetMaxPageCountForTesting(*j, 1 << 20).ok());  // space freed
  ASSERT_TRUE(j->CommitDecision(big).ok());
  EXPECT_EQ(*j->LastSequence(), 2);
  EXPECT_EQ(*j->DecisionCount(), 2);
}

// A small tmpfs mounted on a directory for the test's lifetime, in a mount
// namespace of the test process's own where possible.
class SmallDisk {
 public:
  explicit SmallDisk(const std::string& dir) : dir_(dir) {
    if (unshare(CLONE_NEWNS) == 0) {
      mount(nullptr, "/", nullptr, MS_REC | MS_PRIVATE, nullptr);
    }
    if (mount("tmpfs", dir.c_str(), "tmpfs", 0, "size=1m") != 0) {
      error_ = std::strerror(errno);
    }
  }
  ~SmallDisk() {
    if (error_.empty() && umount(dir_.c_str()) != 0) {
      umount2(dir_.c_str(), MNT_DETACH);
    }
  }
  const std::string& error() const { return error_; }

 private:
  std::string dir_;
  std::string error_;
};

// Writes to `path` until the file system is full.
void FillDisk(const std::string& path) {
  std::FILE* f = std::fopen(path.c_str(), "wb");
  ASSERT_NE(f, nullptr);
  const std::string block(4096, 'f');
  while (std::fwrite(block.data(), 1, block.size(), f) == block.size() &&
         std::fflush(f) == 0) {
  }
  std::fclose(f);
}

TEST(JournalTest, FullDiskDoesNotWedgeTheJournal) {
  TempDir dir;
  SmallDisk disk(dir.path());
  if (!disk.error().empty()) {
    GTEST_SKIP() << "cannot mount a tmpfs (needs root): " << disk.error();
  }
  DecisionEntry big = Ablehnung("big", 2);
  big.record_xml = "<x>" + std::string(100000, 'x') + "</x>";
  {
    auto j = Open(dir / "j.sqlite");
    ASSERT_NE(j, nullptr);
    ASSERT_TRUE(j->CommitDecision(Ablehnung("h1", 1)).ok());
    FillDisk(dir / "filler");
    Status full = j->CommitDecision(big);
    ASSERT_FALSE(full.ok());
    EXPECT_EQ(full.code(), StatusCode::kStore);
    EXPECT_FALSE(j->FindInput("big")->has_value());

    ASSERT_TRUE(std::filesystem::remove(dir / "filler"));
    EXPECT_TRUE(j->Health().ok());
    ASSERT_TRUE(j->CommitDecision(big).ok()) << "after freeing space";
    EXPECT_EQ(*j->LastSequence(), 2);
  }
  auto j = Open(dir / "j.sqlite");
  EXPECT_EQ(*j->DecisionCount(), 2);
}

TEST(JournalTest, FailedRollbackBreaksTheJournalUntilRestart) {
  TempDir dir;
  const std::string path = dir / "j.sqlite";
  {
    auto j = Open(path);
    EXPECT_TRUE(j->Health().ok());
    ASSERT_TRUE(FailRollbacksForTesting(*j).ok());
    Status s = j->CommitDecision(
        Entry("h1", "AZ-1", core::DecisionKind::kBewilligung, {"1", "1"}, 1));
    ASSERT_FALSE(s.ok());
    EXPECT_EQ(s.code(), StatusCode::kStore);
    EXPECT_NE(s.message().find("must be restarted"), std::string::npos)
        << s.message();

    Status health = j->Health();
    EXPECT_EQ(health.code(), StatusCode::kStore);
    EXPECT_EQ(health.message(), s.message());
    EXPECT_EQ(j->BeginAttempt("h2", "h2.xml").status().code(),
              StatusCode::kStore);
    EXPECT_EQ(j->LastSequence().status().message(), s.message());
  }
  auto j = Open(path);  // the restart: the open transaction never committed
  EXPECT_TRUE(j->Health().ok());
  EXPECT_FALSE(j->FindInput("h1")->has_value());
  EXPECT_FALSE(j->FindInput("h2")->has_value());
}

// --- Durability settings ----------------------------------------------------

TEST(JournalTest, DatabaseIsInWriteAheadLogMode) {
  TempDir dir;
  const std::string path = dir / "j.sqlite";
  auto j = Open(path);
  ASSERT_TRUE(j->CommitDecision(Ablehnung("h1", 1)).ok());
  RawDb raw(path);
  EXPECT_EQ(raw.Query("PRAGMA journal_mode"), std::vector<std::string>{"wal"});
  // The file header records WAL persistently (format versions 2 at 18, 19).
  const std::string header = ReadFileOrDie(path).substr(0, 20);
  EXPECT_EQ(header[18], 2);
  EXPECT_EQ(header[19], 2);
}

// --- One process per journal ------------------------------------------------

TEST(JournalTest, LockFileNamesTheHoldingProcess) {
  TempDir dir;
  auto j = Open(dir / "j.sqlite");
  EXPECT_EQ(ReadFileOrDie(dir / "j.sqlite.lock"),
            std::to_string(getpid()) + "\n");
}

TEST(JournalTest, SecondOpenInTheSameProcessFails) {
  TempDir dir;
  const std::string path = dir / "j.sqlite";
  {
    auto first = Open(path);
    auto second = OpenSqliteJournal(path);
    ASSERT_FALSE(second.ok());
    EXPECT_EQ(second.status().code(), StatusCode::kStore);
    EXPECT_EQ(second.status().message(),
              "journal '" + path + "' is already open in this process (pid " +
                  std::to_string(getpid()) + ")");
  }
  EXPECT_TRUE(OpenSqliteJournal(path).ok()) << "released when closed";
}

TEST(JournalTest, JournalHeldByAnotherProcessCannotBeOpened) {
  TempDir dir;
  const std::string path = dir / "j.sqlite";
  int ready[2], release[2];
  ASSERT_EQ(pipe(ready), 0);
  ASSERT_EQ(pipe(release), 0);
  const pid_t child = fork();
  ASSERT_GE(child, 0);
  if (child == 0) {  // holds the journal until the parent lets go
    auto j = OpenSqliteJournal(path);
    const char c = j.ok() ? 'y' : 'n';
    char ignored;
    if (write(ready[1], &c, 1) != 1 || read(release[0], &ignored, 1) < 0) {
      _exit(2);
    }
    _exit(j.ok() ? 0 : 1);
  }
  char c = 0;
  ASSERT_EQ(read(ready[0], &c, 1), 1);
  EXPECT_EQ(c, 'y');

  auto j = OpenSqliteJournal(path);
  ASSERT_FALSE(j.ok());
  EXPECT_EQ(j.status().code(), StatusCode::kStore);
  EXPECT_EQ(j.status().message(),
            "journal '" + path + "' is in use by another bescheid process " +
                "(pid " + std::to_string(child) + ")");

  ASSERT_EQ(write(release[1], "x", 1), 1);
  int status = 0;
  ASSERT_EQ(waitpid(child, &status, 0), child);
  EXPECT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0);
  for (int fd : {ready[0], ready[1], release[0], release[1]}) close(fd);
  EXPECT_TRUE(OpenSqliteJournal(path).ok()) << "released at exit";
}

// --- Start-up checks
// ----------------------------------------------------------

TEST(JournalTest, JournalExistsOnlyForANonEmptyFile) {
  TempDir dir;
  EXPECT_FALSE(JournalExists(dir / "missing.sqlite"));
  WriteFileOrDie(dir / "empty.sqlite", "");
  EXPECT_FALSE(JournalExists(dir / "empty.sqlite"));
  EXPECT_FALSE(JournalExists(dir.path()));  // a directory
  auto j = Open(dir / "j.sqlite");
  EXPECT_TRUE(JournalExists(dir / "j.sqlite"));
}

TEST(JournalTest, OpenWithoutCreateRefusesAMissingJournal) {
  TempDir dir;
  const std::string path = dir / "sub/j.sqlite";
  JournalOptions existing_only;
  existing_only.create_if_missing = false;
  auto missing = OpenSqliteJournal(path, existing_only);
  ASSERT_FALSE(missing.ok());
  EXPECT_EQ(missing.status().code(), StatusCode::kNotFound);
  EXPECT_FALSE(std::filesystem::exists(dir / "sub")) << "created nothing";

  { ASSERT_NE(Open(path), nullptr); }
  auto j = OpenSqliteJournal(path, existing_only);
  ASSERT_TRUE(j.ok()) << j.status().message();
}

TEST(JournalTest, DecisionCountCountsDecisionsNotRejections) {
  TempDir dir;
  auto j = Open(dir / "j.sqlite");
  EXPECT_EQ(*j->DecisionCount(), 0);
  ASSERT_TRUE(j->CommitDecision(Ablehnung("h1", 1)).ok());
  ASSERT_TRUE(j->CommitDecision(Ablehnung("h2", 2)).ok());
  ASSERT_TRUE(j->CommitRejection("h3", "h3.xml", "kaputt").ok());
  EXPECT_EQ(*j->BeginAttempt("h4", "h4.xml"), 1);
  EXPECT_EQ(*j->DecisionCount(), 2);
}

TEST(JournalTest, IntegrityCheckPassesOnASoundJournal) {
  TempDir dir;
  auto j = Open(dir / "j.sqlite");
  ASSERT_TRUE(j->CommitDecision(Ablehnung("h1", 1)).ok());
  Status s = j->IntegrityCheck();
  EXPECT_TRUE(s.ok()) << s.message();
}

TEST(JournalTest, IntegrityCheckFindsAnIndexThatDisagreesWithItsTable) {
  TempDir dir;
  const std::string path = dir / "j.sqlite";
  { ASSERT_TRUE(Open(path)->CommitDecision(Ablehnung("sha-1234", 1)).ok()); }
  long page = 0, page_size = 0;
  {
    RawDb raw(path);
    page =
        std::stol(raw.Query("SELECT rootpage FROM sqlite_schema WHERE name = "
                            "(SELECT l.name FROM pragma_index_list('decisions')"
                            " l, pragma_index_info(l.name) i"
                            " WHERE i.name = 'sha256')")[0]);
    page_size = std::stol(raw.Query("PRAGMA page_size")[0]);
  }
  {  // the index on decisions.sha256 now says "sha-9234"
    std::fstream f(path, std::ios::in | std::ios::out | std::ios::binary);
    std::string bytes(page_size, '\0');
    f.seekg((page - 1) * page_size);
    f.read(bytes.data(), page_size);
    const size_t at = bytes.find("sha-1234");
    ASSERT_NE(at, std::string::npos);
    f.seekp((page - 1) * page_size + at + 4);
    f.put('9');
    ASSERT_TRUE(f.good());
  }
  auto j = Open(path);
  ASSERT_NE(j, nullptr);
  Status s = j->IntegrityCheck();
  ASSERT_FALSE(s.ok());
  EXPECT_EQ(s.code(), StatusCode::kStore);
  EXPECT_NE(s.message().find("failed its integrity check"), std::string::npos)
      << s.message();
  EXPECT_NE(s.message().find("missing from index"), std::string::npos)
      << s.message();
}

}  // namespace
}  // namespace bescheid::store
