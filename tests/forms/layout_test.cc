#include "forms/layout.h"

#include <gtest/gtest.h>

#include <map>
#include <set>

#include "forms/field_values.h"
#include "forms/sample_applications.h"
#include "test_util.h"

namespace bescheid::forms {
namespace {

std::string ShippedText() {
  return testing::ReadFileOrDie(
      testing::SourcePath("templates/forms/antrag-1.0.form"));
}

FormLayout Shipped() {
  Result<FormLayout> layout = ParseLayout(ShippedText(), "antrag-1.0.form");
  if (!layout.ok()) ADD_FAILURE() << layout.status().message();
  return layout.ok() ? std::move(layout).value() : FormLayout{};
}

// 1-based number of the first line containing `needle`; 0 if none.
int LineOf(const std::string& text, const std::string& needle) {
  const size_t at = text.find(needle);
  if (at == std::string::npos) return 0;
  return static_cast<int>(std::count(text.begin(), text.begin() + at, '\n')) +
         1;
}

int LineCount(const std::string& text) {
  return static_cast<int>(std::count(text.begin(), text.end(), '\n')) + 1;
}

const Field* FindField(const PlacedPage& page, const std::string& id) {
  for (const Field& f : page.fields) {
    if (f.id == id) return &f;
  }
  return nullptr;
}

TEST(LayoutTest, ShippedLayoutDescribesTheForm) {
  const FormLayout layout = Shipped();
  EXPECT_EQ(layout.form_id, "ANTRAG");
  EXPECT_EQ(layout.version, "1.0");
  EXPECT_EQ(layout.marks.size(), 4u);
  EXPECT_EQ(layout.pages.size(), 4u);
  ASSERT_NE(layout.Continuation(), nullptr);
  EXPECT_GE(layout.FixedRows("position"), 5);
  EXPECT_GE(layout.FixedRows("member"), 5);
  EXPECT_GE(layout.ContinuationRows("position"), 1);
  EXPECT_GE(layout.ContinuationRows("member"), 1);
}

TEST(LayoutTest, WindowsLineEndingsReadTheSame) {
  std::string text = ShippedText();
  std::string crlf;
  for (char c : text)
    crlf += c == '\n' ? std::string("\r\n") : std::string(1, c);
  Result<FormLayout> layout = ParseLayout(crlf, "crlf.form");
  ASSERT_TRUE(layout.ok()) << layout.status().message();
  EXPECT_EQ(layout->title, Shipped().title);
}

TEST(LayoutTest, CombFieldsHaveOneCellPerCharacter) {
  const FormLayout layout = Shipped();
  const std::vector<PlacedPage> pages = PlacePages(layout, 0, 0);
  const Field* iban = FindField(pages[0], "bank.iban");
  ASSERT_NE(iban, nullptr);
  EXPECT_EQ(iban->kind, FieldKind::kComb);
  EXPECT_EQ(iban->cells, 34);
  EXPECT_FALSE(iban->digits_only);
  const Field* ags = FindField(pages[0], "applicant.ags");
  ASSERT_NE(ags, nullptr);
  EXPECT_EQ(ags->cells, 8);
  EXPECT_TRUE(ags->digits_only);
  const Rect c = ags->Cell(3);
  EXPECT_DOUBLE_EQ(c.x, ags->box.x + 3 * ags->box.w / 8);
  EXPECT_DOUBLE_EQ(c.w, ags->box.w / 8);
}

TEST(LayoutTest, FixedPagesHoldEveryFieldOfTheApplication) {
  const FormLayout layout = Shipped();
  const core::Application app = testing::SampleApplication(5, 5);
  std::set<std::string> ids;
  for (const PlacedPage& p : PlacePages(layout, 5, 5)) {
    for (const Field& f : p.fields) {
      ids.insert(f.id);
      EXPECT_TRUE(FieldValue(app, f).has_value()) << f.id;
    }
  }
  for (const char* id : {"programme",
                         "receipt_date",
                         "applicant.kind",
                         "applicant.name",
                         "applicant.ags",
                         "address.recipient",
                         "address.street",
                         "address.postcode",
                         "address.city",
                         "contact.name",
                         "contact.phone",
                         "contact.email",
                         "member[4].ags",
                         "member[4].name",
                         "bank.holder",
                         "bank.iban",
                         "bank.bic",
                         "position[4].person",
                         "position[4].qualification",
                         "position[4].fte",
                         "position[4].start",
                         "position[4].months",
                         "position[4].provider",
                         "position[4].proof",
                         "declarations.complete",
                         "declarations.no_double_funding",
                         "declarations.anbest_k",
                         "signature.place",
                         "signature.date",
                         "signature.name",
                         "signature.function",
                         "signature.image"}) {
    EXPECT_EQ(ids.count(id), 1u) << id;
  }
}

// Clerks read doubts by the form's words, not by field ids.
TEST(LayoutTest, FieldTitlesAreTheFormsLabelsWithTheirRow) {
  std::map<std::string, std::string> title;
  for (const PlacedPage& p : PlacePages(Shipped(), 7, 6)) {
    for (const Field& f : p.fields) {
      title[f.id + (f.kind == FieldKind::kCheck ? "=" + f.value : "")] =
          FieldTitle(f);
    }
  }
  EXPECT_EQ(title["contact.phone"], "Telefon");
  EXPECT_EQ(title["address.city"], "Ort");
  EXPECT_EQ(title["signature.place"], "Unterzeichnung, Ort");
  EXPECT_EQ(title["position[0].fte"], "Stelle 1, VZÄ");
  EXPECT_EQ(title["position[6].months"], "Stelle 7, Monate");
  EXPECT_EQ(title["position[1].qualification=B"], "Stelle 2, B");
  EXPECT_EQ(title["member[5].ags"], "Mitglied 6, AGS");
  Field unlabelled;
  unlabelled.id = "bank.bic";
  EXPECT_EQ(FieldTitle(unlabelled), "bank.bic");
}

TEST(LayoutTest, ContinuationPagesHoldTheFollowingRows) {
  const FormLayout layout = Shipped();
  const int fixed = layout.FixedRows("position");
  const int per_page = layout.ContinuationRows("position");
  const std::vector<PlacedPage> pages = PlacePages(layout, 12, 0);
  const int fixed_pages = static_cast<int>(PlacePages(layout, 0, 0).size());
  const int expected_extra = (12 - fixed + per_page - 1) / per_page;
  ASSERT_EQ(static_cast<int>(pages.size()), fixed_pages + expected_extra);
  const PlacedPage& first = pages[fixed_pages];
  EXPECT_TRUE(first.tpl->continuation);
  EXPECT_EQ(first.continuation_index, 0);
  EXPECT_EQ(first.number, fixed_pages + 1);
  EXPECT_NE(FindField(first, "position[" + std::to_string(fixed) + "].fte"),
            nullptr);
  EXPECT_NE(FindField(pages.back(), "position[11].person"), nullptr);
  // Rows lie one below the other, dy apart.
  const Field* a =
      FindField(first, "position[" + std::to_string(fixed) + "].person");
  const Field* b =
      FindField(first, "position[" + std::to_string(fixed + 1) + "].person");
  ASSERT_NE(a, nullptr);
  ASSERT_NE(b, nullptr);
  EXPECT_GT(b->box.y, a->box.y + a->box.h);
}

TEST(LayoutTest, MinimumPagesAddContinuationPages) {
  const FormLayout layout = Shipped();
  const size_t fixed_pages = PlacePages(layout, 0, 0).size();
  EXPECT_EQ(PlacePages(layout, 1, 0, static_cast<int>(fixed_pages) + 2).size(),
            fixed_pages + 2);
}

struct BrokenLayout {
  const char* find;     // a line of the shipped layout, or "" to append
  const char* replace;  // what it becomes
  const char* message;  // part of the German error
  int column;           // expected "Spalte", 0 if none
};

TEST(LayoutTest, EachErrorNamesItsLineAndKey) {
  const std::string shipped = ShippedText();
  const BrokenLayout cases[] = {
      {"", "rahmen x=1 y=1 w=2 h=2", "unbekannte Anweisung 'rahmen'", 0},
      {"mark x=6 y=6 size=8", "mark x=abc y=6 size=8",
       "'x': Zahl (mm, nicht negativ) erwartet statt 'abc'", 0},
      {"mark x=6 y=6 size=8", "mark x=6 y=6 size=8 colour=red",
       "unbekannter Schlüssel 'colour' in 'mark'", 0},
      {"mark x=6 y=6 size=8", "mark x=6 y=6", "'size' fehlt in 'mark'", 0},
      {"text id=applicant.name", "text id=applicant.nam",
       "unbekanntes Feld 'applicant.nam'", 0},
      {"text id=bank.holder label=\"Kontoinhaber\" x=20",
       "text id=bank.holder label=\"Kontoinhaber x=20",
       "Anführungszeichen nicht geschlossen", 27},
      {"text id=programme", "comb id=programme",
       "unbekannter Schlüssel 'w' in 'comb'", 0},
      {"comb id=bank.bic label=\"BIC (falls vorhanden)\" x=20 y=224 cell=5 h=7 "
       "pattern=\"########-###\"",
       "comb id=bank.bic x=20 y=224 cell=5 h=7", "'pattern' fehlt in 'comb'",
       0},
      {"pattern=\"#### #### #### #### #### #### #### #### ##\"",
       "pattern=\"#### ####\"", "Feld 'bank.iban' braucht mindestens 34", 0},
      {"value=Landkreis", "value=Kreis",
       "'value' von 'applicant.kind' muss eines von", 0},
      {"text id=contact.email label=\"E-Mail\" x=130 y=116 w=60 h=7",
       "text id=contact.email label=\"E-Mail\" x=180 y=116 w=60 h=7",
       "Feld 'contact.email' liegt nicht auf der Seite", 0},
      {"text id=address.city", "text id=member[i].name", "mit [i] nur", 0},
  };
  for (const BrokenLayout& c : cases) {
    std::string text = shipped;
    int line = 0;
    if (std::string(c.find).empty()) {
      text += std::string(c.replace) + "\n";
      line = LineCount(text) - 1;
    } else {
      line = LineOf(text, c.find);
      ASSERT_GT(line, 0) << c.find;
      text.replace(text.find(c.find), std::string(c.find).size(), c.replace);
    }
    Result<FormLayout> r = ParseLayout(text, "test.form");
    ASSERT_FALSE(r.ok()) << c.replace;
    EXPECT_EQ(r.status().code(), StatusCode::kConfig);
    const std::string where =
        "test.form, Zeile " + std::to_string(line) +
        (c.column ? ", Spalte " + std::to_string(c.column) : std::string()) +
        ": ";
    EXPECT_EQ(r.status().message().rfind(where, 0), 0u)
        << r.status().message() << "\nexpected to start with " << where;
    EXPECT_NE(r.status().message().find(c.message), std::string::npos)
        << r.status().message();
  }
}

TEST(LayoutTest, MissingOrDoubledFieldsAreNamed) {
  const std::string shipped = ShippedText();
  std::string without_bic = shipped;
  const size_t bic = without_bic.find("comb id=bank.bic");
  without_bic.erase(bic, without_bic.find('\n', bic) - bic);
  Result<FormLayout> r = ParseLayout(without_bic, "t.form");
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.status().message().find(
                "Feld 'bank.bic' muss genau einmal vorkommen, kommt 0-mal vor"),
            std::string::npos)
      << r.status().message();

  std::string doubled = shipped;
  const size_t holder = doubled.find("text id=bank.holder");
  const std::string line =
      doubled.substr(holder, doubled.find('\n', holder) - holder + 1);
  doubled.insert(holder, line);
  r = ParseLayout(doubled, "t.form");
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.status().message().find("'bank.holder' muss genau einmal "
                                      "vorkommen, kommt 2-mal vor"),
            std::string::npos)
      << r.status().message();
}

TEST(LayoutTest, UnclosedGroupNamesItsLine) {
  std::string text = ShippedText();
  const int line = LineOf(text, "group name=member rows=5 dy=9 labels=first");
  const size_t end = text.find("\nend\n");
  text.erase(end, 4);
  Result<FormLayout> r = ParseLayout(text, "t.form");
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.status().message().find("Zeile " + std::to_string(line)),
            std::string::npos)
      << r.status().message();
}

TEST(FieldValueTest, CombsHoldDigitsWithoutSeparators) {
  core::Application app = testing::SampleApplication(8, 0);
  app.positions[7].fte_hundredths = 50;
  app.positions[7].start = {2017, 10};
  app.positions[7].months = 6;
  Field f;
  f.kind = FieldKind::kComb;
  f.id = "position[7].fte";
  EXPECT_EQ(FieldValue(app, f), "050");
  f.id = "position[7].start";
  EXPECT_EQ(FieldValue(app, f), "102017");
  f.id = "position[7].months";
  EXPECT_EQ(FieldValue(app, f), "06");
  f.id = "signature.date";
  EXPECT_EQ(FieldValue(app, f), "10082017");
  f.id = "position[8].fte";
  EXPECT_EQ(FieldValue(app, f), std::nullopt);
  f.id = "bank.konto";
  EXPECT_EQ(FieldValue(app, f), std::nullopt);
}

TEST(FieldValueTest, ChecksTickOnlyTheirValue) {
  const core::Application app = testing::SampleApplication(3, 0);
  Field f;
  f.kind = FieldKind::kCheck;
  f.id = "position[1].qualification";
  f.value = "B";
  EXPECT_EQ(FieldValue(app, f), "X");
  f.value = "A";
  EXPECT_EQ(FieldValue(app, f), "");
  f.id = "applicant.kind";
  f.value = "Gemeinde";
  EXPECT_EQ(FieldValue(app, f), "X");
  f.id = "declarations.anbest_k";
  f.value = "ja";
  EXPECT_EQ(FieldValue(app, f), "");
}

}  // namespace
}  // namespace bescheid::forms
