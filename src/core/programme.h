// The programme's parameters (set by the authority per programme year) and
// the reference table of municipalities entitled to apply.
#ifndef BESCHEID_CORE_PROGRAMME_H_
#define BESCHEID_CORE_PROGRAMME_H_

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>

#include "core/application.h"
#include "core/date.h"
#include "core/money.h"
#include "core/status.h"

namespace bescheid::core {

// How a grant capped by the planning budget is divided among the positions.
enum class CapSplit {
  // In proportion to each position's amount; each share rounded half up to
  // the cent, the last position takes what remains, so that the shares add
  // up exactly to the grant.
  kProportional,
  // Positions in application order get their full amount until the grant
  // is used up; the position where it runs out gets the rest, later ones 0.
  kInOrder,
};

// "anteilig" / "reihenfolge" (the configuration's words) and back.
const char* ToString(CapSplit s);
std::optional<CapSplit> ParseCapSplit(const std::string& s);

struct ProgrammeRules {
  std::string code = "IM-2017";
  Date window_from{2017, 7, 24};
  Date window_to{2017, 12, 31};
  // Fixed amount in euros per full VZÄ per 12 months, by qualification.
  Decimal rate_a = Decimal::FromMicros(58000'000000);
  Decimal rate_b = Decimal::FromMicros(52000'000000);
  Decimal rate_c = Decimal::FromMicros(46000'000000);
  // Planning budget in euros per person counted, for the whole period.
  Decimal per_head = Decimal::FromMicros(796'080000);
  Money minimum = Money::FromCents(51000'00);
  Decimal tranche_percent = Decimal::FromMicros(60'000000);
  int tranche_year = 2017;
  CapSplit cap_split = CapSplit::kProportional;
  // Count date (Stichtag) of the persons in the reference table.
  Date count_date{2017, 9, 15};
  // Period in which decisions of this programme are plausible; a decision
  // (and letter) dated outside it is refused. Unset: no limit.
  std::optional<Date> decision_from;
  std::optional<Date> decision_to;
  // The programme's funding guideline, named in letters as legal basis.
  std::string guideline =
      "Fördergrundsätze für das Integrationsmanagement im Rahmen des Paktes "
      "für Integration";
  std::optional<Date> guideline_date;

  Decimal RateFor(Qualification q) const;
};

// Ok if a decision dated `date` may be made under `rules`: inside the
// decision period (when set) and not before the count date of the
// reference table (a letter never names a count date after its own date).
// Otherwise kInvalidInput with a German message naming both dates.
Status CheckDecisionDate(const ProgrammeRules& rules, const Date& date);

struct Municipality {
  std::string ags;
  std::string name;
  std::string kind;     // Gemeinde | Stadtkreis | Landkreis
  int64_t persons = 0;  // PersonenAU on ProgrammeRules::count_date
  // Postal address of the town hall (optional: empty when the table has
  // none); copies of joint applications' letters go there.
  std::string street = {};
  std::string postcode = {};
  std::string city = {};
};

// AGS -> municipality. Immutable after loading; safe to share across
// threads for reading.
class ReferenceTable {
 public:
  // Parses UTF-8 CSV with the header "AGS;Name;Art;PersonenAU" or, with
  // the optional address, "AGS;Name;Art;PersonenAU;Strasse;PLZ;Ort"; then a
  // row has 4 fields (no address) or 7 (address fields may be empty; a PLZ
  // has five digits). Errors name the line. An AGS listed twice is an
  // error.
  static Result<ReferenceTable> ParseCsv(std::string_view csv);

  const Municipality* Find(const std::string& ags) const;
  size_t size() const { return by_ags_.size(); }

 private:
  std::map<std::string, Municipality> by_ags_;
};

}  // namespace bescheid::core

#endif  // BESCHEID_CORE_PROGRAMME_H_
