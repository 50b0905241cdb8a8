#include "core/date.h"

#include <algorithm>
#include <cctype>
#include <cstdio>

namespace bescheid::core {
namespace {

// Reads exactly `n` digits at `pos`; -1 if they are not all digits.
int Digits(std::string_view s, size_t pos, size_t n) {
  if (pos + n > s.size()) return -1;
  int v = 0;
  for (size_t i = pos; i < pos + n; ++i) {
    if (!std::isdigit(static_cast<unsigned char>(s[i]))) return -1;
    v = v * 10 + (s[i] - '0');
  }
  return v;
}

bool IsTimeZoneSuffix(std::string_view rest) {
  if (rest.empty() || rest == "Z") return true;
  return rest.size() == 6 && (rest[0] == '+' || rest[0] == '-') &&
         Digits(rest, 1, 2) >= 0 && rest[3] == ':' && Digits(rest, 4, 2) >= 0;
}

}  // namespace

bool IsLeapYear(int y) { return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0; }

int DaysInMonth(int y, int m) {
  static constexpr int kDays[] = {31, 28, 31, 30, 31, 30,
                                  31, 31, 30, 31, 30, 31};
  return m == 2 && IsLeapYear(y) ? 29 : kDays[m - 1];
}

Result<Date> Date::ParseIso(std::string_view text) {
  int y = Digits(text, 0, 4), m = Digits(text, 5, 2), d = Digits(text, 8, 2);
  if (y < 0 || m < 0 || d < 0 || text[4] != '-' || text[7] != '-' ||
      !IsTimeZoneSuffix(text.substr(10)) || m < 1 || m > 12 || d < 1 ||
      d > DaysInMonth(y, m)) {
    return InvalidInput("'" + std::string(text) + "' ist kein gültiges Datum");
  }
  return Date{y, m, d};
}

// Civil-from-days and days-from-civil after Howard Hinnant's algorithms.
int64_t Date::DaysSinceEpoch() const {
  const int y = year - (month <= 2);
  const int era = (y >= 0 ? y : y - 399) / 400;
  const unsigned yoe = static_cast<unsigned>(y - era * 400);
  const unsigned doy = (153 * (month + (month > 2 ? -3 : 9)) + 2) / 5 + day - 1;
  const unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return static_cast<int64_t>(era) * 146097 + static_cast<int64_t>(doe) -
         719468;
}

Date Date::FromDaysSinceEpoch(int64_t z) {
  z += 719468;
  const int64_t era = (z >= 0 ? z : z - 146096) / 146097;
  const unsigned doe = static_cast<unsigned>(z - era * 146097);
  const unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  const unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  const unsigned mp = (5 * doy + 2) / 153;
  const int d = static_cast<int>(doy - (153 * mp + 2) / 5 + 1);
  const int m = static_cast<int>(mp < 10 ? mp + 3 : mp - 9);
  const int y =
      static_cast<int>(static_cast<int64_t>(yoe) + era * 400) + (m <= 2);
  return Date{y, m, d};
}

Date Date::PlusDays(int64_t days) const {
  return FromDaysSinceEpoch(DaysSinceEpoch() + days);
}

int Date::IsoWeekday() const {
  // 1970-01-01 was a Thursday (4).
  const int64_t r = ((DaysSinceEpoch() + 3) % 7 + 7) % 7;
  return static_cast<int>(r) + 1;
}

std::string Date::ToIso() const {
  char buf[16];
  std::snprintf(buf, sizeof buf, "%04d-%02d-%02d", year, month, day);
  return buf;
}

Result<YearMonth> YearMonth::ParseIso(std::string_view text) {
  int y = Digits(text, 0, 4), m = Digits(text, 5, 2);
  if (y < 0 || m < 1 || m > 12 || text[4] != '-' ||
      !IsTimeZoneSuffix(text.substr(7))) {
    return InvalidInput("'" + std::string(text) + "' ist kein gültiger Monat");
  }
  return YearMonth{y, m};
}

std::string YearMonth::ToIso() const {
  char buf[16];
  std::snprintf(buf, sizeof buf, "%04d-%02d", year, month);
  return buf;
}

int MonthsInYear(YearMonth start, int months, int year) {
  if (months <= 0) return 0;
  const int first = start.Index();
  const int last = first + months - 1;
  const int lo = std::max(first, year * 12);
  const int hi = std::min(last, year * 12 + 11);
  return hi >= lo ? hi - lo + 1 : 0;
}

}  // namespace bescheid::core
