#include "cli/app.h"

#include <Poco/AutoPtr.h>
#include <Poco/ConsoleChannel.h>
#include <Poco/Exception.h>
#include <Poco/FileChannel.h>
#include <Poco/FormattingChannel.h>
#include <Poco/Path.h>
#include <Poco/PatternFormatter.h>
#include <Poco/Util/Option.h>
#include <Poco/Util/OptionSet.h>
#include <signal.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <functional>
#include <iostream>
#include <memory>
#include <mutex>
#include <thread>

#include "cli/common.h"
#include "env/env.h"
#include "letters/letter.h"
#include "pipeline/pipeline.h"
#include "store/journal.h"
#include "xml/application_reader.h"

#ifndef BESCHEID_VERSION
#define BESCHEID_VERSION "0.0.0"
#endif

namespace bescheid::cli {
using Poco::Util::Option;

// Reports a problem that keeps a command from starting (configuration,
// reference table, templates, journal) and returns the exit code for it.
int StartFailure(const Status& status) {
  std::cerr << "bescheid: " << status.message() << "\n";
  return kExitUsage;
}

int UsageError(const std::string& command, const std::string& problem) {
  std::cerr << "bescheid " << command << ": " << problem << "\n"
            << CommandHelp(command);
  return kExitUsage;
}

// The reference table named by `reference.gemeinden`; errors name the key
// and the file.
Result<core::ReferenceTable> LoadReference(const config::Settings& settings,
                                           Env* env) {
  Result<std::string> csv = env->ReadFile(settings.reference_path, 64u << 20);
  if (!csv.ok()) {
    return ConfigError("Referenztabelle (reference.gemeinden) '" +
                       settings.reference_path + "': " +
                       (csv.status().code() == StatusCode::kInvalidInput
                            ? csv.status().message()
                            : ReadFailure(csv.status())));
  }
  Result<core::ReferenceTable> table = core::ReferenceTable::ParseCsv(*csv);
  if (!table.ok()) {
    return ConfigError(settings.reference_path + ": " +
                       table.status().message());
  }
  return table;
}

Result<std::unique_ptr<store::Journal>> OpenJournalForReading(
    const config::Settings& settings) {
  store::JournalOptions options;
  options.read_only = true;
  auto journal = store::OpenSqliteJournal(settings.store_path, options);
  if (journal.ok() || journal.status().code() != StatusCode::kNotFound) {
    return journal;
  }
  return Status(StatusCode::kNotFound,
                "Das Journal (store.path) '" + settings.store_path +
                    "' gibt es nicht. Bitte store.path prüfen.");
}

std::string ReadFailure(const Status& status) {
  if (status.code() == StatusCode::kNotFound) {
    return "Die Datei gibt es nicht. Bitte prüfen Sie Namen und Ordner.";
  }
  return "Die Datei kann nicht gelesen werden (fehlende Leserechte oder ein "
         "Fehler des Datenträgers; technisch: " +
         status.message() + ").";
}

// On stderr: the German report of an application that is not valid, or
// why the file could not be read.
void ReportFileProblem(const std::string& file, const Status& status) {
  if (status.code() == StatusCode::kInvalidInput) {
    std::cerr << file << ":\n" << status.message() << "\n";
  } else {
    std::cerr << file << ": " << ReadFailure(status) << "\n";
  }
}

namespace {

std::string Usage() {
  return "Aufruf: bescheid BEFEHL [OPTIONEN] [DATEI...]\n";
}

}  // namespace

std::string GeneralHelp() {
  return Usage() +
         "\n"
         "Entscheidet Anträge auf Förderung des Integrationsmanagements und "
         "schreibt\nEntscheidungen.\n\n"
         "Befehle:\n"
         "  validate DATEI...        prüft Anträge (XML) gegen das Schema\n"
         "  process --out DIR DATEI... entscheidet Anträge und schreibt die "
         "Ergebnisse\n"
         "  watch                    überwacht die Ablageordner (Dienst)\n"
         "  preview DATEI            zeigt den Text des Schreibens (Vorlagen "
         "prüfen)\n"
         "  config show|check        zeigt oder prüft die Konfiguration\n"
         "  deadlines [--date D] [--all]  Nachforderungen mit abgelaufener "
         "Frist\n"
         "  form --out DATEI.pdf     schreibt das Antragsformular (leer oder "
         "ausgefüllt)\n"
         "  register --out DATEI.csv Entscheidungsregister für die "
         "Haushaltsstelle\n"
         "  print                    druckt die freigegebenen Schreiben als "
         "Druckstapel\n"
         "  user add|passwd|list|remove  Benutzer der Prüf- und "
         "Freigabestelle\n"
         "  help [BEFEHL]            zeigt diese Hilfe oder die eines "
         "Befehls\n\n"
         "Optionen:\n"
         "  -c, --config DATEI       weitere Konfigurationsdatei "
         "(wiederholbar),\n"
         "                           über config/bescheid.properties gelegt\n"
         "  -D, --define KEY=WERT    einzelnen Konfigurationswert setzen "
         "(wiederholbar)\n"
         "  -o, --out DIR            Ausgabeverzeichnis (process), PDF-Datei "
         "(form)\n"
         "  -w, --workers N          parallele Arbeitsthreads (process, "
         "Standard 1)\n"
         "      --from-list DATEI    die zu bearbeitenden Dateien, eine je "
         "Zeile (process)\n"
         "      --daemon             im Hintergrund laufen (watch)\n"
         "      --pidfile DATEI      Prozessnummer in DATEI schreiben (watch)\n"
         "      --init               mit leerem Journal beginnen, obwohl schon "
         "Bescheide\n"
         "                           im Ablageordner liegen (watch)\n"
         "      --date DATUM         Stichtag TT.MM.JJJJ oder JJJJ-MM-TT "
         "(deadlines; print: Entscheidungen dieses Tages)\n"
         "      --all                auch Nachforderungen, deren Frist noch "
         "läuft (deadlines)\n"
         "      --from DATUM, --to DATUM  Zeitraum der Entscheidungen "
         "(register)\n"
         "      --since DATUM        Entscheidungen ab diesem Tag (print)\n"
         "      --queue NAME         CUPS-Warteschlange (print)\n"
         "      --dry-run            Druckstapel schreiben, nicht senden "
         "(print)\n"
         "      --reprint            die genannten Aktenzeichen erneut "
         "drucken (print)\n"
         "      --prefill DATEI      Antrag, mit dem das Formular ausgefüllt "
         "wird (form)\n"
         "      --no-barcode         ohne QR-Code der Antragsdaten (form)\n"
         "      --sample-signature   mit Musterunterschrift (form, Tests)\n"
         "      --handwriting        Angaben in Handschrift (form, Tests)\n"
         "      --role ROLLE         sachbearbeitung oder schlusszeichnung "
         "(user add)\n"
         "  -h, --help               Hilfe anzeigen\n"
         "      --version            Version anzeigen\n\n"
         "Exit-Status: 0 alles entschieden bzw. gültig, 1 mindestens eine "
         "Datei\nabgelehnt oder nicht bearbeitet, 2 Aufruf- oder "
         "Konfigurationsfehler.\n";
}

std::string CommandHelp(const std::string& command) {
  if (command == "validate") {
    return "Aufruf: bescheid validate [OPTIONEN] DATEI...\n\n"
           "Prüft jede Datei gegen das Antragsschema (antrag-1.0.xsd) und die\n"
           "Sicherheitsregeln (Größe, Kodierung, kein DOCTYPE). Für jede "
           "ungültige\nDatei steht ein Bericht mit Zeile und Spalte auf der "
           "Standardfehlerausgabe.\nDie Dateien werden nicht verändert.\n\n"
           "Exit-Status: 0 alle gültig, 1 mindestens eine ungültig, 2 Aufruf-\n"
           "oder Konfigurationsfehler.\n";
  }
  if (command == "process") {
    return "Aufruf: bescheid process --out DIR [--workers N] [--config DATEI] "
           "[--define KEY=WERT]... [--from-list LISTE] DATEI...\n\n"
           "Entscheidet die Anträge in der angegebenen Reihenfolge (mit "
           "--from-list\nzuerst die Dateien aus LISTE, eine je Zeile, dann "
           "die übrigen). Jede "
           "Entscheidung\nwird im Journal (store.path) festgehalten, bevor "
           "eine davon abhängige\ngetroffen wird. Mit --workers N werden "
           "Lesen, "
           "Prüfen und Schreiben parallel\nausgeführt; entschieden und "
           "nummeriert wird weiter in der angegebenen\nReihenfolge.\n\n"
           "Ergebnisse in DIR:\n"
           "  <Aktenzeichen>.pdf            Schreiben (Bescheid oder "
           "Nachforderung)\n"
           "  <Aktenzeichen>.decision.xml   Entscheidung (gültiger Antrag)\n"
           "  rejected/<Datei>.error.txt    Begründung (ungültige Datei)\n"
           "  duplicates/<Datei>.txt        Datei war schon entschieden\n"
           "Die Eingabedateien werden nicht verändert oder gelöscht.\n\n"
           "Exit-Status: 0 jede Datei entschieden, 1 mindestens eine "
           "abgelehnt,\ndoppelt oder nicht bearbeitbar, 2 Aufruf- oder "
           "Konfigurationsfehler.\n";
  }
  if (command == "watch") {
    return "Aufruf: bescheid watch [--config DATEI] [--define KEY=WERT]... "
           "[--daemon] [--pidfile DATEI] [--init]\n\n"
           "Überwacht den Ablageordner (watch.root) als Dienst und bearbeitet "
           "jede\nabgelegte Datei genau einmal:\n"
           "  inbox/        hier Anträge ablegen (Unterordner erlaubt)\n"
           "  processing/   in Bearbeitung\n"
           "  outbox/<Datum>/<Aktenzeichen>.pdf und .decision.xml   Bescheide\n"
           "  archive/<Aktenzeichen>/   der Originalantrag\n"
           "  rejected/     abgelehnte Dateien mit <Datei>.error.txt\n"
           "  duplicates/   schon entschiedene Dateien mit <Datei>.txt\n"
           "  review/       gescannte Formulare für die Sachbearbeitung\n\n"
           "Läuft im Vordergrund; SIGTERM/SIGINT beenden nach den laufenden "
           "Dateien,\nSIGHUP lädt Konfiguration und Vorlagen neu. Ein zweiter "
           "Dienst auf demselben\nAblageordner oder Journal startet nicht. "
           "Ist das Journal leer, liegen im\nAblageordner aber schon "
           "Bescheide, startet der Dienst nur mit --init.\n";
  }
  if (command == "preview") {
    return "Aufruf: bescheid preview [--config DATEI] [--define KEY=WERT]... "
           "DATEI\n\n"
           "Entscheidet den Antrag probeweise (ohne Journal, ohne frühere "
           "Bewilligungen)\nund gibt den Text des Schreibens so aus, wie ihn "
           "die Vorlagen ergeben\n(Auszeichnungen siehe docs/letters.md). "
           "Nichts wird gespeichert.\n";
  }
  if (command == "config") {
    return "Aufruf: bescheid config show|check|doc [--config DATEI] "
           "[--define KEY=WERT]...\n\n"
           "show   zeigt jeden Schlüssel mit seinem Wert und woher er kommt\n"
           "       (Datei und Zeile, --define oder eingebauter Standard).\n"
           "check  prüft die Konfiguration, ohne etwas zu starten: Schlüssel, "
           "Werte,\n"
           "       Referenztabelle, Vorlagen und Schriften, Ablageordner und "
           "Journalordner.\n"
           "doc    gibt die Tabelle aller Schlüssel aus "
           "(docs/configuration.md).\n\n"
           "Exit-Status: 0 in Ordnung, 2 Fehler.\n";
  }
  if (command == "deadlines") return DeadlinesHelp();
  if (command == "form") return FormHelp();
  if (command == "register") return RegisterHelp();
  if (command == "print") return PrintHelp();
  if (command == "user") return UserHelp();
  if (command == "help") {
    return "Aufruf: bescheid help [BEFEHL]\n\nZeigt die allgemeine Hilfe oder "
           "die Hilfe zu BEFEHL.\n";
  }
  return "";
}

App::App() { setUnixOptions(true); }

void App::defineOptions(Poco::Util::OptionSet& options) {
  Application::defineOptions(options);
  options.addOption(
      Option("help", "h", "Hilfe").required(false).repeatable(false));
  options.addOption(Option("version", "", "Version").required(false));
  options.addOption(Option("config", "c", "Konfigurationsdatei")
                        .required(false)
                        .repeatable(true)
                        .argument("DATEI"));
  options.addOption(Option("define", "D", "KEY=WERT")
                        .required(false)
                        .repeatable(true)
                        .argument("KEY=WERT"));
  options.addOption(
      Option("out", "o", "Ausgabeverzeichnis").required(false).argument("DIR"));
  options.addOption(
      Option("workers", "w", "Arbeitsthreads").required(false).argument("N"));
  options.addOption(
      Option("from-list", "", "Dateiliste").required(false).argument("DATEI"));
  options.addOption(Option("daemon", "", "im Hintergrund").required(false));
  options.addOption(Option("init", "", "neues Journal").required(false));
  options.addOption(
      Option("pidfile", "", "PID-Datei").required(false).argument("DATEI"));
  options.addOption(
      Option("date", "", "Stichtag").required(false).argument("DATUM"));
  options.addOption(Option("all", "", "alle offenen").required(false));
  options.addOption(
      Option("from", "", "erster Tag").required(false).argument("DATUM"));
  options.addOption(
      Option("to", "", "letzter Tag").required(false).argument("DATUM"));
  options.addOption(
      Option("since", "", "ab Tag").required(false).argument("DATUM"));
  options.addOption(
      Option("queue", "", "Warteschlange").required(false).argument("NAME"));
  options.addOption(Option("dry-run", "", "Probelauf").required(false));
  options.addOption(Option("reprint", "", "Nachdruck").required(false));
  options.addOption(
      Option("prefill", "", "Antrag").required(false).argument("DATEI"));
  options.addOption(Option("no-barcode", "", "ohne QR-Code").required(false));
  options.addOption(
      Option("sample-signature", "", "Musterunterschrift").required(false));
  options.addOption(Option("handwriting", "", "Handschrift").required(false));
  options.addOption(
      Option("role", "", "Rolle").required(false).argument("ROLLE"));
}

void App::handleOption(const std::string& name, const std::string& value) {
  Application::handleOption(name, value);
  if (name == "help") {
    help_ = true;
    stopOptionsProcessing();
  } else if (name == "version") {
    version_ = true;
  } else if (name == "config") {
    config_files_.push_back(value);
  } else if (name == "define") {
    defines_.push_back(value);
  } else if (name == "out") {
    out_dir_ = value;
  } else if (name == "from-list") {
    from_list_ = value;
  } else if (name == "workers") {
    workers_ = std::atoi(value.c_str());
    if (workers_ < 1 || workers_ > 64) {
      throw Poco::InvalidArgumentException(
          "--workers erwartet eine Zahl von 1 bis 64");
    }
  } else if (name == "daemon") {
    daemon_ = true;
  } else if (name == "init") {
    init_ = true;
  } else if (name == "pidfile") {
    pidfile_ = value;
  } else if (name == "date") {
    as_of_ = value;
  } else if (name == "all") {
    all_ = true;
  } else if (name == "from") {
    from_ = value;
  } else if (name == "to") {
    to_ = value;
  } else if (name == "since") {
    print_.since = value;
  } else if (name == "queue") {
    print_.queue = value;
  } else if (name == "dry-run") {
    print_.dry_run = true;
  } else if (name == "reprint") {
    print_.reprint = true;
  } else if (name == "prefill") {
    form_.prefill = value;
  } else if (name == "no-barcode") {
    form_.no_barcode = true;
  } else if (name == "sample-signature") {
    form_.sample_signature = true;
  } else if (name == "handwriting") {
    form_.handwriting = true;
  } else if (name == "role") {
    role_ = value;
  }
}

namespace {

// The repository's configuration when this binary runs from a build tree of
// it (its path lies under the build directory), else "".
std::string SourceTreeConfig() {
  char exe[4096];
  const ssize_t n = ::readlink("/proc/self/exe", exe, sizeof exe - 1);
  if (n <= 0) return "";
  const std::string path(exe, static_cast<size_t>(n));
  const std::string build_dir = BESCHEID_BUILD_DIR "/";
  if (path.compare(0, build_dir.size(), build_dir) != 0) return "";
  return BESCHEID_SOURCE_DIR "/config/bescheid.properties";
}

}  // namespace

// The configuration: the first --config file (else the default file, see
// config::DefaultConfigFile), each further --config over it, each --define
// over those. Unknown keys fail; relative paths are resolved against the
// folder of the file that set them (--define: the working directory).
Result<config::Settings> App::LoadSettings(config::RawConfig* raw_out,
                                           config::Origins* origins_out) {
  std::vector<std::string> more = config_files_;
  std::string base;
  if (!more.empty()) {
    base = more.front();
    more.erase(more.begin());
  } else {
    base = config::DefaultConfigFile(SourceTreeConfig());
  }
  config::Origins origins;
  Result<config::RawConfig> raw =
      config::LoadLayers(base, true, more, defines_, &origins);
  if (!raw.ok()) return raw.status();
  if (Status s = config::CheckKnownKeys(*raw, origins); !s.ok()) return s;
  Result<config::Settings> settings = config::ParseSettings(*raw);
  if (settings.ok()) {
    config::ResolvePaths(Poco::Path::current(), origins, *settings);
  }
  config_file_ = base;
  if (raw_out) *raw_out = *raw;
  if (origins_out) *origins_out = origins;
  return settings;
}

int App::main(const std::vector<std::string>& args) {
  if (version_) {
    std::cout << "bescheid " << BESCHEID_VERSION << "\n";
    return kExitOk;
  }
  if (args.empty()) {
    (help_ ? std::cout : std::cerr) << GeneralHelp();
    return help_ ? kExitOk : kExitUsage;
  }
  const std::string& command = args[0];
  const std::vector<std::string> rest(args.begin() + 1, args.end());
  if (command == "help" || help_) {
    const std::string topic =
        command == "help" ? (rest.empty() ? "" : rest[0]) : command;
    if (topic.empty()) {
      std::cout << GeneralHelp();
      return kExitOk;
    }
    const std::string text = CommandHelp(topic);
    if (text.empty()) {
      std::cerr << "bescheid: unbekannter Befehl '" << topic << "'\n"
                << Usage();
      return kExitUsage;
    }
    std::cout << text;
    return kExitOk;
  }
  if (command == "validate") return Validate(rest);
  if (command == "process") return Process(rest);
  if (command == "watch") return Watch(rest);
  if (command == "preview") return Preview(rest);
  if (command == "config") return Config(rest);
  if (command == "deadlines") return Deadlines(rest);
  if (command == "form") return Form(rest);
  if (command == "register") return Register(rest);
  if (command == "print") return Print(rest);
  if (command == "user") return User(rest);
  std::cerr << "bescheid: unbekannter Befehl '" << command << "'\n"
            << Usage() << "Hilfe: bescheid --help\n";
  return kExitUsage;
}

int App::Validate(const std::vector<std::string>& files) {
  if (files.empty()) return UsageError("validate", "keine Datei angegeben");
  Result<config::Settings> settings = LoadSettings();
  if (!settings.ok()) return StartFailure(settings.status());
  auto reader = xml::ApplicationReader::Create();
  if (!reader.ok()) return StartFailure(reader.status());
  Env* env = DefaultEnv();
  int exit_code = kExitOk;
  for (const std::string& file : files) {
    Result<std::string> bytes = env->ReadFile(file, settings->intake_max_bytes);
    Status status = bytes.ok()
                        ? (*reader)->Read(*bytes, BaseName(file)).status()
                        : bytes.status();
    if (status.ok()) {
      std::cout << file << ": gültig\n";
      continue;
    }
    exit_code = kExitSomeFailed;
    ReportFileProblem(file, status);
  }
  return exit_code;
}

int App::Preview(const std::vector<std::string>& files) {
  if (files.size() != 1) {
    return UsageError("preview", "genau eine Datei angeben");
  }
  Result<config::Settings> settings = LoadSettings();
  if (!settings.ok()) return StartFailure(settings.status());
  Env* env = DefaultEnv();
  Result<core::ReferenceTable> reference = LoadReference(*settings, env);
  auto reader = xml::ApplicationReader::Create();
  auto letters =
      letters::LetterRenderer::Create(pipeline::MakeLetterOptions(*settings));
  for (const Status& s :
       {reference.status(), reader.status(), letters.status()}) {
    if (!s.ok()) {
      std::cerr << "bescheid: " << s.message() << "\n";
      return kExitUsage;
    }
  }
  Result<std::string> bytes =
      env->ReadFile(files[0], settings->intake_max_bytes);
  Result<core::Application> app =
      bytes.ok() ? (*reader)->Read(*bytes, BaseName(files[0]))
                 : Result<core::Application>(bytes.status());
  if (!app.ok()) {
    ReportFileProblem(files[0], app.status());
    return kExitSomeFailed;
  }
  const core::Date today = LocalDate(DocumentTime(env));
  core::Date receipt = today;
  if (app->receipt_date) {
    receipt = *app->receipt_date;
  } else if (auto info = env->Stat(files[0]); info.ok()) {
    receipt = LocalDate(info->mtime_unix);
  }
  const core::Decision decision = core::Decide(
      *app, settings->rules, *reference, core::DecisionInputs{receipt, {}});
  auto text = (*letters)->RenderText(
      {&*app, &decision, settings->aktenzeichen_prefix + "VORSCHAU", today,
       receipt, DocumentTime(env)});
  if (!text.ok()) return StartFailure(text.status());
  std::cout << *text;
  return kExitOk;
}

void App::ConfigureLogging(const config::Settings& settings) {
  Poco::AutoPtr<Poco::PatternFormatter> format(
      new Poco::PatternFormatter("%Y-%m-%d %H:%M:%S.%i %p %t"));
  format->setProperty("times", "local");
  Poco::AutoPtr<Poco::Channel> out;
  if (settings.watch.log_file.empty()) {
    out = new Poco::ConsoleChannel(std::cout);
  } else {
    auto* file = new Poco::FileChannel(settings.watch.log_file);
    file->setProperty("rotation", "daily");
    file->setProperty("archive", "timestamp");
    file->setProperty("purgeCount", "30");
    out = file;
  }
  Poco::AutoPtr<Poco::FormattingChannel> channel(
      new Poco::FormattingChannel(format, out));
  logger().setChannel(channel);
  logger().setLevel(settings.watch.log_level);
}

}  // namespace bescheid::cli
