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

std::string Sha256Hex(std::string_view bytes) {
  Poco::SHA2Engine sha(Poco::SHA2Engine::SHA_256);
  sha.update(bytes.data(), static_cast<unsigned>(bytes.size()));
  return Poco::DigestEngine::digestToHex(sha.digest());
}

Pipeline::Pipeline(const config::Settings& settings,
                   const core::ReferenceTable* reference,
                   const xml::ApplicationReader* reader,
                   store::Journal* journal, Env* env)
    : settings_(settings),
      reference_(reference),
      reader_(reader),
      journal_(journal),
      env_(env) {}

Outcome Pipeline::Process(const std::string& path, OutputSink& sink) {
  try {
    return ProcessOrThrow(path, sink);
  } catch (const std::exception& e) {
    return Outcome{Outcome::Kind::kFailed, "", core::DecisionKind::kAblehnung,
                   std::string("internal error: ") + e.what()};
  } catch (...) {
    return Outcome{Outcome::Kind::kFailed, "", core::DecisionKind::kAblehnung,
                   "internal error"};
  }
}

Outcome Pipeline::Reject(const std::string& path, const std::string& sha256,
                         const std::string& report, OutputSink& sink) {
  Outcome failed{Outcome::Kind::kFailed, "", core::DecisionKind::kAblehnung,
                 ""};
  std::lock_guard<std::mutex> lock(decide_mu_);
  Status s = sink.WriteRejection(path, report);
  if (!s.ok()) {
    failed.message = s.message();
    return failed;
  }
  if (!sha256.empty()) {
    s = journal_->CommitRejection(sha256, BaseName(path), report);
    if (!s.ok()) {
      failed.message = s.message();
      return failed;
    }
  }
  return Outcome{Outcome::Kind::kRejected, "", core::DecisionKind::kAblehnung,
                 report};
}

Outcome Pipeline::ProcessOrThrow(const std::string& path, OutputSink& sink) {
  Outcome failed{Outcome::Kind::kFailed, "", core::DecisionKind::kAblehnung,
                 ""};
  const std::string file_name = BaseName(path);

  Result<std::string> bytes = env_->ReadFile(path, settings_.intake_max_bytes);
  if (!bytes.ok()) {
    if (bytes.status().code() != StatusCode::kInvalidInput) {
      failed.message = bytes.status().message();
      return failed;
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
    failed.message = earlier.status().message();
    return failed;
  }
  if (*earlier && (*earlier)->state == store::InputState::kDecided) {
    std::lock_guard<std::mutex> lock(decide_mu_);
    Status s = sink.WriteDuplicate(path, (*earlier)->aktenzeichen);
    if (!s.ok()) {
      failed.message = s.message();
      return failed;
    }
    return Outcome{Outcome::Kind::kDuplicate, (*earlier)->aktenzeichen,
                   core::DecisionKind::kAblehnung, ""};
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
      failed.message = info.status().message();
      return failed;
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
    failed.message = prior.status().message();
    return failed;
  }
  core::DecisionInputs inputs{record.receipt_date, *prior};
  const core::Decision decision =
      core::Decide(*app, settings_.rules, *reference_, inputs);

  Result<int64_t> seq = journal_->NextSequence();
  if (!seq.ok()) {
    failed.message = seq.status().message();
    return failed;
  }
  char number[24];
  std::snprintf(number, sizeof number, "%05lld", static_cast<long long>(*seq));
  record.aktenzeichen = settings_.aktenzeichen_prefix + number;

  DecisionOutput out{path, record.aktenzeichen, decision.kind,
                     xml::WriteDecisionRecord(record, *app, decision)};
  Status s = sink.WriteDecision(out);
  if (!s.ok()) {
    failed.message = s.message();
    return failed;
  }
  store::DecisionEntry entry{
      sha256,         file_name, record.aktenzeichen, decision.kind, covered,
      out.record_xml, ""};
  s = journal_->CommitDecision(entry);
  if (!s.ok()) {
    failed.message = s.message();
    return failed;
  }
  return Outcome{Outcome::Kind::kDecided, record.aktenzeichen, decision.kind,
                 ""};
}

Status DirectorySink::WriteDecision(const DecisionOutput& out) {
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
