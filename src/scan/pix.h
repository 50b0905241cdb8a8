// Owners for Leptonica's image handles, shared by everything in the scan
// module (rasterising, degrading, writing and, later, reading scans).
//
// A PixPtr owns one reference to a PIX and releases it with pixDestroy; it
// is move-only. Leptonica's functions take PIX* even where they only read:
// pass `.get()`. A PIX is not thread-safe; different PIXes may be used on
// different threads at once.
#ifndef BESCHEID_SCAN_PIX_H_
#define BESCHEID_SCAN_PIX_H_

#include <memory>
#include <vector>

// Leptonica's types (PIX is `struct Pix`, PIXA is `struct Pixa`), declared
// here so that users of this header need not include <allheaders.h>.
struct Pix;
struct Pixa;

namespace bescheid::scan {

struct PixDeleter {
  void operator()(Pix* p) const;
};
struct PixaDeleter {
  void operator()(Pixa* p) const;
};

using PixPtr = std::unique_ptr<Pix, PixDeleter>;
using PixaPtr = std::unique_ptr<Pixa, PixaDeleter>;

// The pages of one document, in order.
using Pages = std::vector<PixPtr>;

// A deep copy of `pix` (pixels, resolution, colormap); null if Leptonica
// cannot allocate it.
PixPtr CopyPix(Pix* pix);

// `pix` thresholded to 1 bpp as Leptonica's pixConvertTo1 does it: ink (1)
// where the grey level is below `threshold`. A plain 8-bpp grey page is
// thresholded directly; pixConvertTo1 first copies it whole. Null if
// Leptonica cannot convert or allocate.
PixPtr ToBitonal(Pix* pix, int threshold);

// `pix` as 8 bpp grey without colormap: another reference to `pix` if it
// is one (pixConvertTo8 would copy it), else a converted copy. Null if
// Leptonica cannot convert. The result must not be changed in place.
PixPtr GreyView(Pix* pix);

// The horizontal resolution Leptonica records for `pix` (0 if unknown).
int ResolutionOf(Pix* pix);

// `grey` (8 bpp, no colormap) resampled by an affine map, as Leptonica's
// pixAffine resamples it with the same coefficients: each pixel (x, y) of
// the result, of `grey`'s size and resolution, is `grey` interpolated
// bilinearly at (a[0] x + a[1] y + a[2], b[0] x + b[1] y + b[2]), white
// where that point is off `grey`. Within a grey level of exact bilinear
// interpolation (pixAffine rounds its weights to sixteenths and its
// result down), in under half its time: pixAffine makes two function
// calls and float arithmetic per pixel, 90 ms of the 270 ms that reading
// a 300-dpi page took; this steps each row in fixed point, in runs over
// one pair of source rows (about 35 ms a page). Null if `grey` is not
// 8 bpp or has a colormap, a linear coefficient exceeds 16 or a shift
// 10^7 pixels in size (or is not a number), or the result cannot be
// allocated.
PixPtr AffineGray(Pix* grey, const double a[3], const double b[3]);

}  // namespace bescheid::scan

#endif  // BESCHEID_SCAN_PIX_H_
