// An application from the texts of its form's fields: the one assembly the
// scan reader (a form read without data barcode, scan/reader.cc) and a
// review case's corrections (pipeline/review_route.cc) share, so that a
// corrected form is assembled exactly as a form read cleanly would be.
//
// Pure; safe to call from any thread.
#ifndef BESCHEID_FORMS_ASSEMBLE_H_
#define BESCHEID_FORMS_ASSEMBLE_H_

#include <string>
#include <vector>

#include "core/application.h"
#include "forms/layout.h"

namespace bescheid::forms {

// One field's text (as FieldValue writes it).
struct FieldText {
  const Field* field = nullptr;  // its layout field; null: none, skipped
  std::string id;                // the placed id, "position[2].fte"
  std::string value;
};

enum class AssemblyProblemKind {
  kUnparsable,  // the text is no value of its field (ApplyFieldValue)
  kAmbiguous,   // a choice with no box or several boxes ticked
  kRowGap,      // an empty row of a group before filled ones
};

struct AssemblyProblem {
  AssemblyProblemKind kind = AssemblyProblemKind::kUnparsable;
  std::string field_id;  // placed id, or "group[row]" for a gap
  std::string message;   // German
  int index = -1;        // into the texts given; -1: no single text
};

// Applies every text to an empty application (ApplyFieldValue); the
// fields of a row (position[i], member[i]) in which nothing is filled are
// left out. Then the structure: a choice (applicant.kind, each filled
// position's qualification) needs exactly one ticked box ("X"), and rows
// of a group are filled from the first on. What does not fit is added to
// `problems` (in the texts' order, then choices by id, then gaps); the
// application holds what did. Values are not validated otherwise.
core::Application AssembleApplication(const std::vector<FieldText>& texts,
                                      std::vector<AssemblyProblem>* problems);

// "position[2].fte" -> {"position", 2}; {"", -1} for an id without a row.
std::pair<std::string, int> RowOfFieldId(const std::string& id);

}  // namespace bescheid::forms

#endif  // BESCHEID_FORMS_ASSEMBLE_H_
