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

  Decimal RateFor(Qualification q) const;
};

struct Municipality {
  std::string ags;
  std::string name;
  std::string kind;     // Gemeinde | Stadtkreis | Landkreis
  int64_t persons = 0;  // PersonenAU on 15.09.2017
};

// AGS -> municipality. Immutable after loading; safe to share across
// threads for reading.
class ReferenceTable {
 public:
  // Parses UTF-8 CSV with the header "AGS;Name;Art;PersonenAU". Errors name
  // the line. An AGS listed twice is an error.
  static Result<ReferenceTable> ParseCsv(std::string_view csv);

  const Municipality* Find(const std::string& ags) const;
  size_t size() const { return by_ags_.size(); }

 private:
  std::map<std::string, Municipality> by_ags_;
};

}  // namespace bescheid::core

#endif  // BESCHEID_CORE_PROGRAMME_H_
