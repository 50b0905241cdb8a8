#include "core/receipt.h"

#include <gtest/gtest.h>

namespace bescheid::core {
namespace {

TEST(ReceiptDateTest, MailroomDateAtTheStartOfTheName) {
  const std::optional<Date> d =
      ReceiptDateFromFileName("2017-08-14_tettnang.pdf");
  ASSERT_TRUE(d.has_value());
  EXPECT_EQ(*d, (Date{2017, 8, 14}));
  EXPECT_EQ(ReceiptDateFromFileName("2020-02-29_x.tif"), (Date{2020, 2, 29}));
  EXPECT_EQ(ReceiptDateFromFileName("2017-12-31_"), (Date{2017, 12, 31}));
  EXPECT_EQ(ReceiptDateFromFileName("eingang/2017-09-01_a.png"),
            (Date{2017, 9, 1}));
}

TEST(ReceiptDateTest, NamesWithoutARealDateGiveNone) {
  for (const char* name :
       {"2018-02-30_x.pdf", "2019-02-29_x.pdf", "2017-13-01_x.pdf",
        "2017-00-10_x.pdf", "2017-08-00_x.pdf", "2017-08-32_x.pdf",
        "2017-08-14.pdf", "2017-08-14-x.pdf", "2017-08-14", "2017-8-14_x.pdf",
        "17-08-14_x.pdf", "x_2017-08-14_x.pdf", " 2017-08-14_x.pdf",
        "2017/08/14_x.pdf", "２０17-08-14_x.pdf", "", "scan.pdf",
        "2017-08-14_x/scan.pdf"}) {
    EXPECT_FALSE(ReceiptDateFromFileName(name).has_value()) << name;
  }
}

TEST(ReceiptDateTest, ScanDateFromNameElseModificationTime) {
  const Date mtime{2017, 9, 3};
  const ReceiptDate named = ScanReceiptDate("2017-08-14_a.pdf", mtime);
  EXPECT_EQ(named.date, (Date{2017, 8, 14}));
  EXPECT_EQ(named.source, ReceiptDateSource::kFileName);
  const ReceiptDate unnamed = ScanReceiptDate("2018-02-30_a.pdf", mtime);
  EXPECT_EQ(unnamed.date, mtime);
  EXPECT_EQ(unnamed.source, ReceiptDateSource::kModificationTime);
}

TEST(ReceiptDateTest, SourcesAsTheRecordNamesThem) {
  EXPECT_EQ(ToString(ReceiptDateSource::kFileName), "dateiname");
  EXPECT_EQ(ToString(ReceiptDateSource::kModificationTime), "aenderungszeit");
  EXPECT_EQ(ToString(ReceiptDateSource::kApplication), "antrag");
}

}  // namespace
}  // namespace bescheid::core
