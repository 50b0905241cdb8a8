#include "env/env.h"

#include <gtest/gtest.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <filesystem>

#include "test_util.h"

namespace bescheid {
namespace {

using bescheid::testing::ReadFileOrDie;
using bescheid::testing::TempDir;
using bescheid::testing::WriteFileOrDie;
namespace fs = std::filesystem;

TEST(EnvTest, WriteFileAtomicReplacesAndLeavesNoTemporaryFile) {
  TempDir dir;
  Env* env = DefaultEnv();
  const std::string path = dir / "a/b/letter.pdf";  // parents created
  ASSERT_TRUE(env->WriteFileAtomic(path, "first").ok());
  ASSERT_TRUE(env->WriteFileAtomic(path, "second").ok());
  EXPECT_EQ(ReadFileOrDie(path), "second");
  EXPECT_EQ(std::distance(fs::directory_iterator(dir / "a/b"),
                          fs::directory_iterator()),
            1);
}

// Grouped durability: files written without sync are whole under their
// names at once (no temporary left), and one SyncFiles pass over files in
// two folders succeeds; a path that is not there fails the pass.
TEST(EnvTest, UnsyncedWritesAreWholeAndOneSyncPassMakesThemDurable) {
  TempDir dir;
  Env* env = DefaultEnv();
  const std::string a = dir / "day/a.pdf", b = dir / "day/a.decision.xml",
                    c = dir / "drafts/c.pdf";
  ASSERT_TRUE(env->WriteFileUnsynced(a, "old").ok());
  ASSERT_TRUE(env->WriteFileUnsynced(a, "letter").ok());
  ASSERT_TRUE(env->WriteFileUnsynced(b, "record").ok());
  ASSERT_TRUE(env->WriteFileUnsynced(c, "draft").ok());
  EXPECT_EQ(ReadFileOrDie(a), "letter");
  EXPECT_EQ(ReadFileOrDie(b), "record");
  EXPECT_EQ(std::distance(fs::directory_iterator(dir / "day"),
                          fs::directory_iterator()),
            2);
  EXPECT_TRUE(env->SyncFiles({a, b, c}).ok());
  EXPECT_TRUE(env->SyncFiles({}).ok());
  const Status missing = env->SyncFiles({a, dir / "day/gone.pdf"});
  EXPECT_EQ(missing.code(), StatusCode::kNotFound) << missing.message();
  // A link was not written by WriteFileUnsynced: it is not made durable
  // through its target.
  fs::create_symlink(a, dir / "day/link.pdf");
  EXPECT_EQ(env->SyncFiles({dir / "day/link.pdf"}).code(), StatusCode::kIo);
  EXPECT_EQ(env->WriteFileUnsynced(dir / "day/a.pdf/x", "y").code(),
            StatusCode::kIo);
}

TEST(EnvTest, WriteIntoAFileInsteadOfAFolderFails) {
  TempDir dir;
  WriteFileOrDie(dir / "file", "x");
  Status s = DefaultEnv()->WriteFileAtomic(dir / "file/inner.txt", "y");
  EXPECT_FALSE(s.ok());
  EXPECT_EQ(s.code(), StatusCode::kIo);
}

TEST(EnvTest, ReadFileHonoursTheCapAndTellsMissingFromBroken) {
  TempDir dir;
  Env* env = DefaultEnv();
  WriteFileOrDie(dir / "x", std::string(100, 'x'));
  EXPECT_EQ(env->ReadFile(dir / "x", 100)->size(), 100u);
  EXPECT_EQ(env->ReadFile(dir / "x", 99).status().code(),
            StatusCode::kInvalidInput);
  EXPECT_EQ(env->ReadFile(dir / "none", 10).status().code(),
            StatusCode::kNotFound);
  EXPECT_EQ(env->ReadFile(dir.path(), 10).status().code(),
            StatusCode::kInvalidInput);
}

TEST(EnvTest, MoveFileWithinAFileSystemAndRefusesToOverwrite) {
  TempDir dir;
  Env* env = DefaultEnv();
  WriteFileOrDie(dir / "in/a.xml", "A");
  WriteFileOrDie(dir / "in/b.xml", "B");
  ASSERT_TRUE(env->MoveFile(dir / "in/a.xml", dir / "out/x/a.xml").ok());
  EXPECT_EQ(ReadFileOrDie(dir / "out/x/a.xml"), "A");
  EXPECT_FALSE(fs::exists(dir / "in/a.xml"));
  EXPECT_FALSE(env->MoveFile(dir / "in/b.xml", dir / "out/x/a.xml").ok());
  EXPECT_EQ(ReadFileOrDie(dir / "out/x/a.xml"), "A");
  EXPECT_EQ(ReadFileOrDie(dir / "in/b.xml"), "B");
}

TEST(EnvTest, MoveFileAcrossFileSystemsCopiesThenUnlinks) {
  struct stat shm, tmp;
  TempDir dir;
  if (::stat("/dev/shm", &shm) != 0 || ::stat(dir.path().c_str(), &tmp) != 0 ||
      shm.st_dev == tmp.st_dev) {
    GTEST_SKIP() << "no second file system (/dev/shm) here";
  }
  std::string src_dir = "/dev/shm/bescheid-test-XXXXXX";
  ASSERT_NE(::mkdtemp(src_dir.data()), nullptr);
  const std::string src = src_dir + "/antrag.xml";
  const std::string content(200000, 'q');
  WriteFileOrDie(src, content);
  // A temporary file an interrupted move left under the old fixed name
  // must not block the name.
  WriteFileOrDie(dir / "processing/antrag.xml.part-move", "stale");
  Status s = DefaultEnv()->MoveFile(src, dir / "processing/antrag.xml");
  EXPECT_TRUE(s.ok()) << s.message();
  EXPECT_EQ(ReadFileOrDie(dir / "processing/antrag.xml"), content);
  EXPECT_FALSE(fs::exists(src));
  EXPECT_EQ(std::distance(fs::directory_iterator(dir / "processing"),
                          fs::directory_iterator()),
            2);  // the file and the stale leftover, no new temporary
  fs::remove_all(src_dir);
}

TEST(EnvTest, LinksAndSpecialFilesAreNeverFollowedOrOpenedForReading) {
  TempDir dir;
  Env* env = DefaultEnv();
  WriteFileOrDie(dir / "outside/secret.xml", "<secret/>");
  fs::create_directories(dir / "inbox");
  fs::create_symlink(dir / "outside/secret.xml", dir / "inbox/link.xml");
  fs::create_directory_symlink(dir / "outside", dir / "inbox/dir");
  ASSERT_EQ(::mkfifo((dir / "inbox/fifo.xml").c_str(), 0644), 0);

  Result<std::string> link = env->ReadFile(dir / "inbox/link.xml", 100);
  EXPECT_EQ(link.status().code(), StatusCode::kInvalidInput);
  EXPECT_NE(link.status().message().find("Verknüpfung"), std::string::npos);
  // A FIFO without a writer: refused at once instead of blocking.
  Result<std::string> fifo = env->ReadFile(dir / "inbox/fifo.xml", 100);
  EXPECT_EQ(fifo.status().code(), StatusCode::kInvalidInput);
  EXPECT_NE(fifo.status().message().find("keine reguläre Datei"),
            std::string::npos);

  EXPECT_EQ(env->Stat(dir / "inbox/link.xml")->type, FileType::kSymlink);
  EXPECT_EQ(env->Stat(dir / "inbox/dir")->type, FileType::kSymlink);
  EXPECT_EQ(env->Stat(dir / "inbox/fifo.xml")->type, FileType::kOther);
  EXPECT_EQ(env->Stat(dir / "outside")->type, FileType::kDirectory);

  // Moving a link moves the link, never its target.
  ASSERT_TRUE(env->MoveFile(dir / "inbox/dir", dir / "rejected/dir").ok());
  EXPECT_TRUE(fs::is_symlink(dir / "rejected/dir"));
  EXPECT_EQ(ReadFileOrDie(dir / "outside/secret.xml"), "<secret/>");
}

// The service's umask decides who may read and remove its outputs: with
// the unit's 0007, the clerks' group may remove letters and notes.
TEST(EnvTest, FoldersAndFilesFollowTheUmask) {
  TempDir dir;
  const mode_t old = ::umask(0007);
  Status s = DefaultEnv()->WriteFileAtomic(dir / "outbox/day/a.pdf", "x");
  ::umask(old);
  ASSERT_TRUE(s.ok()) << s.message();
  struct stat st;
  ASSERT_EQ(::stat((dir / "outbox/day").c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 0777, 0770u);
  ASSERT_EQ(::stat((dir / "outbox/day/a.pdf").c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 0777, 0660u);
}

// A private file (the station's users) gets exactly the mode asked for,
// whatever the umask, and keeps the owner of the file it replaces.
TEST(EnvTest, WriteOptionsSetTheModeExactlyAndKeepTheOwner) {
  TempDir dir;
  const std::string path = dir / "users";
  WriteOptions options;
  options.mode = 0640;
  options.keep_owner = true;
  const mode_t old = ::umask(0077);
  Status s = DefaultEnv()->WriteFileAtomic(path, "first", options);
  ::umask(old);
  ASSERT_TRUE(s.ok()) << s.message();
  struct stat st;
  ASSERT_EQ(::stat(path.c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 07777, 0640u);
  EXPECT_EQ(st.st_uid, ::geteuid());  // nothing to keep: the writer's

  if (::geteuid() != 0) GTEST_SKIP() << "giving a file away needs root";
  ASSERT_EQ(::chown(path.c_str(), 4321, 4322), 0);
  options.mode = 0600;
  ASSERT_TRUE(DefaultEnv()->WriteFileAtomic(path, "second", options).ok());
  ASSERT_EQ(::stat(path.c_str(), &st), 0);
  EXPECT_EQ(st.st_uid, 4321u);
  EXPECT_EQ(st.st_gid, 4322u);
  EXPECT_EQ(st.st_mode & 07777, 0600u);
  EXPECT_EQ(ReadFileOrDie(path), "second");
  // Without keep_owner the replacement is the writer's.
  ASSERT_TRUE(DefaultEnv()->WriteFileAtomic(path, "third").ok());
  ASSERT_EQ(::stat(path.c_str(), &st), 0);
  EXPECT_EQ(st.st_uid, 0u);
}

TEST(EnvTest, HardLinksAreCounted) {
  TempDir dir;
  WriteFileOrDie(dir / "a.xml", "A");
  EXPECT_EQ(DefaultEnv()->Stat(dir / "a.xml")->links, 1u);
  fs::create_hard_link(dir / "a.xml", dir / "b.xml");
  EXPECT_EQ(DefaultEnv()->Stat(dir / "a.xml")->links, 2u);
}

TEST(EnvTest, ALockIsExclusiveAcrossProcessesAndNamesItsHolder) {
  TempDir dir;
  Env* env = DefaultEnv();
  int ready[2], done[2];
  ASSERT_EQ(::pipe(ready), 0);
  ASSERT_EQ(::pipe(done), 0);
  const pid_t child = ::fork();
  if (child == 0) {
    auto lock = DefaultEnv()->LockFile(dir / "root/.lock");
    char c = lock.ok() ? 'y' : 'n';
    (void)!::write(ready[1], &c, 1);
    (void)!::read(done[0], &c, 1);  // hold until the parent is done
    ::_exit(0);
  }
  char c = 0;
  ASSERT_EQ(::read(ready[0], &c, 1), 1);
  ASSERT_EQ(c, 'y');
  Result<std::unique_ptr<FileLock>> second = env->LockFile(dir / "root/.lock");
  EXPECT_FALSE(second.ok());
  EXPECT_NE(second.status().message().find("pid " + std::to_string(child)),
            std::string::npos)
      << second.status().message();
  (void)!::write(done[1], "x", 1);
  ::waitpid(child, nullptr, 0);
  // Released with the holder: now it can be taken, and again after that.
  {
    auto mine = env->LockFile(dir / "root/.lock");
    ASSERT_TRUE(mine.ok()) << mine.status().message();
    EXPECT_EQ(ReadFileOrDie(dir / "root/.lock"),
              std::to_string(::getpid()) + "\n");
  }
  EXPECT_TRUE(env->LockFile(dir / "root/.lock").ok());
}

TEST(EnvTest, DocumentTimeFollowsSourceDateEpoch) {
  Env* env = DefaultEnv();
  ::setenv("SOURCE_DATE_EPOCH", "1503144000", 1);
  EXPECT_EQ(DocumentTime(env), 1503144000);
  ::setenv("SOURCE_DATE_EPOCH", "not a number", 1);
  EXPECT_NE(DocumentTime(env), 1503144000);
  ::unsetenv("SOURCE_DATE_EPOCH");
  EXPECT_GT(DocumentTime(env), 1503144000);
  ::setenv("TZ", "UTC", 1);
  ::tzset();
  EXPECT_EQ(LocalDate(1503144000), (core::Date{2017, 8, 19}));
  EXPECT_EQ(LocalDate(1503100799), (core::Date{2017, 8, 18}));
}

TEST(PathTest, JoinBaseDir) {
  EXPECT_EQ(JoinPath("a", "b"), "a/b");
  EXPECT_EQ(JoinPath("a/", "b"), "a/b");
  EXPECT_EQ(JoinPath("", "b"), "b");
  EXPECT_EQ(BaseName("dir/sub/a.xml"), "a.xml");
  EXPECT_EQ(BaseName("a.xml"), "a.xml");
  EXPECT_EQ(DirName("dir/sub/a.xml"), "dir/sub");
  EXPECT_EQ(DirName("a.xml"), ".");
  EXPECT_EQ(DirName("/a.xml"), "/");
}

}  // namespace
}  // namespace bescheid
