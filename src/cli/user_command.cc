// `bescheid user`: the review station's users (http.users-file): add one
// with a role, set a new password, list, remove. Passwords are read from
// the terminal without echo, or as one line from standard input when it is
// not a terminal (scripts); they never appear on the command line.
#include <termios.h>
#include <unistd.h>

#include <iostream>
#include <optional>
#include <string>

#include "cli/app.h"
#include "cli/common.h"
#include "review/users.h"

namespace bescheid::cli {
namespace {

// Turns terminal echo off while it lives.
class NoEcho {
 public:
  NoEcho() {
    if (::tcgetattr(STDIN_FILENO, &saved_) != 0) return;
    termios quiet = saved_;
    quiet.c_lflag &= ~static_cast<tcflag_t>(ECHO);
    active_ = ::tcsetattr(STDIN_FILENO, TCSAFLUSH, &quiet) == 0;
  }
  ~NoEcho() {
    if (active_) ::tcsetattr(STDIN_FILENO, TCSAFLUSH, &saved_);
  }
  NoEcho(const NoEcho&) = delete;
  NoEcho& operator=(const NoEcho&) = delete;

 private:
  termios saved_{};
  bool active_ = false;
};

std::optional<std::string> ReadLine(const std::string& prompt, bool tty) {
  std::string line;
  if (tty) {
    std::cerr << prompt << std::flush;
    NoEcho quiet;
    if (!std::getline(std::cin, line)) return std::nullopt;
    std::cerr << "\n";
  } else if (!std::getline(std::cin, line)) {
    return std::nullopt;
  }
  if (!line.empty() && line.back() == '\r') line.pop_back();
  return line;
}

// The new password: typed twice on a terminal, else one line of stdin.
std::optional<std::string> NewPassword(const std::string& name) {
  const bool tty = ::isatty(STDIN_FILENO) == 1;
  std::optional<std::string> first =
      ReadLine("Neues Passwort für " + name + ": ", tty);
  if (!first) {
    std::cerr << "bescheid user: kein Passwort gelesen (eine Zeile auf der "
                 "Standardeingabe oder am Terminal).\n";
    return std::nullopt;
  }
  if (tty) {
    std::optional<std::string> second = ReadLine("Passwort wiederholen: ", tty);
    if (!second || *second != *first) {
      std::cerr << "bescheid user: Die Passwörter stimmen nicht überein; "
                   "nichts geändert.\n";
      return std::nullopt;
    }
  }
  return first;
}

int Report(const Status& s, const std::string& done) {
  if (s.ok()) {
    std::cout << done << "\n";
    return kExitOk;
  }
  std::cerr << "bescheid user: " << s.message() << "\n";
  return s.code() == StatusCode::kInvalidInput ? kExitSomeFailed : kExitUsage;
}

}  // namespace

std::string UserHelp() {
  return "Aufruf: bescheid user add NAME --role sachbearbeitung|"
         "schlusszeichnung\n"
         "       bescheid user passwd NAME\n"
         "       bescheid user list\n"
         "       bescheid user remove NAME\n\n"
         "Verwaltet die Benutzer der Prüf- und Freigabestelle (Webseiten des "
         "Dienstes,\nsiehe docs/station.md) in der Datei http.users-file "
         "(Standard: users im\nOrdner des Journals). Das Passwort (mindestens "
         "10 Zeichen) wird am Terminal\nohne Anzeige zweimal abgefragt oder, "
         "wenn die Standardeingabe kein Terminal\nist, als eine Zeile von "
         "dort gelesen. Gespeichert wird nur ein gesalzener\nHash "
         "(PBKDF2-HMAC-SHA256, 600.000 Runden); die Datei hat die Rechte "
         "0600.\nEin laufender Dienst übernimmt Änderungen sofort.\n\n"
         "Rollen: sachbearbeitung prüft und korrigiert Fälle; "
         "schlusszeichnung gibt\naußerdem Schreiben frei (nie die eines "
         "Falls, den sie selbst korrigiert hat).\n\n"
         "Exit-Status: 0 erledigt, 1 abgelehnt (Name vergeben oder unbekannt, "
         "Passwort\nzu kurz), 2 Aufruf- oder Konfigurationsfehler.\n";
}

int App::User(const std::vector<std::string>& args) {
  const std::string action = args.empty() ? "" : args[0];
  const size_t wanted = action == "list" ? 1 : 2;
  if ((action != "add" && action != "passwd" && action != "list" &&
       action != "remove") ||
      args.size() != wanted || (action == "add") != role_.has_value()) {
    return UsageError("user", action == "add" && !role_
                                  ? "--role fehlt"
                                  : "unerwartete Argumente");
  }
  std::optional<review::Role> role;
  if (role_ && !(role = review::ParseRole(*role_))) {
    std::cerr << "bescheid user: --role '" << *role_
              << "' gibt es nicht; erlaubt sind sachbearbeitung und "
                 "schlusszeichnung.\n";
    return kExitUsage;
  }
  Result<config::Settings> settings = LoadSettings();
  if (!settings.ok()) return StartFailure(settings.status());
  auto users = review::UserStore::Open(settings->http.users_file);
  if (!users.ok()) return StartFailure(users.status());
  if (action == "list") {
    for (const review::User& u : (*users)->List()) {
      std::cout << u.name << "  " << review::RoleName(u.role) << "\n";
    }
    return kExitOk;
  }
  const std::string& name = args[1];
  if (action == "remove") {
    return Report((*users)->Remove(name), "Benutzer " + name + " entfernt.");
  }
  if (std::string p = review::UserNameProblem(name); !p.empty()) {
    return Report(InvalidInput(p), "");
  }
  std::optional<std::string> password = NewPassword(name);
  if (!password) return kExitSomeFailed;
  if (action == "add") {
    return Report((*users)->Add(name, *role, *password),
                  "Benutzer " + name + " (" + review::RoleName(*role) +
                      ") angelegt in " + (*users)->path() + ".");
  }
  return Report((*users)->SetPassword(name, *password),
                "Passwort von " + name + " geändert.");
}

}  // namespace bescheid::cli
