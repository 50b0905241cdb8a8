#include "core/decision.h"

#include <algorithm>

#include "core/format.h"
#include "core/identifiers.h"

namespace bescheid::core {
namespace {

// E_i = rate x VZÄ x months / 12, in cents, as the exact fraction num / kDen.
// rate is in micro-euros, VZÄ in hundredths: euros x 100 (cents) x h / 100
// x months / 12 = micros x h x months / (10^6 x 12).
constexpr Int128 kDen = static_cast<Int128>(Decimal::kScale) * 12;

Int128 ExactAmountNum(const Position& p, Decimal rate, int months) {
  return static_cast<Int128>(rate.micros()) * p.fte_hundredths * months;
}

std::string Label(const Application& app, const std::string& ags) {
  return NameOf(app, ags) + " (AGS " + ags + ")";
}

}  // namespace

std::vector<Money> SplitGrant(Money total, const std::vector<Money>& amounts,
                              CapSplit rule) {
  std::vector<Money> out(amounts.size());
  if (amounts.empty()) return out;
  Money sum;
  for (Money m : amounts) sum += m;
  Money left = total;
  for (size_t i = 0; i + 1 < amounts.size(); ++i) {
    if (rule == CapSplit::kInOrder) {
      out[i] = Min(amounts[i], left);
    } else if (sum.cents() > 0) {
      out[i] = Money::FromWideCents(
          RoundHalfUp(static_cast<Int128>(total.cents()) * amounts[i].cents(),
                      sum.cents()));
      out[i] = Min(out[i], left);
    }
    left = left - out[i];
  }
  out.back() = left;
  return out;
}

const char* ToString(DecisionKind k) {
  switch (k) {
    case DecisionKind::kBewilligung:
      return "BEWILLIGUNG";
    case DecisionKind::kTeilbewilligung:
      return "TEILBEWILLIGUNG";
    case DecisionKind::kAblehnung:
      return "ABLEHNUNG";
    case DecisionKind::kNachforderung:
      return "NACHFORDERUNG";
  }
  return "";
}

bool IsGrant(DecisionKind k) {
  return k == DecisionKind::kBewilligung || k == DecisionKind::kTeilbewilligung;
}

bool Decision::HasReason(const std::string& code) const {
  return std::any_of(reasons.begin(), reasons.end(),
                     [&](const Reason& r) { return r.code == code; });
}

std::vector<std::string> CoveredAgs(const Application& app) {
  std::vector<std::string> out{app.ags};
  for (const Member& m : app.members) {
    if (std::find(out.begin(), out.end(), m.ags) == out.end()) {
      out.push_back(m.ags);
    }
  }
  return out;
}

Decision Decide(const Application& app, const ProgrammeRules& rules,
                const ReferenceTable& reference, const DecisionInputs& inputs) {
  Decision d;

  // 1. Eligible expenditure: per position rounded, then summed.
  Int128 sum_num = 0, sum_num_tranche_year = 0;
  for (const Position& p : app.positions) {
    const Decimal rate = rules.RateFor(p.qualification);
    const Int128 num = ExactAmountNum(p, rate, p.months);
    sum_num += num;
    sum_num_tranche_year += ExactAmountNum(
        p, rate, MonthsInYear(p.start, p.months, rules.tranche_year));
    const Money amount = Money::FromWideCents(RoundHalfUp(num, kDen));
    d.position_amounts.push_back(amount);
    d.eligible += amount;
  }

  // 2. Planning budget over every known AGS the application covers, each
  //    counted once.
  const std::vector<std::string> covered = CoveredAgs(app);
  for (const std::string& ags : covered) {
    const Municipality* m = reference.Find(ags);
    if (m == nullptr) {
      d.unknown_ags.push_back(ags);
      continue;
    }
    // per_head micro-euros x persons / 10^4 = cents.
    d.planning_budget += Money::FromWideCents(
        RoundHalfUp(static_cast<Int128>(rules.per_head.micros()) * m->persons,
                    Decimal::kScale / 100));
  }

  // 3. Rejection.
  if (!d.unknown_ags.empty()) {
    std::vector<std::string> labels;
    for (const auto& ags : d.unknown_ags) labels.push_back(Label(app, ags));
    d.reasons.push_back(
        {kNichtAntragsberechtigt,
         (labels.size() == 1
              ? labels[0] + " ist nicht im Verzeichnis der antragsberechtigten "
                            "Kommunen enthalten."
              : JoinGerman(labels) +
                    " sind nicht im Verzeichnis der antragsberechtigten "
                    "Kommunen enthalten.") +
             " Antragsberechtigt sind nur Gemeinden, Stadtkreise und "
             "Landkreise, für die Personen in der Anschlussunterbringung "
             "nach § 29d Abs. 1 FAG gezählt wurden."});
  }
  if (inputs.receipt_date < rules.window_from ||
      rules.window_to < inputs.receipt_date) {
    d.reasons.push_back(
        {kAusserhalbAntragszeitraum,
         "Der Antrag ist am " + FormatGerman(inputs.receipt_date) +
             " eingegangen und damit außerhalb des Antragszeitraums vom " +
             FormatGerman(rules.window_from) + " bis zum " +
             FormatGerman(rules.window_to) + "."});
  }
  for (const PriorGrant& g : inputs.prior_grants) {
    if (std::find(covered.begin(), covered.end(), g.ags) != covered.end()) {
      d.conflicting_grants.push_back(g);
    }
  }
  if (!d.conflicting_grants.empty()) {
    std::vector<std::string> parts;
    for (const PriorGrant& g : d.conflicting_grants) {
      parts.push_back("für " + Label(app, g.ags) + " mit Bescheid " +
                      g.aktenzeichen);
    }
    d.reasons.push_back(
        {kDoppelfoerderung,
         "Eine Förderung des Integrationsmanagements wurde bereits " +
             JoinGerman(parts) +
             " bewilligt. Eine Doppelförderung ist ausgeschlossen."});
  }
  if (d.reasons.empty() && d.planning_budget < rules.minimum) {
    d.reasons.push_back(
        {kUnterMindestbetrag,
         "Der Planungsrahmen beträgt " + FormatEuro(d.planning_budget) +
             " und liegt damit unter dem Mindestbetrag von " +
             FormatEuro(rules.minimum) +
             ". Kommunen mit einem geringeren Planungsrahmen können sich zu "
             "einem interkommunalen Zusammenschluss verbinden und gemeinsam "
             "einen Antrag stellen."});
  }
  if (!d.reasons.empty()) {
    d.kind = DecisionKind::kAblehnung;
    return d;
  }

  // 4. Request for missing items.
  std::vector<std::string> without_proof;
  for (size_t i = 0; i < app.positions.size(); ++i) {
    if (!app.positions[i].proof_attached) {
      d.positions_without_proof.push_back(i);
      without_proof.push_back("Stelle " + std::to_string(i + 1) + " (" +
                              app.positions[i].person + ")");
    }
  }
  if (!without_proof.empty()) {
    d.reasons.push_back(
        {kNachweisFehlt, "Der Nachweis der Qualifikation fehlt für " +
                             JoinGerman(without_proof) + "."});
  }
  if (!IsValidIban(app.bank.iban)) {
    d.reasons.push_back(
        {kIbanUngueltig, "Die angegebene IBAN " + FormatIban(app.bank.iban) +
                             " ist ungültig (die Prüfziffer stimmt nicht)."});
  }
  if (!app.declarations.complete_and_correct) {
    d.missing_declarations.push_back(
        "Versicherung der Vollständigkeit und Richtigkeit der Angaben");
  }
  if (!app.declarations.no_double_funding) {
    d.missing_declarations.push_back(
        "Erklärung, dass keine Doppelförderung vorliegt");
  }
  if (!app.declarations.accepts_anbest_k) {
    d.missing_declarations.push_back("Anerkennung der ANBest-K");
  }
  if (!d.missing_declarations.empty()) {
    d.reasons.push_back(
        {kErklaerungFehlt, "Folgende Erklärungen wurden nicht abgegeben: " +
                               JoinGerman(d.missing_declarations) + "."});
  }
  if (app.signed_by == SignatureKind::kMissing) {
    d.reasons.push_back(
        {kUnterschriftFehlt,
         "Der Antrag trägt nicht die Unterschrift der vertretungsberechtigten "
         "Person."});
  }
  if (!d.reasons.empty()) {
    d.kind = DecisionKind::kNachforderung;
    return d;
  }

  // 5. Grant, capped by the planning budget.
  d.granted = Min(d.eligible, d.planning_budget);
  if (d.granted < d.eligible) {
    d.kind = DecisionKind::kTeilbewilligung;
    d.reasons.push_back(
        {kGekapptPlanungsrahmen,
         "Die förderfähigen Ausgaben von " + FormatEuro(d.eligible) +
             " übersteigen den Planungsrahmen von " +
             FormatEuro(d.planning_budget) +
             ". Die Zuwendung ist auf den Planungsrahmen begrenzt."});
  } else {
    d.kind = DecisionKind::kBewilligung;
  }
  d.granted_position_amounts =
      SplitGrant(d.granted, d.position_amounts, rules.cap_split);

  // 6. Share of the tranche year and first tranche.
  if (sum_num > 0) {
    d.share_tranche_year = Money::FromWideCents(RoundHalfUp(
        static_cast<Int128>(d.granted.cents()) * sum_num_tranche_year,
        sum_num));
  }
  // percent micros x cents / (10^6 x 100).
  d.first_tranche = Money::FromWideCents(
      RoundHalfUp(static_cast<Int128>(rules.tranche_percent.micros()) *
                      d.share_tranche_year.cents(),
                  static_cast<Int128>(Decimal::kScale) * 100));
  return d;
}

}  // namespace bescheid::core
