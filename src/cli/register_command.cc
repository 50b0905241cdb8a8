// `bescheid register`: the decision register for the budget office, one
// CSV row per decision in a period, read from the journal beside a running
// service (read-only).
#include <iostream>
#include <map>

#include "cli/app.h"
#include "cli/common.h"
#include "core/format.h"
#include "core/register.h"
#include "print/printer.h"
#include "xml/decision_summary.h"

namespace bescheid::cli {
namespace {

// Parses --from/--to; kInvalidInput (German) naming the option.
Result<std::optional<core::Date>> OptionalDate(
    const std::optional<std::string>& text, const char* option) {
  if (!text) return std::optional<core::Date>();
  Result<core::Date> d = core::ParseGermanOrIsoDate(*text);
  if (!d.ok()) {
    return Status(StatusCode::kInvalidInput,
                  std::string(option) + ": " + d.status().message());
  }
  return std::optional<core::Date>(*d);
}

// Document -> the print batch that last printed it ("2018-01-22/1"):
// COMPLETED batches only.
Result<std::map<std::string, std::string>> PrintBatches(
    store::Journal& journal) {
  Result<std::vector<store::LetterPrint>> prints = journal.LetterPrints();
  if (!prints.ok()) return prints.status();
  std::map<std::string, std::string> out;
  for (const store::LetterPrint& p : *prints) {
    if (p.state != store::PrintBatchState::kCompleted) continue;
    out[p.letter.document] = print::BatchLabel(p.batch_date, p.batch_number);
  }
  return out;
}

// The register rows of the journal's decisions in [from, to].
Result<std::vector<core::RegisterRow>> Rows(store::Journal& journal,
                                            std::optional<core::Date> from,
                                            std::optional<core::Date> to) {
  Result<std::vector<store::DecisionEntry>> decisions =
      journal.Decisions(from, to);
  if (!decisions.ok()) return decisions.status();
  Result<std::map<std::string, std::string>> batches = PrintBatches(journal);
  if (!batches.ok()) return batches.status();
  std::vector<core::RegisterRow> rows;
  rows.reserve(decisions->size());
  for (const store::DecisionEntry& e : *decisions) {
    Result<core::RegisterRow> row = xml::ReadDecisionSummary(e.record_xml);
    if (!row.ok()) {
      return Status(StatusCode::kStore,
                    "Die Entscheidung " + e.aktenzeichen +
                        " im Journal ist nicht lesbar (" +
                        row.status().message() +
                        "). Bitte die Systembetreuung verständigen.");
    }
    auto batch =
        batches->find(e.document.empty() ? e.aktenzeichen : e.document);
    if (batch != batches->end()) row->print_batch = batch->second;
    rows.push_back(std::move(row).value());
  }
  return rows;
}

}  // namespace

std::string RegisterHelp() {
  return "Aufruf: bescheid register --out DATEI.csv [--from DATUM] "
         "[--to DATUM] [--config DATEI] [--define KEY=WERT]...\n\n"
         "Schreibt das Entscheidungsregister für die Haushaltsstelle: eine "
         "Zeile je\nEntscheidung mit Aktenzeichen, Datum, Art, Gründen "
         "(Kennungen), Antragsteller,\nAGS, allen Beträgen der Entscheidung, "
         "IBAN (bis auf die letzten vier Stellen\nverdeckt) und Druckstapel; "
         "in der letzten Zeile die Summen der Beträge.\nDATUM als TT.MM.JJJJ "
         "oder JJJJ-MM-TT; ohne --from/--to alle Entscheidungen.\n"
         "Die Datei (UTF-8, Semikolon, Dezimalkomma) öffnet sich so in einer\n"
         "Tabellenkalkulation. Liest das Journal (store.path), auch während "
         "der Dienst\nläuft, und ändert nichts.\n\n"
         "Exit-Status: 0 geschrieben, 1 Datei nicht schreibbar oder Journal "
         "nicht\nlesbar, 2 Aufruf- oder Konfigurationsfehler.\n";
}

int App::Register(const std::vector<std::string>& args) {
  if (!args.empty() || !out_dir_) {
    return UsageError("register",
                      args.empty() ? "--out DATEI.csv fehlt"
                                   : "unerwartetes Argument '" + args[0] + "'");
  }
  Result<std::optional<core::Date>> from = OptionalDate(from_, "--from");
  Result<std::optional<core::Date>> to = OptionalDate(to_, "--to");
  for (const auto* d : {&from, &to}) {
    if (!d->ok()) {
      std::cerr << "bescheid register: " << d->status().message() << "\n";
      return kExitUsage;
    }
  }
  Result<config::Settings> settings = LoadSettings();
  if (!settings.ok()) return StartFailure(settings.status());
  auto journal = OpenJournalForReading(*settings);
  if (!journal.ok()) return StartFailure(journal.status());
  Result<std::vector<core::RegisterRow>> rows = Rows(**journal, *from, *to);
  if (!rows.ok()) {
    std::cerr << "bescheid register: " << rows.status().message() << "\n";
    return kExitSomeFailed;
  }
  const std::string csv = core::RegisterCsv(*rows);
  if (Status s = DefaultEnv()->WriteFileAtomic(*out_dir_, csv); !s.ok()) {
    std::cerr << "bescheid register: '" << *out_dir_
              << "' kann nicht geschrieben werden (" << s.message() << ")\n";
    return kExitSomeFailed;
  }
  std::cout << *out_dir_ << ": " << rows->size() << " Entscheidung"
            << (rows->size() == 1 ? "" : "en") << "\n";
  return kExitOk;
}

}  // namespace bescheid::cli
