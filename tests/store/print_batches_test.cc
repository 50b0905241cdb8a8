// The journal's print batches: numbers per date, the states a batch goes
// through, and which letters each printed.
#include <gtest/gtest.h>
#include <sqlite3.h>

#include "store/journal.h"
#include "test_util.h"

namespace bescheid::store {
namespace {

using bescheid::testing::TempDir;

const core::Date kDay{2018, 1, 22};

std::unique_ptr<Journal> Open(const std::string& path) {
  auto j = OpenSqliteJournal(path);
  EXPECT_TRUE(j.ok()) << j.status().message();
  return j.ok() ? std::move(j).value() : nullptr;
}

PrintBatchRecord Batch(int number, std::vector<PrintedLetter> letters,
                       core::Date date = kDay) {
  PrintBatchRecord b;
  b.date = date;
  b.number = number;
  b.file =
      "print/" + date.ToIso() + "/batch-" + std::to_string(number) + ".pdf";
  b.queue = "poststelle";
  b.letters = std::move(letters);
  return b;
}

void Sql(const std::string& path, const std::string& sql) {
  sqlite3* db = nullptr;
  ASSERT_EQ(sqlite3_open(path.c_str(), &db), SQLITE_OK);
  char* error = nullptr;
  EXPECT_EQ(sqlite3_exec(db, sql.c_str(), nullptr, nullptr, &error), SQLITE_OK)
      << (error ? error : "");
  sqlite3_free(error);
  sqlite3_close(db);
}

TEST(PrintBatchesTest, NumbersCountPerDateAndATakenNumberIsRefused) {
  TempDir dir;
  auto j = Open(dir / "j.sqlite");
  EXPECT_EQ(*j->NextPrintBatchNumber(kDay), 1);
  ASSERT_TRUE(j->RecordPrintBatch(Batch(1, {{"AZ-1", "AZ-1", false}})).ok());
  EXPECT_EQ(*j->NextPrintBatchNumber(kDay), 2);
  EXPECT_EQ(*j->NextPrintBatchNumber(core::Date{2018, 1, 23}), 1);
  Result<int64_t> again = j->RecordPrintBatch(Batch(1, {{"AZ-2", "AZ-2"}}));
  ASSERT_FALSE(again.ok());
  EXPECT_EQ(again.status().code(), StatusCode::kStore);
  Result<std::vector<LetterPrint>> prints = j->LetterPrints();
  ASSERT_TRUE(prints.ok());
  ASSERT_EQ(prints->size(), 1u) << "the refused batch left nothing";
  EXPECT_EQ((*prints)[0].letter.document, "AZ-1");
}

TEST(PrintBatchesTest, RefusesBatchesWithoutLettersOrWithALetterTwice) {
  TempDir dir;
  auto j = Open(dir / "j.sqlite");
  EXPECT_EQ(j->RecordPrintBatch(Batch(1, {})).status().code(),
            StatusCode::kInternal);
  EXPECT_EQ(j->RecordPrintBatch(Batch(1, {{"AZ-1", "AZ-1"}, {"AZ-1", "AZ-1"}}))
                .status()
                .code(),
            StatusCode::kInternal);
  EXPECT_EQ(*j->NextPrintBatchNumber(kDay), 1);
}

TEST(PrintBatchesTest, AWrittenBatchIsSentOnceAndEndsOnce) {
  TempDir dir;
  auto j = Open(dir / "j.sqlite");
  Result<int64_t> id = j->RecordPrintBatch(
      Batch(1, {{"AZ-1", "AZ-1"}, {"AZ-2_nachrichtlich_08435016", "AZ-2"}}));
  ASSERT_TRUE(id.ok()) << id.status().message();

  Result<std::vector<PrintBatchRecord>> open = j->UnfinishedPrintBatches();
  ASSERT_TRUE(open.ok());
  ASSERT_EQ(open->size(), 1u);
  EXPECT_EQ((*open)[0].id, *id);
  EXPECT_EQ((*open)[0].state, PrintBatchState::kWritten);
  EXPECT_EQ((*open)[0].file, "print/2018-01-22/batch-1.pdf");
  EXPECT_EQ((*open)[0].queue, "poststelle");
  EXPECT_FALSE((*open)[0].job_id.has_value());
  ASSERT_EQ((*open)[0].letters.size(), 2u);
  EXPECT_EQ((*open)[0].letters[1].document, "AZ-2_nachrichtlich_08435016");
  EXPECT_EQ((*open)[0].letters[1].aktenzeichen, "AZ-2");

  ASSERT_TRUE(j->MarkPrintBatchSent(*id, 42).ok());
  EXPECT_EQ(j->MarkPrintBatchSent(*id, 43).code(), StatusCode::kStore)
      << "sent once";
  open = j->UnfinishedPrintBatches();
  ASSERT_EQ(open->size(), 1u);
  EXPECT_EQ((*open)[0].state, PrintBatchState::kSent);
  EXPECT_EQ((*open)[0].job_id, 42);
  EXPECT_FALSE((*open)[0].updated_at.empty());

  EXPECT_EQ(j->FinishPrintBatch(*id, PrintBatchState::kSent).code(),
            StatusCode::kInternal);
  ASSERT_TRUE(j->FinishPrintBatch(*id, PrintBatchState::kCompleted).ok());
  EXPECT_EQ(j->FinishPrintBatch(*id, PrintBatchState::kAborted).code(),
            StatusCode::kStore)
      << "an outcome stands";
  EXPECT_TRUE(j->UnfinishedPrintBatches()->empty());
  Result<std::vector<LetterPrint>> prints = j->LetterPrints();
  ASSERT_EQ(prints->size(), 2u);
  for (const LetterPrint& p : *prints) {
    EXPECT_EQ(p.state, PrintBatchState::kCompleted);
    EXPECT_EQ(p.batch_date, kDay);
    EXPECT_EQ(p.batch_number, 1);
    EXPECT_FALSE(p.letter.reprint);
  }
  EXPECT_EQ(j->FinishPrintBatch(99, PrintBatchState::kAborted).code(),
            StatusCode::kStore);
}

TEST(PrintBatchesTest, ReprintsAndOutcomesSurviveAReopen) {
  TempDir dir;
  const std::string path = dir / "j.sqlite";
  {
    auto j = Open(path);
    int64_t first = *j->RecordPrintBatch(Batch(1, {{"AZ-1", "AZ-1"}}));
    ASSERT_TRUE(j->FinishPrintBatch(first, PrintBatchState::kAborted).ok());
    int64_t second = *j->RecordPrintBatch(Batch(2, {{"AZ-1", "AZ-1", true}}));
    ASSERT_TRUE(j->MarkPrintBatchSent(second, 7).ok());
  }
  auto j = Open(path);
  Result<std::vector<LetterPrint>> prints = j->LetterPrints();
  ASSERT_TRUE(prints.ok());
  ASSERT_EQ(prints->size(), 2u);
  EXPECT_EQ((*prints)[0].state, PrintBatchState::kAborted);
  EXPECT_EQ((*prints)[1].state, PrintBatchState::kSent);
  EXPECT_TRUE((*prints)[1].letter.reprint);
  EXPECT_EQ((*prints)[1].batch_number, 2);
}

TEST(PrintBatchesTest, AJournalFromBeforePrintBatchesGetsThemAndReadsEmpty) {
  TempDir dir;
  const std::string path = dir / "j.sqlite";
  { ASSERT_NE(Open(path), nullptr); }
  Sql(path, "DROP TABLE printed_letters; DROP TABLE print_batches;");
  {
    JournalOptions read_only;
    read_only.read_only = true;
    auto old = OpenSqliteJournal(path, read_only);
    ASSERT_TRUE(old.ok()) << old.status().message();
    Result<std::vector<LetterPrint>> none = (*old)->LetterPrints();
    ASSERT_TRUE(none.ok()) << none.status().message();
    EXPECT_TRUE(none->empty());
  }
  auto j = Open(path);  // migrates
  EXPECT_TRUE(j->RecordPrintBatch(Batch(1, {{"AZ-1", "AZ-1"}})).ok());
  EXPECT_EQ(j->LetterPrints()->size(), 1u);
}

}  // namespace
}  // namespace bescheid::store
