#include "scan/crop.h"

#include <allheaders.h>
#include <gtest/gtest.h>

#include <string>

namespace bescheid::scan {
namespace {

// A white 100 x 80 grey page with one black pixel at (x, y).
PixPtr PageWithDot(int x, int y) {
  PixPtr page(pixCreate(100, 80, 8));
  pixSetAllArbitrary(page.get(), 255);
  pixSetPixel(page.get(), x, y, 0);
  pixSetResolution(page.get(), 150, 150);
  return page;
}

PixPtr Decode(const std::string& png) {
  return PixPtr(
      pixReadMem(reinterpret_cast<const l_uint8*>(png.data()), png.size()));
}

l_uint32 PixelAt(Pix* pix, int x, int y) {
  l_uint32 v = 0;
  pixGetPixel(pix, x, y, &v);
  return v;
}

TEST(CropPngTest, TheBoxWithItsMarginAsAPng) {
  PixPtr page = PageWithDot(30, 25);
  Result<std::string> png = CropPng(page.get(), PixelBox{20, 20, 15, 10}, 5);
  ASSERT_TRUE(png.ok()) << png.status().message();
  EXPECT_EQ(png->substr(1, 3), "PNG");
  PixPtr crop = Decode(*png);
  ASSERT_TRUE(crop);
  EXPECT_EQ(pixGetWidth(crop.get()), 15 + 2 * 5);
  EXPECT_EQ(pixGetHeight(crop.get()), 10 + 2 * 5);
  EXPECT_EQ(pixGetDepth(crop.get()), 8);
  EXPECT_EQ(ResolutionOf(crop.get()), 150);
  // (30, 25) on the page is (30 - 15, 25 - 15) in the crop.
  EXPECT_EQ(PixelAt(crop.get(), 15, 10), 0u);
  EXPECT_EQ(PixelAt(crop.get(), 14, 10), 255u);
}

TEST(CropPngTest, TheMarginIsCutAtThePageEdges) {
  PixPtr page = PageWithDot(0, 0);
  Result<std::string> corner = CropPng(page.get(), PixelBox{0, 0, 10, 10}, 24);
  ASSERT_TRUE(corner.ok());
  PixPtr a = Decode(*corner);
  EXPECT_EQ(pixGetWidth(a.get()), 10 + 24);
  EXPECT_EQ(pixGetHeight(a.get()), 10 + 24);
  EXPECT_EQ(PixelAt(a.get(), 0, 0), 0u);

  Result<std::string> far = CropPng(page.get(), PixelBox{90, 70, 30, 30}, 4);
  ASSERT_TRUE(far.ok());
  PixPtr b = Decode(*far);
  EXPECT_EQ(pixGetWidth(b.get()), 100 - 86);
  EXPECT_EQ(pixGetHeight(b.get()), 80 - 66);
}

TEST(CropPngTest, NothingLeftOfThePageIsRefused) {
  PixPtr page = PageWithDot(1, 1);
  struct Case {
    PixelBox box;
    int margin;
  };
  for (const Case& c :
       {Case{{10, 10, 0, 5}, 5}, Case{{10, 10, 5, -1}, 5},
        Case{{200, 10, 5, 5}, 24}, Case{{10, -60, 5, 5}, 24},
        Case{{10, 10, 5, 5}, -1}, Case{{2147483000, 10, 600, 5}, 2000}}) {
    Result<std::string> png = CropPng(page.get(), c.box, c.margin);
    EXPECT_EQ(png.status().code(), StatusCode::kInvalidInput)
        << c.box.x << "," << c.box.y << " " << c.box.w << "x" << c.box.h;
  }
  EXPECT_EQ(CropPng(nullptr, PixelBox{0, 0, 5, 5}, 0).status().code(),
            StatusCode::kInvalidInput);
}

}  // namespace
}  // namespace bescheid::scan
