// `bescheid watch`: the watcher as a service, its signals, reloads and
// start-up reporting.
#include <Poco/Path.h>
#include <fcntl.h>
#include <signal.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <iostream>
#include <mutex>
#include <optional>

#include "cli/app.h"
#include "cli/common.h"
#include "daemon/station_backend.h"
#include "daemon/watcher.h"
#include "env/env.h"
#include "pipeline/ocr_scan_reader.h"
#include "pipeline/pipeline.h"
#include "print/service.h"
#include "review/http_server.h"
#include "review/users.h"
#include "store/journal.h"
#include "xml/application_reader.h"

#ifndef BESCHEID_VERSION
#define BESCHEID_VERSION "0.0.0"
#endif

namespace bescheid::cli {

// Everything one configuration of the service needs; rebuilt on SIGHUP.
struct Service {
  core::ReferenceTable reference;
  std::unique_ptr<xml::ApplicationReader> reader;
  forms::FormLayout layout;  // read by every worker's scan reader
  std::unique_ptr<store::Journal> journal;
  std::unique_ptr<pipeline::Pipeline> pipeline;
  std::unique_ptr<daemon::Watcher> watcher;
  // The review station's view of the service (docs/release.md); destroyed
  // before the watcher it uses.
  std::unique_ptr<daemon::StationBackend> station;
  // The station's users and web server (http.*); destroyed, and so
  // stopped, before the backend they serve. Null with http.enabled=false.
  std::unique_ptr<review::UserStore> users;
  std::unique_ptr<review::HttpServer> http;
  // print.mode batch or immediate; declared last, so stopped first.
  std::unique_ptr<print::PrintService> printer;
};

namespace {

// How `watch` tells whoever started it whether the service came up. In the
// foreground, failures go to stderr. With --daemon the process forks: the
// parent waits on a pipe until the child reports that the service started
// (the parent exits 0) or why it did not (the parent prints the reason and
// exits 2), so every start error reaches the terminal before detaching.
class StartReport {
 public:
  StartReport() = default;
  StartReport(const StartReport&) = delete;
  StartReport& operator=(const StartReport&) = delete;
  ~StartReport() {
    if (fd_ >= 0) ::close(fd_);
  }

  // Forks. Returns the exit code in the parent; nullopt in the child (which
  // runs in a new session), or nullopt with a failure reported if the fork
  // failed (then the service runs in the foreground).
  std::optional<int> Detach() {
    int fds[2];
    if (::pipe2(fds, O_CLOEXEC) != 0) return std::nullopt;
    const pid_t child = ::fork();
    if (child < 0) {
      ::close(fds[0]);
      ::close(fds[1]);
      return std::nullopt;
    }
    if (child > 0) {
      ::close(fds[1]);
      return AwaitChild(fds[0]);
    }
    ::close(fds[0]);
    fd_ = fds[1];
    ::setsid();
    return std::nullopt;
  }

  // The service runs: releases the waiting parent and, when detached,
  // leaves the terminal.
  void Started() {
    if (fd_ < 0) return;
    (void)!::write(fd_, "O", 1);
    ::close(fd_);
    fd_ = -1;
    const int null = ::open("/dev/null", O_RDWR | O_CLOEXEC);
    if (null >= 0) {
      for (int std_fd : {0, 1, 2}) ::dup2(null, std_fd);
      ::close(null);
    }
  }

  // The service did not start: says why and returns the exit code.
  int Failed(const std::string& message) {
    if (fd_ >= 0) {
      const std::string m = "E" + message;
      (void)!::write(fd_, m.data(), m.size());
      ::close(fd_);
      fd_ = -1;
    } else {
      std::cerr << "bescheid: " << message << "\n";
    }
    return kExitUsage;
  }

 private:
  static int AwaitChild(int fd) {
    std::string got;
    char buf[4096];
    ssize_t n;
    while ((n = ::read(fd, buf, sizeof buf)) != 0) {
      if (n < 0 && errno == EINTR) continue;
      if (n < 0) break;
      got.append(buf, static_cast<size_t>(n));
    }
    ::close(fd);
    if (!got.empty() && got[0] == 'O') return kExitOk;
    std::cerr << "bescheid: "
              << (got.size() > 1 ? got.substr(1)
                                 : std::string("der Dienst ist beim Start "
                                               "abgebrochen; Einzelheiten im "
                                               "Protokoll (log.file)"))
              << "\n";
    return kExitUsage;
  }

  int fd_ = -1;  // the child's end of the pipe while it reports
};

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

// Starts the review station's web server (docs/station.md) on the running
// watcher's backend, unless http.enabled=false. Fails (German) when the
// users file cannot be read or the address cannot be bound.
Status StartStationServer(const config::Settings& s, Service& svc,
                          Poco::Logger& log) {
  if (!s.http.enabled) return Status::Ok();
  auto users = review::UserStore::Open(s.http.users_file);
  if (!users.ok()) return users.status();
  svc.users = std::move(users).value();
  review::ServerHooks hooks;
  hooks.log = [&log](const std::string& line) {
    log.warning("station: " + line);
  };
  auto server = review::HttpServer::Start(s.http, svc.station.get(),
                                          svc.users.get(), std::move(hooks));
  if (!server.ok()) return server.status();
  svc.http = std::move(server).value();
  log.information("review station listening on http://" + s.http.address + ":" +
                  std::to_string(svc.http->port()) + "/");
  return Status::Ok();
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
  auto layout = pipeline::LoadFormLayout(s, env);
  if (!layout.ok()) return layout.status();
  svc->layout = std::move(layout).value();
  auto journal = store::OpenSqliteJournal(s.store_path);
  if (!journal.ok()) return journal.status();
  svc->journal = std::move(journal).value();
  svc->pipeline = std::make_unique<pipeline::Pipeline>(
      s, &svc->reference, svc->reader.get(), svc->journal.get(), nullptr, env);
  svc->watcher = std::make_unique<daemon::Watcher>(
      s, svc->pipeline.get(), svc->journal.get(), env, &logger());
  svc->watcher->SetFatalHandler(RaiseFatal);
  const forms::FormLayout* form = &svc->layout;
  svc->station = std::make_unique<daemon::StationBackend>(
      s, svc->pipeline.get(), svc->watcher.get(), svc->journal.get(), env,
      form);
  svc->watcher->SetOutcomeObserver(svc->station->Observer());
  svc->watcher->SetScanReaderFactory(svc->station->MeteredReaders(
      [&s, form] { return pipeline::OcrScanReader::Create(s, form); }));
  Status st = svc->watcher->Start(daemon::StartOptions{init_});
  if (!st.ok()) return st;
  st = StartStationServer(s, *svc, logger());
  if (!st.ok()) {
    StopOrExit(*svc, s.watch.shutdown_seconds);
    return st;
  }
  logger().information(std::string("release.mode=") + s.release.mode +
                       (s.release.manual()
                            ? ": letters wait in entwurf/ for release"
                            : ": letters go straight to outbox/"));
  if (Status p = StartPrinting(s, *svc); !p.ok()) {
    StopOrExit(*svc, s.watch.shutdown_seconds);
    return p;
  }
  return svc;
}

// print.mode batch or immediate: the service prints (docs/printing.md).
Status App::StartPrinting(const config::Settings& s, Service& svc) {
  const print::PrintMode mode =
      print::ParsePrintMode(s.print.mode).value_or(print::PrintMode::kOff);
  if (mode == print::PrintMode::kOff) return Status();
  if (s.print.queue.empty()) {
    return ConfigError("print.mode=" + s.print.mode +
                       " braucht eine Druckerwarteschlange: bitte print.queue "
                       "setzen.");
  }
  auto writer = letters::PdfWriter::Create(
      s.letters.font_regular, s.letters.font_bold, s.letters.icc_profile);
  if (!writer.ok()) return writer.status();
  print::ServiceOptions options;
  options.mode = mode;
  options.batch_minute = s.print.batch_minute;
  options.watch_root = s.watch.root;
  options.queue = s.print.queue;
  Poco::Logger* log = &logger();
  svc.printer = std::make_unique<print::PrintService>(
      DefaultEnv(), svc.journal.get(), std::move(writer).value(),
      &svc.reference, print::ConnectCups,
      [log](bool error, const std::string& line) {
        if (error) {
          log->error(line);
        } else {
          log->information(line);
        }
      },
      options);
  svc.printer->Start();
  return Status();
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
    return UsageError("watch", "unerwartetes Argument '" + args[0] + "'");
  }
  auto load = [&]() -> Result<config::Settings> { return LoadSettings(); };
  Result<config::Settings> settings = load();
  if (!settings.ok()) return StartFailure(settings.status());

  sigset_t signals;
  sigemptyset(&signals);
  for (int sig : {SIGINT, SIGTERM, SIGHUP, SIGQUIT, SIGUSR2}) {
    sigaddset(&signals, sig);
  }
  pthread_sigmask(SIG_BLOCK, &signals, nullptr);

  StartReport report;
  if (daemon_) {
    if (std::optional<int> parent = report.Detach()) return *parent;
  }
  auto service = StartService(*settings);
  if (!service.ok()) {
    logger().critical("cannot start: " + service.status().message());
    return report.Failed(service.status().message());
  }
  PidFile pidfile;
  if (pidfile_) {
    if (Status s = pidfile.Write(*pidfile_); !s.ok()) {
      logger().critical("cannot write the PID file: " + s.message());
      StopOrExit(**service, settings->watch.shutdown_seconds);
      return report.Failed("PID-Datei " + *pidfile_ +
                           " kann nicht geschrieben werden (" + s.message() +
                           ")");
    }
  }
  report.Started();
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
  if (service.http) service.http->Stop();  // no page asks a stopping service
  if (service.printer) service.printer->Stop();
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
