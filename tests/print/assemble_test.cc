#include "print/assemble.h"

#include <gtest/gtest.h>

#include <memory>
#include <sstream>
#include <string>
#include <vector>

#include "test_util.h"

namespace bescheid::print {
namespace {

using bescheid::testing::RunCommand;
using bescheid::testing::SourcePath;
using bescheid::testing::TempDir;
using bescheid::testing::WriteFileOrDie;

class AssembleTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto w = letters::PdfWriter::Create(
        SourcePath("fonts/DejaVuSans-letters.ttf"),
        SourcePath("fonts/DejaVuSans-Bold-letters.ttf"),
        "/usr/share/color/icc/sRGB.icc");
    ASSERT_TRUE(w.ok()) << w.status().message();
    writer_ = std::move(w).value();
  }

  // A PDF of `pages` pages, page i saying "<name> Seite i".
  std::string Letter(const std::string& name, int pages) {
    std::vector<letters::Page> out(pages);
    for (int i = 0; i < pages; ++i) {
      letters::TextOp t;
      t.x = 100;
      t.y = 100;
      t.text = name + " Seite " + std::to_string(i + 1);
      out[i].texts.push_back(t);
    }
    return *writer_->Write(out, {name, "", "", 0});
  }

  // The text of each page of `pdf`, as pdftotext gives it.
  std::vector<std::string> PageTexts(const std::string& pdf) {
    WriteFileOrDie(dir_ / "batch.pdf", pdf);
    auto r = RunCommand("pdftotext -layout '" + dir_ / "batch.pdf" + "' -");
    EXPECT_EQ(r.exit_code, 0) << r.out;
    std::vector<std::string> pages;
    std::istringstream in(r.out);
    for (std::string page; std::getline(in, page, '\f');) {
      pages.push_back(page);
    }
    return pages;  // pdftotext ends with a form feed: no empty tail
  }

  static LetterToPrint Planned(const std::string& name,
                               const std::string& postcode, int pages) {
    LetterToPrint l;
    l.document = name;
    l.aktenzeichen = name;
    l.kind = "BEWILLIGUNG";
    l.postcode = postcode;
    l.pages = pages;
    return l;
  }

  TempDir dir_;
  std::unique_ptr<letters::PdfWriter> writer_;
};

TEST_F(AssembleTest, CountsPagesAndRefusesWhatIsNoPdf) {
  Result<int> pages = CountPages(Letter("A", 3), "A.pdf");
  ASSERT_TRUE(pages.ok()) << pages.status().message();
  EXPECT_EQ(*pages, 3);
  Result<int> broken = CountPages("%PDF-1.4 kaputt", "B.pdf");
  ASSERT_FALSE(broken.ok());
  EXPECT_EQ(broken.status().code(), StatusCode::kInvalidInput);
  EXPECT_NE(broken.status().message().find("B.pdf"), std::string::npos);
}

TEST_F(AssembleTest, CoverFirstEveryLetterOnceInPlanOrderPaddedForDuplex) {
  Result<BatchPlan> plan =
      PlanBatch({Planned("ALPHA", "88069", 3), Planned("BETA", "10115", 2),
                 Planned("GAMMA", "50667", 1)},
                core::Date{2018, 1, 22}, 4);
  ASSERT_TRUE(plan.ok());
  std::vector<std::string> pdfs;
  for (const PlannedLetter& p : plan->letters) {
    pdfs.push_back(Letter(p.letter.document, p.letter.pages));
  }
  Result<std::string> cover = RenderCover(*writer_, plan->cover, 1516622400);
  ASSERT_TRUE(cover.ok()) << cover.status().message();
  Result<std::string> batch = AssembleBatch(*plan, *cover, pdfs);
  ASSERT_TRUE(batch.ok()) << batch.status().message();

  EXPECT_EQ(*CountPages(*batch, "batch"), 10);
  const std::vector<std::string> pages = PageTexts(*batch);
  ASSERT_EQ(pages.size(), 10u);
  EXPECT_NE(pages[0].find("Druckstapel 4 vom 22.01.2018"), std::string::npos)
      << pages[0];
  EXPECT_NE(pages[0].find("Seiten: 10"), std::string::npos);
  // cover, blank, BETA (10115) 1-2, GAMMA (50667) 1 + blank, ALPHA 1-3 +
  // blank.
  const std::vector<std::string> expected = {
      "", "BETA Seite 1",  "BETA Seite 2",  "GAMMA Seite 1",
      "", "ALPHA Seite 1", "ALPHA Seite 2", "ALPHA Seite 3",
      ""};
  for (size_t i = 0; i < expected.size(); ++i) {
    const std::string& text = pages[i + 1];
    if (expected[i].empty()) {
      EXPECT_EQ(text.find_first_not_of(" \n"), std::string::npos)
          << "page " << i + 2 << " should be blank: " << text;
    } else {
      EXPECT_NE(text.find(expected[i]), std::string::npos)
          << "page " << i + 2 << ": " << text;
    }
  }
  // The same input gives the same bytes (a batch rebuilt is the batch).
  EXPECT_EQ(*AssembleBatch(*plan, *cover, pdfs), *batch);
}

TEST_F(AssembleTest, RefusesALetterWithAnotherPageCountThanPlanned) {
  Result<BatchPlan> plan =
      PlanBatch({Planned("ALPHA", "88069", 2)}, core::Date{2018, 1, 22}, 1);
  ASSERT_TRUE(plan.ok());
  Result<std::string> cover = RenderCover(*writer_, plan->cover, 0);
  ASSERT_TRUE(cover.ok());
  Result<std::string> batch =
      AssembleBatch(*plan, *cover, {Letter("ALPHA", 3)});
  ASSERT_FALSE(batch.ok());
  EXPECT_NE(batch.status().message().find("ALPHA.pdf"), std::string::npos);
  EXPECT_FALSE(AssembleBatch(*plan, *cover, {"kein PDF"}).ok());
}

}  // namespace
}  // namespace bescheid::print
