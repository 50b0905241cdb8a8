#include "print/printer.h"

#include <gtest/gtest.h>

#include <chrono>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "fake_queue.h"
#include "forwarding_journal.h"
#include "print/assemble.h"
#include "print/service.h"
#include "test_util.h"

namespace bescheid::print {
namespace {

using bescheid::testing::ReadFileOrDie;
using bescheid::testing::SourcePath;
using bescheid::testing::TempDir;
using bescheid::testing::WriteFileOrDie;
using store::PrintBatchState;

const core::Date kDay{2018, 1, 22};

// Lets every call through but those `blocked` names: as if the process
// had died before making them.
class CrashJournal final : public bescheid::testing::ForwardingJournal {
 public:
  explicit CrashJournal(store::Journal* base) : ForwardingJournal(base) {}
  Call blocked = Call::kIntegrityCheck;

 protected:
  Status Gate(Call call) override {
    if (call == blocked) return StoreError("process died");
    return Status();
  }
};

class PrinterTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto j = store::OpenSqliteJournal(root_ / "var/journal.sqlite");
    ASSERT_TRUE(j.ok()) << j.status().message();
    journal_ = std::move(j).value();
    auto w = letters::PdfWriter::Create(
        SourcePath("fonts/DejaVuSans-letters.ttf"),
        SourcePath("fonts/DejaVuSans-Bold-letters.ttf"),
        "/usr/share/color/icc/sRGB.icc");
    ASSERT_TRUE(w.ok()) << w.status().message();
    writer_ = std::move(w).value();
    auto reference = core::ReferenceTable::ParseCsv(
        ReadFileOrDie(SourcePath("config/reference/gemeinden.csv")));
    ASSERT_TRUE(reference.ok());
    reference_ = std::move(reference).value();
    // 00001 (88069, 1 page), 00002 (77652, 2), 00003 (79674, 3), 00005
    // (88079, 2) with copies for 08435016 (Eriskirch, 88097) and 08435040
    // (Langenargen, 88085); 00006's letter is not in the outbox.
    Decide(1, {{"RPS15-IM-2017-00001", 1}});
    Decide(2, {{"RPS15-IM-2017-00002", 2}});
    Decide(3, {{"RPS15-IM-2017-00003", 3}});
    Decide(5, {{"RPS15-IM-2017-00005", 2},
               {"RPS15-IM-2017-00005_nachrichtlich_08435016", 1},
               {"RPS15-IM-2017-00005_nachrichtlich_08435040", 1}});
    Decide(6, {});
    options_.watch_root = root_.path();
    options_.queue = "poststelle";
    options_.today = kDay;
    options_.wait_seconds = 0;
  }

  // Commits golden decision `n` and puts `files` (document, pages) in the
  // outbox.
  void Decide(int n, const std::vector<std::pair<std::string, int>>& files) {
    const std::string az = "RPS15-IM-2017-0000" + std::to_string(n);
    store::DecisionEntry e;
    e.sha256 = std::string(64, static_cast<char>('0' + n));
    e.file_name = az + ".xml";
    e.aktenzeichen = az;
    e.kind = core::DecisionKind::kAblehnung;  // funds nothing; XML says more
    e.record_xml =
        ReadFileOrDie(SourcePath("tests/golden/" + az + ".decision.xml"));
    e.letter_file = az + ".pdf";
    e.sequence = n;
    e.decision_date = kDay;
    ASSERT_TRUE(journal_->CommitDecision(e).ok());
    for (const auto& [document, pages] : files) {
      std::vector<letters::Page> out(pages);
      for (int i = 0; i < pages; ++i) {
        out[i].texts.push_back({100, 100, 10, letters::FontStyle::kRegular,
                                document + " Seite " + std::to_string(i + 1)});
      }
      WriteFileOrDie(root_ / ("outbox/2018-01-22/" + document + ".pdf"),
                     *writer_->Write(out, {document, "", "", 0}));
    }
  }

  Status Run(store::Journal* journal, PrintQueue* queue, PrintReport* out) {
    PrintReport report;
    Printer printer(DefaultEnv(), journal, queue, writer_.get(), &reference_);
    Status s = printer.Resume(options_, report);
    if (s.ok()) s = printer.PrintNew(options_, report);
    if (out != nullptr) *out = std::move(report);
    return s;
  }
  Status Run(PrintQueue* queue, PrintReport* out = nullptr) {
    return Run(journal_.get(), queue, out);
  }

  std::vector<std::string> PrintedDocuments() {
    std::vector<std::string> out;
    Result<std::vector<store::LetterPrint>> prints = journal_->LetterPrints();
    for (const store::LetterPrint& p : *prints) {
      if (p.state == PrintBatchState::kCompleted) {
        out.push_back(p.letter.document);
      }
    }
    return out;
  }

  TempDir root_;
  std::unique_ptr<store::Journal> journal_;
  std::unique_ptr<letters::PdfWriter> writer_;
  core::ReferenceTable reference_;
  PrintOptions options_;
  FakeQueue queue_;
};

TEST_F(PrinterTest, PrintsReleasedLettersOnceSortedByPostcode) {
  PrintReport report;
  ASSERT_TRUE(Run(&queue_, &report).ok());
  ASSERT_TRUE(report.plan.has_value());
  std::vector<std::string> order;
  for (const PlannedLetter& p : report.plan->letters) {
    order.push_back(p.letter.document);
  }
  EXPECT_EQ(order, (std::vector<std::string>{
                       "RPS15-IM-2017-00002",                         // 77652
                       "RPS15-IM-2017-00003",                         // 79674
                       "RPS15-IM-2017-00001",                         // 88069
                       "RPS15-IM-2017-00005",                         // 88079
                       "RPS15-IM-2017-00005_nachrichtlich_08435040",  // 88085
                       "RPS15-IM-2017-00005_nachrichtlich_08435016"}));
  // cover 2, then 2, 3+1, 1+1, 2, 1+1, 1+1.
  EXPECT_EQ(report.plan->cover.pages, 16);
  ASSERT_EQ(queue_.jobs.size(), 1u);
  EXPECT_EQ(queue_.jobs[0].queue, "poststelle");
  EXPECT_EQ(queue_.jobs[0].title,
            "bescheid Druckstapel 2018-01-22/1 (6 Schreiben)");
  EXPECT_EQ(*CountPages(queue_.jobs[0].pdf, "batch"), 16);
  EXPECT_EQ(ReadFileOrDie(root_ / "print/2018-01-22/batch-1.pdf"),
            queue_.jobs[0].pdf);
  EXPECT_EQ(report.printed, 6);
  EXPECT_EQ(PrintedDocuments().size(), 6u);
  EXPECT_TRUE(journal_->UnfinishedPrintBatches()->empty());

  PrintReport again;
  ASSERT_TRUE(Run(&queue_, &again).ok());
  EXPECT_EQ(queue_.jobs.size(), 1u) << "printed once";
  EXPECT_FALSE(again.plan.has_value());
  EXPECT_EQ(again.lines.back(), "Keine freigegebenen Schreiben zu drucken.");
}

TEST_F(PrinterTest, AMissingOrStoppedQueueLeavesEverythingUnprinted) {
  options_.queue = "gibt-es-nicht";
  Status missing = Run(&queue_);
  EXPECT_EQ(missing.code(), StatusCode::kNotFound);
  EXPECT_NE(missing.message().find("bleiben ungedruckt"), std::string::npos);
  options_.queue = "poststelle";
  queue_.stopped = true;
  EXPECT_EQ(Run(&queue_).code(), StatusCode::kIo);
  EXPECT_TRUE(queue_.jobs.empty());
  EXPECT_TRUE(journal_->LetterPrints()->empty()) << "nothing recorded";
  queue_.stopped = false;
  ASSERT_TRUE(Run(&queue_).ok());
  EXPECT_EQ(PrintedDocuments().size(), 6u) << "printed once the queue runs";
}

TEST_F(PrinterTest, AnAbortedOrRefusedJobIsNotPrintedAndComesAgain) {
  queue_.outcome = JobState::kAborted;
  Status aborted = Run(&queue_);
  EXPECT_EQ(aborted.code(), StatusCode::kIo);
  EXPECT_NE(aborted.message().find("abgebrochen"), std::string::npos);
  EXPECT_TRUE(PrintedDocuments().empty());
  queue_.refuse_jobs = true;
  EXPECT_EQ(Run(&queue_).code(), StatusCode::kIo);
  EXPECT_TRUE(PrintedDocuments().empty());
  EXPECT_TRUE(journal_->UnfinishedPrintBatches()->empty());

  queue_.refuse_jobs = false;
  queue_.outcome = JobState::kCompleted;
  PrintReport report;
  ASSERT_TRUE(Run(&queue_, &report).ok());
  EXPECT_EQ(report.plan->cover.number, 3) << "a new batch, a new number";
  EXPECT_EQ(PrintedDocuments().size(), 6u);
}

TEST_F(PrinterTest, ABatchWrittenButNeverSentIsSentOnceAsWritten) {
  // The process dies after recording the batch, before the queue took it.
  CrashJournal crashing(journal_.get());
  crashing.blocked = CrashJournal::Call::kFinishPrintBatch;
  queue_.refuse_jobs = true;
  EXPECT_FALSE(Run(&crashing, &queue_, nullptr).ok());
  Result<std::vector<store::PrintBatchRecord>> open =
      journal_->UnfinishedPrintBatches();
  ASSERT_EQ(open->size(), 1u);
  ASSERT_EQ((*open)[0].state, PrintBatchState::kWritten);
  const std::string written = ReadFileOrDie(root_ / (*open)[0].file);

  // The restart sends that file, once, and makes no second batch.
  FakeQueue restarted;
  PrintReport report;
  ASSERT_TRUE(Run(&restarted, &report).ok());
  ASSERT_EQ(restarted.jobs.size(), 1u);
  EXPECT_EQ(restarted.jobs[0].pdf, written);
  EXPECT_EQ(report.lines.front(),
            "Druckstapel 2018-01-22/1 wurde geschrieben, aber nicht "
            "gesendet: er wird jetzt gesendet.");
  EXPECT_EQ(PrintedDocuments().size(), 6u);
  EXPECT_FALSE(report.plan.has_value()) << "nothing left for a new batch";
}

TEST_F(PrinterTest, ABatchSentWithoutOutcomeIsAskedAfterNotSentAgain) {
  queue_.outcome = JobState::kPending;
  ASSERT_TRUE(Run(&queue_).ok());
  Result<std::vector<store::PrintBatchRecord>> open =
      journal_->UnfinishedPrintBatches();
  ASSERT_EQ(open->size(), 1u);
  EXPECT_EQ((*open)[0].state, PrintBatchState::kSent);
  EXPECT_EQ((*open)[0].job_id, 101);
  EXPECT_TRUE(PrintedDocuments().empty());
  ASSERT_TRUE(Run(&queue_).ok()) << "still pending: asked, not resent";
  EXPECT_EQ(queue_.jobs.size(), 1u);

  queue_.outcome = JobState::kCompleted;
  ASSERT_TRUE(Run(&queue_).ok());
  EXPECT_EQ(queue_.jobs.size(), 1u);
  EXPECT_EQ(PrintedDocuments().size(), 6u);
  EXPECT_GE(queue_.polls, 3);
}

TEST_F(PrinterTest, AReprintPrintsTheNamedLettersAgainAndRecordsIt) {
  ASSERT_TRUE(Run(&queue_).ok());
  options_.reprint = {"RPS15-IM-2017-00005"};
  PrintReport report;
  ASSERT_TRUE(Run(&queue_, &report).ok());
  ASSERT_EQ(queue_.jobs.size(), 2u);
  ASSERT_TRUE(report.plan.has_value());
  EXPECT_EQ(report.plan->cover.letters, 3);
  EXPECT_EQ(report.plan->cover.reprints, 3);
  EXPECT_EQ(report.plan->cover.number, 2);
  int reprints = 0;
  Result<std::vector<store::LetterPrint>> prints = journal_->LetterPrints();
  for (const store::LetterPrint& p : *prints) {
    if (p.letter.reprint) {
      ++reprints;
      EXPECT_EQ(p.letter.aktenzeichen, "RPS15-IM-2017-00005");
      EXPECT_EQ(p.batch_number, 2);
    }
  }
  EXPECT_EQ(reprints, 3);

  options_.reprint = {"RPS15-IM-2017-00006"};  // its letter is not out
  Status none = Run(&queue_);
  EXPECT_EQ(none.code(), StatusCode::kInvalidInput);
  EXPECT_NE(none.message().find("RPS15-IM-2017-00006"), std::string::npos);
}

TEST_F(PrinterTest, ADryRunWritesThePlanAndSendsAndRecordsNothing) {
  options_.dry_run = true;
  PrintReport report;
  ASSERT_TRUE(Run(&queue_, &report).ok());
  EXPECT_EQ(*CountPages(ReadFileOrDie(report.batch_file), "batch"), 16);
  EXPECT_TRUE(queue_.jobs.empty());
  EXPECT_EQ(queue_.checks, 0);
  EXPECT_TRUE(journal_->LetterPrints()->empty());
}

TEST_F(PrinterTest, OnlyLettersInTheOutboxAreReleased) {
  store::DecisionEntry e;
  e.decision_date = kDay;
  EXPECT_EQ(
      ReleasedLetter(DefaultEnv(), root_.path(), e, "RPS15-IM-2017-00001.pdf"),
      "outbox/2018-01-22/RPS15-IM-2017-00001.pdf");
  EXPECT_FALSE(
      ReleasedLetter(DefaultEnv(), root_.path(), e, "RPS15-IM-2017-00006.pdf"));
  EXPECT_FALSE(ReleasedLetter(DefaultEnv(), root_.path(), e, "../x.pdf"));
  e.decision_date = std::nullopt;
  EXPECT_FALSE(
      ReleasedLetter(DefaultEnv(), root_.path(), e, "RPS15-IM-2017-00001.pdf"));
}

// --- The service's timer (print.mode)

TEST(NewBatchDueTest, BatchOnceADayFromTheBatchTimeImmediateAlwaysOffNever) {
  const core::Date day{2018, 1, 22}, next{2018, 1, 23};
  const int four_pm = 16 * 60;
  EXPECT_FALSE(
      NewBatchDue(PrintMode::kBatch, four_pm, day, four_pm - 1, std::nullopt));
  EXPECT_TRUE(
      NewBatchDue(PrintMode::kBatch, four_pm, day, four_pm, std::nullopt));
  EXPECT_TRUE(
      NewBatchDue(PrintMode::kBatch, four_pm, day, 23 * 60 + 59, std::nullopt))
      << "a service started after the batch time still prints that day";
  EXPECT_FALSE(NewBatchDue(PrintMode::kBatch, four_pm, day, four_pm, day));
  EXPECT_FALSE(NewBatchDue(PrintMode::kBatch, four_pm, next, 60, day));
  EXPECT_TRUE(NewBatchDue(PrintMode::kBatch, four_pm, next, four_pm, day));
  EXPECT_TRUE(NewBatchDue(PrintMode::kImmediate, four_pm, day, 0, day));
  EXPECT_FALSE(
      NewBatchDue(PrintMode::kOff, four_pm, day, four_pm, std::nullopt));
  EXPECT_EQ(ParsePrintMode("batch"), PrintMode::kBatch);
  EXPECT_EQ(ParsePrintMode("immediate"), PrintMode::kImmediate);
  EXPECT_EQ(ParsePrintMode("off"), PrintMode::kOff);
  EXPECT_FALSE(ParsePrintMode("sofort").has_value());
}

// Hands the service the fixture's fake queue.
class QueueRef final : public PrintQueue {
 public:
  explicit QueueRef(FakeQueue* q) : q_(q) {}
  Status CheckReady(const std::string& queue) override {
    return q_->CheckReady(queue);
  }
  Result<int> Submit(const std::string& queue, const std::string& path,
                     const std::string& title) override {
    return q_->Submit(queue, path, title);
  }
  Result<JobState> State(const std::string& queue, int id) override {
    return q_->State(queue, id);
  }

 private:
  FakeQueue* q_;
};

class PrintServiceTest : public PrinterTest {
 protected:
  std::unique_ptr<PrintService> Service(PrintMode mode) {
    ServiceOptions o;
    o.mode = mode;
    o.watch_root = root_.path();
    o.queue = "poststelle";
    auto w = letters::PdfWriter::Create(
        SourcePath("fonts/DejaVuSans-letters.ttf"),
        SourcePath("fonts/DejaVuSans-Bold-letters.ttf"),
        "/usr/share/color/icc/sRGB.icc");
    EXPECT_TRUE(w.ok());
    return std::make_unique<PrintService>(
        DefaultEnv(), journal_.get(), std::move(w).value(), &reference_,
        [this]() -> Result<std::unique_ptr<PrintQueue>> {
          ++connects_;
          return std::unique_ptr<PrintQueue>(
              std::make_unique<QueueRef>(&queue_));
        },
        [this](bool error, const std::string& line) {
          (error ? errors_ : lines_).push_back(line);
        },
        o);
  }
  int connects_ = 0;
  std::vector<std::string> lines_, errors_;
};

TEST_F(PrintServiceTest, BatchModePrintsOnceADayAtTheBatchTime) {
  auto service = Service(PrintMode::kBatch);
  service->Tick(kDay, 15 * 60 + 59);
  EXPECT_EQ(connects_, 0) << "nothing due, nothing unfinished: no CUPS";
  EXPECT_TRUE(queue_.jobs.empty());
  service->Tick(kDay, 16 * 60);
  ASSERT_EQ(queue_.jobs.size(), 1u);
  EXPECT_EQ(PrintedDocuments().size(), 6u);
  service->Tick(kDay, 16 * 60 + 1);
  EXPECT_EQ(queue_.jobs.size(), 1u);
  EXPECT_TRUE(errors_.empty());
}

TEST_F(PrintServiceTest, AStoppedQueueIsLoggedOnceAndRetriedUntilItRuns) {
  auto service = Service(PrintMode::kImmediate);
  queue_.stopped = true;
  service->Tick(kDay, 9 * 60);
  service->Tick(kDay, 9 * 60 + 1);
  EXPECT_EQ(errors_.size(), 1u);
  EXPECT_TRUE(PrintedDocuments().empty());
  queue_.stopped = false;
  service->Tick(kDay, 9 * 60 + 2);
  EXPECT_EQ(PrintedDocuments().size(), 6u);
  EXPECT_EQ(queue_.jobs.size(), 1u);
}

TEST_F(PrintServiceTest, ASentJobIsAskedAfterAtTheNextTick) {
  auto service = Service(PrintMode::kImmediate);
  queue_.outcome = JobState::kPending;
  service->Tick(kDay, 9 * 60);
  EXPECT_TRUE(PrintedDocuments().empty());
  queue_.outcome = JobState::kCompleted;
  service->Tick(kDay, 9 * 60 + 1);
  EXPECT_EQ(PrintedDocuments().size(), 6u);
  EXPECT_EQ(queue_.jobs.size(), 1u) << "asked after, not sent again";
}

TEST_F(PrintServiceTest, TheThreadStartsAndStops) {
  auto service = Service(PrintMode::kImmediate);
  service->Start();
  for (int i = 0; i < 100 && PrintedDocuments().size() < 6; ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  service->Stop();
  EXPECT_EQ(PrintedDocuments().size(), 6u);
}

}  // namespace
}  // namespace bescheid::print
