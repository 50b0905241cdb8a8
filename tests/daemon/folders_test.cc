#include "daemon/folders.h"

#include <gtest/gtest.h>

#include "test_util.h"

namespace bescheid::daemon {
namespace {

TEST(IgnoreTest, DefaultPatternsOfScannersAndDesktops) {
  const std::vector<std::string> p = {".*",          "~$*",        "*.tmp",
                                      "*.part",      "*.filepart", "Thumbs.db",
                                      "desktop.ini", ".DS_Store",  "@eaDir"};
  for (const char* name :
       {".hidden", "~$antrag.xml", "a.tmp", "scan.part", "x.filepart",
        "Thumbs.db", "desktop.ini", ".DS_Store", "@eaDir", ".antrag.xml.swp"}) {
    EXPECT_TRUE(IsIgnored(name, p)) << name;
  }
  for (const char* name : {"antrag.xml", "tmp.xml", "part.xml", "a.tmp.xml",
                           "Thumbs.db.xml", "scan.pdf"}) {
    EXPECT_FALSE(IsIgnored(name, p)) << name;
  }
}

TEST(FreeNameTest, AppendsANumberBeforeTheExtension) {
  bescheid::testing::TempDir dir;
  Env* env = DefaultEnv();
  EXPECT_EQ(FreeName(env, dir.path(), "a.xml"), "a.xml");
  bescheid::testing::WriteFileOrDie(dir / "a.xml", "x");
  EXPECT_EQ(FreeName(env, dir.path(), "a.xml"), "a (2).xml");
  bescheid::testing::WriteFileOrDie(dir / "a (2).xml", "x");
  EXPECT_EQ(FreeName(env, dir.path(), "a.xml"), "a (3).xml");
  bescheid::testing::WriteFileOrDie(dir / "README", "x");
  EXPECT_EQ(FreeName(env, dir.path(), "README"), "README (2)");
}

TEST(ClaimedNameTest, RoundTrip) {
  EXPECT_EQ(OriginalName(ClaimedName("1700-1-2", "antrag__v2.xml")),
            "antrag__v2.xml");
  EXPECT_EQ(OriginalName("plain.xml"), "");
}

TEST(FoldersTest, LayoutUnderTheRoot) {
  WatchFolders f("/srv/watch");
  EXPECT_EQ(f.inbox, "/srv/watch/inbox");
  EXPECT_EQ(f.processing, "/srv/watch/processing");
  EXPECT_EQ(f.OutboxDay({2017, 8, 19}), "/srv/watch/outbox/2017-08-19");
  EXPECT_EQ(f.archive, "/srv/watch/archive");
  EXPECT_EQ(f.review, "/srv/watch/review");
}

}  // namespace
}  // namespace bescheid::daemon
