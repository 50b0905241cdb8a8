#include "scan/degrade.h"

#include <allheaders.h>
#include <gtest/gtest.h>

#include <cmath>

#include "scan_test_util.h"

namespace bescheid::scan {
namespace {

using testing::Deviation;
using testing::Flat;
using testing::MeanAbsDiff;

// The letter's first page at `dpi`, grey; computed once per dpi.
Pix* Page(int dpi) {
  static Pages p150 = testing::GreyPages(testing::OnePagePdf(), 150);
  static Pages p200 = testing::GreyPages(testing::OnePagePdf(), 200);
  return (dpi == 150 ? p150 : p200).front().get();
}

PixPtr Must(Result<PixPtr> r) {
  EXPECT_TRUE(r.ok()) << r.status().message();
  return r.ok() ? std::move(r).value() : nullptr;
}

// The skew Leptonica measures on a bitonal copy, in degrees.
double MeasuredSkew(Pix* page) {
  PixPtr bitonal(pixConvertTo1(page, 160));
  l_float32 angle = 0, confidence = 0;
  EXPECT_EQ(pixFindSkew(bitonal.get(), &angle, &confidence), 0);
  EXPECT_GT(confidence, 3.0f);
  return angle;
}

TEST(DegradeTest, RotationIsMeasuredBackAsSkew) {
  EXPECT_NEAR(MeasuredSkew(Page(200)), 0.0, 0.2);
  for (double degrees : {3.0, -2.0}) {
    PixPtr rotated = Must(Rotate(Page(200), degrees));
    ASSERT_TRUE(rotated);
    EXPECT_EQ(pixGetWidth(rotated.get()), pixGetWidth(Page(200)));
    EXPECT_EQ(pixGetXRes(rotated.get()), 200);
    // Leptonica reports the angle that deskews: the negative of ours.
    EXPECT_NEAR(MeasuredSkew(rotated.get()), -degrees, 0.2) << degrees;
  }
}

TEST(DegradeTest, UpsideDownIsDetectedFromTheText) {
  PixPtr upright(pixConvertTo1(Page(200), 160));
  PixPtr turned = Must(RotateUpsideDown(Page(200)));
  ASSERT_TRUE(turned);
  PixPtr turned1(pixConvertTo1(turned.get(), 160));
  l_float32 conf_upright = 0, conf_turned = 0;
  ASSERT_EQ(pixUpDownDetect(upright.get(), &conf_upright, 0, 0, 0), 0);
  ASSERT_EQ(pixUpDownDetect(turned1.get(), &conf_turned, 0, 0, 0), 0);
  EXPECT_GT(conf_upright, 2.0f);
  EXPECT_LT(conf_turned, -2.0f);
}

TEST(DegradeTest, ShiftMovesTheInk) {
  auto ink_box = [](Pix* page) {
    PixPtr bitonal(pixConvertTo1(page, 160));
    BOX* box = nullptr;
    pixClipToForeground(bitonal.get(), nullptr, &box);
    l_int32 x = -1, y = -1;
    boxGetGeometry(box, &x, &y, nullptr, nullptr);
    boxDestroy(&box);
    return std::pair<int, int>(x, y);
  };
  PixPtr shifted = Must(Shift(Page(150), 17, -9));
  ASSERT_TRUE(shifted);
  const auto before = ink_box(Page(150));
  const auto after = ink_box(shifted.get());
  EXPECT_EQ(after.first - before.first, 17);
  EXPECT_EQ(after.second - before.second, -9);
}

TEST(DegradeTest, GaussianNoiseHasTheRequestedDeviation) {
  PixPtr grey = Flat(300, 300, 128);
  EXPECT_EQ(Deviation(grey.get()), 0.0);
  Rng rng(7);
  PixPtr noisy = Must(AddGaussianNoise(grey.get(), 12.0, rng));
  ASSERT_TRUE(noisy);
  EXPECT_NEAR(Deviation(noisy.get()), 12.0, 0.3);
  l_float32 mean = 0;
  pixGetAverageMasked(noisy.get(), nullptr, 0, 0, 1, L_MEAN_ABSVAL, &mean);
  EXPECT_NEAR(mean, 128.0, 0.3);
}

TEST(DegradeTest, BlurLowersContrast) {
  PixPtr blurred = Must(Blur(Page(150), 2));
  ASSERT_TRUE(blurred);
  EXPECT_LT(Deviation(blurred.get()), 0.9 * Deviation(Page(150)));
  EXPECT_GT(MeanAbsDiff(blurred.get(), Page(150)), 1.0);
}

TEST(DegradeTest, PaintWhiteCoversTheBoxOnlyAndStaysOnThePage) {
  const PixPtr grey = Flat(100, 80, 40);
  PixPtr painted = Must(PaintWhite(grey.get(), PixelBox{10, 20, 30, 15}));
  ASSERT_TRUE(painted);
  l_uint32 v = 0;
  pixGetPixel(painted.get(), 10, 20, &v);
  EXPECT_EQ(v, 255u);
  pixGetPixel(painted.get(), 39, 34, &v);
  EXPECT_EQ(v, 255u);
  pixGetPixel(painted.get(), 40, 34, &v);
  EXPECT_EQ(v, 40u);
  pixGetPixel(painted.get(), 9, 20, &v);
  EXPECT_EQ(v, 40u);
  pixGetPixel(grey.get(), 10, 20, &v);
  EXPECT_EQ(v, 40u);  // the input is not changed
  // A box reaching over the edge is cut to the page.
  painted = Must(PaintWhite(grey.get(), PixelBox{90, 70, 50, 50}));
  ASSERT_TRUE(painted);
  pixGetPixel(painted.get(), 99, 79, &v);
  EXPECT_EQ(v, 255u);
}

TEST(DegradeTest, SaltAndPepperHitsTheRequestedShare) {
  PixPtr grey = Flat(400, 250, 128);
  Rng rng(11);
  PixPtr dotted = Must(AddSaltAndPepper(grey.get(), 0.05, rng));
  ASSERT_TRUE(dotted);
  int black = 0, white = 0;
  for (int y = 0; y < 250; ++y) {
    for (int x = 0; x < 400; ++x) {
      l_uint32 v = 0;
      pixGetPixel(dotted.get(), x, y, &v);
      black += v == 0;
      white += v == 255;
    }
  }
  const double share = (black + white) / (400.0 * 250.0);
  EXPECT_GT(share, 0.047);  // a few positions are drawn twice
  EXPECT_LE(share, 0.05);
  EXPECT_NEAR(static_cast<double>(black) / (black + white), 0.5, 0.03);
}

TEST(DegradeTest, LowerJpegQualityLeavesMoreArtefacts) {
  PixPtr q90 = Must(JpegRoundTrip(Page(150), 90));
  PixPtr q15 = Must(JpegRoundTrip(Page(150), 15));
  ASSERT_TRUE(q90 && q15);
  const double err90 = MeanAbsDiff(q90.get(), Page(150));
  const double err15 = MeanAbsDiff(q15.get(), Page(150));
  EXPECT_GT(err90, 0.0);
  EXPECT_GT(err15, 2 * err90);
  EXPECT_EQ(pixGetXRes(q15.get()), 150);
}

TEST(DegradeTest, BinarizeThresholdsEverySample) {
  PixPtr bitonal = Must(Binarize(Page(150), 128));
  ASSERT_TRUE(bitonal);
  EXPECT_EQ(pixGetDepth(bitonal.get()), 1);
  EXPECT_EQ(pixGetXRes(bitonal.get()), 150);
  l_int32 black = 0;
  pixCountPixels(bitonal.get(), &black, nullptr);
  int darker = 0;
  Pix* page = Page(150);
  for (int y = 0; y < pixGetHeight(page); ++y) {
    for (int x = 0; x < pixGetWidth(page); ++x) {
      l_uint32 v = 0;
      pixGetPixel(page, x, y, &v);
      darker += v < 128;
    }
  }
  EXPECT_GT(black, 1000);
  EXPECT_EQ(black, darker);
}

TEST(DegradeTest, DegradeIsDeterministicForASeed) {
  Degradation d;
  d.rotate_degrees = 1.5;
  d.noise_sigma = 6;
  d.salt_pepper_density = 0.001;
  d.jpeg_quality = 70;
  Rng a(42), b(42), c(43);
  PixPtr pa = Must(Degrade(Page(150), d, a));
  PixPtr pb = Must(Degrade(Page(150), d, b));
  PixPtr pc = Must(Degrade(Page(150), d, c));
  ASSERT_TRUE(pa && pb && pc);
  l_int32 same = 0;
  pixEqual(pa.get(), pb.get(), &same);
  EXPECT_TRUE(same);
  pixEqual(pa.get(), pc.get(), &same);
  EXPECT_FALSE(same);
}

TEST(DegradeTest, RefusesADepthItCannotHandle) {
  PixPtr bitonal(pixCreate(20, 20, 1));
  Rng rng(1);
  EXPECT_EQ(AddGaussianNoise(bitonal.get(), 3, rng).status().code(),
            StatusCode::kInternal);
  EXPECT_TRUE(Rotate(bitonal.get(), 1.0).ok());
}

TEST(RngTest, SequenceIsFixedAndNormalHasUnitDeviation) {
  Rng a(2017), b(2017);
  for (int i = 0; i < 5; ++i) EXPECT_EQ(a.Next(), b.Next());
  Rng n(5);
  double sum = 0, sq = 0;
  constexpr int kN = 200000;
  for (int i = 0; i < kN; ++i) {
    const double v = n.Normal();
    sum += v;
    sq += v * v;
  }
  EXPECT_NEAR(sum / kN, 0.0, 0.01);
  EXPECT_NEAR(std::sqrt(sq / kN), 1.0, 0.01);
  Rng u(6);
  for (int i = 0; i < 1000; ++i) {
    const int v = u.UniformInt(-3, 3);
    EXPECT_GE(v, -3);
    EXPECT_LE(v, 3);
  }
  EXPECT_NE(MixSeed(1, 0), MixSeed(1, 1));
  EXPECT_NE(MixSeed(1, 0), MixSeed(2, 0));
}

}  // namespace
}  // namespace bescheid::scan
