#include "scan/pix.h"

#include <allheaders.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <cstdlib>

namespace bescheid::scan {
namespace {

l_uint32 At(Pix* pix, int x, int y) {
  l_uint32 v = 0;
  pixGetPixel(pix, x, y, &v);
  return v;
}

// A grey test card: gradients, a checkerboard of 3-pixel squares and dark
// strokes, so that every interpolation weight matters.
PixPtr Card(int w, int h) {
  PixPtr pix(pixCreate(w, h, 8));
  for (int y = 0; y < h; ++y) {
    for (int x = 0; x < w; ++x) {
      int v = (x * 255 / (w - 1) + y * 97 / (h - 1)) % 256;
      if ((x / 3 + y / 3) % 2 == 0 && x > w / 2) v = 255 - v;
      if (x % 17 == 0 || y % 23 == 0) v = 10;
      pixSetPixel(pix.get(), x, y, static_cast<l_uint32>(v));
    }
  }
  pixSetResolution(pix.get(), 300, 300);
  return pix;
}

// Bilinear interpolation in double precision, the last column and row
// clamped, white off the image: what AffineGray promises.
double Reference(Pix* pix, double x, double y) {
  const int w = pixGetWidth(pix), h = pixGetHeight(pix);
  if (x < 0 || y < 0 || x >= w || y >= h) return 255;
  const int x0 = static_cast<int>(x), y0 = static_cast<int>(y);
  const int x1 = std::min(x0 + 1, w - 1), y1 = std::min(y0 + 1, h - 1);
  const double fx = x - x0, fy = y - y0;
  return (1 - fy) * ((1 - fx) * At(pix, x0, y0) + fx * At(pix, x1, y0)) +
         fy * ((1 - fx) * At(pix, x0, y1) + fx * At(pix, x1, y1));
}

TEST(AffineGrayTest, IdentityAndWholePixelShiftsCopyPixelsExactly) {
  PixPtr card = Card(64, 48);
  const double a[3] = {1, 0, 0}, b[3] = {0, 1, 0};
  PixPtr same = AffineGray(card.get(), a, b);
  ASSERT_TRUE(same);
  l_int32 equal = 0;
  pixEqual(same.get(), card.get(), &equal);
  EXPECT_TRUE(equal);
  EXPECT_EQ(pixGetXRes(same.get()), 300);

  const double a2[3] = {1, 0, 5}, b2[3] = {0, 1, -3};
  PixPtr shifted = AffineGray(card.get(), a2, b2);
  ASSERT_TRUE(shifted);
  for (int y = 0; y < 48; ++y) {
    for (int x = 0; x < 64; ++x) {
      const l_uint32 want =
          x + 5 < 64 && y - 3 >= 0 ? At(card.get(), x + 5, y - 3) : 255;
      ASSERT_EQ(At(shifted.get(), x, y), want) << x << "," << y;
    }
  }
}

// The share of the result's pixels whose source point is off `card`, and
// the largest difference from the exact reference.
struct Deviation {
  int off_page = 0;
  double most = 0;
};

Deviation AgainstReference(Pix* card, const double a[3], const double b[3]) {
  PixPtr out = AffineGray(card, a, b);
  EXPECT_TRUE(out);
  Deviation d;
  if (!out) return d;
  const int w = pixGetWidth(card), h = pixGetHeight(card);
  for (int y = 0; y < h; ++y) {
    for (int x = 0; x < w; ++x) {
      const double sx = a[0] * x + a[1] * y + a[2];
      const double sy = b[0] * x + b[1] * y + b[2];
      if (sx < 0 || sy < 0 || sx >= w || sy >= h) ++d.off_page;
      d.most = std::max(
          d.most, std::fabs(At(out.get(), x, y) - Reference(card, sx, sy)));
    }
  }
  return d;
}

TEST(AffineGrayTest, RotationScaleAndShearMatchExactBilinearInterpolation) {
  PixPtr card = Card(120, 90);
  const double t = 2.7 * M_PI / 180;
  const double a[3] = {1.004 * std::cos(t), -std::sin(t) + 0.003, 7.25};
  const double b[3] = {std::sin(t), 0.997 * std::cos(t), -4.6};
  const Deviation d = AgainstReference(card.get(), a, b);
  // Weights in 1/1024, rounded once: within a grey level.
  EXPECT_LE(d.most, 1.0);
  EXPECT_GT(d.off_page, 0);  // the shift brings white in at two edges
}

// Rows are stepped in runs over one pair of source rows: steps backwards
// (a page upside down, mirrored), steep angles with runs of a pixel or
// two, and a source row stepped along exactly (no vertical step) must
// all give the reference.
TEST(AffineGrayTest, EveryStepDirectionMatchesTheReference) {
  PixPtr card = Card(97, 61);
  struct Map {
    double a[3], b[3];
  };
  const double t = 33 * M_PI / 180;
  const Map maps[] = {
      {{-1, 0, 96.5}, {0, -1, 60.25}},             // turned over
      {{-0.98, 0.02, 95.1}, {-0.03, 1.01, -0.7}},  // mirrored
      {{std::cos(t), -std::sin(t), 20}, {std::sin(t), std::cos(t), -15}},
      {{0.5, 0, 10.3}, {0, 0.5, 4.9}},           // enlarged
      {{1.7, 0.1, -3.313}, {-0.2, 1.9, 2.217}},  // reduced
  };
  for (const Map& m : maps) {
    const Deviation d = AgainstReference(card.get(), m.a, m.b);
    EXPECT_LE(d.most, 1.0) << m.a[0] << " " << m.b[0];
  }
}

// Leptonica's pixAffine, which AffineGray replaces, interpolates with
// sixteenth-pixel weights: the two agree but for that rounding, at most
// 2/16 of the card's contrast (245) at a pixel.
TEST(AffineGrayTest, AgreesWithLeptonicasAffine) {
  PixPtr card = Card(200, 150);
  const double t = -1.8 * M_PI / 180;
  const double a[3] = {std::cos(t), -std::sin(t), 3.5};
  const double b[3] = {std::sin(t), std::cos(t), 2.25};
  l_float32 coeffs[6] = {
      static_cast<l_float32>(a[0]), static_cast<l_float32>(a[1]),
      static_cast<l_float32>(a[2]), static_cast<l_float32>(b[0]),
      static_cast<l_float32>(b[1]), static_cast<l_float32>(b[2])};
  PixPtr ours = AffineGray(card.get(), a, b);
  PixPtr theirs(pixAffine(card.get(), coeffs, L_BRING_IN_WHITE));
  ASSERT_TRUE(ours && theirs);
  double total = 0;
  int pixels = 0, most = 0;
  for (int y = 0; y < 150; ++y) {
    for (int x = 0; x < 200; ++x) {
      // The edges differ: Leptonica clamps its last row differently.
      const double sx = a[0] * x + a[1] * y + a[2];
      const double sy = b[0] * x + b[1] * y + b[2];
      if (sx < 1 || sy < 1 || sx > 198 || sy > 148) continue;
      const int d = std::abs(static_cast<int>(At(ours.get(), x, y)) -
                             static_cast<int>(At(theirs.get(), x, y)));
      total += d;
      most = std::max(most, d);
      ++pixels;
    }
  }
  EXPECT_LE(most, 2 * 245 / 16);
  EXPECT_LT(total / pixels, 3.0);
}

TEST(AffineGrayTest, RefusesWhatIsNotPlainGrey) {
  const double a[3] = {1, 0, 0}, b[3] = {0, 1, 0};
  PixPtr bitonal(pixCreate(8, 8, 1));
  EXPECT_FALSE(AffineGray(bitonal.get(), a, b));
  PixPtr colour(pixCreate(8, 8, 32));
  EXPECT_FALSE(AffineGray(colour.get(), a, b));
  PixPtr grey(pixCreate(8, 8, 8));
  const double stretched[3] = {1e9, 0, 0}, shifted[3] = {0, 1, NAN};
  EXPECT_FALSE(AffineGray(grey.get(), stretched, b));
  EXPECT_FALSE(AffineGray(grey.get(), a, shifted));
  EXPECT_TRUE(AffineGray(grey.get(), a, b));
  PixPtr mapped(pixCreate(8, 8, 8));
  pixSetColormap(mapped.get(), pixcmapCreateLinear(8, 256));
  EXPECT_FALSE(AffineGray(mapped.get(), a, b));
}

// Grey pages are thresholded without a copy; what comes out is what
// pixConvertTo1 gives, for grey and for colour.
TEST(ToBitonalTest, InkIsWhatPixConvertTo1Finds) {
  PixPtr card = Card(64, 48);
  PixPtr colour(pixConvertTo32(card.get()));
  pixSetRGBPixel(colour.get(), 5, 5, 200, 10, 10);
  for (Pix* page : {card.get(), colour.get()}) {
    for (int threshold : {11, 128, 250}) {
      PixPtr ours = ToBitonal(page, threshold);
      PixPtr theirs(pixConvertTo1(page, threshold));
      ASSERT_TRUE(ours && theirs);
      l_int32 equal = 0;
      pixEqual(ours.get(), theirs.get(), &equal);
      EXPECT_TRUE(equal) << pixGetDepth(page) << " bpp, " << threshold;
    }
  }
  l_int32 ink = 0;
  pixCountPixels(ToBitonal(card.get(), 11).get(), &ink, nullptr);
  EXPECT_GT(ink, 0);  // the strokes of grey level 10
}

TEST(GreyViewTest, SharesAPlainGreyPageAndConvertsOthers) {
  PixPtr card = Card(16, 12);
  PixPtr view = GreyView(card.get());
  ASSERT_TRUE(view);
  EXPECT_EQ(pixGetData(view.get()), pixGetData(card.get()));

  PixPtr bitonal(pixCreate(16, 12, 1));
  pixSetPixel(bitonal.get(), 3, 4, 1);
  PixPtr grey = GreyView(bitonal.get());
  ASSERT_TRUE(grey);
  EXPECT_EQ(pixGetDepth(grey.get()), 8);
  EXPECT_EQ(At(grey.get(), 3, 4), 0u);
  EXPECT_EQ(At(grey.get(), 4, 4), 255u);

  PixPtr mapped(pixCreate(16, 12, 8));
  pixSetColormap(mapped.get(), pixcmapCreateLinear(8, 256));
  PixPtr unmapped = GreyView(mapped.get());
  ASSERT_TRUE(unmapped);
  EXPECT_EQ(pixGetColormap(unmapped.get()), nullptr);
  EXPECT_NE(pixGetData(unmapped.get()), pixGetData(mapped.get()));
}

}  // namespace
}  // namespace bescheid::scan
