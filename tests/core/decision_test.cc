#include "core/decision.h"

#include <gtest/gtest.h>

#include <random>

namespace bescheid::core {
namespace {

// Reference table: Tettnang (166 persons -> 132,149.28 EUR), Offenburg (368
// -> 292,957.44), three small Bodensee municipalities, one tiny one.
ReferenceTable Reference() {
  return *ReferenceTable::ParseCsv(
      "AGS;Name;Art;PersonenAU\n"
      "08435059;Tettnang;Gemeinde;166\n"
      "08317096;Offenburg;Gemeinde;368\n"
      "08435036;Kressbronn am Bodensee;Gemeinde;41\n"
      "08435016;Eriskirch;Gemeinde;22\n"
      "08435040;Langenargen;Gemeinde;29\n"
      "08337126;Todtnau;Gemeinde;38\n");
}

Position MakePosition(Qualification q, int fte, YearMonth start, int months,
                      bool proof = true) {
  Position p;
  p.person = "Person";
  p.qualification = q;
  p.fte_hundredths = fte;
  p.start = start;
  p.months = months;
  p.proof_attached = proof;
  return p;
}

Application Tettnang() {
  Application a;
  a.programme = "IM-2017";
  a.name = "Stadt Tettnang";
  a.ags = "08435059";
  a.bank.iban = "DE41600501017405502051";
  a.positions = {MakePosition(Qualification::kA, 100, {2017, 9}, 24)};
  a.declarations = {true, true, true};
  return a;
}

class DecideTest : public ::testing::Test {
 protected:
  Decision Run(const Application& a, Date receipt = {2017, 8, 14},
               std::vector<PriorGrant> prior = {}) {
    return Decide(a, rules_, reference_, DecisionInputs{receipt, prior});
  }
  std::vector<std::string> Codes(const Decision& d) {
    std::vector<std::string> out;
    for (const Reason& r : d.reasons) out.push_back(r.code);
    return out;
  }

  ProgrammeRules rules_;
  ReferenceTable reference_ = Reference();
};

// --- Rule 1: eligible expenditure --------------------------------------

TEST_F(DecideTest, PositionAmountIsRateTimesFteTimesMonthsOverTwelve) {
  Application a = Tettnang();
  a.positions = {MakePosition(Qualification::kA, 100, {2017, 9}, 24),
                 MakePosition(Qualification::kB, 50, {2017, 9}, 12),
                 MakePosition(Qualification::kC, 25, {2017, 9}, 6)};
  Decision d = Run(a);
  ASSERT_EQ(d.position_amounts.size(), 3u);
  EXPECT_EQ(d.position_amounts[0].cents(), 116000'00);  // 58000 x 1 x 24/12
  EXPECT_EQ(d.position_amounts[1].cents(), 26000'00);   // 52000 x .5 x 12/12
  EXPECT_EQ(d.position_amounts[2].cents(), 5750'00);    // 46000 x .25 x 6/12
  EXPECT_EQ(d.eligible.cents(), 147750'00);
}

TEST_F(DecideTest, EligibleIsTheSumOfRoundedPositionAmounts) {
  // 46000 x 0.25 x 7 / 12 = 6708.3333...: each position rounds to 6708.33.
  // Summing first and rounding once would give 13416.67; the rule sums the
  // rounded amounts, so the letter's table adds up to its total.
  Application a = Tettnang();
  a.positions = {MakePosition(Qualification::kC, 25, {2017, 9}, 7),
                 MakePosition(Qualification::kC, 25, {2017, 9}, 7)};
  Decision d = Run(a);
  EXPECT_EQ(d.position_amounts[0].cents(), 6708'33);
  EXPECT_EQ(d.eligible.cents(), 13416'66);
}

TEST_F(DecideTest, PositionAmountRoundsHalfUp) {
  // 58000.02 x 0.25 x 12 / 12 = 14500.005 -> 14500.01 (half up); banker's
  // rounding or truncation would give 14500.00.
  rules_.rate_a = *Decimal::Parse("58000.02");
  Application a = Tettnang();
  a.positions = {MakePosition(Qualification::kA, 25, {2017, 9}, 12)};
  EXPECT_EQ(Run(a).position_amounts[0].cents(), 14500'01);
}

TEST_F(DecideTest, PositionAmountRoundsDownBelowHalf) {
  // 52000 x 0.33 x 5 / 12 = 7150.00; 46000 x 0.33 x 5 / 12 = 6325.00;
  // 58000 x 0.33 x 7 / 12 = 11165.00; 58000 x .27 x 1/12 = 1305.00 exactly;
  // 46000 x 0.26 x 1 / 12 = 996.6666 -> 996.67; 52000 x 0.26 x 1/12 =
  // 1126.6666 -> 1126.67; 46000 x .25 x 1 / 12 = 958.3333 -> 958.33.
  Application a = Tettnang();
  a.positions = {MakePosition(Qualification::kC, 26, {2017, 9}, 1),
                 MakePosition(Qualification::kC, 25, {2017, 9}, 1)};
  Decision d = Run(a);
  EXPECT_EQ(d.position_amounts[0].cents(), 996'67);
  EXPECT_EQ(d.position_amounts[1].cents(), 958'33);
}

// --- Rule 2: planning budget -------------------------------------------

TEST_F(DecideTest, PlanningBudgetIsPerHeadTimesPersons) {
  EXPECT_EQ(Run(Tettnang()).planning_budget.cents(), 132149'28);
}

TEST_F(DecideTest, PlanningBudgetSumsApplicantAndKnownMembersOnce) {
  Application a = Tettnang();
  a.ags = "08435036";                        // Kressbronn 41
  a.members = {{"08435016", "Eriskirch"},    // 22
               {"08435040", "Langenargen"},  // 29
               {"08435016", "Eriskirch"}};   // listed twice: counted once
  // 92 persons x 796.08 = 73,239.36
  EXPECT_EQ(Run(a).planning_budget.cents(), 73239'36);
}

TEST_F(DecideTest, PlanningBudgetRoundsEachMunicipalityHalfUp) {
  rules_.per_head = *Decimal::Parse("796.085");  // x 166 = 132150.11
  Application a = Tettnang();
  a.members = {{"08435016", "Eriskirch"}};  // x 22 = 17513.87
  EXPECT_EQ(Run(a).planning_budget.cents(), 132150'11 + 17513'87);
  rules_.per_head = *Decimal::Parse("0.125");  // x 22 = 2.75, x 166 = 20.75
  EXPECT_EQ(Run(a).planning_budget.cents(), 20'75 + 2'75);
  rules_.per_head = *Decimal::Parse("0.0125");  // x166=2.075, x22=0.275
  EXPECT_EQ(Run(a).planning_budget.cents(), 208 + 28);
}

// --- Rule 3: rejection ---------------------------------------------------

TEST_F(DecideTest, UnknownApplicantIsNotEntitled) {
  Application a = Tettnang();
  a.ags = "08999001";
  a.name = "Musterhausen";
  Decision d = Run(a);
  EXPECT_EQ(d.kind, DecisionKind::kAblehnung);
  EXPECT_EQ(Codes(d), std::vector<std::string>{kNichtAntragsberechtigt});
  EXPECT_NE(d.reasons[0].text.find("Musterhausen (AGS 08999001)"),
            std::string::npos);
  EXPECT_EQ(d.unknown_ags, std::vector<std::string>{"08999001"});
  // Amounts are still reported; nothing is granted.
  EXPECT_EQ(d.eligible.cents(), 116000'00);
  EXPECT_EQ(d.planning_budget.cents(), 0);
  EXPECT_EQ(d.granted.cents(), 0);
  EXPECT_EQ(d.share_tranche_year.cents(), 0);
  EXPECT_EQ(d.first_tranche.cents(), 0);
}

TEST_F(DecideTest, UnknownMemberMakesTheJointApplicationIneligible) {
  Application a = Tettnang();
  a.members = {{"08435016", "Eriskirch"}, {"08999002", "Nirgendwo"}};
  Decision d = Run(a);
  EXPECT_EQ(d.kind, DecisionKind::kAblehnung);
  EXPECT_TRUE(d.HasReason(kNichtAntragsberechtigt));
  EXPECT_NE(d.reasons[0].text.find("Nirgendwo"), std::string::npos);
  // Known ones still count towards the reported planning budget.
  EXPECT_EQ(d.planning_budget.cents(), 132149'28 + 17513'76);
}

TEST_F(DecideTest, ReceiptWindowIsInclusive) {
  EXPECT_EQ(Run(Tettnang(), {2017, 7, 24}).kind, DecisionKind::kBewilligung);
  EXPECT_EQ(Run(Tettnang(), {2017, 12, 31}).kind, DecisionKind::kBewilligung);
  Decision before = Run(Tettnang(), {2017, 7, 23});
  EXPECT_EQ(before.kind, DecisionKind::kAblehnung);
  EXPECT_EQ(Codes(before),
            std::vector<std::string>{kAusserhalbAntragszeitraum});
  EXPECT_NE(before.reasons[0].text.find("23.07.2017"), std::string::npos);
  EXPECT_NE(before.reasons[0].text.find("24.07.2017 bis zum 31.12.2017"),
            std::string::npos);
  EXPECT_EQ(Run(Tettnang(), {2018, 1, 1}).kind, DecisionKind::kAblehnung);
}

TEST_F(DecideTest, EarlierGrantForApplicantOrMemberIsDoubleFunding) {
  Decision d =
      Run(Tettnang(), {2017, 8, 14}, {{"08435059", "RPS15-IM-2017-00001"}});
  EXPECT_EQ(d.kind, DecisionKind::kAblehnung);
  EXPECT_EQ(Codes(d), std::vector<std::string>{kDoppelfoerderung});
  EXPECT_NE(d.reasons[0].text.find("RPS15-IM-2017-00001"), std::string::npos);

  Application joint = Tettnang();
  joint.members = {{"08435016", "Eriskirch"}};
  Decision m = Run(joint, {2017, 8, 14}, {{"08435016", "RPS15-IM-2017-00007"}});
  EXPECT_TRUE(m.HasReason(kDoppelfoerderung));
  ASSERT_EQ(m.conflicting_grants.size(), 1u);
  EXPECT_EQ(m.conflicting_grants[0].ags, "08435016");
}

TEST_F(DecideTest, GrantsForOtherMunicipalitiesDoNotConflict) {
  Decision d =
      Run(Tettnang(), {2017, 8, 14}, {{"08317096", "RPS15-IM-2017-00002"}});
  EXPECT_EQ(d.kind, DecisionKind::kBewilligung);
}

TEST_F(DecideTest, AllRejectionCodesAreCollected) {
  Application a = Tettnang();
  a.members = {{"08999002", "Nirgendwo"}};
  Decision d = Run(a, {2018, 2, 1}, {{"08435059", "RPS15-IM-2017-00001"}});
  EXPECT_EQ(Codes(d), (std::vector<std::string>{kNichtAntragsberechtigt,
                                                kAusserhalbAntragszeitraum,
                                                kDoppelfoerderung}));
}

TEST_F(DecideTest, BelowMinimumOnlyWhenNoOtherRejection) {
  Application small = Tettnang();
  small.ags = "08337126";  // Todtnau: 38 x 796.08 = 30,251.04 < 51,000
  Decision d = Run(small);
  EXPECT_EQ(d.kind, DecisionKind::kAblehnung);
  EXPECT_EQ(Codes(d), std::vector<std::string>{kUnterMindestbetrag});
  EXPECT_NE(d.reasons[0].text.find("30.251,04 EUR"), std::string::npos);
  EXPECT_NE(d.reasons[0].text.find("51.000,00 EUR"), std::string::npos);
  EXPECT_NE(d.reasons[0].text.find("gemeinsam"), std::string::npos);

  Decision late = Run(small, {2018, 1, 2});
  EXPECT_EQ(Codes(late), std::vector<std::string>{kAusserhalbAntragszeitraum});
}

TEST_F(DecideTest, PlanningBudgetExactlyAtMinimumIsEnough) {
  rules_.minimum = Money::FromCents(132149'28);
  EXPECT_EQ(Run(Tettnang()).kind, DecisionKind::kBewilligung);
  rules_.minimum = Money::FromCents(132149'29);
  EXPECT_EQ(Run(Tettnang()).kind, DecisionKind::kAblehnung);
}

TEST_F(DecideTest, JointApplicationReachesMinimumTogether) {
  Application a = Tettnang();
  a.ags = "08435036";
  a.members = {{"08435016", "Eriskirch"}, {"08435040", "Langenargen"}};
  a.positions = {MakePosition(Qualification::kB, 50, {2017, 10}, 24)};
  Decision d = Run(a);
  EXPECT_EQ(d.kind, DecisionKind::kBewilligung);
  EXPECT_EQ(d.granted.cents(), 52000'00);
}

// --- Rule 4: request for missing items --------------------------------

TEST_F(DecideTest, MissingProofNamesEachPosition) {
  Application a = Tettnang();
  a.positions = {MakePosition(Qualification::kA, 50, {2017, 9}, 24, false),
                 MakePosition(Qualification::kA, 50, {2017, 9}, 24, true),
                 MakePosition(Qualification::kA, 25, {2017, 9}, 24, false)};
  a.positions[0].person = "Jana Müller";
  a.positions[2].person = "Ali Kaya";
  Decision d = Run(a);
  EXPECT_EQ(d.kind, DecisionKind::kNachforderung);
  EXPECT_EQ(Codes(d), std::vector<std::string>{kNachweisFehlt});
  EXPECT_EQ(d.positions_without_proof, (std::vector<size_t>{0, 2}));
  EXPECT_NE(
      d.reasons[0].text.find("Stelle 1 (Jana Müller) und Stelle 3 (Ali Kaya)"),
      std::string::npos);
  EXPECT_EQ(d.granted.cents(), 0);
  EXPECT_EQ(d.first_tranche.cents(), 0);
}

TEST_F(DecideTest, InvalidIbanIsRequested) {
  Application a = Tettnang();
  a.bank.iban = "DE41600501017405502052";
  Decision d = Run(a);
  EXPECT_EQ(d.kind, DecisionKind::kNachforderung);
  EXPECT_EQ(Codes(d), std::vector<std::string>{kIbanUngueltig});
  EXPECT_NE(d.reasons[0].text.find("DE41 6005 0101 7405 5020 52"),
            std::string::npos);
}

TEST_F(DecideTest, EachFalseDeclarationIsRequested) {
  for (int which = 0; which < 3; ++which) {
    Application a = Tettnang();
    bool* flags[] = {&a.declarations.complete_and_correct,
                     &a.declarations.no_double_funding,
                     &a.declarations.accepts_anbest_k};
    *flags[which] = false;
    Decision d = Run(a);
    EXPECT_EQ(d.kind, DecisionKind::kNachforderung) << which;
    EXPECT_EQ(Codes(d), std::vector<std::string>{kErklaerungFehlt});
    EXPECT_EQ(d.missing_declarations.size(), 1u);
  }
}

TEST_F(DecideTest, MissingSignatureIsRequestedOnlyWhenReportedMissing) {
  Application a = Tettnang();
  for (SignatureKind k :
       {SignatureKind::kElectronic, SignatureKind::kHandwritten}) {
    a.signed_by = k;
    EXPECT_EQ(Run(a).kind, DecisionKind::kBewilligung);
  }
  a.signed_by = SignatureKind::kMissing;
  Decision d = Run(a);
  EXPECT_EQ(d.kind, DecisionKind::kNachforderung);
  EXPECT_EQ(Codes(d), std::vector<std::string>{kUnterschriftFehlt});
  EXPECT_EQ(d.granted.cents(), 0);
  a.bank.iban = "DE00600501017405502051";
  EXPECT_EQ(Codes(Run(a)),
            (std::vector<std::string>{kIbanUngueltig, kUnterschriftFehlt}));
}

TEST_F(DecideTest, AllRequestCodesAreCollected) {
  Application a = Tettnang();
  a.positions[0].proof_attached = false;
  a.bank.iban = "DE00600501017405502051";
  a.declarations = {false, false, false};
  Decision d = Run(a);
  EXPECT_EQ(Codes(d), (std::vector<std::string>{kNachweisFehlt, kIbanUngueltig,
                                                kErklaerungFehlt}));
  EXPECT_EQ(d.missing_declarations.size(), 3u);
}

TEST_F(DecideTest, RejectionTakesPrecedenceOverRequests) {
  Application a = Tettnang();
  a.positions[0].proof_attached = false;
  Decision d = Run(a, {2018, 3, 1});
  EXPECT_EQ(d.kind, DecisionKind::kAblehnung);
  EXPECT_EQ(Codes(d), std::vector<std::string>{kAusserhalbAntragszeitraum});
}

// --- Rule 5: grant and capping ------------------------------------------

TEST_F(DecideTest, GrantWithinPlanningBudget) {
  Decision d = Run(Tettnang());
  EXPECT_EQ(d.kind, DecisionKind::kBewilligung);
  EXPECT_TRUE(d.reasons.empty());
  EXPECT_EQ(d.granted.cents(), 116000'00);
}

TEST_F(DecideTest, GrantEqualToPlanningBudgetIsNotCapped) {
  rules_.per_head = *Decimal::Parse("698.795180");  // x 166 = 115,999.99988
  Decision d = Run(Tettnang());
  EXPECT_EQ(d.planning_budget.cents(), 116000'00);
  EXPECT_EQ(d.kind, DecisionKind::kBewilligung);
}

TEST_F(DecideTest, GrantCappedByPlanningBudget) {
  Application a = Tettnang();
  a.ags = "08317096";  // Offenburg: 292,957.44
  a.positions = {MakePosition(Qualification::kA, 100, {2017, 7}, 24),
                 MakePosition(Qualification::kB, 100, {2017, 10}, 24),
                 MakePosition(Qualification::kC, 75, {2018, 1}, 24),
                 MakePosition(Qualification::kA, 50, {2017, 9}, 24)};
  Decision d = Run(a);
  EXPECT_EQ(d.kind, DecisionKind::kTeilbewilligung);
  EXPECT_EQ(Codes(d), std::vector<std::string>{kGekapptPlanungsrahmen});
  EXPECT_EQ(d.eligible.cents(), 347000'00);
  EXPECT_EQ(d.planning_budget.cents(), 292957'44);
  EXPECT_EQ(d.granted.cents(), 292957'44);
  // 2017 share: (29000 + 13000 + 0 + 9666.67) / 347000 of the grant.
  // 292957.44 x 155000 / 1041000 = 43619.9847... -> 43619.98
  EXPECT_EQ(d.share_tranche_year.cents(), 43619'98);
  // 60 % of 43619.98 = 26171.988 -> 26171.99
  EXPECT_EQ(d.first_tranche.cents(), 26171'99);
}

// --- Rule 6: share of the tranche year and first tranche ----------------

TEST_F(DecideTest, ShareOfTrancheYearFollowsMonthsInThatYear) {
  Decision d = Run(Tettnang());  // Sep 2017 + 24 months: 4 of 24 in 2017
  EXPECT_EQ(d.share_tranche_year.cents(), 19333'33);  // 116000 x 4/24
  EXPECT_EQ(d.first_tranche.cents(), 11600'00);       // 60 % of 19333.33
}

TEST_F(DecideTest, BackdatedStartCountsTwelveMonths) {
  Application a = Tettnang();
  a.positions[0].start = {2017, 1};
  Decision d = Run(a);
  EXPECT_EQ(d.share_tranche_year.cents(), 58000'00);
  EXPECT_EQ(d.first_tranche.cents(), 34800'00);
}

TEST_F(DecideTest, StartAfterTrancheYearHasNoShare) {
  Application a = Tettnang();
  a.positions[0].start = {2018, 1};
  Decision d = Run(a);
  EXPECT_EQ(d.kind, DecisionKind::kBewilligung);
  EXPECT_EQ(d.share_tranche_year.cents(), 0);
  EXPECT_EQ(d.first_tranche.cents(), 0);
}

TEST_F(DecideTest, FirstTrancheRoundsHalfUp) {
  // 50 % of 19,333.33 = 9,666.665 -> 9,666.67 (banker's: 9,666.66).
  rules_.tranche_percent = *Decimal::Parse("50");
  EXPECT_EQ(Run(Tettnang()).first_tranche.cents(), 9666'67);
}

TEST_F(DecideTest, ShareOfTrancheYearRoundsHalfUp) {
  // Grant 1,000.01 (per-head capped), two equal positions of which one lies
  // wholly in 2017: share = 1000.01 x 1/2 = 500.005 -> 500.01.
  rules_.per_head = *Decimal::Parse("6.024156");  // x 166 = 1000.009896
  rules_.minimum = Money::FromCents(0);
  Application a = Tettnang();
  a.positions = {MakePosition(Qualification::kA, 50, {2017, 1}, 12),
                 MakePosition(Qualification::kA, 50, {2018, 1}, 12)};
  Decision d = Run(a);
  ASSERT_EQ(d.kind, DecisionKind::kTeilbewilligung);
  EXPECT_EQ(d.granted.cents(), 1000'01);
  EXPECT_EQ(d.share_tranche_year.cents(), 500'01);
}

TEST_F(DecideTest, TrancheYearIsConfigurable) {
  rules_.tranche_year = 2018;  // Sep 2017 + 24: 12 of 24 months in 2018
  Decision d = Run(Tettnang());
  EXPECT_EQ(d.share_tranche_year.cents(), 58000'00);
}

// --- Rule 5b: the capped grant divided among the positions -------------

TEST_F(DecideTest, PartialGrantIsSplitProportionallyToTheCent) {
  // Offenburg: 116,000 + 104,000 + 69,000 + 58,000 = 347,000 capped at
  // 292,957.44; shares 97,933.8993 -> 97,933.90, 87,802.8062 -> 87,802.81,
  // 58,253.7849 -> 58,253.78; the last takes the remaining 48,966.95.
  Application a = Tettnang();
  a.ags = "08317096";
  a.positions = {MakePosition(Qualification::kA, 100, {2017, 7}, 24),
                 MakePosition(Qualification::kB, 100, {2017, 10}, 24),
                 MakePosition(Qualification::kC, 75, {2018, 1}, 24),
                 MakePosition(Qualification::kA, 50, {2017, 9}, 24)};
  Decision d = Run(a);
  ASSERT_EQ(d.kind, DecisionKind::kTeilbewilligung);
  ASSERT_EQ(d.granted_position_amounts.size(), 4u);
  EXPECT_EQ(d.granted_position_amounts[0].cents(), 97933'90);
  EXPECT_EQ(d.granted_position_amounts[1].cents(), 87802'81);
  EXPECT_EQ(d.granted_position_amounts[2].cents(), 58253'78);
  EXPECT_EQ(d.granted_position_amounts[3].cents(), 48966'95);
  rules_.cap_split = CapSplit::kInOrder;
  d = Run(a);
  EXPECT_EQ(d.granted_position_amounts[0].cents(), 116000'00);
  EXPECT_EQ(d.granted_position_amounts[1].cents(), 104000'00);
  EXPECT_EQ(d.granted_position_amounts[2].cents(), 69000'00);
  EXPECT_EQ(d.granted_position_amounts[3].cents(), 3957'44);
}

TEST_F(DecideTest, FullGrantSplitIsThePositionAmounts) {
  Decision d = Run(Tettnang());
  ASSERT_EQ(d.kind, DecisionKind::kBewilligung);
  EXPECT_EQ(d.granted_position_amounts, d.position_amounts);
  EXPECT_TRUE(Run(Tettnang(), {2018, 1, 15}).granted_position_amounts.empty());
}

int64_t Sum(const std::vector<Money>& v) {
  int64_t s = 0;
  for (Money m : v) s += m.cents();
  return s;
}

TEST(SplitGrantTest, EdgeCases) {
  using V = std::vector<Money>;
  auto c = [](int64_t x) { return Money::FromCents(x); };
  EXPECT_TRUE(SplitGrant(c(100), {}, CapSplit::kProportional).empty());
  EXPECT_EQ(SplitGrant(c(0), {c(5), c(7)}, CapSplit::kProportional),
            (V{c(0), c(0)}));
  EXPECT_EQ(SplitGrant(c(99), {c(500)}, CapSplit::kProportional), (V{c(99)}));
  // Three equal positions, one cent to share: 0.33 rounds to 0, the last
  // takes the cent.
  EXPECT_EQ(SplitGrant(c(1), {c(3), c(3), c(3)}, CapSplit::kProportional),
            (V{c(0), c(0), c(1)}));
  // Halves round up: 5 x 1/2 = 2.5 -> 3.
  EXPECT_EQ(SplitGrant(c(5), {c(1), c(1)}, CapSplit::kProportional),
            (V{c(3), c(2)}));
  EXPECT_EQ(SplitGrant(c(10), {c(4), c(4), c(4)}, CapSplit::kInOrder),
            (V{c(4), c(4), c(2)}));
  EXPECT_EQ(SplitGrant(c(3), {c(4), c(4), c(4)}, CapSplit::kInOrder),
            (V{c(3), c(0), c(0)}));
  EXPECT_EQ(SplitGrant(c(12), {c(4), c(4), c(4)}, CapSplit::kProportional),
            (V{c(4), c(4), c(4)}));
}

TEST(SplitGrantTest, SharesAddUpExactlyForRandomInputs) {
  std::mt19937_64 rng(20170724);  // fixed seed: the same cases every run
  for (int round = 0; round < 20000; ++round) {
    std::vector<Money> amounts(1 + rng() % 50);
    int64_t sum = 0;
    for (Money& m : amounts) {
      m = Money::FromCents(1 + static_cast<int64_t>(rng() % 11600000));
      sum += m.cents();
    }
    const Money total =
        Money::FromCents(static_cast<int64_t>(rng() % (sum + 1)));
    for (CapSplit rule : {CapSplit::kProportional, CapSplit::kInOrder}) {
      const std::vector<Money> split = SplitGrant(total, amounts, rule);
      ASSERT_EQ(split.size(), amounts.size());
      ASSERT_EQ(Sum(split), total.cents()) << round;
      for (size_t i = 0; i < split.size(); ++i) {
        ASSERT_GE(split[i].cents(), 0) << round;
        if (rule == CapSplit::kInOrder) {
          ASSERT_LE(split[i].cents(), amounts[i].cents()) << round;
        } else if (i + 1 < split.size()) {
          // Within half a cent of the exact share: |s x sum - t x a| <= sum/2.
          const Int128 diff =
              static_cast<Int128>(split[i].cents()) * sum -
              static_cast<Int128>(total.cents()) * amounts[i].cents();
          ASSERT_LE(2 * (diff < 0 ? -diff : diff), static_cast<Int128>(sum))
              << round << " position " << i;
        }
      }
    }
  }
}

TEST(CheckDecisionDateTest, PeriodAndCountDate) {
  ProgrammeRules rules;
  EXPECT_TRUE(CheckDecisionDate(rules, {2026, 11, 25}).ok());  // no period
  rules.decision_from = Date{2017, 9, 15};
  rules.decision_to = Date{2019, 12, 31};
  EXPECT_TRUE(CheckDecisionDate(rules, {2017, 9, 15}).ok());
  EXPECT_TRUE(CheckDecisionDate(rules, {2019, 12, 31}).ok());
  const Status late = CheckDecisionDate(rules, {2026, 11, 25});
  EXPECT_EQ(late.code(), StatusCode::kInvalidInput);
  EXPECT_EQ(late.message(),
            "Das Entscheidungsdatum 25.11.2026 liegt außerhalb des Zeitraums, "
            "in dem über Anträge des Programms IM-2017 entschieden wird (vom "
            "15.09.2017 bis zum 31.12.2019). Bitte Systemdatum und "
            "Konfiguration (programme.decision-period.from/to) prüfen; es "
            "wurde kein Bescheid erstellt.");
  EXPECT_FALSE(CheckDecisionDate(rules, {2017, 9, 14}).ok());
  rules.decision_from.reset();
  const Status early = CheckDecisionDate(rules, {2017, 8, 19});
  EXPECT_NE(early.message().find("vor dem Stichtag der Zählung (15.09.2017"),
            std::string::npos)
      << early.message();
}

TEST(DativeWithArticleTest, ArticleFromTheFirstWord) {
  EXPECT_EQ(DativeWithArticle("Gemeinde Kressbronn am Bodensee"),
            "der Gemeinde Kressbronn am Bodensee");
  EXPECT_EQ(DativeWithArticle("Stadt Tettnang"), "der Stadt Tettnang");
  EXPECT_EQ(DativeWithArticle("Landkreis Konstanz"), "dem Landkreis Konstanz");
  EXPECT_EQ(DativeWithArticle("Stadtkreis Heilbronn"),
            "dem Stadtkreis Heilbronn");
  EXPECT_EQ(DativeWithArticle("Landeshauptstadt Stuttgart"),
            "der Landeshauptstadt Stuttgart");
  EXPECT_EQ(DativeWithArticle("Eriskirch"), "der Gemeinde Eriskirch");
  EXPECT_EQ(DativeWithArticle("Große Kreisstadt Friedrichshafen"),
            "der Großen Kreisstadt Friedrichshafen");
}

TEST(NominativeWithArticleTest, ArticleFromTheFirstWord) {
  EXPECT_EQ(NominativeWithArticle("Gemeinde Kressbronn am Bodensee"),
            "die Gemeinde Kressbronn am Bodensee");
  EXPECT_EQ(NominativeWithArticle("Stadt Tettnang"), "die Stadt Tettnang");
  EXPECT_EQ(NominativeWithArticle("Große Kreisstadt Friedrichshafen"),
            "die Große Kreisstadt Friedrichshafen");
  EXPECT_EQ(NominativeWithArticle("Landkreis Konstanz"),
            "der Landkreis Konstanz");
  EXPECT_EQ(NominativeWithArticle("Gemeindeverwaltungsverband Meckenbeuren"),
            "der Gemeindeverwaltungsverband Meckenbeuren");
  EXPECT_EQ(NominativeWithArticle("Eriskirch"), "die Gemeinde Eriskirch");
}

TEST(AccusativeWithArticleTest, OnlyTheMasculineArticleChanges) {
  EXPECT_EQ(AccusativeWithArticle("Gemeinde Eriskirch"),
            "die Gemeinde Eriskirch");
  EXPECT_EQ(AccusativeWithArticle("Große Kreisstadt Friedrichshafen"),
            "die Große Kreisstadt Friedrichshafen");
  EXPECT_EQ(AccusativeWithArticle("Landkreis Konstanz"),
            "den Landkreis Konstanz");
  EXPECT_EQ(AccusativeWithArticle("Langenargen"), "die Gemeinde Langenargen");
}

TEST(CoveredAgsTest, ApplicantFirstThenMembersWithoutRepeats) {
  Application a;
  a.ags = "08435036";
  a.members = {{"08435016", "E"},
               {"08435036", "K"},
               {"08435040", "L"},
               {"08435016", "E"}};
  EXPECT_EQ(CoveredAgs(a),
            (std::vector<std::string>{"08435036", "08435016", "08435040"}));
}

TEST(DecisionKindTest, Names) {
  EXPECT_STREQ(ToString(DecisionKind::kBewilligung), "BEWILLIGUNG");
  EXPECT_STREQ(ToString(DecisionKind::kTeilbewilligung), "TEILBEWILLIGUNG");
  EXPECT_STREQ(ToString(DecisionKind::kAblehnung), "ABLEHNUNG");
  EXPECT_STREQ(ToString(DecisionKind::kNachforderung), "NACHFORDERUNG");
  EXPECT_TRUE(IsGrant(DecisionKind::kTeilbewilligung));
  EXPECT_FALSE(IsGrant(DecisionKind::kNachforderung));
}

}  // namespace
}  // namespace bescheid::core
