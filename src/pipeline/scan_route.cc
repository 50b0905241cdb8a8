// The scan route of the pipeline: a scanned file is decoded, read document
// by document, and each document either decided along the one way portal
// XML takes (DecideApplication) or sent to a person (review/<id>/).
#include <algorithm>
#include <cstdio>
#include <memory>
#include <set>

#include "core/decision.h"
#include "core/identifiers.h"
#include "core/plausibility.h"
#include "core/receipt.h"
#include "core/text.h"
#include "pipeline/pipeline.h"
#include "scan/crop.h"
#include "scan/image_write.h"
#include "scan/intake.h"
#include "xml/application_writer.h"

namespace bescheid::pipeline {
namespace {

// Pixels around a doubtful field's box in its crop, so that a person sees
// what was written beside and across the box.
constexpr int kCropMargin = 24;

// A document's kept pages (scan::ScannedDocument::kept_pages) for crops,
// one at a time: the page last asked for stays, so crops in page order
// decode a page kept as PNG once.
class PageImages {
 public:
  explicit PageImages(const scan::ScannedDocument& doc) : doc_(doc) {}
  // Page `index` of the document; null when there is no such page or it
  // does not decode (then it has no crops; the page file is there).
  Pix* Get(int index) {
    if (index < 0 || static_cast<size_t>(index) >= doc_.kept_pages.size()) {
      return nullptr;
    }
    if (index != index_) {
      image_.reset();  // before decoding: never two pages at once
      Result<std::shared_ptr<Pix>> image =
          doc_.kept_pages[static_cast<size_t>(index)].Image();
      image_ = image.ok() ? std::move(image).value() : nullptr;
      index_ = index;
    }
    return image_.get();
  }

 private:
  const scan::ScannedDocument& doc_;
  int index_ = -1;
  std::shared_ptr<Pix> image_;
};

std::string JsonBox(const scan::PixelBox& b) {
  return "{\"x\": " + std::to_string(b.x) + ", \"y\": " + std::to_string(b.y) +
         ", \"w\": " + std::to_string(b.w) + ", \"h\": " + std::to_string(b.h) +
         "}";
}

// The doubts and check findings about `field_id`, joined.
std::string ReasonFor(const scan::ScannedDocument& doc,
                      const std::vector<core::Implausibility>& findings,
                      const std::string& field_id) {
  std::string reason;
  for (const scan::Doubt& d : doc.doubts) {
    if (d.field_id != field_id) continue;
    reason += (reason.empty() ? "" : "; ") + d.reason;
  }
  for (const core::Implausibility& f : findings) {
    if (std::find(f.fields.begin(), f.fields.end(), field_id) ==
        f.fields.end()) {
      continue;
    }
    reason += (reason.empty() ? "" : "; ") + f.text;
  }
  return reason;
}

// felder.json: every field read, with its confidence, place and the reason
// it is in doubt ("" when it is not), and every finding of the checks.
std::string FieldsJson(const Input& input, size_t index,
                       const scan::ScannedDocument& doc,
                       const std::vector<core::Implausibility>& findings) {
  std::string j = "{\n  \"format\": \"bescheid-felder-1\",\n";
  j += "  \"datei\": " + core::JsonQuoted(input.name) + ",\n";
  j += "  \"dokument\": " + std::to_string(index + 1) + ",\n";
  j += "  \"seriennummer\": " + std::to_string(doc.serial) + ",\n";
  j += "  \"aus_barcode\": " + std::string(doc.from_barcode ? "true" : "false");
  j += ",\n  \"unterschrift\": " +
       std::string(doc.signature_present ? "true" : "false") + ",\n";
  j += "  \"seiten_in_datei\": [";
  for (size_t i = 0; i < doc.file_pages.size(); ++i) {
    j += (i ? ", " : "") + std::to_string(doc.file_pages[i] + 1);
  }
  j += "],\n  \"felder\": [";
  for (size_t i = 0; i < doc.fields.size(); ++i) {
    const scan::FieldReading& f = doc.fields[i];
    char confidence[16];
    std::snprintf(confidence, sizeof confidence, "%.3f", f.confidence);
    j += std::string(i ? "," : "") +
         "\n    {\"id\": " + core::JsonQuoted(f.id) +
         (f.option.empty() ? ""
                           : ", \"option\": " + core::JsonQuoted(f.option)) +
         ", \"wert\": " + core::JsonQuoted(f.value) +
         ", \"konfidenz\": " + confidence +
         ", \"seite\": " + std::to_string(f.page + 1) +
         ", \"box\": " + JsonBox(f.box) +
         ", \"grund\": " + core::JsonQuoted(ReasonFor(doc, findings, f.id)) +
         "}";
  }
  j += "\n  ],\n  \"gruende\": [";
  for (size_t i = 0; i < findings.size(); ++i) {
    j += std::string(i ? "," : "") + "\n    " +
         core::JsonQuoted(findings[i].text);
  }
  return j + "\n  ]\n}\n";
}

std::string OriginalName(std::string_view bytes) {
  switch (scan::SniffFileKind(bytes.substr(0, 1024))) {
    case scan::FileKind::kTiff:
      return "original.tif";
    case scan::FileKind::kPng:
      return "original.png";
    case scan::FileKind::kJpeg:
      return "original.jpg";
    case scan::FileKind::kPnm:
      return "original.pnm";
    case scan::FileKind::kPdf:
      return "original.pdf";
    default:
      return "original.bin";
  }
}

// The municipalities a document in review holds: those it names that look
// like an AGS (as read; nothing when the applicant's could not be read).
std::vector<std::string> HeldAgs(const scan::ScannedDocument& doc) {
  std::vector<std::string> out;
  if (doc.application) {
    for (const std::string& ags : core::CoveredAgs(*doc.application)) {
      if (core::IsValidAgs(ags)) out.push_back(ags);
    }
  }
  for (const scan::FieldReading& f : doc.fields) {
    if (f.id.find("ags") != std::string::npos && core::IsValidAgs(f.value) &&
        std::find(out.begin(), out.end(), f.value) == out.end()) {
      out.push_back(f.value);
    }
  }
  return out;
}

// The journal key of the document `index` of a scanned file: the file's
// own hash for the last document, so that the file counts as decided
// (recovery, duplicates) only when all of it is; a derived hash before.
std::string DocumentKey(const std::string& sha256, size_t index, size_t count) {
  if (index + 1 == count) return sha256;
  return Sha256Hex(sha256 + "/" + std::to_string(index + 1));
}

Outcome FailedOutcome(const Status& status) {
  Outcome o;
  o.kind = Outcome::Kind::kFailed;
  o.message = status.message();
  o.failure = status.code();
  return o;
}

// The outputs of one document of a scanned file: decisions and review
// folders go to the file's sink; what would move the file itself (a
// rejection, a letter that cannot be set, a duplicate found in the
// decision section) is only noted, since the file is placed once, after
// its last document (ProcessScan).
class DocumentSink final : public OutputSink {
 public:
  explicit DocumentSink(OutputSink& file_sink) : sink_(file_sink) {}
  Status WriteDecision(const DecisionOutput& out,
                       std::vector<std::string>* unsynced) override {
    return sink_.WriteDecision(out, unsynced);
  }
  void DiscardDecision(const DecisionOutput& out) override {
    sink_.DiscardDecision(out);
  }
  Status WriteScanReview(const Input& input,
                         const ScanReview& review) override {
    return sink_.WriteScanReview(input, review);
  }
  Status WriteRejection(const Input& /*input*/,
                        const std::string& /*report*/) override {
    return Status::Ok();
  }
  Status WriteDuplicate(const Input& /*input*/,
                        const EarlierOutcome& /*earlier*/) override {
    return Status::Ok();
  }
  Status SendToReview(const Input& /*input*/,
                      const std::string& /*note*/) override {
    return Status::Ok();
  }

 private:
  OutputSink& sink_;
};

// The reason in a German note "<what happened to the file>\n  <reason>\n":
// what a document's review gives as its reason.
std::string DetailOf(const std::string& note) {
  const size_t at = note.find("\n  ");
  std::string detail = at == std::string::npos ? note : note.substr(at + 3);
  while (!detail.empty() && detail.back() == '\n') detail.pop_back();
  return detail;
}

// The file's outcome from its documents' (see Outcome::documents).
Outcome SumUp(Outcome o) {
  using Kind = Outcome::Kind;
  auto first = [&](Kind k) -> const Outcome::Document* {
    for (const Outcome::Document& d : o.documents) {
      if (d.kind == k) return &d;
    }
    return nullptr;
  };
  const Outcome::Document* last_decided = nullptr;
  bool all_done_before = true;
  for (const Outcome::Document& d : o.documents) {
    if (!d.aktenzeichen.empty()) last_decided = &d;
    if (d.kind != Kind::kDuplicate) all_done_before = false;
  }
  if (const Outcome::Document* f = first(Kind::kFailed)) {
    o.kind = Kind::kFailed;
    o.message = f->message;
    o.failure = f->failure;
  } else if (const Outcome::Document* w = first(Kind::kDeferred)) {
    o.kind = Kind::kDeferred;
    o.message = w->message;
    o.waits_for_review = w->waits_for_review;
  } else if (all_done_before) {
    o.kind = Kind::kDuplicate;
    if (last_decided != nullptr) o.aktenzeichen = last_decided->aktenzeichen;
  } else if (last_decided != nullptr) {
    o.kind = Kind::kDecided;
    o.aktenzeichen = last_decided->aktenzeichen;
    o.decision = last_decided->decision;
  } else {
    o.kind = Kind::kReview;
  }
  for (size_t i = 0; i < o.documents.size(); ++i) {
    const Outcome::Document& d = o.documents[i];
    if (d.kind != Kind::kReview) continue;
    o.message += "Dokument " + std::to_string(i + 1) +
                 ": zur Prüfung in review/" + d.review_id + "/ (" + d.message +
                 ")\n";
  }
  return o;
}

// What an identical file's documents were done as, for its duplicate note.
EarlierOutcome EarlierOf(const Outcome& o) {
  EarlierOutcome e;
  for (const Outcome::Document& d : o.documents) {
    if (!d.aktenzeichen.empty()) e.aktenzeichen.push_back(d.aktenzeichen);
    if (!d.review_id.empty()) e.reviews.push_back(d.review_id);
  }
  return e;
}

// Every page of `source` decoded once and dropped: the first error.
Status DecodeEveryPage(scan::PageSource& source) {
  for (int i = 0; i < source.page_count(); ++i) {
    Result<scan::PixPtr> page = source.Page(i);
    if (!page.ok()) return page.status();
  }
  return Status::Ok();
}

// The form field that holds `ags` in `app`: the applicant's or a member's.
std::string AgsField(const core::Application& app, const std::string& ags) {
  if (ags == app.ags) return "applicant.ags";
  for (size_t i = 0; i < app.members.size(); ++i) {
    if (app.members[i].ags == ags) {
      return "member[" + std::to_string(i) + "].ags";
    }
  }
  return "";
}

// The crops of the fields the checks name (each field once, and none that
// a doubt of the reader has cropped already).
void AddFindingCrops(const scan::ScannedDocument& doc,
                     const std::vector<core::Implausibility>& findings,
                     int margin, PageImages& images, ScanReview* review) {
  std::set<std::string> names;
  for (const auto& [name, bytes] : review->files) names.insert(name);
  for (const core::Implausibility& f : findings) {
    for (const std::string& id : f.fields) {
      auto read =
          std::find_if(doc.fields.begin(), doc.fields.end(),
                       [&](const scan::FieldReading& r) { return r.id == id; });
      if (read == doc.fields.end() || read->page < 0 ||
          static_cast<size_t>(read->page) >= doc.kept_pages.size()) {
        continue;  // from the barcode alone, or not on a page read
      }
      const std::string name = ReviewCropName(id, read->page);
      if (!names.insert(name).second) continue;
      Pix* page = images.Get(read->page);
      if (page == nullptr) continue;
      Result<std::string> crop = scan::CropPng(page, read->box, margin);
      if (crop.ok()) review->files.push_back({name, std::move(crop).value()});
    }
  }
}

}  // namespace

std::vector<core::Implausibility> Pipeline::CheckScanned(
    const core::Application& app, const std::string& name,
    const core::Date& receipt) const {
  std::vector<core::Implausibility> findings;
  Result<core::Application> reread =
      reader_->Read(xml::WriteApplicationXml(app), name);
  if (!reread.ok()) findings.push_back({{}, reread.status().message()});
  // On paper the programme is a field like any other: one that is not
  // ours is more likely misread than sent to the wrong authority.
  if (app.programme != settings_.rules.code) {
    findings.push_back(
        {{"programme"},
         "Förderprogramm: gelesen '" + app.programme +
             "'; hier wird nur das Programm '" + settings_.rules.code +
             "' bearbeitet. Ist es ein Antrag eines anderen Programms, leiten "
             "Sie ihn bitte weiter."});
  }
  if (!core::IsValidIban(app.bank.iban)) {
    findings.push_back({{"bank.iban"},
                        "Die gelesene IBAN '" + app.bank.iban +
                            "' hat keine gültige Prüfziffer (vermutlich falsch "
                            "gelesen)."});
  }
  for (const std::string& ags : core::CoveredAgs(app)) {
    const core::Municipality* m = reference_->Find(ags);
    if (m == nullptr) {
      findings.push_back({{AgsField(app, ags)},
                          "Der gelesene Gemeindeschlüssel " + ags +
                              " steht nicht in der Referenztabelle "
                              "(vermutlich falsch gelesen)."});
    } else if (ags == app.ags && m->kind != core::ToString(app.kind)) {
      findings.push_back({{"applicant.kind", "applicant.ags"},
                          "Die Art des Antragstellers ('" +
                              std::string(core::ToString(app.kind)) +
                              "') passt nicht zur Referenztabelle ('" +
                              m->kind + "') für " + ags + "."});
    }
  }
  // The programme's sums and plausibility (core/plausibility.h).
  for (core::Implausibility& f :
       core::CheckPlausibility(app, settings_.rules, receipt)) {
    findings.push_back(std::move(f));
  }
  return findings;
}

Status Pipeline::SendDocumentToReview(
    const Input& input, std::string_view bytes, const std::string& sha256,
    size_t index, const scan::ScannedDocument& doc,
    const std::vector<core::Implausibility>& findings, OutputSink& sink,
    Turn& turn, Outcome::Document* d) {
  ScanReview review;
  review.id = sha256.substr(0, 12) + "-" + std::to_string(index + 1);
  // The pages as the reader kept them, as PNG (encoded now if the reader
  // kept them decoded; fails only out of memory).
  for (size_t p = 0; p < doc.kept_pages.size(); ++p) {
    Result<std::string> png = doc.kept_pages[p].Png();
    if (!png.ok()) return png.status();
    review.files.push_back(
        {"seite-" + std::to_string(p + 1) + ".png", std::move(png).value()});
  }
  PageImages images(doc);
  std::string grund = "Der gescannte Antrag in '" + input.name +
                      "' (Dokument " + std::to_string(index + 1) +
                      ") braucht eine Prüfung von Hand; es wurde kein "
                      "Bescheid erstellt.\n";
  for (const scan::Doubt& doubt : doc.doubts) {
    grund += "- " + doubt.reason + "\n";
    Pix* page = images.Get(doubt.page);
    if (page == nullptr) continue;
    // A box the reader could not place has no crop; the page is there.
    Result<std::string> crop = scan::CropPng(page, doubt.box, kCropMargin);
    if (crop.ok()) {
      review.files.push_back({ReviewCropName(doubt.field_id, doubt.page),
                              std::move(crop).value()});
    }
  }
  AddFindingCrops(doc, findings, kCropMargin, images, &review);
  for (const core::Implausibility& f : findings) grund += "- " + f.text + "\n";
  review.files.push_back(
      {"felder.json", FieldsJson(input, index, doc, findings)});
  review.files.push_back({"grund.txt", grund});
  review.files.push_back({OriginalName(bytes), std::string(bytes)});
  // In the file's turn: an earlier input is never held by this review, and
  // an identical file before this one has opened its reviews by now.
  AwaitTurn(turn);
  Result<std::optional<store::ReviewRecord>> open = FindOpenReview(review.id);
  if (!open.ok()) return open.status();
  d->review_id = review.id;
  // Open for another input with these bytes (another claim, or a run of
  // `process`): this file repeats it. Open for this very claim: an earlier
  // attempt ended before the file's outcome; the folder is written again.
  if (*open && ((*open)->sequence != input.sequence || input.sequence == 0)) {
    d->kind = Outcome::Kind::kDuplicate;
    return Status::Ok();
  }
  Status s = sink.WriteScanReview(input, review);
  if (!s.ok()) return s;
  s = OpenReview(store::ReviewRecord{review.id, input.name, sha256,
                                     input.sequence, HeldAgs(doc)});
  if (!s.ok()) return s;
  d->kind = Outcome::Kind::kReview;
  return Status::Ok();
}

Outcome::Document Pipeline::ProcessScannedDocument(
    const Input& input, std::string_view bytes, const std::string& sha256,
    size_t index, const scan::ScannedDocument& doc, const Arrival& arrival,
    OutputSink& sink, letters::LetterRenderer* renderer, Turn& turn,
    std::vector<std::string>* covered) {
  Outcome::Document d;
  auto fail = [&d](const Status& s) {
    d.kind = Outcome::Kind::kFailed;
    d.message = s.message();
    d.failure = s.code();
    return d;
  };
  // Decided before (the file is processed again after a crash, a deferral
  // or a failure of a later document, or the same bytes came again): done.
  Result<std::optional<store::InputRecord>> earlier =
      journal_->FindInput(sha256);
  if (!earlier.ok()) return fail(earlier.status());
  if (*earlier && (*earlier)->state == store::InputState::kDecided) {
    d.kind = Outcome::Kind::kDuplicate;
    d.aktenzeichen = (*earlier)->aktenzeichen;
    return d;
  }
  std::vector<core::Implausibility> reasons;
  if (!doc.application && doc.doubts.empty()) {
    reasons.push_back({{}, "Der Antrag konnte nicht zusammengesetzt werden."});
  }
  if (doc.application && doc.doubts.empty()) {
    reasons = CheckScanned(*doc.application, input.name, arrival.receipt->date);
  }
  if (doc.application && doc.doubts.empty() && reasons.empty()) {
    core::Application app = *doc.application;
    app.signed_by = doc.signature_present ? core::SignatureKind::kHandwritten
                                          : core::SignatureKind::kMissing;
    std::vector<std::string> doc_covered;
    DocumentSink doc_sink(sink);
    const Outcome o = DecideApplication(input, sha256, app, arrival, doc_sink,
                                        renderer, turn, &doc_covered);
    covered->insert(covered->end(), doc_covered.begin(), doc_covered.end());
    if (o.kind != Outcome::Kind::kReview &&
        o.kind != Outcome::Kind::kRejected) {
      d.kind = o.kind;
      d.aktenzeichen = o.aktenzeichen;
      d.decision = o.decision;
      d.message = o.message;
      d.failure = o.failure;
      d.waits_for_review = o.waits_for_review;
      return d;
    }
    // No letter (one the letter cannot set exactly): a person writes it,
    // from review/<id>/ like every other document in doubt.
    reasons.push_back({{}, DetailOf(o.message)});
  }
  Status s = SendDocumentToReview(input, bytes, sha256, index, doc, reasons,
                                  sink, turn, &d);
  if (!s.ok()) return fail(s);
  if (d.kind == Outcome::Kind::kReview) {
    d.message = !reasons.empty()      ? reasons[0].text
                : !doc.doubts.empty() ? doc.doubts[0].reason
                                      : std::string();
  }
  return d;
}

Outcome Pipeline::ProcessScan(const Input& input, std::string_view bytes,
                              const std::string& sha256, OutputSink& sink,
                              letters::LetterRenderer* renderer, Turn& turn,
                              ScanReader* scans,
                              std::vector<std::string>* covered) {
  // Damaged or over the caps (kInvalidInput, German): refused.
  auto refuse = [&](const Status& s) {
    if (s.code() != StatusCode::kInvalidInput) return FailedOutcome(s);
    return RejectInput(input, sha256,
                       "Die Datei '" + input.name +
                           "' wurde nicht bearbeitet.\n  " + s.message(),
                       sink);
  };
  // Headers checked now; pages are decoded one at a time as they are read.
  Result<std::unique_ptr<scan::ScanSource>> source =
      scan::ScanSource::Open(bytes, settings_.scan.limits);
  if (!source.ok()) return refuse(source.status());
  if (scans == nullptr) {
    // Nobody reads it here: a damaged file is refused all the same.
    if (Status s = DecodeEveryPage(**source); !s.ok()) return refuse(s);
    return SendToReview(input,
                        "Es ist ein gescanntes Formular; die Texterkennung "
                        "ist hier nicht eingerichtet.",
                        sink);
  }
  Result<scan::ScanReading> reading = scans->Read(**source);
  // Read: now the file takes its place in the order (a late ticket).
  ResolveTurn(turn);
  // A page whose data is damaged is found while reading (every page is
  // decoded before any is recognised): refused.
  if (!reading.ok()) return refuse(reading.status());
  if (reading->documents.empty()) {
    return SendToReview(input, "Im Scan wurde kein Antragsformular erkannt.",
                        sink);
  }
  Arrival arrival{xml::Channel::kScan, std::nullopt};
  int64_t mtime = input.mtime_unix;
  if (mtime == 0) {
    Result<FileInfo> info = env_->Stat(input.path);
    if (!info.ok()) return FailedOutcome(info.status());
    mtime = info->mtime_unix;
  }
  arrival.receipt = core::ScanReceiptDate(input.name, LocalDate(mtime));

  Outcome o;
  o.scanned = true;
  const size_t n = reading->documents.size();
  for (size_t i = 0; i < n; ++i) {
    KeepTurn(turn, i + 1 < n);
    o.documents.push_back(ProcessScannedDocument(
        input, bytes, DocumentKey(sha256, i, n), i, reading->documents[i],
        arrival, sink, renderer, turn, covered));
  }
  KeepTurn(turn, false);
  o = SumUp(std::move(o));
  // The file's one move that the pipeline makes; the caller archives a
  // decided file and drops one whose documents are all in review.
  if (o.kind == Outcome::Kind::kDuplicate) {
    Status s = sink.WriteDuplicate(input, EarlierOf(o));
    if (!s.ok()) return FailedOutcome(s);
  }
  return o;
}

}  // namespace bescheid::pipeline
