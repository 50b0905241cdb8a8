#include "core/date.h"

#include <gtest/gtest.h>

namespace bescheid::core {
namespace {

TEST(DateTest, ParsesIsoDatesWithOptionalZone) {
  Date d = *Date::ParseIso("2017-07-24");
  EXPECT_EQ(d.year, 2017);
  EXPECT_EQ(d.month, 7);
  EXPECT_EQ(d.day, 24);
  EXPECT_TRUE(Date::ParseIso("2017-07-24Z").ok());
  EXPECT_TRUE(Date::ParseIso("2017-07-24+02:00").ok());
}

TEST(DateTest, RejectsImpossibleDates) {
  for (const char* bad :
       {"2017-02-29", "2017-13-01", "2017-00-10", "2017-04-31", "17-07-24",
        "2017/07/24", "2017-07-24T10:00", ""}) {
    EXPECT_FALSE(Date::ParseIso(bad).ok()) << bad;
  }
  EXPECT_TRUE(Date::ParseIso("2016-02-29").ok());
}

TEST(DateTest, EpochRoundTrip) {
  EXPECT_EQ((Date{1970, 1, 1}).DaysSinceEpoch(), 0);
  EXPECT_EQ((Date{2017, 7, 24}).DaysSinceEpoch(), 17371);
  for (int64_t d = -1000; d < 30000; d += 37) {
    EXPECT_EQ(Date::FromDaysSinceEpoch(d).DaysSinceEpoch(), d);
  }
  EXPECT_EQ((Date{2017, 12, 31}).PlusDays(1), (Date{2018, 1, 1}));
  EXPECT_EQ((Date{2017, 8, 14}).PlusDays(28), (Date{2017, 9, 11}));
}

TEST(DateTest, Ordering) {
  EXPECT_TRUE((Date{2017, 7, 23}) < (Date{2017, 7, 24}));
  EXPECT_TRUE((Date{2017, 6, 30}) < (Date{2017, 7, 1}));
  EXPECT_FALSE((Date{2018, 1, 1}) < (Date{2017, 12, 31}));
  EXPECT_EQ((Date{2017, 7, 24}).ToIso(), "2017-07-24");
}

TEST(YearMonthTest, ParseAndIndex) {
  YearMonth ym = *YearMonth::ParseIso("2017-09");
  EXPECT_EQ(ym.year, 2017);
  EXPECT_EQ(ym.month, 9);
  EXPECT_EQ(YearMonth::FromIndex(ym.Index() + 4).ToIso(), "2018-01");
  EXPECT_FALSE(YearMonth::ParseIso("2017-13").ok());
  EXPECT_FALSE(YearMonth::ParseIso("2017-9").ok());
}

TEST(MonthsInYearTest, CountsOverlapWithTheYear) {
  EXPECT_EQ(MonthsInYear({2017, 1}, 24, 2017), 12);  // backdated to January
  EXPECT_EQ(MonthsInYear({2017, 9}, 24, 2017), 4);   // Sep..Dec
  EXPECT_EQ(MonthsInYear({2017, 12}, 24, 2017), 1);
  EXPECT_EQ(MonthsInYear({2018, 1}, 24, 2017), 0);    // starts later
  EXPECT_EQ(MonthsInYear({2017, 9}, 2, 2017), 2);     // ends inside the year
  EXPECT_EQ(MonthsInYear({2016, 11}, 24, 2017), 12);  // started earlier
  EXPECT_EQ(MonthsInYear({2016, 11}, 3, 2017), 1);
  EXPECT_EQ(MonthsInYear({2017, 9}, 0, 2017), 0);
}

TEST(CalendarTest, LeapYears) {
  EXPECT_TRUE(IsLeapYear(2016));
  EXPECT_FALSE(IsLeapYear(2017));
  EXPECT_FALSE(IsLeapYear(1900));
  EXPECT_TRUE(IsLeapYear(2000));
  EXPECT_EQ(DaysInMonth(2016, 2), 29);
  EXPECT_EQ(DaysInMonth(2017, 2), 28);
  EXPECT_EQ(DaysInMonth(2017, 11), 30);
}

}  // namespace
}  // namespace bescheid::core
