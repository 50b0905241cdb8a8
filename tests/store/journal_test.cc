#include "store/journal.h"

#include <gtest/gtest.h>
#include <sys/wait.h>
#include <unistd.h>

#include <set>
#include <thread>

#include "test_util.h"

namespace bescheid::store {
namespace {

using bescheid::testing::ReadFileOrDie;
using bescheid::testing::TempDir;

std::unique_ptr<Journal> Open(const std::string& path) {
  auto j = OpenSqliteJournal(path);
  EXPECT_TRUE(j.ok()) << j.status().message();
  return j.ok() ? std::move(j).value() : nullptr;
}

DecisionEntry Entry(const std::string& sha, const std::string& az,
                    core::DecisionKind kind, std::vector<std::string> ags) {
  return DecisionEntry{sha, sha + ".xml", az, kind, std::move(ags), "<x/>", ""};
}

TEST(JournalTest, SequenceStartsAtOneAndSurvivesReopening) {
  TempDir dir;
  const std::string path = dir / "sub/dir/j.sqlite";  // parents created
  {
    auto j = Open(path);
    EXPECT_EQ(*j->NextSequence(), 1);
    EXPECT_EQ(*j->NextSequence(), 2);
  }
  auto j = Open(path);
  EXPECT_EQ(*j->NextSequence(), 3);  // never handed out twice
}

TEST(JournalTest, SequenceIsUniqueUnderConcurrency) {
  TempDir dir;
  auto j = Open(dir / "j.sqlite");
  std::vector<std::vector<int64_t>> got(4);
  std::vector<std::thread> threads;
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&, t] {
      for (int i = 0; i < 25; ++i) got[t].push_back(*j->NextSequence());
    });
  }
  for (auto& t : threads) t.join();
  std::set<int64_t> all;
  for (auto& v : got) all.insert(v.begin(), v.end());
  EXPECT_EQ(all.size(), 100u);
  EXPECT_EQ(*all.begin(), 1);
  EXPECT_EQ(*all.rbegin(), 100);
}

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
                                      {"08435036", "08435016"}))
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
           Entry("h1", "AZ-1", core::DecisionKind::kAblehnung, {"08435059"}))
          .ok());
  ASSERT_TRUE(
      j->CommitDecision(Entry("h2", "AZ-2", core::DecisionKind::kNachforderung,
                              {"08435059"}))
          .ok());
  ASSERT_TRUE(j->CommitDecision(Entry("h3", "AZ-3",
                                      core::DecisionKind::kTeilbewilligung,
                                      {"08317096"}))
                  .ok());
  EXPECT_TRUE(j->GrantsCovering({"08435059"})->empty());
  EXPECT_EQ(j->GrantsCovering({"08317096"})->size(), 1u);
}

TEST(JournalTest, SameAktenzeichenOrInputCannotBeDecidedTwice) {
  TempDir dir;
  auto j = Open(dir / "j.sqlite");
  ASSERT_TRUE(
      j->CommitDecision(
           Entry("h1", "AZ-1", core::DecisionKind::kBewilligung, {"08435059"}))
          .ok());
  Status again = j->CommitDecision(
      Entry("h2", "AZ-1", core::DecisionKind::kBewilligung, {"08435059"}));
  EXPECT_FALSE(again.ok());
  EXPECT_EQ(again.code(), StatusCode::kStore);
  Status same_input = j->CommitDecision(
      Entry("h1", "AZ-2", core::DecisionKind::kAblehnung, {"08435059"}));
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
  ASSERT_TRUE(j->CommitRejection("h9", "a.xml", "kaputt").ok());
  EXPECT_EQ((*j->FindInput("h9"))->state, InputState::kRejected);
}

TEST(JournalTest, UnwritableLocationIsAStoreError) {
  auto j = OpenSqliteJournal("/proc/nonexistent/j.sqlite");
  ASSERT_FALSE(j.ok());
  EXPECT_EQ(j.status().code(), StatusCode::kStore);
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

}  // namespace
}  // namespace bescheid::store
