// The review station's backend over a running watcher (in-process): release
// with four eyes, corrections decided through the one pipeline, problems,
// searches, images by id only, metrics; and recovery of an interrupted
// release.
#include "daemon/station_backend.h"

#include <Poco/Logger.h>
#include <gtest/gtest.h>
#include <stdlib.h>

#include <filesystem>

#include "core/text.h"
#include "daemon/release.h"
#include "daemon_harness.h"
#include "env/env.h"
#include "forms/field_values.h"
#include "forwarding_journal.h"
#include "pipeline/ocr_scan_reader.h"
#include "test_util.h"

namespace bescheid::daemon {
namespace {

using bescheid::testing::FilesUnder;
using bescheid::testing::ReadFileOrDie;
using bescheid::testing::RunCommand;
using bescheid::testing::SourcePath;
using bescheid::testing::TempDir;
using bescheid::testing::WaitFor;
using bescheid::testing::WriteFileOrDie;
namespace fs = std::filesystem;

constexpr char kFreiburgIban[] = "DE41600501017405502051";
constexpr char kDay[] = "2018-01-22";  // the demo date (SOURCE_DATE_EPOCH)

class StationBackendTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ::setenv("SOURCE_DATE_EPOCH", bescheid::testing::kDemoEpoch, 1);
    settings_.watch.root = dir_ / "root";
    fs::create_directories(settings_.watch.root);
    settings_.watch.workers = 1;
    settings_.watch.stable_seconds = 0;
    settings_.watch.rescan_seconds = 1;
    settings_.watch.status_seconds = 0;
    settings_.letters.templates_dir = SourcePath("templates/letters");
    settings_.letters.font_regular = SourcePath("fonts/DejaVuSans-letters.ttf");
    settings_.letters.font_bold =
        SourcePath("fonts/DejaVuSans-Bold-letters.ttf");
    reference_ = *core::ReferenceTable::ParseCsv(
        ReadFileOrDie(SourcePath("config/reference/gemeinden.csv")));
    reader_ = std::move(xml::ApplicationReader::Create()).value();
    layout_ = *forms::ParseLayout(
        ReadFileOrDie(SourcePath("templates/forms/antrag-1.0.form")),
        "antrag-1.0.form");
  }
  void TearDown() override { Stop(); }

  void Start(const std::string& mode) {
    settings_.release.mode = mode;
    if (!journal_) {
      journal_ =
          std::move(store::OpenSqliteJournal(dir_ / "journal.sqlite")).value();
    }
    pipeline_ = std::make_unique<pipeline::Pipeline>(
        settings_, &reference_, reader_.get(), journal_.get(), nullptr, env_);
    watcher_ = std::make_unique<Watcher>(settings_, pipeline_.get(),
                                         journal_.get(), env_, &log_);
    station_ = std::make_unique<StationBackend>(settings_, pipeline_.get(),
                                                watcher_.get(), journal_.get(),
                                                env_, &layout_);
    watcher_->SetOutcomeObserver(station_->Observer());
    ASSERT_TRUE(watcher_->Start().ok());
  }
  void Stop() {
    if (watcher_) {
      EXPECT_TRUE(watcher_->Stop(30));
    }
    station_.reset();
    watcher_.reset();
    pipeline_.reset();
  }

  std::string Root(const std::string& rel) { return dir_ / ("root/" + rel); }
  void Drop(const std::string& name, const std::string& bytes) {
    WriteFileOrDie(Root("inbox/.tmp-" + name), bytes);
    fs::rename(Root("inbox/.tmp-" + name), Root("inbox/" + name));
  }
  bool Idle() {
    return FilesUnder(Root("inbox")).empty() &&
           FilesUnder(Root("processing")).empty() && watcher_->Backlog() == 0;
  }
  // Drops the example and waits until it is decided; its Aktenzeichen.
  std::string Decide(const std::string& example, const std::string& as) {
    const int64_t before = journal_->DecisionCount().value();
    Drop(as, ReadFileOrDie(SourcePath("examples/" + example)));
    EXPECT_TRUE(WaitFor(
        [&] { return journal_->DecisionCount().value() > before && Idle(); },
        60));
    auto found = journal_->SearchDecisions("RPS", 1);
    return found.ok() && !found->empty() ? (*found)[0].aktenzeichen : "";
  }

  // A review case built as the scan route writes it: every field of the
  // Freiburg application as read, the IBAN in doubt (read with an O for a
  // 0), opened in the journal at place `sequence` in the order of receipt.
  std::string MakeCase(const std::string& hash, uint64_t sequence,
                       const std::string& iban_read) {
    const std::string id = hash.substr(0, 12) + "-1";
    core::Application app = *reader_->Read(
        ReadFileOrDie(SourcePath("examples/scans/antraege/freiburg.xml")),
        "freiburg.xml");
    std::string fields;
    for (const forms::PlacedPage& page :
         forms::PlacePages(layout_, static_cast<int>(app.positions.size()),
                           static_cast<int>(app.members.size()))) {
      for (const forms::Field& f : page.fields) {
        std::optional<std::string> v = forms::FieldValue(app, f);
        if (!v) continue;
        const bool iban = f.id == "bank.iban";
        if (f.id == "signature.image") v = "X";
        fields += std::string(fields.empty() ? "" : ",\n") +
                  "    {\"id\": " + core::JsonQuoted(f.id) +
                  (f.kind == forms::FieldKind::kCheck
                       ? ", \"option\": " + core::JsonQuoted(f.value)
                       : "") +
                  ", \"wert\": " + core::JsonQuoted(iban ? iban_read : *v) +
                  ", \"konfidenz\": " + (iban ? "0.420" : "0.960") +
                  ", \"seite\": " + std::to_string(page.number) +
                  ", \"box\": {\"x\": 10, \"y\": 20, \"w\": 30, \"h\": 40}" +
                  ", \"grund\": " +
                  (iban ? "\"Feld 'bank.iban': unsicher gelesen\"" : "\"\"") +
                  "}";
      }
    }
    const std::string dir = Root("review/" + id);
    fs::create_directories(dir);
    WriteFileOrDie(dir + "/felder.json",
                   "{\n  \"format\": \"bescheid-felder-1\",\n"
                   "  \"datei\": \"2017-08-14_freiburg.tif\",\n"
                   "  \"dokument\": 1,\n  \"seriennummer\": 1,\n"
                   "  \"aus_barcode\": false,\n  \"unterschrift\": true,\n"
                   "  \"seiten_in_datei\": [1, 2, 3],\n  \"felder\": [\n" +
                       fields + "\n  ],\n  \"gruende\": []\n}\n");
    WriteFileOrDie(dir + "/seite-1.png", "PNG page 1");
    WriteFileOrDie(dir + "/seite-2.png", "PNG page 2");
    WriteFileOrDie(dir + "/feld-bank.iban.png", "PNG iban crop");
    WriteFileOrDie(dir + "/original.tif", "II*\0 the scanned file");
    EXPECT_TRUE(
        journal_
            ->OpenReview(
                {id, "2017-08-14_freiburg.tif", hash, sequence, {"08311000"}})
            .ok());
    return id;
  }
  int FieldIndex(const review::Case& c, const std::string& id) {
    for (size_t i = 0; i < c.fields.size(); ++i) {
      if (c.fields[i].id == id) return static_cast<int>(i);
    }
    return -1;
  }
  std::string PdfText(const std::string& path) {
    std::string text = RunCommand("pdftotext '" + path + "' -").out;
    text.erase(std::remove_if(text.begin(), text.end(), ::isspace), text.end());
    return text;
  }

  TempDir dir_;
  config::Settings settings_;
  core::ReferenceTable reference_;
  std::unique_ptr<xml::ApplicationReader> reader_;
  forms::FormLayout layout_;
  std::unique_ptr<store::Journal> journal_;
  Env* env_ = DefaultEnv();
  Poco::Logger& log_ = Poco::Logger::get("station-backend-test");
  std::unique_ptr<pipeline::Pipeline> pipeline_;
  std::unique_ptr<Watcher> watcher_;
  std::unique_ptr<StationBackend> station_;
};

TEST_F(StationBackendTest, AutoModeWritesLettersToTheOutboxAsBefore) {
  Start("auto");
  const std::string az = Decide("01-bewilligung-tettnang.xml", "tettnang.xml");
  ASSERT_FALSE(az.empty());
  EXPECT_TRUE(
      fs::exists(Root(std::string("outbox/") + kDay + "/" + az + ".pdf")));
  EXPECT_TRUE(FilesUnder(Root("entwurf")).empty());
  EXPECT_TRUE(station_->ListDrafts()->empty());
  EXPECT_EQ(station_->GetMetrics().files_by_outcome["BEWILLIGUNG"], 1u);
  EXPECT_EQ(station_->GetMetrics().processing_seconds.count, 1u);
}

TEST_F(StationBackendTest, ManualModeKeepsDraftsUntilReleasedWithAudit) {
  Start("manual");
  const std::string az = Decide("01-bewilligung-tettnang.xml", "tettnang.xml");
  ASSERT_FALSE(az.empty());
  EXPECT_TRUE(fs::exists(Root("entwurf/" + az + ".pdf")));
  EXPECT_TRUE(fs::exists(Root("entwurf/" + az + ".decision.xml")));
  EXPECT_TRUE(FilesUnder(Root("outbox")).empty());
  auto drafts = station_->ListDrafts();
  ASSERT_TRUE(drafts.ok());
  ASSERT_EQ(drafts->size(), 1u);
  EXPECT_EQ((*drafts)[0].aktenzeichen, az);
  EXPECT_EQ((*drafts)[0].outcome, "BEWILLIGUNG");
  EXPECT_EQ(station_->GetOverview()->awaiting_release, 1);
  auto letter = station_->GetLetter(az);
  ASSERT_TRUE(letter.ok()) << letter.status().message();
  EXPECT_EQ(letter->bytes.substr(0, 5), "%PDF-");

  ASSERT_TRUE(station_->Release({az}, "bernd").ok());
  const std::string out = Root(std::string("outbox/") + kDay + "/");
  EXPECT_TRUE(fs::exists(out + az + ".pdf"));
  EXPECT_TRUE(fs::exists(out + az + ".decision.xml"));
  EXPECT_TRUE(FilesUnder(Root("entwurf")).empty());
  auto d = journal_->DecisionsFor(az);
  ASSERT_EQ(d->size(), 1u);
  EXPECT_EQ((*d)[0].release, store::ReleaseState::kReleased);
  EXPECT_EQ((*d)[0].released_by, "bernd");
  auto audit = station_->AuditFor(az);
  ASSERT_EQ(audit->size(), 1u);
  EXPECT_EQ((*audit)[0].action, "freigabe");
  EXPECT_EQ((*audit)[0].user, "bernd");
  EXPECT_EQ(station_->GetMetrics().letters_released, 1u);
  EXPECT_TRUE(station_->GetLetter(az).ok());  // now from the outbox
  // Released once only.
  EXPECT_EQ(station_->Release({az}, "bernd").code(), StatusCode::kInvalidInput);
}

// A joint application's copies for its members wait and move with the
// letter.
TEST_F(StationBackendTest, CopiesForMembersAreReleasedWithTheLetter) {
  Start("manual");
  const std::string az =
      Decide("05-zusammenschluss-bodensee.xml", "bodensee.xml");
  ASSERT_FALSE(az.empty());
  const std::vector<std::string> copies = FilesUnder(Root("entwurf"), ".pdf");
  ASSERT_GT(copies.size(), 1u);  // the letter and at least one copy
  ASSERT_TRUE(station_->Release({az}, "bernd").ok());
  EXPECT_TRUE(FilesUnder(Root("entwurf")).empty());
  const std::vector<std::string> out =
      FilesUnder(Root(std::string("outbox/") + kDay), ".pdf");
  EXPECT_EQ(out.size(), copies.size());
  size_t nachrichtlich = 0;
  for (const std::string& f : out) {
    nachrichtlich += f.find(az + "_nachrichtlich_") != std::string::npos;
  }
  EXPECT_EQ(nachrichtlich, copies.size() - 1);
}

// A crash after the release moved the files but before the journal
// committed it: at start the files go back to entwurf/, the decision is
// still a draft, and releasing it again works.
TEST_F(StationBackendTest, InterruptedReleaseIsRolledBackAtStart) {
  Start("manual");
  const std::string az = Decide("01-bewilligung-tettnang.xml", "tettnang.xml");
  ASSERT_FALSE(az.empty());
  Stop();
  const std::string out = Root(std::string("outbox/") + kDay);
  fs::create_directories(out);
  fs::rename(Root("entwurf/" + az + ".pdf"), out + "/" + az + ".pdf");
  fs::rename(Root("entwurf/" + az + ".decision.xml"),
             out + "/" + az + ".decision.xml");
  Start("manual");
  EXPECT_TRUE(fs::exists(Root("entwurf/" + az + ".pdf")));
  EXPECT_TRUE(fs::exists(Root("entwurf/" + az + ".decision.xml")));
  EXPECT_FALSE(fs::exists(out + "/" + az + ".pdf"));
  EXPECT_EQ(journal_->Drafts()->size(), 1u);
  ASSERT_TRUE(station_->Release({az}, "bernd").ok());
  EXPECT_TRUE(fs::exists(out + "/" + az + ".pdf"));
}

// The journal refuses the release: the files move back to entwurf/.
TEST_F(StationBackendTest, ReleaseTheJournalRefusesLeavesTheDraftsInPlace) {
  Start("manual");
  const std::string az = Decide("01-bewilligung-tettnang.xml", "tettnang.xml");
  ASSERT_FALSE(az.empty());
  class RefusingJournal final : public bescheid::testing::ForwardingJournal {
   public:
    using ForwardingJournal::ForwardingJournal;

   private:
    Status Gate(Call call) override {
      if (call != Call::kReleaseDrafts) return Status::Ok();
      return StoreError("journal: disk full (test)");
    }
  } refusing(journal_.get());
  StationBackend station(settings_, pipeline_.get(), watcher_.get(), &refusing,
                         env_, &layout_);
  EXPECT_EQ(station.Release({az}, "bernd").code(), StatusCode::kStore);
  EXPECT_TRUE(fs::exists(Root("entwurf/" + az + ".pdf")));
  EXPECT_TRUE(fs::exists(Root("entwurf/" + az + ".decision.xml")));
  EXPECT_TRUE(FilesUnder(Root("outbox")).empty());
  EXPECT_EQ(journal_->Drafts()->size(), 1u);
  EXPECT_EQ(station.GetMetrics().letters_released, 0u);
}

TEST_F(StationBackendTest, CorrectedCaseIsDecidedWithTheCorrectedValue) {
  Start("auto");
  const std::string id =
      MakeCase(std::string(64, 'a'), 1000, "DE41600501017405502O51");
  auto cases = station_->ListCases();
  ASSERT_TRUE(cases.ok());
  ASSERT_EQ(cases->size(), 1u);
  EXPECT_EQ((*cases)[0].id, id);
  EXPECT_EQ((*cases)[0].received, "2017-08-14");
  EXPECT_EQ((*cases)[0].applicant, "Stadt Freiburg im Breisgau");
  EXPECT_EQ((*cases)[0].first_reason, "Feld 'bank.iban': unsicher gelesen");
  auto c = station_->GetCase(id);
  ASSERT_TRUE(c.ok()) << c.status().message();
  EXPECT_EQ(c->pages, 2);
  const int iban = FieldIndex(*c, "bank.iban");
  ASSERT_GE(iban, 0);
  EXPECT_TRUE(c->fields[iban].has_crop);
  EXPECT_NEAR(c->fields[iban].confidence, 0.42, 1e-9);
  EXPECT_EQ(c->fields[iban].label, "IBAN");

  auto saved =
      station_->SaveCorrections(id, {{"bank.iban", kFreiburgIban}}, "anna");
  ASSERT_TRUE(saved.ok()) << saved.status().message();
  EXPECT_TRUE(saved->problems.empty()) << saved->problems[0];
  ASSERT_TRUE(saved->aktenzeichen.has_value());
  EXPECT_FALSE(saved->awaiting_release);
  const std::string pdf =
      Root(std::string("outbox/") + kDay + "/" + *saved->aktenzeichen + ".pdf");
  ASSERT_TRUE(fs::exists(pdf));
  EXPECT_NE(PdfText(pdf).find(kFreiburgIban), std::string::npos);
  const std::string record =
      ReadFileOrDie(Root(std::string("outbox/") + kDay + "/" +
                         *saved->aktenzeichen + ".decision.xml"));
  EXPECT_NE(record.find("2017-08-14"), std::string::npos);  // receipt
  // The case is closed; its audit names the change.
  EXPECT_TRUE(journal_->OpenReviews()->empty());
  auto after = station_->GetCase(id);
  ASSERT_TRUE(after.ok());
  EXPECT_FALSE(after->summary.open);
  EXPECT_EQ(after->corrected_by, "anna");
  ASSERT_GE(after->audit.size(), 2u);
  EXPECT_EQ(after->audit[0].field, "bank.iban");
  EXPECT_EQ(after->audit[0].old_value, "DE41600501017405502O51");
  EXPECT_EQ(after->audit[0].new_value, kFreiburgIban);
  EXPECT_EQ(after->fields[FieldIndex(*after, "bank.iban")].value,
            kFreiburgIban);
  // Closed cases take no more corrections.
  EXPECT_EQ(station_->SaveCorrections(id, {}, "anna").status().code(),
            StatusCode::kInvalidInput);
}

// The decided case's scanned original goes to archive/<Aktenzeichen>/.
// When it cannot (here: it is missing), the case stays open with a German
// message; saved again once the file is back, it is archived and closed,
// and no second letter is made.
TEST_F(StationBackendTest, ACorrectedCaseArchivesItsOriginalBeforeItCloses) {
  Start("auto");
  const std::string id =
      MakeCase(std::string(64, 'b'), 1000, "DE41600501017405502O51");
  const std::string original = Root("review/" + id + "/original.tif");
  const std::string bytes = ReadFileOrDie(original);
  fs::rename(original, dir_ / "weg.tif");
  auto failed =
      station_->SaveCorrections(id, {{"bank.iban", kFreiburgIban}}, "anna");
  ASSERT_FALSE(failed.ok());
  EXPECT_NE(failed.status().message().find("nicht ins Archiv kopiert"),
            std::string::npos)
      << failed.status().message();
  EXPECT_EQ(journal_->OpenReviews()->size(), 1u);

  fs::rename(dir_ / "weg.tif", original);
  auto saved = station_->SaveCorrections(id, {}, "anna");
  ASSERT_TRUE(saved.ok()) << saved.status().message();
  ASSERT_TRUE(saved->aktenzeichen.has_value());
  EXPECT_EQ(*saved->aktenzeichen, "RPS15-IM-2017-00001");
  EXPECT_EQ(journal_->DecisionCount().value(), 1);
  EXPECT_TRUE(journal_->OpenReviews()->empty());
  EXPECT_EQ(ReadFileOrDie(Root("archive/RPS15-IM-2017-00001/"
                               "2017-08-14_freiburg.tif")),
            bytes);
}

TEST_F(StationBackendTest, InvalidCorrectionKeepsTheCaseOpenWithItsProblems) {
  Start("auto");
  const std::string id =
      MakeCase(std::string(64, 'b'), 1000, "DE41600501017405502O51");
  auto saved = station_->SaveCorrections(
      id, {{"bank.iban", "DE00600501017405502051"}}, "anna");
  ASSERT_TRUE(saved.ok()) << saved.status().message();
  ASSERT_FALSE(saved->problems.empty());
  EXPECT_NE(saved->problems[0].find("IBAN"), std::string::npos)
      << saved->problems[0];
  EXPECT_FALSE(saved->aktenzeichen.has_value());
  EXPECT_EQ(journal_->OpenReviews()->size(), 1u);
  EXPECT_EQ(journal_->DecisionCount().value(), 0);
  // The corrected value is kept (felder.json) and audited.
  auto c = station_->GetCase(id);
  EXPECT_EQ(c->fields[FieldIndex(*c, "bank.iban")].value,
            "DE00600501017405502051");
  EXPECT_EQ(c->audit.size(), 1u);
  // Unknown fields and control characters are refused, nothing changes.
  EXPECT_EQ(
      station_->SaveCorrections(id, {{"no.such", "x"}}, "anna").status().code(),
      StatusCode::kInvalidInput);
  EXPECT_EQ(station_->SaveCorrections(id, {{"bank.iban", "DE\n1"}}, "anna")
                .status()
                .code(),
            StatusCode::kInvalidInput);
  EXPECT_EQ(station_->GetCase(id)->audit.size(), 1u);
}

TEST_F(StationBackendTest,
       WhoCorrectedACaseCannotReleaseItAndNothingIsReleased) {
  Start("manual");
  const std::string other =
      Decide("01-bewilligung-tettnang.xml", "tettnang.xml");
  const std::string id =
      MakeCase(std::string(64, 'c'), 1000, "DE41600501017405502O51");
  auto saved =
      station_->SaveCorrections(id, {{"bank.iban", kFreiburgIban}}, "anna");
  ASSERT_TRUE(saved.ok()) << saved.status().message();
  ASSERT_TRUE(saved->aktenzeichen.has_value())
      << (saved->problems.empty() ? "" : saved->problems[0]);
  EXPECT_TRUE(saved->awaiting_release);
  const std::string az = *saved->aktenzeichen;
  auto drafts = station_->ListDrafts();
  ASSERT_EQ(drafts->size(), 2u);
  EXPECT_EQ((*drafts)[1].corrected_by, "anna");

  Status refused = station_->Release({other, az}, "anna");
  EXPECT_EQ(refused.code(), StatusCode::kInvalidInput);
  EXPECT_NE(refused.message().find(az), std::string::npos);
  EXPECT_NE(refused.message().find("Vier-Augen"), std::string::npos);
  EXPECT_EQ(journal_->Drafts()->size(), 2u);
  EXPECT_TRUE(FilesUnder(Root("outbox")).empty());
  EXPECT_TRUE(station_->AuditFor(other)->empty());

  ASSERT_TRUE(station_->Release({other, az}, "bernd").ok());
  EXPECT_TRUE(journal_->Drafts()->empty());
  EXPECT_EQ(FilesUnder(Root("outbox"), ".pdf").size(), 2u);
}

// A later application for the municipality of an open case waits; when
// the corrected case is decided and closed, it proceeds (and is refused:
// the corrected application was granted first).
TEST_F(StationBackendTest, ApplicationDeferredByTheCaseProceedsWhenItCloses) {
  journal_ =
      std::move(store::OpenSqliteJournal(dir_ / "journal.sqlite")).value();
  // Place 0: the case holds every later application of its municipality.
  const std::string id =
      MakeCase(std::string(64, 'd'), 0, "DE41600501017405502O51");
  Start("auto");
  Drop("freiburg.xml",
       ReadFileOrDie(SourcePath("examples/scans/antraege/freiburg.xml")));
  ASSERT_TRUE(WaitFor(
      [&] {
        return FilesUnder(Root("inbox")).empty() &&
               station_->GetMetrics().files_by_outcome["ZURUECKGESTELLT"] > 0;
      },
      30));
  EXPECT_EQ(journal_->DecisionCount().value(), 0);
  EXPECT_EQ(watcher_->Backlog(), 1u);  // parked

  auto saved =
      station_->SaveCorrections(id, {{"bank.iban", kFreiburgIban}}, "anna");
  ASSERT_TRUE(saved.ok()) << saved.status().message();
  ASSERT_TRUE(saved->aktenzeichen.has_value())
      << (saved->problems.empty() ? "" : saved->problems[0]);
  ASSERT_TRUE(WaitFor(
      [&] { return journal_->DecisionCount().value() == 2 && Idle(); }, 60));
  auto hits = station_->Search("Freiburg", 10);
  ASSERT_EQ(hits->size(), 2u);
  EXPECT_EQ((*hits)[1].aktenzeichen, *saved->aktenzeichen);  // older
  EXPECT_EQ((*hits)[1].outcome, "BEWILLIGUNG");
  EXPECT_EQ((*hits)[0].outcome, "ABLEHNUNG");  // DOPPELFOERDERUNG
}

TEST_F(StationBackendTest, CaseImagesOnlyByKnownIndex) {
  Start("auto");
  const std::string id =
      MakeCase(std::string(64, 'e'), 1000, "DE41600501017405502O51");
  auto page = station_->GetCaseImage(id, review::CaseImage::kPage, 2);
  ASSERT_TRUE(page.ok());
  EXPECT_EQ(page->bytes, "PNG page 2");
  EXPECT_EQ(page->media_type, "image/png");
  auto c = station_->GetCase(id);
  const int iban = FieldIndex(*c, "bank.iban");
  auto crop = station_->GetCaseImage(id, review::CaseImage::kCrop, iban);
  ASSERT_TRUE(crop.ok());
  EXPECT_EQ(crop->bytes, "PNG iban crop");
  for (int bad : {0, 3, -1, 1 << 30}) {
    EXPECT_EQ(station_->GetCaseImage(id, review::CaseImage::kPage, bad)
                  .status()
                  .code(),
              StatusCode::kNotFound)
        << bad;
  }
  // A field without a crop, an index past the fields, another folder.
  EXPECT_EQ(
      station_->GetCaseImage(id, review::CaseImage::kCrop, 0).status().code(),
      StatusCode::kNotFound);
  EXPECT_EQ(station_->GetCaseImage(id, review::CaseImage::kCrop, 100000)
                .status()
                .code(),
            StatusCode::kNotFound);
  for (const std::string& bad :
       {std::string("../review"), std::string(".."),
        std::string("eeeeeeeeeeee-1/../x"), std::string("ffffffffffff-1")}) {
    EXPECT_EQ(station_->GetCaseImage(bad, review::CaseImage::kPage, 1)
                  .status()
                  .code(),
              StatusCode::kNotFound)
        << bad;
  }
}

TEST_F(StationBackendTest, RejectedFileIsListedAndRequeuedIntoTheInbox) {
  Start("auto");
  Drop("kaputt.xml", "<antrag>nicht wohlgeformt");
  ASSERT_TRUE(WaitFor(
      [&] { return fs::exists(Root("rejected/kaputt.xml.error.txt")); }, 30));
  ASSERT_TRUE(WaitFor([&] { return Idle(); }, 30));
  Stop();  // so the requeued file stays in the inbox to be looked at
  Start("auto");
  watcher_->Stop(30);
  auto problems = station_->ListProblems();
  ASSERT_TRUE(problems.ok());
  ASSERT_EQ(problems->size(), 1u);
  EXPECT_EQ((*problems)[0].file, "kaputt.xml");
  EXPECT_EQ((*problems)[0].kind, "ABGEWIESEN");
  EXPECT_FALSE((*problems)[0].reason.empty());
  EXPECT_EQ(station_->Requeue("a0000", "anna").code(), StatusCode::kNotFound);
  ASSERT_TRUE(station_->Requeue((*problems)[0].id, "anna").ok());
  EXPECT_TRUE(fs::exists(Root("inbox/kaputt.xml")));
  EXPECT_FALSE(fs::exists(Root("rejected/kaputt.xml")));
  EXPECT_TRUE(station_->ListProblems()->empty());
  auto audit = station_->AuditFor("kaputt.xml");
  ASSERT_EQ(audit->size(), 1u);
  EXPECT_EQ(audit->at(0).action, "neu-eingereiht");
  EXPECT_EQ(audit->at(0).new_value, "inbox/kaputt.xml");
  watcher_.reset();
}

TEST_F(StationBackendTest, SearchFindsDecisionsAndOpenCasesWithinTheLimit) {
  Start("auto");
  const std::string az = Decide("01-bewilligung-tettnang.xml", "tettnang.xml");
  const std::string id =
      MakeCase(std::string(64, 'f'), 1000, "DE41600501017405502O51");
  auto by_az = station_->Search(az, 10);
  ASSERT_TRUE(by_az.ok());
  ASSERT_EQ(by_az->size(), 1u);
  EXPECT_EQ((*by_az)[0].aktenzeichen, az);
  EXPECT_EQ((*by_az)[0].outcome, "BEWILLIGUNG");
  auto by_name = station_->Search("Tettnang", 10);
  ASSERT_EQ(by_name->size(), 1u);
  auto by_ags = station_->Search("08311000", 10);
  ASSERT_EQ(by_ags->size(), 1u);
  EXPECT_EQ((*by_ags)[0].case_id, id);
  EXPECT_TRUE(station_->Search("x", 10)->empty());  // too short
  EXPECT_TRUE(station_->Search("RPS", 0)->empty());
  auto overview = station_->GetOverview();
  ASSERT_TRUE(overview.ok());
  ASSERT_EQ(overview->last_days.size(), 14u);
  EXPECT_EQ(overview->review, 1);
  EXPECT_TRUE(station_->CheckHealth().ok)
      << station_->CheckHealth().problems[0];
}

// The bundled hand-corrected Freiburg scan, read by Tesseract, goes to
// review; a clerk confirms the corrected values and the case is decided.
TEST_F(StationBackendTest, RealScanInReviewIsCorrectedAndDecided) {
  settings_.release.mode = "auto";
  journal_ =
      std::move(store::OpenSqliteJournal(dir_ / "journal.sqlite")).value();
  pipeline_ = std::make_unique<pipeline::Pipeline>(
      settings_, &reference_, reader_.get(), journal_.get(), nullptr, env_);
  watcher_ = std::make_unique<Watcher>(settings_, pipeline_.get(),
                                       journal_.get(), env_, &log_);
  station_ = std::make_unique<StationBackend>(settings_, pipeline_.get(),
                                              watcher_.get(), journal_.get(),
                                              env_, &layout_);
  const config::Settings* s = &settings_;
  const forms::FormLayout* form = &layout_;
  watcher_->SetScanReaderFactory(station_->MeteredReaders(
      [s, form] { return pipeline::OcrScanReader::Create(*s, form); }));
  ASSERT_TRUE(watcher_->Start().ok());
  Drop("2017-08-14_freiburg.tif",
       ReadFileOrDie(SourcePath(
           "examples/scans/2017-08-14_corrected-300-g4_freiburg.tif")));
  ASSERT_TRUE(
      WaitFor([&] { return Idle() && !station_->ListCases()->empty(); }, 120));
  EXPECT_GT(station_->GetMetrics().ocr_confidence.count, 0u);
  const std::string id = station_->ListCases()->at(0).id;
  auto c = station_->GetCase(id);
  ASSERT_TRUE(c.ok()) << c.status().message();
  // The VZÄ is struck out: the reader gives no value and says why.
  const int fte = FieldIndex(*c, "position[0].fte");
  ASSERT_GE(fte, 0);
  EXPECT_NE(c->fields[fte].reason.find("durchgestrichen"), std::string::npos);
  EXPECT_TRUE(c->fields[fte].has_crop);
  EXPECT_TRUE(station_->GetCaseImage(id, review::CaseImage::kCrop, fte).ok());
  EXPECT_TRUE(station_->GetCaseImage(id, review::CaseImage::kPage, 1).ok());
  // Left empty, the value is no VZÄ: the case stays open.
  auto empty = station_->SaveCorrections(id, {}, "anna");
  ASSERT_TRUE(empty.ok()) << empty.status().message();
  ASSERT_FALSE(empty->problems.empty());
  EXPECT_NE(empty->problems[0].find("position[0].fte"), std::string::npos);
  // The clerk enters the value written by hand (0,50).
  auto saved =
      station_->SaveCorrections(id, {{"position[0].fte", "050"}}, "anna");
  ASSERT_TRUE(saved.ok()) << saved.status().message();
  ASSERT_TRUE(saved->aktenzeichen.has_value())
      << (saved->problems.empty() ? "" : saved->problems[0]);
  const std::string out =
      Root(std::string("outbox/") + kDay + "/" + *saved->aktenzeichen);
  EXPECT_TRUE(fs::exists(out + ".pdf"));
  const std::string record = ReadFileOrDie(out + ".decision.xml");
  EXPECT_NE(record.find("<Kanal>SCAN</Kanal>"), std::string::npos) << record;
  EXPECT_NE(record.find("0.50"), std::string::npos) << record;
  EXPECT_TRUE(journal_->OpenReviews()->empty());
  // The scanned original is archived under the letter's Aktenzeichen, as
  // the watcher archives every decided input.
  EXPECT_EQ(ReadFileOrDie(Root("archive/" + *saved->aktenzeichen +
                               "/2017-08-14_freiburg.tif")),
            ReadFileOrDie(SourcePath(
                "examples/scans/2017-08-14_corrected-300-g4_freiburg.tif")));
}

TEST(StationMetricsTest, CountsOutcomesAndFillsCumulativeBuckets) {
  StationMetrics m;
  const core::Date day{2018, 1, 22};
  m.FileDone("BEWILLIGUNG", 0.2, day);
  m.FileDone("rejected", 3, day);
  m.FileDone("failed", 1000, day);
  m.FieldRead(0.42);
  m.FieldRead(0.97);
  m.LettersReleased(2);
  const review::Metrics s = m.Snapshot();
  EXPECT_EQ(s.files_by_outcome.at("BEWILLIGUNG"), 1u);
  EXPECT_EQ(s.files_by_outcome.at("ABGEWIESEN"), 1u);
  EXPECT_EQ(s.files_by_outcome.at("FEHLER"), 1u);
  EXPECT_EQ(s.processing_seconds.count, 3u);
  EXPECT_DOUBLE_EQ(s.processing_seconds.sum, 1003.2);
  // Bounds 0.1 0.25 0.5 1 2.5 5 10 30 60 120: 0.2 from 0.25 on, 3 from 5.
  EXPECT_EQ(s.processing_seconds.counts[0], 0u);
  EXPECT_EQ(s.processing_seconds.counts[1], 1u);
  EXPECT_EQ(s.processing_seconds.counts[5], 2u);
  EXPECT_EQ(s.processing_seconds.counts.back(), 2u);  // 1000 s only in +Inf
  EXPECT_EQ(s.ocr_confidence.count, 2u);
  EXPECT_EQ(s.ocr_confidence.counts[0], 1u);  // <= 0.5
  EXPECT_EQ(s.letters_released, 2u);
  EXPECT_EQ(m.FailuresOn(day), 1);
  EXPECT_EQ(m.FailuresOn(core::Date{2018, 1, 23}), 0);
}

}  // namespace
}  // namespace bescheid::daemon
