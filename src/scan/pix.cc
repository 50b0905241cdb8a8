#include "scan/pix.h"

#include <allheaders.h>

#include <cmath>
#include <cstdint>

#include "scan/page_source.h"

namespace bescheid::scan {

void PixDeleter::operator()(Pix* p) const { pixDestroy(&p); }

void PixaDeleter::operator()(Pixa* p) const { pixaDestroy(&p); }

PixPtr CopyPix(Pix* pix) { return PixPtr(pixCopy(nullptr, pix)); }

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
// the last column or row).
inline int Bilinear(const l_uint32* row, const l_uint32* below, int64_t xi,
                    int64_t x2, int64_t fx, int64_t fy) {
  const int xf = static_cast<int>((fx >> (kShift - kWeightBits)) & kWeightMask);
  const int yf = static_cast<int>((fy >> (kShift - kWeightBits)) & kWeightMask);
  const int top =
      (kWeightOne - xf) * GET_DATA_BYTE(row, xi) + xf * GET_DATA_BYTE(row, x2);
  const int bottom = (kWeightOne - xf) * GET_DATA_BYTE(below, xi) +
                     xf * GET_DATA_BYTE(below, x2);
  return ((kWeightOne - yf) * top + yf * bottom +
          (1 << (2 * kWeightBits - 1))) >>
         (2 * kWeightBits);
}

// One row of AffineGray: the source point of its first pixel (fx, fy) and
// the step from one pixel to the next (dx, dy), in fixed point. Points
// with a right and a lower neighbour take one unsigned comparison per
// axis; the page's last column and row clamp; points off it stay white.
void AffineRow(const l_uint32* src, int wpl, int w, int h, int64_t fx,
               int64_t fy, int64_t dx, int64_t dy, l_uint32* out, int out_w) {
  const uint64_t inner_x = static_cast<uint64_t>(w - 1) << kShift;
  const uint64_t inner_y = static_cast<uint64_t>(h - 1) << kShift;
  for (int x = 0; x < out_w; ++x, fx += dx, fy += dy) {
    if (static_cast<uint64_t>(fx) < inner_x &&
        static_cast<uint64_t>(fy) < inner_y) {
      const int64_t xi = fx >> kShift;
      const l_uint32* row = src + (fy >> kShift) * wpl;
      SET_DATA_BYTE(out, x, Bilinear(row, row + wpl, xi, xi + 1, fx, fy));
    } else if (fx >= 0 && fy >= 0 && (fx >> kShift) < w && (fy >> kShift) < h) {
      const int64_t xi = fx >> kShift, yi = fy >> kShift;
      const l_uint32* row = src + yi * wpl;
      SET_DATA_BYTE(out, x,
                    Bilinear(row, yi + 1 < h ? row + wpl : row, xi,
                             xi + 1 < w ? xi + 1 : xi, fx, fy));
    }
  }
}

}  // namespace

PixPtr AffineGray(Pix* grey, const double a[3], const double b[3]) {
  if (pixGetDepth(grey) != 8 || pixGetColormap(grey) != nullptr) return nullptr;
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
  PixPtr copy = CopyPix(pages_[index].get());
  if (!copy) return InternalError("Leptonica: cannot copy page");
  return copy;
}

}  // namespace bescheid::scan
