// AssembleApplication: the one assembly of an application from field texts
// (scan reader, corrected review cases).
#include "forms/assemble.h"

#include <gtest/gtest.h>

#include "forms/field_values.h"
#include "forms/layout.h"
#include "forms/sample_applications.h"
#include "test_util.h"

namespace bescheid::forms {
namespace {

using bescheid::testing::ExpectSameApplication;
using bescheid::testing::SampleApplication;

const FormLayout& Shipped() {
  static const FormLayout layout =
      ParseLayout(testing::ReadFileOrDie(
                      testing::SourcePath("templates/forms/antrag-1.0.form")),
                  "antrag-1.0.form")
          .value();
  return layout;
}

// Every field's printed text of `app`, on the pages it needs.
std::vector<FieldText> TextsOf(const core::Application& app,
                               const std::vector<PlacedPage>& placed) {
  std::vector<FieldText> texts;
  for (const PlacedPage& page : placed) {
    for (const Field& f : page.fields) {
      std::optional<std::string> v = FieldValue(app, f);
      if (v) texts.push_back({&f, f.id, *v});
    }
  }
  return texts;
}

TEST(AssembleTest, EveryTextGivesTheApplicationBackWithoutProblems) {
  const core::Application source = SampleApplication(3, 2);
  const std::vector<PlacedPage> placed = PlacePages(Shipped(), 3, 2);
  std::vector<AssemblyProblem> problems;
  const core::Application app =
      AssembleApplication(TextsOf(source, placed), &problems);
  EXPECT_TRUE(problems.empty()) << problems[0].message;
  ExpectSameApplication(app, source);
}

TEST(AssembleTest, BadValuesChoicesAndGapsAreProblemsByField) {
  const core::Application source = SampleApplication(3, 0);
  const std::vector<PlacedPage> placed = PlacePages(Shipped(), 3, 0);
  std::vector<FieldText> texts = TextsOf(source, placed);
  int fte = -1;
  for (size_t i = 0; i < texts.size(); ++i) {
    FieldText& t = texts[i];
    if (t.id == "position[0].fte") {
      t.value = "1x0";
      fte = static_cast<int>(i);
    }
    if (t.id == "applicant.kind") t.value = "X";           // every box ticked
    if (t.id.rfind("position[1].", 0) == 0) t.value = "";  // a gap
  }
  std::vector<AssemblyProblem> problems;
  AssembleApplication(texts, &problems);
  ASSERT_EQ(problems.size(), 3u);
  EXPECT_EQ(problems[0].kind, AssemblyProblemKind::kUnparsable);
  EXPECT_EQ(problems[0].field_id, "position[0].fte");
  EXPECT_EQ(problems[0].index, fte);
  EXPECT_EQ(problems[1].kind, AssemblyProblemKind::kAmbiguous);
  EXPECT_EQ(problems[1].field_id, "applicant.kind");
  EXPECT_NE(problems[1].message.find("genau eines"), std::string::npos);
  EXPECT_EQ(problems[2].kind, AssemblyProblemKind::kRowGap);
  EXPECT_EQ(problems[2].field_id, "position[1]");
}

TEST(AssembleTest, RowOfFieldId) {
  EXPECT_EQ(RowOfFieldId("position[7].fte"),
            std::make_pair(std::string("position"), 7));
  EXPECT_EQ(RowOfFieldId("bank.iban"), std::make_pair(std::string(""), -1));
}

}  // namespace
}  // namespace bescheid::forms
