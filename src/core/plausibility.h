// The programme's sum and plausibility checks on an application read from
// a scanned paper form. Portal XML passes the same schema, but what OCR
// reads can be a valid value that is still wrong (a year misread, a digit
// of one position's VZÄ swapped): facts the form states together must fit
// each other and the programme. A finding sends the document to a person;
// it never changes a decision. Pure: no I/O; thread-safe.
#ifndef BESCHEID_CORE_PLAUSIBILITY_H_
#define BESCHEID_CORE_PLAUSIBILITY_H_

#include <string>
#include <vector>

#include "core/application.h"
#include "core/date.h"
#include "core/programme.h"

namespace bescheid::core {

// One fact on the form that does not fit.
struct Implausibility {
  // The form fields concerned, by their placed ids in the form layout
  // (templates/forms/, docs/forms.md): "position[1].fte", "signature.date",
  // "member[0].ags" (rows counted from 0 over the whole form).
  std::vector<std::string> fields;
  // German, for the person who checks the form; names the fields as the
  // form labels them ("Stelle 2, VZÄ").
  std::string text;
};

// The checks, in this order (each finding names its fields):
// - each position: VZÄ 0,25 .. 1,00; 1 .. 24 months; its start in one of
//   the programme's two budget years (January of rules.tranche_year to
//   December of the next year: the programme runs 24 months and allows
//   backdating to the first January);
// - sum: the VZÄ of one person's positions (the same name) add up to at
//   most 1,00;
// - the signature date lies neither after `receipt` (the date the scan
//   came in) nor before the first January of rules.tranche_year, and the
//   authority's receipt stamp on the form (if any) not before it;
// - no member of a joint application is named twice or is the applicant.
// Empty when everything fits.
std::vector<Implausibility> CheckPlausibility(const Application& app,
                                              const ProgrammeRules& rules,
                                              const Date& receipt);

}  // namespace bescheid::core

#endif  // BESCHEID_CORE_PLAUSIBILITY_H_
