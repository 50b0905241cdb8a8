// The decision register for the budget office: one row per decision, as a
// CSV file German spreadsheets open as they are. Pure; thread-safe.
#ifndef BESCHEID_CORE_REGISTER_H_
#define BESCHEID_CORE_REGISTER_H_

#include <array>
#include <string>
#include <string_view>
#include <vector>

#include "core/date.h"
#include "core/money.h"

namespace bescheid::core {

// The amounts of a decision record, in the record's order: eligible
// expenditure, planning budget, granted, share of the tranche year, first
// tranche.
inline constexpr size_t kRegisterAmounts = 5;

struct RegisterRow {
  std::string aktenzeichen;
  int revision = 1;  // > 1: a completed application answering a request
  Date decision_date;
  std::string kind;                // "BEWILLIGUNG", ...
  std::vector<std::string> codes;  // reason codes, in the record's order
  std::string applicant;
  std::string ags;
  std::string channel;  // "XML" or "SCAN"
  std::array<Money, kRegisterAmounts> amounts{};
  std::string iban;         // as in the record; written masked
  std::string print_batch;  // empty while not printed
};

// One CSV cell: text that a spreadsheet would take for a formula (starting
// with =, +, -, @, a tab or a carriage return) gets a leading apostrophe;
// a cell holding the separator, a quote, a line break or leading or
// trailing blanks is quoted, quotes doubled.
std::string CsvCell(std::string_view text);

// The register: UTF-8 with a byte order mark, ';' between cells, CRLF
// line ends, a header line, one line per row in the given order, dates as
// "22.01.2018", amounts as "116000,00" and the IBAN masked but for its last
// four characters; the last line sums every amount column to the cent.
std::string RegisterCsv(const std::vector<RegisterRow>& rows);

}  // namespace bescheid::core

#endif  // BESCHEID_CORE_REGISTER_H_
