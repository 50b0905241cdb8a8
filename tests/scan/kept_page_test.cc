#include "scan/kept_page.h"

#include <allheaders.h>
#include <gtest/gtest.h>

#include <string>

namespace bescheid::scan {
namespace {

// A white 120 x 90 grey page with a dark square at (40, 30).
PixPtr Page() {
  PixPtr page(pixCreate(120, 90, 8));
  pixSetAllArbitrary(page.get(), 255);
  for (int y = 30; y < 40; ++y) {
    for (int x = 40; x < 50; ++x) pixSetPixel(page.get(), x, y, 17);
  }
  pixSetResolution(page.get(), 300, 300);
  return page;
}

bool SamePixels(Pix* a, Pix* b) {
  l_int32 same = 0;
  return pixEqual(a, b, &same) == 0 && same == 1;
}

TEST(KeptPageTest, ADecodedPageIsSharedAndEncodedWhenItsPngIsAskedFor) {
  PixPtr original = Page();
  KeptPage kept = KeptPage::Decoded(CopyPix(original.get()));
  EXPECT_TRUE(kept.decoded());
  EXPECT_EQ(kept.decoded_pixels(), 120u * 90u);
  Result<std::shared_ptr<Pix>> a = kept.Image();
  const KeptPage copy = kept;
  Result<std::shared_ptr<Pix>> b = copy.Image();
  ASSERT_TRUE(a.ok() && b.ok());
  EXPECT_EQ(a->get(), b->get());  // one image, not a copy per ask
  EXPECT_TRUE(SamePixels(a->get(), original.get()));
  Result<std::string> png = kept.Png();
  ASSERT_TRUE(png.ok()) << png.status().message();
  EXPECT_EQ(png->substr(1, 3), "PNG");
  Result<PixPtr> back = DecodeKeptPage(*png);
  ASSERT_TRUE(back.ok());
  EXPECT_TRUE(SamePixels(back->get(), original.get()));
}

TEST(KeptPageTest, AnEncodedPageIsDecodedWhenItsImageIsAskedFor) {
  PixPtr original = Page();
  Result<KeptPage> kept = KeptPage::Encoded(original.get());
  ASSERT_TRUE(kept.ok()) << kept.status().message();
  EXPECT_FALSE(kept->decoded());
  EXPECT_EQ(kept->decoded_pixels(), 0u);
  Result<std::shared_ptr<Pix>> image = kept->Image();
  ASSERT_TRUE(image.ok());
  EXPECT_TRUE(SamePixels(image->get(), original.get()));
  Result<std::string> png = kept->Png();
  Result<std::string> direct = EncodeKeptPage(original.get());
  ASSERT_TRUE(png.ok() && direct.ok());
  EXPECT_EQ(*png, *direct);  // the bytes kept, as they were encoded
}

TEST(KeptPageTest, NoPageAndBytesThatAreNoPngFail) {
  const KeptPage none;
  EXPECT_FALSE(none.Png().ok());
  EXPECT_FALSE(none.Image().ok());
  EXPECT_FALSE(KeptPage::Decoded(nullptr).Image().ok());
  EXPECT_FALSE(KeptPage::FromPng("not a png").Image().ok());
}

}  // namespace
}  // namespace bescheid::scan
