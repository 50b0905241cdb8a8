#include "scan/pix.h"

#include <allheaders.h>

#include <algorithm>
#include <cmath>
#include <cstdint>

#include "scan/page_source.h"

namespace bescheid::scan {

void PixDeleter::operator()(Pix* p) const { pixDestroy(&p); }

void PixaDeleter::operator()(Pixa* p) const { pixaDestroy(&p); }

PixPtr CopyPix(Pix* pix) { return PixPtr(pixCopy(nullptr, pix)); }

namespace {

bool PlainGrey(Pix* pix) {
  return pixGetDepth(pix) == 8 && pixGetColormap(pix) == nullptr;
}

}  // namespace

PixPtr ToBitonal(Pix* pix, int threshold) {
  return PixPtr(PlainGrey(pix) ? pixThresholdToBinary(pix, threshold)
                               : pixConvertTo1(pix, threshold));
}

PixPtr GreyView(Pix* pix) {
  return PixPtr(PlainGrey(pix) ? pixClone(pix) : pixConvertTo8(pix, 0));
}

int ResolutionOf(Pix* pix) { return pixGetXRes(pix); }

namespace {

// Positions in 1/65536 pixel; interpolation weights in 1/1024 (their
// products with a grey level, 2^20 * 255, fit an int).
constexpr int kShift = 16;
constexpr int64_t kOne = int64_t{1} << kShift;
constexpr int kWeightBits = 10;
constexpr int kWeightOne = 1 << kWeightBits;
constexpr int kWeightMask = kWeightOne - 1;

int64_t Fixed(double v) { return static_cast<int64_t>(std::llround(v * kOne)); }

// The source's grey level at fixed-point (fx, fy), bilinear; `x2` and
// `below` are the neighbours to the right and below (the pixel itself on
// the last column or row). Each blend is a + w * (b - a) in 1/1024: the
// same integer as (1 - w) * a + w * b, with half the multiplications.
inline int Bilinear(const l_uint32* row, const l_uint32* below, int64_t xi,
                    int64_t x2, int64_t fx, int64_t fy) {
  const int xf = static_cast<int>((fx >> (kShift - kWeightBits)) & kWeightMask);
  const int yf = static_cast<int>((fy >> (kShift - kWeightBits)) & kWeightMask);
  const int left = GET_DATA_BYTE(row, xi), low_left = GET_DATA_BYTE(below, xi);
  const int top = (left << kWeightBits) + xf * (GET_DATA_BYTE(row, x2) - left);
  const int bottom =
      (low_left << kWeightBits) + xf * (GET_DATA_BYTE(below, x2) - low_left);
  return ((top << kWeightBits) + yf * (bottom - top) +
          (1 << (2 * kWeightBits - 1))) >>
         (2 * kWeightBits);
}

// How many steps of `step` from `pos` stay in [lo, hi) (pos in it): at
// least 1, at most `most`.
int StepsWithin(int64_t pos, int64_t step, int64_t lo, int64_t hi, int most) {
  int64_t n = most;
  if (step > 0) n = (hi - pos + step - 1) / step;
  if (step < 0) n = (pos - lo) / -step + 1;
  return static_cast<int>(std::clamp<int64_t>(n, 1, most));
}

// One row of AffineGray: the source point of its first pixel (fx, fy) and
// the step from one pixel to the next (dx, dy), in fixed point. Points
// with a right and a lower neighbour are done in runs that read one pair
// of source rows; the page's last column and row clamp; points off it
// stay white.
void AffineRow(const l_uint32* src, int wpl, int w, int h, int64_t fx,
               int64_t fy, int64_t dx, int64_t dy, l_uint32* out, int out_w) {
  const int64_t inner_x = static_cast<int64_t>(w - 1) << kShift;
  const int64_t inner_y = static_cast<int64_t>(h - 1) << kShift;
  for (int x = 0; x < out_w;) {
    if (fx >= 0 && fx < inner_x && fy >= 0 && fy < inner_y) {
      const int64_t top = fy >> kShift;
      const int run = std::min(
          StepsWithin(fx, dx, 0, inner_x, out_w - x),
          StepsWithin(fy, dy, top << kShift, (top + 1) << kShift, out_w - x));
      const l_uint32* row = src + top * wpl;
      for (const int end = x + run; x < end; ++x, fx += dx, fy += dy) {
        const int64_t xi = fx >> kShift;
        SET_DATA_BYTE(out, x, Bilinear(row, row + wpl, xi, xi + 1, fx, fy));
      }
      continue;
    }
    if (fx >= 0 && fy >= 0 && (fx >> kShift) < w && (fy >> kShift) < h) {
      const int64_t xi = fx >> kShift, yi = fy >> kShift;
      const l_uint32* row = src + yi * wpl;
      SET_DATA_BYTE(out, x,
                    Bilinear(row, yi + 1 < h ? row + wpl : row, xi,
                             xi + 1 < w ? xi + 1 : xi, fx, fy));
    }
    ++x, fx += dx, fy += dy;
  }
}

}  // namespace

PixPtr AffineGray(Pix* grey, const double a[3], const double b[3]) {
  if (!PlainGrey(grey)) return nullptr;
  // Bounded so that no fixed-point position can overflow.
  for (const double v : {a[0], a[1], b[0], b[1]}) {
    if (!(std::fabs(v) <= 16)) return nullptr;
  }
  for (const double v : {a[2], b[2]}) {
    if (!(std::fabs(v) <= 1e7)) return nullptr;
  }
  const int w = pixGetWidth(grey), h = pixGetHeight(grey);
  PixPtr out(pixCreate(w, h, 8));
  if (!out) return out;
  pixSetAll(out.get());
  pixCopyResolution(out.get(), grey);
  const l_uint32* src = pixGetData(grey);
  const int wpl = pixGetWpl(grey), out_wpl = pixGetWpl(out.get());
  l_uint32* dst = pixGetData(out.get());
  const int64_t dx = Fixed(a[0]), dy = Fixed(b[0]);
  for (int y = 0; y < h; ++y) {
    AffineRow(src, wpl, w, h, Fixed(a[1] * y + a[2]), Fixed(b[1] * y + b[2]),
              dx, dy, dst + y * out_wpl, w);
  }
  return out;
}

Result<PixPtr> PagesSource::Page(int index) {
  if (index < 0 || index >= page_count() || !pages_[index]) {
    return InternalError("scan: no such page");
  }
  return PixPtr(pixClone(pages_[index].get()));
}

}  // namespace bescheid::scan
