#include "core/plausibility.h"

#include <cctype>
#include <map>

#include "core/format.h"

namespace bescheid::core {
namespace {

constexpr int kMinFte = 25;     // hundredths
constexpr int kMaxFte = 100;    // hundredths; also one person's sum
constexpr int kMaxMonths = 24;  // the programme's funding period

std::string Row(const char* group, size_t i, const char* name) {
  return std::string(group) + "[" + std::to_string(i) + "]." + name;
}

std::string Stelle(size_t i) { return "Stelle " + std::to_string(i + 1); }

// A person's name as a key: letters and digits, lower case (ASCII), so
// that spacing and case of what was read do not matter; "" for no name.
std::string PersonKey(const std::string& name) {
  std::string key;
  for (const char c : name) {
    const unsigned char u = static_cast<unsigned char>(c);
    if (std::isalnum(u) || u >= 0x80) {
      key += static_cast<char>(std::tolower(u));
    }
  }
  return key;
}

void CheckPosition(const Position& p, size_t i, const ProgrammeRules& rules,
                   std::vector<Implausibility>* out) {
  if (p.fte_hundredths < kMinFte || p.fte_hundredths > kMaxFte) {
    out->push_back({{Row("position", i, "fte")},
                    Stelle(i) + ", VZÄ: " + FormatHundredths(p.fte_hundredths) +
                        " liegt nicht zwischen 0,25 und 1,00."});
  }
  if (p.months < 1 || p.months > kMaxMonths) {
    out->push_back({{Row("position", i, "months")},
                    Stelle(i) + ", Monate: " + std::to_string(p.months) +
                        " liegt nicht zwischen 1 und 24."});
  }
  const YearMonth first{rules.tranche_year, 1};
  const YearMonth last{rules.tranche_year + 1, 12};
  if (p.start.Index() < first.Index() || p.start.Index() > last.Index()) {
    out->push_back({{Row("position", i, "start")},
                    Stelle(i) + ", Beginn: " + FormatGerman(p.start) +
                        " liegt nicht in den Förderjahren " +
                        std::to_string(first.year) + " und " +
                        std::to_string(last.year) + "."});
  }
}

// One person, several positions: together at most one full post.
void CheckPersons(const Application& app, std::vector<Implausibility>* out) {
  std::map<std::string, std::vector<size_t>> by_person;
  for (size_t i = 0; i < app.positions.size(); ++i) {
    const std::string key = PersonKey(app.positions[i].person);
    if (!key.empty()) by_person[key].push_back(i);
  }
  for (const auto& [key, rows] : by_person) {
    if (rows.size() < 2) continue;
    int sum = 0;
    for (const size_t i : rows) sum += app.positions[i].fte_hundredths;
    if (sum <= kMaxFte) continue;
    Implausibility f;
    std::string stellen;
    for (size_t k = 0; k < rows.size(); ++k) {
      f.fields.push_back(Row("position", rows[k], "person"));
      f.fields.push_back(Row("position", rows[k], "fte"));
      stellen += (k == 0                 ? ""
                  : k + 1 == rows.size() ? " und "
                                         : ", ") +
                 std::to_string(rows[k] + 1);
    }
    f.text = "Stellen " + stellen + ", VZÄ: '" +
             app.positions[rows.front()].person + "' ist mit zusammen " +
             FormatHundredths(sum) +
             " VZÄ genannt; eine Fachkraft kann höchstens 1,00 VZÄ besetzen.";
    out->push_back(std::move(f));
  }
}

void CheckDates(const Application& app, const ProgrammeRules& rules,
                const Date& receipt, std::vector<Implausibility>* out) {
  const Date& signed_on = app.signature.date;
  const Date earliest{rules.tranche_year, 1, 1};
  if (receipt < signed_on) {
    out->push_back({{"signature.date"},
                    "Unterzeichnung, Datum: " + FormatGerman(signed_on) +
                        " liegt nach dem Eingang des Antrags am " +
                        FormatGerman(receipt) + "."});
  } else if (signed_on < earliest) {
    out->push_back({{"signature.date"},
                    "Unterzeichnung, Datum: " + FormatGerman(signed_on) +
                        " liegt vor dem frühesten Förderbeginn am " +
                        FormatGerman(earliest) + "."});
  }
  if (app.receipt_date && *app.receipt_date < signed_on) {
    out->push_back({{"receipt_date", "signature.date"},
                    "Eingangsdatum: " + FormatGerman(*app.receipt_date) +
                        " liegt vor dem Datum der Unterzeichnung (" +
                        FormatGerman(signed_on) + ")."});
  }
}

void CheckMembers(const Application& app, std::vector<Implausibility>* out) {
  for (size_t i = 0; i < app.members.size(); ++i) {
    const std::string& ags = app.members[i].ags;
    const std::string field = Row("member", i, "ags");
    const std::string label = "Mitglied " + std::to_string(i + 1) + ", AGS: ";
    if (ags == app.ags) {
      out->push_back({{field, "applicant.ags"},
                      label + ags + " ist der Antragsteller selbst."});
      continue;
    }
    for (size_t j = 0; j < i; ++j) {
      if (app.members[j].ags != ags) continue;
      out->push_back({{Row("member", j, "ags"), field},
                      label + ags + " ist schon als Mitglied " +
                          std::to_string(j + 1) + " genannt."});
      break;
    }
  }
}

}  // namespace

std::vector<Implausibility> CheckPlausibility(const Application& app,
                                              const ProgrammeRules& rules,
                                              const Date& receipt) {
  std::vector<Implausibility> out;
  for (size_t i = 0; i < app.positions.size(); ++i) {
    CheckPosition(app.positions[i], i, rules, &out);
  }
  CheckPersons(app, &out);
  CheckDates(app, rules, receipt, &out);
  CheckMembers(app, &out);
  return out;
}

}  // namespace bescheid::core
