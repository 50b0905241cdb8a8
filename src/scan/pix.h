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

// The horizontal resolution Leptonica records for `pix` (0 if unknown).
int ResolutionOf(Pix* pix);

}  // namespace bescheid::scan

#endif  // BESCHEID_SCAN_PIX_H_
