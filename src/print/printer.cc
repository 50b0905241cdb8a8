#include "print/printer.h"

#include <algorithm>
#include <chrono>
#include <map>
#include <set>
#include <thread>

#include "print/assemble.h"
#include "xml/decision_summary.h"

namespace bescheid::print {
namespace {

using store::PrintBatchState;

// "X.pdf" -> "X".
std::string Stem(const std::string& file) {
  const std::string pdf = ".pdf";
  if (file.size() > pdf.size() &&
      file.compare(file.size() - pdf.size(), pdf.size(), pdf) == 0) {
    return file.substr(0, file.size() - pdf.size());
  }
  return file;
}

// Whether `document` is printed or on its way in some batch.
bool Taken(const std::vector<store::LetterPrint>& prints,
           const std::string& document) {
  return std::any_of(prints.begin(), prints.end(), [&](const auto& p) {
    return p.letter.document == document &&
           (p.state == PrintBatchState::kWritten ||
            p.state == PrintBatchState::kSent ||
            p.state == PrintBatchState::kCompleted);
  });
}

std::string Label(const store::PrintBatchRecord& b) {
  return BatchLabel(b.date, b.number);
}

std::string Letters(size_t n) { return std::to_string(n) + " Schreiben"; }

}  // namespace

std::string BatchLabel(const core::Date& date, int number) {
  return date.ToIso() + "/" + std::to_string(number);
}

std::optional<std::string> ReleasedLetter(Env* env,
                                          const std::string& watch_root,
                                          const store::DecisionEntry& decision,
                                          const std::string& file) {
  if (!decision.decision_date || file.empty() || file == "." || file == ".." ||
      file.find('/') != std::string::npos) {
    return std::nullopt;
  }
  const std::string rel =
      "outbox/" + decision.decision_date->ToIso() + "/" + file;
  Result<FileInfo> info = env->Stat(JoinPath(watch_root, rel));
  if (!info.ok() || info->type != FileType::kRegular) return std::nullopt;
  return rel;
}

Status Printer::AddDecision(const PrintOptions& options,
                            const store::DecisionEntry& e,
                            std::vector<LetterToPrint>& out) {
  const bool reprint = !options.reprint.empty();
  if (reprint && std::find(options.reprint.begin(), options.reprint.end(),
                           e.aktenzeichen) == options.reprint.end()) {
    return Status();
  }
  Result<xml::LetterFacts> facts = xml::ReadLetterFacts(e.record_xml);
  if (!facts.ok()) {
    return StoreError("Die Entscheidung " + e.aktenzeichen +
                      " im Journal ist nicht lesbar (" +
                      facts.status().message() +
                      "). Bitte die Systembetreuung verständigen.");
  }
  auto add = [&](const std::string& file, const std::string& postcode,
                 bool copy) {
    std::optional<std::string> path =
        ReleasedLetter(env_, options.watch_root, e, file);
    if (!path) return;
    LetterToPrint l;
    l.document = Stem(file);
    l.file = *path;
    l.aktenzeichen = e.aktenzeichen;
    l.kind = facts->kind;
    l.postcode = postcode;
    l.copy = copy;
    l.reprint = reprint;
    if (reprint || !Taken(prints_, l.document)) out.push_back(std::move(l));
  };
  add(facts->letter_file, facts->postcode, false);
  for (const xml::LetterFacts::Copy& copy : facts->copies) {
    // A member without a known address sorts beside its main letter.
    std::string postcode = facts->postcode;
    const core::Municipality* m =
        reference_ != nullptr ? reference_->Find(copy.ags) : nullptr;
    if (m != nullptr && !m->postcode.empty()) postcode = m->postcode;
    add(copy.file, postcode, true);
  }
  return Status();
}

Result<std::vector<LetterToPrint>> Printer::Gather(
    const PrintOptions& options) {
  Result<std::vector<store::LetterPrint>> prints = journal_->LetterPrints();
  if (!prints.ok()) return prints.status();
  prints_ = std::move(prints).value();
  Result<std::vector<store::DecisionEntry>> decisions =
      journal_->Decisions(options.from, options.to);
  if (!decisions.ok()) return decisions.status();
  std::vector<LetterToPrint> out;
  for (const store::DecisionEntry& e : *decisions) {
    if (Status s = AddDecision(options, e, out); !s.ok()) return s;
  }
  for (const std::string& az : options.reprint) {
    if (std::none_of(out.begin(), out.end(),
                     [&](const auto& l) { return l.aktenzeichen == az; })) {
      return InvalidInput("Zum Aktenzeichen " + az +
                          " gibt es kein freigegebenes Schreiben im "
                          "Postausgang (outbox/). Bitte das Aktenzeichen "
                          "prüfen.");
    }
  }
  return out;
}

Result<std::map<std::string, std::string>> Printer::ReadLetters(
    const PrintOptions& options, std::vector<LetterToPrint>& letters) {
  std::map<std::string, std::string> pdfs;
  for (LetterToPrint& l : letters) {
    Result<std::string> pdf =
        env_->ReadFile(JoinPath(options.watch_root, l.file), kMaxLetterBytes);
    if (!pdf.ok()) {
      return IoError("Das Schreiben " + l.file +
                     " kann nicht gelesen werden (" + pdf.status().message() +
                     ").");
    }
    Result<int> pages = CountPages(*pdf, l.file);
    if (!pages.ok()) return pages.status();
    l.pages = *pages;
    pdfs[l.document] = std::move(pdf).value();
  }
  return pdfs;
}

Result<std::string> Printer::Build(const PrintOptions& options,
                                   std::vector<LetterToPrint> letters,
                                   int number, BatchPlan& plan) {
  Result<std::map<std::string, std::string>> pdfs =
      ReadLetters(options, letters);
  if (!pdfs.ok()) return pdfs.status();
  Result<BatchPlan> planned =
      PlanBatch(std::move(letters), options.today, number);
  if (!planned.ok()) return planned.status();
  plan = std::move(planned).value();
  Result<std::string> cover =
      RenderCover(*writer_, plan.cover, options.timestamp);
  if (!cover.ok()) return cover.status();
  std::vector<std::string> in_order;
  for (const PlannedLetter& p : plan.letters) {
    in_order.push_back((*pdfs)[p.letter.document]);
  }
  return AssembleBatch(plan, *cover, in_order);
}

Status Printer::PrintNew(const PrintOptions& options, PrintReport& report) {
  Result<std::vector<LetterToPrint>> letters = Gather(options);
  if (!letters.ok()) return letters.status();
  if (letters->empty()) {
    report.lines.push_back("Keine freigegebenen Schreiben zu drucken.");
    return Status();
  }
  Result<int> number = journal_->NextPrintBatchNumber(options.today);
  if (!number.ok()) return number.status();
  BatchPlan plan;
  Result<std::string> batch =
      Build(options, std::move(letters).value(), *number, plan);
  if (!batch.ok()) return batch.status();
  store::PrintBatchRecord record;
  record.date = options.today;
  record.number = *number;
  record.file = "print/" + options.today.ToIso() + "/batch-" +
                std::to_string(*number) + ".pdf";
  record.queue = options.queue;
  for (const PlannedLetter& p : plan.letters) {
    record.letters.push_back(
        {p.letter.document, p.letter.aktenzeichen, p.letter.reprint});
  }
  report.batch_file = JoinPath(options.watch_root, record.file);
  if (Status s = env_->WriteFileAtomic(report.batch_file, *batch); !s.ok()) {
    return IoError("Der Druckstapel " + report.batch_file +
                   " kann nicht geschrieben werden (" + s.message() + ").");
  }
  report.lines.push_back("Druckstapel " + Label(record) + ": " +
                         Letters(plan.letters.size()) + ", " +
                         std::to_string(plan.cover.pages) + " Seiten, " +
                         report.batch_file);
  report.plan = std::move(plan);
  if (options.dry_run) {
    report.lines.push_back(
        "Probelauf: nichts gesendet, nichts als gedruckt vermerkt.");
    return Status();
  }
  if (Status ready = queue_->CheckReady(options.queue); !ready.ok()) {
    return Status(ready.code(),
                  ready.message() + " Die Schreiben bleiben ungedruckt.");
  }
  Result<int64_t> id = journal_->RecordPrintBatch(record);
  if (!id.ok()) return id.status();
  record.id = *id;
  return Send(options, record, report);
}

Status Printer::Resume(const PrintOptions& options, PrintReport& report) {
  Result<std::vector<store::PrintBatchRecord>> open =
      journal_->UnfinishedPrintBatches();
  if (!open.ok()) return open.status();
  for (const store::PrintBatchRecord& b : *open) {
    Status s;
    if (b.state == PrintBatchState::kWritten) {
      report.lines.push_back("Druckstapel " + Label(b) +
                             " wurde geschrieben, aber nicht gesendet: er "
                             "wird jetzt gesendet.");
      s = queue_->CheckReady(b.queue);
      if (s.ok()) s = Send(options, b, report);
    } else if (b.job_id) {
      s = Await(options, b, *b.job_id, report);
    }
    if (!s.ok()) return s;
  }
  return Status();
}

Status Printer::Send(const PrintOptions& options,
                     const store::PrintBatchRecord& b, PrintReport& report) {
  const std::string path = JoinPath(options.watch_root, b.file);
  Result<FileInfo> info = env_->Stat(path);
  if (!info.ok() || info->type != FileType::kRegular) {
    (void)journal_->FinishPrintBatch(b.id, PrintBatchState::kAborted);
    return IoError("Die Datei des Druckstapels " + Label(b) + " (" + path +
                   ") fehlt. Der Stapel wird verworfen; seine Schreiben "
                   "kommen in den nächsten Druckstapel.");
  }
  const std::string title = "bescheid Druckstapel " + Label(b) + " (" +
                            Letters(b.letters.size()) + ")";
  Result<int> job = queue_->Submit(b.queue, path, title);
  if (!job.ok()) {
    (void)journal_->FinishPrintBatch(b.id, PrintBatchState::kAborted);
    return job.status();
  }
  if (Status s = journal_->MarkPrintBatchSent(b.id, *job); !s.ok()) return s;
  report.lines.push_back("Druckstapel " + Label(b) + " an '" + b.queue +
                         "' gesendet (Auftrag " + std::to_string(*job) + ").");
  return Await(options, b, *job, report);
}

Status Printer::Await(const PrintOptions& options,
                      const store::PrintBatchRecord& b, int job_id,
                      PrintReport& report) {
  const auto until = std::chrono::steady_clock::now() +
                     std::chrono::seconds(options.wait_seconds);
  Result<JobState> state = queue_->State(b.queue, job_id);
  while (state.ok() && *state == JobState::kPending &&
         std::chrono::steady_clock::now() < until) {
    std::this_thread::sleep_for(std::chrono::milliseconds(250));
    state = queue_->State(b.queue, job_id);
  }
  if (!state.ok()) return state.status();
  const std::string job =
      "Auftrag " + std::to_string(job_id) + " (Druckstapel " + Label(b) + ")";
  switch (*state) {
    case JobState::kCompleted: {
      Status s = journal_->FinishPrintBatch(b.id, PrintBatchState::kCompleted);
      if (!s.ok()) return s;
      report.printed += static_cast<int>(b.letters.size());
      report.lines.push_back("Druckstapel " + Label(b) +
                             " gedruckt: " + Letters(b.letters.size()) + ".");
      return Status();
    }
    case JobState::kAborted:
    case JobState::kCanceled: {
      const bool aborted = *state == JobState::kAborted;
      Status s = journal_->FinishPrintBatch(
          b.id,
          aborted ? PrintBatchState::kAborted : PrintBatchState::kCanceled);
      if (!s.ok()) return s;
      return IoError("Der Druck" + job + " wurde " +
                     (aborted ? "abgebrochen" : "storniert") +
                     ". Seine Schreiben gelten als nicht gedruckt und kommen "
                     "in den nächsten Druckstapel.");
    }
    case JobState::kPending:
      report.lines.push_back(job +
                             " ist noch nicht fertig; der nächste Lauf "
                             "fragt CUPS nach dem Ergebnis.");
      return Status();
    case JobState::kUnknown:
      report.lines.push_back(
          "CUPS kennt den " + job +
          " nicht mehr. Bitte am Drucker prüfen, ob er gedruckt wurde; "
          "fehlende Schreiben mit bescheid print --reprint AKTENZEICHEN.");
      return Status();
  }
  return Status();
}

}  // namespace bescheid::print
