#include "scan/rasterize.h"

#include <allheaders.h>
#include <gtest/gtest.h>

#include <cmath>
#include <cstdlib>

#include "scan_test_util.h"

namespace bescheid::scan {
namespace {

using testing::OnePagePdf;
using testing::TwoPagePdf;

// A4 in pixels at `dpi`: 210 mm x 297 mm.
int A4Width(int dpi) { return static_cast<int>(std::lround(210 / 25.4 * dpi)); }
int A4Height(int dpi) {
  return static_cast<int>(std::lround(297 / 25.4 * dpi));
}

TEST(RasterizeTest, PagesAreA4AtTheRequestedDpi) {
  for (int dpi : {150, 300}) {
    Pages pages = testing::GreyPages(TwoPagePdf(), dpi);
    ASSERT_EQ(pages.size(), 2u);
    for (const PixPtr& page : pages) {
      EXPECT_LE(std::abs(pixGetWidth(page.get()) - A4Width(dpi)), 1) << dpi;
      EXPECT_LE(std::abs(pixGetHeight(page.get()) - A4Height(dpi)), 1) << dpi;
      EXPECT_EQ(pixGetDepth(page.get()), 8);
      EXPECT_EQ(pixGetXRes(page.get()), dpi);
      EXPECT_EQ(pixGetYRes(page.get()), dpi);
    }
  }
}

TEST(RasterizeTest, PrintIsDarkAndPaperWhite) {
  Pages pages = testing::GreyPages(OnePagePdf(), 100);
  ASSERT_EQ(pages.size(), 1u);
  l_int32 lightest = 0, darkest = 255;
  pixGetExtremeValue(pages[0].get(), 1, L_SELECT_MAX, nullptr, nullptr, nullptr,
                     &lightest);
  pixGetExtremeValue(pages[0].get(), 1, L_SELECT_MIN, nullptr, nullptr, nullptr,
                     &darkest);
  EXPECT_EQ(lightest, 255);
  EXPECT_LT(darkest, 50);
}

TEST(RasterizeTest, ColourPagesHave32Bits) {
  RasterOptions options;
  options.dpi = 72;
  options.kind = PixelKind::kColour;
  Result<Pages> pages = RasterizePdf(OnePagePdf(), options);
  ASSERT_TRUE(pages.ok()) << pages.status().message();
  EXPECT_EQ(pixGetDepth((*pages)[0].get()), 32);
  l_int32 r = 0, g = 0, b = 0;
  pixGetRGBPixel((*pages)[0].get(), 5, 5, &r, &g, &b);
  EXPECT_EQ(r + g + b, 3 * 255);  // the corner is paper
}

TEST(RasterizeTest, CountsPagesWithoutRendering) {
  Result<int> n = CountPdfPages(TwoPagePdf());
  ASSERT_TRUE(n.ok());
  EXPECT_EQ(*n, 2);
}

TEST(RasterizeTest, RefusesWhatBreaksALimitInGerman) {
  RasterOptions few_pages;
  few_pages.dpi = 72;
  few_pages.limits.max_pages = 1;
  Result<Pages> r = RasterizePdf(TwoPagePdf(), few_pages);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().code(), StatusCode::kInvalidInput);
  EXPECT_EQ(r.status().message(),
            "Das PDF hat 2 Seiten, höchstens 1 sind erlaubt.");

  RasterOptions big;
  big.dpi = 600;
  big.limits.max_pixels_per_page = 10'000'000;  // A4 at 600 dpi: 34.8 M
  r = RasterizePdf(OnePagePdf(), big);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().message(),
            "Seite 1 ist bei 600 dpi zu groß oder hat keine gültige Größe.");

  RasterOptions fine;
  fine.dpi = 2400;
  r = RasterizePdf(OnePagePdf(), fine);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().code(), StatusCode::kInvalidInput);
}

TEST(RasterizeTest, RefusesBytesThatAreNoPdf) {
  for (const std::string& bytes : {std::string(), std::string("%PDF-1.4 junk"),
                                   std::string("<Antrag/>")}) {
    Result<Pages> r = RasterizePdf(bytes, RasterOptions{});
    ASSERT_FALSE(r.ok());
    EXPECT_EQ(r.status().code(), StatusCode::kInvalidInput);
    EXPECT_EQ(r.status().message(), "Die Datei ist kein lesbares PDF.");
  }
}

}  // namespace
}  // namespace bescheid::scan
