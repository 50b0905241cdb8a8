// Finding a scanned page of the paper form: which page it is (the page
// code, forms/payload.h), which way up, and where the layout's millimetres
// lie in the image (the registration squares of forms::FormLayout::marks).
// The result is the page straightened: an 8 bpp image in which a point at
// (x, y) mm of the layout is at (x, y) * px_per_mm pixels.
//
// Thread-safety: no shared state; pages may be located on several threads.
#ifndef BESCHEID_SCAN_LOCATE_H_
#define BESCHEID_SCAN_LOCATE_H_

#include <optional>
#include <string>
#include <vector>

#include "core/status.h"
#include "forms/layout.h"
#include "forms/payload.h"
#include "scan/ocr.h"
#include "scan/pix.h"

namespace bescheid::scan {

struct LocateOptions {
  // How far from its layout position a registration square is looked for
  // (shift plus what a rotation of 5 degrees moves a corner), mm.
  double mark_search_mm = 25.0;
  // A square's bounding box may be this much smaller or larger than the
  // layout's (rotation widens it by up to 1.1 at 5 degrees), as a factor.
  double mark_size_tolerance = 0.35;
  // Least share of dark pixels in the square's bounding box.
  double mark_min_fill = 0.6;
  // Largest residual of the fit at a square's centre, mm.
  double max_residual_mm = 1.5;
};

// A decoded QR code of the page: its text (bytes) and the centre of its
// corners in the image it was read from.
struct FoundCode {
  std::string bytes;
  double x = 0, y = 0;
};

// Every QR code zxing-cpp finds in `area` of `page` (8 bpp); `area` empty
// (w or h 0): the whole page. Codes in any orientation.
std::vector<FoundCode> FindQrCodes(Pix* page, PixelBox area = {});

struct LocatedPage {
  std::optional<forms::PageCode> code;  // nullopt: no readable page code
  bool upside_down = false;             // the scan was turned by 180 degrees
  PixPtr image;                         // 8 bpp, upright and straightened
  double px_per_mm = 0;                 // of `image`
  // The page's rotation in the scan before straightening, degrees,
  // clockwise positive as scan::Rotate takes it.
  double skew_degrees = 0;
  double residual_mm = 0;  // largest distance of a square from the fit
  int marks_found = 0;     // registration squares found (of the layout's)
};

// Locates `scan` (1, 8 or 32 bpp; its resolution or, if unset, its width
// over the layout's page width gives the scale). The transform from the
// layout to the scan is fitted over the registration squares found: an
// affine one (least squares) over four, else a similarity over the
// squares found and the page code's centre (at 5 degrees a corner square
// may be turned off the sheet); with only two points the angle must agree
// with the skew of the page's text lines. kInvalidInput with a German
// reason when too few squares are found or the fit's residual is too
// large; kInternal when Leptonica fails.
Result<LocatedPage> LocatePage(Pix* scan, const forms::FormLayout& layout,
                               const LocateOptions& options = {});

// `r` (layout mm) in the pixels of a located page.
PixelBox ToPixels(const forms::Rect& r, double px_per_mm);

}  // namespace bescheid::scan

#endif  // BESCHEID_SCAN_LOCATE_H_
