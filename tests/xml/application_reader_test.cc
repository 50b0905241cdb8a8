#include "xml/application_reader.h"

#include <gtest/gtest.h>

#include <chrono>
#include <regex>
#include <thread>

#include "env/env.h"
#include "test_util.h"

namespace bescheid::xml {
namespace {

using bescheid::testing::ReadFileOrDie;
using bescheid::testing::SourcePath;

class ReaderTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    auto r = ApplicationReader::Create();
    ASSERT_TRUE(r.ok()) << r.status().message();
    reader_ = std::move(r).value().release();
  }
  static void TearDownTestSuite() { delete reader_; }

  static std::string Example(const std::string& name) {
    return ReadFileOrDie(SourcePath("examples/" + name));
  }
  // The report for `doc`, which must be rejected.
  static std::string Rejection(const std::string& doc) {
    auto r = reader_->Read(doc, "antrag.xml");
    EXPECT_FALSE(r.ok());
    if (r.ok()) return "";
    EXPECT_EQ(r.status().code(), StatusCode::kInvalidInput);
    return r.status().message();
  }
  static std::string Replace(std::string s, const std::string& from,
                             const std::string& to) {
    size_t at = s.find(from);
    EXPECT_NE(at, std::string::npos) << from;
    if (at != std::string::npos) s.replace(at, from.size(), to);
    return s;
  }

  static ApplicationReader* reader_;
};
ApplicationReader* ReaderTest::reader_ = nullptr;

TEST_F(ReaderTest, AcceptsEveryExample) {
  for (const char* name :
       {"01-bewilligung-tettnang.xml", "02-teilbewilligung-offenburg.xml",
        "03-ablehnung-mindestbetrag-todtnau.xml", "04-nachforderung-wangen.xml",
        "05-zusammenschluss-bodensee.xml",
        "06-ablehnung-doppelfoerderung-tettnang.xml",
        "07-ablehnung-fristende-ludwigsburg.xml",
        "08-ablehnung-nicht-berechtigt.xml"}) {
    auto r = reader_->Read(Example(name), name);
    EXPECT_TRUE(r.ok()) << name << ": " << r.status().message();
  }
}

TEST_F(ReaderTest, MapsEveryField) {
  auto r = reader_->Read(Example("02-teilbewilligung-offenburg.xml"), "x.xml");
  ASSERT_TRUE(r.ok()) << r.status().message();
  const core::Application& a = *r;
  EXPECT_EQ(a.programme, "IM-2017");
  ASSERT_TRUE(a.receipt_date.has_value());
  EXPECT_EQ(a.receipt_date->ToIso(), "2017-07-28");
  EXPECT_EQ(a.kind, core::ApplicantKind::kGemeinde);
  EXPECT_EQ(a.name, "Stadt Offenburg");
  EXPECT_EQ(a.ags, "08317096");
  EXPECT_EQ(a.address.recipient,
            "Stadt Offenburg – Fachbereich Bürgerservice und Soziales");
  EXPECT_EQ(a.address.street, "Hauptstraße 90");
  EXPECT_EQ(a.address.postcode, "77652");
  EXPECT_EQ(a.address.city, "Offenburg");
  EXPECT_EQ(a.contact.name, "Jürgen Weiß");
  EXPECT_EQ(a.contact.email, "integration@offenburg.example");
  EXPECT_TRUE(a.members.empty());
  EXPECT_EQ(a.bank.iban, "DE76664500500001000123");
  EXPECT_FALSE(a.bank.bic.has_value());
  ASSERT_EQ(a.positions.size(), 4u);
  EXPECT_EQ(a.positions[0].person, "Ayşe Demir");
  EXPECT_EQ(a.positions[1].qualification, core::Qualification::kB);
  EXPECT_EQ(a.positions[1].provider.value_or(""),
            "Caritasverband Offenburg-Kehl e.V.");
  EXPECT_EQ(a.positions[2].fte_hundredths, 75);
  EXPECT_EQ(a.positions[2].start.ToIso(), "2018-01");
  EXPECT_EQ(a.positions[3].months, 24);
  EXPECT_TRUE(a.positions[3].proof_attached);
  EXPECT_TRUE(a.declarations.accepts_anbest_k);
  EXPECT_EQ(a.signature.date.ToIso(), "2017-07-26");
  EXPECT_EQ(a.signature.function, "Bürgermeister");
}

TEST_F(ReaderTest, MapsMembersAndFalseDeclarations) {
  auto joint = reader_->Read(Example("05-zusammenschluss-bodensee.xml"), "x");
  ASSERT_TRUE(joint.ok());
  ASSERT_EQ(joint->members.size(), 2u);
  EXPECT_EQ(joint->members[1].ags, "08435040");
  EXPECT_EQ(joint->members[1].name, "Gemeinde Langenargen");
  auto req = reader_->Read(Example("04-nachforderung-wangen.xml"), "x");
  ASSERT_TRUE(req.ok());
  EXPECT_FALSE(req->positions[1].proof_attached);
  EXPECT_FALSE(req->declarations.accepts_anbest_k);
  EXPECT_TRUE(req->declarations.no_double_funding);
}

TEST_F(ReaderTest, CollapsesWhiteSpaceInText) {
  std::string doc = Replace(Example("01-bewilligung-tettnang.xml"),
                            "<Name>Stadt Tettnang</Name>",
                            "<Name>\n      Stadt   Tettnang\n    </Name>");
  auto r = reader_->Read(doc, "x");
  ASSERT_TRUE(r.ok()) << r.status().message();
  EXPECT_EQ(r->name, "Stadt Tettnang");
}

TEST_F(ReaderTest, SchemaErrorNamesLineColumnAndValueInGerman) {
  std::string doc = Example("01-bewilligung-tettnang.xml");
  doc = Replace(doc, "<VZAE>1.00</VZAE>", "<VZAE>0.20</VZAE>");
  // Find the line and column of "<VZAE" in the document.
  const size_t at = doc.find("<VZAE>");
  const int line =
      1 + static_cast<int>(std::count(doc.begin(), doc.begin() + at, '\n'));
  const int column = static_cast<int>(at - doc.rfind('\n', at));
  const std::string report = Rejection(doc);
  EXPECT_NE(
      report.find(
          "Zeile " + std::to_string(line) + ", Spalte " +
          std::to_string(column) +
          ": Feld 'Stellenumfang in Vollzeitäquivalenten (VZÄ)': Der Wert 0,20 "
          "ist kleiner als der kleinste zulässige Wert 0,25"),
      std::string::npos)
      << report;
  EXPECT_NE(report.find("antrag.xml"), std::string::npos);
}

TEST_F(ReaderTest, ReportsEverySchemaProblem) {
  std::string doc = Example("01-bewilligung-tettnang.xml");
  doc = Replace(doc, "<AGS>08435059</AGS>", "<AGS>09162000</AGS>");
  doc = Replace(doc, "<Monate>24</Monate>", "<Monate>30</Monate>");
  doc = Replace(doc, "<Qualifikation>A</Qualifikation>",
                "<Qualifikation>D</Qualifikation>");
  const std::string report = Rejection(doc);
  EXPECT_NE(report.find(
                "Feld 'Gemeindeschlüssel (AGS)': Wert '09162000' ist ungültig; "
                "erwartet "
                "wird ein Amtlicher Gemeindeschlüssel aus 8 Ziffern"),
            std::string::npos)
      << report;
  EXPECT_NE(report.find(
                "Feld 'Förderdauer in Monaten': Der Wert 30 ist größer als der "
                "größte zulässige Wert 24"),
            std::string::npos)
      << report;
  EXPECT_NE(report.find("Feld 'Qualifikation': Wert 'D' ist nicht zulässig"),
            std::string::npos)
      << report;
}

TEST_F(ReaderTest, MissingElementIsNamed) {
  std::string doc = Replace(Example("01-bewilligung-tettnang.xml"),
                            "      <PLZ>88069</PLZ>\n", "");
  const std::string report = Rejection(doc);
  EXPECT_NE(report.find("Feld 'Ort': Element ist an dieser Stelle nicht "
                        "erwartet; erwartet wird PLZ"),
            std::string::npos)
      << report;
}

TEST_F(ReaderTest, TooManyFractionDigitsAndBadTypes) {
  std::string doc = Example("01-bewilligung-tettnang.xml");
  doc = Replace(doc, "<VZAE>1.00</VZAE>", "<VZAE>0.555</VZAE>");
  doc = Replace(doc, "<Beginn>2017-09</Beginn>", "<Beginn>09/2017</Beginn>");
  doc = Replace(doc, "<NachweisBeigefuegt>true</NachweisBeigefuegt>",
                "<NachweisBeigefuegt>ja</NachweisBeigefuegt>");
  const std::string report = Rejection(doc);
  EXPECT_NE(report.find("Der Wert 0,555 hat mehr als 2 Nachkommastellen"),
            std::string::npos)
      << report;
  EXPECT_NE(report.find("'09/2017' ist keine gültige Angabe; erwartet wird "
                        "Monat im Format JJJJ-MM"),
            std::string::npos)
      << report;
  EXPECT_NE(report.find("'ja' ist keine gültige Angabe; erwartet wird "
                        "Wahrheitswert"),
            std::string::npos)
      << report;
}

// --- Hostile and broken inputs -------------------------------------------

TEST_F(ReaderTest, RejectsEmptyFile) {
  EXPECT_NE(Rejection("").find("Die Datei ist leer"), std::string::npos);
  EXPECT_NE(Rejection("  \n\t").find("Die Datei ist leer"), std::string::npos);
}

TEST_F(ReaderTest, RejectsTruncatedFile) {
  const std::string full = Example("02-teilbewilligung-offenburg.xml");
  for (size_t cut : {full.size() / 3, full.size() / 2, full.size() - 3}) {
    const std::string report = Rejection(full.substr(0, cut));
    EXPECT_NE(report.find("Zeile"), std::string::npos) << report;
    EXPECT_TRUE(report.find("unvollständig") != std::string::npos ||
                report.find("wohlgeformt") != std::string::npos)
        << report;
  }
}

TEST_F(ReaderTest, RejectsNonUtf8) {
  std::string latin1 =
      Replace(Example("01-bewilligung-tettnang.xml"), "Größler",
              "Gr\xF6\xDF"
              "ler");
  const std::string report = Rejection(latin1);
  EXPECT_NE(report.find("nicht in UTF-8 kodiert"), std::string::npos) << report;
  EXPECT_NE(report.find("Zeile 17"), std::string::npos) << report;

  std::string utf16("\xFF\xFE<\0F\0", 6);
  EXPECT_NE(Rejection(utf16).find("UTF-8"), std::string::npos);
}

TEST_F(ReaderTest, RejectsDeclaredForeignEncoding) {
  std::string doc = Replace(Example("01-bewilligung-tettnang.xml"),
                            "encoding=\"UTF-8\"", "encoding=\"ISO-8859-1\"");
  doc = Replace(doc, "Größler", "Groessler");  // plain ASCII content
  doc = Replace(doc, "Bürgermeister", "Buergermeister");
  doc = Replace(doc, "–", "-");
  EXPECT_NE(Rejection(doc).find("'ISO-8859-1' deklariert"), std::string::npos);
}

TEST_F(ReaderTest, RejectsWrongNamespace) {
  std::string doc = Replace(Example("01-bewilligung-tettnang.xml"),
                            "urn:bescheid:integrationsmanagement:antrag:1",
                            "urn:example:other");
  const std::string report = Rejection(doc);
  EXPECT_NE(report.find("im Namensraum 'urn:example:other'"), std::string::npos)
      << report;
  std::string no_ns =
      Replace(Example("01-bewilligung-tettnang.xml"),
              " xmlns=\"urn:bescheid:integrationsmanagement:antrag:1\"", "");
  EXPECT_NE(Rejection(no_ns).find("ohne Namensraum"), std::string::npos);
  EXPECT_NE(Rejection("<?xml version=\"1.0\"?><html/>").find("'html'"),
            std::string::npos);
}

TEST_F(ReaderTest, RejectsOversizedFileWithoutReadingIt) {
  bescheid::testing::TempDir dir;
  const std::string path = dir / "big.xml";
  bescheid::testing::WriteFileOrDie(path, std::string(4096, ' '));
  auto r = DefaultEnv()->ReadFile(path, 1024);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().code(), StatusCode::kInvalidInput);
  EXPECT_NE(r.status().message().find("größer als die zulässigen 1024 Bytes"),
            std::string::npos);
}

TEST_F(ReaderTest, RejectsExternalEntityWithoutLeakingFiles) {
  const std::string secret_path = SourcePath("tests/data/secret.txt");
  const std::string xxe =
      "<?xml version=\"1.0\"?>\n"
      "<!DOCTYPE Foerderantrag [\n"
      "  <!ENTITY xxe SYSTEM \"file://" +
      secret_path +
      "\">\n"
      "]>\n"
      "<Foerderantrag xmlns=\"urn:bescheid:integrationsmanagement:antrag:1\" "
      "version=\"1.0\"><Programm>&xxe;</Programm></Foerderantrag>\n";
  const std::string report = Rejection(xxe);
  EXPECT_NE(report.find("DOCTYPE"), std::string::npos) << report;
  EXPECT_NE(report.find("Zeile 2"), std::string::npos) << report;
  EXPECT_EQ(report.find("TOP-SECRET"), std::string::npos) << report;
}

TEST_F(ReaderTest, RejectsExternalDtd) {
  const std::string doc =
      "<?xml version=\"1.0\"?>\n"
      "<!DOCTYPE Foerderantrag SYSTEM \"http://127.0.0.1:9/evil.dtd\">\n"
      "<Foerderantrag/>\n";
  EXPECT_NE(Rejection(doc).find("DOCTYPE"), std::string::npos);
}

TEST_F(ReaderTest, RejectsEntityReferenceWithoutDeclaration) {
  std::string doc =
      Replace(Example("01-bewilligung-tettnang.xml"),
              "<Programm>IM-2017</Programm>", "<Programm>&xxe;</Programm>");
  EXPECT_NE(Rejection(doc).find("nicht erlaubte Entität 'xxe'"),
            std::string::npos);
}

TEST_F(ReaderTest, RejectsBillionLaughsQuickly) {
  std::string doc =
      "<?xml version=\"1.0\"?>\n<!DOCTYPE lolz [\n"
      "  <!ENTITY lol \"lol\">\n";
  for (int i = 1; i <= 9; ++i) {
    doc += "  <!ENTITY lol" + std::to_string(i) + " \"";
    for (int k = 0; k < 10; ++k) {
      doc += i == 1 ? "&lol;" : "&lol" + std::to_string(i - 1) + ";";
    }
    doc += "\">\n";
  }
  doc += "]>\n<lolz>&lol9;</lolz>\n";
  const auto start = std::chrono::steady_clock::now();
  const std::string report = Rejection(doc);
  const auto elapsed = std::chrono::steady_clock::now() - start;
  EXPECT_NE(report.find("DOCTYPE"), std::string::npos);
  EXPECT_LT(report.size(), 1000u);  // nothing was expanded into the report
  // A security property, not a speed target: expansion would take minutes.
  EXPECT_LT(elapsed, std::chrono::seconds(1));
}

TEST_F(ReaderTest, XIncludeIsNeverProcessed) {
  const std::string secret_path = SourcePath("tests/data/secret.txt");
  std::string doc = Replace(
      Example("01-bewilligung-tettnang.xml"), "<Programm>IM-2017</Programm>",
      "<Programm>IM-2017</Programm><xi:include "
      "xmlns:xi=\"http://www.w3.org/2001/XInclude\" href=\"" +
          secret_path + "\" parse=\"text\"/>");
  const std::string report = Rejection(doc);
  EXPECT_NE(report.find("nicht erwartet"), std::string::npos) << report;
  EXPECT_EQ(report.find("TOP-SECRET"), std::string::npos);
}

TEST_F(ReaderTest, RejectsDeepNestingWithoutCrashing) {
  std::string doc = "<a>";
  for (int i = 0; i < 100000; ++i) doc += "<b>";
  const std::string report = Rejection(doc);
  EXPECT_FALSE(report.empty());
}

TEST_F(ReaderTest, ATextFileNamedXmlIsToldItIsNotXml) {
  const std::string report = Rejection("Sehr geehrte Damen und Herren,\n");
  EXPECT_NE(report.find("enthält kein XML, sondern Text (sie beginnt mit "
                        "'Sehr geehrte Damen und Herren,')"),
            std::string::npos)
      << report;
  EXPECT_EQ(report.find("unvollständig"), std::string::npos) << report;
}

TEST_F(ReaderTest, RejectsGarbage) {
  EXPECT_FALSE(Rejection("PK\x03\x04 this is a zip").empty());
  EXPECT_FALSE(Rejection("%PDF-1.4\n").empty());
  EXPECT_NE(Rejection("<a></b>").find("passt nicht"), std::string::npos);
  EXPECT_NE(Rejection("<a/><b/>").find("weiterer Inhalt"), std::string::npos);
}

TEST_F(ReaderTest, ConcurrentReadsShareOneReader) {
  const std::string good = Example("02-teilbewilligung-offenburg.xml");
  const std::string bad = Replace(good, "<VZAE>0.75</VZAE>", "<VZAE>2</VZAE>");
  std::atomic<int> ok{0}, rejected{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&] {
      for (int i = 0; i < 50; ++i) {
        if (reader_->Read(good, "g").ok()) ++ok;
        auto r = reader_->Read(bad, "b");
        if (!r.ok() &&
            r.status().message().find(
                "Wert 2 ist größer als der größte zulässige Wert 1,00") !=
                std::string::npos) {
          ++rejected;
        }
      }
    });
  }
  for (auto& t : threads) t.join();
  EXPECT_EQ(ok.load(), 200);
  EXPECT_EQ(rejected.load(), 200);
}

}  // namespace
}  // namespace bescheid::xml
