#include "pipeline/pipeline.h"

#include <gtest/gtest.h>
#include <utime.h>

#include <chrono>
#include <filesystem>
#include <regex>
#include <set>
#include <thread>

#include "core/format.h"
#include "fault_env.h"
#include "test_util.h"

namespace bescheid::pipeline {
namespace {

using bescheid::testing::ReadFileOrDie;
using bescheid::testing::SourcePath;
using bescheid::testing::TempDir;
using bescheid::testing::WriteFileOrDie;
namespace fs = std::filesystem;

class PipelineTest : public ::testing::Test {
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
    auto options = MakeLetterOptions(settings_);
    letters_ = std::move(letters::LetterRenderer::Create(options)).value();
    Rebuild();
  }

  void Rebuild() {
    pipeline_ =
        std::make_unique<Pipeline>(settings_, &reference_, reader_.get(),
                                   journal_.get(), letters_.get(), &env_);
  }

  std::string CopyExample(const std::string& name) {
    const std::string path = dir_ / ("in/" + name);
    WriteFileOrDie(path, ReadFileOrDie(SourcePath("examples/" + name)));
    return path;
  }
  std::string Out(const std::string& rel) { return dir_ / ("out/" + rel); }

  // Example 04 (a NACHFORDERUNG for Wangen) as the applicant completes it
  // (tests/data), received on `receipt`.
  std::string CompletedWangen(
      const std::string& name = "04-vervollstaendigt.xml",
      const std::string& receipt = "2018-02-05") {
    std::string xml = ReadFileOrDie(
        SourcePath("tests/data/04-nachforderung-wangen-vervollstaendigt.xml"));
    const std::string stamp = "<Eingangsdatum>2018-02-05";
    xml.replace(xml.find(stamp), stamp.size(), "<Eingangsdatum>" + receipt);
    const std::string path = dir_ / ("in/" + name);
    WriteFileOrDie(path, xml);
    return path;
  }
  // The text of a PDF in the output folder, line breaks folded.
  std::string PdfText(const std::string& rel) {
    const auto r = bescheid::testing::RunCommand(
        "pdftotext -enc UTF-8 '" + Out(rel) + "' - | tr '\\n' ' '");
    EXPECT_EQ(r.exit_code, 0) << r.out;
    return std::regex_replace(r.out, std::regex(" +"), " ");
  }

  TempDir dir_;
  config::Settings settings_;
  core::ReferenceTable reference_;
  std::unique_ptr<xml::ApplicationReader> reader_;
  std::unique_ptr<store::Journal> journal_;
  std::unique_ptr<letters::LetterRenderer> letters_;
  bescheid::testing::FaultEnv env_;
  std::unique_ptr<Pipeline> pipeline_;
  DirectorySink sink_{dir_ / "out", &env_};
};

TEST_F(PipelineTest, DecidesAndRecords) {
  const std::string in = CopyExample("01-bewilligung-tettnang.xml");
  Outcome o = pipeline_->Process(in, sink_);
  ASSERT_EQ(o.kind, Outcome::Kind::kDecided) << o.message;
  EXPECT_EQ(o.aktenzeichen, "RPS15-IM-2017-00001");
  EXPECT_EQ(o.decision, core::DecisionKind::kBewilligung);
  const std::string record =
      ReadFileOrDie(Out("RPS15-IM-2017-00001.decision.xml"));
  EXPECT_NE(record.find("<Bewilligt>116000.00</Bewilligt>"), std::string::npos);
  EXPECT_NE(
      record.find("<SHA256>" + Sha256Hex(ReadFileOrDie(in)) + "</SHA256>"),
      std::string::npos);
  auto entry = journal_->FindInput(Sha256Hex(ReadFileOrDie(in)));
  ASSERT_TRUE(entry.ok() && entry->has_value());
  EXPECT_EQ((*entry)->state, store::InputState::kDecided);
}

TEST_F(PipelineTest, SameBytesTwiceIsADuplicateWithoutNewNumber) {
  const std::string in = CopyExample("01-bewilligung-tettnang.xml");
  ASSERT_EQ(pipeline_->Process(in, sink_).kind, Outcome::Kind::kDecided);
  const std::string copy = dir_ / "in/kopie.xml";
  fs::copy_file(in, copy);
  Outcome dup = pipeline_->Process(copy, sink_);
  EXPECT_EQ(dup.kind, Outcome::Kind::kDuplicate);
  EXPECT_EQ(dup.aktenzeichen, "RPS15-IM-2017-00001");
  EXPECT_NE(ReadFileOrDie(Out("duplicates/kopie.xml.txt"))
                .find("unter dem Aktenzeichen RPS15-IM-2017-00001"),
            std::string::npos);
  Outcome next = pipeline_->Process(
      CopyExample("02-teilbewilligung-offenburg.xml"), sink_);
  EXPECT_EQ(next.aktenzeichen, "RPS15-IM-2017-00002");
}

TEST_F(PipelineTest, InvalidInputIsRejectedWithGermanReport) {
  const std::string in = dir_ / "in/kaputt.xml";
  WriteFileOrDie(in, "<Foerderantrag");
  Outcome o = pipeline_->Process(in, sink_);
  EXPECT_EQ(o.kind, Outcome::Kind::kRejected);
  const std::string report =
      ReadFileOrDie(Out("rejected/kaputt.xml.error.txt"));
  EXPECT_NE(report.find("'kaputt.xml' ist kein gültiger Förderantrag"),
            std::string::npos)
      << report;
  EXPECT_NE(report.find("Zeile 1"), std::string::npos);
  EXPECT_EQ((*journal_->FindInput(Sha256Hex("<Foerderantrag")))->state,
            store::InputState::kRejected);
}

TEST_F(PipelineTest, OversizedInputIsRejectedUnread) {
  settings_.intake_max_bytes = 100;
  settings_.scan.limits.max_bytes = 200;
  Rebuild();
  Outcome o =
      pipeline_->Process(CopyExample("01-bewilligung-tettnang.xml"), sink_);
  EXPECT_EQ(o.kind, Outcome::Kind::kRejected);
  EXPECT_NE(o.message.find("größer als die zulässigen 200 Bytes"),
            std::string::npos)
      << o.message;
}

// A scan may be larger than an XML application: files are read up to the
// larger cap, and XML is then held to its own.
TEST_F(PipelineTest, XmlAboveItsCapIsRejectedThoughScansMayBeLarger) {
  settings_.intake_max_bytes = 100;
  Rebuild();
  Outcome o =
      pipeline_->Process(CopyExample("01-bewilligung-tettnang.xml"), sink_);
  EXPECT_EQ(o.kind, Outcome::Kind::kRejected);
  EXPECT_NE(o.message.find("im XML-Format zulässigen 100 Bytes"),
            std::string::npos)
      << o.message;
}

TEST_F(PipelineTest, OtherProgrammeIsRejected) {
  settings_.rules.code = "IM-2019";
  Rebuild();
  Outcome o =
      pipeline_->Process(CopyExample("01-bewilligung-tettnang.xml"), sink_);
  EXPECT_EQ(o.kind, Outcome::Kind::kRejected);
  EXPECT_NE(o.message.find("Programm 'IM-2017'"), std::string::npos);
}

TEST_F(PipelineTest, FullDiskFailsWithoutRecordingAndLaterSucceeds) {
  const std::string in = CopyExample("01-bewilligung-tettnang.xml");
  env_.failing = true;
  Outcome o = pipeline_->Process(in, sink_);
  EXPECT_EQ(o.kind, Outcome::Kind::kFailed);
  EXPECT_NE(o.message.find("No space left"), std::string::npos);
  auto entry = journal_->FindInput(Sha256Hex(ReadFileOrDie(in)));
  EXPECT_FALSE(entry->has_value() &&
               (*entry)->state == store::InputState::kDecided);
  EXPECT_FALSE(fs::exists(Out("RPS15-IM-2017-00001.decision.xml")));

  // More failed attempts use up no number either.
  for (int i = 0; i < 5; ++i) {
    EXPECT_EQ(pipeline_->Process(in, sink_).kind, Outcome::Kind::kFailed);
  }
  env_.failing = false;
  Outcome retry = pipeline_->Process(in, sink_);
  ASSERT_EQ(retry.kind, Outcome::Kind::kDecided);
  EXPECT_EQ(retry.aktenzeichen, "RPS15-IM-2017-00001");  // numbered at commit
  Outcome next = pipeline_->Process(
      CopyExample("03-ablehnung-mindestbetrag-todtnau.xml"), sink_);
  EXPECT_EQ(next.aktenzeichen, "RPS15-IM-2017-00002");
}

TEST_F(PipelineTest, NumberingContinuesAfterTheJournalsLastNumber) {
  ASSERT_EQ(
      pipeline_->Process(CopyExample("01-bewilligung-tettnang.xml"), sink_)
          .kind,
      Outcome::Kind::kDecided);
  Rebuild();  // a restart: the next number comes from the journal
  EXPECT_EQ(pipeline_
                ->Process(CopyExample("03-ablehnung-mindestbetrag-todtnau.xml"),
                          sink_)
                .aktenzeichen,
            "RPS15-IM-2017-00002");
  Rebuild();
  pipeline_->SetNumberFloor(40);  // a new journal beside older letters
  EXPECT_EQ(pipeline_
                ->Process(CopyExample("07-ablehnung-fristende-ludwigsburg.xml"),
                          sink_)
                .aktenzeichen,
            "RPS15-IM-2017-00041");
}

// An application that failed for a passing reason keeps its place: a later
// one for the same municipality is deferred until the first is decided,
// while applications for other municipalities go on.
TEST_F(PipelineTest, AFailedApplicationHoldsItsMunicipalitiesForLaterOnes) {
  const std::string first = CopyExample("01-bewilligung-tettnang.xml");
  const std::string second =
      CopyExample("06-ablehnung-doppelfoerderung-tettnang.xml");
  const std::string other =
      CopyExample("03-ablehnung-mindestbetrag-todtnau.xml");
  auto process = [&](const std::string& path, uint64_t sequence) {
    const std::string bytes = ReadFileOrDie(path);
    return pipeline_->ProcessBytes(Input{path, BaseName(path), sequence}, bytes,
                                   Sha256Hex(bytes), sink_, letters_.get());
  };
  env_.failing = true;
  EXPECT_EQ(process(first, 1).kind, Outcome::Kind::kFailed);
  env_.failing = false;
  EXPECT_EQ(process(second, 2).kind, Outcome::Kind::kDeferred);
  EXPECT_EQ(process(second, 2).kind, Outcome::Kind::kDeferred);  // still
  const Outcome o = process(other, 3);
  EXPECT_EQ(o.kind, Outcome::Kind::kDecided);  // Todtnau is not held
  EXPECT_EQ(o.aktenzeichen, "RPS15-IM-2017-00001");

  // The retry of the first is not held by its own failure.
  const Outcome granted = process(first, 1);
  ASSERT_EQ(granted.kind, Outcome::Kind::kDecided);
  EXPECT_EQ(granted.decision, core::DecisionKind::kBewilligung);
  pipeline_->Release(1);
  pipeline_->Release(2);  // the watcher releases a deferred input's own hold
  const Outcome refused = process(second, 2);
  ASSERT_EQ(refused.kind, Outcome::Kind::kDecided);
  EXPECT_EQ(refused.decision, core::DecisionKind::kAblehnung);
  EXPECT_EQ(refused.aktenzeichen, "RPS15-IM-2017-00003");

  // HoldAll: an earlier input whose municipalities are unknown holds all.
  pipeline_->HoldAll(10);
  EXPECT_EQ(
      process(CopyExample("07-ablehnung-fristende-ludwigsburg.xml"), 11).kind,
      Outcome::Kind::kDeferred);
  pipeline_->Release(10);
  pipeline_->Release(11);
  EXPECT_EQ(
      process(dir_ / "in/07-ablehnung-fristende-ludwigsburg.xml", 11).kind,
      Outcome::Kind::kDecided);
}

// A scanned document in review holds its municipalities like a pending
// grant: a later application for one of them waits, undecided, across a
// restart, until the review is closed; then it is decided, and earlier or
// unrelated applications are not held at all.
TEST_F(PipelineTest, AnOpenReviewDefersLaterApplicationsUntilClosed) {
  auto process = [&](const std::string& name, uint64_t sequence) {
    const std::string path = CopyExample(name);
    const std::string bytes = ReadFileOrDie(path);
    return pipeline_->ProcessBytes(Input{path, BaseName(path), sequence}, bytes,
                                   Sha256Hex(bytes), sink_, letters_.get());
  };
  ASSERT_TRUE(pipeline_
                  ->OpenReview({"abc-1",
                                "2017-09-20_scan.tif",
                                "abc",
                                5,
                                {"08435036", "08435059"}})
                  .ok());
  const Outcome held = process("01-bewilligung-tettnang.xml", 6);
  EXPECT_EQ(held.kind, Outcome::Kind::kDeferred);
  EXPECT_EQ(held.waits_for_review, "2017-09-20_scan.tif");
  EXPECT_EQ(held.aktenzeichen, "");
  // Not held: another municipality, and an application received earlier.
  const Outcome other = process("03-ablehnung-mindestbetrag-todtnau.xml", 7);
  EXPECT_EQ(other.kind, Outcome::Kind::kDecided);
  EXPECT_EQ(other.aktenzeichen, "RPS15-IM-2017-00001");
  const Outcome earlier =
      process("06-ablehnung-doppelfoerderung-tettnang.xml", 4);
  EXPECT_EQ(earlier.kind, Outcome::Kind::kDecided);
  EXPECT_TRUE(core::IsGrant(earlier.decision));
  // A member of a joint application is held as well.
  EXPECT_EQ(process("05-zusammenschluss-bodensee.xml", 8).waits_for_review,
            "2017-09-20_scan.tif");
  // Without a place in the order (`bescheid process`) it is held too.
  EXPECT_EQ(process("01-bewilligung-tettnang.xml", 0).kind,
            Outcome::Kind::kDeferred);

  Rebuild();  // a restart: the hold comes from the journal
  EXPECT_EQ(process("01-bewilligung-tettnang.xml", 6).kind,
            Outcome::Kind::kDeferred);
  EXPECT_EQ(pipeline_->CloseReview("nope").code(), StatusCode::kNotFound);
  ASSERT_TRUE(pipeline_->CloseReview("abc-1").ok());
  pipeline_->Release(6);
  pipeline_->Release(8);
  // Decided now, in its place after the earlier grant for Tettnang.
  const Outcome refused = process("01-bewilligung-tettnang.xml", 6);
  ASSERT_EQ(refused.kind, Outcome::Kind::kDecided);
  EXPECT_EQ(refused.decision, core::DecisionKind::kAblehnung);
  EXPECT_EQ(refused.aktenzeichen, "RPS15-IM-2017-00003");
  EXPECT_TRUE(journal_->OpenReviews()->empty());
}

TEST_F(PipelineTest, MissingFileIsAFailureNotARejection) {
  Outcome o = pipeline_->Process(dir_ / "in/none.xml", sink_);
  EXPECT_EQ(o.kind, Outcome::Kind::kFailed);
  EXPECT_FALSE(fs::exists(Out("rejected")));
}

TEST_F(PipelineTest, ReceiptDateFallsBackToFileDate) {
  std::string doc =
      ReadFileOrDie(SourcePath("examples/01-bewilligung-tettnang.xml"));
  const std::string stamp = "  <Eingangsdatum>2017-08-14</Eingangsdatum>\n";
  doc.erase(doc.find(stamp), stamp.size());
  const std::string in = dir_ / "in/ohne-stempel.xml";
  WriteFileOrDie(in, doc);
  struct utimbuf t {
    1520000000, 1520000000
  };  // 2018-03-02
  ASSERT_EQ(utime(in.c_str(), &t), 0);
  Outcome o = pipeline_->Process(in, sink_);
  ASSERT_EQ(o.kind, Outcome::Kind::kDecided);
  EXPECT_EQ(o.decision, core::DecisionKind::kAblehnung);
  const std::string record =
      ReadFileOrDie(Out(o.aktenzeichen + ".decision.xml"));
  EXPECT_NE(record.find("quelle=\"Dateidatum\">2018-03-0"), std::string::npos)
      << record;
  EXPECT_NE(record.find("AUSSERHALB_ANTRAGSZEITRAUM"), std::string::npos);
}

TEST_F(PipelineTest, InputFilesAreNeverModified) {
  const std::string in = CopyExample("04-nachforderung-wangen.xml");
  const std::string before = ReadFileOrDie(in);
  const auto mtime = fs::last_write_time(in);
  ASSERT_EQ(pipeline_->Process(in, sink_).kind, Outcome::Kind::kDecided);
  EXPECT_EQ(ReadFileOrDie(in), before);
  EXPECT_EQ(fs::last_write_time(in), mtime);
}

TEST_F(PipelineTest, ConcurrentApplicationsForOneMunicipalityGetOneGrant) {
  // Two different files for Tettnang processed at the same time: the
  // decision step is serialised, so exactly one is granted.
  const std::string a = CopyExample("01-bewilligung-tettnang.xml");
  std::string doc = ReadFileOrDie(a);
  doc.replace(doc.find("Jana Müller"), 11, "Jan Müller");
  const std::string b = dir_ / "in/tettnang-2.xml";
  WriteFileOrDie(b, doc);
  Outcome oa, ob;
  std::thread ta([&] { oa = pipeline_->Process(a, sink_); });
  std::thread tb([&] { ob = pipeline_->Process(b, sink_); });
  ta.join();
  tb.join();
  ASSERT_EQ(oa.kind, Outcome::Kind::kDecided);
  ASSERT_EQ(ob.kind, Outcome::Kind::kDecided);
  EXPECT_EQ(core::IsGrant(oa.decision) + core::IsGrant(ob.decision), 1);
  EXPECT_NE(oa.aktenzeichen, ob.aktenzeichen);
}

TEST_F(PipelineTest, SameBytesAtTheSameTimeGiveOneDecisionAndADuplicate) {
  const std::string a = CopyExample("01-bewilligung-tettnang.xml");
  const std::string b = dir_ / "in/kopie.xml";
  fs::copy_file(a, b);
  Outcome oa, ob;
  std::thread ta([&] { oa = pipeline_->Process(a, sink_); });
  std::thread tb([&] { ob = pipeline_->Process(b, sink_); });
  ta.join();
  tb.join();
  std::multiset<Outcome::Kind> kinds{oa.kind, ob.kind};
  EXPECT_EQ(kinds, (std::multiset<Outcome::Kind>{Outcome::Kind::kDecided,
                                                 Outcome::Kind::kDuplicate}));
  EXPECT_EQ(oa.aktenzeichen, ob.aktenzeichen);
  EXPECT_TRUE(fs::exists(Out("RPS15-IM-2017-00001.pdf")));
  EXPECT_FALSE(fs::exists(Out("RPS15-IM-2017-00002.pdf")));
}

TEST_F(PipelineTest, TicketsFixTheDecisionOrder) {
  // The later ticket reaches the decision first, but must wait: the first
  // Tettnang application (ticket 0) is granted, the second one rejected.
  const std::string first = CopyExample("01-bewilligung-tettnang.xml");
  const std::string second =
      CopyExample("06-ablehnung-doppelfoerderung-tettnang.xml");
  auto options = MakeLetterOptions(settings_);
  auto other = letters::LetterRenderer::Create(options);
  ASSERT_TRUE(other.ok());
  Outcome o1, o0;
  std::thread late(
      [&] { o1 = pipeline_->Process(second, sink_, other->get(), 1); });
  std::this_thread::sleep_for(std::chrono::milliseconds(200));
  o0 = pipeline_->Process(first, sink_, letters_.get(), 0);
  late.join();
  EXPECT_EQ(o0.decision, core::DecisionKind::kBewilligung);
  EXPECT_EQ(o0.aktenzeichen, "RPS15-IM-2017-00001");
  EXPECT_EQ(o1.decision, core::DecisionKind::kAblehnung);
  EXPECT_EQ(o1.aktenzeichen, "RPS15-IM-2017-00002");
}

// The refusal of a second application for Tettnang names the earlier
// grant by Aktenzeichen and by the date that decision bears, as recorded.
TEST_F(PipelineTest, RefusalOfASecondApplicationNamesTheEarlierGrantAndDate) {
  const Outcome granted =
      pipeline_->Process(CopyExample("01-bewilligung-tettnang.xml"), sink_);
  ASSERT_EQ(granted.kind, Outcome::Kind::kDecided) << granted.message;
  ASSERT_EQ(granted.decision, core::DecisionKind::kBewilligung);
  ASSERT_EQ(granted.aktenzeichen, "RPS15-IM-2017-00001");
  const std::string first_record =
      ReadFileOrDie(Out("RPS15-IM-2017-00001.decision.xml"));
  const std::smatch date = [&] {
    std::smatch m;
    std::regex_search(
        first_record, m,
        std::regex("<Entscheidungsdatum>(\\d{4})-(\\d{2})-(\\d{2})<"));
    return m;
  }();
  ASSERT_EQ(date.size(), 4u) << first_record;
  const std::string german_date =
      date[3].str() + "." + date[2].str() + "." + date[1].str();

  Rebuild();  // a restart: the date comes from the journal, not memory
  const Outcome refused = pipeline_->Process(
      CopyExample("06-ablehnung-doppelfoerderung-tettnang.xml"), sink_);
  ASSERT_EQ(refused.kind, Outcome::Kind::kDecided) << refused.message;
  ASSERT_EQ(refused.decision, core::DecisionKind::kAblehnung);
  ASSERT_EQ(refused.aktenzeichen, "RPS15-IM-2017-00002");
  auto text = bescheid::testing::RunCommand(
      "pdftotext -enc UTF-8 '" + Out("RPS15-IM-2017-00002.pdf") + "' -");
  ASSERT_EQ(text.exit_code, 0) << text.out;
  const std::string flat =
      std::regex_replace(text.out, std::regex("\\s+"), " ");
  EXPECT_NE(flat.find("Stadt Tettnang (AGS 08435059): Zuwendungsbescheid mit "
                      "dem Aktenzeichen RPS15-IM-2017-00001 vom " +
                      german_date),
            std::string::npos)
      << german_date << "\n"
      << flat;
}

TEST_F(PipelineTest, ATicketIsPassedOnWhenItsInputCannotBeRead) {
  Outcome missing, next;
  std::thread later([&] {
    next = pipeline_->Process(CopyExample("01-bewilligung-tettnang.xml"), sink_,
                              letters_.get(), 1);
  });
  missing =
      pipeline_->Process(dir_ / "in/gibt-es-nicht.xml", sink_, nullptr, 0);
  later.join();
  EXPECT_EQ(missing.kind, Outcome::Kind::kFailed);
  EXPECT_EQ(next.kind, Outcome::Kind::kDecided);
}

// The completed application of an applicant with an open request answers
// it: decided by the same rules, under the request's Aktenzeichen, with
// its own letter beside the request's, and no number used up.
TEST_F(PipelineTest, ResubmissionKeepsTheAktenzeichenOfTheRequest) {
  const Outcome asked =
      pipeline_->Process(CopyExample("04-nachforderung-wangen.xml"), sink_);
  ASSERT_EQ(asked.kind, Outcome::Kind::kDecided) << asked.message;
  ASSERT_EQ(asked.decision, core::DecisionKind::kNachforderung);
  const std::string az = "RPS15-IM-2017-00001";
  ASSERT_EQ(asked.aktenzeichen, az);
  auto request = journal_->OpenRequestFor("08436094");
  ASSERT_TRUE(request.ok() && request->has_value());
  const core::Date letter_date = LocalDate(DocumentTime(&env_));
  EXPECT_EQ((*request)->request_date, letter_date);
  EXPECT_EQ(
      (*request)->deadline,
      letters::RequestDeadline(MakeLetterOptions(settings_), letter_date));
  EXPECT_EQ((*request)->applicant_name, "Stadt Wangen im Allgäu");
  const std::string request_letter = ReadFileOrDie(Out(az + ".pdf"));

  const std::string completed = CompletedWangen();
  const Outcome answered = pipeline_->Process(completed, sink_);
  ASSERT_EQ(answered.kind, Outcome::Kind::kDecided) << answered.message;
  // Completed after the application window closed (31.12.2017), but the
  // application came in on 14.08.2017: decided with that date, granted.
  EXPECT_EQ(answered.decision, core::DecisionKind::kBewilligung);
  EXPECT_EQ(answered.aktenzeichen, az);
  // Two letters: the request's untouched, the answer's beside it.
  EXPECT_EQ(ReadFileOrDie(Out(az + ".pdf")), request_letter);
  ASSERT_TRUE(fs::exists(Out(az + "-2.pdf")));
  EXPECT_TRUE(fs::exists(Out(az + ".decision.xml")));
  const std::string record = ReadFileOrDie(Out(az + "-2.decision.xml"));
  EXPECT_NE(record.find("<Aktenzeichen>" + az + "</Aktenzeichen>"),
            std::string::npos);
  EXPECT_NE(record.find("<Nachreichung>\n    <Nachforderung>" +
                        letter_date.ToIso() + "</Nachforderung>"),
            std::string::npos)
      << record;
  EXPECT_NE(record.find("<Fassung>2</Fassung>"), std::string::npos);
  EXPECT_NE(record.find("<Schreiben>" + az + "-2.pdf</Schreiben>"),
            std::string::npos);
  const std::string text = PdfText(az + "-2.pdf");
  EXPECT_NE(text.find("Zuwendungsbescheid"), std::string::npos);
  EXPECT_NE(text.find("Bezug: Unser Schreiben vom " +
                      core::FormatGerman(letter_date)),
            std::string::npos)
      << text;
  EXPECT_NE(text.find("vervollständigt eingegangen am 05.02.2018"),
            std::string::npos);
  // Linked in the journal: the request is answered by the completed input.
  EXPECT_FALSE(journal_->OpenRequestFor("08436094")->has_value());
  EXPECT_EQ(
      (*journal_->FindInput(Sha256Hex(ReadFileOrDie(completed))))->aktenzeichen,
      az);
  EXPECT_TRUE(*journal_->HasOutputs(az + "-2"));
  // No number was used up: the next application gets 00002.
  EXPECT_EQ(*journal_->LastSequence(), 1);
  const Outcome next =
      pipeline_->Process(CopyExample("01-bewilligung-tettnang.xml"), sink_);
  EXPECT_EQ(next.aktenzeichen, "RPS15-IM-2017-00002");
  // A further application of Wangen answers nothing: it is new.
  const Outcome later = pipeline_->Process(
      CompletedWangen("noch-einmal.xml", "2017-09-05"), sink_);
  EXPECT_EQ(later.aktenzeichen, "RPS15-IM-2017-00003");
  EXPECT_EQ(later.decision, core::DecisionKind::kAblehnung);  // already funded
}

// Two inputs of one applicant decided at once: the order of receipt
// decides. The completed one (ticket 1) reaches the decision first but
// waits for the request (ticket 0) and for its commit, then answers it.
TEST_F(PipelineTest, RequestAndItsAnswerInOneBatchFollowTheOrderOfReceipt) {
  const std::string request = CopyExample("04-nachforderung-wangen.xml");
  const std::string completed = CompletedWangen();
  auto other = letters::LetterRenderer::Create(MakeLetterOptions(settings_));
  ASSERT_TRUE(other.ok());
  Outcome o0, o1;
  std::thread late(
      [&] { o1 = pipeline_->Process(completed, sink_, other->get(), 1); });
  std::this_thread::sleep_for(std::chrono::milliseconds(200));
  o0 = pipeline_->Process(request, sink_, letters_.get(), 0);
  late.join();
  EXPECT_EQ(o0.decision, core::DecisionKind::kNachforderung);
  EXPECT_EQ(o0.aktenzeichen, "RPS15-IM-2017-00001");
  EXPECT_EQ(o1.decision, core::DecisionKind::kBewilligung);
  EXPECT_EQ(o1.aktenzeichen, "RPS15-IM-2017-00001");
  EXPECT_TRUE(fs::exists(Out("RPS15-IM-2017-00001-2.pdf")));
  EXPECT_TRUE(journal_->OpenRequests()->empty());
}

// Example 05: a copy of the letter for each member, addressed to it, with
// the same Aktenzeichen and content; the record names the copies.
TEST_F(PipelineTest, JointApplicationWritesACopyForEachMember) {
  const Outcome o =
      pipeline_->Process(CopyExample("05-zusammenschluss-bodensee.xml"), sink_);
  ASSERT_EQ(o.kind, Outcome::Kind::kDecided) << o.message;
  EXPECT_EQ(o.warning, "");
  const std::string az = o.aktenzeichen;
  const std::string letter = PdfText(az + ".pdf");
  for (const auto& [ags, address] :
       {std::pair<std::string, std::string>{
            "08435016", "Gemeinde Eriskirch Schulstraße 18 88097 Eriskirch"},
        {"08435040", "Gemeinde Langenargen Marktplatz 24 88085 Langenargen"}}) {
    const std::string copy = az + "_nachrichtlich_" + ags + ".pdf";
    ASSERT_TRUE(fs::exists(Out(copy))) << copy;
    const std::string text = PdfText(copy);
    EXPECT_NE(text.find(address), std::string::npos) << text;
    EXPECT_NE(text.find("Abschrift – nachrichtlich an die " +
                        address.substr(0, address.find(' ', 9))),
              std::string::npos)
        << text;
    EXPECT_NE(text.find("Aktenzeichen " + az), std::string::npos);
    // The same letter otherwise: its body from the subject on.
    EXPECT_EQ(text.substr(text.find("Zuwendungsbescheid –")),
              letter.substr(letter.find("Zuwendungsbescheid –")));
    EXPECT_NE(
        ReadFileOrDie(Out(az + ".decision.xml"))
            .find("<Abschrift ags=\"" + ags + "\">" + copy + "</Abschrift>"),
        std::string::npos);
  }
  EXPECT_EQ(letter.find("Abschrift –"), std::string::npos);
  EXPECT_FALSE(fs::exists(Out(az + "_nachrichtlich_08435036.pdf")));
}

TEST_F(PipelineTest, CopyForAMemberWithoutAddressIsMadeAndWarnedAbout) {
  reference_ = *core::ReferenceTable::ParseCsv(
      "AGS;Name;Art;PersonenAU;Strasse;PLZ;Ort\n"
      "08435016;Eriskirch;Gemeinde;22;Schulstraße 18;88097;Eriskirch\n"
      "08435036;Kressbronn am Bodensee;Gemeinde;41;;;\n"
      "08435040;Langenargen;Gemeinde;29\n");
  const Outcome o =
      pipeline_->Process(CopyExample("05-zusammenschluss-bodensee.xml"), sink_);
  ASSERT_EQ(o.kind, Outcome::Kind::kDecided) << o.message;
  EXPECT_EQ(o.warning,
            "Die Abschrift für Gemeinde Langenargen trägt nur den Namen, keine "
            "Anschrift: Die Referenztabelle (reference.gemeinden) enthält "
            "keine Anschrift. Bitte vor dem Versand ergänzen.");
  const std::string text =
      PdfText(o.aktenzeichen + "_nachrichtlich_08435040.pdf");
  EXPECT_NE(text.find("Gemeinde Langenargen"), std::string::npos);
}

TEST(OutputNamesTest, DocumentOfEveryOutput) {
  EXPECT_EQ(DocumentName("RPS15-IM-2017-00004", 1), "RPS15-IM-2017-00004");
  EXPECT_EQ(DocumentName("RPS15-IM-2017-00004", 2), "RPS15-IM-2017-00004-2");
  EXPECT_EQ(CopyFileName("AZ-00005", "08435016"),
            "AZ-00005_nachrichtlich_08435016.pdf");
  EXPECT_EQ(DocumentOfOutput("AZ-00004.pdf"), "AZ-00004");
  EXPECT_EQ(DocumentOfOutput("AZ-00004-2.decision.xml"), "AZ-00004-2");
  EXPECT_EQ(DocumentOfOutput("AZ-00005_nachrichtlich_08435016.pdf"),
            "AZ-00005");
  EXPECT_EQ(DocumentOfOutput("AZ-00004-2_nachrichtlich_08435016.pdf"),
            "AZ-00004-2");
  EXPECT_EQ(DocumentOfOutput("AZ_nachrichtlich_x.pdf"), "AZ_nachrichtlich_x");
  EXPECT_EQ(DocumentOfOutput(".AZ-00004.pdf.tmp"), "");
  EXPECT_EQ(DocumentOfOutput("notiz.txt"), "");
}

TEST(Sha256Test, KnownVector) {
  EXPECT_EQ(Sha256Hex("abc"),
            "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
}

}  // namespace
}  // namespace bescheid::pipeline
