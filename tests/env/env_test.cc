#include "env/env.h"

#include <gtest/gtest.h>
#include <stdlib.h>
#include <sys/stat.h>

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
  Status s = DefaultEnv()->MoveFile(src, dir / "processing/antrag.xml");
  EXPECT_TRUE(s.ok()) << s.message();
  EXPECT_EQ(ReadFileOrDie(dir / "processing/antrag.xml"), content);
  EXPECT_FALSE(fs::exists(src));
  EXPECT_FALSE(fs::exists(dir / "processing/antrag.xml.part-move"));
  fs::remove_all(src_dir);
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
