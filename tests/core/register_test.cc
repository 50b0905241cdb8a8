#include "core/register.h"

#include <gtest/gtest.h>

#include <sstream>
#include <string>
#include <vector>

namespace bescheid::core {
namespace {

RegisterRow Grant() {
  RegisterRow r;
  r.aktenzeichen = "RPS15-IM-2017-00001";
  r.decision_date = {2018, 1, 22};
  r.kind = "BEWILLIGUNG";
  r.applicant = "Stadt Tettnang";
  r.ags = "08435059";
  r.channel = "XML";
  r.amounts = {Money::FromCents(11600000), Money::FromCents(13214928),
               Money::FromCents(11600000), Money::FromCents(1933333),
               Money::FromCents(1160000)};
  r.iban = "DE02600501010002034304";
  return r;
}

// The lines of `csv` without the byte order mark, split at CRLF.
std::vector<std::string> Lines(const std::string& csv) {
  std::vector<std::string> lines;
  size_t start = 3;
  for (size_t end; (end = csv.find("\r\n", start)) != std::string::npos;
       start = end + 2) {
    lines.push_back(csv.substr(start, end - start));
  }
  EXPECT_EQ(start, csv.size()) << "text after the last line end";
  return lines;
}

TEST(RegisterTest, StartsWithAByteOrderMarkAndAHeader) {
  const std::string csv = RegisterCsv({});
  ASSERT_GE(csv.size(), 3u);
  EXPECT_EQ(csv.substr(0, 3), "\xEF\xBB\xBF");
  const std::vector<std::string> lines = Lines(csv);
  ASSERT_EQ(lines.size(), 2u);
  EXPECT_EQ(lines[0],
            "Aktenzeichen;Fassung;Datum;Art;Gründe;Antragsteller;AGS;Eingang;"
            "Förderfähige Ausgaben (EUR);Planungsrahmen (EUR);Bewilligt (EUR);"
            "Anteil 2017 (EUR);Erste Tranche (EUR);IBAN;Druckstapel");
  EXPECT_EQ(lines[1],
            "Summe (0 Entscheidungen);;;;;;;;0,00;0,00;0,00;0,00;0,00;;");
}

TEST(RegisterTest, RowHasGermanDateDecimalCommaAndMaskedIban) {
  RegisterRow r = Grant();
  r.print_batch = "2018-01-23/1";
  const std::vector<std::string> lines = Lines(RegisterCsv({r}));
  ASSERT_EQ(lines.size(), 3u);
  EXPECT_EQ(lines[1],
            "RPS15-IM-2017-00001;1;22.01.2018;BEWILLIGUNG;;Stadt Tettnang;"
            "08435059;XML;116000,00;132149,28;116000,00;19333,33;11600,00;"
            "**** **** **** **** **43 04;2018-01-23/1");
}

TEST(RegisterTest, SumsEveryAmountColumnToTheCent) {
  RegisterRow a = Grant();
  RegisterRow b = Grant();
  b.aktenzeichen = "RPS15-IM-2017-00002";
  b.kind = "TEILBEWILLIGUNG";
  b.codes = {"GEKAPPT_PLANUNGSRAHMEN"};
  b.amounts = {Money::FromCents(34700000), Money::FromCents(29295744),
               Money::FromCents(29295744), Money::FromCents(4361998),
               Money::FromCents(2617199)};
  RegisterRow c = Grant();
  c.aktenzeichen = "RPS15-IM-2017-00003";
  c.kind = "ABLEHNUNG";
  c.codes = {"UNTER_MINDESTBETRAG", "NICHT_ANTRAGSBERECHTIGT"};
  c.amounts = {Money::FromCents(1), Money(), Money(), Money(), Money()};
  c.iban.clear();
  const std::vector<std::string> lines = Lines(RegisterCsv({a, b, c}));
  ASSERT_EQ(lines.size(), 5u);
  EXPECT_NE(lines[2].find(";TEILBEWILLIGUNG;GEKAPPT_PLANUNGSRAHMEN;"),
            std::string::npos);
  EXPECT_NE(lines[3].find(";ABLEHNUNG;UNTER_MINDESTBETRAG, "
                          "NICHT_ANTRAGSBERECHTIGT;"),
            std::string::npos)
      << lines[3];
  EXPECT_NE(lines[3].find(";0,00;0,00;0,00;0,00;;"), std::string::npos)
      << "no IBAN, no batch: " << lines[3];
  EXPECT_EQ(lines[4],
            "Summe (3 Entscheidungen);;;;;;;;463000,01;425106,72;"
            "408957,44;62953,31;37771,99;;");
}

TEST(RegisterTest, FormulaLikeTextIsNeutralised) {
  for (const char* hostile : {"=HYPERLINK(\"http://x\";\"klick\")", "+49 123",
                              "-1+1", "@SUM(A1)", "\tTab", "\rCR"}) {
    const std::string cell = CsvCell(hostile);
    ASSERT_FALSE(cell.empty());
    const size_t first = cell[0] == '"' ? 1 : 0;
    EXPECT_EQ(cell[first], '\'') << hostile << " -> " << cell;
  }
  EXPECT_EQ(CsvCell("=HYPERLINK(\"http://x\";\"klick\")"),
            "\"'=HYPERLINK(\"\"http://x\"\";\"\"klick\"\")\"");
  EXPECT_EQ(CsvCell("Stadt Tettnang"), "Stadt Tettnang");
  EXPECT_EQ(CsvCell("Gemeinde Baden-Baden"), "Gemeinde Baden-Baden");
}

TEST(RegisterTest, QuotesSeparatorsQuotesLineBreaksAndOuterBlanks) {
  EXPECT_EQ(CsvCell("a;b"), "\"a;b\"");
  EXPECT_EQ(CsvCell("Gemeinde \"Am See\""), "\"Gemeinde \"\"Am See\"\"\"");
  EXPECT_EQ(CsvCell("zwei\nZeilen"), "\"zwei\nZeilen\"");
  EXPECT_EQ(CsvCell(" Rand"), "\" Rand\"");
  EXPECT_EQ(CsvCell(""), "");
}

TEST(RegisterTest, HostileApplicantNameCannotBecomeAFormula) {
  RegisterRow r = Grant();
  r.applicant = "=HYPERLINK(\"http://evil\";\"Stadt\")";
  const std::vector<std::string> lines = Lines(RegisterCsv({r}));
  ASSERT_EQ(lines.size(), 3u);
  EXPECT_NE(lines[1].find(";\"'=HYPERLINK("), std::string::npos) << lines[1];
  EXPECT_EQ(lines[1].find(";=HYPERLINK("), std::string::npos);
}

}  // namespace
}  // namespace bescheid::core
