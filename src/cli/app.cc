#include "cli/app.h"

#include <Poco/Util/Option.h>
#include <Poco/Util/OptionSet.h>

#include <chrono>
#include <iostream>

#include "env/env.h"
#include "letters/letter.h"
#include "pipeline/pipeline.h"
#include "store/journal.h"
#include "xml/application_reader.h"

#ifndef BESCHEID_VERSION
#define BESCHEID_VERSION "0.0.0"
#endif

namespace bescheid::cli {
namespace {

using Poco::Util::Option;

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
         "  help [BEFEHL]            zeigt diese Hilfe oder die eines "
         "Befehls\n\n"
         "Optionen:\n"
         "  -c, --config DATEI       weitere Konfigurationsdatei "
         "(wiederholbar),\n"
         "                           über config/bescheid.properties gelegt\n"
         "  -D, --define KEY=WERT    einzelnen Konfigurationswert setzen "
         "(wiederholbar)\n"
         "  -o, --out DIR            Ausgabeverzeichnis (process)\n"
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
    return "Aufruf: bescheid process --out DIR [--config DATEI] "
           "[--define KEY=WERT]... DATEI...\n\n"
           "Entscheidet die Anträge in der angegebenen Reihenfolge. Jede "
           "Entscheidung\nwird im Journal (store.path) festgehalten, bevor "
           "die nächste getroffen wird.\n\n"
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
  }
}

Result<config::Settings> App::LoadSettings() {
  Result<config::RawConfig> raw = config::LoadLayers(
      config::kDefaultConfigFile, false, config_files_, defines_);
  if (!raw.ok()) return raw.status();
  for (const std::string& key : config::UnknownKeys(*raw)) {
    logger().warning("unknown configuration key '" + key +
                     "' (typo?); it is ignored");
  }
  return config::ParseSettings(*raw);
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
  std::cerr << "bescheid: unbekannter Befehl '" << command << "'\n"
            << Usage() << "Hilfe: bescheid --help\n";
  return kExitUsage;
}

int App::Validate(const std::vector<std::string>& files) {
  if (files.empty()) {
    std::cerr << "bescheid validate: keine Datei angegeben\n"
              << CommandHelp("validate");
    return kExitUsage;
  }
  Result<config::Settings> settings = LoadSettings();
  if (!settings.ok()) {
    std::cerr << "bescheid: " << settings.status().message() << "\n";
    return kExitUsage;
  }
  auto reader = xml::ApplicationReader::Create();
  if (!reader.ok()) {
    std::cerr << "bescheid: " << reader.status().message() << "\n";
    return kExitUsage;
  }
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
    if (status.code() == StatusCode::kInvalidInput) {
      std::cerr << file << ":\n" << status.message() << "\n";
    } else {
      std::cerr << file << ": Datei kann nicht gelesen werden ("
                << status.message() << ")\n";
    }
  }
  return exit_code;
}

int App::Process(const std::vector<std::string>& files) {
  if (!out_dir_ || files.empty()) {
    std::cerr << "bescheid process: "
              << (!out_dir_ ? "--out DIR fehlt" : "keine Datei angegeben")
              << "\n"
              << CommandHelp("process");
    return kExitUsage;
  }
  Result<config::Settings> settings = LoadSettings();
  if (!settings.ok()) {
    std::cerr << "bescheid: " << settings.status().message() << "\n";
    return kExitUsage;
  }
  Env* env = DefaultEnv();
  Result<std::string> csv = env->ReadFile(settings->reference_path, 64u << 20);
  if (!csv.ok()) {
    std::cerr << "bescheid: Referenztabelle (reference.gemeinden) kann nicht "
                 "gelesen werden: "
              << csv.status().message() << "\n";
    return kExitUsage;
  }
  Result<core::ReferenceTable> reference = core::ReferenceTable::ParseCsv(*csv);
  if (!reference.ok()) {
    std::cerr << "bescheid: " << settings->reference_path << ": "
              << reference.status().message() << "\n";
    return kExitUsage;
  }
  auto reader = xml::ApplicationReader::Create();
  if (!reader.ok()) {
    std::cerr << "bescheid: " << reader.status().message() << "\n";
    return kExitUsage;
  }
  auto journal = store::OpenSqliteJournal(settings->store_path);
  if (!journal.ok()) {
    std::cerr << "bescheid: " << journal.status().message() << "\n";
    return kExitUsage;
  }
  Status dir = env->CreateDirs(*out_dir_);
  if (!dir.ok()) {
    std::cerr << "bescheid: Ausgabeverzeichnis: " << dir.message() << "\n";
    return kExitUsage;
  }

  auto letters =
      letters::LetterRenderer::Create(pipeline::MakeLetterOptions(*settings));
  if (!letters.ok()) {
    std::cerr << "bescheid: " << letters.status().message() << "\n";
    return kExitUsage;
  }

  pipeline::Pipeline pipe(*settings, &*reference, reader->get(), journal->get(),
                          letters->get(), env);
  pipeline::DirectorySink sink(*out_dir_, env);
  int exit_code = kExitOk;
  for (const std::string& file : files) {
    const auto start = std::chrono::steady_clock::now();
    pipeline::Outcome o = pipe.Process(file, sink);
    const auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(
                        std::chrono::steady_clock::now() - start)
                        .count();
    std::string line =
        "file=" + file + " outcome=" + pipeline::ToString(o.kind);
    if (!o.aktenzeichen.empty()) line += " aktenzeichen=" + o.aktenzeichen;
    if (o.kind == pipeline::Outcome::Kind::kDecided) {
      line += std::string(" decision=") + core::ToString(o.decision);
    }
    line += " ms=" + std::to_string(ms);
    switch (o.kind) {
      case pipeline::Outcome::Kind::kDecided:
        if (o.warning.empty()) {
          logger().information(line);
        } else {
          logger().warning(line + " warning=" + o.warning);
        }
        break;
      case pipeline::Outcome::Kind::kRejected:
        logger().warning(line);
        std::cerr << o.message << "\n";
        exit_code = kExitSomeFailed;
        break;
      case pipeline::Outcome::Kind::kDuplicate:
        logger().warning(line);
        exit_code = kExitSomeFailed;
        break;
      case pipeline::Outcome::Kind::kFailed:
        logger().error(line + " error=" + o.message);
        exit_code = kExitSomeFailed;
        break;
    }
  }
  return exit_code;
}

}  // namespace bescheid::cli
