#include "core/holidays.h"

#include <gtest/gtest.h>

#include <map>

#include "core/format.h"

namespace bescheid::core {
namespace {

TEST(HolidaysTest, EasterSundayByTheGregorianComputus) {
  const std::map<int, Date> known = {
      {2000, {2000, 4, 23}}, {2008, {2008, 3, 23}}, {2011, {2011, 4, 24}},
      {2016, {2016, 3, 27}}, {2017, {2017, 4, 16}}, {2018, {2018, 4, 1}},
      {2019, {2019, 4, 21}}, {2020, {2020, 4, 12}}, {2024, {2024, 3, 31}},
      {2025, {2025, 4, 20}}, {2038, {2038, 4, 25}}, {2285, {2285, 3, 22}}};
  for (const auto& [year, easter] : known) {
    EXPECT_EQ(EasterSunday(year).ToIso(), easter.ToIso()) << year;
    EXPECT_EQ(EasterSunday(year).IsoWeekday(), 7) << year;
  }
}

TEST(HolidaysTest, IsoWeekday) {
  EXPECT_EQ((Date{1970, 1, 1}).IsoWeekday(), 4);   // Thursday
  EXPECT_EQ((Date{2017, 9, 16}).IsoWeekday(), 6);  // Saturday
  EXPECT_EQ((Date{2017, 9, 17}).IsoWeekday(), 7);
  EXPECT_EQ((Date{2017, 9, 18}).IsoWeekday(), 1);
  EXPECT_EQ((Date{1969, 12, 31}).IsoWeekday(), 3);
}

// Every holiday of Baden-Württemberg in three years, from the published
// calendars.
TEST(HolidaysTest, AllHolidaysOfSeveralYears) {
  const std::map<int, std::vector<std::string>> known = {
      {2017,
       {"2017-01-01", "2017-01-06", "2017-04-14", "2017-04-17", "2017-05-01",
        "2017-05-25", "2017-06-05", "2017-06-15", "2017-10-03", "2017-10-31",
        "2017-11-01", "2017-12-25", "2017-12-26"}},
      {2018,
       {"2018-01-01", "2018-01-06", "2018-03-30", "2018-04-02", "2018-05-01",
        "2018-05-10", "2018-05-21", "2018-05-31", "2018-10-03", "2018-11-01",
        "2018-12-25", "2018-12-26"}},
      {2019,
       {"2019-01-01", "2019-01-06", "2019-04-19", "2019-04-22", "2019-05-01",
        "2019-05-30", "2019-06-10", "2019-06-20", "2019-10-03", "2019-11-01",
        "2019-12-25", "2019-12-26"}},
      {2024,
       {"2024-01-01", "2024-01-06", "2024-03-29", "2024-04-01", "2024-05-01",
        "2024-05-09", "2024-05-20", "2024-05-30", "2024-10-03", "2024-11-01",
        "2024-12-25", "2024-12-26"}},
  };
  for (const auto& [year, dates] : known) {
    std::vector<std::string> got;
    for (const Holiday& h : PublicHolidaysBw(year))
      got.push_back(h.date.ToIso());
    EXPECT_EQ(got, dates) << year;
    // And no other day of the year is a holiday.
    int count = 0;
    for (Date d{year, 1, 1}; d.year == year; d = d.PlusDays(1)) {
      count += IsPublicHolidayBw(d);
    }
    EXPECT_EQ(count, static_cast<int>(dates.size())) << year;
  }
  EXPECT_FALSE(IsPublicHolidayBw({2018, 10, 31}));  // 2017 only
  EXPECT_FALSE(IsPublicHolidayBw({2017, 8, 15}));   // not in BW
}

TEST(HolidaysTest, DeadlineMovesToTheNextWorkingDay) {
  struct Case {
    Date start;
    int days;
    Date end;
    const char* why;
  };
  const Case cases[] = {
      {{2017, 8, 21}, 28, {2017, 9, 18}, "28th day a Monday: unchanged"},
      {{2017, 8, 19}, 28, {2017, 9, 18}, "Saturday 16.09. -> Monday"},
      {{2017, 8, 20}, 28, {2017, 9, 18}, "Sunday 17.09. -> Monday"},
      {{2018, 3, 5}, 28, {2018, 4, 3}, "Easter Monday 02.04. -> Tuesday"},
      {{2018, 3, 2}, 28, {2018, 4, 3}, "Good Friday 30.03. -> Tuesday"},
      {{2017, 11, 28}, 28, {2017, 12, 27}, "26.12. -> Wednesday 27.12."},
      {{2017, 11, 27}, 28, {2017, 12, 27}, "25.12. -> 27.12."},
      {{2018, 11, 28}, 28, {2018, 12, 27}, "26.12.2018 -> 27.12."},
      {{2017, 10, 3}, 28, {2017, 11, 2}, "Reformationstag 2017 -> ... 02.11."},
      {{2018, 12, 4}, 28, {2019, 1, 2}, "New Year -> 02.01."},
      {{2019, 12, 9}, 28, {2020, 1, 7}, "06.01.2020 Monday -> 07.01."},
  };
  for (const Case& c : cases) {
    EXPECT_EQ(DeadlineEndBw(c.start, c.days).ToIso(), c.end.ToIso()) << c.why;
    EXPECT_TRUE(IsWorkingDayBw(c.end)) << c.why;
  }
}

}  // namespace
}  // namespace bescheid::core
