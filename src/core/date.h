// Calendar dates without time zones: the programme reasons in whole days
// and months only.
#ifndef BESCHEID_CORE_DATE_H_
#define BESCHEID_CORE_DATE_H_

#include <string>
#include <string_view>

#include "core/status.h"

namespace bescheid::core {

struct Date {
  int year = 0;
  int month = 0;  // 1..12
  int day = 0;    // 1..31

  // Parses xs:date ("2017-08-14", an optional time zone suffix is ignored).
  // Rejects impossible dates such as 2017-02-29.
  static Result<Date> ParseIso(std::string_view text);
  // The proleptic Gregorian date of a count of days since 1970-01-01.
  static Date FromDaysSinceEpoch(int64_t days);

  int64_t DaysSinceEpoch() const;
  Date PlusDays(int64_t days) const;
  // 1 = Monday .. 7 = Sunday.
  int IsoWeekday() const;
  std::string ToIso() const;  // "2017-08-14"

  friend bool operator==(const Date& a, const Date& b) {
    return a.year == b.year && a.month == b.month && a.day == b.day;
  }
  friend bool operator<(const Date& a, const Date& b) {
    if (a.year != b.year) return a.year < b.year;
    if (a.month != b.month) return a.month < b.month;
    return a.day < b.day;
  }
  friend bool operator<=(const Date& a, const Date& b) { return !(b < a); }
};

struct YearMonth {
  int year = 0;
  int month = 0;  // 1..12

  // Parses xs:gYearMonth ("2017-09", a time zone suffix is ignored).
  static Result<YearMonth> ParseIso(std::string_view text);
  // Months counted from year 0, so that consecutive months differ by one.
  int Index() const { return year * 12 + (month - 1); }
  static YearMonth FromIndex(int index) {
    return YearMonth{index / 12, index % 12 + 1};
  }
  std::string ToIso() const;  // "2017-09"
};

bool IsLeapYear(int year);
int DaysInMonth(int year, int month);

// How many of the `months` months starting at `start` fall in `year`.
int MonthsInYear(YearMonth start, int months, int year);

}  // namespace bescheid::core

#endif  // BESCHEID_CORE_DATE_H_
