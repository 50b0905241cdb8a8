// `bescheid print` against a real CUPS: the test starts its own cupsd on a
// private configuration folder and a free port, with a cups-pdf queue that
// writes into the test's folder, and reads back what "came out of the
// printer". Needs root (cupsd, the cups-pdf backend and its per-queue
// configuration in /etc/cups); skipped with the reason otherwise.
#include <fcntl.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <signal.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <filesystem>
#include <set>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include "store/journal.h"
#include "test_util.h"

namespace bescheid::print {
namespace {

using bescheid::testing::CommandResult;
using bescheid::testing::ReadFileOrDie;
using bescheid::testing::RunCommand;
using bescheid::testing::SourcePath;
using bescheid::testing::TempDir;
using bescheid::testing::WriteFileOrDie;
namespace fs = std::filesystem;

constexpr char kCupsd[] = "/usr/sbin/cupsd";
constexpr char kBackend[] = "/usr/lib/cups/backend/cups-pdf";
constexpr char kPpd[] = "/usr/share/ppd/cups-pdf/CUPS-PDF_noopt.ppd";

int FreePort() {
  const int fd = socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in a{};
  a.sin_family = AF_INET;
  a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  socklen_t len = sizeof a;
  int port = 0;
  if (bind(fd, reinterpret_cast<sockaddr*>(&a), sizeof a) == 0 &&
      getsockname(fd, reinterpret_cast<sockaddr*>(&a), &len) == 0) {
    port = ntohs(a.sin_port);
  }
  close(fd);
  return port;
}

bool Accepts(int port) {
  const int fd = socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in a{};
  a.sin_family = AF_INET;
  a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  a.sin_port = htons(port);
  const bool ok = connect(fd, reinterpret_cast<sockaddr*>(&a), sizeof a) == 0;
  close(fd);
  return ok;
}

// A private cupsd with one cups-pdf queue writing into out(). Stopped (and
// its per-queue cups-pdf configuration removed) on destruction.
class CupsServer {
 public:
  // Empty when it runs; otherwise why not.
  std::string Start() {
    port_ = FreePort();
    queue_ = "bescheid-test-" + std::to_string(getpid());
    for (const char* d : {"etc", "spool", "cache", "state", "log", "tmp"}) {
      fs::create_directories(dir_ / d);
    }
    fs::create_directories(out());
    // Filters run as lp: they must reach the temporary folder.
    fs::permissions(dir_.path(), fs::perms::owner_all | fs::perms::group_exec |
                                     fs::perms::others_exec);
    fs::permissions(dir_ / "tmp", fs::perms::all);
    fs::permissions(out(), fs::perms::all);
    WriteFileOrDie(dir_ / "etc/cupsd.conf", CupsdConf());
    WriteFileOrDie(dir_ / "etc/cups-files.conf", FilesConf());
    // cups-pdf reads /etc/cups/cups-pdf-<name>.conf for cups-pdf:/<name>.
    WriteFileOrDie(conf_, "Out " + out() + "\nAnonDirName " + out() +
                              "\nLabel 0\nTitlePref 1\n");
    pid_ = fork();
    if (pid_ == 0) {
      const int null = open("/dev/null", O_RDWR);
      dup2(null, 1);
      dup2(null, 2);
      execl(kCupsd, kCupsd, "-f", "-c", (dir_ / "etc/cupsd.conf").c_str(), "-s",
            (dir_ / "etc/cups-files.conf").c_str(),
            static_cast<char*>(nullptr));
      _exit(127);
    }
    for (int i = 0; i < 100 && !Accepts(port_); ++i) {
      std::this_thread::sleep_for(std::chrono::milliseconds(100));
    }
    if (!Accepts(port_)) return "cupsd did not listen: " + Log();
    // pdftocairo keeps the text of the letters readable in the PDF that
    // cups-pdf writes (the default renderer loses the fonts' Unicode map).
    CommandResult r =
        Admin("-p " + queue_ + " -v cups-pdf:/" + queue_ + " -E -P " + kPpd +
              " -o pdftops-renderer-default=pdftocairo");
    if (r.exit_code != 0) return "lpadmin failed: " + r.out;
    return "";
  }

  ~CupsServer() {
    if (pid_ > 0) {
      kill(pid_, SIGTERM);
      int status = 0;
      for (int i = 0; i < 50 && waitpid(pid_, &status, WNOHANG) == 0; ++i) {
        std::this_thread::sleep_for(std::chrono::milliseconds(100));
      }
      if (waitpid(pid_, &status, WNOHANG) == 0) {
        kill(pid_, SIGKILL);
        waitpid(pid_, &status, 0);
      }
    }
    std::error_code ec;
    fs::remove(conf_, ec);
    fs::remove("/var/log/cups/cups-pdf-" + queue_ + "_log", ec);
  }

  CommandResult Admin(const std::string& args) {
    return RunCommand("lpadmin -h 127.0.0.1:" + std::to_string(port_) + " " +
                      args);
  }
  CommandResult Client(const std::string& command) {
    return RunCommand("CUPS_SERVER=127.0.0.1:" + std::to_string(port_) + " " +
                      command);
  }

  std::string server() const { return "127.0.0.1:" + std::to_string(port_); }
  const std::string& queue() const { return queue_; }
  std::string out() const { return dir_ / "pdf"; }
  std::string Log() {
    return RunCommand("tail -5 " + dir_ / "log/error_log").out;
  }

 private:
  std::string CupsdConf() const {
    return "Listen 127.0.0.1:" + std::to_string(port_) +
           "\nLogLevel info\nBrowsing No\nWebInterface No\n"
           "DefaultAuthType None\n"
           "<Location />\n  Order allow,deny\n  Allow all\n</Location>\n"
           "<Location /admin>\n  Order allow,deny\n  Allow all\n</Location>\n"
           "<Policy default>\n  <Limit All>\n    Order deny,allow\n"
           "  </Limit>\n</Policy>\n";
  }
  std::string FilesConf() const {
    std::string c;
    c += "ServerRoot " + dir_ / "etc" + "\n";
    c += "RequestRoot " + dir_ / "spool" + "\n";
    c += "CacheDir " + dir_ / "cache" + "\n";
    c += "StateDir " + dir_ / "state" + "\n";
    c += "TempDir " + dir_ / "tmp" + "\n";
    c += "ErrorLog " + dir_ / "log/error_log" + "\n";
    c += "AccessLog " + dir_ / "log/access_log" + "\n";
    c += "PageLog " + dir_ / "log/page_log" + "\n";
    c += "Printcap " + dir_ / "printcap" + "\n";
    c += "ServerBin /usr/lib/cups\nDataDir /usr/share/cups\n";
    c += "SystemGroup root\nUser lp\nGroup lp\n";
    return c;
  }

  TempDir dir_;
  int port_ = 0;
  pid_t pid_ = -1;
  std::string queue_;
  std::string conf_ =
      "/etc/cups/cups-pdf-bescheid-test-" + std::to_string(getpid()) + ".conf";
};

// The text of each page of the PDF at `path` (pdftotext).
std::vector<std::string> PageTexts(const std::string& path) {
  CommandResult r = RunCommand("pdftotext -layout '" + path + "' -");
  std::vector<std::string> pages;
  std::istringstream in(r.out);
  for (std::string page; std::getline(in, page, '\f');) pages.push_back(page);
  return pages;
}

bool Blank(const std::string& text) {
  return text.find_first_not_of(" \n") == std::string::npos;
}

class CupsPrintTest : public ::testing::Test {
 protected:
  void SetUp() override {
    if (geteuid() != 0) GTEST_SKIP() << "needs root to run cupsd and cups-pdf";
    for (const char* f : {kCupsd, kBackend, kPpd}) {
      if (!fs::exists(f)) {
        GTEST_SKIP() << f << " is missing (apt-get install cups "
                     << "printer-driver-cups-pdf)";
      }
    }
    const std::string why = cups_.Start();
    ASSERT_EQ(why, "");
    // The example letters, released: in the outbox of the decision date.
    std::vector<std::string> files;
    for (const auto& e : fs::directory_iterator(SourcePath("examples"))) {
      if (e.path().extension() == ".xml") files.push_back(e.path().string());
    }
    std::sort(files.begin(), files.end());  // Aktenzeichen as in the golden
    std::string examples;
    for (const std::string& f : files) examples += " '" + f + "'";
    CommandResult r = Bescheid("process --out '" + root_ / "outbox/2018-01-22" +
                               "'" + examples);
    ASSERT_EQ(r.exit_code, 0) << r.out;
  }

  CommandResult Bescheid(const std::string& args) {
    return RunCommand("cd '" + std::string(BESCHEID_SOURCE_DIR) +
                      "' && SOURCE_DATE_EPOCH=1516622400 TZ=Europe/Berlin "
                      "CUPS_SERVER=" +
                      cups_.server() + " '" + BESCHEID_BINARY + "' " + args +
                      " -D store.path='" + journal_ + "' -D watch.root='" +
                      root_.path() + "' -D print.queue=" + cups_.queue() +
                      " -D print.wait-seconds=30");
  }

  // The PDFs cups-pdf has written so far.
  std::set<std::string> Printed() {
    std::set<std::string> out;
    for (const auto& e : fs::directory_iterator(cups_.out())) {
      out.insert(e.path().string());
    }
    return out;
  }

  // Runs `bescheid print args`, expecting one new PDF from the printer.
  std::string PrintOne(const std::string& args, CommandResult* result) {
    const std::set<std::string> before = Printed();
    *result = Bescheid("print" + args);
    std::set<std::string> after = Printed();
    for (const std::string& f : before) after.erase(f);
    EXPECT_EQ(after.size(), 1u) << result->out;
    return after.empty() ? "" : *after.begin();
  }

  size_t Recorded() {
    store::JournalOptions read_only;
    read_only.read_only = true;
    auto j = store::OpenSqliteJournal(journal_, read_only);
    EXPECT_TRUE(j.ok());
    return j.ok() ? (*j)->LetterPrints()->size() : 0;
  }

  CupsServer cups_;
  TempDir root_;
  std::string journal_ = root_ / "var/journal.sqlite";
};

TEST_F(CupsPrintTest, PrintsTheExampleLettersAsOneSortedPaddedBatch) {
  CommandResult r;
  const std::string pdf = PrintOne("", &r);
  ASSERT_EQ(r.exit_code, 0) << r.out;
  EXPECT_NE(r.out.find("Druckstapel 2018-01-22/1 gedruckt: 10 Schreiben."),
            std::string::npos)
      << r.out;
  const std::vector<std::string> pages = PageTexts(pdf);
  ASSERT_EQ(pages.size(), 32u);
  EXPECT_NE(pages[0].find("Druckstapel 1 vom 22.01.2018"), std::string::npos);
  EXPECT_NE(pages[0].find("Schreiben: 10 (davon 2 Abschriften nachrichtlich)"),
            std::string::npos);
  EXPECT_NE(pages[0].find("Seiten: 32"), std::string::npos);
  EXPECT_NE(pages[0].find("Erstes Aktenzeichen: RPS15-IM-2017-00007"),
            std::string::npos);
  EXPECT_NE(pages[0].find("Letztes Aktenzeichen: RPS15-IM-2017-00004"),
            std::string::npos);
  // Each letter on the page it starts on (a front side), in postcode order,
  // once; a member's copy names its own town hall's postcode.
  struct Start {
    int page;
    const char* aktenzeichen;
    const char* postcode;
  } starts[] = {{3, "00007", "71638"},  {5, "00008", "72000"},
                {7, "00002", "77652"},  {11, "00003", "79674"},
                {13, "00001", "88069"}, {17, "00006", "88069"},
                {19, "00005", "88079"}, {23, "00005", "88085"},
                {27, "00005", "88097"}, {31, "00004", "88239"}};
  for (const Start& s : starts) {
    const std::string& text = pages[s.page - 1];
    // (The rendering through pdftocairo and Ghostscript drops a few
    // glyphs of the letters, "RPS15-" among them: match the rest.)
    EXPECT_NE(text.find(std::string("IM-2017-") + s.aktenzeichen),
              std::string::npos)
        << "page " << s.page << ":\n"
        << text;
    EXPECT_NE(text.find(s.postcode), std::string::npos) << "page " << s.page;
    EXPECT_EQ(s.page % 2, 1);
  }
  for (int blank : {2, 10, 16, 22, 26, 30, 32}) {
    EXPECT_TRUE(Blank(pages[blank - 1])) << "page " << blank;
  }
  EXPECT_EQ(Recorded(), 10u);

  // Printed once: the next run finds nothing.
  r = Bescheid("print");
  EXPECT_EQ(r.exit_code, 0) << r.out;
  EXPECT_NE(r.out.find("Keine freigegebenen Schreiben zu drucken."),
            std::string::npos);
  EXPECT_EQ(Printed().size(), 1u);

  // The register names the batch.
  r = Bescheid("register --out '" + root_ / "register.csv" + "'");
  ASSERT_EQ(r.exit_code, 0) << r.out;
  EXPECT_NE(ReadFileOrDie(root_ / "register.csv").find("2018-01-22/1"),
            std::string::npos);
}

TEST_F(CupsPrintTest, ReprintStoppedQueueAndACrashBetweenWritingAndSending) {
  CommandResult r;
  ASSERT_FALSE(PrintOne("", &r).empty());

  // A reprint: the letter and its two copies again, recorded as such.
  const std::string again = PrintOne(" --reprint RPS15-IM-2017-00005", &r);
  ASSERT_EQ(r.exit_code, 0) << r.out;
  std::vector<std::string> pages = PageTexts(again);
  ASSERT_EQ(pages.size(), 14u);
  EXPECT_NE(pages[0].find("Druckstapel 2 vom 22.01.2018"), std::string::npos);
  EXPECT_NE(pages[0].find("Nachdrucke: 3"), std::string::npos);
  EXPECT_EQ(Recorded(), 13u);

  // A queue that does not exist: refused, nothing recorded.
  r = Bescheid("print --queue gibt-es-nicht --reprint RPS15-IM-2017-00001");
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_NE(r.out.find("'gibt-es-nicht' gibt es auf dem CUPS-Server"),
            std::string::npos)
      << r.out;
  EXPECT_EQ(Recorded(), 13u);

  // A stopped queue: refused with the reason, nothing printed or recorded.
  ASSERT_EQ(cups_.Client("cupsdisable " + cups_.queue()).exit_code, 0);
  r = Bescheid("print --reprint RPS15-IM-2017-00001");
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_NE(r.out.find("ist angehalten"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("bleiben ungedruckt"), std::string::npos);
  EXPECT_EQ(Recorded(), 13u);
  ASSERT_EQ(cups_.Client("cupsenable " + cups_.queue()).exit_code, 0);

  // A crash after the batch was written and recorded, before CUPS had it:
  // the journal as the dying process left it.
  r = Bescheid("print --dry-run --reprint RPS15-IM-2017-00001");
  ASSERT_EQ(r.exit_code, 0) << r.out;
  {
    auto j = store::OpenSqliteJournal(journal_);
    ASSERT_TRUE(j.ok()) << j.status().message();
    store::PrintBatchRecord b;
    b.date = core::Date{2018, 1, 22};
    b.number = 3;
    b.file = "print/2018-01-22/batch-3.pdf";
    b.queue = cups_.queue();
    b.letters = {{"RPS15-IM-2017-00001", "RPS15-IM-2017-00001", true}};
    ASSERT_TRUE((*j)->RecordPrintBatch(b).ok());
  }
  const std::string resent = PrintOne("", &r);
  ASSERT_EQ(r.exit_code, 0) << r.out;
  EXPECT_NE(r.out.find("Druckstapel 2018-01-22/3 wurde geschrieben, aber "
                       "nicht gesendet"),
            std::string::npos)
      << r.out;
  pages = PageTexts(resent);
  ASSERT_EQ(pages.size(), 6u);
  EXPECT_NE(pages[2].find("IM-2017-00001"), std::string::npos) << pages[2];
  r = Bescheid("print");
  EXPECT_NE(r.out.find("Keine freigegebenen Schreiben"), std::string::npos);
  EXPECT_EQ(Printed().size(), 3u) << "sent once";
}

// The service prints by itself (print.mode=immediate): a letter decided
// from the inbox comes out of the printer without anyone running print.
TEST_F(CupsPrintTest, TheServicePrintsEachReleasedLetter) {
  TempDir service;
  fs::create_directories(service / "root/inbox");
  const std::string command =
      "cd '" + std::string(BESCHEID_SOURCE_DIR) +
      "' && exec env SOURCE_DATE_EPOCH=1516622400 TZ=Europe/Berlin "
      "CUPS_SERVER=" +
      cups_.server() + " '" + BESCHEID_BINARY + "' watch -D watch.root='" +
      service / "root" + "' -D store.path='" + service / "journal.sqlite" +
      "' -D log.file='" + service / "log" +
      "' -D watch.stable-seconds=0 -D print.mode=immediate -D print.queue=" +
      cups_.queue();
  const pid_t pid = fork();
  ASSERT_GE(pid, 0);
  if (pid == 0) {
    execl("/bin/sh", "sh", "-c", command.c_str(), static_cast<char*>(nullptr));
    _exit(127);
  }
  fs::copy_file(SourcePath("examples/01-bewilligung-tettnang.xml"),
                service / "root/inbox/01.xml");
  // Sent at one tick (every 10 s), found completed at the next: the file
  // cups-pdf wrote is whole once the log says so.
  const auto completed = [&] {
    std::error_code ec;
    if (!fs::exists(service / "log", ec)) return false;
    return ReadFileOrDie(service / "log").find("gedruckt: 1 Schreiben") !=
           std::string::npos;
  };
  for (int i = 0; i < 450 && !completed(); ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
  const std::set<std::string> printed = Printed();
  kill(pid, SIGTERM);
  int status = 0;
  waitpid(pid, &status, 0);
  EXPECT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0);
  ASSERT_EQ(printed.size(), 1u) << ReadFileOrDie(service / "log");
  const std::vector<std::string> pages = PageTexts(*printed.begin());
  ASSERT_EQ(pages.size(), 6u);  // cover + blank, 3 pages + blank
  EXPECT_NE(pages[0].find("Schreiben: 1"), std::string::npos);
  EXPECT_NE(pages[2].find("IM-2017-00001"), std::string::npos);
  EXPECT_TRUE(completed()) << ReadFileOrDie(service / "log");
}

}  // namespace
}  // namespace bescheid::print
