#include "core/programme.h"

#include <gtest/gtest.h>

namespace bescheid::core {
namespace {

TEST(ReferenceTableTest, ParsesCsvWithBomAndCrLf) {
  auto t = ReferenceTable::ParseCsv(
      "\xEF\xBB\xBF"
      "AGS;Name;Art;PersonenAU\r\n"
      "08435059;Tettnang;Gemeinde;166\r\n"
      "\r\n"
      "08111000;Stuttgart;Stadtkreis;4120\r\n");
  ASSERT_TRUE(t.ok()) << t.status().message();
  EXPECT_EQ(t->size(), 2u);
  ASSERT_NE(t->Find("08435059"), nullptr);
  EXPECT_EQ(t->Find("08435059")->name, "Tettnang");
  EXPECT_EQ(t->Find("08435059")->persons, 166);
  EXPECT_EQ(t->Find("08111000")->kind, "Stadtkreis");
  EXPECT_EQ(t->Find("08000000"), nullptr);
}

TEST(ReferenceTableTest, ErrorsNameTheLine) {
  auto bad_header = ReferenceTable::ParseCsv("AGS,Name\n");
  EXPECT_NE(bad_header.status().message().find("Zeile 1"), std::string::npos);
  auto bad_ags = ReferenceTable::ParseCsv(
      "AGS;Name;Art;PersonenAU\n08435059;A;Gemeinde;1\n0843505;B;Gemeinde;1\n");
  ASSERT_FALSE(bad_ags.ok());
  EXPECT_NE(bad_ags.status().message().find("Zeile 3"), std::string::npos);
  EXPECT_FALSE(
      ReferenceTable::ParseCsv("AGS;Name;Art;PersonenAU\n08435059;A;Dorf;1\n")
          .ok());
  EXPECT_FALSE(ReferenceTable::ParseCsv(
                   "AGS;Name;Art;PersonenAU\n08435059;A;Gemeinde;-1\n")
                   .ok());
  auto dup = ReferenceTable::ParseCsv(
      "AGS;Name;Art;PersonenAU\n08435059;A;Gemeinde;1\n08435059;B;Gemeinde;"
      "2\n");
  ASSERT_FALSE(dup.ok());
  EXPECT_NE(dup.status().message().find("doppelt"), std::string::npos);
  EXPECT_FALSE(ReferenceTable::ParseCsv("").ok());
}

TEST(ProgrammeRulesTest, DefaultsMatchTheProgramme) {
  ProgrammeRules r;
  EXPECT_EQ(r.RateFor(Qualification::kA).micros(), 58000'000000);
  EXPECT_EQ(r.RateFor(Qualification::kB).micros(), 52000'000000);
  EXPECT_EQ(r.RateFor(Qualification::kC).micros(), 46000'000000);
  EXPECT_EQ(r.minimum.cents(), 5100000);
}

}  // namespace
}  // namespace bescheid::core
