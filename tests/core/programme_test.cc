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

TEST(ReferenceTableTest, AddressColumnsAreOptional) {
  auto t = ReferenceTable::ParseCsv(
      "AGS;Name;Art;PersonenAU;Strasse;PLZ;Ort\n"
      "08435016;Eriskirch;Gemeinde;22;Schulstraße 18;88097;Eriskirch\n"
      "08435040;Langenargen;Gemeinde;29;;;\n"
      "08435059;Tettnang;Gemeinde;166\n");
  ASSERT_TRUE(t.ok()) << t.status().message();
  const Municipality* e = t->Find("08435016");
  ASSERT_NE(e, nullptr);
  EXPECT_EQ(e->persons, 22);
  EXPECT_EQ(e->street, "Schulstraße 18");
  EXPECT_EQ(e->postcode, "88097");
  EXPECT_EQ(e->city, "Eriskirch");
  EXPECT_EQ(t->Find("08435040")->street, "");
  EXPECT_EQ(t->Find("08435059")->city, "");
  // Without the address header, seven fields are too many.
  auto long_row = ReferenceTable::ParseCsv(
      "AGS;Name;Art;PersonenAU\n08435016;E;Gemeinde;22;S 1;88097;E\n");
  ASSERT_FALSE(long_row.ok());
  EXPECT_NE(long_row.status().message().find("Zeile 2: 4 Felder erwartet, 7"),
            std::string::npos)
      << long_row.status().message();
  auto bad_postcode = ReferenceTable::ParseCsv(
      "AGS;Name;Art;PersonenAU;Strasse;PLZ;Ort\n"
      "08435016;E;Gemeinde;22;S 1;8809;E\n");
  ASSERT_FALSE(bad_postcode.ok());
  EXPECT_NE(bad_postcode.status().message().find("PLZ '8809'"),
            std::string::npos);
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
