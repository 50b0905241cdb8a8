// ApplyFieldValue is FieldValue's inverse: every field's printed value put
// back into an empty application gives the application again; values that
// are no such value are refused by name.
#include "forms/field_values.h"

#include <gtest/gtest.h>

#include "forms/layout.h"
#include "forms/sample_applications.h"
#include "test_util.h"

namespace bescheid::forms {
namespace {

const FormLayout& Shipped() {
  static const FormLayout layout =
      ParseLayout(testing::ReadFileOrDie(
                      testing::SourcePath("templates/forms/antrag-1.0.form")),
                  "antrag-1.0.form")
          .value();
  return layout;
}

core::Application FromFields(const core::Application& source) {
  core::Application out;
  for (const PlacedPage& page :
       PlacePages(Shipped(), static_cast<int>(source.positions.size()),
                  static_cast<int>(source.members.size()))) {
    for (const Field& f : page.fields) {
      std::optional<std::string> v = FieldValue(source, f);
      if (!v) continue;
      EXPECT_TRUE(ApplyFieldValue(&out, f, *v).ok()) << f.id << "=" << *v;
    }
  }
  return out;
}

TEST(FieldValuesTest, ApplyingEveryPrintedValueGivesTheApplicationBack) {
  for (const auto& [positions, members] :
       {std::pair{1, 0}, std::pair{5, 5}, std::pair{12, 13}}) {
    core::Application source = testing::SampleApplication(positions, members);
    testing::ExpectSameApplication(FromFields(source), source);
  }
  core::Application bare = testing::SampleApplication(2, 0);
  bare.receipt_date.reset();
  bare.bank.bic.reset();
  bare.positions[0].provider.reset();
  const core::Application back = FromFields(bare);
  EXPECT_FALSE(back.receipt_date.has_value());
  EXPECT_FALSE(back.bank.bic.has_value());
  EXPECT_FALSE(back.positions[0].provider.has_value());
  testing::ExpectSameApplication(back, bare);
}

Field FieldWithId(const std::string& id, const std::string& value = "") {
  for (const PlacedPage& page : PlacePages(Shipped(), 5, 5)) {
    for (const Field& f : page.fields) {
      if (f.id == id && (value.empty() || f.value == value)) return f;
    }
  }
  ADD_FAILURE() << "no field " << id;
  return Field{};
}

TEST(FieldValuesTest, RefusesValuesThatAreNone) {
  core::Application app;
  const struct {
    const char* id;
    const char* text;
  } bad[] = {{"signature.date", "31022018"}, {"signature.date", "1008201"},
             {"receipt_date", "1O082017"},   {"position[0].fte", "1x0"},
             {"position[0].fte", "0500"},    {"position[1].start", "132017"},
             {"position[2].months", "6"},    {"nonsense", "1"}};
  for (const auto& b : bad) {
    Field f = FieldWithId(b.id == std::string("nonsense") ? "programme" : b.id);
    f.id = b.id;
    const Status s = ApplyFieldValue(&app, f, b.text);
    EXPECT_EQ(s.code(), StatusCode::kInvalidInput) << b.id << "=" << b.text;
    EXPECT_NE(s.message().find(std::string("Feld '") + b.id + "'"),
              std::string::npos)
        << s.message();
  }
}

TEST(FieldValuesTest, TickedBoxesSetTheirValue) {
  core::Application app;
  ASSERT_TRUE(
      ApplyFieldValue(&app, FieldWithId("applicant.kind", "Landkreis"), "X")
          .ok());
  ASSERT_TRUE(
      ApplyFieldValue(&app, FieldWithId("applicant.kind", "Gemeinde"), "")
          .ok());
  EXPECT_EQ(app.kind, core::ApplicantKind::kLandkreis);
  ASSERT_TRUE(
      ApplyFieldValue(&app, FieldWithId("position[3].qualification", "C"), "X")
          .ok());
  ASSERT_EQ(app.positions.size(), 4u);
  EXPECT_EQ(app.positions[3].qualification, core::Qualification::kC);
  ASSERT_TRUE(
      ApplyFieldValue(&app, FieldWithId("declarations.anbest_k"), "X").ok());
  EXPECT_TRUE(app.declarations.accepts_anbest_k);
  ASSERT_TRUE(
      ApplyFieldValue(&app, FieldWithId("declarations.anbest_k"), "").ok());
  EXPECT_FALSE(app.declarations.accepts_anbest_k);
}

}  // namespace
}  // namespace bescheid::forms
