// `bescheid deadlines`: the requests for missing documents (NACHFORDERUNG)
// whose deadline has passed on a date, or with --all every open one, for
// the clerk who follows them up. Reads the journal beside a running
// service and changes nothing.
#include <iostream>

#include "cli/app.h"
#include "cli/common.h"
#include "core/format.h"
#include "store/journal.h"

namespace bescheid::cli {
namespace {

std::string Days(int64_t n) {
  return n == 1 ? "1 Tag" : std::to_string(n) + " Tage";
}

// How the deadline stands on `as_of`: "3 Tage überfällig", "endet heute",
// "noch 5 Tage".
std::string Standing(const core::Date& deadline, const core::Date& as_of) {
  const int64_t late = as_of.DaysSinceEpoch() - deadline.DaysSinceEpoch();
  if (late > 0) return Days(late) + " überfällig";
  if (late == 0) return "endet heute";
  return "noch " + Days(-late);
}

// One request, one line.
std::string Line(const store::RequestRecord& r, const core::Date& as_of) {
  return r.aktenzeichen + "  " + r.applicant_name + " (AGS " + r.applicant_ags +
         ")  angefordert am " + core::FormatGerman(r.request_date) +
         "  Frist " + core::FormatGerman(r.deadline) + "  " +
         Standing(r.deadline, as_of);
}

}  // namespace

std::string DeadlinesHelp() {
  return "Aufruf: bescheid deadlines [--date TT.MM.JJJJ] [--all] "
         "[--config DATEI] [--define KEY=WERT]...\n\n"
         "Listet die Nachforderungen, deren Frist am angegebenen Tag "
         "(Standard: heute,\nbzw. SOURCE_DATE_EPOCH) abgelaufen ist und auf "
         "die noch keine vervollständigten\nUnterlagen eingegangen sind: "
         "Aktenzeichen, Antragsteller, AGS, Datum der\nNachforderung, Frist "
         "und Tage der Überschreitung. Mit --all auch die offenen\n"
         "Nachforderungen, deren Frist noch läuft. Liest das Journal "
         "(store.path), auch\nwährend der Dienst läuft, und ändert nichts.\n\n"
         "Exit-Status: 0 Liste ausgegeben (auch wenn sie leer ist), 2 Aufruf- "
         "oder\nKonfigurationsfehler.\n";
}

int App::Deadlines(const std::vector<std::string>& args) {
  if (!args.empty()) {
    return UsageError("deadlines", "unerwartetes Argument '" + args[0] + "'");
  }
  Result<config::Settings> settings = LoadSettings();
  if (!settings.ok()) return StartFailure(settings.status());
  Result<core::Date> as_of =
      as_of_ ? core::ParseGermanOrIsoDate(*as_of_)
             : Result<core::Date>(LocalDate(DocumentTime(DefaultEnv())));
  if (!as_of.ok()) {
    std::cerr << "bescheid deadlines: --date: " << as_of.status().message()
              << "\n";
    return kExitUsage;
  }
  auto journal = OpenJournalForReading(*settings);
  if (!journal.ok()) return StartFailure(journal.status());
  Result<std::vector<store::RequestRecord>> open = (*journal)->OpenRequests();
  if (!open.ok()) return StartFailure(open.status());
  std::vector<std::string> lines;
  for (const store::RequestRecord& r : *open) {
    if (all_ || r.deadline < *as_of) lines.push_back(Line(r, *as_of));
  }
  const std::string day = core::FormatGerman(*as_of);
  if (lines.empty()) {
    std::cout << (all_ ? "Keine offenen Nachforderungen am " + day + ".\n"
                       : "Keine Nachforderung mit abgelaufener Frist am " +
                             day + ".\n");
    return kExitOk;
  }
  std::cout << (all_ ? "Offene Nachforderungen am " + day + ":\n"
                     : "Nachforderungen mit abgelaufener Frist am " + day +
                           ":\n");
  for (const std::string& line : lines) std::cout << line << "\n";
  return kExitOk;
}

}  // namespace bescheid::cli
