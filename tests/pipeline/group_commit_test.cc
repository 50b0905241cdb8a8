// Grouped durability (docs/durability.md): decisions whose files are
// written at the same time are made durable by one Env::SyncFiles pass and
// committed in one journal transaction, numbers in order and groups bounded
// by store.commit-group; a decision alone commits at once, and a group
// whose sync fails fails whole, leaving nothing behind. Detached commits
// (`bescheid process`) go the same way without their worker waiting.
#include <gtest/gtest.h>

#include <chrono>
#include <condition_variable>
#include <filesystem>
#include <map>
#include <mutex>
#include <optional>
#include <set>
#include <thread>

#include "forwarding_journal.h"
#include "pipeline/pipeline.h"
#include "test_util.h"

namespace bescheid::pipeline {
namespace {

using bescheid::testing::ReadFileOrDie;
using bescheid::testing::SourcePath;
using bescheid::testing::TempDir;
using bescheid::testing::WriteFileOrDie;
namespace fs = std::filesystem;

// Delegates to the real Env and records every sync pass (the paths it was
// given) and every write. While held, the first pass waits in SyncFiles
// until Release(), so that other decisions queue up behind its group.
class SyncCountingEnv final : public Env {
 public:
  Result<std::string> ReadFile(const std::string& p, uint64_t max) override {
    return base_->ReadFile(p, max);
  }
  Result<FileInfo> Stat(const std::string& p) override {
    return base_->Stat(p);
  }
  using Env::WriteFileAtomic;
  Status WriteFileAtomic(const std::string& p, std::string_view d,
                         const WriteOptions& o) override {
    ++durable_writes;
    return base_->WriteFileAtomic(p, d, o);
  }
  Status WriteFileUnsynced(const std::string& p, std::string_view d) override {
    ++unsynced_writes;
    return base_->WriteFileUnsynced(p, d);
  }
  Status SyncFiles(const std::vector<std::string>& paths) override {
    {
      std::unique_lock<std::mutex> lock(mu_);
      passes_.push_back(paths);
      changed_.notify_all();
      if (passes_.size() == 1) changed_.wait(lock, [&] { return !held_; });
    }
    if (fail_syncs) return IoError("cannot fsync: Input/output error (test)");
    return base_->SyncFiles(paths);
  }
  Status CreateDirs(const std::string& p) override {
    return base_->CreateDirs(p);
  }
  Status Rename(const std::string& a, const std::string& b) override {
    return base_->Rename(a, b);
  }
  Status MoveFile(const std::string& a, const std::string& b) override {
    return base_->MoveFile(a, b);
  }
  Status Remove(const std::string& p) override { return base_->Remove(p); }
  Result<std::vector<std::string>> ListDir(const std::string& p) override {
    return base_->ListDir(p);
  }
  int64_t NowUnix() override { return base_->NowUnix(); }
  Result<std::unique_ptr<FileLock>> LockFile(const std::string& p) override {
    return base_->LockFile(p);
  }

  void Hold() {
    std::lock_guard<std::mutex> lock(mu_);
    held_ = true;
  }
  void Release() {
    std::lock_guard<std::mutex> lock(mu_);
    held_ = false;
    changed_.notify_all();
  }
  // Waits (at most 60 s) until `n` passes have begun.
  bool AwaitPasses(size_t n) {
    std::unique_lock<std::mutex> lock(mu_);
    return changed_.wait_for(lock, std::chrono::seconds(60),
                             [&] { return passes_.size() >= n; });
  }
  std::vector<std::vector<std::string>> passes() {
    std::lock_guard<std::mutex> lock(mu_);
    return passes_;
  }

  std::atomic<int> durable_writes{0};
  std::atomic<int> unsynced_writes{0};
  std::atomic<bool> fail_syncs{false};

 private:
  std::mutex mu_;
  std::condition_variable changed_;
  bool held_ = false;
  std::vector<std::vector<std::string>> passes_;
  Env* base_ = DefaultEnv();
};

// Forwards to the real journal and records how many entries each commit
// call carried.
class CountingJournal final : public bescheid::testing::ForwardingJournal {
 public:
  using ForwardingJournal::ForwardingJournal;
  std::vector<Status> CommitDecisions(
      const std::vector<store::DecisionEntry>& e) override {
    {
      std::lock_guard<std::mutex> lock(mu_);
      groups_.push_back(e.size());
    }
    return ForwardingJournal::CommitDecisions(e);
  }
  Status CommitDecision(const store::DecisionEntry& e) override {
    ++single_commits;
    return ForwardingJournal::CommitDecision(e);
  }
  std::vector<size_t> groups() {
    std::lock_guard<std::mutex> lock(mu_);
    return groups_;
  }
  std::atomic<int> single_commits{0};

 private:
  Status Gate(Call) override { return Status::Ok(); }
  std::mutex mu_;
  std::vector<size_t> groups_;
};

// Seven examples from seven different municipalities: none waits for
// another's grant, so all can be ready to commit at once. The first is a
// refusal (letter and record), the fifth a joint application (two copies).
const std::vector<std::string> kExamples = {
    "08-ablehnung-nicht-berechtigt.xml",
    "01-bewilligung-tettnang.xml",
    "02-teilbewilligung-offenburg.xml",
    "03-ablehnung-mindestbetrag-todtnau.xml",
    "05-zusammenschluss-bodensee.xml",
    "04-nachforderung-wangen.xml",
    "07-ablehnung-fristende-ludwigsburg.xml"};

std::string Az(int n) { return "RPS15-IM-2017-0000" + std::to_string(n); }

class GroupCommitTest : public ::testing::Test {
 protected:
  void SetUp() override {
    reference_ = *core::ReferenceTable::ParseCsv(
        ReadFileOrDie(SourcePath("config/reference/gemeinden.csv")));
    reader_ = std::move(xml::ApplicationReader::Create()).value();
    sqlite_ = std::move(store::OpenSqliteJournal(dir_ / "j.sqlite")).value();
    journal_ = std::make_unique<CountingJournal>(sqlite_.get());
    settings_.letters.templates_dir = SourcePath("templates/letters");
    settings_.letters.font_regular = SourcePath("fonts/DejaVuSans-letters.ttf");
    settings_.letters.font_bold =
        SourcePath("fonts/DejaVuSans-Bold-letters.ttf");
  }

  // Processes every example at once, example i with ticket i on its own
  // renderer. The first one's sync pass is held until every other decision
  // waits for its commit, so those form groups behind it.
  std::vector<Outcome> ProcessBehindAHeldFirst() {
    Pipeline pipe(settings_, &reference_, reader_.get(), journal_.get(),
                  nullptr, &env_);
    std::vector<std::unique_ptr<letters::LetterRenderer>> renderers;
    for (size_t i = 0; i < kExamples.size(); ++i) {
      renderers.push_back(Renderer());
    }
    std::vector<Outcome> outcomes(kExamples.size());
    std::vector<std::thread> threads;
    auto start = [&](size_t i) {
      const std::string path = Example(i);
      threads.emplace_back([&, i, path] {
        outcomes[i] = pipe.Process(path, sink_, renderers[i].get(), i);
      });
    };
    env_.Hold();
    start(0);
    EXPECT_TRUE(env_.AwaitPasses(1));  // the first group: it alone
    for (size_t i = 1; i < kExamples.size(); ++i) start(i);
    const auto deadline =
        std::chrono::steady_clock::now() + std::chrono::seconds(60);
    while (pipe.CommitsWaiting() < kExamples.size() - 1 &&
           std::chrono::steady_clock::now() < deadline) {
      std::this_thread::sleep_for(std::chrono::milliseconds(5));
    }
    EXPECT_EQ(pipe.CommitsWaiting(), kExamples.size() - 1);
    env_.Release();
    for (std::thread& t : threads) t.join();
    return outcomes;
  }

  std::unique_ptr<letters::LetterRenderer> Renderer() {
    return std::move(
               letters::LetterRenderer::Create(MakeLetterOptions(settings_)))
        .value();
  }
  // Tettnang's example as in/<name>; its path.
  std::string Tettnang(const std::string& name) {
    const std::string path = dir_ / ("in/" + name);
    WriteFileOrDie(
        path,
        ReadFileOrDie(SourcePath("examples/01-bewilligung-tettnang.xml")));
    return path;
  }

  // Example i (kExamples) as in/<its name>; its path.
  std::string Example(size_t i) {
    const std::string path = dir_ / ("in/" + kExamples[i]);
    WriteFileOrDie(path, ReadFileOrDie(SourcePath("examples/" + kExamples[i])));
    return path;
  }

  // After groups that failed: nothing reached the journal or out/, and the
  // examples decided again, in order, get the numbers 1, 2, ... (none was
  // used up).
  void ExpectNothingLeftAndTheSameNumbersAgain() {
    EXPECT_TRUE(journal_->groups().empty());  // never reached the journal
    EXPECT_EQ(*sqlite_->DecisionCount(), 0);
    EXPECT_EQ(*sqlite_->LastSequence(), 0);
    EXPECT_TRUE(Outputs().empty());
    env_.fail_syncs = false;
    Pipeline pipe(settings_, &reference_, reader_.get(), journal_.get(),
                  nullptr, &env_);
    auto renderer = Renderer();
    for (size_t i = 0; i < kExamples.size(); ++i) {
      const Outcome o = pipe.Process(Example(i), sink_, renderer.get(), i);
      ASSERT_EQ(o.kind, Outcome::Kind::kDecided) << o.message;
      EXPECT_EQ(o.aktenzeichen, Az(static_cast<int>(i) + 1));
    }
  }

  // The output files (not temporaries) in out/, as paths.
  std::set<std::string> Outputs() {
    std::set<std::string> out;
    for (const auto& e : fs::directory_iterator(dir_ / "out")) {
      const std::string name = e.path().filename().string();
      if (e.is_regular_file() && name.front() != '.') {
        out.insert(e.path().string());
      }
    }
    return out;
  }

  TempDir dir_;
  config::Settings settings_;
  core::ReferenceTable reference_;
  std::unique_ptr<xml::ApplicationReader> reader_;
  std::unique_ptr<store::Journal> sqlite_;
  std::unique_ptr<CountingJournal> journal_;
  SyncCountingEnv env_;
  DirectorySink sink_{dir_ / "out", &env_};
};

TEST_F(GroupCommitTest, ADecisionAloneIsSyncedAndCommittedAtOnce) {
  Pipeline pipe(settings_, &reference_, reader_.get(), journal_.get(), nullptr,
                &env_);
  auto renderer = Renderer();
  const std::string path = Tettnang("a.xml");
  const Outcome o = pipe.Process(path, sink_, renderer.get(), 0);
  ASSERT_EQ(o.kind, Outcome::Kind::kDecided) << o.message;
  EXPECT_EQ(journal_->groups(), std::vector<size_t>{1});
  const auto passes = env_.passes();
  ASSERT_EQ(passes.size(), 1u);
  EXPECT_EQ(std::set<std::string>(passes[0].begin(), passes[0].end()),
            Outputs());
  EXPECT_EQ(passes[0].size(), 2u);  // letter and record
  EXPECT_EQ(env_.durable_writes.load(), 0);
  EXPECT_EQ(pipe.CommitsWaiting(), 0u);
}

// Seven letters: the first commits alone (its sync held), the six written
// meanwhile are made durable by ONE sync pass of their 14 files and
// committed by ONE journal transaction, numbered in the order of receipt.
TEST_F(GroupCommitTest, LettersReadyTogetherShareOneSyncPassAndOneTransaction) {
  const std::vector<Outcome> outcomes = ProcessBehindAHeldFirst();
  for (size_t i = 0; i < outcomes.size(); ++i) {
    ASSERT_EQ(outcomes[i].kind, Outcome::Kind::kDecided)
        << kExamples[i] << ": " << outcomes[i].message;
    EXPECT_EQ(outcomes[i].aktenzeichen, Az(static_cast<int>(i) + 1));
  }
  EXPECT_EQ(journal_->groups(), (std::vector<size_t>{1, 6}));
  EXPECT_EQ(journal_->single_commits.load(), 0);
  const auto passes = env_.passes();
  ASSERT_EQ(passes.size(), 2u);
  EXPECT_EQ(passes[0].size(), 2u);
  EXPECT_EQ(passes[1].size(), 14u);  // 6 letters, 6 records, 2 copies
  // Every output was synced, in exactly one pass.
  std::set<std::string> synced;
  for (const auto& pass : passes) {
    for (const std::string& p : pass) EXPECT_TRUE(synced.insert(p).second) << p;
  }
  EXPECT_EQ(synced, Outputs());
  EXPECT_EQ(env_.unsynced_writes.load(), 16);
  EXPECT_EQ(env_.durable_writes.load(), 0);
  EXPECT_EQ(*sqlite_->DecisionCount(), 7);
  EXPECT_EQ(*sqlite_->LastSequence(), 7);
}

// store.commit-group bounds a group: the six waiting decisions commit as
// four and two, the first four being the lowest numbers.
TEST_F(GroupCommitTest, AGroupIsBoundedByTheConfiguredSize) {
  settings_.store_commit_group = 4;
  const std::vector<Outcome> outcomes = ProcessBehindAHeldFirst();
  for (size_t i = 0; i < outcomes.size(); ++i) {
    ASSERT_EQ(outcomes[i].kind, Outcome::Kind::kDecided) << kExamples[i];
    EXPECT_EQ(outcomes[i].aktenzeichen, Az(static_cast<int>(i) + 1));
  }
  EXPECT_EQ(journal_->groups(), (std::vector<size_t>{1, 4, 2}));
  const auto passes = env_.passes();
  ASSERT_EQ(passes.size(), 3u);
  std::set<std::string> documents;
  for (const std::string& p : passes[1]) {
    documents.insert(DocumentOfOutput(BaseName(p)));
  }
  EXPECT_EQ(documents, (std::set<std::string>{Az(2), Az(3), Az(4), Az(5)}));
  EXPECT_EQ(*sqlite_->LastSequence(), 7);
}

// With a group fill (`bescheid process`), decisions ready one after the
// other wait for each other: three letters decided in turn, none held,
// share one sync pass and one transaction.
TEST_F(GroupCommitTest, WithAGroupFillDecisionsWaitToShareOnePass) {
  Pipeline pipe(settings_, &reference_, reader_.get(), journal_.get(), nullptr,
                &env_);
  pipe.SetGroupFill(3, std::chrono::seconds(60));
  std::vector<std::unique_ptr<letters::LetterRenderer>> renderers;
  for (size_t i = 0; i < 3; ++i) renderers.push_back(Renderer());
  std::vector<Outcome> outcomes(3);
  std::vector<std::thread> threads;
  for (size_t i = 0; i < 3; ++i) {
    const std::string path = Example(i);
    threads.emplace_back([&, i, path] {
      outcomes[i] = pipe.Process(path, sink_, renderers[i].get(), i);
    });
  }
  for (std::thread& t : threads) t.join();
  for (size_t i = 0; i < outcomes.size(); ++i) {
    ASSERT_EQ(outcomes[i].kind, Outcome::Kind::kDecided) << kExamples[i];
    EXPECT_EQ(outcomes[i].aktenzeichen, Az(static_cast<int>(i) + 1));
  }
  EXPECT_EQ(journal_->groups(), std::vector<size_t>{3});
  const auto passes = env_.passes();
  ASSERT_EQ(passes.size(), 1u);
  EXPECT_EQ(std::set<std::string>(passes[0].begin(), passes[0].end()),
            Outputs());
  EXPECT_EQ(passes[0].size(), 6u);
}

// The fill is waited for at most as long as given: a decision alone
// commits after that wait.
TEST_F(GroupCommitTest, ADecisionAloneWaitsForTheFillOnlyAsLongAsGiven) {
  Pipeline pipe(settings_, &reference_, reader_.get(), journal_.get(), nullptr,
                &env_);
  pipe.SetGroupFill(3, std::chrono::milliseconds(200));
  auto renderer = Renderer();
  const std::string path = Tettnang("a.xml");
  const auto start = std::chrono::steady_clock::now();
  const Outcome o = pipe.Process(path, sink_, renderer.get(), 0);
  const auto waited = std::chrono::steady_clock::now() - start;
  ASSERT_EQ(o.kind, Outcome::Kind::kDecided) << o.message;
  EXPECT_GE(waited, std::chrono::milliseconds(200));
  EXPECT_EQ(journal_->groups(), std::vector<size_t>{1});
  EXPECT_EQ(env_.passes().size(), 1u);
}

// A group whose sync pass fails fails as a whole: nothing is committed,
// its files are removed and no number is used up, so the same inputs
// later get the same Aktenzeichen.
TEST_F(GroupCommitTest, AFailedSyncFailsTheWholeGroupAndUsesNoNumber) {
  env_.fail_syncs = true;
  const std::vector<Outcome> failed = ProcessBehindAHeldFirst();
  for (size_t i = 0; i < failed.size(); ++i) {
    EXPECT_EQ(failed[i].kind, Outcome::Kind::kFailed) << kExamples[i];
    EXPECT_EQ(failed[i].failure, StatusCode::kIo) << kExamples[i];
  }
  ExpectNothingLeftAndTheSameNumbersAgain();
}

// Detached commits (`bescheid process`): a worker does not wait for its
// decision's commit. With the first sync pass held, one worker queues the
// six other letters behind it; the committer then makes them durable in
// one pass and commits them in one transaction, in number order, and
// reports each outcome through its callback.
TEST_F(GroupCommitTest, DetachedDecisionsAreCommittedInGroupsBehindTheWorker) {
  Pipeline pipe(settings_, &reference_, reader_.get(), journal_.get(), nullptr,
                &env_);
  pipe.StartCommitter();
  auto renderer = Renderer();
  std::mutex mu;
  std::map<size_t, Outcome> reported;
  std::vector<std::thread::id> reporters;
  env_.Hold();
  for (size_t i = 0; i < kExamples.size(); ++i) {
    const std::string path = Example(i);
    const std::optional<Outcome> now = pipe.ProcessDetached(
        path, sink_, renderer.get(), i, nullptr, [&, i](const Outcome& o) {
          std::lock_guard<std::mutex> lock(mu);
          EXPECT_TRUE(reported.emplace(i, o).second) << i;
          reporters.push_back(std::this_thread::get_id());
        });
    EXPECT_FALSE(now.has_value()) << kExamples[i] << ": " << now->message;
    if (i == 0) {
      EXPECT_TRUE(env_.AwaitPasses(1));
    }
  }
  // None committed yet: the first in its held pass, six queued behind it.
  EXPECT_EQ(pipe.CommitsWaiting(), kExamples.size() - 1);
  {
    std::lock_guard<std::mutex> lock(mu);
    EXPECT_TRUE(reported.empty());
  }
  env_.Release();
  pipe.StopCommitter();
  ASSERT_EQ(reported.size(), kExamples.size());
  for (size_t i = 0; i < kExamples.size(); ++i) {
    EXPECT_EQ(reported[i].kind, Outcome::Kind::kDecided)
        << kExamples[i] << ": " << reported[i].message;
    EXPECT_EQ(reported[i].aktenzeichen, Az(static_cast<int>(i) + 1));
  }
  for (const std::thread::id& t : reporters) {
    EXPECT_NE(t, std::this_thread::get_id());
  }
  EXPECT_EQ(journal_->groups(), (std::vector<size_t>{1, 6}));
  const auto passes = env_.passes();
  ASSERT_EQ(passes.size(), 2u);
  EXPECT_EQ(passes[0].size(), 2u);
  EXPECT_EQ(passes[1].size(), 14u);
  std::set<std::string> synced;
  for (const auto& pass : passes) synced.insert(pass.begin(), pass.end());
  EXPECT_EQ(synced, Outputs());
  EXPECT_EQ(*sqlite_->DecisionCount(), 7);
  EXPECT_EQ(*sqlite_->LastSequence(), 7);
  EXPECT_EQ(pipe.CommitsWaiting(), 0u);
}

// The committer waits for its group fill too: three detached decisions,
// none held, share one sync pass and one transaction.
TEST_F(GroupCommitTest, TheCommitterWaitsForTheFillOfDetachedDecisions) {
  Pipeline pipe(settings_, &reference_, reader_.get(), journal_.get(), nullptr,
                &env_);
  pipe.SetGroupFill(3, std::chrono::seconds(60));
  pipe.StartCommitter();
  auto renderer = Renderer();
  std::atomic<int> decided{0};
  for (size_t i = 0; i < 3; ++i) {
    const std::string path = Example(i);
    EXPECT_FALSE(pipe.ProcessDetached(path, sink_, renderer.get(), i, nullptr,
                                      [&](const Outcome& o) {
                                        if (o.kind == Outcome::Kind::kDecided) {
                                          ++decided;
                                        }
                                      })
                     .has_value());
  }
  pipe.StopCommitter();
  EXPECT_EQ(decided.load(), 3);
  EXPECT_EQ(journal_->groups(), std::vector<size_t>{3});
  const auto passes = env_.passes();
  ASSERT_EQ(passes.size(), 1u);
  EXPECT_EQ(passes[0].size(), 6u);
}

// What is not a decision waiting for its commit is returned at once and
// never reported through the callback: a rejection, and a scan-free
// duplicate of a decision already committed.
TEST_F(GroupCommitTest, OutcomesWithoutACommitAreReturnedNotReported) {
  Pipeline pipe(settings_, &reference_, reader_.get(), journal_.get(), nullptr,
                &env_);
  pipe.StartCommitter();
  auto renderer = Renderer();
  std::atomic<int> reported{0};
  auto count = [&](const Outcome&) { ++reported; };
  const std::string bad = dir_ / "in/b.xml";
  WriteFileOrDie(bad, "<kein-antrag/>");
  std::optional<Outcome> o =
      pipe.ProcessDetached(bad, sink_, renderer.get(), 0, nullptr, count);
  ASSERT_TRUE(o.has_value());
  EXPECT_EQ(o->kind, Outcome::Kind::kRejected);
  EXPECT_FALSE(pipe.ProcessDetached(Tettnang("a.xml"), sink_, renderer.get(), 1,
                                    nullptr, count)
                   .has_value());
  // The same bytes again: they wait until the first is committed, then
  // are a duplicate of it.
  o = pipe.ProcessDetached(Tettnang("a2.xml"), sink_, renderer.get(), 2,
                           nullptr, count);
  ASSERT_TRUE(o.has_value());
  EXPECT_EQ(o->kind, Outcome::Kind::kDuplicate) << o->message;
  EXPECT_EQ(o->aktenzeichen, Az(1));
  pipe.StopCommitter();
  EXPECT_EQ(reported.load(), 1);
  EXPECT_EQ(*sqlite_->DecisionCount(), 1);
}

// A detached group whose sync pass fails: each decision is reported
// failed, its files removed and its number given back, so the same inputs
// decided again get the same Aktenzeichen.
TEST_F(GroupCommitTest, AFailedSyncFailsDetachedDecisionsAndUsesNoNumber) {
  env_.fail_syncs = true;
  {
    Pipeline pipe(settings_, &reference_, reader_.get(), journal_.get(),
                  nullptr, &env_);
    pipe.StartCommitter();
    auto renderer = Renderer();
    std::mutex mu;
    std::vector<Outcome> failed;
    for (size_t i = 0; i < kExamples.size(); ++i) {
      const std::string path = Example(i);
      EXPECT_FALSE(pipe.ProcessDetached(path, sink_, renderer.get(), i, nullptr,
                                        [&](const Outcome& o) {
                                          std::lock_guard<std::mutex> l(mu);
                                          failed.push_back(o);
                                        })
                       .has_value());
    }
    pipe.StopCommitter();
    ASSERT_EQ(failed.size(), kExamples.size());
    for (const Outcome& o : failed) {
      EXPECT_EQ(o.kind, Outcome::Kind::kFailed);
      EXPECT_EQ(o.failure, StatusCode::kIo);
    }
  }
  ExpectNothingLeftAndTheSameNumbersAgain();
}

// A worker waits only while more than four groups' worth of decisions
// (store.commit-group 1: four) are queued: with the first pass held, the
// fifth decision is queued and its worker waits; every decision commits
// once the pass goes on.
TEST_F(GroupCommitTest, AWorkerWaitsWhileTooManyDetachedCommitsAreQueued) {
  settings_.store_commit_group = 1;
  Pipeline pipe(settings_, &reference_, reader_.get(), journal_.get(), nullptr,
                &env_);
  pipe.StartCommitter();
  env_.Hold();
  std::atomic<size_t> returned{0};
  std::atomic<int> decided{0};
  std::thread worker([&] {
    auto renderer = Renderer();
    for (size_t i = 0; i < kExamples.size(); ++i) {
      const std::string path = Example(i);
      EXPECT_FALSE(pipe.ProcessDetached(path, sink_, renderer.get(), i, nullptr,
                                        [&](const Outcome& o) {
                                          if (o.kind ==
                                              Outcome::Kind::kDecided) {
                                            ++decided;
                                          }
                                        })
                       .has_value());
      ++returned;
    }
  });
  EXPECT_TRUE(env_.AwaitPasses(1));
  const auto deadline =
      std::chrono::steady_clock::now() + std::chrono::seconds(60);
  while (pipe.CommitsWaiting() < 4 &&
         std::chrono::steady_clock::now() < deadline) {
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
  std::this_thread::sleep_for(std::chrono::milliseconds(200));
  // Besides the first, in its held pass: the second to the fifth.
  EXPECT_EQ(pipe.CommitsWaiting(), 4u);
  EXPECT_EQ(returned.load(), 4u);  // the fifth waits after queueing
  env_.Release();
  worker.join();
  pipe.StopCommitter();
  EXPECT_EQ(decided.load(), 7);
  EXPECT_EQ(journal_->groups(), std::vector<size_t>(7, 1));
  EXPECT_EQ(*sqlite_->LastSequence(), 7);
}

}  // namespace
}  // namespace bescheid::pipeline
