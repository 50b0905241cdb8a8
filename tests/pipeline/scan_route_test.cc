// The scan route of the pipeline with known readings: a fake ScanReader
// returns documents as the scan reader would (tests of the reader itself
// are scan's), so that these tests check dispatch, validation, decision,
// records, review folders and review holds exactly and fast. The file is a
// real image, decoded page by page by scan::ScanSource.
#include <gtest/gtest.h>
#include <leptonica/allheaders.h>
#include <utime.h>

#include <filesystem>

#include "core/text.h"
#include "hostile/tiff_cut.h"
#include "pipeline/pipeline.h"
#include "scan/image_write.h"
#include "test_util.h"
#include "xml/application_reader.h"

namespace bescheid::pipeline {
namespace {

using bescheid::testing::ReadFileOrDie;
using bescheid::testing::SourcePath;
using bescheid::testing::TempDir;
using bescheid::testing::WriteFileOrDie;
namespace fs = std::filesystem;

// Pulls every page as the real reader does (passing on a page's error),
// then returns the documents it is given, each on a copy of the first page.
class FakeScanReader : public ScanReader {
 public:
  struct Doc {
    core::Application app;
    bool signed_form = true;
    std::vector<scan::Doubt> doubts = {};
    std::vector<scan::FieldReading> fields = {};
  };
  std::vector<Doc> docs;
  int calls = 0;

  Result<scan::ScanReading> Read(scan::PageSource& pages) override {
    ++calls;
    std::string png;
    for (int k = 0; k < pages.page_count(); ++k) {
      Result<scan::PixPtr> page = pages.Page(k);
      if (!page.ok()) return page.status();
      if (k > 0) continue;
      Result<std::string> first = scan::EncodeKeptPage(page->get());
      if (!first.ok()) return first.status();
      png = std::move(first).value();
    }
    scan::ScanReading r;
    for (size_t i = 0; i < docs.size(); ++i) {
      scan::ScannedDocument d;
      d.serial = static_cast<uint32_t>(100 + i);
      d.form_pages = 1;
      d.kept_pages.push_back(scan::KeptPage::FromPng(png));
      d.file_pages = {static_cast<int>(i)};
      d.fields = docs[i].fields;
      d.application = docs[i].app;
      d.signature_present = docs[i].signed_form;
      d.doubts = docs[i].doubts;
      r.documents.push_back(std::move(d));
    }
    return r;
  }
};

// The sink of `process` that also counts what moves the input file and
// can fail writing review folders (an I/O error in a later document).
class CountingSink final : public OutputSink {
 public:
  explicit CountingSink(const std::string& dir) : out_(dir, DefaultEnv()) {}
  Status WriteDecision(const DecisionOutput& out,
                       std::vector<std::string>* unsynced) override {
    return out_.WriteDecision(out, unsynced);
  }
  void DiscardDecision(const DecisionOutput& out) override {
    out_.DiscardDecision(out);
  }
  Status WriteRejection(const Input& input, const std::string& r) override {
    moves.push_back("rejected");
    return out_.WriteRejection(input, r);
  }
  Status WriteDuplicate(const Input& input,
                        const EarlierOutcome& earlier) override {
    moves.push_back("duplicate");
    return out_.WriteDuplicate(input, earlier);
  }
  Status SendToReview(const Input& input, const std::string& note) override {
    moves.push_back("review");
    return out_.SendToReview(input, note);
  }
  Status WriteScanReview(const Input& input, const ScanReview& r) override {
    if (fail_reviews > 0) {
      --fail_reviews;
      return IoError("disk full");
    }
    review_folders.push_back(r.id);
    return out_.WriteScanReview(input, r);
  }

  std::vector<std::string> moves;  // calls that move the input file
  std::vector<std::string> review_folders;
  int fail_reviews = 0;

 private:
  DirectorySink out_;
};

class ScanRouteTest : public ::testing::Test {
 protected:
  void SetUp() override {
    reference_ = *core::ReferenceTable::ParseCsv(
        ReadFileOrDie(SourcePath("config/reference/gemeinden.csv")));
    reader_ = std::move(xml::ApplicationReader::Create()).value();
    journal_ = std::move(store::OpenSqliteJournal(dir_ / "j.sqlite")).value();
    settings_.letters.templates_dir = SourcePath("templates/letters");
    settings_.letters.font_regular = SourcePath("fonts/DejaVuSans-letters.ttf");
    settings_.letters.font_bold =
        SourcePath("fonts/DejaVuSans-Bold-letters.ttf");
    letters_ =
        std::move(letters::LetterRenderer::Create(MakeLetterOptions(settings_)))
            .value();
    pipeline_ = std::make_unique<Pipeline>(settings_, &reference_,
                                           reader_.get(), journal_.get(),
                                           letters_.get(), DefaultEnv());
    fs::create_directories(dir_ / "in");
  }

  core::Application Example(const std::string& name) {
    return *reader_->Read(ReadFileOrDie(SourcePath("examples/" + name)), name);
  }
  // Example 01 as its scan: the paper form has no Eingangsdatum.
  core::Application Tettnang() {
    core::Application a = Example("01-bewilligung-tettnang.xml");
    a.receipt_date.reset();
    return a;
  }

  // A grey page as a PNG file named `name` in in/.
  std::string ScanFile(const std::string& name) {
    scan::PixPtr page(pixCreate(620, 877, 8));
    pixSetAllArbitrary(page.get(), 255);
    pixSetResolution(page.get(), 75, 75);
    const std::string path = dir_ / ("in/" + name);
    WriteFileOrDie(path,
                   *scan::EncodeImage(page.get(), scan::ImageFormat::kPng));
    return path;
  }

  Outcome Process(const std::string& path, uint64_t sequence = 0) {
    return ProcessInto(sink_, path, sequence);
  }
  Outcome ProcessInto(OutputSink& sink, const std::string& path,
                      uint64_t sequence) {
    const std::string bytes = ReadFileOrDie(path);
    return pipeline_->ProcessBytes(Input{path, BaseName(path), sequence}, bytes,
                                   Sha256Hex(bytes), sink, letters_.get(),
                                   std::nullopt, &scans_);
  }
  // Each document's kind, as "decided,review,...".
  static std::string Kinds(const Outcome& o) {
    std::string out;
    for (const Outcome::Document& d : o.documents) {
      out += (out.empty() ? "" : ",") + std::string(ToString(d.kind));
    }
    return out;
  }
  std::string Out(const std::string& rel) { return dir_ / ("out/" + rel); }

  TempDir dir_;
  config::Settings settings_;
  core::ReferenceTable reference_;
  std::unique_ptr<xml::ApplicationReader> reader_;
  std::unique_ptr<store::Journal> journal_;
  std::unique_ptr<letters::LetterRenderer> letters_;
  std::unique_ptr<Pipeline> pipeline_;
  DirectorySink sink_{dir_ / "out", DefaultEnv()};
  FakeScanReader scans_;
};

// The record's part from Art on: kind, reasons, amounts, positions.
std::string DecisionPart(const std::string& record) {
  return record.substr(record.find("<Art>"));
}

TEST_F(ScanRouteTest, ScanDecidesLikeItsXmlTwinWithChannelAndReceiptFromName) {
  scans_.docs = {{Tettnang()}};
  const Outcome scan = Process(ScanFile("2017-08-14_tettnang.png"));
  ASSERT_EQ(scan.kind, Outcome::Kind::kDecided) << scan.message;
  EXPECT_TRUE(scan.scanned);
  EXPECT_EQ(scan.decision, core::DecisionKind::kBewilligung);
  ASSERT_EQ(scan.documents.size(), 1u);
  const std::string scan_record =
      ReadFileOrDie(Out(scan.aktenzeichen + ".decision.xml"));
  EXPECT_NE(scan_record.find("<Kanal>SCAN</Kanal>"), std::string::npos);
  EXPECT_NE(
      scan_record.find(
          "<Eingangsdatum quelle=\"Dateiname\">2017-08-14</Eingangsdatum>"),
      std::string::npos)
      << scan_record;
  EXPECT_TRUE(fs::exists(Out(scan.aktenzeichen + ".pdf")));

  // The XML twin, decided in a fresh journal: the same decision.
  TempDir other;
  auto journal =
      std::move(store::OpenSqliteJournal(other / "j.sqlite")).value();
  Pipeline xml_pipeline(settings_, &reference_, reader_.get(), journal.get(),
                        letters_.get(), DefaultEnv());
  DirectorySink xml_sink(other / "out", DefaultEnv());
  const std::string twin = other / "01.xml";
  WriteFileOrDie(
      twin, ReadFileOrDie(SourcePath("examples/01-bewilligung-tettnang.xml")));
  const Outcome xml = xml_pipeline.Process(twin, xml_sink);
  ASSERT_EQ(xml.kind, Outcome::Kind::kDecided);
  const std::string xml_record =
      ReadFileOrDie(other / ("out/" + xml.aktenzeichen + ".decision.xml"));
  EXPECT_NE(xml_record.find("<Kanal>XML</Kanal>"), std::string::npos);
  EXPECT_EQ(DecisionPart(scan_record), DecisionPart(xml_record));
}

TEST_F(ScanRouteTest, ReceiptDateFromModificationTimeWithoutNamePrefix) {
  scans_.docs = {{Tettnang()}};
  const std::string path = ScanFile("scan-ohne-datum.png");
  struct utimbuf t {
    1505649600, 1505649600
  };  // 2017-09-17 12:00 UTC
  ASSERT_EQ(utime(path.c_str(), &t), 0);
  const Outcome o = Process(path);
  ASSERT_EQ(o.kind, Outcome::Kind::kDecided) << o.message;
  const std::string record =
      ReadFileOrDie(Out(o.aktenzeichen + ".decision.xml"));
  EXPECT_NE(record.find("<Eingangsdatum quelle=\"Dateidatum\">2017-09-17"),
            std::string::npos)
      << record;
}

TEST_F(ScanRouteTest, UnsignedFormIsARequestForTheSignature) {
  scans_.docs = {{Tettnang(), /*signed_form=*/false}};
  const Outcome o = Process(ScanFile("2017-08-14_ohne-unterschrift.png"));
  ASSERT_EQ(o.kind, Outcome::Kind::kDecided) << o.message;
  EXPECT_EQ(o.decision, core::DecisionKind::kNachforderung);
  const std::string record =
      ReadFileOrDie(Out(o.aktenzeichen + ".decision.xml"));
  EXPECT_NE(record.find("<Grund code=\"UNTERSCHRIFT_FEHLT\">"),
            std::string::npos)
      << record;
  EXPECT_EQ(record.find("code=\"IBAN_UNGUELTIG\""), std::string::npos);
}

TEST_F(ScanRouteTest, TwoApplicationsInOneFileGetTwoDecisionsInPageOrder) {
  core::Application todtnau = Example("03-ablehnung-mindestbetrag-todtnau.xml");
  todtnau.receipt_date.reset();
  scans_.docs = {{Tettnang()}, {todtnau}};
  const std::string path = ScanFile("2017-08-14_zwei.png");
  const Outcome o = Process(path);
  ASSERT_EQ(o.kind, Outcome::Kind::kDecided) << o.message;
  ASSERT_EQ(o.documents.size(), 2u);
  EXPECT_EQ(o.documents[0].aktenzeichen, "RPS15-IM-2017-00001");
  EXPECT_EQ(o.documents[0].decision, core::DecisionKind::kBewilligung);
  EXPECT_EQ(o.documents[1].aktenzeichen, "RPS15-IM-2017-00002");
  EXPECT_EQ(o.documents[1].decision, core::DecisionKind::kAblehnung);
  EXPECT_TRUE(fs::exists(Out("RPS15-IM-2017-00002.decision.xml")));
  // The file counts as decided once all of it is: the same file again is a
  // duplicate, and no number is used.
  const Outcome again = Process(path);
  EXPECT_EQ(again.kind, Outcome::Kind::kDuplicate);
  EXPECT_EQ(again.aktenzeichen, "RPS15-IM-2017-00002");
  EXPECT_EQ(*journal_->LastSequence(), 2);
  EXPECT_EQ(ReadFileOrDie(Out("duplicates/2017-08-14_zwei.png.txt")),
            "Die Datei '2017-08-14_zwei.png' wurde bereits bearbeitet und "
            "unter den Aktenzeichen RPS15-IM-2017-00001 und "
            "RPS15-IM-2017-00002 entschieden. Es wurde kein weiterer Bescheid "
            "erstellt.\n");
}

// Documents that would move the file before its last document has an
// outcome (a form of another programme, a letter that cannot be set) go to
// review/<id>/ like any doubt; the file itself is placed once, at the end.
TEST_F(ScanRouteTest, TheFileMovesOnlyAfterItsLastDocument) {
  core::Application other = Tettnang();
  other.programme = "IM-2018";
  core::Application unprintable =
      Example("03-ablehnung-mindestbetrag-todtnau.xml");
  unprintable.receipt_date.reset();
  unprintable.address.recipient = "Stadt 中山";
  core::Application offenburg = Example("02-teilbewilligung-offenburg.xml");
  offenburg.receipt_date.reset();
  scans_.docs = {{other}, {unprintable}, {offenburg}};
  CountingSink sink(dir_ / "out");
  const Outcome o =
      ProcessInto(sink, ScanFile("2017-08-14_drei.png"), /*sequence=*/3);
  ASSERT_EQ(o.kind, Outcome::Kind::kDecided) << o.message;
  EXPECT_EQ(Kinds(o), "review,review,decided");
  EXPECT_TRUE(sink.moves.empty());  // the watcher archives it (decided)
  EXPECT_EQ(o.aktenzeichen, "RPS15-IM-2017-00001");
  EXPECT_NE(o.documents[0].message.find("Förderprogramm: gelesen 'IM-2018'"),
            std::string::npos)
      << o.documents[0].message;
  EXPECT_NE(o.documents[1].message.find("Stadt 中山"), std::string::npos)
      << o.documents[1].message;
  const std::string grund = ReadFileOrDie(
      dir_ / ("out/review/" + o.documents[1].review_id + "/grund.txt"));
  EXPECT_NE(grund.find("- Der Empfänger der Anschrift"), std::string::npos)
      << grund;
  // No number was used up by the letter that could not be set.
  EXPECT_EQ(*journal_->LastSequence(), 1);
  EXPECT_EQ(journal_->OpenReviews()->size(), 2u);
}

// A crash or an I/O error after the first document was decided: the retry
// (same claim) finishes the rest, numbers nothing twice, and the file is
// decided (archived under its Aktenzeichen), not dropped as a review.
TEST_F(ScanRouteTest, ARetryFinishesTheRemainingDocumentsAndKeepsTheFile) {
  const scan::Doubt doubt{scan::DoubtKind::kUnsure, "bank.iban",
                          "Feld 'bank.iban': unsicher gelesen", 0,
                          scan::PixelBox{100, 600, 300, 30}};
  core::Application offenburg = Example("02-teilbewilligung-offenburg.xml");
  offenburg.receipt_date.reset();
  scans_.docs = {{Tettnang()}, {offenburg, true, {doubt}}};
  const std::string path = ScanFile("2017-08-14_abbruch.png");
  CountingSink sink(dir_ / "out");
  sink.fail_reviews = 1;
  const Outcome failed = ProcessInto(sink, path, 7);
  EXPECT_EQ(failed.kind, Outcome::Kind::kFailed);
  EXPECT_EQ(Kinds(failed), "decided,failed");
  EXPECT_TRUE(sink.moves.empty());
  pipeline_->Release(7);

  const Outcome retried = ProcessInto(sink, path, 7);
  ASSERT_EQ(retried.kind, Outcome::Kind::kDecided) << retried.message;
  EXPECT_EQ(Kinds(retried), "duplicate,review");
  EXPECT_EQ(retried.aktenzeichen, "RPS15-IM-2017-00001");
  // A crash after the review was opened, before the file was archived: the
  // same claim again rewrites its own folder and is still decided.
  const Outcome again = ProcessInto(sink, path, 7);
  ASSERT_EQ(again.kind, Outcome::Kind::kDecided) << again.message;
  EXPECT_EQ(Kinds(again), "duplicate,review");
  EXPECT_TRUE(sink.moves.empty());
  EXPECT_EQ(sink.review_folders.size(), 2u);
  EXPECT_EQ(*journal_->LastSequence(), 1);
  EXPECT_EQ(journal_->OpenReviews()->size(), 1u);
}

// The same bytes dropped twice: the second file is a duplicate like XML -
// named with the earlier Aktenzeichen and review folder, nothing written
// into review/ again, no number used.
TEST_F(ScanRouteTest, AnIdenticalScanIsADuplicateOfDecisionAndReview) {
  const scan::Doubt doubt{scan::DoubtKind::kUnsure, "bank.iban",
                          "Feld 'bank.iban': unsicher gelesen", 0,
                          scan::PixelBox{100, 600, 300, 30}};
  core::Application offenburg = Example("02-teilbewilligung-offenburg.xml");
  offenburg.receipt_date.reset();
  scans_.docs = {{Tettnang()}, {offenburg, true, {doubt}}};
  const std::string first = ScanFile("2017-08-14_a.png");
  const std::string second = dir_ / "in/2017-08-14_b.png";
  WriteFileOrDie(second, ReadFileOrDie(first));
  CountingSink sink(dir_ / "out");
  const Outcome a = ProcessInto(sink, first, 1);
  ASSERT_EQ(a.kind, Outcome::Kind::kDecided) << a.message;
  const std::string review = a.documents[1].review_id;

  const Outcome b = ProcessInto(sink, second, 2);
  ASSERT_EQ(b.kind, Outcome::Kind::kDuplicate) << b.message;
  EXPECT_EQ(Kinds(b), "duplicate,duplicate");
  EXPECT_EQ(b.documents[1].review_id, review);
  EXPECT_EQ(sink.moves, std::vector<std::string>{"duplicate"});
  EXPECT_EQ(sink.review_folders, std::vector<std::string>{review});
  EXPECT_EQ(ReadFileOrDie(Out("duplicates/2017-08-14_b.png.txt")),
            "Die Datei '2017-08-14_b.png' wurde bereits bearbeitet und unter "
            "dem Aktenzeichen RPS15-IM-2017-00001 entschieden; weitere "
            "Anträge daraus liegen zur Prüfung von Hand in review/" +
                review + "/. Es wurde kein weiterer Bescheid erstellt.\n");
  EXPECT_EQ(*journal_->LastSequence(), 1);
  ASSERT_EQ(journal_->OpenReviews()->size(), 1u);
  EXPECT_EQ(journal_->OpenReviews()->front().file_name, "2017-08-14_a.png");

  // Without claim numbers (`process` run twice): the same.
  const Outcome c = ProcessInto(sink, second, 0);
  EXPECT_EQ(c.kind, Outcome::Kind::kDuplicate) << c.message;
}

// Only in review, dropped again: a duplicate of the review.
TEST_F(ScanRouteTest, AnIdenticalScanInReviewIsADuplicateOfTheReview) {
  const scan::Doubt doubt{scan::DoubtKind::kUnsure, "bank.iban",
                          "Feld 'bank.iban': unsicher gelesen", 0,
                          scan::PixelBox{100, 600, 300, 30}};
  scans_.docs = {{Tettnang(), true, {doubt}}};
  const std::string path = ScanFile("2017-08-14_r.png");
  CountingSink sink(dir_ / "out");
  const Outcome a = ProcessInto(sink, path, 1);
  ASSERT_EQ(a.kind, Outcome::Kind::kReview);
  const Outcome b = ProcessInto(sink, path, 2);
  ASSERT_EQ(b.kind, Outcome::Kind::kDuplicate);
  EXPECT_EQ(ReadFileOrDie(Out("duplicates/2017-08-14_r.png.txt")),
            "Die Datei '2017-08-14_r.png' wurde bereits bearbeitet; sie liegt "
            "zur Prüfung von Hand in review/" +
                a.documents[0].review_id +
                "/. Es wurde kein weiterer Bescheid erstellt.\n");
  // Once the review is closed, the same bytes are read again (a person
  // may have sent them back).
  ASSERT_TRUE(pipeline_->CloseReview(a.documents[0].review_id).ok());
  EXPECT_EQ(ProcessInto(sink, path, 3).kind, Outcome::Kind::kReview);
}

// A doubtful field: review/<id>/ with the page, a crop of the field, every
// field in felder.json and the reason; the review holds Tettnang until it
// is closed, so a later XML application for it waits, then is decided.
TEST_F(ScanRouteTest, DoubtGoesToReviewWithCropAndHoldsTheMunicipality) {
  const scan::FieldReading iban{"bank.iban", "", "DE12600501017405502051",
                                0.41,        0,  {100, 600, 300, 30}};
  const scan::FieldReading ags{"applicant.ags",    "", "08435059", 0.97, 0,
                               {100, 200, 160, 30}};
  const scan::Doubt doubt{scan::DoubtKind::kUnsure, "bank.iban",
                          "Feld 'bank.iban': unsicher gelesen", 0,
                          scan::PixelBox{100, 600, 300, 30}};
  scans_.docs = {{Tettnang(), true, {doubt}, {ags, iban}}};
  const std::string path = ScanFile("2017-08-14_korrigiert.png");
  const Outcome o = Process(path, 5);
  ASSERT_EQ(o.kind, Outcome::Kind::kReview) << o.message;
  ASSERT_EQ(o.documents.size(), 1u);
  const std::string id = o.documents[0].review_id;
  EXPECT_EQ(id, Sha256Hex(ReadFileOrDie(path)).substr(0, 12) + "-1");
  const fs::path folder = dir_ / ("out/review/" + id);
  EXPECT_TRUE(fs::exists(folder / "seite-1.png"));
  EXPECT_TRUE(fs::exists(folder / "feld-bank.iban.png"));
  EXPECT_EQ(ReadFileOrDie(folder / "original.png"), ReadFileOrDie(path));
  const std::string json = ReadFileOrDie(folder / "felder.json");
  EXPECT_NE(json.find("{\"id\": \"bank.iban\", \"wert\": "
                      "\"DE12600501017405502051\", \"konfidenz\": 0.410, "
                      "\"seite\": 1, \"box\": {\"x\": 100, \"y\": 600, \"w\": "
                      "300, \"h\": 30}, \"grund\": \"Feld 'bank.iban': "
                      "unsicher gelesen\"}"),
            std::string::npos)
      << json;
  EXPECT_NE(json.find("\"id\": \"applicant.ags\", \"wert\": \"08435059\", "
                      "\"konfidenz\": 0.970"),
            std::string::npos)
      << json;
  EXPECT_NE(ReadFileOrDie(folder / "grund.txt").find("unsicher gelesen"),
            std::string::npos);
  // The crop is the box with its margin.
  PIX* crop = pixRead((folder / "feld-bank.iban.png").c_str());
  ASSERT_NE(crop, nullptr);
  EXPECT_EQ(pixGetWidth(crop), 300 + 2 * 24);
  EXPECT_EQ(pixGetHeight(crop), 30 + 2 * 24);
  pixDestroy(&crop);
  EXPECT_EQ(*journal_->DecisionCount(), 0);

  // A later application for Tettnang waits for the review.
  const std::string later = dir_ / "in/06.xml";
  WriteFileOrDie(later,
                 ReadFileOrDie(SourcePath(
                     "examples/06-ablehnung-doppelfoerderung-tettnang.xml")));
  const Outcome held = Process(later, 6);
  EXPECT_EQ(held.kind, Outcome::Kind::kDeferred);
  EXPECT_EQ(held.waits_for_review, "2017-08-14_korrigiert.png");
  ASSERT_TRUE(pipeline_->CloseReview(id).ok());
  pipeline_->Release(6);
  const Outcome decided = Process(later, 6);
  ASSERT_EQ(decided.kind, Outcome::Kind::kDecided);
  EXPECT_EQ(decided.aktenzeichen, "RPS15-IM-2017-00001");
}

// Strong checks on what OCR read: a wrong IBAN check digit and an AGS not
// in the reference table are doubts, not a NACHFORDERUNG or an ABLEHNUNG.
TEST_F(ScanRouteTest, StrongChecksSendMisreadValuesToReview) {
  core::Application bad_iban = Tettnang();
  bad_iban.bank.iban = "DE00600501017405502051";
  core::Application bad_ags = Tettnang();
  bad_ags.ags = "08435058";
  scans_.docs = {{bad_iban}, {bad_ags}};
  const Outcome o = Process(ScanFile("2017-08-14_falsch.png"));
  ASSERT_EQ(o.kind, Outcome::Kind::kReview) << o.message;
  ASSERT_EQ(o.documents.size(), 2u);
  EXPECT_NE(o.documents[0].message.find("Prüfziffer"), std::string::npos);
  EXPECT_NE(o.documents[1].message.find("08435058 steht nicht in der "
                                        "Referenztabelle"),
            std::string::npos)
      << o.documents[1].message;
  EXPECT_EQ(*journal_->DecisionCount(), 0);
  EXPECT_EQ(journal_->OpenReviews()->size(), 2u);
}

// The programme's sums and plausibility on what OCR read: one person in
// two positions with more than one full post, a signature dated after the
// scan came in. Review, each reason naming its fields, with their crops.
TEST_F(ScanRouteTest, ImplausibleValuesGoToReviewNamingTheFields) {
  core::Application app = Tettnang();
  core::Position second = app.positions[0];
  second.fte_hundredths = 50;
  app.positions.push_back(second);  // the same person: 1,00 + 0,50 VZÄ
  app.signature.date = core::Date{2017, 8, 20};
  const scan::FieldReading fte{"position[1].fte", "", "050", 0.95, 0,
                               {300, 400, 90, 30}};
  scans_.docs = {{app, true, {}, {fte}}};
  const Outcome o = Process(ScanFile("2017-08-14_unplausibel.png"), 4);
  ASSERT_EQ(o.kind, Outcome::Kind::kReview) << o.message;
  EXPECT_EQ(*journal_->DecisionCount(), 0);
  const fs::path folder = dir_ / ("out/review/" + o.documents[0].review_id);
  const std::string grund = ReadFileOrDie(folder / "grund.txt");
  const std::string person = app.positions[0].person;
  const std::string sum = "Stellen 1 und 2, VZÄ: '" + person +
                          "' ist mit zusammen 1,50 VZÄ genannt; eine "
                          "Fachkraft kann höchstens 1,00 VZÄ besetzen.";
  const std::string late =
      "Unterzeichnung, Datum: 20.08.2017 liegt nach dem Eingang des Antrags "
      "am 14.08.2017.";
  EXPECT_NE(grund.find("- " + sum + "\n"), std::string::npos) << grund;
  EXPECT_NE(grund.find("- " + late + "\n"), std::string::npos) << grund;
  EXPECT_EQ(o.documents[0].message, sum);
  // The field read gets the finding as its reason, and a crop.
  const std::string json = ReadFileOrDie(folder / "felder.json");
  EXPECT_NE(json.find("{\"id\": \"position[1].fte\", \"wert\": \"050\", "
                      "\"konfidenz\": 0.950, \"seite\": 1, \"box\": {\"x\": "
                      "300, \"y\": 400, \"w\": 90, \"h\": 30}, \"grund\": " +
                      core::JsonQuoted(sum) + "}"),
            std::string::npos)
      << json;
  EXPECT_NE(json.find(core::JsonQuoted(late)), std::string::npos) << json;
  EXPECT_TRUE(fs::exists(folder / "feld-position_1_.fte.png"));
}

TEST_F(ScanRouteTest, BrokenImageIsRejectedWithAGermanReason) {
  std::string png = ReadFileOrDie(ScanFile("x.png"));
  const std::string path = dir_ / "in/2017-08-14_kaputt.png";
  WriteFileOrDie(path, png.substr(0, png.size() / 2));
  scans_.docs = {{Tettnang()}};
  const Outcome o = Process(path);
  EXPECT_EQ(o.kind, Outcome::Kind::kRejected);
  EXPECT_NE(o.message.find("Die Datei '2017-08-14_kaputt.png' wurde nicht "
                           "bearbeitet."),
            std::string::npos)
      << o.message;
  EXPECT_EQ(scans_.calls, 0);
  EXPECT_TRUE(fs::exists(Out("rejected/2017-08-14_kaputt.png.error.txt")));
}

// Headers valid, page 2 of 3 damaged: found when the reader pulls it, and
// the file is refused as when every page was decoded up front.
TEST_F(ScanRouteTest, DamagedMiddlePageIsRejectedWithAGermanReason) {
  scan::Pages pages;
  for (int i = 0; i < 3; ++i) {
    pages.push_back(scan::PixPtr(pixCreate(620, 877, 8)));
    pixSetAllArbitrary(pages.back().get(), 255);
    pixSetResolution(pages.back().get(), 75, 75);
  }
  const std::string path = dir_ / "in/2017-08-14_seite-kaputt.tif";
  WriteFileOrDie(
      path, testing::WithPageDataCut(
                *scan::EncodeDocument(pages, scan::ImageFormat::kTiffLzw), 1));
  scans_.docs = {{Tettnang()}};
  const Outcome o = Process(path);
  EXPECT_EQ(o.kind, Outcome::Kind::kRejected);
  EXPECT_NE(o.message.find("Die Datei '2017-08-14_seite-kaputt.tif' wurde "
                           "nicht bearbeitet."),
            std::string::npos)
      << o.message;
  EXPECT_NE(o.message.find("Seite 2 der Datei (TIFF-Bild) ist beschädigt"),
            std::string::npos)
      << o.message;
  EXPECT_EQ(scans_.calls, 1);
  EXPECT_TRUE(
      fs::exists(Out("rejected/2017-08-14_seite-kaputt.tif.error.txt")));
  EXPECT_FALSE(fs::exists(Out("review")));
  EXPECT_EQ(*journal_->DecisionCount(), 0);

  // Without a reader (no OCR here) the file is refused, not sent to review.
  const std::string unread = dir_ / "in/2017-08-14_seite-3-kaputt.tif";
  WriteFileOrDie(
      unread,
      testing::WithPageDataCut(
          *scan::EncodeDocument(pages, scan::ImageFormat::kTiffLzw), 2));
  const std::string bytes = ReadFileOrDie(unread);
  const Outcome u = pipeline_->ProcessBytes(
      Input{unread, BaseName(unread), 0}, bytes, Sha256Hex(bytes), sink_,
      letters_.get(), std::nullopt, nullptr);
  EXPECT_EQ(u.kind, Outcome::Kind::kRejected) << u.message;
  EXPECT_NE(u.message.find("Seite 3 der Datei (TIFF-Bild) ist beschädigt"),
            std::string::npos)
      << u.message;
  EXPECT_FALSE(fs::exists(Out("review")));
}

}  // namespace
}  // namespace bescheid::pipeline
