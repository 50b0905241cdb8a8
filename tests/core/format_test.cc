#include "core/format.h"

#include <gtest/gtest.h>

namespace bescheid::core {
namespace {

TEST(FormatTest, PlainAmounts) {
  EXPECT_EQ(FormatPlain(Money::FromCents(11600000)), "116000.00");
  EXPECT_EQ(FormatPlain(Money::FromCents(5)), "0.05");
  EXPECT_EQ(FormatPlain(Money()), "0.00");
  EXPECT_EQ(FormatPlain(Money::FromCents(-150)), "-1.50");
}

TEST(FormatTest, GermanAmounts) {
  EXPECT_EQ(FormatEuro(Money::FromCents(11600000000)), "116.000.000,00 EUR");
  EXPECT_EQ(FormatEuro(Money::FromCents(11600000)), "116.000,00 EUR");
  EXPECT_EQ(FormatEuro(Money::FromCents(13214928)), "132.149,28 EUR");
  EXPECT_EQ(FormatEuro(Money::FromCents(99999)), "999,99 EUR");
  EXPECT_EQ(FormatEuro(Money::FromCents(100000)), "1.000,00 EUR");
  EXPECT_EQ(FormatGermanAmount(Money::FromCents(7)), "0,07");
}

TEST(FormatTest, MaskedIbanShowsOnlyTheLastFour) {
  EXPECT_EQ(MaskIban("DE02600501010002034304"), "**** **** **** **** **43 04");
  EXPECT_EQ(MaskIban("DE02 6005 0101 0002 0343 04"),
            "**** **** **** **** **43 04");
  EXPECT_EQ(MaskIban("1234"), "1234");
  EXPECT_EQ(MaskIban("12"), "12");
  EXPECT_EQ(MaskIban(""), "");
}

TEST(FormatTest, SpreadsheetAmountsHaveADecimalCommaAndNoGrouping) {
  EXPECT_EQ(FormatSpreadsheetAmount(Money::FromCents(11600000)), "116000,00");
  EXPECT_EQ(FormatSpreadsheetAmount(Money::FromCents(5)), "0,05");
  EXPECT_EQ(FormatSpreadsheetAmount(Money()), "0,00");
  EXPECT_EQ(FormatSpreadsheetAmount(Money::FromCents(-150)), "-1,50");
}

TEST(FormatTest, ListsReadAsGermanSentences) {
  EXPECT_EQ(JoinGerman({}), "");
  EXPECT_EQ(JoinGerman({"Ulm"}), "Ulm");
  EXPECT_EQ(JoinGerman({"Ulm", "Wangen"}), "Ulm und Wangen");
  EXPECT_EQ(JoinGerman({"Ulm", "Wangen", "Todtnau"}),
            "Ulm, Wangen und Todtnau");
}

TEST(FormatTest, GermanDates) {
  EXPECT_EQ(FormatGerman(Date{2017, 7, 24}), "24.07.2017");
  EXPECT_EQ(FormatGerman(Date{2017, 12, 1}), "01.12.2017");
  EXPECT_EQ(FormatGerman(YearMonth{2017, 9}), "09/2017");
}

TEST(FormatTest, DatesAsPeopleTypeThem) {
  EXPECT_EQ(ParseGermanOrIsoDate("19.02.2018")->ToIso(), "2018-02-19");
  EXPECT_EQ(ParseGermanOrIsoDate("2018-02-19")->ToIso(), "2018-02-19");
  for (const char* bad :
       {"29.02.2018", "1.2.2018", "2018-02-19Z", "heute", "19-02-2018", ""}) {
    Result<Date> d = ParseGermanOrIsoDate(bad);
    ASSERT_FALSE(d.ok()) << bad;
    EXPECT_NE(d.status().message().find("TT.MM.JJJJ"), std::string::npos);
  }
}

TEST(FormatTest, NumbersAndIban) {
  EXPECT_EQ(FormatHundredths(75), "0,75");
  EXPECT_EQ(FormatHundredths(100), "1,00");
  EXPECT_EQ(FormatPlainHundredths(25), "0.25");
  EXPECT_EQ(FormatGerman(Decimal::FromMicros(60000000)), "60");
  EXPECT_EQ(FormatGerman(Decimal::FromMicros(62500000)), "62,5");
  EXPECT_EQ(FormatIban("DE89370400440532013000"),
            "DE89 3704 0044 0532 0130 00");
}

}  // namespace
}  // namespace bescheid::core
