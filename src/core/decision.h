// The programme's decision rules: a pure function from an application, the
// programme's parameters, the reference table and the relevant history to a
// decision with exact amounts and German reasons.
#ifndef BESCHEID_CORE_DECISION_H_
#define BESCHEID_CORE_DECISION_H_

#include <optional>
#include <string>
#include <vector>

#include "core/application.h"
#include "core/date.h"
#include "core/money.h"
#include "core/programme.h"

namespace bescheid::core {

enum class DecisionKind {
  kBewilligung,
  kTeilbewilligung,
  kAblehnung,
  kNachforderung
};

// "BEWILLIGUNG", "TEILBEWILLIGUNG", "ABLEHNUNG", "NACHFORDERUNG".
const char* ToString(DecisionKind k);
bool IsGrant(DecisionKind k);

// Reason codes, as written to decision records.
inline constexpr char kNichtAntragsberechtigt[] = "NICHT_ANTRAGSBERECHTIGT";
inline constexpr char kAusserhalbAntragszeitraum[] =
    "AUSSERHALB_ANTRAGSZEITRAUM";
inline constexpr char kDoppelfoerderung[] = "DOPPELFOERDERUNG";
inline constexpr char kUnterMindestbetrag[] = "UNTER_MINDESTBETRAG";
inline constexpr char kNachweisFehlt[] = "NACHWEIS_FEHLT";
inline constexpr char kIbanUngueltig[] = "IBAN_UNGUELTIG";
inline constexpr char kErklaerungFehlt[] = "ERKLAERUNG_FEHLT";
inline constexpr char kGekapptPlanungsrahmen[] = "GEKAPPT_PLANUNGSRAHMEN";
// A scanned paper form without the signature of the person entitled to
// represent the applicant (decision record 1.3).
inline constexpr char kUnterschriftFehlt[] = "UNTERSCHRIFT_FEHLT";
// Every reason code, in the order above.
inline constexpr const char* kReasonCodes[] = {
    kNichtAntragsberechtigt, kAusserhalbAntragszeitraum,
    kDoppelfoerderung,       kUnterMindestbetrag,
    kNachweisFehlt,          kIbanUngueltig,
    kErklaerungFehlt,        kGekapptPlanungsrahmen,
    kUnterschriftFehlt};

struct Reason {
  std::string code;
  std::string text;  // one or more German sentences
};

// An earlier grant that covers a municipality (as applicant or member).
struct PriorGrant {
  std::string ags;
  std::string aktenzeichen;
  std::optional<Date> date = std::nullopt;  // of the earlier decision, if known
};

struct DecisionInputs {
  Date receipt_date;
  // Earlier BEWILLIGUNG/TEILBEWILLIGUNG decisions covering any AGS of the
  // application; the store supplies them.
  std::vector<PriorGrant> prior_grants;
};

struct Decision {
  DecisionKind kind = DecisionKind::kAblehnung;
  std::vector<Reason> reasons;
  Money eligible;                       // Foerderfaehig
  Money planning_budget;                // Planungsrahmen
  Money granted;                        // Bewilligt
  Money share_tranche_year;             // Anteil2017
  Money first_tranche;                  // ErsteTranche
  std::vector<Money> position_amounts;  // rounded, in application order
  // Grants only: the granted amount divided among the positions (by
  // ProgrammeRules::cap_split when capped); adds up exactly to `granted`.
  std::vector<Money> granted_position_amounts;
  // Details behind the reasons, for letters that must name each item.
  std::vector<std::string> unknown_ags;
  std::vector<PriorGrant> conflicting_grants;
  std::vector<size_t> positions_without_proof;    // 0-based indexes
  std::vector<std::string> missing_declarations;  // German names

  bool HasReason(const std::string& code) const;
};

// Every AGS the application covers: the applicant's, then each member's, in
// order, without repetition.
std::vector<std::string> CoveredAgs(const Application& app);

// Divides `total` (at most the sum of `amounts`) among `amounts` by `rule`.
// The result has one entry per amount, none negative, and adds up exactly
// to `total`. Pure.
std::vector<Money> SplitGrant(Money total, const std::vector<Money>& amounts,
                              CapSplit rule);

// Decides `app` by the programme's rules (see docs/architecture.md and the
// issue text for their normative statement). Pure and deterministic;
// thread-safe.
Decision Decide(const Application& app, const ProgrammeRules& rules,
                const ReferenceTable& reference, const DecisionInputs& inputs);

}  // namespace bescheid::core

#endif  // BESCHEID_CORE_DECISION_H_
