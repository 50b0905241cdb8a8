// `bescheid form` end to end: the binary run from the source tree.
#include <gtest/gtest.h>

#include "test_util.h"

namespace bescheid {
namespace {

using bescheid::testing::CommandResult;
using bescheid::testing::ReadFileOrDie;
using bescheid::testing::RunCommand;
using bescheid::testing::SourcePath;
using bescheid::testing::TempDir;
using bescheid::testing::WriteFileOrDie;

CommandResult Bescheid(const std::string& args) {
  return RunCommand("cd '" + std::string(BESCHEID_SOURCE_DIR) +
                    "' && SOURCE_DATE_EPOCH=1516622400 '" + BESCHEID_BINARY +
                    "' " + args);
}

TEST(FormCommandTest, WritesBlankAndPrefilledForms) {
  TempDir dir;
  CommandResult blank = Bescheid("form --out '" + (dir / "leer.pdf") + "'");
  ASSERT_EQ(blank.exit_code, 0) << blank.out;
  EXPECT_NE(blank.out.find("4 Seiten"), std::string::npos) << blank.out;
  EXPECT_EQ(ReadFileOrDie(dir / "leer.pdf").rfind("%PDF-", 0), 0u);

  const std::string example =
      SourcePath("examples/05-zusammenschluss-bodensee.xml");
  CommandResult filled = Bescheid("form --prefill '" + example +
                                  "' --sample-signature --handwriting --out '" +
                                  (dir / "antrag.pdf") + "'");
  ASSERT_EQ(filled.exit_code, 0) << filled.out;
  CommandResult again = Bescheid("form --prefill '" + example +
                                 "' --sample-signature --handwriting --out '" +
                                 (dir / "nochmal.pdf") + "'");
  ASSERT_EQ(again.exit_code, 0) << again.out;
  EXPECT_EQ(ReadFileOrDie(dir / "antrag.pdf"),
            ReadFileOrDie(dir / "nochmal.pdf"));
  CommandResult plain =
      Bescheid("form --prefill '" + example + "' --no-barcode --out '" +
               (dir / "ohne.pdf") + "'");
  ASSERT_EQ(plain.exit_code, 0) << plain.out;
  EXPECT_LT(ReadFileOrDie(dir / "ohne.pdf").size(),
            ReadFileOrDie(dir / "antrag.pdf").size());
}

TEST(FormCommandTest, InvalidApplicationGetsValidatesReport) {
  TempDir dir;
  std::string doc =
      ReadFileOrDie(SourcePath("examples/01-bewilligung-tettnang.xml"));
  doc.replace(doc.find("<VZAE>1.00</VZAE>"), 17, "<VZAE>0.20</VZAE>");
  WriteFileOrDie(dir / "falsch.xml", doc);
  CommandResult validate = Bescheid("validate '" + (dir / "falsch.xml") + "'");
  CommandResult form = Bescheid("form --prefill '" + (dir / "falsch.xml") +
                                "' --out '" + (dir / "f.pdf") + "'");
  EXPECT_EQ(form.exit_code, 1);
  EXPECT_NE(form.out.find("Der Wert 0,20 ist kleiner"), std::string::npos)
      << form.out;
  EXPECT_EQ(form.out, validate.out);
  EXPECT_FALSE(std::ifstream(dir / "f.pdf").good());
}

TEST(FormCommandTest, UsageErrorsAndHelp) {
  CommandResult no_out = Bescheid("form");
  EXPECT_EQ(no_out.exit_code, 2);
  EXPECT_NE(no_out.out.find("--out DATEI.pdf fehlt"), std::string::npos);
  CommandResult help = Bescheid("help form");
  EXPECT_EQ(help.exit_code, 0);
  EXPECT_NE(help.out.find("--sample-signature"), std::string::npos);
  CommandResult bad_layout =
      Bescheid("form -D forms.layout=README.md --out /tmp/x.pdf");
  EXPECT_EQ(bad_layout.exit_code, 2);
  EXPECT_NE(bad_layout.out.find("(forms.layout) README.md, Zeile 3: "),
            std::string::npos)
      << bad_layout.out;
}

}  // namespace
}  // namespace bescheid
