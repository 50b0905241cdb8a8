// End-to-end tests of the `bescheid` binary, run from the source tree as a
// new user would run it.
#include <gtest/gtest.h>
#include <pty.h>
#include <sys/wait.h>
#include <unistd.h>

#include <filesystem>

#include "test_util.h"

namespace bescheid {
namespace {

using bescheid::testing::CommandResult;
using bescheid::testing::ReadFileOrDie;
using bescheid::testing::RunCommand;
using bescheid::testing::SourcePath;
using bescheid::testing::TempDir;
using bescheid::testing::WriteFileOrDie;
namespace fs = std::filesystem;

// 2018-01-22 12:00 UTC: the date decisions are stamped with (the demo date:
// after the count date and after every example's receipt, inside the
// configured decision period).
constexpr char kEpoch[] = "SOURCE_DATE_EPOCH=1516622400";

CommandResult Bescheid(const std::string& args) {
  return RunCommand("cd '" + std::string(BESCHEID_SOURCE_DIR) + "' && " +
                    kEpoch + " TZ=Europe/Berlin '" + BESCHEID_BINARY + "' " +
                    args);
}

std::vector<std::string> Examples() {
  std::vector<std::string> files;
  for (const auto& e : fs::directory_iterator(SourcePath("examples"))) {
    if (e.path().extension() == ".xml") files.push_back(e.path().string());
  }
  std::sort(files.begin(), files.end());
  return files;
}

std::string Join(const std::vector<std::string>& v) {
  std::string s;
  for (const auto& x : v) s += " '" + x + "'";
  return s;
}

TEST(CliTest, ProcessMatchesGoldenDecisionRecords) {
  TempDir dir;
  const auto examples = Examples();
  ASSERT_EQ(examples.size(), 8u);
  CommandResult r =
      Bescheid("process --out '" + dir.path() + "' --define store.path='" +
               (dir / "j.sqlite") + "'" + Join(examples));
  ASSERT_EQ(r.exit_code, 0) << r.out;
  int compared = 0;
  for (const auto& e : fs::directory_iterator(SourcePath("tests/golden"))) {
    const std::string name = e.path().filename().string();
    ASSERT_TRUE(fs::exists(dir / name)) << name << "\n" << r.out;
    EXPECT_EQ(ReadFileOrDie(dir / name), ReadFileOrDie(e.path().string()))
        << name;
    ++compared;
  }
  EXPECT_EQ(compared, 8);
  // Every decision has its letter beside the record.
  for (int n = 1; n <= 8; ++n) {
    const std::string pdf =
        dir / ("RPS15-IM-2017-0000" + std::to_string(n) + ".pdf");
    ASSERT_TRUE(fs::exists(pdf)) << pdf;
    EXPECT_EQ(ReadFileOrDie(pdf).rfind("%PDF-1.4", 0), 0u);
  }
  // One log line per input with its outcome.
  EXPECT_NE(r.out.find("outcome=decided aktenzeichen=RPS15-IM-2017-00002 "
                       "decision=TEILBEWILLIGUNG"),
            std::string::npos)
      << r.out;
}

// Example 04 asks Wangen for missing documents (deadline 19.02.2018); the
// deadlines report lists it once the deadline has passed, until the
// completed application answers it under the same Aktenzeichen.
TEST(CliTest, DeadlinesListsUnansweredRequestsUntilTheyAreAnswered) {
  TempDir dir;
  const std::string store = " -D store.path='" + (dir / "j.sqlite") + "'";
  CommandResult r =
      Bescheid("process --out '" + (dir / "out") + "'" + store + " '" +
               SourcePath("examples/04-nachforderung-wangen.xml") + "'");
  ASSERT_EQ(r.exit_code, 0) << r.out;
  const std::string line =
      "RPS15-IM-2017-00001  Stadt Wangen im Allgäu (AGS 08436094)  "
      "angefordert am 22.01.2018  Frist 19.02.2018  ";
  r = Bescheid("deadlines" + store);  // today: 22.01.2018 (the epoch)
  EXPECT_EQ(r.exit_code, 0);
  EXPECT_EQ(r.out,
            "Keine Nachforderung mit abgelaufener Frist am 22.01.2018.\n");
  r = Bescheid("deadlines --all" + store);
  EXPECT_EQ(r.out, "Offene Nachforderungen am 22.01.2018:\n" + line +
                       "noch 28 Tage\n");
  r = Bescheid("deadlines --date 19.02.2018" + store);  // its last day
  EXPECT_EQ(r.out,
            "Keine Nachforderung mit abgelaufener Frist am 19.02.2018.\n");
  r = Bescheid("deadlines --date 2018-02-22" + store);
  EXPECT_EQ(r.exit_code, 0);
  EXPECT_EQ(r.out, "Nachforderungen mit abgelaufener Frist am 22.02.2018:\n" +
                       line + "3 Tage überfällig\n");

  r = Bescheid(
      "process --out '" + (dir / "out") + "'" + store + " '" +
      SourcePath("tests/data/04-nachforderung-wangen-vervollstaendigt.xml") +
      "'");
  ASSERT_EQ(r.exit_code, 0) << r.out;
  EXPECT_NE(r.out.find("aktenzeichen=RPS15-IM-2017-00001 decision=BEWILLIGUNG"),
            std::string::npos)
      << r.out;
  EXPECT_TRUE(fs::exists(dir / "out/RPS15-IM-2017-00001.pdf"));
  EXPECT_TRUE(fs::exists(dir / "out/RPS15-IM-2017-00001-2.pdf"));
  r = Bescheid("deadlines --all --date 22.02.2018" + store);
  EXPECT_EQ(r.exit_code, 0);
  EXPECT_EQ(r.out, "Keine offenen Nachforderungen am 22.02.2018.\n");

  r = Bescheid("deadlines --date 30.02.2018" + store);
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.out.find("TT.MM.JJJJ"), std::string::npos) << r.out;
  r = Bescheid("deadlines -D store.path='" + (dir / "fehlt.sqlite") + "'");
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.out.find("gibt es nicht"), std::string::npos) << r.out;
  EXPECT_FALSE(fs::exists(dir / "fehlt.sqlite"));
}

// The text of the first <name>...</name> in `xml` ("" if none).
std::string ElementText(const std::string& xml, const std::string& name) {
  const size_t start = xml.find("<" + name + ">");
  if (start == std::string::npos) return "";
  const size_t from = start + name.size() + 2;
  return xml.substr(from, xml.find("</" + name + ">", from) - from);
}

// The ';'-separated cells of a register line (no quoted cells expected).
std::vector<std::string> Cells(const std::string& line) {
  std::vector<std::string> cells;
  size_t start = 0;
  for (size_t end; (end = line.find(';', start)) != std::string::npos;
       start = end + 1) {
    cells.push_back(line.substr(start, end - start));
  }
  cells.push_back(line.substr(start));
  return cells;
}

// "116000.00" as cents.
int64_t Cents(const std::string& plain) {
  const size_t dot = plain.find('.');
  return std::stoll(plain.substr(0, dot)) * 100 +
         std::stoll(plain.substr(dot + 1));
}

// The register's amounts equal every decision record's to the cent, and the
// last line sums them.
TEST(CliTest, RegisterAgreesWithTheDecisionRecordsToTheCent) {
  TempDir dir;
  const std::string store = " -D store.path='" + (dir / "j.sqlite") + "'";
  CommandResult r = Bescheid("process --out '" + (dir / "out") + "'" + store +
                             Join(Examples()));
  ASSERT_EQ(r.exit_code, 0) << r.out;
  r = Bescheid("register --out '" + (dir / "r.csv") + "'" + store);
  ASSERT_EQ(r.exit_code, 0) << r.out;
  EXPECT_EQ(r.out, dir / "r.csv" + ": 8 Entscheidungen\n");
  const std::string csv = ReadFileOrDie(dir / "r.csv");
  ASSERT_EQ(csv.rfind("\xEF\xBB\xBF", 0), 0u);
  std::vector<std::string> lines;
  for (size_t start = 3, end;
       (end = csv.find("\r\n", start)) != std::string::npos; start = end + 2) {
    lines.push_back(csv.substr(start, end - start));
  }
  ASSERT_EQ(lines.size(), 10u) << csv;  // header, 8 decisions, sums
  const char* amounts[] = {"Foerderfaehig", "Planungsrahmen", "Bewilligt",
                           "Anteil2017", "ErsteTranche"};
  int64_t sums[5] = {};
  for (size_t i = 1; i <= 8; ++i) {
    const std::vector<std::string> cells = Cells(lines[i]);
    ASSERT_EQ(cells.size(), 15u) << lines[i];
    const std::string record =
        ReadFileOrDie(dir / ("out/" + cells[0] + ".decision.xml"));
    EXPECT_EQ(cells[3], ElementText(record, "Art")) << cells[0];
    EXPECT_EQ(cells[6],
              ElementText(ElementText(record, "Antragsteller"), "AGS"));
    for (int a = 0; a < 5; ++a) {
      std::string expected = ElementText(record, amounts[a]);
      sums[a] += Cents(expected);
      expected[expected.find('.')] = ',';
      EXPECT_EQ(cells[8 + a], expected) << cells[0] << " " << amounts[a];
    }
    const std::string iban = ElementText(record, "IBAN");
    ASSERT_EQ(iban.size(), 22u) << cells[0];
    EXPECT_EQ(cells[13].substr(cells[13].size() - 5),
              iban.substr(18, 2) + " " + iban.substr(20, 2));
    EXPECT_EQ(cells[13].find(iban.substr(0, 18)), std::string::npos);
  }
  const std::vector<std::string> last = Cells(lines[9]);
  ASSERT_EQ(last.size(), 15u);
  EXPECT_EQ(last[0], "Summe (8 Entscheidungen)");
  for (int a = 0; a < 5; ++a) {
    const std::string cents = std::to_string(sums[a]);
    EXPECT_EQ(last[8 + a], cents.substr(0, cents.size() - 2) + "," +
                               cents.substr(cents.size() - 2));
  }

  r = Bescheid("register --from 23.01.2018 --out '" + (dir / "leer.csv") + "'" +
               store);
  EXPECT_EQ(r.exit_code, 0) << r.out;
  EXPECT_NE(ReadFileOrDie(dir / "leer.csv").find("Summe (0 Entscheidungen)"),
            std::string::npos);
  EXPECT_EQ(Bescheid("register --to 31.02.2018 --out x.csv" + store).exit_code,
            2);
  EXPECT_EQ(Bescheid("register" + store).exit_code, 2);  // no --out
}

// A name that a spreadsheet would run as a formula is written as text.
TEST(CliTest, RegisterNeutralisesAHostileApplicantName) {
  TempDir dir;
  std::string app =
      ReadFileOrDie(SourcePath("examples/08-ablehnung-nicht-berechtigt.xml"));
  const std::string name = "<Name>Gemeinde Musterhausen</Name>";
  ASSERT_NE(app.find(name), std::string::npos);
  app.replace(app.find(name), name.size(),
              "<Name>=HYPERLINK(\"http://example.invalid\";\"Gemeinde\")"
              "</Name>");
  WriteFileOrDie(dir / "boese.xml", app);
  const std::string store = " -D store.path='" + (dir / "j.sqlite") + "'";
  CommandResult r = Bescheid("process --out '" + (dir / "out") + "'" + store +
                             " '" + (dir / "boese.xml") + "'");
  ASSERT_EQ(r.exit_code, 0) << r.out;
  r = Bescheid("register --out '" + (dir / "r.csv") + "'" + store);
  ASSERT_EQ(r.exit_code, 0) << r.out;
  const std::string csv = ReadFileOrDie(dir / "r.csv");
  EXPECT_NE(csv.find(";\"'=HYPERLINK(\"\"http://example.invalid\"\";"
                     "\"\"Gemeinde\"\")\";"),
            std::string::npos)
      << csv;
  EXPECT_EQ(csv.find(";=HYPERLINK"), std::string::npos) << csv;
}

TEST(CliTest, ParallelWorkersDecideInTheOrderGiven) {
  // With one or two workers the records are the golden ones: the same
  // numbers, and the first Tettnang application wins over the sixth. No
  // worker waits for its decisions' commits (the pipeline's committer
  // makes them), so the sixth is decided only once the first's commit has
  // ended what it held pending.
  for (int round = 0; round < 4; ++round) {
    TempDir dir;
    const std::string workers = round == 0 ? "1" : "2";
    CommandResult r = Bescheid("process --workers " + workers + " --out '" +
                               dir.path() + "' --define store.path='" +
                               (dir / "j.sqlite") + "'" + Join(Examples()));
    ASSERT_EQ(r.exit_code, 0) << r.out;
    for (const auto& e : fs::directory_iterator(SourcePath("tests/golden"))) {
      const std::string name = e.path().filename().string();
      EXPECT_EQ(ReadFileOrDie(dir / name), ReadFileOrDie(e.path().string()))
          << name << " in round " << round;
    }
  }
  EXPECT_EQ(Bescheid("process --workers 0 --out /tmp x.xml").exit_code, 2);
}

TEST(CliTest, ProcessTakesTheFilesFromAList) {
  // The list's files come first, in its order, then the arguments: the
  // same records as all of them given as arguments.
  TempDir dir;
  const std::vector<std::string> examples = Examples();
  ASSERT_GE(examples.size(), 2u);
  std::string list = "\n";  // empty lines are skipped
  for (size_t i = 0; i + 1 < examples.size(); ++i) list += examples[i] + "\r\n";
  WriteFileOrDie(dir / "list.txt", list);
  CommandResult r =
      Bescheid("process --from-list '" + (dir / "list.txt") + "' --out '" +
               (dir / "out") + "' --define store.path='" + (dir / "j.sqlite") +
               "' '" + examples.back() + "'");
  ASSERT_EQ(r.exit_code, 0) << r.out;
  for (const auto& e : fs::directory_iterator(SourcePath("tests/golden"))) {
    const std::string name = e.path().filename().string();
    EXPECT_EQ(ReadFileOrDie(dir / ("out/" + name)),
              ReadFileOrDie(e.path().string()))
        << name;
  }
  r = Bescheid("process --from-list '" + (dir / "fehlt.txt") + "' --out '" +
               (dir / "out2") + "'");
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.out.find("Dateiliste"), std::string::npos) << r.out;
}

TEST(CliTest, LettersAreReproducibleWithSourceDateEpoch) {
  TempDir a, b;
  const std::string input =
      SourcePath("examples/02-teilbewilligung-offenburg.xml");
  for (const TempDir* d : {&a, &b}) {
    ASSERT_EQ(Bescheid("process --out '" + d->path() + "' -D store.path='" +
                       (*d / "j.sqlite") + "' '" + input + "'")
                  .exit_code,
              0);
  }
  const std::string pdf = "RPS15-IM-2017-00001.pdf";
  auto text_a = RunCommand("pdftotext '" + (a / pdf) + "' -");
  auto text_b = RunCommand("pdftotext '" + (b / pdf) + "' -");
  EXPECT_EQ(text_a.out, text_b.out);
  EXPECT_NE(text_a.out.find("22.01.2018"),
            std::string::npos);  // the epoch's date
  EXPECT_EQ(ReadFileOrDie(a / pdf), ReadFileOrDie(b / pdf));
}

// Runs `command` (through sh) on a new pseudo-terminal and returns all it
// wrote there.
std::string RunOnTerminal(const std::string& command) {
  int master = -1;
  const pid_t pid = ::forkpty(&master, nullptr, nullptr, nullptr);
  if (pid == 0) {
    ::execl("/bin/sh", "sh", "-c", command.c_str(), nullptr);
    ::_exit(127);
  }
  std::string out;
  char buf[4096];
  while (true) {
    const ssize_t n = ::read(master, buf, sizeof buf);
    if (n <= 0) break;  // EIO once the child is gone
    out.append(buf, static_cast<size_t>(n));
  }
  ::close(master);
  ::waitpid(pid, nullptr, 0);
  return out;
}

TEST(CliTest, ProcessShowsProgressOnATerminalAndOnlyTheSummaryElsewhere) {
  TempDir dir;
  const std::string args = "process --out '" + (dir / "out") +
                           "' --define store.path='" + (dir / "j.sqlite") +
                           "'" + Join(Examples());
  const std::string tty =
      RunOnTerminal("cd '" + std::string(BESCHEID_SOURCE_DIR) + "' && " +
                    kEpoch + " '" + BESCHEID_BINARY + "' " + args);
  EXPECT_NE(tty.find("\r\033[K"), std::string::npos) << tty;
  EXPECT_NE(tty.find("von 8 Dateien"), std::string::npos) << tty;
  EXPECT_NE(tty.find("Ergebnis: 8 von 8 Dateien"), std::string::npos) << tty;
  EXPECT_NE(tty.find("entschieden"), std::string::npos) << tty;
  // No per-file log lines on the terminal, only problems.
  EXPECT_EQ(tty.find("outcome=decided aktenzeichen=RPS15-IM-2017-00001"),
            std::string::npos)
      << tty;

  TempDir again;
  CommandResult piped =
      Bescheid("process --out '" + (again / "out") + "' --define store.path='" +
               (again / "j.sqlite") + "'" + Join(Examples()) + " 2>&1");
  EXPECT_EQ(piped.exit_code, 0) << piped.out;
  EXPECT_NE(piped.out.find("Ergebnis: 8 von 8 Dateien"), std::string::npos)
      << piped.out;
  EXPECT_NE(piped.out.find("  entschieden" + std::string(13 + 5, ' ') + "8\n"),
            std::string::npos)
      << piped.out;
  EXPECT_EQ(piped.out.find('\r'), std::string::npos);
  EXPECT_EQ(piped.out.find('\033'), std::string::npos);
}

TEST(CliTest, ProcessTwiceGivesDuplicatesAndExitOne) {
  TempDir dir;
  const std::string args = "process --out '" + dir.path() +
                           "' -D store.path='" + (dir / "j.sqlite") + "' '" +
                           SourcePath("examples/01-bewilligung-tettnang.xml") +
                           "'";
  ASSERT_EQ(Bescheid(args).exit_code, 0);
  CommandResult again = Bescheid(args);
  EXPECT_EQ(again.exit_code, 1);
  EXPECT_TRUE(fs::exists(dir / "duplicates/01-bewilligung-tettnang.xml.txt"));
  EXPECT_FALSE(fs::exists(dir / "RPS15-IM-2017-00002.decision.xml"));
}

TEST(CliTest, ProcessRejectsInvalidFilesWithExitOne) {
  TempDir dir;
  WriteFileOrDie(dir / "leer.xml", "");
  CommandResult r =
      Bescheid("process --out '" + (dir / "out") + "' --define store.path='" +
               (dir / "j.sqlite") + "' '" + (dir / "leer.xml") + "' '" +
               SourcePath("examples/01-bewilligung-tettnang.xml") + "'");
  EXPECT_EQ(r.exit_code, 1) << r.out;
  EXPECT_NE(ReadFileOrDie(dir / "out/rejected/leer.xml.error.txt")
                .find("Die Datei ist leer"),
            std::string::npos);
  EXPECT_TRUE(fs::exists(dir / "out/RPS15-IM-2017-00001.decision.xml"));
  EXPECT_EQ(ReadFileOrDie(dir / "leer.xml"), "");  // input untouched
}

TEST(CliTest, ValidateReportsEachFile) {
  TempDir dir;
  std::string doc =
      ReadFileOrDie(SourcePath("examples/01-bewilligung-tettnang.xml"));
  doc.replace(doc.find("<VZAE>1.00</VZAE>"), 17, "<VZAE>0.20</VZAE>");
  WriteFileOrDie(dir / "falsch.xml", doc);
  CommandResult r = Bescheid(
      "validate '" + SourcePath("examples/02-teilbewilligung-offenburg.xml") +
      "' '" + (dir / "falsch.xml") + "'");
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_NE(r.out.find("02-teilbewilligung-offenburg.xml: gültig"),
            std::string::npos);
  EXPECT_NE(r.out.find("Zeile 30, Spalte 7: Feld 'Stellenumfang in "
                       "Vollzeitäquivalenten (VZÄ)': Der Wert 0,20 ist "
                       "kleiner als der kleinste zulässige Wert 0,25"),
            std::string::npos)
      << r.out;
  EXPECT_EQ(Bescheid("validate" + Join(Examples())).exit_code, 0);
}

// Every subcommand says what is wrong with the call, then shows its own
// help, and exits 2.
TEST(CliTest, UsageErrorsNameTheProblemAndShowTheCommandsHelp) {
  const struct {
    const char* args;
    const char* command;
    const char* problem;
  } cases[] = {
      {"validate", "validate", "keine Datei angegeben"},
      {"preview", "preview", "genau eine Datei angeben"},
      {"config", "config", "'show', 'check' oder 'doc' angeben"},
      {"deadlines x", "deadlines", "unerwartetes Argument 'x'"},
      {"form", "form", "--out DATEI.pdf fehlt"},
      {"register", "register", "--out DATEI.csv fehlt"},
      {"print x", "print", "unerwartetes Argument 'x'"},
      {"process x.xml", "process", "--out DIR fehlt"},
      {"user add anna", "user", "--role fehlt"},
      {"watch x", "watch", "unerwartetes Argument 'x'"},
  };
  for (const auto& c : cases) {
    CommandResult r = Bescheid(c.args);
    EXPECT_EQ(r.exit_code, 2) << c.args;
    const std::string expected = "bescheid " + std::string(c.command) + ": " +
                                 c.problem + "\nAufruf: bescheid " + c.command +
                                 " ";
    EXPECT_EQ(r.out.substr(0, expected.size()), expected) << r.out;
  }
}

TEST(CliTest, UsageErrorsExitTwo) {
  EXPECT_EQ(Bescheid("").exit_code, 2);
  EXPECT_EQ(Bescheid("frobnicate").exit_code, 2);
  EXPECT_EQ(Bescheid("validate").exit_code, 2);
  CommandResult no_out =
      Bescheid("process examples/01-bewilligung-tettnang.xml");
  EXPECT_EQ(no_out.exit_code, 2);
  EXPECT_NE(no_out.out.find("--out DIR fehlt"), std::string::npos);
  CommandResult bad_option = Bescheid("validate --bogus x.xml");
  EXPECT_EQ(bad_option.exit_code, 2);
  EXPECT_NE(bad_option.out.find("unbekannte Option 'bogus'"), std::string::npos)
      << bad_option.out;
  CommandResult workers = Bescheid("process --workers 0 --out /tmp x.xml");
  EXPECT_NE(workers.out.find("--workers erwartet eine Zahl von 1 bis 64"),
            std::string::npos)
      << workers.out;
  EXPECT_EQ(workers.out.find("Invalid argument"), std::string::npos);
  CommandResult missing_value = Bescheid("process --out");
  EXPECT_NE(missing_value.out.find("fehlt der Wert"), std::string::npos)
      << missing_value.out;
}

TEST(CliTest, ValidateAndPreviewTellMissingAndTextFilesInGerman) {
  TempDir dir;
  WriteFileOrDie(dir / "brief.xml", "Sehr geehrte Damen und Herren\n");
  CommandResult r = Bescheid("validate '" + (dir / "fehlt.xml") + "' '" +
                             (dir / "brief.xml") + "'");
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_NE(r.out.find("Die Datei gibt es nicht"), std::string::npos) << r.out;
  EXPECT_EQ(r.out.find("No such file"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("enthält kein XML, sondern Text"), std::string::npos)
      << r.out;
  CommandResult preview = Bescheid("preview '" + (dir / "fehlt.xml") + "'");
  EXPECT_EQ(preview.exit_code, 1);
  EXPECT_NE(preview.out.find("Die Datei gibt es nicht"), std::string::npos)
      << preview.out;
  EXPECT_EQ(preview.out.find("No such file"), std::string::npos);
}

TEST(CliTest, ConfigErrorsAndUnknownKeysExitTwo) {
  CommandResult bad = Bescheid(
      "validate -D programme.rate.A=viel examples/01-bewilligung-tettnang.xml");
  EXPECT_EQ(bad.exit_code, 2);
  EXPECT_NE(bad.out.find("programme.rate.A"), std::string::npos);
  CommandResult missing = Bescheid(
      "validate --config /nonexistent.properties "
      "examples/01-bewilligung-tettnang.xml");
  EXPECT_EQ(missing.exit_code, 2);
  CommandResult typo = Bescheid(
      "validate -D programme.rate.a=1 examples/01-bewilligung-tettnang.xml");
  EXPECT_EQ(typo.exit_code, 2);  // fail closed: no default pays out
  EXPECT_NE(typo.out.find("Unbekannter Konfigurationsschlüssel "
                          "'programme.rate.a' (--define). Meinten Sie "
                          "'programme.rate.A'?"),
            std::string::npos)
      << typo.out;
}

TEST(CliTest, ConfigShowTellsWhereEachValueComesFrom) {
  TempDir dir;
  WriteFileOrDie(dir / "extra.properties", "\n\nwatch.workers = 3\n");
  CommandResult r = Bescheid(
      "config show --config '" + SourcePath("config/bescheid.properties") +
      "' --config '" + (dir / "extra.properties") + "' -D watch.polling=true");
  EXPECT_EQ(r.exit_code, 0) << r.out;
  EXPECT_NE(r.out.find("watch.workers = 3    # " + (dir / "extra.properties") +
                       ", Zeile 3"),
            std::string::npos)
      << r.out;
  EXPECT_NE(r.out.find("watch.polling = true    # --define"),
            std::string::npos);
  EXPECT_NE(r.out.find("programme.tranche-percent = 60    # " +
                       SourcePath("config/bescheid.properties") + ", Zeile "),
            std::string::npos)
      << r.out;
}

TEST(CliTest, ConfigCheckFindsWhatAStartWouldTripOver) {
  TempDir dir;
  fs::create_directories(dir / "root");
  CommandResult good =
      Bescheid("config check -D watch.root='" + (dir / "root") +
               "' -D store.path='" + (dir / "state/j.sqlite") + "'");
  EXPECT_EQ(good.exit_code, 0) << good.out;
  EXPECT_NE(good.out.find("Konfiguration in Ordnung"), std::string::npos);
  EXPECT_FALSE(fs::exists(dir / "state"));  // nothing was started or made
  CommandResult bad =
      Bescheid("config check -D watch.root='" + (dir / "fehlt") +
               "' -D reference.gemeinden='" + (dir / "x.csv") +
               "' -D letters.templates='" + (dir / "vorlagen") + "'");
  EXPECT_EQ(bad.exit_code, 2);
  EXPECT_NE(bad.out.find("Der Ablageordner (watch.root) '" + (dir / "fehlt") +
                         "' existiert nicht"),
            std::string::npos)
      << bad.out;
  EXPECT_NE(bad.out.find("Referenztabelle (reference.gemeinden)"),
            std::string::npos);
  EXPECT_NE(bad.out.find("vorlagen"), std::string::npos) << bad.out;
  CommandResult typo = Bescheid("config check -D watch.rot=/srv");
  EXPECT_EQ(typo.exit_code, 2);
  EXPECT_NE(typo.out.find("Meinten Sie 'watch.root'?"), std::string::npos);
}

// The repository's configuration works from any working directory: its
// paths are relative to its own folder.
TEST(CliTest, ProcessWorksFromAnotherDirectory) {
  TempDir dir;
  CommandResult r = RunCommand(
      "cd '" + dir.path() + "' && " + kEpoch + " '" + BESCHEID_BINARY +
      "' process --out out -D store.path=j.sqlite '" +
      SourcePath("examples/01-bewilligung-tettnang.xml") + "'");
  EXPECT_EQ(r.exit_code, 0) << r.out;
  EXPECT_TRUE(fs::exists(dir / "out/RPS15-IM-2017-00001.pdf")) << r.out;
}

TEST(CliTest, PreviewPrintsTheLetterMarkupWithoutStoringAnything) {
  CommandResult r =
      Bescheid("preview examples/02-teilbewilligung-offenburg.xml");
  ASSERT_EQ(r.exit_code, 0) << r.out;
  EXPECT_EQ(r.out.rfind("Betreff: Zuwendungsbescheid", 0), 0u) << r.out;
  EXPECT_NE(r.out.find("| 1 | Ayşe Demir | A | 1,00 |"), std::string::npos);
  EXPECT_NE(r.out.find("# Rechtsbehelfsbelehrung"), std::string::npos);
  EXPECT_EQ(Bescheid("preview").exit_code, 2);
}

TEST(CliTest, HelpAndVersion) {
  CommandResult help = Bescheid("--help");
  EXPECT_EQ(help.exit_code, 0);
  EXPECT_NE(help.out.find("Aufruf: bescheid BEFEHL"), std::string::npos);
  CommandResult sub = Bescheid("help process");
  EXPECT_EQ(sub.exit_code, 0);
  EXPECT_NE(sub.out.find("rejected/<Datei>.error.txt"), std::string::npos);
  EXPECT_EQ(Bescheid("process --help").out, sub.out);
  EXPECT_EQ(Bescheid("help nothing").exit_code, 2);
  CommandResult version = Bescheid("--version");
  EXPECT_EQ(version.exit_code, 0);
  EXPECT_EQ(version.out.rfind("bescheid ", 0), 0u);
}

}  // namespace
}  // namespace bescheid
