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

TEST(ClaimNameTest, FixedWidthNamesSortInClaimOrder) {
  EXPECT_EQ(ClaimDataName(9), "000000000009.in");
  EXPECT_EQ(ClaimNameFile(10), "000000000010.name");
  EXPECT_LT(ClaimDataName(9), ClaimDataName(10));  // as text, too
  auto data = ParseClaimEntry("000000000042.in");
  ASSERT_TRUE(data.has_value());
  EXPECT_EQ(data->claim, 42u);
  EXPECT_FALSE(data->is_name_file);
  auto name = ParseClaimEntry("000000000042.name");
  ASSERT_TRUE(name.has_value());
  EXPECT_TRUE(name->is_name_file);
  for (const char* other : {"42.in", "00000000004x.in", "000000000042.xml",
                            "1700000000-12-3__antrag.xml", "junk-fifo"}) {
    EXPECT_FALSE(ParseClaimEntry(other).has_value()) << other;
  }
}

TEST(ClaimNameTest, NameFileKeepsTheRawNameAndGivesASafeOne) {
  const std::string raw = "x\noutcome=decided \xFF.xml";
  const std::string file = EncodeNameFile(raw);
  EXPECT_EQ(file,
            "x\\x0Aoutcome=decided \\xFF.xml\n"
            "x%0Aoutcome%3Ddecided%20%FF.xml\n");
  EXPECT_EQ(DisplayNameFromNameFile(file), "x\\x0Aoutcome=decided \\xFF.xml");
  EXPECT_EQ(DisplayNameFromNameFile("no newline"), "");
  // A tampered name file still yields a safe name.
  EXPECT_EQ(DisplayNameFromNameFile("a/b\x01\n"), "a\\x2Fb\\x01");
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
