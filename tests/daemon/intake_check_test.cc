#include "daemon/intake_check.h"

#include <gtest/gtest.h>

#include "test_util.h"

namespace bescheid::daemon {
namespace {

TEST(SniffTest, RecognisesFormats) {
  EXPECT_EQ(Sniff("<?xml version=\"1.0\"?><a/>"), FileKind::kXml);
  EXPECT_EQ(Sniff("\xEF\xBB\xBF  \n<a/>"), FileKind::kXml);
  EXPECT_EQ(Sniff("%PDF-1.7\n"), FileKind::kScan);
  EXPECT_EQ(Sniff(std::string("II*\0", 4)), FileKind::kScan);
  EXPECT_EQ(Sniff(std::string("MM\0*", 4)), FileKind::kScan);
  EXPECT_EQ(Sniff("\x89PNG\r\n\x1a\n...."), FileKind::kScan);
  EXPECT_EQ(Sniff("\xFF\xD8\xFF\xE0"), FileKind::kScan);
  EXPECT_EQ(Sniff("hello"), FileKind::kOther);
  EXPECT_EQ(Sniff(""), FileKind::kOther);
}

TEST(CompleteTest, XmlEndsWithItsRootEndTag) {
  const std::string doc = bescheid::testing::ReadFileOrDie(
      bescheid::testing::SourcePath("examples/01-bewilligung-tettnang.xml"));
  EXPECT_TRUE(LooksComplete(FileKind::kXml, doc));
  // Every prefix that cuts the root end tag off is incomplete, including
  // one that ends right after an inner element's '>'.
  for (size_t cut : {size_t{0}, size_t{10}, doc.size() / 3,
                     doc.find("</Stellen>") + 10, doc.size() - 5}) {
    EXPECT_FALSE(LooksComplete(FileKind::kXml, doc.substr(0, cut))) << cut;
  }
  EXPECT_TRUE(LooksComplete(FileKind::kXml, doc + "\n<!-- signed -->\n"));
  EXPECT_TRUE(
      LooksComplete(FileKind::kXml, "<a:Root xmlns:a='x'><b/></a:Root >"));
  EXPECT_TRUE(LooksComplete(FileKind::kXml, "<?xml version='1.0'?><Root/>"));
  EXPECT_FALSE(LooksComplete(FileKind::kXml, "<?xml version='1.0'?>"));
}

TEST(CompleteTest, ScansHaveTheirEnds) {
  EXPECT_TRUE(LooksComplete(FileKind::kScan, "%PDF-1.4\n1 0 obj\n%%EOF\n"));
  EXPECT_FALSE(LooksComplete(FileKind::kScan, "%PDF-1.4\n1 0 obj\n"));
  std::string tiff("II*\0\x08\0\0\0", 8);
  EXPECT_FALSE(LooksComplete(FileKind::kScan, tiff));  // IFD not there yet
  tiff += std::string("\x01\0", 2);
  EXPECT_TRUE(LooksComplete(FileKind::kScan, tiff));
  EXPECT_TRUE(LooksComplete(FileKind::kScan, "\xFF\xD8\xFF\xE0....\xFF\xD9"));
  EXPECT_FALSE(LooksComplete(FileKind::kScan, "\xFF\xD8\xFF\xE0...."));
  EXPECT_TRUE(LooksComplete(FileKind::kOther, "anything"));
}

}  // namespace
}  // namespace bescheid::daemon
