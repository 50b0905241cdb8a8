#include "core/holidays.h"

#include <algorithm>

namespace bescheid::core {

Date EasterSunday(int year) {
  const int a = year % 19, b = year / 100, c = year % 100;
  const int d = b / 4, e = b % 4, f = (b + 8) / 25, g = (b - f + 1) / 3;
  const int h = (19 * a + b - d - g + 15) % 30;
  const int i = c / 4, k = c % 4;
  const int l = (32 + 2 * e + 2 * i - h - k) % 7;
  const int m = (a + 11 * h + 22 * l) / 451;
  const int month = (h + l - 7 * m + 114) / 31;
  const int day = (h + l - 7 * m + 114) % 31 + 1;
  return Date{year, month, day};
}

std::vector<Holiday> PublicHolidaysBw(int year) {
  const Date easter = EasterSunday(year);
  std::vector<Holiday> out = {
      {{year, 1, 1}, "Neujahr"},
      {{year, 1, 6}, "Heilige Drei Könige"},
      {easter.PlusDays(-2), "Karfreitag"},
      {easter.PlusDays(1), "Ostermontag"},
      {{year, 5, 1}, "Tag der Arbeit"},
      {easter.PlusDays(39), "Christi Himmelfahrt"},
      {easter.PlusDays(50), "Pfingstmontag"},
      {easter.PlusDays(60), "Fronleichnam"},
      {{year, 10, 3}, "Tag der Deutschen Einheit"},
      {{year, 11, 1}, "Allerheiligen"},
      {{year, 12, 25}, "1. Weihnachtstag"},
      {{year, 12, 26}, "2. Weihnachtstag"},
  };
  if (year == 2017) out.push_back({{2017, 10, 31}, "Reformationstag"});
  std::stable_sort(
      out.begin(), out.end(),
      [](const Holiday& x, const Holiday& y) { return x.date < y.date; });
  return out;
}

bool IsPublicHolidayBw(const Date& d) {
  for (const Holiday& h : PublicHolidaysBw(d.year)) {
    if (h.date == d) return true;
  }
  return false;
}

bool IsWorkingDayBw(const Date& d) {
  return d.IsoWeekday() <= 5 && !IsPublicHolidayBw(d);
}

Date DeadlineEndBw(const Date& start, int days) {
  Date end = start.PlusDays(days);
  while (!IsWorkingDayBw(end)) end = end.PlusDays(1);
  return end;
}

}  // namespace bescheid::core
