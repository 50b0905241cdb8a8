#include "daemon/station_backend.h"

#include <Poco/Exception.h>
#include <Poco/JSON/Array.h>
#include <Poco/JSON/Object.h>
#include <Poco/JSON/ParseHandler.h>
#include <Poco/JSON/Parser.h>
#include <Poco/JSON/Stringifier.h>
#include <unistd.h>

#include <algorithm>
#include <set>
#include <sstream>

#include "core/decision.h"
#include "core/receipt.h"
#include "core/text.h"
#include "daemon/release.h"
#include "forms/assemble.h"

namespace bescheid::daemon {
namespace {

constexpr uint64_t kMaxFieldsJson = 4u << 20;    // felder.json
constexpr uint64_t kMaxImageBytes = 64u << 20;   // a page image or crop
constexpr uint64_t kMaxLetterBytes = 64u << 20;  // a letter
constexpr uint64_t kMaxNoteBytes = 64u << 10;    // a rejection's reason
constexpr size_t kMaxValueBytes = 500;           // one corrected value
constexpr size_t kMaxListed = 1000;              // cases, problems
constexpr size_t kMaxSearchHits = 200;
constexpr int kOverviewDays = 14;

// Review ids as the scan route makes them: 12 hex digits, '-', a number.
bool IsReviewId(const std::string& id) {
  if (id.size() < 14 || id.size() > 20 || id[12] != '-') return false;
  for (size_t i = 0; i < id.size(); ++i) {
    const char c = id[i];
    const bool ok = i < 12 ? ((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))
                           : (i == 12 || (c >= '0' && c <= '9'));
    if (!ok) return false;
  }
  return true;
}

// The station's key of a field: its placed id, for a checkbox with its
// option ("applicant.kind:Gemeinde"), so that every box has its own key.
std::string FieldKey(const std::string& id, const std::string& option) {
  return option.empty() ? id : id + ":" + option;
}

// Users in DecisionSummary::corrected_by (one per line).
std::vector<std::string> Users(const std::string& joined) {
  std::vector<std::string> out;
  std::istringstream lines(joined);
  for (std::string u; std::getline(lines, u);) {
    if (!u.empty()) out.push_back(u);
  }
  return out;
}

std::string Joined(const std::vector<std::string>& users,
                   const std::string& separator) {
  std::string out;
  for (const std::string& u : users) out += (out.empty() ? "" : separator) + u;
  return out;
}

std::string LocalTime(int64_t unix_seconds) {
  const time_t t = static_cast<time_t>(unix_seconds);
  struct tm tm {};
  localtime_r(&t, &tm);
  char buf[32];
  std::strftime(buf, sizeof buf, "%Y-%m-%d %H:%M:%S", &tm);
  return buf;
}

// German refusal of a value no form field can hold.
Status CheckValue(const std::string& key, const std::string& value) {
  if (value.size() > kMaxValueBytes) {
    return InvalidInput("Der Wert für '" + key + "' ist zu lang (höchstens " +
                        std::to_string(kMaxValueBytes) + " Zeichen).");
  }
  for (unsigned char c : value) {
    if (c < 0x20 || c == 0x7f) {
      return InvalidInput("Der Wert für '" + key +
                          "' enthält Steuerzeichen; bitte nur Text eingeben.");
    }
  }
  return Status::Ok();
}

}  // namespace

// One field of felder.json.
struct FieldEntry {
  std::string id, option, value, reason;
  double confidence = 0;
  int page = 0;
  review::Box box;
};

// A review case as read from review/<id>/: felder.json (kept as parsed, so
// that a correction rewrites it with nothing else changed) and its files.
struct StationBackend::CaseData {
  Poco::JSON::Object::Ptr json;
  std::string file;
  bool signature_present = false;
  std::vector<FieldEntry> fields;
  std::vector<std::string> reasons;
  std::set<std::string> files;  // names in review/<id>/
};

struct StationBackend::ProblemFile {
  review::Problem problem;
  std::string dir;   // rejected/ or duplicates/
  std::string name;  // as listed there
  std::string note;  // the reason file's name
};

namespace {

Result<std::vector<FieldEntry>> ParseFields(const Poco::JSON::Array::Ptr& a) {
  std::vector<FieldEntry> out;
  if (a.isNull()) return out;
  for (size_t i = 0; i < a->size(); ++i) {
    Poco::JSON::Object::Ptr f = a->getObject(static_cast<unsigned>(i));
    if (f.isNull()) return InternalError("felder.json: a field is no object");
    FieldEntry e;
    e.id = f->optValue<std::string>("id", "");
    e.option = f->optValue<std::string>("option", "");
    e.value = f->optValue<std::string>("wert", "");
    e.reason = f->optValue<std::string>("grund", "");
    e.confidence = f->optValue<double>("konfidenz", 0);
    e.page = f->optValue<int>("seite", 0);
    if (Poco::JSON::Object::Ptr b = f->getObject("box"); !b.isNull()) {
      e.box = {b->optValue<int>("x", 0), b->optValue<int>("y", 0),
               b->optValue<int>("w", 0), b->optValue<int>("h", 0)};
    }
    out.push_back(std::move(e));
  }
  return out;
}

Result<Poco::JSON::Object::Ptr> ParseJson(const std::string& text) {
  try {
    Poco::JSON::ParseHandler::Ptr handler(new Poco::JSON::ParseHandler(true));
    Poco::JSON::Parser parser(handler);
    Poco::Dynamic::Var v = parser.parse(text);
    Poco::JSON::Object::Ptr o = v.extract<Poco::JSON::Object::Ptr>();
    if (o.isNull() ||
        o->optValue<std::string>("format", "") != "bescheid-felder-1") {
      return InternalError("felder.json: not format bescheid-felder-1");
    }
    return o;
  } catch (const Poco::Exception& e) {
    return InternalError("felder.json: " + e.displayText());
  } catch (const std::exception& e) {
    return InternalError(std::string("felder.json: ") + e.what());
  }
}

}  // namespace

StationBackend::StationBackend(const config::Settings& settings,
                               pipeline::Pipeline* pipeline, Watcher* watcher,
                               store::Journal* journal, Env* env,
                               const forms::FormLayout* layout)
    : settings_(settings),
      pipeline_(pipeline),
      watcher_(watcher),
      journal_(journal),
      env_(env),
      layout_(layout),
      folders_(settings.watch.root) {}

Watcher::OutcomeObserver StationBackend::Observer() {
  return [this](const std::string& outcome, double seconds) {
    metrics_.FileDone(outcome, seconds, LocalDate(env_->NowUnix()));
  };
}

Watcher::ScanReaderFactory StationBackend::MeteredReaders(
    Watcher::ScanReaderFactory inner) {
  return [this, inner]() -> Result<std::unique_ptr<pipeline::ScanReader>> {
    Result<std::unique_ptr<pipeline::ScanReader>> r = inner();
    if (!r.ok()) return r.status();
    return MeteredScanReader(std::move(r).value(), &metrics_);
  };
}

Status StationBackend::ArchiveOriginal(const store::ReviewInfo& info,
                                       const std::string& aktenzeichen) {
  const std::string& name = info.review.file_name;
  if (env_->Stat(JoinPath(JoinPath(folders_.archive, aktenzeichen), name))
          .ok()) {
    return Status::Ok();  // an earlier save archived it
  }
  const std::string dir = CaseDir(info.review.id);
  Result<std::vector<std::string>> names = env_->ListDir(dir);
  if (!names.ok()) return names.status();
  for (const std::string& n : *names) {
    if (n.rfind("original.", 0) != 0) continue;
    Result<std::string> bytes =
        env_->ReadFile(JoinPath(dir, n), settings_.MaxInputBytes());
    if (!bytes.ok()) return bytes.status();
    return watcher_->sink().ArchiveCopy(name, *bytes, aktenzeichen);
  }
  return IoError("im Prüffall " + info.review.id +
                 " fehlt die Datei original.*");
}

std::string StationBackend::CaseDir(const std::string& id) const {
  return JoinPath(folders_.review, id);
}

Result<store::ReviewInfo> StationBackend::FindReview(const std::string& id) {
  const Status not_found(
      StatusCode::kNotFound,
      "Den Prüffall '" + core::SafeFileName(id, 40) + "' gibt es nicht.");
  if (!IsReviewId(id)) return not_found;
  Result<std::vector<store::ReviewInfo>> all = journal_->Reviews();
  if (!all.ok()) return all.status();
  for (const store::ReviewInfo& r : *all) {
    if (r.review.id == id) return r;
  }
  return not_found;
}

Result<StationBackend::CaseData> StationBackend::LoadCase(
    const store::ReviewInfo& info) {
  const std::string dir = CaseDir(info.review.id);
  Result<std::string> text =
      env_->ReadFile(JoinPath(dir, "felder.json"), kMaxFieldsJson);
  if (!text.ok()) {
    return Status(StatusCode::kNotFound,
                  "Zum Prüffall " + info.review.id +
                      " fehlen die gelesenen Felder (review/" + info.review.id +
                      "/felder.json).");
  }
  Result<Poco::JSON::Object::Ptr> json = ParseJson(*text);
  if (!json.ok()) return json.status();
  CaseData c;
  c.json = *json;
  try {
    c.file = c.json->optValue<std::string>("datei", info.review.file_name);
    c.signature_present = c.json->optValue<bool>("unterschrift", false);
    Result<std::vector<FieldEntry>> fields =
        ParseFields(c.json->getArray("felder"));
    if (!fields.ok()) return fields.status();
    c.fields = std::move(fields).value();
    if (Poco::JSON::Array::Ptr r = c.json->getArray("gruende"); !r.isNull()) {
      for (size_t i = 0; i < r->size(); ++i) {
        c.reasons.push_back(
            r->getElement<std::string>(static_cast<unsigned>(i)));
      }
    }
  } catch (const Poco::Exception& e) {
    return InternalError("felder.json of " + info.review.id + ": " +
                         e.displayText());
  }
  if (Result<std::vector<std::string>> names = env_->ListDir(dir); names.ok()) {
    c.files.insert(names->begin(), names->end());
  }
  return c;
}

namespace {

// The German label of a placed field id from the layout ("IBAN"; a row's
// field with its row, "VZÄ (Zeile 2)"; a checkbox with its value); the id
// when the layout has no label for it.
std::string LabelOf(const forms::FormLayout* layout, const std::string& id,
                    const std::string& option) {
  const auto [group, row] = forms::RowOfFieldId(id);
  std::string generic = id;
  if (row >= 0) {
    generic = group + "[i]" + id.substr(id.find(']') + 1);
  }
  std::string label;
  for (const forms::PageTemplate& page :
       layout ? layout->pages : std::vector<forms::PageTemplate>{}) {
    for (const forms::Field& f : page.fields) {
      if (f.id == generic && !f.label.empty()) label = f.label;
    }
    for (const forms::Group& g : page.groups) {
      for (const forms::Field& f : g.fields) {
        if (f.id == generic && !f.label.empty()) label = f.label;
      }
    }
    if (!label.empty()) break;
  }
  if (label.empty()) label = id;
  if (row >= 0) label += " (Zeile " + std::to_string(row + 1) + ")";
  if (!option.empty()) label += ": " + option;
  return label;
}

review::Field ToStationField(const FieldEntry& e, const std::string& label,
                             bool has_crop) {
  review::Field f;
  f.id = FieldKey(e.id, e.option);
  f.label = label;
  f.value = e.value;
  f.confidence = e.confidence;
  f.page = e.page;
  f.box = e.box;
  f.reason = e.reason;
  f.has_crop = has_crop;
  return f;
}

std::string ApplicantOf(const std::vector<FieldEntry>& fields) {
  for (const FieldEntry& f : fields) {
    if (f.id == "applicant.name") return f.value;
  }
  return "";
}

core::Date DayOf(const std::string& local_time, const core::Date& fallback) {
  Result<core::Date> d = core::Date::ParseIso(local_time.substr(0, 10));
  return d.ok() ? *d : fallback;
}

}  // namespace

Result<std::vector<review::CaseSummary>> StationBackend::ListCases() {
  Result<std::vector<store::ReviewInfo>> all = journal_->Reviews();
  if (!all.ok()) return all.status();
  std::vector<review::CaseSummary> open, closed;
  const core::Date today = LocalDate(env_->NowUnix());
  for (auto it = all->rbegin(); it != all->rend(); ++it) {
    const store::ReviewInfo& info = *it;
    review::CaseSummary s;
    s.id = info.review.id;
    s.file = info.review.file_name;
    s.received = core::ScanReceiptDate(info.review.file_name,
                                       DayOf(info.opened_at, today))
                     .date.ToIso();
    s.open = info.review.state == store::ReviewState::kOpen;
    if (Result<CaseData> c = LoadCase(info); c.ok()) {
      s.applicant = ApplicantOf(c->fields);
      for (const FieldEntry& f : c->fields) {
        if (s.first_reason.empty() && !f.reason.empty())
          s.first_reason = f.reason;
      }
      if (s.first_reason.empty() && !c->reasons.empty()) {
        s.first_reason = c->reasons.front();
      }
    }
    (s.open ? open : closed).push_back(std::move(s));
    if (open.size() + closed.size() >= kMaxListed) break;
  }
  // Open cases first, the oldest first (order of receipt); then closed
  // ones, the newest first.
  std::reverse(open.begin(), open.end());
  open.insert(open.end(), closed.begin(), closed.end());
  return open;
}

Result<review::Case> StationBackend::GetCase(const std::string& id) {
  Result<store::ReviewInfo> info = FindReview(id);
  if (!info.ok()) return info.status();
  Result<CaseData> c = LoadCase(*info);
  if (!c.ok()) return c.status();
  review::Case out;
  out.summary.id = id;
  out.summary.file = info->review.file_name;
  out.summary.received =
      core::ScanReceiptDate(info->review.file_name,
                            DayOf(info->opened_at, LocalDate(env_->NowUnix())))
          .date.ToIso();
  out.summary.applicant = ApplicantOf(c->fields);
  out.summary.open = info->review.state == store::ReviewState::kOpen;
  while (c->files.count("seite-" + std::to_string(out.pages + 1) + ".png")) {
    ++out.pages;
  }
  for (const FieldEntry& e : c->fields) {
    const bool crop =
        c->files.count(pipeline::ReviewCropName(e.id, e.page - 1)) > 0;
    out.fields.push_back(
        ToStationField(e, LabelOf(layout_, e.id, e.option), crop));
    if (out.summary.first_reason.empty()) out.summary.first_reason = e.reason;
  }
  out.reasons = c->reasons;
  if (out.summary.first_reason.empty() && !c->reasons.empty()) {
    out.summary.first_reason = c->reasons.front();
  }
  Result<std::vector<review::AuditEntry>> audit = AuditFor(id);
  if (!audit.ok()) return audit.status();
  out.audit = std::move(audit).value();
  for (const review::AuditEntry& a : out.audit) {
    if (a.action == "korrektur") out.corrected_by = a.user;
  }
  return out;
}

Result<review::Blob> StationBackend::GetCaseImage(const std::string& id,
                                                  review::CaseImage kind,
                                                  int index) {
  const Status not_found(StatusCode::kNotFound,
                         "Dieses Bild gibt es zum Prüffall nicht.");
  Result<store::ReviewInfo> info = FindReview(id);
  if (!info.ok()) return info.status();
  Result<CaseData> c = LoadCase(*info);
  if (!c.ok()) return c.status();
  std::string name;
  if (kind == review::CaseImage::kPage) {
    if (index < 1 || index > 1000) return not_found;
    name = "seite-" + std::to_string(index) + ".png";
  } else {
    if (index < 0 || static_cast<size_t>(index) >= c->fields.size()) {
      return not_found;
    }
    const FieldEntry& f = c->fields[static_cast<size_t>(index)];
    name = pipeline::ReviewCropName(f.id, f.page - 1);
  }
  // Only a name this class made, and only if review/<id>/ lists it as a
  // regular file (never a link).
  if (!c->files.count(name)) return not_found;
  const std::string path = JoinPath(CaseDir(id), name);
  Result<FileInfo> st = env_->Stat(path);
  if (!st.ok() || st->type != FileType::kRegular) return not_found;
  Result<std::string> bytes = env_->ReadFile(path, kMaxImageBytes);
  if (!bytes.ok()) return bytes.status();
  return review::Blob{"image/png", std::move(bytes).value()};
}

Result<review::SaveResult> StationBackend::SaveCorrections(
    const std::string& id, const std::map<std::string, std::string>& values,
    const std::string& user) {
  if (user.empty()) return InvalidInput("Ohne Anmeldung keine Korrektur.");
  std::lock_guard<std::mutex> lock(corrections_mu_);
  Result<store::ReviewInfo> info = FindReview(id);
  if (!info.ok()) return info.status();
  if (info->review.state != store::ReviewState::kOpen) {
    return InvalidInput("Der Prüffall " + id +
                        " ist bereits abgeschlossen; er kann nicht mehr "
                        "geändert werden.");
  }
  Result<CaseData> c = LoadCase(*info);
  if (!c.ok()) return c.status();
  // Every key must name a field; nothing is changed otherwise.
  std::vector<store::AuditRecord> changes;
  std::map<size_t, std::string> updates;
  for (const auto& [key, value] : values) {
    if (Status s = CheckValue(key, value); !s.ok()) return s;
    size_t i = 0;
    while (i < c->fields.size() &&
           FieldKey(c->fields[i].id, c->fields[i].option) != key) {
      ++i;
    }
    if (i == c->fields.size()) {
      return InvalidInput("Das Feld '" + core::SafeFileName(key, 60) +
                          "' gibt es in diesem Formular nicht.");
    }
    if (c->fields[i].value == value) continue;
    changes.push_back(
        {"", user, "korrektur", id, key, c->fields[i].value, value});
    updates[i] = value;
  }
  if (!updates.empty()) {
    Poco::JSON::Array::Ptr felder = c->json->getArray("felder");
    for (const auto& [i, value] : updates) {
      Poco::JSON::Object::Ptr f = felder->getObject(static_cast<unsigned>(i));
      f->set("wert", value);
      f->set("korrigiert_von", user);
      c->fields[i].value = value;
    }
    std::ostringstream out;
    Poco::JSON::Stringifier::stringify(c->json, out, 2);
    Status s = env_->WriteFileAtomic(JoinPath(CaseDir(id), "felder.json"),
                                     out.str() + "\n");
    if (!s.ok()) return s;
    s = journal_->AppendAudit(changes);
    if (!s.ok()) return s;
  }
  return Decide(*c, *info, user);
}

Result<review::SaveResult> StationBackend::Decide(const CaseData& c,
                                                  const store::ReviewInfo& info,
                                                  const std::string& user) {
  if (!renderer_) {
    auto made =
        letters::LetterRenderer::Create(pipeline::MakeLetterOptions(settings_));
    if (!made.ok()) return made.status();
    renderer_ = std::move(made).value();
  }
  // Four eyes: everyone who corrected the case, and whoever saved it.
  Result<std::vector<store::AuditRecord>> audit =
      journal_->AuditFor(info.review.id);
  if (!audit.ok()) return audit.status();
  std::vector<std::string> correctors;
  for (const store::AuditRecord& a : *audit) {
    if (a.action == "korrektur") correctors.push_back(a.user);
  }
  correctors.push_back(user);
  std::sort(correctors.begin(), correctors.end());
  correctors.erase(std::unique(correctors.begin(), correctors.end()),
                   correctors.end());
  pipeline::CorrectedCase cc;
  cc.review = info.review;
  for (const FieldEntry& f : c.fields) {
    cc.fields.push_back({f.id, f.option, f.value});
  }
  cc.signature_present = c.signature_present;
  cc.fallback_receipt = DayOf(info.opened_at, LocalDate(env_->NowUnix()));
  cc.corrected_by = Joined(correctors, "\n");
  pipeline::CorrectionResult r = pipeline_->DecideCorrected(
      cc, *layout_, watcher_->sink(), renderer_.get());
  review::SaveResult out;
  out.problems = r.problems;
  if (!out.problems.empty()) return out;
  const pipeline::Outcome& o = r.outcome;
  if (o.kind == pipeline::Outcome::Kind::kFailed) {
    return Status(
        o.failure == StatusCode::kOk ? StatusCode::kInternal : o.failure,
        "Der Antrag konnte gerade nicht entschieden werden (" + o.message +
            "); bitte später erneut speichern.");
  }
  // Decided (or decided before, by an earlier save): the original goes to
  // the archive, the case closes, and what waited for it is processed again.
  if (Status a = ArchiveOriginal(info, o.aktenzeichen); !a.ok()) {
    return IoError("Der Bescheid " + o.aktenzeichen +
                   " ist erstellt, aber die gescannte Datei konnte nicht ins "
                   "Archiv kopiert werden (" +
                   a.message() +
                   "). Bitte speichern Sie den Fall erneut; der Bescheid wird "
                   "dabei nicht noch einmal erstellt.");
  }
  Status closed = watcher_->CloseReview(info.review.id);
  if (!closed.ok()) return closed;
  Status s = journal_->AppendAudit(
      {{"", user, "entschieden", info.review.id, "", "", o.aktenzeichen}});
  if (!s.ok()) return s;
  out.aktenzeichen = o.aktenzeichen;
  Result<std::vector<store::DecisionSummary>> d =
      journal_->DecisionsFor(o.aktenzeichen);
  out.awaiting_release =
      d.ok() && !d->empty() && d->back().release == store::ReleaseState::kDraft;
  return out;
}

Result<review::Blob> StationBackend::GetLetter(
    const std::string& aktenzeichen) {
  Result<std::vector<store::DecisionSummary>> d =
      journal_->DecisionsFor(aktenzeichen);
  if (!d.ok()) return d.status();
  if (d->empty()) {
    return Status(StatusCode::kNotFound,
                  "Zum Aktenzeichen '" + core::SafeFileName(aktenzeichen, 60) +
                      "' gibt es keinen Bescheid.");
  }
  const store::DecisionSummary& last = d->back();
  const std::string dir =
      last.release == store::ReleaseState::kDraft
          ? folders_.drafts
          : folders_.OutboxDay(last.decision_date.value_or(core::Date{}));
  Result<std::string> pdf =
      env_->ReadFile(JoinPath(dir, last.document + ".pdf"), kMaxLetterBytes);
  if (!pdf.ok()) {
    return Status(StatusCode::kNotFound,
                  "Der Bescheid " + last.document +
                      ".pdf liegt nicht mehr im " +
                      (last.release == store::ReleaseState::kDraft
                           ? std::string("Entwurfsordner")
                           : "Postausgang") +
                      " (abgeholt oder verschoben).");
  }
  return review::Blob{"application/pdf", std::move(pdf).value()};
}

Result<std::vector<review::Draft>> StationBackend::ListDrafts() {
  Result<std::vector<store::DecisionSummary>> drafts = journal_->Drafts();
  if (!drafts.ok()) return drafts.status();
  std::vector<review::Draft> out;
  for (const store::DecisionSummary& d : *drafts) {
    out.push_back({d.aktenzeichen, core::ToString(d.kind), d.applicant_name,
                   d.created_at, Joined(Users(d.corrected_by), ", ")});
  }
  return out;
}

Status StationBackend::Release(const std::vector<std::string>& aktenzeichen,
                               const std::string& user) {
  if (user.empty()) return InvalidInput("Ohne Anmeldung keine Freigabe.");
  if (aktenzeichen.empty()) {
    return InvalidInput("Es wurde kein Bescheid zur Freigabe ausgewählt.");
  }
  std::lock_guard<std::mutex> lock(release_mu_);
  Result<std::vector<store::DecisionSummary>> drafts = journal_->Drafts();
  if (!drafts.ok()) return drafts.status();
  std::set<std::string> wanted(aktenzeichen.begin(), aktenzeichen.end());
  std::vector<store::DecisionSummary> chosen;
  std::vector<store::AuditRecord> audit;
  for (const std::string& az : wanted) {
    size_t found = 0;
    for (const store::DecisionSummary& d : *drafts) {
      if (d.aktenzeichen != az) continue;
      ++found;
      const std::vector<std::string> correctors = Users(d.corrected_by);
      if (std::find(correctors.begin(), correctors.end(), user) !=
          correctors.end()) {
        return InvalidInput(
            "Den Bescheid " + az +
            " können Sie nicht freigeben: Sie haben den Prüffall korrigiert "
            "(Vier-Augen-Prinzip). Es wurde nichts freigegeben; bitte geben "
            "Sie die übrigen Bescheide ohne ihn frei und lassen Sie ihn von "
            "einer anderen Person freigeben.");
      }
      chosen.push_back(d);
      audit.push_back(
          {"", user, "freigabe", az, "", "entwurf",
           "outbox/" + d.decision_date.value_or(core::Date{}).ToIso()});
    }
    if (found == 0) {
      return InvalidInput("Zum Aktenzeichen '" + core::SafeFileName(az, 60) +
                          "' wartet kein Bescheid auf die Freigabe. Es wurde "
                          "nichts freigegeben.");
    }
  }
  Status s = ReleaseDraftFiles(env_, journal_, folders_, chosen, user, audit);
  if (!s.ok()) return s;
  metrics_.LettersReleased(chosen.size());
  return Status::Ok();
}

std::vector<StationBackend::ProblemFile> StationBackend::ProblemFiles() {
  std::vector<ProblemFile> out;
  const struct {
    const std::string* dir;
    const char* kind;
    const char* suffix;
  } sources[] = {{&folders_.rejected, "ABGEWIESEN", ".error.txt"},
                 {&folders_.duplicates, "DUPLIKAT", ".txt"}};
  for (const auto& src : sources) {
    Result<std::vector<std::string>> names = env_->ListDir(*src.dir);
    if (!names.ok()) continue;
    const std::set<std::string> all(names->begin(), names->end());
    for (const std::string& name : all) {
      if (name.empty() || name[0] == '.') continue;  // temporaries
      const std::string note = name + src.suffix;
      if (!all.count(note)) continue;  // a note itself, or no reason
      Result<FileInfo> st = env_->Stat(JoinPath(*src.dir, name));
      if (!st.ok()) continue;
      Result<std::string> reason =
          env_->ReadFile(JoinPath(*src.dir, note), kMaxNoteBytes);
      ProblemFile p;
      p.problem.id = std::string(src.kind[0] == 'A' ? "a" : "d") +
                     pipeline::Sha256Hex(name).substr(0, 20);
      p.problem.file = core::SafeFileName(name);
      p.problem.kind = src.kind;
      p.problem.reason = reason.ok() ? *reason : "";
      p.problem.at = LocalTime(st->mtime_unix);
      p.dir = *src.dir;
      p.name = name;
      p.note = note;
      out.push_back(std::move(p));
      if (out.size() >= kMaxListed) return out;
    }
  }
  return out;
}

Result<std::vector<review::Problem>> StationBackend::ListProblems() {
  std::vector<ProblemFile> files = ProblemFiles();
  std::sort(files.begin(), files.end(),
            [](const ProblemFile& a, const ProblemFile& b) {
              return a.problem.at > b.problem.at;
            });
  std::vector<review::Problem> out;
  for (ProblemFile& f : files) out.push_back(std::move(f.problem));
  return out;
}

Status StationBackend::Requeue(const std::string& problem_id,
                               const std::string& user) {
  if (user.empty()) return InvalidInput("Ohne Anmeldung kein Neueinreihen.");
  std::lock_guard<std::mutex> lock(release_mu_);
  for (const ProblemFile& p : ProblemFiles()) {
    if (p.problem.id != problem_id) continue;
    // The name comes from the folder's own listing (no '/' in it), and
    // only a regular file goes back: never a link or a special file.
    const std::string& name = p.name;
    const std::string from = JoinPath(p.dir, name);
    Result<FileInfo> st = env_->Stat(from);
    if (!st.ok() || st->type != FileType::kRegular) {
      return InvalidInput("'" + p.problem.file +
                          "' ist keine gewöhnliche Datei und kann nicht neu "
                          "eingereiht werden.");
    }
    const std::string to_name = FreeName(env_, folders_.inbox, name);
    Status s = env_->MoveFile(from, JoinPath(folders_.inbox, to_name));
    if (!s.ok()) return s;
    (void)env_->Remove(JoinPath(p.dir, p.note));
    return journal_->AppendAudit(
        {store::AuditRecord{"", user, "neu-eingereiht", p.problem.file, "",
                            BaseName(p.dir) + "/" + p.problem.file,
                            "inbox/" + core::SafeFileName(to_name)}});
  }
  return Status(StatusCode::kNotFound,
                "Diese Datei liegt nicht (mehr) bei den Problemfällen.");
}

Result<std::vector<review::SearchHit>> StationBackend::Search(
    const std::string& query, size_t limit) {
  std::string q = query;
  q.erase(0, q.find_first_not_of(" \t"));
  q.erase(q.find_last_not_of(" \t") + 1);
  limit = std::min(limit, kMaxSearchHits);
  std::vector<review::SearchHit> hits;
  if (q.size() < 2 || limit == 0) return hits;
  if (Status s = CheckValue("Suche", q); !s.ok()) return s;
  Result<std::vector<store::ReviewInfo>> reviews = journal_->Reviews();
  if (!reviews.ok()) return reviews.status();
  for (const store::ReviewInfo& r : *reviews) {
    if (r.review.state != store::ReviewState::kOpen) continue;
    const bool ags = std::find(r.review.ags.begin(), r.review.ags.end(), q) !=
                     r.review.ags.end();
    if (!ags && r.review.file_name.find(q) == std::string::npos &&
        r.review.id != q) {
      continue;
    }
    hits.push_back({"", r.review.id, r.review.file_name,
                    r.review.ags.empty() ? "" : r.review.ags.front(),
                    "PRUEFUNG", r.opened_at.substr(0, 10)});
    if (hits.size() >= limit) return hits;
  }
  Result<std::vector<store::DecisionSummary>> found =
      journal_->SearchDecisions(q, limit - hits.size());
  if (!found.ok()) return found.status();
  for (const store::DecisionSummary& d : *found) {
    hits.push_back({d.aktenzeichen, "", d.applicant_name, d.applicant_ags,
                    core::ToString(d.kind),
                    d.decision_date ? d.decision_date->ToIso()
                                    : d.created_at.substr(0, 10)});
  }
  return hits;
}

Result<std::vector<review::AuditEntry>> StationBackend::AuditFor(
    const std::string& target) {
  Result<std::vector<store::AuditRecord>> lines = journal_->AuditFor(target);
  if (!lines.ok()) return lines.status();
  std::vector<review::AuditEntry> out;
  for (const store::AuditRecord& a : *lines) {
    out.push_back(
        {a.at, a.user, a.action, a.target, a.field, a.old_value, a.new_value});
  }
  return out;
}

review::Health StationBackend::CheckHealth() {
  review::Health h;
  if (Status s = journal_->Health(); !s.ok()) {
    h.problems.push_back("store: " + s.message());
  }
  for (const std::string* dir :
       {&folders_.inbox, &folders_.processing, &folders_.outbox,
        &folders_.archive, &folders_.rejected, &folders_.duplicates,
        &folders_.review, &folders_.drafts}) {
    if (::access(dir->c_str(), W_OK | X_OK) != 0) {
      h.problems.push_back("folder not writable: " + *dir);
    }
  }
  if (!watcher_->WorkersAlive()) {
    h.problems.push_back("workers: not all worker threads are running");
  }
  h.ok = h.problems.empty();
  return h;
}

int64_t StationBackend::InboxCount() {
  // Breadth-first, as deep as the watcher scans; bounded.
  int64_t files = 0;
  std::vector<std::pair<std::string, int>> dirs = {{folders_.inbox, 0}};
  while (!dirs.empty() && files < 1000000) {
    auto [dir, depth] = dirs.back();
    dirs.pop_back();
    Result<std::vector<std::string>> names = env_->ListDir(dir);
    if (!names.ok()) continue;
    for (const std::string& n : *names) {
      if (IsIgnored(n, settings_.watch.ignore)) continue;
      Result<FileInfo> st = env_->Stat(JoinPath(dir, n));
      if (!st.ok()) continue;
      if (st->is_directory()) {
        if (depth < kMaxInboxDepth)
          dirs.push_back({JoinPath(dir, n), depth + 1});
      } else {
        ++files;
      }
    }
  }
  return files;
}

review::Metrics StationBackend::GetMetrics() {
  review::Metrics m = metrics_.Snapshot();
  m.inbox = InboxCount();
  m.processing = static_cast<int64_t>(watcher_->Backlog());
  if (auto open = journal_->OpenReviews(); open.ok()) {
    m.review = static_cast<int64_t>(open->size());
  }
  if (auto drafts = journal_->Drafts(); drafts.ok()) {
    m.awaiting_release = static_cast<int64_t>(drafts->size());
  }
  return m;
}

Result<review::Overview> StationBackend::GetOverview() {
  Result<std::vector<store::OutcomeCount>> counts =
      journal_->OutcomeCounts(kOverviewDays);
  if (!counts.ok()) return counts.status();
  const core::Date today = LocalDate(env_->NowUnix());
  review::Overview o;
  for (int i = kOverviewDays - 1; i >= 0; --i) {
    o.last_days.push_back({today.PlusDays(-i).ToIso(), {}});
  }
  for (const store::OutcomeCount& c : *counts) {
    for (review::DayCount& day : o.last_days) {
      if (day.date == c.date) day.outcomes[c.outcome] += c.count;
    }
  }
  o.today = o.last_days.back().outcomes;
  const review::Metrics m = GetMetrics();
  o.inbox = m.inbox;
  o.processing = m.processing;
  o.review = m.review;
  o.awaiting_release = m.awaiting_release;
  o.errors_today = metrics_.FailuresOn(today);
  return o;
}

}  // namespace bescheid::daemon
