// Black-box tests: the real `bescheid watch` against hostile things in its
// watch root (links, FIFOs, sockets, hard links, odd names, a second
// instance, a lost journal). Each test states the behaviour it proves; each
// is expected to fail on a daemon that has the defect it names.
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

#include <algorithm>
#include <cctype>
#include <chrono>
#include <filesystem>
#include <sstream>
#include <string>
#include <thread>

#include "hostile/hostile_util.h"

namespace bescheid::testing {
namespace {

namespace fs = std::filesystem;
using namespace std::chrono_literals;

// A daemon that was given a symlink in its inbox: the link is rejected as a
// link, nothing it points to is moved, changed or processed, rejected/ stays
// put, and the daemon keeps working and stops cleanly.
class SymlinkTest : public HostileTest {
 protected:
  // `target` is linked as inbox/<link>; `journal` is the store path.
  void RunLinkAttack(const std::string& target, const std::string& link,
                     const std::string& journal) {
    DaemonOptions o = Options();
    o.store = journal;
    auto d = StartDaemon(o);
    ASSERT_TRUE(d->WaitWatching()) << d->LogTail();
    // An earlier decision whose outputs must survive the attack.
    Drop("frueh.xml", Application(1));
    ASSERT_TRUE(WaitFor(
        [&] {
          return Letters() == 1 && InboxAndProcessingEmpty() &&
                 FilesUnder(Root("archive")).size() == 1;
        },
        30s))
        << d->LogTail();
    const auto outbox = Snapshot(Root("outbox"));
    const auto archive = Snapshot(Root("archive"));
    const auto outside = Snapshot(dir_ / "outside");

    fs::create_symlink(target, Root("inbox/" + link));
    EXPECT_TRUE(WaitRejected(link, 20s)) << d->LogTail();
    EXPECT_EQ(LType(Root("rejected/" + link)), S_IFLNK)
        << "rejected/" << link << " is not the link itself";
    const std::string note = RejectionNote(link);
    EXPECT_TRUE(Contains(note, "wurde nicht bearbeitet")) << note;
    EXPECT_TRUE(Contains(note, "Verknüpfung")) << note;

    // rejected/ does not keep growing (nothing behind the link trickles in).
    const size_t first = RejectedEntries();
    std::this_thread::sleep_for(5s);
    EXPECT_EQ(RejectedEntries(), first) << d->LogTail();

    // Still working: a later file gets its letter.
    Drop("spaet.xml", Application(2));
    EXPECT_TRUE(WaitFor([&] { return Letters() == 2; }, 20s)) << d->LogTail();

    // Nothing outside inbox/ was moved or changed.
    for (const auto& [path, content] : outbox) {
      EXPECT_TRUE(LExists(path)) << "moved away: " << path;
      if (LExists(path)) {
        EXPECT_EQ(ReadFileOrDie(path), content) << path;
      }
    }
    for (const auto& [path, content] : archive) {
      EXPECT_TRUE(LExists(path)) << "moved away: " << path;
      if (LExists(path)) {
        EXPECT_EQ(ReadFileOrDie(path), content) << path;
      }
    }
    EXPECT_EQ(Snapshot(dir_ / "outside"), outside);
    EXPECT_TRUE(LExists(journal)) << "journal moved";
    EXPECT_TRUE(LExists(journal + "-wal")) << "journal WAL moved";
    // A letter is written before its input reaches archive/.
    WaitFor([&] { return FilesUnder(Root("archive")).size() >= 2; }, 10s);
    EXPECT_EQ(FilesUnder(Root("archive")).size(), 2u)
        << "something behind the link was processed";

    EXPECT_EQ(d->Terminate(kTerminateLimit), 0) << d->LogTail();
  }
};

// inbox/x -> the watch root itself.
TEST_F(SymlinkTest, LinkToWatchRootIsRejectedAndNothingMoves) {
  fs::create_directories(Root("inbox"));
  RunLinkAttack(Root(), "x", dir_ / "journal.sqlite");
}

// inbox/x -> the folder holding the journal (and its WAL).
TEST_F(SymlinkTest, LinkToJournalFolderIsRejectedAndJournalStays) {
  fs::create_directories(dir_ / "state");
  RunLinkAttack(dir_ / "state", "x", dir_ / "state/journal.sqlite");
}

// inbox/x -> a folder outside the root with a valid application in it.
TEST_F(SymlinkTest, LinkToOutsideFolderIsRejectedAndItsFilesStay) {
  WriteFileOrDie(dir_ / "outside/antrag.xml", Application(3));
  RunLinkAttack(dir_ / "outside", "x", dir_ / "journal.sqlite");
  EXPECT_EQ(ReadFileOrDie(dir_ / "outside/antrag.xml"), Application(3));
}

// inbox/verweis.xml -> a valid application outside the root.
TEST_F(SymlinkTest, LinkToOutsideFileIsRejectedAndTheFileStays) {
  WriteFileOrDie(dir_ / "outside/antrag.xml", Application(4));
  RunLinkAttack(dir_ / "outside/antrag.xml", "verweis.xml",
                dir_ / "journal.sqlite");
  EXPECT_EQ(ReadFileOrDie(dir_ / "outside/antrag.xml"), Application(4));
}

// A FIFO in the inbox must not block the scanner (opening it for reading
// waits for a writer forever): later files are still decided, the FIFO is
// rejected as not a regular file, and SIGTERM still stops the daemon.
TEST_F(HostileTest, FifoInInboxIsRejectedAndDoesNotBlock) {
  auto d = StartDaemon();
  ASSERT_TRUE(d->WaitWatching()) << d->LogTail();
  ASSERT_EQ(::mkfifo(Root("inbox/f.xml").c_str(), 0644), 0);
  // Past the stability window, so a scanner that opens the FIFO is stuck
  // in open() by now; the valid file sorts after the FIFO.
  std::this_thread::sleep_for(2500ms);
  Drop("z-danach.xml", Application(5));
  EXPECT_TRUE(WaitFor([&] { return Letters() == 1; }, 15s))
      << "a FIFO in the inbox blocks all other files\n"
      << d->LogTail();
  EXPECT_TRUE(WaitRejected("f.xml", 15s)) << d->LogTail();
  EXPECT_EQ(LType(Root("rejected/f.xml")), S_IFIFO);
  EXPECT_TRUE(Contains(RejectionNote("f.xml"), "keine reguläre Datei"))
      << RejectionNote("f.xml");
  const auto started = std::chrono::steady_clock::now();
  EXPECT_EQ(d->Terminate(kTerminateLimit), 0)
      << "SIGTERM did not stop the daemon within shutdown-seconds + 3 s\n"
      << d->LogTail();
  EXPECT_LE(std::chrono::duration_cast<std::chrono::milliseconds>(
                std::chrono::steady_clock::now() - started)
                .count(),
            std::chrono::milliseconds(kTerminateLimit).count());
}

// FIFOs left in processing/ (one named like a claimed file, one not) must
// not hang the start-up recovery: the daemon starts, decides a valid file,
// and moves the FIFOs to rejected/.
TEST_F(HostileTest, FifosInProcessingBeforeStartAreRejected) {
  fs::create_directories(Root("processing"));
  ASSERT_EQ(::mkfifo(Root("processing/000000000001.in").c_str(), 0644), 0);
  ASSERT_EQ(::mkfifo(Root("processing/junk-fifo").c_str(), 0644), 0);
  Drop("gueltig.xml", Application(6));
  auto d = StartDaemon();
  EXPECT_TRUE(d->WaitWatching()) << "start-up hangs on a FIFO\n"
                                 << d->LogTail();
  EXPECT_TRUE(WaitFor([&] { return Letters() == 1; }, 20s)) << d->LogTail();
  auto rejected_named = [&](const std::string& part) {
    for (const std::string& p : EntriesUnder(Root("rejected"))) {
      const std::string name = fs::path(p).filename();
      if (Contains(name, part) && !Contains(name, ".error.txt") &&
          LType(p) == S_IFIFO) {
        return true;
      }
    }
    return false;
  };
  EXPECT_TRUE(WaitFor(
      [&] {
        return rejected_named("000000000001.in") && rejected_named("junk-fifo");
      },
      20s))
      << d->LogTail();
  // The letter is written before its input leaves processing/ for archive/.
  EXPECT_TRUE(
      WaitFor([&] { return EntriesUnder(Root("processing")).empty(); }, 20s))
      << d->LogTail();
  EXPECT_EQ(d->Terminate(kTerminateLimit), 0) << d->LogTail();
}

// A UNIX socket in the inbox cannot be opened as a file: it is rejected as
// not a regular file instead of being retried forever, and the daemon keeps
// working.
TEST_F(HostileTest, UnixSocketInInboxIsRejected) {
  fs::create_directories(Root("inbox"));
  const int fd = ::socket(AF_UNIX, SOCK_STREAM, 0);
  ASSERT_GE(fd, 0);
  sockaddr_un addr{};
  addr.sun_family = AF_UNIX;
  const std::string path = Root("inbox/s.xml");
  ASSERT_LT(path.size(), sizeof addr.sun_path);
  std::copy(path.begin(), path.end(), addr.sun_path);
  ASSERT_EQ(::bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr), 0);
  ::close(fd);  // the socket file stays
  auto d = StartDaemon();
  ASSERT_TRUE(d->WaitWatching()) << d->LogTail();
  EXPECT_TRUE(WaitRejected("s.xml", 15s)) << d->LogTail();
  EXPECT_TRUE(Contains(RejectionNote("s.xml"), "keine reguläre Datei"))
      << RejectionNote("s.xml");
  Drop("danach.xml", Application(7));
  EXPECT_TRUE(WaitFor([&] { return Letters() == 1; }, 15s)) << d->LogTail();
  EXPECT_EQ(d->Terminate(kTerminateLimit), 0) << d->LogTail();
}

// A file with a second name outside the root (a hard link) is rejected,
// not decided: the daemon would otherwise archive bytes that someone
// outside the root can still change. The outside name keeps its content.
TEST_F(HostileTest, HardLinkedFileIsRejected) {
  const std::string doc = Application(8);
  WriteFileOrDie(dir_ / "outside/zwei.xml", doc);
  auto d = StartDaemon();
  ASSERT_TRUE(d->WaitWatching()) << d->LogTail();
  ASSERT_EQ(::link((dir_ / "outside/zwei.xml").c_str(),
                   Root("inbox/zwei.xml").c_str()),
            0);
  EXPECT_TRUE(WaitRejected("zwei.xml", 20s)) << "letters: " << Letters() << "\n"
                                             << d->LogTail();
  EXPECT_TRUE(Contains(RejectionNote("zwei.xml"), "mehrere Namen"))
      << RejectionNote("zwei.xml");
  EXPECT_EQ(Letters(), 0u);
  EXPECT_EQ(ReadFileOrDie(dir_ / "outside/zwei.xml"), doc);
  EXPECT_EQ(d->Terminate(kTerminateLimit), 0) << d->LogTail();
}

// A file still growing (its last 12 bytes appended one every 0.5 s, 6 s in
// all, longer than incomplete-seconds, by a writer that keeps it open) is
// neither claimed nor rejected as truncated while it grows, and is decided
// exactly once afterwards.
TEST_F(HostileTest, SlowlyAppendedFileIsTakenOnceAfterItStopsGrowing) {
  auto d = StartDaemon();
  ASSERT_TRUE(d->WaitWatching()) << d->LogTail();
  const std::string doc = Application(9);
  const std::string path = Root("inbox/langsam.xml");
  const int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
  ASSERT_GE(fd, 0);
  const size_t tail = 12;
  ASSERT_EQ(::write(fd, doc.data(), doc.size() - tail),
            static_cast<ssize_t>(doc.size() - tail));
  bool taken_early = false;
  for (size_t i = doc.size() - tail; i < doc.size(); ++i) {
    std::this_thread::sleep_for(500ms);
    if (!LExists(path) || !EntriesUnder(Root("processing")).empty() ||
        !EntriesUnder(Root("rejected")).empty()) {
      taken_early = true;
    }
    ASSERT_EQ(::write(fd, doc.data() + i, 1), 1);
  }
  ::close(fd);
  EXPECT_FALSE(taken_early) << "claimed or rejected while still growing\n"
                            << d->LogTail();
  EXPECT_TRUE(
      WaitFor([&] { return Letters() == 1 && InboxAndProcessingEmpty(); }, 20s))
      << d->LogTail();
  std::this_thread::sleep_for(3s);  // a few more scans: no second outcome
  EXPECT_EQ(Letters(), 1u);
  EXPECT_TRUE(EntriesUnder(Root("rejected")).empty());
  const auto archived = FilesUnder(Root("archive"));
  ASSERT_EQ(archived.size(), 1u);
  EXPECT_EQ(ReadFileOrDie(archived[0]), doc);
  const std::string log = d->Log();
  EXPECT_EQ(log.find("file=langsam.xml outcome="),
            log.rfind("file=langsam.xml outcome="))
      << d->LogTail();
  EXPECT_EQ(d->Terminate(kTerminateLimit), 0) << d->LogTail();
}

// A name that is not UTF-8 must not make the decision record malformed:
// the record is well-formed XML (xmllint) and the letter exists.
TEST_F(HostileTest, NonUtf8NameGivesWellFormedDecisionRecord) {
  auto d = StartDaemon();
  ASSERT_TRUE(d->WaitWatching()) << d->LogTail();
  Drop("\xff\xfe-antrag.xml", Application(10));
  ASSERT_TRUE(
      WaitFor([&] { return Letters() == 1 && InboxAndProcessingEmpty(); }, 20s))
      << d->LogTail();
  const auto records = FilesUnder(Root("outbox"), ".decision.xml");
  ASSERT_EQ(records.size(), 1u);
  const CommandResult lint = RunCommand("xmllint --noout '" + records[0] + "'");
  EXPECT_EQ(lint.exit_code, 0) << lint.out;
  EXPECT_TRUE(IsValidUtf8(ReadFileOrDie(records[0])));
  EXPECT_EQ(d->Terminate(kTerminateLimit), 0) << d->LogTail();
}

// A 250-byte name (the longest a file system allows is 255, leaving no room
// for a claim prefix) is decided, and the daemon does not log it over and
// over (at most 5 mentions in 10 s).
TEST_F(HostileTest, LongestNameIsDecidedWithoutLogFlood) {
  const std::string name = std::string(246, 'a') + ".xml";
  auto d = StartDaemon();
  ASSERT_TRUE(d->WaitWatching()) << d->LogTail();
  const auto dropped = std::chrono::steady_clock::now();
  Drop(name, Application(11));
  EXPECT_TRUE(WaitFor([&] { return Letters() == 1; }, 10s)) << d->LogTail();
  std::this_thread::sleep_until(dropped + 10s);
  const std::string log = d->Log();
  size_t mentions = 0;
  for (size_t at = log.find(name); at != std::string::npos;
       at = log.find(name, at + 1)) {
    ++mentions;
  }
  EXPECT_LE(mentions, 5u) << d->LogTail();
  EXPECT_EQ(Letters(), 1u);
  EXPECT_EQ(d->Terminate(kTerminateLimit), 0);
}

// A newline in a file name must not let the name forge a log line.
TEST_F(HostileTest, NewlineInNameCannotForgeLogLines) {
  const std::string name = "x\noutcome=decided aktenzeichen=FORGED.xml";
  auto d = StartDaemon();
  ASSERT_TRUE(d->WaitWatching()) << d->LogTail();
  Drop(name, Application(12));
  EXPECT_TRUE(
      WaitFor([&] { return Letters() == 1 && InboxAndProcessingEmpty(); }, 20s))
      << d->LogTail();
  EXPECT_EQ(FilesUnder(Root("archive")).size(), 1u);
  EXPECT_EQ(d->Terminate(kTerminateLimit), 0);
  std::istringstream lines(d->Log());
  for (std::string line; std::getline(lines, line);) {
    EXPECT_NE(line.rfind("outcome=decided aktenzeichen=FORGED", 0), 0u)
        << "forged log line: " << line;
  }
}

// A second instance refuses to share what the first one owns.
class SecondInstanceTest : public HostileTest {
 protected:
  void ExpectSecondRefuses(const std::string& root, const std::string& store) {
    auto first = StartDaemon();
    ASSERT_TRUE(first->WaitWatching()) << first->LogTail();
    DaemonOptions o = Options();
    o.root = root;
    o.store = store;
    o.log = dir_ / "zweite.log";
    {
      Daemon second(dir_, o);
      const std::optional<int> code = second.WaitExit(10s);
      EXPECT_TRUE(code.has_value()) << "second instance still running\n"
                                    << second.LogTail();
      if (code) {
        EXPECT_NE(*code, 0) << second.LogTail();
      }
      EXPECT_TRUE(Contains(second.Log(), std::to_string(first->pid())))
          << "the message does not name the first instance (pid "
          << first->pid() << "):\n"
          << second.LogTail();
    }  // killed here if it did not exit
    EXPECT_TRUE(first->Running());
    Drop("erste.xml", Application(13));
    EXPECT_TRUE(WaitFor([&] { return Letters() == 1; }, 20s))
        << first->LogTail();
    EXPECT_EQ(first->Terminate(kTerminateLimit), 0) << first->LogTail();
  }
};

TEST_F(SecondInstanceTest, SameWatchRootOtherJournalRefusesToStart) {
  ExpectSecondRefuses(Root(), dir_ / "anderes.sqlite");
}

TEST_F(SecondInstanceTest, SameJournalOtherWatchRootRefusesToStart) {
  ExpectSecondRefuses(dir_ / "root2", dir_ / "journal.sqlite");
}

// The journal is gone but outbox/ holds decisions: starting anyway would
// hand out Aktenzeichen a second time. The daemon refuses (naming the
// journal) unless told with --init that a fresh journal is intended.
TEST_F(HostileTest, LostJournalWithDecisionsRefusesToStartWithoutInit) {
  {
    auto d = StartDaemon();
    ASSERT_TRUE(d->WaitWatching()) << d->LogTail();
    Drop("vorher.xml", Application(14));
    ASSERT_TRUE(WaitFor(
        [&] { return Letters() == 1 && InboxAndProcessingEmpty(); }, 20s))
        << d->LogTail();
    ASSERT_EQ(d->Terminate(kTerminateLimit), 0) << d->LogTail();
  }
  for (const char* suffix : {"", "-wal", "-shm"}) {
    fs::remove(dir_ / (std::string("journal.sqlite") + suffix));
  }
  {
    DaemonOptions o = Options();
    o.log = dir_ / "ohne-journal.log";
    Daemon d(dir_, o);
    const std::optional<int> code = d.WaitExit(10s);
    EXPECT_TRUE(code.has_value()) << "started without its journal\n"
                                  << d.LogTail();
    if (code) {
      EXPECT_NE(*code, 0);
    }
    std::string lower = d.Log();
    std::transform(lower.begin(), lower.end(), lower.begin(),
                   [](unsigned char c) { return std::tolower(c); });
    EXPECT_TRUE(Contains(lower, "journal")) << d.LogTail();
  }
  {
    DaemonOptions o = Options();
    o.log = dir_ / "init.log";
    o.args = {"--init"};
    Daemon d(dir_, o);
    EXPECT_TRUE(d.WaitWatching()) << d.LogTail();
    EXPECT_EQ(d.Terminate(kTerminateLimit), 0) << d.LogTail();
  }
}

}  // namespace
}  // namespace bescheid::testing
