#include "print/plan.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace bescheid::print {
namespace {

LetterToPrint Letter(const std::string& az, const std::string& postcode,
                     int pages, const std::string& kind = "BEWILLIGUNG") {
  LetterToPrint l;
  l.document = az;
  l.file = "outbox/2018-01-22/" + az + ".pdf";
  l.aktenzeichen = az;
  l.kind = kind;
  l.postcode = postcode;
  l.pages = pages;
  return l;
}

LetterToPrint Copy(const std::string& az, const std::string& ags,
                   const std::string& postcode, int pages) {
  LetterToPrint l = Letter(az, postcode, pages);
  l.document = az + "_nachrichtlich_" + ags;
  l.copy = true;
  return l;
}

std::vector<std::string> Order(const BatchPlan& plan) {
  std::vector<std::string> out;
  for (const PlannedLetter& p : plan.letters) out.push_back(p.letter.document);
  return out;
}

const core::Date kDay{2018, 1, 22};

TEST(PaddedPagesTest, RoundsUpToWholeSheets) {
  EXPECT_EQ(PaddedPages(1), 2);
  EXPECT_EQ(PaddedPages(2), 2);
  EXPECT_EQ(PaddedPages(3), 4);
  EXPECT_EQ(PaddedPages(4), 4);
}

TEST(PlanBatchTest, OrdersByPostcodeThenAktenzeichenUnknownPostcodeLast) {
  Result<BatchPlan> plan = PlanBatch(
      {Letter("AZ-00003", "88069", 2), Letter("AZ-00004", "", 2),
       Letter("AZ-00001", "88069", 2), Letter("AZ-00002", "77652", 2)},
      kDay, 1);
  ASSERT_TRUE(plan.ok()) << plan.status().message();
  EXPECT_EQ(Order(*plan), (std::vector<std::string>{"AZ-00002", "AZ-00001",
                                                    "AZ-00003", "AZ-00004"}));
  EXPECT_EQ(plan->cover.first_aktenzeichen, "AZ-00002");
  EXPECT_EQ(plan->cover.last_aktenzeichen, "AZ-00004");
}

TEST(PlanBatchTest, CopiesFollowTheirPostcodeOrTheirMainLetter) {
  // The member in 88045 sorts before its main letter (88069); the member
  // without an address was given the main letter's postcode and follows it.
  Result<BatchPlan> plan = PlanBatch(
      {Copy("AZ-00005", "08435036", "88069", 1), Letter("AZ-00005", "88069", 3),
       Copy("AZ-00005", "08435016", "88045", 1),
       Letter("AZ-00006", "88069", 1)},
      kDay, 2);
  ASSERT_TRUE(plan.ok());
  EXPECT_EQ(Order(*plan), (std::vector<std::string>{
                              "AZ-00005_nachrichtlich_08435016", "AZ-00005",
                              "AZ-00005_nachrichtlich_08435036", "AZ-00006"}));
  EXPECT_EQ(plan->cover.copies, 2);
  EXPECT_EQ(plan->cover.letters, 4);
}

TEST(PlanBatchTest, PadsOddLettersAndTheCoverSoEveryLetterStartsOnAFront) {
  Result<BatchPlan> plan =
      PlanBatch({Letter("AZ-00001", "10115", 3), Letter("AZ-00002", "20095", 2),
                 Letter("AZ-00003", "30159", 1)},
                kDay, 1);
  ASSERT_TRUE(plan.ok());
  EXPECT_EQ(plan->cover_pages, 1);
  EXPECT_TRUE(plan->blank_after_cover);
  ASSERT_EQ(plan->letters.size(), 3u);
  // cover 1 + blank, then 3 + blank, 2, 1 + blank.
  EXPECT_EQ(plan->letters[0].first_page, 3);
  EXPECT_TRUE(plan->letters[0].blank_after);
  EXPECT_EQ(plan->letters[1].first_page, 7);
  EXPECT_FALSE(plan->letters[1].blank_after);
  EXPECT_EQ(plan->letters[2].first_page, 9);
  EXPECT_TRUE(plan->letters[2].blank_after);
  EXPECT_EQ(plan->cover.pages, 10);
  EXPECT_EQ(plan->cover.blank_pages, 3);
  for (const PlannedLetter& p : plan->letters) {
    EXPECT_EQ(p.first_page % 2, 1) << p.letter.document;
  }
}

TEST(PlanBatchTest, ATwoPageCoverIsNotPadded) {
  Result<BatchPlan> plan =
      PlanBatch({Letter("AZ-00001", "10115", 2)}, kDay, 1, /*cover_pages=*/2);
  ASSERT_TRUE(plan.ok());
  EXPECT_FALSE(plan->blank_after_cover);
  EXPECT_EQ(plan->letters[0].first_page, 3);
  EXPECT_EQ(plan->cover.pages, 4);
  EXPECT_EQ(plan->cover.blank_pages, 0);
}

TEST(PlanBatchTest, CountsPerKindInTheCoverOrder) {
  Result<BatchPlan> plan =
      PlanBatch({Letter("AZ-00001", "10115", 2, "NACHFORDERUNG"),
                 Letter("AZ-00002", "10115", 2, "ABLEHNUNG"),
                 Letter("AZ-00003", "10115", 2, "BEWILLIGUNG"),
                 Letter("AZ-00004", "10115", 2, "ABLEHNUNG")},
                kDay, 3);
  ASSERT_TRUE(plan.ok());
  EXPECT_EQ(plan->cover.per_kind,
            (std::vector<std::pair<std::string, int>>{
                {"BEWILLIGUNG", 1}, {"ABLEHNUNG", 2}, {"NACHFORDERUNG", 1}}));
}

TEST(PlanBatchTest, RefusesEmptyBatchesLettersWithoutPagesAndDuplicates) {
  struct Case {
    std::vector<LetterToPrint> letters;
    const char* says;
  } cases[] = {
      {{}, "keine Schreiben"},
      {{Letter("AZ-00001", "10115", 0)}, "keine Seiten"},
      {{Letter("AZ-00001", "10115", 1), Letter("AZ-00001", "20095", 1)},
       "zweimal"},
  };
  for (const Case& c : cases) {
    Result<BatchPlan> plan = PlanBatch(c.letters, kDay, 1);
    ASSERT_FALSE(plan.ok()) << c.says;
    EXPECT_EQ(plan.status().code(), StatusCode::kInvalidInput);
    EXPECT_NE(plan.status().message().find(c.says), std::string::npos)
        << plan.status().message();
  }
}

TEST(CoverLinesTest, NamesDateNumberCountsKindsAndRange) {
  Result<BatchPlan> plan =
      PlanBatch({Letter("AZ-00002", "77652", 2, "TEILBEWILLIGUNG"),
                 Letter("AZ-00001", "88069", 3, "BEWILLIGUNG"),
                 Copy("AZ-00001", "08435016", "88045", 1)},
                kDay, 2);
  ASSERT_TRUE(plan.ok());
  const std::vector<std::string> lines = CoverLines(plan->cover);
  EXPECT_EQ(lines, (std::vector<std::string>{
                       "Druckstapel 2 vom 22.01.2018",
                       "Schreiben: 3 (davon 1 Abschriften nachrichtlich)",
                       "Seiten: 10 (5 Blatt beidseitig, davon 3 Leerseiten)",
                       "Bewilligung: 2", "Teilbewilligung: 1",
                       "Erstes Aktenzeichen: AZ-00002",
                       "Letztes Aktenzeichen: AZ-00001",
                       "Sortiert nach Postleitzahl, dann Aktenzeichen."}));
}

TEST(CoverLinesTest, NamesReprints) {
  LetterToPrint again = Letter("AZ-00001", "88069", 2);
  again.reprint = true;
  Result<BatchPlan> plan = PlanBatch({again}, kDay, 1);
  ASSERT_TRUE(plan.ok());
  EXPECT_EQ(plan->cover.reprints, 1);
  EXPECT_EQ(CoverLines(plan->cover)[3], "Nachdrucke: 1");
}

}  // namespace
}  // namespace bescheid::print
