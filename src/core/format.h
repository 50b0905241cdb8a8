// The one place where numbers, dates and identifiers are formatted for
// people (German conventions) and for machines (plain decimals).
#ifndef BESCHEID_CORE_FORMAT_H_
#define BESCHEID_CORE_FORMAT_H_

#include <string>
#include <string_view>
#include <vector>

#include "core/date.h"
#include "core/money.h"

namespace bescheid::core {

// "116000.00": the machine form used in decision records.
std::string FormatPlain(Money m);
// "116.000,00 EUR": the form used in letters and reasons.
std::string FormatEuro(Money m);
// "116.000,00" without currency, for tables.
std::string FormatGermanAmount(Money m);
// "14.08.2017".
std::string FormatGerman(const Date& d);
// A date as a person types it: "14.08.2017" or "2017-08-14", nothing
// else; kInvalidInput with a German message otherwise.
Result<Date> ParseGermanOrIsoDate(std::string_view text);
// "09/2017".
std::string FormatGerman(const YearMonth& ym);
// "0,75" for 75 hundredths.
std::string FormatHundredths(int hundredths);
// "0.75" for 75 hundredths: the machine form.
std::string FormatPlainHundredths(int hundredths);
// "60" or "60,5" for a percentage held as a Decimal.
std::string FormatGerman(Decimal d);
// "DE12 3456 7890 ..." in groups of four.
std::string FormatIban(std::string_view iban);
// "**** **** **** **** **30 00": every character but the last four hidden,
// in the groups of four of FormatIban (spaces in `iban` are ignored).
std::string MaskIban(std::string_view iban);
// "116000,00": the form German spreadsheets read as a number (decimal
// comma, no thousands separator).
std::string FormatSpreadsheetAmount(Money m);
// "a", "a und b", "a, b und c": a list in a German sentence ("" for none).
std::string JoinGerman(const std::vector<std::string>& items);

}  // namespace bescheid::core

#endif  // BESCHEID_CORE_FORMAT_H_
