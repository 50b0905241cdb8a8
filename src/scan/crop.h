// Cutting a part of a scanned page out as an image file, for a person to
// look at (the crop of a doubtful field in review/<id>/). Thread-safe for
// different pages; a page may be read by several threads at once.
#ifndef BESCHEID_SCAN_CROP_H_
#define BESCHEID_SCAN_CROP_H_

#include <string>

#include "core/status.h"
#include "scan/ocr.h"
#include "scan/pix.h"

namespace bescheid::scan {

// `box` of `page` with `margin` pixels around it on every side, cut to the
// page, as a PNG file (the page's depth and resolution kept). kInvalidInput
// when nothing of the page is left: a null page, an empty box or one
// outside the page, a negative margin; kInternal when Leptonica fails.
Result<std::string> CropPng(Pix* page, const PixelBox& box, int margin);

}  // namespace bescheid::scan

#endif  // BESCHEID_SCAN_CROP_H_
