// Pages and measurements shared by the scan tests, computed with Leptonica
// directly so that they do not depend on the code under test.
#ifndef BESCHEID_TESTS_SCAN_SCAN_TEST_UTIL_H_
#define BESCHEID_TESTS_SCAN_SCAN_TEST_UTIL_H_

#include <allheaders.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <cstdlib>
#include <string>

#include "scan/pix.h"
#include "scan/rasterize.h"
#include "test_util.h"

namespace bescheid::testing {

// A one-page letter and a two-page letter, both A4.
inline std::string OnePagePdf() {
  return ReadFileOrDie(SourcePath("examples/letters/nachforderung.pdf"));
}
inline std::string TwoPagePdf() {
  return ReadFileOrDie(SourcePath("examples/letters/ablehnungsbescheid.pdf"));
}

// The pages of `pdf` in grey at `dpi`; fails the test if they cannot be
// rendered.
inline scan::Pages GreyPages(const std::string& pdf, int dpi) {
  scan::RasterOptions options;
  options.dpi = dpi;
  Result<scan::Pages> pages = scan::RasterizePdf(pdf, options);
  EXPECT_TRUE(pages.ok()) << pages.status().message();
  return pages.ok() ? std::move(pages).value() : scan::Pages{};
}

// An 8 bpp page of one grey `level`.
inline scan::PixPtr Flat(int w, int h, int level) {
  scan::PixPtr pix(pixCreate(w, h, 8));
  pixSetAllArbitrary(pix.get(), level);
  return pix;
}

// Mean absolute difference of two 8 bpp images over the area both cover
// (an image-only PDF rendered back may differ by a pixel in size).
inline double MeanAbsDiff(Pix* a, Pix* b) {
  const int w = std::min(pixGetWidth(a), pixGetWidth(b));
  const int h = std::min(pixGetHeight(a), pixGetHeight(b));
  double sum = 0;
  for (int y = 0; y < h; ++y) {
    for (int x = 0; x < w; ++x) {
      l_uint32 va = 0, vb = 0;
      pixGetPixel(a, x, y, &va);
      pixGetPixel(b, x, y, &vb);
      sum += std::abs(static_cast<int>(va) - static_cast<int>(vb));
    }
  }
  return sum / (static_cast<double>(w) * h);
}

// The share of an 8 bpp image's pixels darker than mid-grey.
inline double InkShare(Pix* pix) {
  scan::PixPtr bitonal(pixConvertTo1(pix, 128));
  l_int32 black = 0;
  pixCountPixels(bitonal.get(), &black, nullptr);
  return black / (static_cast<double>(pixGetWidth(pix)) * pixGetHeight(pix));
}

// Standard deviation of an 8 bpp image's values.
inline double Deviation(Pix* pix) {
  l_float32 root = -1;
  pixVarianceInRect(pix, nullptr, &root);
  return root;
}

}  // namespace bescheid::testing

#endif  // BESCHEID_TESTS_SCAN_SCAN_TEST_UTIL_H_
