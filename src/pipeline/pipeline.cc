#include "pipeline/pipeline.h"

#include <Poco/DigestEngine.h>
#include <Poco/SHA2Engine.h>

#include <cstdio>

#include "xml/decision_record.h"

namespace bescheid::pipeline {

const char* ToString(Outcome::Kind k) {
  switch (k) {
    case Outcome::Kind::kDecided:
      return "decided";
    case Outcome::Kind::kRejected:
      return "rejected";
    case Outcome::Kind::kDuplicate:
      return "duplicate";
    case Outcome::Kind::kFailed:
      return "failed";
  }
  return "";
}

namespace {

Outcome Failed(std::string message) {
  Outcome o;
  o.kind = Outcome::Kind::kFailed;
  o.message = std::move(message);
  return o;
}

Outcome Rejected(std::string report) {
  Outcome o;
  o.kind = Outcome::Kind::kRejected;
  o.message = std::move(report);
  return o;
}

Outcome Duplicate(std::string earlier_aktenzeichen) {
  Outcome o;
  o.kind = Outcome::Kind::kDuplicate;
  o.aktenzeichen = std::move(earlier_aktenzeichen);
  return o;
}

Outcome Decided(std::string aktenzeichen, core::DecisionKind kind,
                std::string warning) {
  Outcome o;
  o.kind = Outcome::Kind::kDecided;
  o.aktenzeichen = std::move(aktenzeichen);
  o.decision = kind;
  o.warning = std::move(warning);
  return o;
}

}  // namespace

std::string Sha256Hex(std::string_view bytes) {
  Poco::SHA2Engine sha(Poco::SHA2Engine::SHA_256);
  sha.update(bytes.data(), static_cast<unsigned>(bytes.size()));
  return Poco::DigestEngine::digestToHex(sha.digest());
}

Pipeline::Pipeline(const config::Settings& settings,
                   const core::ReferenceTable* reference,
                   const xml::ApplicationReader* reader,
                   store::Journal* journal, letters::LetterRenderer* letters,
                   Env* env)
    : settings_(settings),
      reference_(reference),
      reader_(reader),
      journal_(journal),
      letters_(letters),
      env_(env) {}

letters::LetterOptions MakeLetterOptions(const config::Settings& s) {
  letters::LetterOptions o;
  o.templates_dir = s.letters.templates_dir;
  o.font_regular = s.letters.font_regular;
  o.font_bold = s.letters.font_bold;
  o.icc_profile = s.letters.icc_profile;
  o.request_deadline_days = s.letters.request_deadline_days;
  o.authority = s.authority;
  o.rules = s.rules;
  return o;
}

Outcome Pipeline::Process(const std::string& path, OutputSink& sink) {
  try {
    return ProcessOrThrow(path, sink);
  } catch (const std::exception& e) {
    return Failed(std::string("internal error: ") + e.what());
  } catch (...) {
    return Failed("internal error");
  }
}

Outcome Pipeline::Reject(const std::string& path, const std::string& sha256,
                         const std::string& report, OutputSink& sink) {
  std::lock_guard<std::mutex> lock(decide_mu_);
  Status s = sink.WriteRejection(path, report);
  if (!s.ok()) {
    return Failed(s.message());
  }
  if (!sha256.empty()) {
    s = journal_->CommitRejection(sha256, BaseName(path), report);
    if (!s.ok()) {
      return Failed(s.message());
    }
  }
  return Rejected(report);
}

Outcome Pipeline::ProcessOrThrow(const std::string& path, OutputSink& sink) {
  const std::string file_name = BaseName(path);

  Result<std::string> bytes = env_->ReadFile(path, settings_.intake_max_bytes);
  if (!bytes.ok()) {
    if (bytes.status().code() != StatusCode::kInvalidInput) {
      return Failed(bytes.status().message());
    }
    return Reject(path, "",
                  "Die Datei '" + file_name + "' wurde nicht bearbeitet.\n  " +
                      bytes.status().message(),
                  sink);
  }
  const std::string sha256 = Sha256Hex(*bytes);

  Result<std::optional<store::InputRecord>> earlier =
      journal_->FindInput(sha256);
  if (!earlier.ok()) {
    return Failed(earlier.status().message());
  }
  if (*earlier && (*earlier)->state == store::InputState::kDecided) {
    std::lock_guard<std::mutex> lock(decide_mu_);
    Status s = sink.WriteDuplicate(path, (*earlier)->aktenzeichen);
    if (!s.ok()) {
      return Failed(s.message());
    }
    return Duplicate((*earlier)->aktenzeichen);
  }

  Result<core::Application> app = reader_->Read(*bytes, file_name);
  if (!app.ok()) return Reject(path, sha256, app.status().message(), sink);
  if (app->programme != settings_.rules.code) {
    return Reject(path, sha256,
                  "Die Datei '" + file_name +
                      "' wurde nicht bearbeitet.\n  Der Antrag gehört zum "
                      "Programm '" +
                      app->programme + "'; hier wird nur das Programm '" +
                      settings_.rules.code +
                      "' bearbeitet. Bitte leiten Sie den Antrag an die "
                      "zuständige Stelle weiter.",
                  sink);
  }

  xml::DecisionRecord record;
  record.file_name = file_name;
  record.sha256 = sha256;
  record.channel = xml::Channel::kXml;
  if (app->receipt_date) {
    record.receipt_date = *app->receipt_date;
  } else {
    Result<FileInfo> info = env_->Stat(path);
    if (!info.ok()) {
      return Failed(info.status().message());
    }
    record.receipt_date = LocalDate(info->mtime_unix);
    record.receipt_date_from_file = true;
  }
  record.decision_date = LocalDate(DocumentTime(env_));

  std::lock_guard<std::mutex> lock(decide_mu_);
  const std::vector<std::string> covered = core::CoveredAgs(*app);
  Result<std::vector<core::PriorGrant>> prior =
      journal_->GrantsCovering(covered);
  if (!prior.ok()) {
    return Failed(prior.status().message());
  }
  core::DecisionInputs inputs{record.receipt_date, *prior};
  const core::Decision decision =
      core::Decide(*app, settings_.rules, *reference_, inputs);

  Result<int64_t> seq = journal_->NextSequence();
  if (!seq.ok()) {
    return Failed(seq.status().message());
  }
  char number[24];
  std::snprintf(number, sizeof number, "%05lld", static_cast<long long>(*seq));
  record.aktenzeichen = settings_.aktenzeichen_prefix + number;

  DecisionOutput out{path, record.aktenzeichen, decision.kind, "", "", ""};
  std::string warning;
  if (letters_ != nullptr) {
    letters::LetterInput li{&*app,
                            &decision,
                            record.aktenzeichen,
                            record.decision_date,
                            record.receipt_date,
                            DocumentTime(env_)};
    Result<letters::Letter> letter = letters_->Render(li);
    if (!letter.ok()) {
      return Failed("letter: " + letter.status().message());
    }
    if (letter->substituted_characters > 0) {
      warning = std::to_string(letter->substituted_characters) +
                " character(s) of the application cannot be shown in the "
                "letter's font and were replaced; check names in the letter";
    }
    out.letter_file = record.aktenzeichen + ".pdf";
    out.letter_pdf = std::move(letter->pdf);
    record.letter_file = out.letter_file;
  }
  out.record_xml = xml::WriteDecisionRecord(record, *app, decision);
  Status s = sink.WriteDecision(out);
  if (!s.ok()) {
    return Failed(s.message());
  }
  store::DecisionEntry entry{
      sha256,         file_name, record.aktenzeichen, decision.kind, covered,
      out.record_xml, ""};
  s = journal_->CommitDecision(entry);
  if (!s.ok()) {
    return Failed(s.message());
  }
  return Decided(record.aktenzeichen, decision.kind, warning);
}

Status DirectorySink::WriteDecision(const DecisionOutput& out) {
  if (!out.letter_file.empty()) {
    Status s =
        env_->WriteFileAtomic(JoinPath(dir_, out.letter_file), out.letter_pdf);
    if (!s.ok()) return s;
  }
  return env_->WriteFileAtomic(
      JoinPath(dir_, out.aktenzeichen + ".decision.xml"), out.record_xml);
}

Status DirectorySink::WriteRejection(const std::string& input_path,
                                     const std::string& report) {
  return env_->WriteFileAtomic(
      JoinPath(JoinPath(dir_, "rejected"), BaseName(input_path) + ".error.txt"),
      report + "\n");
}

Status DirectorySink::WriteDuplicate(const std::string& input_path,
                                     const std::string& earlier) {
  return env_->WriteFileAtomic(
      JoinPath(JoinPath(dir_, "duplicates"), BaseName(input_path) + ".txt"),
      "Die Datei '" + BaseName(input_path) +
          "' wurde bereits bearbeitet und unter dem Aktenzeichen " + earlier +
          " entschieden. Es wurde kein weiterer Bescheid erstellt.\n");
}

}  // namespace bescheid::pipeline
