#include <gtest/gtest.h>

#include "test_util.h"
#include "xml/decision_summary.h"

namespace bescheid::xml {
namespace {

using bescheid::testing::ReadFileOrDie;
using bescheid::testing::SourcePath;

TEST(LetterFactsTest, ReadsKindPostcodeLetterAndCopies) {
  Result<LetterFacts> facts = ReadLetterFacts(ReadFileOrDie(
      SourcePath("tests/golden/RPS15-IM-2017-00005.decision.xml")));
  ASSERT_TRUE(facts.ok()) << facts.status().message();
  EXPECT_EQ(facts->aktenzeichen, "RPS15-IM-2017-00005");
  EXPECT_EQ(facts->kind, "BEWILLIGUNG");
  EXPECT_EQ(facts->postcode, "88079");
  EXPECT_EQ(facts->letter_file, "RPS15-IM-2017-00005.pdf");
  ASSERT_EQ(facts->copies.size(), 2u);
  EXPECT_EQ(facts->copies[0].ags, "08435016");
  EXPECT_EQ(facts->copies[0].file,
            "RPS15-IM-2017-00005_nachrichtlich_08435016.pdf");
  EXPECT_EQ(facts->copies[1].ags, "08435040");
}

TEST(LetterFactsTest, ARecordBefore14HasNoPostcode) {
  Result<LetterFacts> facts = ReadLetterFacts(
      "<Entscheidung xmlns=\"urn:bescheid:integrationsmanagement:"
      "entscheidung:1\" version=\"1.2\"><Aktenzeichen>AZ-1</Aktenzeichen>"
      "<Art>ABLEHNUNG</Art><Schreiben>AZ-1.pdf</Schreiben></Entscheidung>");
  ASSERT_TRUE(facts.ok()) << facts.status().message();
  EXPECT_EQ(facts->postcode, "");
  EXPECT_EQ(facts->letter_file, "AZ-1.pdf");
  EXPECT_TRUE(facts->copies.empty());
}

TEST(LetterFactsTest, RefusesWhatIsNoDecisionRecord) {
  EXPECT_EQ(ReadLetterFacts("kein XML").status().code(),
            StatusCode::kInvalidInput);
  EXPECT_EQ(ReadLetterFacts("<Entscheidung/>").status().code(),
            StatusCode::kInvalidInput);
}

}  // namespace
}  // namespace bescheid::xml
