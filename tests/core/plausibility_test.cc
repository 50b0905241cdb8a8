#include "core/plausibility.h"

#include <gtest/gtest.h>

namespace bescheid::core {
namespace {

Position MakePosition(const std::string& person, int fte, YearMonth start,
                      int months) {
  Position p;
  p.person = person;
  p.fte_hundredths = fte;
  p.start = start;
  p.months = months;
  return p;
}

// Tettnang with two positions, signed 10.08.2017: everything fits.
Application Fitting() {
  Application a;
  a.programme = "IM-2017";
  a.name = "Stadt Tettnang";
  a.ags = "08435059";
  a.positions = {MakePosition("Anna Maier", 50, {2017, 9}, 24),
                 MakePosition("Ben Kurz", 100, {2018, 1}, 12)};
  a.signature.date = Date{2017, 8, 10};
  return a;
}

const Date kReceipt{2017, 8, 14};

class PlausibilityTest : public ::testing::Test {
 protected:
  std::vector<Implausibility> Run(const Application& a,
                                  Date receipt = kReceipt) {
    return CheckPlausibility(a, rules_, receipt);
  }
  ProgrammeRules rules_;  // tranche year 2017: budget years 2017 and 2018
};

TEST_F(PlausibilityTest, AFittingApplicationHasNoFinding) {
  EXPECT_TRUE(Run(Fitting()).empty());
}

TEST_F(PlausibilityTest, VzaeOutsideAQuarterToOneIsNamedWithItsField) {
  struct Case {
    int fte;
    bool fits;
    const char* text;
  };
  for (const Case& c : {Case{24, false,
                             "Stelle 2, VZÄ: 0,24 liegt nicht "
                             "zwischen 0,25 und 1,00."},
                        Case{25, true, ""}, Case{100, true, ""},
                        Case{101, false,
                             "Stelle 2, VZÄ: 1,01 liegt nicht "
                             "zwischen 0,25 und 1,00."},
                        Case{0, false,
                             "Stelle 2, VZÄ: 0,00 liegt nicht "
                             "zwischen 0,25 und 1,00."}}) {
    Application a = Fitting();
    a.positions[1].fte_hundredths = c.fte;
    const std::vector<Implausibility> f = Run(a);
    if (c.fits) {
      EXPECT_TRUE(f.empty()) << c.fte;
      continue;
    }
    ASSERT_EQ(f.size(), 1u) << c.fte;
    EXPECT_EQ(f[0].fields, std::vector<std::string>{"position[1].fte"});
    EXPECT_EQ(f[0].text, c.text);
  }
}

TEST_F(PlausibilityTest, MonthsOutsideOneToTwentyFour) {
  for (const int months : {0, 1, 24, 25, 99}) {
    Application a = Fitting();
    a.positions[0].months = months;
    const std::vector<Implausibility> f = Run(a);
    if (months >= 1 && months <= 24) {
      EXPECT_TRUE(f.empty()) << months;
      continue;
    }
    ASSERT_EQ(f.size(), 1u) << months;
    EXPECT_EQ(f[0].fields, std::vector<std::string>{"position[0].months"});
    EXPECT_EQ(f[0].text, "Stelle 1, Monate: " + std::to_string(months) +
                             " liegt nicht zwischen 1 und 24.");
  }
}

TEST_F(PlausibilityTest, StartOutsideTheTwoBudgetYears) {
  struct Case {
    YearMonth start;
    const char* shown;  // nullptr: fits
  };
  for (const Case& c : {Case{{2016, 12}, "12/2016"}, Case{{2017, 1}, nullptr},
                        Case{{2018, 12}, nullptr}, Case{{2019, 1}, "01/2019"},
                        Case{{2071, 9}, "09/2071"}}) {
    Application a = Fitting();
    a.positions[0].start = c.start;
    const std::vector<Implausibility> f = Run(a);
    if (c.shown == nullptr) {
      EXPECT_TRUE(f.empty()) << c.start.ToIso();
      continue;
    }
    ASSERT_EQ(f.size(), 1u) << c.start.ToIso();
    EXPECT_EQ(f[0].fields, std::vector<std::string>{"position[0].start"});
    EXPECT_EQ(f[0].text, std::string("Stelle 1, Beginn: ") + c.shown +
                             " liegt nicht in den Förderjahren 2017 und 2018.");
  }
}

TEST_F(PlausibilityTest, TheBudgetYearsFollowTheTrancheYear) {
  rules_.tranche_year = 2019;
  Application a = Fitting();  // starts in 2017 and 2018
  const std::vector<Implausibility> f = Run(a, Date{2019, 8, 14});
  ASSERT_EQ(f.size(), 3u);
  EXPECT_EQ(f[0].fields, std::vector<std::string>{"position[0].start"});
  EXPECT_EQ(f[1].fields, std::vector<std::string>{"position[1].start"});
  EXPECT_EQ(f[2].text,
            "Unterzeichnung, Datum: 10.08.2017 liegt vor dem frühesten "
            "Förderbeginn am 01.01.2019.");
}

TEST_F(PlausibilityTest, OnePersonsPositionsAddUpToAtMostOneVzae) {
  Application a = Fitting();
  a.positions.push_back(MakePosition("  anna  MAIER", 50, {2017, 9}, 24));
  EXPECT_TRUE(Run(a).empty()) << "0,50 + 0,50 is one full post";
  a.positions.push_back(MakePosition("Anna Maier", 25, {2018, 1}, 12));
  const std::vector<Implausibility> f = Run(a);
  ASSERT_EQ(f.size(), 1u);
  EXPECT_EQ(f[0].fields,
            (std::vector<std::string>{
                "position[0].person", "position[0].fte", "position[2].person",
                "position[2].fte", "position[3].person", "position[3].fte"}));
  EXPECT_EQ(f[0].text,
            "Stellen 1, 3 und 4, VZÄ: 'Anna Maier' ist mit zusammen 1,25 VZÄ "
            "genannt; eine Fachkraft kann höchstens 1,00 VZÄ besetzen.");
}

TEST_F(PlausibilityTest, PositionsWithoutANameAreNotOnePerson) {
  Application a = Fitting();
  a.positions[0].person = "";
  a.positions[1].person = " ";
  a.positions[0].fte_hundredths = 100;
  EXPECT_TRUE(Run(a).empty());
}

TEST_F(PlausibilityTest, SignatureDateAgainstReceiptAndProgrammeStart) {
  struct Case {
    Date signed_on;
    const char* text;  // "": fits
  };
  for (const Case& c :
       {Case{{2017, 8, 14}, ""}, Case{{2017, 1, 1}, ""},
        Case{{2017, 8, 15},
             "Unterzeichnung, Datum: 15.08.2017 liegt nach dem Eingang des "
             "Antrags am 14.08.2017."},
        Case{{2071, 8, 10},
             "Unterzeichnung, Datum: 10.08.2071 liegt nach dem Eingang des "
             "Antrags am 14.08.2017."},
        Case{{2016, 12, 31},
             "Unterzeichnung, Datum: 31.12.2016 liegt vor dem frühesten "
             "Förderbeginn am 01.01.2017."}}) {
    Application a = Fitting();
    a.signature.date = c.signed_on;
    const std::vector<Implausibility> f = Run(a);
    if (std::string(c.text).empty()) {
      EXPECT_TRUE(f.empty()) << c.signed_on.ToIso();
      continue;
    }
    ASSERT_EQ(f.size(), 1u) << c.signed_on.ToIso();
    EXPECT_EQ(f[0].fields, std::vector<std::string>{"signature.date"});
    EXPECT_EQ(f[0].text, c.text);
  }
}

TEST_F(PlausibilityTest, AReceiptStampBeforeTheSignatureDoesNotFit) {
  Application a = Fitting();
  a.receipt_date = Date{2017, 8, 10};  // the day it was signed: fits
  EXPECT_TRUE(Run(a).empty());
  a.receipt_date = Date{2017, 8, 9};
  const std::vector<Implausibility> f = Run(a);
  ASSERT_EQ(f.size(), 1u);
  EXPECT_EQ(f[0].fields,
            (std::vector<std::string>{"receipt_date", "signature.date"}));
  EXPECT_EQ(f[0].text,
            "Eingangsdatum: 09.08.2017 liegt vor dem Datum der Unterzeichnung "
            "(10.08.2017).");
}

TEST_F(PlausibilityTest, MembersNamedTwiceOrTheApplicantItself) {
  Application a = Fitting();
  a.members = {{"08435036", "Kressbronn"}, {"08435016", "Eriskirch"}};
  EXPECT_TRUE(Run(a).empty());
  a.members.push_back({"08435036", "Kressbronn"});
  a.members.push_back({"08435059", "Tettnang"});
  const std::vector<Implausibility> f = Run(a);
  ASSERT_EQ(f.size(), 2u);
  EXPECT_EQ(f[0].fields,
            (std::vector<std::string>{"member[0].ags", "member[2].ags"}));
  EXPECT_EQ(f[0].text,
            "Mitglied 3, AGS: 08435036 ist schon als Mitglied 1 genannt.");
  EXPECT_EQ(f[1].fields,
            (std::vector<std::string>{"member[3].ags", "applicant.ags"}));
  EXPECT_EQ(f[1].text,
            "Mitglied 4, AGS: 08435059 ist der Antragsteller selbst.");
}

TEST_F(PlausibilityTest, EveryFindingIsReportedInOrder) {
  Application a = Fitting();
  a.positions[0].fte_hundredths = 120;
  a.positions[0].months = 36;
  a.positions[1].start = {2020, 1};
  a.signature.date = Date{2017, 9, 1};
  a.members = {{"08435059", "Tettnang"}};
  const std::vector<Implausibility> f = Run(a);
  std::vector<std::string> first_fields;
  for (const Implausibility& i : f) first_fields.push_back(i.fields.front());
  EXPECT_EQ(first_fields,
            (std::vector<std::string>{"position[0].fte", "position[0].months",
                                      "position[1].start", "signature.date",
                                      "member[0].ags"}));
}

}  // namespace
}  // namespace bescheid::core
