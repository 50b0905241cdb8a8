// The review station's part of the journal: the append-only audit trail,
// drafts and their release, searches and the overview's counts.
#include <gtest/gtest.h>
#include <sqlite3.h>

#include "store/journal.h"
#include "test_util.h"

namespace bescheid::store {
namespace {

using bescheid::testing::TempDir;

std::unique_ptr<Journal> Open(const std::string& path) {
  auto j = OpenSqliteJournal(path);
  EXPECT_TRUE(j.ok()) << j.status().message();
  return j.ok() ? std::move(j).value() : nullptr;
}

DecisionEntry Entry(const std::string& sha, const std::string& az,
                    int64_t sequence, bool draft,
                    const std::string& corrected_by = "") {
  DecisionEntry e{sha,
                  sha + ".xml",
                  az,
                  core::DecisionKind::kBewilligung,
                  {"08311000"},
                  "<x/>",
                  az + ".pdf",
                  sequence,
                  core::Date{2018, 1, 22}};
  e.applicant_ags = "08311000";
  e.applicant_name = "Stadt Freiburg im Breisgau";
  e.draft = draft;
  e.corrected_by = corrected_by;
  return e;
}

TEST(AuditTest, AppendedLinesAreReadBackInOrderForTheirTarget) {
  TempDir dir;
  auto j = Open(dir.path() + "/j.sqlite");
  ASSERT_TRUE(j);
  ASSERT_TRUE(j->AppendAudit({{"", "anna", "korrektur", "abc-1", "bank.iban",
                               "DE00", "DE89"},
                              {"", "anna", "korrektur", "abc-1",
                               "applicant.ags", "08311OOO", "08311000"}})
                  .ok());
  ASSERT_TRUE(
      j->AppendAudit({{"", "bernd", "freigabe", "RPS-1", "", "", ""}}).ok());
  auto lines = j->AuditFor("abc-1");
  ASSERT_TRUE(lines.ok()) << lines.status().message();
  ASSERT_EQ(lines->size(), 2u);
  EXPECT_EQ((*lines)[0].user, "anna");
  EXPECT_EQ((*lines)[0].field, "bank.iban");
  EXPECT_EQ((*lines)[0].old_value, "DE00");
  EXPECT_EQ((*lines)[0].new_value, "DE89");
  EXPECT_EQ((*lines)[1].field, "applicant.ags");
  EXPECT_EQ((*lines)[0].at.size(), 19u) << (*lines)[0].at;
  auto other = j->AuditFor("RPS-1");
  ASSERT_TRUE(other.ok());
  ASSERT_EQ(other->size(), 1u);
  EXPECT_EQ((*other)[0].action, "freigabe");
  EXPECT_TRUE(j->AuditFor("nothing")->empty());
}

// Not even a client with SQL access changes the trail: the schema refuses
// UPDATE and DELETE.
TEST(AuditTest, TheTrailCannotBeChangedOrDeletedInTheDatabase) {
  TempDir dir;
  const std::string path = dir.path() + "/j.sqlite";
  {
    auto j = Open(path);
    ASSERT_TRUE(j);
    ASSERT_TRUE(
        j->AppendAudit({{"", "anna", "korrektur", "abc-1", "f", "a", "b"}})
            .ok());
  }
  sqlite3* db = nullptr;
  ASSERT_EQ(sqlite3_open(path.c_str(), &db), SQLITE_OK);
  char* error = nullptr;
  EXPECT_NE(sqlite3_exec(db, "UPDATE audit SET new_value = 'x'", nullptr,
                         nullptr, &error),
            SQLITE_OK);
  sqlite3_free(error);
  EXPECT_NE(sqlite3_exec(db, "DELETE FROM audit", nullptr, nullptr, &error),
            SQLITE_OK);
  sqlite3_free(error);
  sqlite3_close(db);
  auto j = Open(path);
  ASSERT_TRUE(j);
  auto lines = j->AuditFor("abc-1");
  ASSERT_TRUE(lines.ok());
  ASSERT_EQ(lines->size(), 1u);
  EXPECT_EQ((*lines)[0].new_value, "b");
}

TEST(AuditTest, DraftsAreListedUntilReleasedWithWhoAndTheAudit) {
  TempDir dir;
  auto j = Open(dir.path() + "/j.sqlite");
  ASSERT_TRUE(j);
  ASSERT_TRUE(j->CommitDecision(Entry("a", "AZ-1", 1, true, "anna")).ok());
  ASSERT_TRUE(j->CommitDecision(Entry("b", "AZ-2", 2, true)).ok());
  ASSERT_TRUE(j->CommitDecision(Entry("c", "AZ-3", 3, false)).ok());
  auto drafts = j->Drafts();
  ASSERT_TRUE(drafts.ok()) << drafts.status().message();
  ASSERT_EQ(drafts->size(), 2u);
  EXPECT_EQ((*drafts)[0].aktenzeichen, "AZ-1");
  EXPECT_EQ((*drafts)[0].corrected_by, "anna");
  EXPECT_EQ((*drafts)[0].file_name, "a.xml");
  EXPECT_EQ((*drafts)[0].applicant_name, "Stadt Freiburg im Breisgau");
  EXPECT_EQ((*drafts)[0].release, ReleaseState::kDraft);

  // One of them is not a draft: nothing is released, nothing audited.
  Status refused = j->ReleaseDrafts({"AZ-2", "AZ-3"}, "bernd",
                                    {{"", "bernd", "freigabe", "AZ-2"}});
  EXPECT_EQ(refused.code(), StatusCode::kInvalidInput);
  EXPECT_EQ(j->Drafts()->size(), 2u);
  EXPECT_TRUE(j->AuditFor("AZ-2")->empty());

  ASSERT_TRUE(j->ReleaseDrafts({"AZ-1", "AZ-2"}, "bernd",
                               {{"", "bernd", "freigabe", "AZ-1"},
                                {"", "bernd", "freigabe", "AZ-2"}})
                  .ok());
  EXPECT_TRUE(j->Drafts()->empty());
  auto released = j->DecisionsFor("AZ-1");
  ASSERT_TRUE(released.ok());
  ASSERT_EQ(released->size(), 1u);
  EXPECT_EQ((*released)[0].release, ReleaseState::kReleased);
  EXPECT_EQ((*released)[0].released_by, "bernd");
  EXPECT_FALSE((*released)[0].released_at.empty());
  EXPECT_EQ(j->AuditFor("AZ-1")->size(), 1u);
  // Released twice: refused.
  EXPECT_EQ(j->ReleaseDrafts({"AZ-1"}, "bernd", {}).code(),
            StatusCode::kInvalidInput);
}

TEST(AuditTest, SearchFindsByAktenzeichenAgsAndNameWithinItsBound) {
  TempDir dir;
  auto j = Open(dir.path() + "/j.sqlite");
  ASSERT_TRUE(j);
  for (int i = 1; i <= 5; ++i) {
    ASSERT_TRUE(j->CommitDecision(Entry("s" + std::to_string(i),
                                        "AZ-" + std::to_string(i), i, false))
                    .ok());
  }
  EXPECT_EQ(j->SearchDecisions("AZ-3", 10)->size(), 1u);
  EXPECT_EQ(j->SearchDecisions("freiburg", 10)->size(), 5u);
  EXPECT_EQ(j->SearchDecisions("08311000", 3)->size(), 3u);
  EXPECT_TRUE(j->SearchDecisions("Ulm", 10)->empty());
  // LIKE's wildcards are searched for as themselves.
  EXPECT_TRUE(j->SearchDecisions("%", 10)->empty());
}

TEST(AuditTest, OutcomeCountsCountTodaysDecisionsRejectionsAndReviews) {
  TempDir dir;
  auto j = Open(dir.path() + "/j.sqlite");
  ASSERT_TRUE(j);
  ASSERT_TRUE(j->CommitDecision(Entry("a", "AZ-1", 1, false)).ok());
  ASSERT_TRUE(j->CommitDecision(Entry("b", "AZ-2", 2, false)).ok());
  ASSERT_TRUE(j->CommitRejection("r", "r.xml", "kaputt").ok());
  ASSERT_TRUE(j->OpenReview({"abc-1", "s.tif", "abc", 4, {}}).ok());
  auto counts = j->OutcomeCounts(14);
  ASSERT_TRUE(counts.ok()) << counts.status().message();
  std::map<std::string, int64_t> by;
  for (const OutcomeCount& c : *counts) by[c.outcome] += c.count;
  EXPECT_EQ(by["BEWILLIGUNG"], 2);
  EXPECT_EQ(by["ABGEWIESEN"], 1);
  EXPECT_EQ(by["PRUEFUNG"], 1);
  auto reviews = j->Reviews();
  ASSERT_TRUE(reviews.ok());
  ASSERT_EQ(reviews->size(), 1u);
  EXPECT_EQ((*reviews)[0].review.state, ReviewState::kOpen);
  ASSERT_TRUE(j->CloseReview("abc-1").ok());
  EXPECT_EQ((*j->Reviews())[0].review.state, ReviewState::kClosed);
  EXPECT_FALSE((*j->Reviews())[0].closed_at.empty());
}

}  // namespace
}  // namespace bescheid::store
