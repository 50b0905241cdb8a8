#include "xml/decision_record.h"

#include <gtest/gtest.h>
#include <libxml/parser.h>
#include <libxml/xmlschemas.h>

#include "core/decision.h"
#include "test_util.h"
#include "xml/decision_summary.h"

namespace bescheid::xml {
namespace {

// Validates `doc` against schemas/entscheidung-1.0.xsd; returns the errors.
std::string ValidateRecord(const std::string& doc) {
  const std::string xsd = bescheid::testing::ReadFileOrDie(
      bescheid::testing::SourcePath("schemas/entscheidung-1.0.xsd"));
  xmlSchemaParserCtxtPtr pc =
      xmlSchemaNewMemParserCtxt(xsd.data(), static_cast<int>(xsd.size()));
  xmlSchemaPtr schema = xmlSchemaParse(pc);
  xmlSchemaValidCtxtPtr vc = xmlSchemaNewValidCtxt(schema);
  std::string errors;
  xmlSchemaSetValidStructuredErrors(
      vc,
      [](void* out, xmlErrorPtr e) {
        *static_cast<std::string*>(out) += e->message;
      },
      &errors);
  xmlDocPtr d = xmlReadMemory(doc.data(), static_cast<int>(doc.size()),
                              "record.xml", nullptr, XML_PARSE_NONET);
  if (d == nullptr) {
    errors = "not well-formed";
  } else if (xmlSchemaValidateDoc(vc, d) != 0 && errors.empty()) {
    errors = "invalid";
  }
  xmlFreeDoc(d);
  xmlSchemaFreeValidCtxt(vc);
  xmlSchemaFree(schema);
  xmlSchemaFreeParserCtxt(pc);
  return errors;
}

core::Application JointApplication() {
  core::Application a;
  a.programme = "IM-2017";
  a.name = "Gemeinde Kressbronn am Bodensee";
  a.ags = "08435036";
  a.members = {{"08435016", "Gemeinde Eriskirch"}};
  core::Position p;
  p.person = "Fatima Haddad & Co <Test>";
  p.qualification = core::Qualification::kB;
  p.fte_hundredths = 50;
  p.start = {2017, 10};
  p.months = 24;
  a.positions = {p};
  return a;
}

TEST(DecisionRecordTest, HoldsEveryRequiredFieldAndValidates) {
  core::Application app = JointApplication();
  core::Decision d;
  d.kind = core::DecisionKind::kTeilbewilligung;
  d.reasons = {{core::kGekapptPlanungsrahmen, "Begrenzt auf 1.000,00 EUR."}};
  d.eligible = core::Money::FromCents(5200000);
  d.planning_budget = core::Money::FromCents(100000);
  d.granted = core::Money::FromCents(100000);
  d.share_tranche_year = core::Money::FromCents(12500);
  d.first_tranche = core::Money::FromCents(7500);
  d.position_amounts = {core::Money::FromCents(5200000)};
  d.granted_position_amounts = {core::Money::FromCents(100000)};

  DecisionRecord r;
  r.aktenzeichen = "RPS15-IM-2017-00042";
  r.decision_date = {2017, 8, 19};
  r.file_name = "antrag.xml";
  r.sha256 = std::string(64, 'a');
  r.receipt_date = {2017, 8, 14};
  r.receipt_source = core::ReceiptDateSource::kModificationTime;
  r.letter_file = "RPS15-IM-2017-00042.pdf";

  const std::string xml = WriteDecisionRecord(r, app, d);
  EXPECT_EQ(ValidateRecord(xml), "") << xml;
  for (const char* expected :
       {"<Entscheidung xmlns=\"urn:bescheid:integrationsmanagement:"
        "entscheidung:1\" version=\"1.4\">",
        "<Aktenzeichen>RPS15-IM-2017-00042</Aktenzeichen>",
        "<Datei>antrag.xml</Datei>", "<Kanal>XML</Kanal>",
        "<Eingangsdatum quelle=\"Dateidatum\">2017-08-14</Eingangsdatum>",
        "<Art>TEILBEWILLIGUNG</Art>",
        "<Grund code=\"GEKAPPT_PLANUNGSRAHMEN\">Begrenzt auf 1.000,00 "
        "EUR.</Grund>",
        "<Foerderfaehig>52000.00</Foerderfaehig>",
        "<Planungsrahmen>1000.00</Planungsrahmen>",
        "<Bewilligt>1000.00</Bewilligt>", "<Anteil2017>125.00</Anteil2017>",
        "<ErsteTranche>75.00</ErsteTranche>",
        "<Mitglied>\n      <AGS>08435016</AGS>",
        "<Person>Fatima Haddad &amp; Co &lt;Test&gt;</Person>",
        "<VZAE>0.50</VZAE>", "<Beginn>2017-10</Beginn>",
        "<Betrag>52000.00</Betrag>\n      <BetragBewilligt>1000.00"
        "</BetragBewilligt>",
        "<Schreiben>RPS15-IM-2017-00042.pdf</Schreiben>"}) {
    EXPECT_NE(xml.find(expected), std::string::npos) << expected << "\n" << xml;
  }
}

TEST(DecisionRecordTest, RejectionWithoutLetterValidates) {
  core::Application app = JointApplication();
  app.members.clear();
  core::Decision d;
  d.kind = core::DecisionKind::kAblehnung;
  d.reasons = {{core::kNichtAntragsberechtigt, "a"},
               {core::kAusserhalbAntragszeitraum, "b"}};
  d.position_amounts = {core::Money::FromCents(1)};
  DecisionRecord r;
  r.aktenzeichen = "X-00001";
  r.decision_date = {2017, 8, 19};
  r.file_name = "a.xml";
  r.sha256 = std::string(64, '0');
  r.receipt_date = {2018, 1, 1};
  const std::string xml = WriteDecisionRecord(r, app, d);
  EXPECT_EQ(ValidateRecord(xml), "") << xml;
  EXPECT_EQ(xml.find("<Mitglieder>"), std::string::npos);
  EXPECT_EQ(xml.find("<Schreiben>"), std::string::npos);
  EXPECT_NE(xml.find("<Bewilligt>0.00</Bewilligt>"), std::string::npos);
  EXPECT_NE(xml.find("quelle=\"Antrag\""), std::string::npos);
  EXPECT_EQ(xml.find("<BetragBewilligt>"), std::string::npos);  // no grant
}

TEST(DecisionRecordTest, ScanWithReceiptFromFileNameAndMissingSignature) {
  core::Application app = JointApplication();
  core::Decision d;
  d.kind = core::DecisionKind::kNachforderung;
  d.reasons = {{core::kUnterschriftFehlt, "Unterschrift fehlt."}};
  d.position_amounts = {core::Money::FromCents(1)};
  DecisionRecord r;
  r.aktenzeichen = "X-00002";
  r.decision_date = {2017, 10, 20};
  r.file_name = "2017-10-09_antrag.tif";
  r.sha256 = std::string(64, '0');
  r.channel = Channel::kScan;
  r.receipt_date = {2017, 10, 9};
  r.receipt_source = core::ReceiptDateSource::kFileName;
  const std::string xml = WriteDecisionRecord(r, app, d);
  EXPECT_EQ(ValidateRecord(xml), "") << xml;
  EXPECT_NE(xml.find("<Kanal>SCAN</Kanal>"), std::string::npos) << xml;
  EXPECT_NE(xml.find("<Eingangsdatum quelle=\"Dateiname\">2017-10-09"),
            std::string::npos)
      << xml;
  EXPECT_NE(xml.find("<Grund code=\"UNTERSCHRIFT_FEHLT\">"), std::string::npos)
      << xml;
}

TEST(DecisionRecordTest, AnswerToARequestAndCopiesValidate) {
  core::Application app = JointApplication();
  core::Decision d;
  d.kind = core::DecisionKind::kAblehnung;
  d.position_amounts = {core::Money::FromCents(1)};
  DecisionRecord r;
  r.aktenzeichen = "X-00004";
  r.decision_date = {2017, 10, 20};
  r.file_name = "a.xml";
  r.sha256 = std::string(64, '0');
  r.receipt_date = {2017, 10, 9};
  r.letter_file = "X-00004-2.pdf";
  r.answers = AnsweredRequest{{2017, 9, 18}, {2017, 10, 16}, 2};
  r.copies = {{"08435016", "X-00004-2_nachrichtlich_08435016.pdf"}};
  const std::string xml = WriteDecisionRecord(r, app, d);
  EXPECT_EQ(ValidateRecord(xml), "") << xml;
  EXPECT_NE(xml.find("<Nachreichung>\n    <Nachforderung>2017-09-18"
                     "</Nachforderung>\n    <Frist>2017-10-16</Frist>\n"
                     "    <Fassung>2</Fassung>\n  </Nachreichung>"),
            std::string::npos)
      << xml;
  EXPECT_NE(xml.find("<Schreiben>X-00004-2.pdf</Schreiben>\n  <Abschrift "
                     "ags=\"08435016\">X-00004-2_nachrichtlich_08435016.pdf"
                     "</Abschrift>"),
            std::string::npos)
      << xml;
}

TEST(DecisionRecordTest, SummaryReadsBackWhatTheRegisterNeeds) {
  core::Application app = JointApplication();
  app.bank.iban = "DE02600501010002034304";
  app.address.postcode = "88079";
  core::Decision d;
  d.kind = core::DecisionKind::kTeilbewilligung;
  d.reasons = {{core::kGekapptPlanungsrahmen, "a"},
               {core::kNichtAntragsberechtigt, "b"}};
  d.eligible = core::Money::FromCents(5200000);
  d.planning_budget = core::Money::FromCents(100001);
  d.granted = core::Money::FromCents(100001);
  d.share_tranche_year = core::Money::FromCents(12500);
  d.first_tranche = core::Money::FromCents(7599);
  d.position_amounts = {core::Money::FromCents(5200000)};
  DecisionRecord r;
  r.aktenzeichen = "RPS15-IM-2017-00042";
  r.decision_date = {2017, 8, 19};
  r.file_name = "scan.tif";
  r.sha256 = std::string(64, 'a');
  r.channel = Channel::kScan;
  r.receipt_date = {2017, 8, 14};
  r.answers = AnsweredRequest{{2017, 7, 1}, {2017, 8, 1}, 3};
  const std::string xml = WriteDecisionRecord(r, app, d);
  EXPECT_EQ(ValidateRecord(xml), "") << xml;
  EXPECT_NE(xml.find("<IBAN>DE02600501010002034304</IBAN>\n  <PLZ>88079</PLZ>"),
            std::string::npos)
      << xml;
  Result<core::RegisterRow> row = ReadDecisionSummary(xml);
  ASSERT_TRUE(row.ok()) << row.status().message();
  EXPECT_EQ(row->aktenzeichen, "RPS15-IM-2017-00042");
  EXPECT_EQ(row->revision, 3);
  EXPECT_EQ(row->decision_date.ToIso(), "2017-08-19");
  EXPECT_EQ(row->kind, "TEILBEWILLIGUNG");
  EXPECT_EQ(row->codes, (std::vector<std::string>{"GEKAPPT_PLANUNGSRAHMEN",
                                                  "NICHT_ANTRAGSBERECHTIGT"}));
  EXPECT_EQ(row->applicant, "Gemeinde Kressbronn am Bodensee");
  EXPECT_EQ(row->ags, "08435036");
  EXPECT_EQ(row->channel, "SCAN");
  EXPECT_EQ(row->iban, "DE02600501010002034304");
  const std::array<int64_t, core::kRegisterAmounts> cents = {
      5200000, 100001, 100001, 12500, 7599};
  for (size_t i = 0; i < cents.size(); ++i) {
    EXPECT_EQ(row->amounts[i].cents(), cents[i]) << i;
  }
  EXPECT_EQ(row->print_batch, "");
}

TEST(DecisionRecordTest, SummaryOfABrokenRecordIsAnError) {
  EXPECT_FALSE(ReadDecisionSummary("").ok());
  EXPECT_FALSE(ReadDecisionSummary("<Entscheidung/>").ok());  // no namespace
  core::Application app = JointApplication();
  core::Decision d;
  d.position_amounts = {core::Money::FromCents(1)};
  DecisionRecord r;
  r.aktenzeichen = "X-1";
  r.decision_date = {2017, 8, 19};
  std::string xml = WriteDecisionRecord(r, app, d);
  ASSERT_TRUE(ReadDecisionSummary(xml).ok());
  std::string no_amount = xml;
  no_amount.replace(no_amount.find("<Bewilligt>0.00</Bewilligt>"), 27, "");
  EXPECT_FALSE(ReadDecisionSummary(no_amount).ok());
  std::string bad_amount = xml;
  bad_amount.replace(bad_amount.find("<Bewilligt>0.00"), 15, "<Bewilligt>1e9");
  EXPECT_FALSE(ReadDecisionSummary(bad_amount).ok());
  EXPECT_FALSE(ReadDecisionSummary(xml.substr(0, xml.size() / 2)).ok());
}

TEST(DecisionRecordTest, VersionOneZeroRecordsStayValid) {
  core::Application app = JointApplication();
  core::Decision d;
  d.kind = core::DecisionKind::kAblehnung;
  d.position_amounts = {core::Money::FromCents(1)};
  DecisionRecord r;
  r.aktenzeichen = "X-00001";
  r.decision_date = {2017, 9, 19};
  r.file_name = "a.xml";
  r.sha256 = std::string(64, '0');
  r.receipt_date = {2017, 9, 1};
  std::string xml = WriteDecisionRecord(r, app, d);
  xml.replace(xml.find("version=\"1.4\""), 13, "version=\"1.0\"");
  EXPECT_EQ(ValidateRecord(xml), "") << xml;
  xml.replace(xml.find("version=\"1.0\""), 13, "version=\"2.0\"");
  EXPECT_NE(ValidateRecord(xml), "");
}

}  // namespace
}  // namespace bescheid::xml
