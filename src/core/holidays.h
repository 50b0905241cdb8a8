// Public holidays in Baden-Württemberg and the end of deadlines that fall
// on a day without office hours (§ 31 Abs. 3 LVwVfG BW). Pure; thread-safe.
#ifndef BESCHEID_CORE_HOLIDAYS_H_
#define BESCHEID_CORE_HOLIDAYS_H_

#include <string>
#include <vector>

#include "core/date.h"

namespace bescheid::core {

// Easter Sunday of `year` (Gregorian computus, Meeus/Jones/Butcher).
Date EasterSunday(int year);

struct Holiday {
  Date date;
  std::string name;  // German, e.g. "Ostermontag"
};

// Every public holiday of Baden-Württemberg in `year`, in date order:
// Neujahr, Heilige Drei Könige, Karfreitag, Ostermontag, Tag der Arbeit,
// Christi Himmelfahrt, Pfingstmontag, Fronleichnam, Tag der Deutschen
// Einheit, Allerheiligen, 1. and 2. Weihnachtstag; in 2017 also the
// Reformationstag (31.10.), a one-off holiday in every state.
std::vector<Holiday> PublicHolidaysBw(int year);

bool IsPublicHolidayBw(const Date& d);
// Monday to Friday and not a public holiday.
bool IsWorkingDayBw(const Date& d);

// The day a deadline of `days` days after `start` ends: that day, or, if it
// is a Saturday, Sunday or public holiday, the next working day.
Date DeadlineEndBw(const Date& start, int days);

}  // namespace bescheid::core

#endif  // BESCHEID_CORE_HOLIDAYS_H_
