#include "core/register.h"

#include "core/format.h"

namespace bescheid::core {
namespace {

constexpr char kBom[] = "\xEF\xBB\xBF";
constexpr char kEol[] = "\r\n";

constexpr std::array<const char*, kRegisterAmounts> kAmountHeaders = {
    "Förderfähige Ausgaben (EUR)", "Planungsrahmen (EUR)", "Bewilligt (EUR)",
    "Anteil 2017 (EUR)", "Erste Tranche (EUR)"};

bool NeedsQuotes(std::string_view text) {
  if (text.empty()) return false;
  if (text.front() == ' ' || text.back() == ' ') return true;
  return text.find_first_of(";\"\r\n") != std::string_view::npos;
}

bool LooksLikeFormula(std::string_view text) {
  return !text.empty() &&
         (text[0] == '=' || text[0] == '+' || text[0] == '-' ||
          text[0] == '@' || text[0] == '\t' || text[0] == '\r');
}

std::string JoinCodes(const std::vector<std::string>& codes) {
  std::string out;
  for (const std::string& c : codes) {
    if (!out.empty()) out += ", ";
    out += c;
  }
  return out;
}

void AppendLine(std::string& out, const std::vector<std::string>& cells) {
  for (size_t i = 0; i < cells.size(); ++i) {
    if (i > 0) out += ';';
    out += cells[i];
  }
  out += kEol;
}

std::vector<std::string> Header() {
  std::vector<std::string> h = {"Aktenzeichen", "Fassung", "Datum",
                                "Art",          "Gründe",  "Antragsteller",
                                "AGS",          "Eingang"};
  for (const char* a : kAmountHeaders) h.push_back(CsvCell(a));
  h.push_back("IBAN");
  h.push_back("Druckstapel");
  return h;
}

std::vector<std::string> Cells(const RegisterRow& r) {
  std::vector<std::string> c = {CsvCell(r.aktenzeichen),
                                std::to_string(r.revision),
                                FormatGerman(r.decision_date),
                                CsvCell(r.kind),
                                CsvCell(JoinCodes(r.codes)),
                                CsvCell(r.applicant),
                                CsvCell(r.ags),
                                CsvCell(r.channel)};
  for (Money m : r.amounts) c.push_back(FormatSpreadsheetAmount(m));
  c.push_back(CsvCell(r.iban.empty() ? std::string() : MaskIban(r.iban)));
  c.push_back(CsvCell(r.print_batch));
  return c;
}

}  // namespace

std::string CsvCell(std::string_view text) {
  std::string cell = LooksLikeFormula(text) ? "'" : "";
  cell += text;
  if (!NeedsQuotes(cell)) return cell;
  std::string quoted = "\"";
  for (char ch : cell) {
    if (ch == '"') quoted += '"';
    quoted += ch;
  }
  return quoted + "\"";
}

std::string RegisterCsv(const std::vector<RegisterRow>& rows) {
  std::string out = kBom;
  const std::vector<std::string> header = Header();
  AppendLine(out, header);
  std::array<Money, kRegisterAmounts> sums{};
  for (const RegisterRow& r : rows) {
    AppendLine(out, Cells(r));
    for (size_t i = 0; i < kRegisterAmounts; ++i) sums[i] += r.amounts[i];
  }
  std::vector<std::string> last(header.size());
  last[0] = "Summe (" + std::to_string(rows.size()) + " Entscheidungen)";
  const size_t first_amount = header.size() - kRegisterAmounts - 2;
  for (size_t i = 0; i < kRegisterAmounts; ++i) {
    last[first_amount + i] = FormatSpreadsheetAmount(sums[i]);
  }
  AppendLine(out, last);
  return out;
}

}  // namespace bescheid::core
