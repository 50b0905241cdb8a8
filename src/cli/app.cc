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

#include "daemon/watcher.h"
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

// Reports a problem that keeps a command from starting (configuration,
// reference table, templates, journal) and returns the exit code for it.
int StartFailure(const Status& status) {
  std::cerr << "bescheid: " << status.message() << "\n";
  return kExitUsage;
}

// The reference table named by `reference.gemeinden`; errors name the key
// and the file.
Result<core::ReferenceTable> LoadReference(const config::Settings& settings,
                                           Env* env) {
  Result<std::string> csv = env->ReadFile(settings.reference_path, 64u << 20);
  if (!csv.ok()) {
    return ConfigError(
        "Referenztabelle (reference.gemeinden) '" + settings.reference_path +
        "' kann nicht gelesen werden: " + csv.status().message());
  }
  Result<core::ReferenceTable> table = core::ReferenceTable::ParseCsv(*csv);
  if (!table.ok()) {
    return ConfigError(settings.reference_path + ": " +
                       table.status().message());
  }
  return table;
}

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
         "  help [BEFEHL]            zeigt diese Hilfe oder die eines "
         "Befehls\n\n"
         "Optionen:\n"
         "  -c, --config DATEI       weitere Konfigurationsdatei "
         "(wiederholbar),\n"
         "                           über config/bescheid.properties gelegt\n"
         "  -D, --define KEY=WERT    einzelnen Konfigurationswert setzen "
         "(wiederholbar)\n"
         "  -o, --out DIR            Ausgabeverzeichnis (process)\n"
         "  -w, --workers N          parallele Arbeitsthreads (process, "
         "Standard 1)\n"
         "      --daemon             im Hintergrund laufen (watch)\n"
         "      --pidfile DATEI      Prozessnummer in DATEI schreiben (watch)\n"
         "      --init               mit leerem Journal beginnen, obwohl schon "
         "Bescheide\n"
         "                           im Ablageordner liegen (watch)\n"
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
           "[--define KEY=WERT]... DATEI...\n\n"
           "Entscheidet die Anträge in der angegebenen Reihenfolge. Jede "
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
  options.addOption(Option("daemon", "", "im Hintergrund").required(false));
  options.addOption(Option("init", "", "neues Journal").required(false));
  options.addOption(
      Option("pidfile", "", "PID-Datei").required(false).argument("DATEI"));
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
  } else if (name == "workers") {
    workers_ = std::atoi(value.c_str());
    if (workers_ < 1 || workers_ > 64) {
      throw Poco::InvalidArgumentException("--workers erwartet 1 bis 64");
    }
  } else if (name == "daemon") {
    daemon_ = true;
  } else if (name == "init") {
    init_ = true;
  } else if (name == "pidfile") {
    pidfile_ = value;
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
  if (command == "watch") return Watch(rest);
  if (command == "preview") return Preview(rest);
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
  if (!settings.ok()) return StartFailure(settings.status());
  Env* env = DefaultEnv();
  Result<core::ReferenceTable> reference = LoadReference(*settings, env);
  if (!reference.ok()) return StartFailure(reference.status());
  auto reader = xml::ApplicationReader::Create();
  if (!reader.ok()) return StartFailure(reader.status());
  auto journal = store::OpenSqliteJournal(settings->store_path);
  if (!journal.ok()) return StartFailure(journal.status());
  Status dir = env->CreateDirs(*out_dir_);
  if (!dir.ok()) {
    std::cerr << "bescheid: Ausgabeverzeichnis: " << dir.message() << "\n";
    return kExitUsage;
  }

  auto letters =
      letters::LetterRenderer::Create(pipeline::MakeLetterOptions(*settings));
  if (!letters.ok()) return StartFailure(letters.status());

  pipeline::Pipeline pipe(*settings, &*reference, reader->get(), journal->get(),
                          letters->get(), env);
  pipeline::DirectorySink sink(*out_dir_, env);

  // One renderer per worker (libharu documents are not thread-safe); the
  // first is the one created above.
  std::vector<std::unique_ptr<letters::LetterRenderer>> renderers;
  renderers.push_back(std::move(letters).value());
  for (int i = 1; i < workers_; ++i) {
    auto r =
        letters::LetterRenderer::Create(pipeline::MakeLetterOptions(*settings));
    if (!r.ok()) {
      std::cerr << "bescheid: " << r.status().message() << "\n";
      return kExitUsage;
    }
    renderers.push_back(std::move(r).value());
  }
  std::atomic<size_t> next{0};
  std::atomic<int> exit_code{kExitOk};
  std::mutex report_mu;
  auto work = [&](letters::LetterRenderer* renderer) {
    for (size_t i = next++; i < files.size(); i = next++) {
      const std::string& file = files[i];
      const auto start = std::chrono::steady_clock::now();
      pipeline::Outcome o = pipe.Process(file, sink, renderer, i);
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
      std::lock_guard<std::mutex> lock(report_mu);
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
        case pipeline::Outcome::Kind::kDeferred:  // not without sequences
          logger().error(line + " error=" + o.message);
          exit_code = kExitSomeFailed;
          break;
      }
    }
  };
  std::vector<std::thread> threads;
  for (int i = 1; i < workers_; ++i) {
    threads.emplace_back(work, renderers[static_cast<size_t>(i)].get());
  }
  work(renderers[0].get());
  for (auto& t : threads) t.join();
  return exit_code;
}

int App::Preview(const std::vector<std::string>& files) {
  if (files.size() != 1) {
    std::cerr << "bescheid preview: genau eine Datei angeben\n"
              << CommandHelp("preview");
    return kExitUsage;
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
    std::cerr << app.status().message() << "\n";
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

// Everything one configuration of the service needs; rebuilt on SIGHUP.
struct Service {
  core::ReferenceTable reference;
  std::unique_ptr<xml::ApplicationReader> reader;
  std::unique_ptr<store::Journal> journal;
  std::unique_ptr<pipeline::Pipeline> pipeline;
  std::unique_ptr<daemon::Watcher> watcher;
};

namespace {

// Writes this process's id to `path` atomically (a reader never sees a
// partial file) and removes it when destroyed.
class PidFile {
 public:
  Status Write(const std::string& path) {
    Status s =
        DefaultEnv()->WriteFileAtomic(path, std::to_string(::getpid()) + "\n");
    if (s.ok()) path_ = path;
    return s;
  }
  ~PidFile() {
    if (path_) ::unlink(path_->c_str());
  }

 private:
  std::optional<std::string> path_;
};

// The reason the service must stop (set by a watcher thread, which then
// sends SIGUSR2 to the process; read by the main thread after sigwait).
std::mutex fatal_mu;
std::string fatal_reason;

void RaiseFatal(const std::string& reason) {
  {
    std::lock_guard<std::mutex> lock(fatal_mu);
    fatal_reason = reason;
  }
  ::kill(::getpid(), SIGUSR2);
}

}  // namespace

Result<std::unique_ptr<Service>> App::StartService(const config::Settings& s) {
  ConfigureLogging(s);
  Env* env = DefaultEnv();
  auto svc = std::make_unique<Service>();
  auto reference = LoadReference(s, env);
  if (!reference.ok()) return reference.status();
  svc->reference = std::move(reference).value();
  auto reader = xml::ApplicationReader::Create();
  if (!reader.ok()) return reader.status();
  svc->reader = std::move(reader).value();
  auto journal = store::OpenSqliteJournal(s.store_path);
  if (!journal.ok()) return journal.status();
  svc->journal = std::move(journal).value();
  svc->pipeline = std::make_unique<pipeline::Pipeline>(
      s, &svc->reference, svc->reader.get(), svc->journal.get(), nullptr, env);
  svc->watcher = std::make_unique<daemon::Watcher>(
      s, svc->pipeline.get(), svc->journal.get(), env, &logger());
  svc->watcher->SetFatalHandler(RaiseFatal);
  Status st = svc->watcher->Start(daemon::StartOptions{init_});
  if (!st.ok()) return st;
  return svc;
}

// Runs the watcher until SIGTERM or SIGINT; SIGHUP reloads configuration,
// reference table and templates (a bad new configuration is logged and the
// running one kept); SIGUSR2 (from a watcher thread) ends it with exit 1.
// The signals are blocked before any thread starts and taken with sigwait
// here, so no worker is ever interrupted by one. A stop that does not
// finish within watch.shutdown-seconds ends the process at once (_Exit):
// threads still in flight must not outlive main().
int App::Watch(const std::vector<std::string>& args) {
  if (!args.empty()) {
    std::cerr << "bescheid watch: unerwartetes Argument '" << args[0] << "'\n"
              << CommandHelp("watch");
    return kExitUsage;
  }
  const std::string cwd = Poco::Path::current();
  auto load = [&]() -> Result<config::Settings> {
    Result<config::Settings> s = LoadSettings();
    if (s.ok()) config::ResolvePaths(cwd, *s);
    return s;
  };
  Result<config::Settings> settings = load();
  if (!settings.ok()) return StartFailure(settings.status());

  sigset_t signals;
  sigemptyset(&signals);
  for (int sig : {SIGINT, SIGTERM, SIGHUP, SIGQUIT, SIGUSR2}) {
    sigaddset(&signals, sig);
  }
  pthread_sigmask(SIG_BLOCK, &signals, nullptr);

  if (daemon_ && ::daemon(1, 0) != 0) {
    std::cerr << "bescheid: kann nicht in den Hintergrund wechseln\n";
    return kExitUsage;
  }
  auto service = StartService(*settings);
  if (!service.ok()) {
    logger().critical("cannot start: " + service.status().message());
    std::cerr << "bescheid: " << service.status().message() << "\n";
    return kExitUsage;
  }
  PidFile pidfile;
  if (pidfile_) {
    if (Status s = pidfile.Write(*pidfile_); !s.ok()) {
      logger().critical("cannot write the PID file: " + s.message());
      std::cerr << "bescheid: PID-Datei " << *pidfile_
                << " kann nicht geschrieben werden\n";
      StopOrExit(**service, settings->watch.shutdown_seconds);
      return kExitUsage;
    }
  }
  logger().information("bescheid " BESCHEID_VERSION " watching " +
                       settings->watch.root + " (pid " +
                       std::to_string(::getpid()) + ")");
  while (true) {
    int sig = 0;
    if (sigwait(&signals, &sig) != 0) continue;
    if (sig == SIGHUP) {
      if (!Reload(load, settings, service)) return 1;
      continue;
    }
    if (sig == SIGUSR2) {
      std::lock_guard<std::mutex> lock(fatal_mu);
      logger().critical("stopping: " + fatal_reason);
    } else {
      logger().information(std::string("signal ") + strsignal(sig) +
                           ": finishing files in flight");
    }
    StopOrExit(**service, settings->watch.shutdown_seconds);
    service->reset();
    logger().information("stopped");
    return sig == SIGUSR2 ? 1 : kExitOk;
  }
}

void App::StopOrExit(Service& service, int seconds) {
  if (service.watcher->Stop(seconds)) return;
  logger().error(
      "files in flight did not finish within watch.shutdown-seconds; they "
      "stay in processing/ and are finished at next start");
  std::cout.flush();
  std::_Exit(1);
}

bool App::Reload(const std::function<Result<config::Settings>()>& load,
                 Result<config::Settings>& settings,
                 Result<std::unique_ptr<Service>>& service) {
  logger().information("SIGHUP: reloading configuration and templates");
  Result<config::Settings> next = load();
  if (!next.ok()) {
    logger().error("reload failed, keeping the running configuration: " +
                   next.status().message());
    return true;
  }
  StopOrExit(**service, settings->watch.shutdown_seconds);
  service->reset();
  auto restarted = StartService(*next);
  if (!restarted.ok()) {
    logger().error("reload failed (" + restarted.status().message() +
                   "); restarting with the previous configuration");
    restarted = StartService(*settings);
    if (!restarted.ok()) {
      logger().critical("cannot restart: " + restarted.status().message());
      return false;
    }
  } else {
    settings = std::move(next);
  }
  service = std::move(restarted);
  return true;
}

}  // namespace bescheid::cli
