// End-to-end letter tests: real templates, fonts and libharu; the PDFs are
// read back with poppler's command-line tools, as a person's viewer would.
#include "letters/letter.h"

#include <gtest/gtest.h>

#include <cmath>
#include <filesystem>
#include <regex>
#include <set>
#include <thread>

#include "core/format.h"
#include "letters/pdf_text.h"
#include "letters/pdf_writer.h"
#include "letters/printable.h"
#include "test_util.h"

namespace bescheid::letters {
namespace {

using bescheid::testing::PageText;
using bescheid::testing::PdfWord;
using bescheid::testing::PdfWords;
using bescheid::testing::ReadFileOrDie;
using bescheid::testing::RunCommand;
using bescheid::testing::SourcePath;
using bescheid::testing::TempDir;
using bescheid::testing::WriteFileOrDie;
namespace fs = std::filesystem;

constexpr double kMmPt = 72.0 / 25.4;
// The letters' date: after the count date (15.09.2017); its request
// deadline (+28 days = 26.12.2017, a holiday) ends on 27.12.2017.
constexpr core::Date kLetterDate{2017, 11, 28};

// Templates and fonts from the source tree (tests run in the build tree).
LetterOptions SourceTreeOptions() {
  LetterOptions o;
  o.templates_dir = SourcePath("templates/letters");
  o.font_regular = SourcePath("fonts/DejaVuSans-letters.ttf");
  o.font_bold = SourcePath("fonts/DejaVuSans-Bold-letters.ttf");
  o.icc_profile = "/usr/share/color/icc/sRGB.icc";
  return o;
}

core::ReferenceTable Reference() {
  return *core::ReferenceTable::ParseCsv(
      "AGS;Name;Art;PersonenAU\n"
      "08435059;Tettnang;Gemeinde;166\n"
      "08317096;Offenburg;Gemeinde;368\n"
      "08337126;Todtnau;Gemeinde;38\n"
      "08435036;Kressbronn am Bodensee;Gemeinde;41\n"
      "08435016;Eriskirch;Gemeinde;22\n"
      "08435040;Langenargen;Gemeinde;29\n"
      "08111000;Stuttgart;Stadtkreis;4120\n");
}

core::Position Pos(const std::string& person, core::Qualification q, int fte,
                   core::YearMonth start, int months, bool proof = true) {
  core::Position p;
  p.person = person;
  p.qualification = q;
  p.fte_hundredths = fte;
  p.start = start;
  p.months = months;
  p.proof_attached = proof;
  return p;
}

core::Application Tettnang() {
  core::Application a;
  a.programme = "IM-2017";
  a.name = "Stadt Tettnang";
  a.ags = "08435059";
  a.address = {"Stadt Tettnang – Hauptamt", "Montfortplatz 7", "88069",
               "Tettnang"};
  a.bank.iban = "DE41600501017405502051";
  a.positions = {
      Pos("Jana Müller", core::Qualification::kA, 100, {2017, 9}, 24)};
  a.declarations = {true, true, true};
  a.signature = {"Tettnang", {2017, 8, 10}, "Bruno Walter", "Bürgermeister"};
  return a;
}

class LetterTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    auto r = LetterRenderer::Create(SourceTreeOptions());
    ASSERT_TRUE(r.ok()) << r.status().message();
    renderer_ = std::move(r).value().release();
  }
  static void TearDownTestSuite() { delete renderer_; }

  // Decides `app`, renders its letter and writes it to a temporary file.
  std::string Render(const core::Application& app,
                     std::vector<core::PriorGrant> prior = {}) {
    decision_ = core::Decide(app, rules_, reference_,
                             core::DecisionInputs{{2017, 8, 14}, prior});
    LetterInput in{&app,        &decision_,    "RPS15-IM-2017-00042",
                   kLetterDate, {2017, 8, 14}, 1503144000};
    auto letter = renderer_->Render(in);
    EXPECT_TRUE(letter.ok()) << letter.status().message();
    if (!letter.ok()) return "";
    pages_ = letter->pages;
    const std::string path = dir_ / "letter.pdf";
    WriteFileOrDie(path, letter->pdf);
    return path;
  }
  static std::string Text(const std::string& pdf,
                          const std::string& args = "") {
    auto r = RunCommand("pdftotext -enc UTF-8 " + args + " '" + pdf + "' -");
    EXPECT_EQ(r.exit_code, 0) << r.out;
    return r.out;
  }
  // Text with line breaks folded, so sentences can be searched whole.
  static std::string Flat(const std::string& pdf) {
    std::string t = Text(pdf);
    for (char& c : t) {
      if (c == '\n') c = ' ';
    }
    return std::regex_replace(t, std::regex(" +"), " ");
  }

  TempDir dir_;
  core::ProgrammeRules rules_;
  core::ReferenceTable reference_ = Reference();
  core::Decision decision_;
  int pages_ = 0;
  static LetterRenderer* renderer_;
};
LetterRenderer* LetterTest::renderer_ = nullptr;

TEST_F(LetterTest, GrantLetter) {
  const std::string t = Flat(Render(Tettnang()));
  ASSERT_EQ(decision_.kind, core::DecisionKind::kBewilligung);
  for (const char* expected :
       {"Zuwendungsbescheid – Förderung des Integrationsmanagements",
        "RPS15-IM-2017-00042", "28.11.2017",
        "eine Zuwendung in Höhe von 116.000,00 EUR bewilligt",
        "Der Bewilligungszeitraum beginnt am 01.09.2017 und endet am "
        "31.08.2019",
        "Jana Müller", "09/2017 – 08/2019", "Insgesamt 116.000,00",
        "Auf das Jahr 2017 entfällt von der Zuwendung ein Anteil von "
        "19.333,33 EUR",
        "60 % dieses Anteils, das sind 11.600,00 EUR",
        "IBAN DE41 6005 0101 7405 5020 51", "Nebenbestimmungen", "ANBest-K",
        "Begründung", "Rechtsbehelfsbelehrung",
        "innerhalb eines Monats nach seiner Bekanntgabe Klage beim "
        "Verwaltungsgericht Sigmaringen",
        "maschinell erstellt und ist ohne Unterschrift gültig"}) {
    EXPECT_NE(t.find(expected), std::string::npos) << expected << "\n" << t;
  }
  EXPECT_EQ(t.find("Teilbewilligung"), std::string::npos);
  for (int p = 1; p <= pages_; ++p) {
    EXPECT_NE(
        t.find("Seite " + std::to_string(p) + " von " + std::to_string(pages_)),
        std::string::npos);
  }
}

// PDF/A-1 asks each subset font to list the CIDs it holds (/CIDSet): every
// character printed must be marked there.
TEST_F(LetterTest, EachSubsetFontListsTheCharactersItHolds) {
  const std::string pdf = Render(Tettnang());
  const std::string qdf = pdf + ".qdf";
  ASSERT_EQ(RunCommand("qpdf --qdf --object-streams=disable '" + pdf + "' '" +
                       qdf + "'")
                .exit_code,
            0);
  const std::string doc = ReadFileOrDie(qdf);
  std::set<char32_t> printed;
  for (const auto& word : testing::PdfWords(ReadFileOrDie(pdf))) {
    for (size_t i = 0; i < word.text.size();) {
      printed.insert(letters::NextCodePoint(word.text, &i));
    }
  }
  ASSERT_GT(printed.size(), 40u);
  const std::regex ref(R"(/CIDSet (\d+) 0 R)");
  int fonts = 0;
  std::set<char32_t> covered;
  for (std::sregex_iterator it(doc.begin(), doc.end(), ref), end; it != end;
       ++it, ++fonts) {
    const std::string head = "\n" + (*it)[1].str() + " 0 obj\n";
    const size_t obj = doc.find(head);
    ASSERT_NE(obj, std::string::npos);
    const size_t start = doc.find("stream\n", obj) + 7;
    const size_t stop = doc.find("\nendstream", start);
    ASSERT_LT(start, stop);
    const std::string bits = doc.substr(start, stop - start);
    EXPECT_TRUE(bits[0] & 0x80) << "CID 0 must be listed";
    for (size_t cid = 0; cid < 8 * bits.size(); ++cid) {
      if (bits[cid / 8] & (0x80 >> (cid % 8))) covered.insert(cid);
    }
  }
  EXPECT_EQ(fonts, 2);
  for (char32_t c : printed)
    EXPECT_TRUE(covered.count(c)) << "U+" << std::hex << c;
}

TEST_F(LetterTest, PartialGrantExplainsTheCapWithBothFigures) {
  core::Application a = Tettnang();
  a.name = "Stadt Offenburg";
  a.ags = "08317096";
  a.positions = {Pos("A", core::Qualification::kA, 100, {2017, 7}, 24),
                 Pos("B", core::Qualification::kB, 100, {2017, 10}, 24),
                 Pos("C", core::Qualification::kC, 75, {2018, 1}, 24),
                 Pos("D", core::Qualification::kA, 50, {2017, 9}, 24)};
  const std::string pdf = Render(a);
  const std::string t = Flat(pdf);
  ASSERT_EQ(decision_.kind, core::DecisionKind::kTeilbewilligung);
  EXPECT_NE(t.find("(Teilbewilligung)"), std::string::npos);
  EXPECT_NE(t.find("Die förderfähigen Ausgaben von 347.000,00 EUR übersteigen "
                   "Ihren Planungsrahmen von 292.957,44 EUR"),
            std::string::npos)
      << t;
  EXPECT_NE(t.find("bewilligt werden 292.957,44 EUR"), std::string::npos);
  EXPECT_NE(t.find("das sind 26.171,99 EUR"), std::string::npos);
  EXPECT_NE(t.find("Verwaltungsgericht Freiburg"), std::string::npos);
  EXPECT_NE(t.find("Seite 1 von " + std::to_string(pages_)), std::string::npos);
  EXPECT_NE(t.find("Seite " + std::to_string(pages_) + " von " +
                   std::to_string(pages_)),
            std::string::npos);
}

TEST_F(LetterTest, RejectionLetterGivesOneParagraphPerCode) {
  core::Application a = Tettnang();
  a.members = {{"08999002", "Gemeinde Nirgendwo"}};
  const std::string t = Flat(Render(a, {{"08435059", "RPS15-IM-2017-00001"}}));
  ASSERT_EQ(decision_.kind, core::DecisionKind::kAblehnung);
  EXPECT_NE(t.find("Ablehnungsbescheid"), std::string::npos);
  EXPECT_NE(t.find("wird abgelehnt"), std::string::npos);
  EXPECT_NE(t.find("Keine Antragsberechtigung."), std::string::npos);
  EXPECT_NE(t.find("Gemeinde Nirgendwo (AGS 08999002)"), std::string::npos);
  EXPECT_NE(t.find("Förderung bereits bewilligt."), std::string::npos);
  EXPECT_NE(t.find("RPS15-IM-2017-00001"), std::string::npos);
  EXPECT_EQ(t.find("Antrag außerhalb des Antragszeitraums."),
            std::string::npos);
  EXPECT_NE(t.find("Rechtsbehelfsbelehrung"), std::string::npos);
}

TEST_F(LetterTest, BelowMinimumSuggestsJointApplicationWithFigures) {
  core::Application a = Tettnang();
  a.ags = "08337126";
  a.name = "Stadt Todtnau";
  const std::string t = Flat(Render(a));
  ASSERT_TRUE(decision_.HasReason(core::kUnterMindestbetrag));
  EXPECT_NE(t.find("Mindestbetrag nicht erreicht."), std::string::npos);
  EXPECT_NE(t.find("mindestens 51.000,00 EUR"), std::string::npos);
  EXPECT_NE(t.find("beträgt 30.251,04 EUR"), std::string::npos);
  EXPECT_NE(t.find("interkommunalen Zusammenschluss"), std::string::npos);
  EXPECT_NE(t.find("gemeinsamen Antrag"), std::string::npos);
}

TEST_F(LetterTest, LateApplicationNamesDatesAndWindow) {
  core::Application a = Tettnang();
  decision_ = core::Decide(a, rules_, reference_,
                           core::DecisionInputs{{2018, 1, 15}, {}});
  LetterInput in{&a, &decision_, "AZ-1", {2018, 1, 20}, {2018, 1, 15}, 0};
  auto text = renderer_->RenderText(in);
  ASSERT_TRUE(text.ok());
  EXPECT_NE(text->find("vom 24.07.2017 bis zum 31.12.2017"), std::string::npos);
  EXPECT_NE(text->find("am 15.01.2018 und damit außerhalb"), std::string::npos);
}

TEST_F(LetterTest, RequestLetterListsEachItemAndHasNoLegalRemedy) {
  core::Application a = Tettnang();
  a.positions.push_back(
      Pos("Lukas Hägele", core::Qualification::kC, 50, {2017, 11}, 24, false));
  a.bank.iban = "DE41600501017405502052";
  a.declarations.accepts_anbest_k = false;
  const std::string t = Flat(Render(a));
  ASSERT_EQ(decision_.kind, core::DecisionKind::kNachforderung);
  EXPECT_NE(t.find("Anforderung fehlender Angaben und Unterlagen"),
            std::string::npos);
  EXPECT_NE(t.find("Nachweis der Qualifikation für Stelle 2 (Lukas Hägele)"),
            std::string::npos)
      << t;
  EXPECT_NE(t.find("IBAN DE41 6005 0101 7405 5020 52 ist ungültig"),
            std::string::npos);
  EXPECT_NE(t.find("Anerkennung der ANBest-K"), std::string::npos);
  EXPECT_NE(t.find("bis zum 27.12.2017"), std::string::npos);  // 26.12. + 1
  EXPECT_EQ(t.find("Rechtsbehelfsbelehrung"), std::string::npos);
  EXPECT_EQ(t.find("Klage"), std::string::npos);
  EXPECT_EQ(t.find("Zuwendungsbescheid"), std::string::npos);
}

TEST_F(LetterTest, RequestLetterAsksForTheMissingSignature) {
  core::Application a = Tettnang();
  a.signed_by = core::SignatureKind::kMissing;
  const std::string t = Flat(Render(a));
  ASSERT_EQ(decision_.kind, core::DecisionKind::kNachforderung);
  EXPECT_NE(t.find("Die Unterschrift der vertretungsberechtigten Person auf "
                   "dem Antrag"),
            std::string::npos)
      << t;
  EXPECT_EQ(t.find("IBAN"), std::string::npos) << t;
  a.signed_by = core::SignatureKind::kHandwritten;
  EXPECT_EQ(Flat(Render(a)).find("Unterschrift der vertretungsberechtigten"),
            std::string::npos);
}

TEST_F(LetterTest, JointApplicationNamesAllMembers) {
  core::Application a = Tettnang();
  a.members = {{"08435016", "Gemeinde Eriskirch"},
               {"08435040", "Gemeinde Langenargen"}};
  const std::string t = Flat(Render(a));
  EXPECT_NE(t.find("interkommunalen Zusammenschluss aus der Stadt Tettnang"),
            std::string::npos);
  EXPECT_NE(t.find("Gemeinde Eriskirch (AGS 08435016)"), std::string::npos);
  EXPECT_NE(t.find("Gemeinde Langenargen (AGS 08435040)"), std::string::npos);
}

TEST_F(LetterTest, AddressSitsInTheWindowAndReturnLineAboveIt) {
  const std::string pdf = Render(Tettnang());
  const std::string bbox = Text(pdf, "-bbox");
  const std::regex word(
      R"re(<word xMin="([0-9.]+)" yMin="([0-9.]+)" xMax="([0-9.]+)" yMax="([0-9.]+)">([^<]*)</word>)re");
  std::map<std::string, std::array<double, 4>> boxes;
  for (std::sregex_iterator it(bbox.begin(), bbox.end(), word), end; it != end;
       ++it) {
    const std::string w = (*it)[5];
    if (!boxes.count(w)) {
      boxes[w] = {std::stod((*it)[1]), std::stod((*it)[2]), std::stod((*it)[3]),
                  std::stod((*it)[4])};
    }
  }
  // Address zone of form B: x 20..105 mm, y 62.7..90 mm.
  for (const char* w : {"Hauptamt", "Montfortplatz", "88069"}) {
    ASSERT_TRUE(boxes.count(w)) << w;
    const auto& b = boxes[w];
    EXPECT_GE(b[0], 20 * kMmPt) << w;
    EXPECT_LE(b[2], 105 * kMmPt) << w;
    EXPECT_GE(b[1], 62.7 * kMmPt) << w;
    EXPECT_LE(b[3], 90 * kMmPt) << w;
  }
  // The return line lies in the 17.7 mm zone above (45..62.7 mm).
  ASSERT_TRUE(boxes.count("Ruppmannstraße"));
  EXPECT_GE(boxes["Ruppmannstraße"][1], 45 * kMmPt);
  EXPECT_LE(boxes["Ruppmannstraße"][3], 62.7 * kMmPt);
}

TEST_F(LetterTest, FontsEmbeddedAndPageIsA4) {
  const std::string pdf = Render(Tettnang());
  auto fonts = RunCommand("pdffonts '" + pdf + "'");
  ASSERT_EQ(fonts.exit_code, 0);
  int font_lines = 0;
  std::istringstream in(fonts.out);
  std::string line;
  while (std::getline(in, line)) {
    if (line.find("TrueType") == std::string::npos) continue;
    ++font_lines;
    EXPECT_NE(line.find(" yes yes "), std::string::npos) << line;  // emb, sub
  }
  EXPECT_EQ(font_lines, 2);
  auto info = RunCommand("pdfinfo '" + pdf + "'");
  EXPECT_NE(info.out.find("595.276 x 841.89 pts (A4)"), std::string::npos)
      << info.out;
  EXPECT_NE(info.out.find("Pages:           " + std::to_string(pages_)),
            std::string::npos);
  EXPECT_NE(info.out.find("Author:          Regierungspräsidium Stuttgart"),
            std::string::npos);
  EXPECT_NE(info.out.find("Subject:         RPS15-IM-2017-00042"),
            std::string::npos);
  EXPECT_NE(info.out.find("CreationDate:    Sat Aug 19 12:00:00 2017"),
            std::string::npos)
      << info.out;
  auto meta = RunCommand("pdfinfo -meta '" + pdf + "'");
  EXPECT_NE(meta.out.find("<pdfaid:part>1</pdfaid:part>"), std::string::npos);
  EXPECT_NE(meta.out.find("<rdf:li>Regierungspräsidium Stuttgart</rdf:li>"),
            std::string::npos);
  auto check = RunCommand("qpdf --check '" + pdf + "'");
  EXPECT_EQ(check.exit_code, 0) << check.out;
}

TEST_F(LetterTest, FortyPositionsKeepRowsWholeAndTotalsRight) {
  core::Application a = Tettnang();
  a.ags = "08111000";  // Stuttgart: a planning budget large enough
  a.name = "Landeshauptstadt Stuttgart";
  a.positions.clear();
  for (int i = 1; i <= 40; ++i) {
    char name[32];
    std::snprintf(name, sizeof name, "Person %02d", i);
    core::Position p = Pos(name, static_cast<core::Qualification>(i % 3),
                           25 + (i % 4) * 25, {2017, 1 + i % 12}, 12 + i % 13);
    if (i % 5 == 0)
      p.provider = "Arbeiterwohlfahrt Kreisverband Stuttgart e.V.";
    a.positions.push_back(p);
  }
  const std::string pdf = Render(a);
  ASSERT_EQ(decision_.kind, core::DecisionKind::kBewilligung);
  ASSERT_GE(pages_, 3);
  const std::regex row(R"(Person (\d\d)\b.*?(\d{1,3}(?:\.\d{3})*,\d{2})\s*$)");
  std::map<int, int64_t> amounts;
  std::map<int, int> page_of;
  for (int p = 1; p <= pages_; ++p) {
    const std::string page = Text(
        pdf, "-layout -f " + std::to_string(p) + " -l " + std::to_string(p));
    std::istringstream in(page);
    std::string line;
    bool rows_here = false;
    while (std::getline(in, line)) {
      std::smatch m;
      if (!std::regex_search(line, m, row)) continue;
      const int n = std::stoi(m[1]);
      std::string digits = m[2];
      digits.erase(std::remove_if(digits.begin(), digits.end(),
                                  [](char c) { return c == '.' || c == ','; }),
                   digits.end());
      EXPECT_EQ(amounts.count(n), 0u) << "row " << n << " twice";
      amounts[n] = std::stoll(digits);
      page_of[n] = p;
      rows_here = true;
    }
    if (rows_here) {
      // The header is repeated on every page that carries rows.
      EXPECT_NE(page.find("Betrag"), std::string::npos) << "page " << p;
    }
  }
  ASSERT_EQ(amounts.size(), 40u);
  int64_t sum = 0;
  for (int i = 1; i <= 40; ++i) {
    EXPECT_EQ(amounts[i], decision_.position_amounts[i - 1].cents()) << i;
    sum += amounts[i];
  }
  EXPECT_EQ(sum, decision_.eligible.cents());
  EXPECT_NE(Flat(pdf).find("Insgesamt " +
                           core::FormatGermanAmount(decision_.eligible)),
            std::string::npos);
  EXPECT_LT(page_of[1], page_of[40]);  // the table really spans pages
  // Wrapped rows (with a provider) keep both lines on the row's page.
  for (int p = 1; p <= pages_; ++p) {
    const std::string page =
        Text(pdf, "-f " + std::to_string(p) + " -l " + std::to_string(p));
    for (int i = 5; i <= 40; i += 5) {
      if (page_of[i] != p) continue;
      EXPECT_NE(page.find("Kreisverband"), std::string::npos) << i;
    }
  }
}

TEST_F(LetterTest, SameInputGivesTheSameDocument) {
  const std::string first = ReadFileOrDie(Render(Tettnang()));
  const std::string second = ReadFileOrDie(Render(Tettnang()));
  EXPECT_EQ(first, second);
}

// The writer keeps the fonts of recent glyph sets; a letter whose set was
// dropped from that cache in between comes out the same again.
TEST_F(LetterTest, SameDocumentAfterItsFontsLeftTheCache) {
  const std::string first = ReadFileOrDie(Render(Tettnang()));
  std::string name;
  for (char32_t c = 0x0410; c < 0x0410 + 40; ++c) {  // А, Б, В, ...
    core::Application a = Tettnang();
    name = "Person ";
    name += static_cast<char>(0xC0 | (c >> 6));
    name += static_cast<char>(0x80 | (c & 0x3F));
    a.positions[0].person = name;
    ASSERT_FALSE(Render(a).empty()) << name;
  }
  EXPECT_NE(Flat(dir_ / "letter.pdf").find(name), std::string::npos) << name;
  EXPECT_EQ(ReadFileOrDie(Render(Tettnang())), first);
}

// Names from Turkish, Polish, Czech, Greek, Cyrillic and Vietnamese print
// exactly as written, and copying them out of the PDF gives them back.
TEST_F(LetterTest, LatinGreekCyrillicAndVietnameseNamesPrintAsWritten) {
  const std::vector<std::string> names = {"Ayşe Gümüşsoy",
                                          "Łukasz Wiśniewski-Dąbrowski",
                                          "Dvořák Šťastná",
                                          "Παπαδόπουλος",
                                          "Добрынина Ольга",
                                          "Nguyễn Thị Hằng",
                                          "ĞıİśźżőűţșțЁїґўΩάϊΰậữỹđƯơ"};
  core::Application a = Tettnang();
  a.positions.clear();
  for (const std::string& n : names) {
    a.positions.push_back(Pos(n, core::Qualification::kA, 25, {2017, 9}, 24));
  }
  a.address.recipient = "Ayşe Gümüşsoy";
  const std::string pdf = Render(a);
  ASSERT_FALSE(pdf.empty());
  const std::string t = Flat(pdf);
  for (const std::string& n : names) {
    // Each name once in the table of positions, the address once more.
    size_t count = 0;
    for (size_t at = t.find(n); at != std::string::npos;
         at = t.find(n, at + 1)) {
      ++count;
    }
    EXPECT_EQ(count, n == "Ayşe Gümüşsoy" ? 2u : 1u) << n << "\n" << t;
  }
  EXPECT_EQ(t.find('?'), std::string::npos) << t;
}

// Text is written as two-byte codes in literal strings: characters whose
// codes hold a byte that such a string must escape - a parenthesis, a
// backslash, or CR and LF (č is U+010D, Ċ U+010A, Ĩ U+0128, ĩ U+0129,
// Ŝ U+015C) - print and copy out as written.
TEST_F(LetterTest, CharactersWithEscapedCodeBytesPrintAsWritten) {
  const std::vector<std::string> names = {"Čačak Ċedrić", "Ĩñigo Ĩĩguez",
                                          "Ŝimon (Rathaus) \\ Ost"};
  core::Application a = Tettnang();
  a.positions.clear();
  for (const std::string& n : names) {
    a.positions.push_back(Pos(n, core::Qualification::kA, 25, {2017, 9}, 24));
  }
  const std::string t = Flat(Render(a));
  for (const std::string& n : names) {
    EXPECT_NE(t.find(n), std::string::npos) << n << "\n" << t;
  }
}

TEST_F(LetterTest, GermanTextCopiesOutExactly) {
  core::Application a = Tettnang();
  a.positions[0].person = "Jürgen Weiß-Ößwald";
  const std::string t = Flat(Render(a));
  for (const char* expected :
       {"Jürgen Weiß-Ößwald", "förderfähigen Ausgaben", "Begründung",
        "Regierungspräsidium Stuttgart", "–", "§"}) {
    EXPECT_NE(t.find(expected), std::string::npos) << expected << "\n" << t;
  }
}

// Scripts that need shaping or right-to-left layout are refused with
// kInvalidInput and a German reason naming field and characters, so the
// case goes to a clerk; nothing is substituted.
TEST_F(LetterTest, ArabicAndHebrewNamesAreRefusedForAClerk) {
  struct Case {
    std::string name, script;
  };
  for (const Case& c :
       {Case{"محمد الأحمد", "Zeichen der arabischen Schrift (U+0645, "},
        Case{"דוד כהן", "Zeichen der hebräischen Schrift (U+05D3, "}}) {
    core::Application a = Tettnang();
    a.positions[0].person = c.name;
    decision_ = core::Decide(a, rules_, reference_, {{2017, 8, 14}, {}});
    LetterInput in{&a, &decision_, "AZ", kLetterDate, {2017, 8, 14}, 0};
    auto letter = renderer_->Render(in);
    ASSERT_FALSE(letter.ok()) << c.name;
    EXPECT_EQ(letter.status().code(), StatusCode::kInvalidInput);
    const std::string& m = letter.status().message();
    EXPECT_EQ(m.rfind("Der Name der Person in Stelle 1 (\xE2\x80\x9E" + c.name +
                          "\xE2\x80\x9C) enthält " + c.script,
                      0),
              0u)
        << m;
    EXPECT_NE(m.find("die im Bescheid nicht korrekt gesetzt werden können; "
                     "bitte von Hand bearbeiten."),
              std::string::npos)
        << m;
  }
}

TEST_F(LetterTest, CharacterWithoutGlyphIsRefused) {
  core::Application a = Tettnang();
  a.address.recipient = "Stadt 中山";
  decision_ = core::Decide(a, rules_, reference_, {{2017, 8, 14}, {}});
  LetterInput in{&a, &decision_, "AZ", kLetterDate, {2017, 8, 14}, 0};
  auto letter = renderer_->Render(in);
  ASSERT_FALSE(letter.ok());
  EXPECT_EQ(letter.status().code(), StatusCode::kInvalidInput);
  EXPECT_EQ(letter.status().message(),
            "Der Empfänger der Anschrift (\xE2\x80\x9EStadt 中山\xE2\x80\x9C) "
            "enthält Zeichen der chinesischen, japanischen oder koreanischen "
            "Schrift (U+4E2D, U+5C71), die im Bescheid nicht korrekt gesetzt "
            "werden können; bitte von Hand bearbeiten.");
}

TEST_F(LetterTest, AMultiPageLetterStaysSmall) {
  core::Application a = Tettnang();
  a.positions[0].person = "Łukasz Wiśniewski-Dąbrowski";
  const std::string pdf = Render(a);
  ASSERT_GE(pages_, 2);  // the full grant: two or three pages
  const std::string bytes = ReadFileOrDie(pdf);
  EXPECT_LT(bytes.size(), 40u * 1024) << bytes.size();
  // Fonts cut to the letter's glyphs, with ToUnicode maps.
  auto fonts = RunCommand("pdffonts '" + pdf + "'");
  EXPECT_NE(fonts.out.find("CID TrueType"), std::string::npos) << fonts.out;
  int uni = 0;
  std::istringstream in(fonts.out);
  std::string line;
  while (std::getline(in, line)) {
    if (line.find("CID TrueType") == std::string::npos) continue;
    EXPECT_NE(line.find("Identity-H       yes yes yes"), std::string::npos)
        << line;
    ++uni;
  }
  EXPECT_EQ(uni, 2);
}

// The closing block (signature note, Grußformel, authority) stands on one
// page together with at least two lines of the text before it.
void ExpectClosingKeptWithText(const std::vector<PdfWord>& words,
                               const std::string& what) {
  const PdfWord* note = nullptr;  // "Dieses" of "Dieses Schreiben ..."
  const PdfWord* gruss = nullptr;
  for (const PdfWord& w : words) {
    if (w.text == "Dieses" && w.x_min < 26) note = &w;
    if (w.text == "Grüßen") gruss = &w;
  }
  ASSERT_NE(note, nullptr) << what;
  ASSERT_NE(gruss, nullptr) << what;
  EXPECT_EQ(note->page, gruss->page) << what;
  const double body_top = note->page == 1 ? 98 : 25;
  std::set<long> lines_before;
  for (const PdfWord& w : words) {
    if (w.page == note->page && w.y_min > body_top &&
        w.y_max < note->y_min - 0.5) {
      lines_before.insert(std::lround(w.y_min * 10));
    }
  }
  EXPECT_GE(lines_before.size(), 2u)
      << what << ": page " << note->page << " holds only the closing block";
  // The authority's name follows the Grußformel on the same page.
  bool authority_after = false;
  for (const PdfWord& w : words) {
    authority_after |= w.page == gruss->page &&
                       w.text == "Regierungspräsidium" &&
                       w.y_min > gruss->y_max && w.y_max < 266;
  }
  EXPECT_TRUE(authority_after) << what;
}

TEST_F(LetterTest, ClosingBlockNeverStandsAloneWhateverTheLength) {
  // Letters from 1 to 30 positions move the closing block across every
  // position on a page.
  core::Application a = Tettnang();
  a.ags = "08111000";
  a.name = "Landeshauptstadt Stuttgart";
  a.positions.clear();
  for (int n = 1; n <= 30; ++n) {
    a.positions.push_back(Pos("Person " + std::to_string(n),
                              core::Qualification::kB, 50, {2017, 10}, 24));
    const std::string pdf = ReadFileOrDie(Render(a));
    ExpectClosingKeptWithText(PdfWords(pdf), std::to_string(n) + " positions");
  }
}

TEST_F(LetterTest, PartialGrantKeepsClosingWithTheLegalRemedy) {
  core::Application a = Tettnang();
  a.name = "Stadt Offenburg";
  a.ags = "08317096";
  a.positions = {Pos("A", core::Qualification::kA, 100, {2017, 7}, 24),
                 Pos("B", core::Qualification::kB, 100, {2017, 10}, 24),
                 Pos("C", core::Qualification::kC, 75, {2018, 1}, 24),
                 Pos("D", core::Qualification::kA, 50, {2017, 9}, 24)};
  const std::vector<PdfWord> words = PdfWords(ReadFileOrDie(Render(a)));
  ExpectClosingKeptWithText(words, "Offenburg");
  const std::string t = Flat(Render(a));
  EXPECT_NE(t.find("bewilligt. Die Zuwendung wird als Festbetragsfinanzierung "
                   "in Form eines nicht rückzahlbaren Zuschusses gewährt. Im "
                   "Übrigen wird der Antrag abgelehnt."),
            std::string::npos)
      << t;
  // The split column: 97.933,90 + 87.802,81 + 58.253,78 + 48.966,95.
  for (const char* share : {"97.933,90", "87.802,81", "58.253,78", "48.966,95",
                            "abgelehnt werden 54.042,56 EUR"}) {
    EXPECT_NE(t.find(share), std::string::npos) << share;
  }
}

TEST_F(LetterTest, WindowFieldsAndInformationBlockFollowFormB) {
  LetterOptions o = SourceTreeOptions();
  for (const std::string& sender :
       {std::string(),
        std::string("RP Stuttgart · Ruppmannstraße 21 · 70565 "
                    "Stuttgart"),
        std::string("Regierungspräsidium Stuttgart · Referat 15.2 · "
                    "Dienststelle Wertheim · Ruppmannstraße 21 · 70565 "
                    "Stuttgart · Deutschland")}) {
    o.authority.return_address = sender;
    auto r = LetterRenderer::Create(o);
    ASSERT_TRUE(r.ok());
    core::Application a = Tettnang();
    decision_ = core::Decide(a, rules_, reference_, {{2017, 8, 14}, {}});
    auto letter = (*r)->Render(
        {&a, &decision_, "RPS15-IM-2017-00042", kLetterDate, {2017, 8, 14}, 0});
    ASSERT_TRUE(letter.ok());
    int return_words = 0, address_words = 0;
    double info_top = 1e9;
    for (const PdfWord& w : PdfWords(letter->pdf)) {
      if (w.page != 1) continue;
      const bool in_field = w.x_min >= 20 && w.x_max <= 105;
      if (w.y_min >= 40 && w.y_max <= 62.7 && w.x_min < 110) {
        ++return_words;  // the return zone: 45 .. 62.7 mm
        EXPECT_TRUE(in_field) << w.text << " ends at " << w.x_max << " mm";
        EXPECT_GE(w.y_min, 45) << w.text;
      }
      if (w.y_min >= 62.7 && w.y_max <= 98 && w.x_min < 110) {
        ++address_words;
        EXPECT_TRUE(in_field) << w.text;
        EXPECT_LE(w.y_max, 90) << w.text;
      }
      if (w.x_min >= 124 && w.y_min > 30 && w.y_max < 98) {
        info_top = std::min(info_top, w.y_min);
      }
    }
    EXPECT_GE(return_words, 4) << sender;
    EXPECT_GE(address_words, 5);
    EXPECT_NEAR(info_top, 50, 0.5);
  }
}

TEST_F(LetterTest, OnePageLetterHasNoPageNumber) {
  core::Application a = Tettnang();
  a.declarations.accepts_anbest_k = false;
  const std::string pdf = Render(a);
  ASSERT_EQ(decision_.kind, core::DecisionKind::kNachforderung);
  ASSERT_EQ(pages_, 1);
  EXPECT_EQ(Flat(pdf).find("Seite 1"), std::string::npos);
  // A longer letter numbers every page.
  const std::string grant = Flat(Render(Tettnang()));
  ASSERT_GT(pages_, 1);
  EXPECT_NE(grant.find("Seite 1 von " + std::to_string(pages_)),
            std::string::npos);
}

TEST_F(LetterTest, LetterDateOutsideTheDecisionPeriodIsRefused) {
  LetterOptions o = SourceTreeOptions();
  o.rules.decision_from = core::Date{2017, 9, 15};
  o.rules.decision_to = core::Date{2019, 12, 31};
  auto r = LetterRenderer::Create(o);
  ASSERT_TRUE(r.ok());
  core::Application a = Tettnang();
  decision_ = core::Decide(a, rules_, reference_, {{2017, 8, 14}, {}});
  auto late =
      (*r)->Render({&a, &decision_, "AZ", {2026, 11, 25}, {2017, 8, 14}, 0});
  ASSERT_FALSE(late.ok());
  EXPECT_EQ(late.status().code(), StatusCode::kInvalidInput);
  EXPECT_NE(late.status().message().find(
                "Das Entscheidungsdatum 25.11.2026 liegt außerhalb"),
            std::string::npos);
  EXPECT_TRUE(
      (*r)->Render({&a, &decision_, "AZ", kLetterDate, {2017, 8, 14}, 0}).ok());
  // Before the count date the planning budget does not exist yet.
  EXPECT_FALSE(
      renderer_->Render({&a, &decision_, "AZ", {2017, 9, 14}, {2017, 8, 14}, 0})
          .ok());
}

TEST_F(LetterTest, GrantNamesLegalBasisConditionsAndEnclosure) {
  core::Application a = Tettnang();
  a.positions[0].provider = "Caritasverband Bodensee-Oberschwaben e.V.";
  const std::string t = Flat(Render(a));
  for (const char* expected :
       {"1. Der Stadt Tettnang wird zur Förderung",
        "§§ 23 und 44 der Landeshaushaltsordnung",
        "Förderrichtlinie des Programms (Fördergrundsätze für das "
        "Integrationsmanagement",
        "Ein Rechtsanspruch auf die Zuwendung besteht nicht",
        "Soweit die Zuwendung auf die Jahre 2018 und 2019 entfällt",
        "Haushaltsvorbehalt", "(Caritasverband Bodensee-Oberschwaben e.V.)",
        "schriftlich vereinbaren",
        "am 15.09.2017 in der Anschlussunterbringung",
        "§ 55a der Verwaltungsgerichtsordnung",
        "der Urkundsbeamtin oder dem Urkundsbeamten",
        "Anlage: Allgemeine Nebenbestimmungen"}) {
    EXPECT_NE(t.find(expected), std::string::npos) << expected << "\n" << t;
  }
  EXPECT_EQ(t.find("Nachrichtlich"), std::string::npos);
}

TEST_F(LetterTest, JointGrantIndentsMembersAndSendsThemCopies) {
  core::Application a = Tettnang();
  a.ags = "08435036";
  a.name = "Gemeinde Kressbronn am Bodensee";
  a.members = {{"08435016", "Gemeinde Eriskirch"},
               {"08435040", "Gemeinde Langenargen"}};
  const std::string pdf = ReadFileOrDie(Render(a));
  const std::string t = Flat(Render(a));
  EXPECT_NE(t.find("Zusammenschluss aus der Gemeinde Kressbronn am Bodensee"),
            std::string::npos)
      << t;
  EXPECT_NE(t.find("Nachrichtlich (Abschrift) an: – Gemeinde Eriskirch – "
                   "Gemeinde Langenargen"),
            std::string::npos)
      << t;
  // Item 4 opens a sentence: the applicant in the nominative, capitalised.
  EXPECT_NE(t.find("4. Die Gemeinde Kressbronn am Bodensee (AGS 08435036) "
                   "vertritt den Zusammenschluss und nimmt die Zuwendung "
                   "entgegen."),
            std::string::npos)
      << t;
  // Members are indented under item 4: their dash lies right of the text
  // of the numbered item.
  double item_text_x = 0, member_dash_x = 0;
  const std::vector<PdfWord> words = PdfWords(pdf);
  for (size_t i = 0; i + 1 < words.size(); ++i) {
    if (words[i].text == "4." && words[i].page == 1)
      item_text_x = words[i + 1].x_min;
    if (words[i].text == "–" && words[i + 1].text == "Gemeinde" &&
        member_dash_x == 0)
      member_dash_x = words[i].x_min;
  }
  EXPECT_GT(item_text_x, 25);
  EXPECT_GE(member_dash_x, item_text_x - 0.5);
}

TEST_F(LetterTest, SecondApplicationNamesTheMunicipalityAndEarlierDecision) {
  core::Application a = Tettnang();
  const std::string t = Flat(Render(
      a, {{"08435059", "RPS15-IM-2017-00001", core::Date{2017, 9, 18}}}));
  EXPECT_NE(t.find("Stadt Tettnang (AGS 08435059): Zuwendungsbescheid mit dem "
                   "Aktenzeichen RPS15-IM-2017-00001 vom 18.09.2017"),
            std::string::npos)
      << t;
  EXPECT_NE(t.find("Zweitantrag"), std::string::npos);
  EXPECT_NE(t.find("Ein Rechtsanspruch auf die Zuwendung besteht nicht"),
            std::string::npos);
  EXPECT_NE(t.find("in Ausübung unseres Ermessens"), std::string::npos);
}

TEST_F(LetterTest, RequestDeadlineSaysWhatHappensWhenItPasses) {
  core::Application a = Tettnang();
  a.declarations.accepts_anbest_k = false;
  const std::string t = Flat(Render(a));
  EXPECT_NE(t.find("bis zum 27.12.2017"), std::string::npos);
  EXPECT_NE(t.find("entscheiden wir über Ihren Antrag nach Aktenlage"),
            std::string::npos);
}

// The words of page 1 inside the window's address zone (x 20..105 mm,
// y 62.7..90 mm), joined by spaces.
std::string AddressZone(const std::vector<PdfWord>& words) {
  std::string s;
  for (const PdfWord& w : words) {
    if (w.page == 1 && w.x_min >= 20 && w.x_max <= 105 && w.y_min >= 62.7 &&
        w.y_max <= 90) {
      s += (s.empty() ? "" : " ") + w.text;
    }
  }
  return s;
}

// The y position (mm) of the first word `text` on page 1, or -1.
double TopOf(const std::vector<PdfWord>& words, const std::string& text) {
  for (const PdfWord& w : words) {
    if (w.page == 1 && w.text == text) return w.y_min;
  }
  return -1;
}

TEST_F(LetterTest, CopyGoesToTheMemberMarkedAboveTheSubject) {
  core::Application a = Tettnang();
  a.members = {{"08435016", "Gemeinde Eriskirch"}};
  decision_ = core::Decide(a, rules_, reference_, {{2017, 8, 14}, {}});
  LetterInput in{&a,          &decision_,    "RPS15-IM-2017-00042",
                 kLetterDate, {2017, 8, 14}, 0};
  in.copy_to = CopyRecipient{"Gemeinde Eriskirch", "Schulstraße 18", "88097",
                             "Eriskirch"};
  auto copy = renderer_->Render(in);
  ASSERT_TRUE(copy.ok()) << copy.status().message();
  const std::vector<PdfWord> words = PdfWords(copy->pdf);
  EXPECT_EQ(AddressZone(words),
            "Gemeinde Eriskirch Schulstraße 18 88097 Eriskirch");
  const std::string page = PageText(words, 1);
  EXPECT_NE(page.find("Abschrift – nachrichtlich an die Gemeinde Eriskirch"),
            std::string::npos)
      << page;
  EXPECT_NE(page.find("RPS15-IM-2017-00042"), std::string::npos);
  // Above the subject, which follows it unchanged.
  const double marker = TopOf(words, "Abschrift");
  const double subject = TopOf(words, "Zuwendungsbescheid");
  EXPECT_GT(marker, 90);
  EXPECT_LT(marker, subject);
  // The letter to the applicant has neither.
  in.copy_to.reset();
  auto original = renderer_->Render(in);
  ASSERT_TRUE(original.ok());
  const std::vector<PdfWord> own = PdfWords(original->pdf);
  EXPECT_EQ(PageText(own, 1).find("Abschrift –"), std::string::npos);
  EXPECT_EQ(AddressZone(own),
            "Stadt Tettnang – Hauptamt Montfortplatz 7 88069 Tettnang");
}

TEST_F(LetterTest, CopyWithoutAddressIsAddressedByName) {
  core::Application a = Tettnang();
  a.members = {{"08435040", "Gemeinde Langenargen"}};
  decision_ = core::Decide(a, rules_, reference_, {{2017, 8, 14}, {}});
  LetterInput in{&a,          &decision_,    "RPS15-IM-2017-00042",
                 kLetterDate, {2017, 8, 14}, 0};
  in.copy_to = CopyRecipient{"Gemeinde Langenargen", "", "", ""};
  auto copy = renderer_->Render(in);
  ASSERT_TRUE(copy.ok()) << copy.status().message();
  EXPECT_EQ(AddressZone(PdfWords(copy->pdf)), "Gemeinde Langenargen");
}

TEST_F(LetterTest, AnswerToARequestRefersToIt) {
  core::Application a = Tettnang();
  decision_ = core::Decide(a, rules_, reference_, {{2017, 10, 9}, {}});
  LetterInput in{&a,          &decision_,    "RPS15-IM-2017-00042",
                 kLetterDate, {2017, 10, 9}, 0};
  in.answers = AnsweredRequest{{2017, 9, 18}, {2017, 10, 16}};
  auto letter = renderer_->Render(in);
  ASSERT_TRUE(letter.ok()) << letter.status().message();
  const std::vector<PdfWord> words = PdfWords(letter->pdf);
  std::string page = PageText(words, 1);
  EXPECT_NE(page.find("Ihr Antrag vom 10.08.2017, vervollständigt eingegangen "
                      "am 09.10.2017"),
            std::string::npos)
      << page;
  EXPECT_NE(page.find("Bezug: Unser Schreiben vom 18.09.2017 (Anforderung "
                      "fehlender Angaben und Unterlagen)"),
            std::string::npos)
      << page;
  EXPECT_NE(page.find("Unser Schreiben vom 18.09.2017"), std::string::npos);
  EXPECT_EQ(page.find("nach Ablauf"), std::string::npos);  // in time
  // In the information block, beside the address field: the label in its
  // column, the date in the value column on the same line.
  double label_end = 0, label_y = 0, value_y = -1;
  for (const PdfWord& w : words) {
    if (w.page != 1 || w.x_min < 124 || w.y_max > 98) continue;
    if (w.text == "Schreiben") label_end = w.x_max, label_y = w.y_min;
    if (w.text == "18.09.2017" && w.x_min >= 149) value_y = w.y_min;
  }
  for (const PdfWord& w : words) {  // the whole label
    if (w.page == 1 && w.x_min >= 124 && w.x_min < 149 &&
        std::abs(w.y_min - label_y) < 1.0) {
      label_end = std::max(label_end, w.x_max);
    }
  }
  EXPECT_GT(label_end, 124);
  EXPECT_LT(label_end, 149);
  EXPECT_NEAR(value_y, label_y, 1.0);
  // Received after the deadline: still decided, and the letter says so.
  in.receipt_date = {2017, 10, 20};
  letter = renderer_->Render(in);
  ASSERT_TRUE(letter.ok());
  page = PageText(PdfWords(letter->pdf), 1);
  EXPECT_NE(page.find("nach Ablauf der dort genannten Frist (16.10.2017) "
                      "eingegangen; wir haben sie dennoch berücksichtigt"),
            std::string::npos)
      << page;
}

TEST(LetterTemplatesTest, UnknownNamesAreRefusedWithFileLineAndKnownNames) {
  TempDir dir;
  fs::copy(SourcePath("templates/letters"), dir / "t",
           fs::copy_options::recursive);
  const std::string path = dir / "t/zuwendungsbescheid.mustache";
  const std::string original = ReadFileOrDie(path);
  LetterOptions o = SourceTreeOptions();
  o.templates_dir = dir / "t";
  auto line_of = [&](const std::string& text, const std::string& needle) {
    const size_t at = text.find(needle);
    return 1 + std::count(text.begin(), text.begin() + at, '\n');
  };
  std::string typo = original;
  typo.replace(typo.find("{{bewilligt}}"), 13, "{{bewiligt}}");
  WriteFileOrDie(path, typo);
  auto r = LetterRenderer::Create(o);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().code(), StatusCode::kConfig);
  const std::string expected =
      "Vorlage zuwendungsbescheid.mustache, Zeile " +
      std::to_string(line_of(typo, "{{bewiligt}}")) +
      ": unbekannte Variable 'bewiligt'. Bekannt sind: ";
  EXPECT_EQ(r.status().message().rfind(expected, 0), 0u)
      << r.status().message();
  EXPECT_NE(r.status().message().find(", bewilligt, "), std::string::npos);

  // Inside a list its entries' names are known too; outside they are not.
  std::string outside = original;
  outside.replace(outside.find("{{bewilligt}}"), 13, "{{person}}");
  WriteFileOrDie(path, outside);
  r = LetterRenderer::Create(o);
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.status().message().find("unbekannte Variable 'person'"),
            std::string::npos);

  std::string section = original;
  for (size_t at;
       (at = section.find("teilbewilligung}}")) != std::string::npos;)
    section.replace(at, 17, "teilbewiligung}}");
  WriteFileOrDie(path, section);
  r = LetterRenderer::Create(o);
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.status().message().find("unbekannter Abschnitt 'teilbewiligung'"),
            std::string::npos);

  std::string partial = original;
  partial.replace(partial.find("{{> nebenbestimmungen}}"), 23,
                  "{{> nebenbestimmung}}");
  WriteFileOrDie(path, partial);
  r = LetterRenderer::Create(o);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(
      r.status().message(),
      "Vorlage zuwendungsbescheid.mustache, Zeile " +
          std::to_string(line_of(partial, "{{> nebenbestimmung}}")) +
          ": unbekannter Baustein 'nebenbestimmung'. Bekannt sind: "
          "bezug, nachrichtlich, nebenbestimmungen, rechtsbehelfsbelehrung, "
          "rechtsgrundlage, schluss.");

  // A typo in a partial names the partial's file and line.
  WriteFileOrDie(path, original);
  WriteFileOrDie(dir / "t/partials/schluss.mustache",
                 "[Schluss]\nMit freundlichen Grüßen\n\n{{behorde}}\n");
  r = LetterRenderer::Create(o);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().message().rfind(
                "Vorlage partials/schluss.mustache, Zeile 4: unbekannte "
                "Variable 'behorde'.",
                0),
            0u)
      << r.status().message();
}

TEST(LetterTemplatesTest, ClerksCanEditTextWithoutRecompiling) {
  TempDir dir;
  fs::copy(SourcePath("templates/letters"), dir / "t",
           fs::copy_options::recursive);
  std::string grant = ReadFileOrDie(dir / "t/zuwendungsbescheid.mustache");
  grant.replace(grant.find("Sehr geehrte Damen und Herren,"), 30,
                "Liebe Kolleginnen und Kollegen,");
  WriteFileOrDie(dir / "t/zuwendungsbescheid.mustache", grant);
  LetterOptions o = SourceTreeOptions();
  o.templates_dir = dir / "t";
  auto r = LetterRenderer::Create(o);
  ASSERT_TRUE(r.ok()) << r.status().message();
  core::Application a = Tettnang();
  core::Decision d =
      core::Decide(a, core::ProgrammeRules(), Reference(), {{2017, 8, 14}, {}});
  auto text = (*r)->RenderText({&a, &d, "AZ", kLetterDate, {2017, 8, 14}, 0});
  ASSERT_TRUE(text.ok());
  EXPECT_NE(text->find("Liebe Kolleginnen und Kollegen,"), std::string::npos);
}

TEST(LetterFontsTest, FullSystemFontGivesTheSameText) {
  // The committed fonts must not lose a character: a letter set in
  // Debian's full DejaVu Sans (cut to the repertoire when the renderer is
  // made) reads exactly the same.
  LetterOptions full = SourceTreeOptions();
  full.font_regular = "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf";
  full.font_bold = "/usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf";
  core::Application a = Tettnang();
  a.positions[0].person = "Zoë Ñúñez-Æbeltoft „Œuvre“ € ‰ ™";
  a.address.street = "Łódź Ωμέγα Жук ữ 7";
  const core::Decision d =
      core::Decide(a, core::ProgrammeRules(), Reference(), {{2017, 8, 14}, {}});
  TempDir dir;
  std::string texts[2];
  int k = 0;
  for (const LetterOptions& o : {SourceTreeOptions(), full}) {
    auto r = LetterRenderer::Create(o);
    ASSERT_TRUE(r.ok()) << r.status().message();
    auto letter = (*r)->Render({&a, &d, "AZ-1", kLetterDate, {2017, 8, 14}, 0});
    ASSERT_TRUE(letter.ok()) << letter.status().message();
    const std::string path = dir / ("l" + std::to_string(k) + ".pdf");
    WriteFileOrDie(path, letter->pdf);
    texts[k++] = RunCommand("pdftotext -enc UTF-8 '" + path + "' -").out;
  }
  EXPECT_EQ(texts[0], texts[1]);
  EXPECT_NE(texts[0].find("Zoë Ñúñez-Æbeltoft „Œuvre“ € ‰ ™"),
            std::string::npos);
  EXPECT_NE(texts[0].find("Łódź Ωμέγα Жук ữ 7"), std::string::npos);
}

// Renders the letter of `a` with `renderer`; "" (and a test failure) when
// it cannot.
std::string LetterBytes(LetterRenderer& renderer, const core::Application& a) {
  const core::Decision d =
      core::Decide(a, core::ProgrammeRules(), Reference(), {{2017, 8, 14}, {}});
  auto letter =
      renderer.Render({&a, &d, "AZ-1", kLetterDate, {2017, 8, 14}, 0});
  EXPECT_TRUE(letter.ok()) << letter.status().message();
  return letter.ok() ? letter->pdf : "";
}

// The application of Tettnang for a person whose name has the Cyrillic
// letter U+0410 + k (0 to 63): k in a block of 16 of its own, a glyph set
// of its own (PdfWriter rounds sets up to such blocks).
core::Application TettnangWithCyrillic(int k) {
  core::Application a = Tettnang();
  const char32_t c = 0x0410 + static_cast<char32_t>(k);
  a.positions[0].person = "Person ";
  a.positions[0].person += static_cast<char>(0xC0 | (c >> 6));
  a.positions[0].person += static_cast<char>(0x80 | (c & 0x3F));
  return a;
}

// `bescheid process` makes eight renderers per worker: a second renderer of
// the same fonts loads no font and makes no glyph set the first one made,
// and writes the same bytes.
TEST(LetterFontsTest, RenderersOfOneProcessShareFontsAndGlyphSets) {
  auto first = LetterRenderer::Create(SourceTreeOptions());
  ASSERT_TRUE(first.ok()) << first.status().message();
  const core::Application a = TettnangWithCyrillic(3);
  const std::string by_first = LetterBytes(**first, a);
  const uint64_t made = PdfWriter::GlyphSetsMade();
  auto second = LetterRenderer::Create(SourceTreeOptions());
  ASSERT_TRUE(second.ok()) << second.status().message();
  EXPECT_EQ(LetterBytes(**second, a), by_first);
  EXPECT_EQ(PdfWriter::GlyphSetsMade(), made);
  // A set neither has made yet is made once, by whichever asks first.
  const std::string other = LetterBytes(**second, TettnangWithCyrillic(19));
  EXPECT_EQ(PdfWriter::GlyphSetsMade(), made + 1);
  EXPECT_EQ(LetterBytes(**first, TettnangWithCyrillic(19)), other);
  EXPECT_EQ(PdfWriter::GlyphSetsMade(), made + 1);
}

// A font file changed on disk is not taken for the one loaded before it:
// the next renderer loads it again (a cut to check it: one set) and makes
// its glyph sets anew (one more); the unchanged bold font stays shared.
TEST(LetterFontsTest, AFontFileChangedOnDiskIsLoadedAgain) {
  TempDir dir;
  LetterOptions o = SourceTreeOptions();
  const std::string regular = dir / "regular.ttf";
  fs::copy_file(o.font_regular, regular);
  o.font_regular = regular;
  auto before = LetterRenderer::Create(o);
  ASSERT_TRUE(before.ok()) << before.status().message();
  const std::string by_before = LetterBytes(**before, Tettnang());
  fs::last_write_time(regular,
                      fs::last_write_time(regular) - std::chrono::hours(1));
  const uint64_t made = PdfWriter::GlyphSetsMade();
  auto after = LetterRenderer::Create(o);
  ASSERT_TRUE(after.ok()) << after.status().message();
  EXPECT_EQ(LetterBytes(**after, Tettnang()), by_before);
  EXPECT_EQ(PdfWriter::GlyphSetsMade(), made + 2);
}

// Renderers on different threads share the font cache: letters whose glyph
// sets they make and find at the same time come out as one renderer alone
// writes them (run under TSan too). That one reads copies of the fonts, so
// that it shares nothing with them.
TEST(LetterFontsTest, RenderersOnManyThreadsShareTheCacheSafely) {
  TempDir dir;
  LetterOptions copies = SourceTreeOptions();
  for (std::string* font : {&copies.font_regular, &copies.font_bold}) {
    const std::string copy = dir / fs::path(*font).filename();
    fs::copy_file(*font, copy);
    *font = copy;
  }
  auto alone = LetterRenderer::Create(copies);
  ASSERT_TRUE(alone.ok()) << alone.status().message();
  // Four glyph sets, three letters each.
  constexpr int kLetters = 12;
  auto cyrillic = [](int i) { return (i % 4) * 16 + i / 4; };
  std::vector<std::string> expected;
  for (int i = 0; i < kLetters; ++i) {
    expected.push_back(LetterBytes(**alone, TettnangWithCyrillic(cyrillic(i))));
  }
  constexpr int kThreads = 4;
  std::vector<std::unique_ptr<LetterRenderer>> renderers;
  for (int t = 0; t < kThreads; ++t) {
    auto r = LetterRenderer::Create(SourceTreeOptions());
    ASSERT_TRUE(r.ok()) << r.status().message();
    renderers.push_back(std::move(r).value());
  }
  std::vector<std::vector<std::string>> got(kThreads);
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      // Each thread its own order, so that they meet on every set.
      for (int i = 0; i < kLetters; ++i) {
        const int k = (i + 3 * t) % kLetters;
        got[t].push_back(
            LetterBytes(*renderers[t], TettnangWithCyrillic(cyrillic(k))));
      }
    });
  }
  for (std::thread& th : threads) th.join();
  for (int t = 0; t < kThreads; ++t) {
    for (int i = 0; i < kLetters; ++i) {
      EXPECT_EQ(got[t][i], expected[(i + 3 * t) % kLetters])
          << "thread " << t << ", letter " << i;
    }
  }
}

TEST(LetterTemplatesTest, BrokenOrMissingTemplateIsAConfigError) {
  TempDir dir;
  fs::copy(SourcePath("templates/letters"), dir / "t",
           fs::copy_options::recursive);
  WriteFileOrDie(dir / "t/ablehnungsbescheid.mustache",
                 "{{#offen}} nie geschlossen");
  LetterOptions o;
  o.templates_dir = dir / "t";
  auto broken = LetterRenderer::Create(o);
  ASSERT_FALSE(broken.ok());
  EXPECT_EQ(broken.status().code(), StatusCode::kConfig);
  EXPECT_NE(broken.status().message().find("ablehnungsbescheid"),
            std::string::npos);
  fs::remove(dir / "t/nachforderung.mustache");
  auto missing = LetterRenderer::Create(o);
  ASSERT_FALSE(missing.ok());
  EXPECT_NE(missing.status().message().find("nachforderung.mustache"),
            std::string::npos);
  o = SourceTreeOptions();
  o.font_regular = "/nonexistent.ttf";
  auto no_font = LetterRenderer::Create(o);
  ASSERT_FALSE(no_font.ok());
  EXPECT_NE(no_font.status().message().find("/nonexistent.ttf"),
            std::string::npos);
}

}  // namespace
}  // namespace bescheid::letters
