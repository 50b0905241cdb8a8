#include "scan/page_match.h"

#include <allheaders.h>

#include <memory>

#include "scan/lept_util.h"
#include "scan/locate.h"

namespace bescheid::scan {
namespace {

constexpr double kBandMm = 0.8;      // how far from the edge ink may lie
constexpr double kInsetMm = 1.0;     // corners left out (a box's sides)
constexpr double kMinCovered = 0.8;  // share of columns with ink
constexpr int kInkThreshold = 210;   // darker is ink

struct NumaDeleter {
  void operator()(Numa* n) const { numaDestroy(&n); }
};
using NumaPtr = std::unique_ptr<Numa, NumaDeleter>;

// The share of the columns of `band` (pixels of `bitonal`) with ink.
double ColumnsWithInk(Pix* bitonal, PixelBox band) {
  band = internal::Clamp(band, pixGetWidth(bitonal), pixGetHeight(bitonal));
  if (band.w <= 0 || band.h <= 0) return 0.0;
  internal::BoxPtr box = internal::MakeBox(band);
  NumaPtr counts(pixCountByColumn(bitonal, box.get()));
  if (!counts) return 0.0;
  int inked = 0;
  const int n = numaGetCount(counts.get());
  for (int i = 0; i < n; ++i) {
    l_int32 v = 0;
    numaGetIValue(counts.get(), i, &v);
    if (v > 0) ++inked;
  }
  return n > 0 ? static_cast<double>(inked) / n : 0.0;
}

bool EdgePrinted(Pix* bitonal, const forms::Rect& box, double y,
                 double px_per_mm) {
  const forms::Rect band{box.x + kInsetMm, y - kBandMm, box.w - 2 * kInsetMm,
                         2 * kBandMm};
  if (band.w <= 0) return false;
  return ColumnsWithInk(bitonal, ToPixels(band, px_per_mm)) >= kMinCovered;
}

}  // namespace

double FrameScore(Pix* image, const forms::PlacedPage& page, double px_per_mm) {
  PixPtr bitonal = ToBitonal(image, kInkThreshold);
  if (!bitonal) return 0.0;
  int fields = 0, framed = 0;
  for (const forms::Field& f : page.fields) {
    if (f.kind == forms::FieldKind::kSignature) continue;
    ++fields;
    if (EdgePrinted(bitonal.get(), f.box, f.box.y, px_per_mm) &&
        EdgePrinted(bitonal.get(), f.box, f.box.y + f.box.h, px_per_mm)) {
      ++framed;
    }
  }
  return fields > 0 ? static_cast<double>(framed) / fields : 0.0;
}

}  // namespace bescheid::scan
