// `bescheid print`: the released letters not yet printed as one print
// batch (sorted by postcode, padded for duplex, a cover sheet first), sent
// to a CUPS queue and recorded in the journal (docs/printing.md).
#include <iostream>

#include "cli/app.h"
#include "cli/common.h"
#include "core/format.h"
#include "env/env.h"
#include "letters/pdf_writer.h"
#include "print/printer.h"
#include "print/queue.h"
#include "store/journal.h"

namespace bescheid::cli {
namespace {

// One line of the plan for the operator.
std::string PlanLine(const print::PlannedLetter& p) {
  const print::LetterToPrint& l = p.letter;
  return "  ab Seite " + std::to_string(p.first_page) + "  " + l.document +
         "  PLZ " + (l.postcode.empty() ? "?" : l.postcode) + "  " + l.kind +
         "  " + std::to_string(l.pages) + " S." +
         (p.blank_after ? " + Leerseite" : "") +
         (l.reprint ? "  (Nachdruck)" : "");
}

void Show(const print::PrintReport& report, bool dry_run) {
  if (dry_run && report.plan) {
    for (const std::string& line : print::CoverLines(report.plan->cover)) {
      std::cout << line << "\n";
    }
    for (const print::PlannedLetter& p : report.plan->letters) {
      std::cout << PlanLine(p) << "\n";
    }
  }
  for (const std::string& line : report.lines) std::cout << line << "\n";
}

}  // namespace

std::string PrintHelp() {
  return "Aufruf: bescheid print [--date DATUM | --since DATUM] [--queue NAME] "
         "[--dry-run]\n"
         "       bescheid print --reprint AKTENZEICHEN... [--queue NAME]\n\n"
         "Druckt die freigegebenen Schreiben (im Postausgang outbox/), die "
         "noch nicht\ngedruckt sind, als einen Druckstapel: nach "
         "Postleitzahl sortiert, jedes Schreiben\nbeginnt auf einer "
         "Vorderseite (Leerseiten für den Duplexdruck), ein Deckblatt\n"
         "vorweg. Der Stapel wird unter print/<Datum>/batch-<n>.pdf im "
         "Arbeitsordner\n(watch.root) geschrieben, an die CUPS-Warteschlange "
         "(print.queue oder --queue)\nbeidseitig gesendet und im Journal "
         "vermerkt. Zuerst werden Stapel früherer\nLäufe zu Ende gebracht: "
         "geschriebene, nie gesendete werden gesendet, gesendete\nbei CUPS "
         "nachgefragt, nie zweimal gedruckt.\n\n"
         "  --date DATUM     nur Entscheidungen dieses Tages\n"
         "  --since DATUM    nur Entscheidungen ab diesem Tag\n"
         "  --queue NAME     CUPS-Warteschlange (statt print.queue)\n"
         "  --dry-run        schreibt den Stapel und zeigt den Plan; sendet "
         "nichts und\n                   vermerkt nichts als gedruckt\n"
         "  --reprint AZ...  druckt die Schreiben dieser Aktenzeichen "
         "(mit Abschriften)\n                   erneut; wird vermerkt\n\n"
         "DATUM als TT.MM.JJJJ oder JJJJ-MM-TT. Braucht das Journal "
         "(store.path) für sich:\nwährend der Dienst läuft, druckt er selbst "
         "(print.mode), bescheid print nur\nmit --dry-run.\n\n"
         "Exit-Status: 0 gedruckt oder nichts zu drucken, 1 Warteschlange "
         "fehlt oder ist\nangehalten, Auftrag gescheitert oder Journal nicht "
         "verfügbar, 2 Aufruf- oder\nKonfigurationsfehler.\n";
}

int App::Print(const std::vector<std::string>& args) {
  if (print_.reprint && args.empty())
    return UsageError("print", "--reprint ohne Aktenzeichen");
  if (!print_.reprint && !args.empty()) {
    return UsageError("print", "unerwartetes Argument '" + args[0] + "'");
  }
  if (as_of_ && print_.since)
    return UsageError("print", "--date und --since schließen sich aus");
  Result<config::Settings> settings = LoadSettings();
  if (!settings.ok()) return StartFailure(settings.status());
  Env* env = DefaultEnv();
  print::PrintOptions options;
  options.watch_root = settings->watch.root;
  options.queue = print_.queue.value_or(settings->print.queue);
  options.timestamp = DocumentTime(env);
  options.today = LocalDate(options.timestamp);
  options.dry_run = print_.dry_run;
  options.wait_seconds = settings->print.wait_seconds;
  options.reprint = args;
  const std::optional<std::string>& first = as_of_ ? as_of_ : print_.since;
  if (first) {
    Result<core::Date> d = core::ParseGermanOrIsoDate(*first);
    if (!d.ok()) {
      return UsageError("print", std::string(as_of_ ? "--date" : "--since") +
                                     ": " + d.status().message());
    }
    options.from = *d;
    if (as_of_) options.to = *d;
  }
  if (options.queue.empty() && !options.dry_run) {
    return UsageError(
        "print",
        "keine Druckerwarteschlange: print.queue setzen oder --queue NAME "
        "angeben");
  }
  return RunPrint(*settings, options);
}

int App::RunPrint(const config::Settings& settings,
                  const print::PrintOptions& options) {
  Env* env = DefaultEnv();
  Result<core::ReferenceTable> reference = LoadReference(settings, env);
  if (!reference.ok()) return StartFailure(reference.status());
  auto writer = letters::PdfWriter::Create(settings.letters.font_regular,
                                           settings.letters.font_bold,
                                           settings.letters.icc_profile);
  if (!writer.ok()) return StartFailure(writer.status());
  store::JournalOptions journal_options;
  journal_options.read_only = options.dry_run;
  journal_options.create_if_missing = false;
  auto journal = store::OpenSqliteJournal(settings.store_path, journal_options);
  if (!journal.ok()) {
    std::cerr << "bescheid print: " << journal.status().message() << "\n";
    return kExitSomeFailed;
  }
  std::unique_ptr<print::PrintQueue> queue;
  if (!options.dry_run) {
    auto connected = print::ConnectCups();
    if (!connected.ok()) {
      std::cerr << "bescheid print: " << connected.status().message() << "\n";
      return kExitSomeFailed;
    }
    queue = std::move(connected).value();
  }
  print::Printer printer(env, journal->get(), queue.get(), writer->get(),
                         &*reference);
  print::PrintReport report;
  Status s;
  if (!options.dry_run) s = printer.Resume(options, report);
  if (s.ok()) s = printer.PrintNew(options, report);
  Show(report, options.dry_run);
  if (!s.ok()) {
    std::cerr << "bescheid print: " << s.message() << "\n";
    return kExitSomeFailed;
  }
  return kExitOk;
}

}  // namespace bescheid::cli
