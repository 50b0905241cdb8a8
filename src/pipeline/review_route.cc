// The review route of the pipeline: a scanned document a person corrected
// in the review station is assembled, checked and decided along the same
// way a cleanly read scan takes (scan_route.cc, DecideApplication).
#include <algorithm>

#include "core/receipt.h"
#include "forms/assemble.h"
#include "pipeline/pipeline.h"

namespace bescheid::pipeline {
namespace {

// Rows of `group` the fields name (the highest row + 1).
int RowsOf(const std::vector<CorrectedField>& fields,
           const std::string& group) {
  int rows = 0;
  for (const CorrectedField& f : fields) {
    const auto [g, row] = forms::RowOfFieldId(f.id);
    if (g == group) rows = std::max(rows, row + 1);
  }
  return rows;
}

// The layout field of `f` among the placed pages (ids are unique in a
// form; a checkbox is told apart by its value); null if there is none.
const forms::Field* FindField(const std::vector<forms::PlacedPage>& placed,
                              const CorrectedField& f) {
  for (const forms::PlacedPage& page : placed) {
    for (const forms::Field& field : page.fields) {
      if (field.id != f.id) continue;
      if (field.kind == forms::FieldKind::kCheck && field.value != f.option) {
        continue;
      }
      return &field;
    }
  }
  return nullptr;
}

Outcome FailedWith(const Status& s) {
  Outcome o;
  o.kind = Outcome::Kind::kFailed;
  o.message = s.message();
  o.failure = s.code();
  return o;
}

}  // namespace

std::string ReviewCropName(const std::string& field_id, int page) {
  std::string name =
      field_id.empty() ? "seite-" + std::to_string(page + 1) : field_id;
  for (char& c : name) {
    const bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
                    (c >= '0' && c <= '9') || c == '.' || c == '-';
    if (!ok) c = '_';
  }
  return "feld-" + name + ".png";
}

CorrectionResult Pipeline::DecideCorrected(const CorrectedCase& c,
                                           const forms::FormLayout& layout,
                                           OutputSink& sink,
                                           letters::LetterRenderer* renderer) {
  CorrectionResult result;
  const std::vector<forms::PlacedPage> placed = forms::PlacePages(
      layout, RowsOf(c.fields, "position"), RowsOf(c.fields, "member"));
  std::vector<forms::FieldText> texts;
  bool signed_by_hand = c.signature_present;
  for (const CorrectedField& f : c.fields) {
    texts.push_back({FindField(placed, f), f.id, f.value});
    if (f.id == "signature.image") signed_by_hand = f.value == "X";
  }
  std::vector<forms::AssemblyProblem> assembly;
  core::Application app = forms::AssembleApplication(texts, &assembly);
  for (const forms::AssemblyProblem& p : assembly) {
    result.problems.push_back(p.message);
  }
  if (!result.problems.empty()) return result;
  if (app.programme != settings_.rules.code) {
    result.problems.push_back("Der Antrag nennt das Programm '" +
                              app.programme + "'; hier wird nur '" +
                              settings_.rules.code + "' bearbeitet.");
    return result;
  }
  const Arrival arrival{
      xml::Channel::kScan,
      core::ScanReceiptDate(c.review.file_name, c.fallback_receipt)};
  for (const core::Implausibility& finding :
       CheckScanned(app, c.review.file_name, arrival.receipt->date)) {
    result.problems.push_back(finding.text);
  }
  if (!result.problems.empty()) return result;
  app.signed_by = signed_by_hand ? core::SignatureKind::kHandwritten
                                 : core::SignatureKind::kMissing;

  Input input;
  input.name = c.review.file_name;
  input.sequence = c.review.sequence;
  input.corrected_by = c.corrected_by;
  Result<std::optional<store::InputRecord>> earlier =
      journal_->FindInput(c.review.sha256);
  if (!earlier.ok()) {
    result.outcome = FailedWith(earlier.status());
    return result;
  }
  if (*earlier && (*earlier)->state == store::InputState::kDecided) {
    // Decided before (saved again after a crash before the case closed).
    result.outcome.kind = Outcome::Kind::kDuplicate;
    result.outcome.aktenzeichen = (*earlier)->aktenzeichen;
    return result;
  }
  std::vector<std::string> covered;
  try {
    result.outcome = DecideOutOfTurn(input, c.review.sha256, app, arrival, sink,
                                     renderer, &covered);
  } catch (const std::exception& e) {
    result.outcome =
        FailedWith(InternalError(std::string("internal error: ") + e.what()));
  }
  switch (result.outcome.kind) {
    case Outcome::Kind::kDeferred:
      result.problems.push_back(
          "Eine frühere Eingabe für dieselbe Gemeinde ist noch nicht "
          "entschieden" +
          (result.outcome.waits_for_review.empty()
               ? std::string(".")
               : " ('" + result.outcome.waits_for_review + "' in Prüfung).") +
          " Der Antrag wird entschieden, sobald sie es ist: bitte später "
          "erneut speichern.");
      break;
    case Outcome::Kind::kReview:
    case Outcome::Kind::kRejected:
      result.problems.push_back(result.outcome.message);
      break;
    default:
      break;
  }
  return result;
}

}  // namespace bescheid::pipeline
