#include "core/programme.h"

#include <cctype>
#include <utility>
#include <vector>

#include "core/format.h"
#include "core/identifiers.h"

namespace bescheid::core {
namespace {

std::vector<std::string> SplitFields(std::string_view line) {
  std::vector<std::string> fields;
  size_t start = 0;
  while (true) {
    size_t semi = line.find(';', start);
    fields.emplace_back(line.substr(start, semi - start));
    if (semi == std::string_view::npos) break;
    start = semi + 1;
  }
  for (auto& f : fields) {
    while (!f.empty() && std::isspace(static_cast<unsigned char>(f.back())))
      f.pop_back();
    size_t b = 0;
    while (b < f.size() && std::isspace(static_cast<unsigned char>(f[b]))) ++b;
    f.erase(0, b);
  }
  return fields;
}

}  // namespace

const char* ToString(CapSplit s) {
  switch (s) {
    case CapSplit::kProportional:
      return "anteilig";
    case CapSplit::kInOrder:
      return "reihenfolge";
  }
  return "";
}

std::optional<CapSplit> ParseCapSplit(const std::string& s) {
  if (s == "anteilig") return CapSplit::kProportional;
  if (s == "reihenfolge") return CapSplit::kInOrder;
  return std::nullopt;
}

Status CheckDecisionDate(const ProgrammeRules& rules, const Date& date) {
  const std::string on = "Das Entscheidungsdatum " + FormatGerman(date);
  if ((rules.decision_from && date < *rules.decision_from) ||
      (rules.decision_to && *rules.decision_to < date)) {
    return InvalidInput(
        on +
        " liegt außerhalb des Zeitraums, in dem über Anträge des "
        "Programms " +
        rules.code + " entschieden wird (" +
        (rules.decision_from ? "vom " + FormatGerman(*rules.decision_from)
                             : std::string("ohne Beginn")) +
        (rules.decision_to ? " bis zum " + FormatGerman(*rules.decision_to)
                           : std::string(" ohne Ende")) +
        "). Bitte Systemdatum und Konfiguration "
        "(programme.decision-period.from/to) prüfen; es wurde kein Bescheid "
        "erstellt.");
  }
  if (date < rules.count_date) {
    return InvalidInput(
        on + " liegt vor dem Stichtag der Zählung (" +
        FormatGerman(rules.count_date) +
        ", reference.count-date), nach dem der Planungsrahmen bemessen wird. "
        "Es wurde kein Bescheid erstellt.");
  }
  return Status::Ok();
}

Decimal ProgrammeRules::RateFor(Qualification q) const {
  switch (q) {
    case Qualification::kA:
      return rate_a;
    case Qualification::kB:
      return rate_b;
    case Qualification::kC:
      return rate_c;
  }
  return rate_a;
}

namespace {
const std::vector<std::string> kHeader = {"AGS", "Name", "Art", "PersonenAU"};
const std::vector<std::string> kHeaderWithAddress = {
    "AGS", "Name", "Art", "PersonenAU", "Strasse", "PLZ", "Ort"};

// "Referenztabelle Zeile N", for errors.
std::string Where(int line_no) {
  return "Referenztabelle Zeile " + std::to_string(line_no);
}

// One data row of the reference table (`f`, split at ';', its fields moved
// into the result); line `line_no` for errors. `with_address`: the header
// had the address columns.
Result<Municipality> ParseRow(std::vector<std::string>& f, int line_no,
                              bool with_address) {
  if (f.size() != 4 && !(with_address && f.size() == 7)) {
    return ConfigError(
        Where(line_no) + ": " + (with_address ? "4 oder 7" : "4") +
        " Felder erwartet, " + std::to_string(f.size()) + " gefunden");
  }
  if (f.size() == 7 && !f[5].empty() &&
      (f[5].size() != 5 ||
       f[5].find_first_not_of("0123456789") != std::string::npos)) {
    return ConfigError(Where(line_no) + ": PLZ '" + f[5] +
                       "' hat nicht genau fünf Ziffern");
  }
  if (!IsValidAgs(f[0])) {
    return ConfigError(Where(line_no) + ": '" + f[0] +
                       "' ist kein gültiger AGS");
  }
  if (!ParseApplicantKind(f[2])) {
    return ConfigError(Where(line_no) + ": Art '" + f[2] +
                       "' ist nicht Gemeinde, Stadtkreis oder Landkreis");
  }
  if (f[3].empty() || f[3].size() > 9 ||
      f[3].find_first_not_of("0123456789") != std::string::npos) {
    return ConfigError(Where(line_no) + ": PersonenAU '" + f[3] +
                       "' ist keine ganze Zahl");
  }
  Municipality m{std::move(f[0]), std::move(f[1]), std::move(f[2]),
                 std::stoll(f[3])};
  if (f.size() == 7) {
    m.street = std::move(f[4]);
    m.postcode = std::move(f[5]);
    m.city = std::move(f[6]);
  }
  return m;
}

}  // namespace

Result<ReferenceTable> ReferenceTable::ParseCsv(std::string_view csv) {
  if (csv.substr(0, 3) == "\xEF\xBB\xBF") csv.remove_prefix(3);  // BOM
  ReferenceTable table;
  int line_no = 0;
  bool header_seen = false;
  bool with_address = false;
  size_t pos = 0;
  while (pos < csv.size()) {
    size_t eol = csv.find('\n', pos);
    std::string_view line = csv.substr(pos, eol - pos);
    pos = eol == std::string_view::npos ? csv.size() : eol + 1;
    ++line_no;
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    if (line.find_first_not_of(" \t") == std::string_view::npos) continue;
    std::vector<std::string> f = SplitFields(line);
    if (!header_seen) {
      if (f != kHeader && f != kHeaderWithAddress) {
        return ConfigError(Where(line_no) +
                           ": Kopfzeile muss 'AGS;Name;Art;PersonenAU' oder "
                           "'AGS;Name;Art;PersonenAU;Strasse;PLZ;Ort' sein");
      }
      with_address = f.size() == kHeaderWithAddress.size();
      header_seen = true;
      continue;
    }
    Result<Municipality> m = ParseRow(f, line_no, with_address);
    if (!m.ok()) return m.status();
    const std::string ags = m->ags;
    if (!table.by_ags_.emplace(ags, std::move(m).value()).second) {
      return ConfigError(Where(line_no) + ": AGS " + ags +
                         " ist doppelt aufgeführt");
    }
  }
  if (!header_seen) return ConfigError("Referenztabelle ist leer");
  return table;
}

const Municipality* ReferenceTable::Find(const std::string& ags) const {
  auto it = by_ags_.find(ags);
  return it == by_ags_.end() ? nullptr : &it->second;
}

}  // namespace bescheid::core
