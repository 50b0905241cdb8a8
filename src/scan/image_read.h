// What an image file is, and its pages as images: the intake side of the
// formats in image_write.h (TIFF of any compression Leptonica reads, PNG,
// JPEG, PNM; PDF is only inspected here, rendered by rasterize.h).
//
// Input may be untrusted: sizes come from the headers and are checked
// against DecodeLimits before any page is decoded. Thread-safe: no state.
#ifndef BESCHEID_SCAN_IMAGE_READ_H_
#define BESCHEID_SCAN_IMAGE_READ_H_

#include <cstdint>
#include <optional>
#include <string_view>

#include "core/status.h"
#include "scan/image_write.h"
#include "scan/pix.h"

namespace bescheid::scan {

struct DecodeLimits {
  int max_pages = 50;
  std::int64_t max_pixels_per_page = 40'000'000;
};

struct ImageInfo {
  // The format as image_write.h names it; nullopt for a file Leptonica
  // reads that this module does not write (e.g. an uncompressed TIFF).
  std::optional<ImageFormat> format;
  int pages = 0;
  // Of the first page; 0 where the file does not say (PNM, PDF).
  int width = 0;
  int height = 0;
  int depth = 0;  // bits per pixel as decoded: 1, 8 or 32
  int x_dpi = 0;
  int y_dpi = 0;
};

// Format, page count and first page's geometry and resolution. Fails with
// kInvalidInput (German message) for bytes that are no readable image or
// PDF or break a limit.
Result<ImageInfo> InspectImage(std::string_view bytes,
                               const DecodeLimits& limits = {});

// Every page of a TIFF, PNG, JPEG or PNM file, decoded. Errors as
// InspectImage; a PDF fails with kInvalidInput (use RasterizePdf).
Result<Pages> DecodeImage(std::string_view bytes,
                          const DecodeLimits& limits = {});

}  // namespace bescheid::scan

#endif  // BESCHEID_SCAN_IMAGE_READ_H_
