// Applications for the form tests, built in code, and a field-by-field
// comparison that names the first field that differs.
#ifndef BESCHEID_TESTS_FORMS_SAMPLE_APPLICATIONS_H_
#define BESCHEID_TESTS_FORMS_SAMPLE_APPLICATIONS_H_

#include <gtest/gtest.h>

#include <string>

#include "core/application.h"

namespace bescheid::testing {

// A valid application with `positions` positions and `members` members
// (a joint application when members > 0). Values differ per row so that a
// row mixed up with another shows.
inline core::Application SampleApplication(int positions, int members) {
  core::Application a;
  a.programme = "IM-2017";
  a.receipt_date = core::Date{2017, 8, 14};
  a.kind = core::ApplicantKind::kGemeinde;
  a.name = "Gemeinde Kressbronn am Bodensee";
  a.ags = "08435036";
  a.address = {"Gemeinde Kressbronn am Bodensee", "Hauptstraße 19", "88079",
               "Kressbronn am Bodensee"};
  a.contact = {"Ute Schmid", "07543 9662-0", "integration@kressbronn.example"};
  for (int i = 0; i < members; ++i) {
    a.members.push_back({"08435" + std::to_string(100 + i % 900),
                         "Gemeinde Mitglied " + std::to_string(i + 1)});
  }
  a.bank = {"Gemeinde Kressbronn am Bodensee", "DE08600501017405500123",
            std::string("SOLADEST600")};
  for (int i = 0; i < positions; ++i) {
    core::Position p;
    p.person = "Fachkraft Nummer " + std::to_string(i + 1);
    p.qualification = static_cast<core::Qualification>(i % 3);
    p.fte_hundredths = 25 + (i * 5) % 76;
    p.start = core::YearMonth{2017, 1 + i % 12};
    p.months = 1 + i % 24;
    if (i % 2 == 0) p.provider = "Diakonisches Werk " + std::to_string(i);
    p.proof_attached = i % 3 != 1;
    a.positions.push_back(p);
  }
  a.declarations = {true, true, false};
  a.signature = {"Kressbronn am Bodensee", core::Date{2017, 8, 10},
                 "Daniel Enzensperger", "Bürgermeister"};
  return a;
}

inline void ExpectSameApplication(const core::Application& a,
                                  const core::Application& b) {
  EXPECT_EQ(a.programme, b.programme);
  EXPECT_EQ(a.receipt_date.has_value(), b.receipt_date.has_value());
  if (a.receipt_date && b.receipt_date) {
    EXPECT_EQ(a.receipt_date->ToIso(), b.receipt_date->ToIso());
  }
  EXPECT_EQ(a.kind, b.kind);
  EXPECT_EQ(a.name, b.name);
  EXPECT_EQ(a.ags, b.ags);
  EXPECT_EQ(a.address.recipient, b.address.recipient);
  EXPECT_EQ(a.address.street, b.address.street);
  EXPECT_EQ(a.address.postcode, b.address.postcode);
  EXPECT_EQ(a.address.city, b.address.city);
  EXPECT_EQ(a.contact.name, b.contact.name);
  EXPECT_EQ(a.contact.phone, b.contact.phone);
  EXPECT_EQ(a.contact.email, b.contact.email);
  ASSERT_EQ(a.members.size(), b.members.size());
  for (size_t i = 0; i < a.members.size(); ++i) {
    EXPECT_EQ(a.members[i].ags, b.members[i].ags) << "member " << i;
    EXPECT_EQ(a.members[i].name, b.members[i].name) << "member " << i;
  }
  EXPECT_EQ(a.bank.holder, b.bank.holder);
  EXPECT_EQ(a.bank.iban, b.bank.iban);
  EXPECT_EQ(a.bank.bic, b.bank.bic);
  ASSERT_EQ(a.positions.size(), b.positions.size());
  for (size_t i = 0; i < a.positions.size(); ++i) {
    const core::Position &p = a.positions[i], &q = b.positions[i];
    EXPECT_EQ(p.person, q.person) << "position " << i;
    EXPECT_EQ(p.qualification, q.qualification) << "position " << i;
    EXPECT_EQ(p.fte_hundredths, q.fte_hundredths) << "position " << i;
    EXPECT_EQ(p.start.ToIso(), q.start.ToIso()) << "position " << i;
    EXPECT_EQ(p.months, q.months) << "position " << i;
    EXPECT_EQ(p.provider, q.provider) << "position " << i;
    EXPECT_EQ(p.proof_attached, q.proof_attached) << "position " << i;
  }
  EXPECT_EQ(a.declarations.complete_and_correct,
            b.declarations.complete_and_correct);
  EXPECT_EQ(a.declarations.no_double_funding, b.declarations.no_double_funding);
  EXPECT_EQ(a.declarations.accepts_anbest_k, b.declarations.accepts_anbest_k);
  EXPECT_EQ(a.signature.place, b.signature.place);
  EXPECT_EQ(a.signature.date.ToIso(), b.signature.date.ToIso());
  EXPECT_EQ(a.signature.name, b.signature.name);
  EXPECT_EQ(a.signature.function, b.signature.function);
}

}  // namespace bescheid::testing

#endif  // BESCHEID_TESTS_FORMS_SAMPLE_APPLICATIONS_H_
