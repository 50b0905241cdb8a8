// Encoding pages as the files a scanner or a mailroom produces: multi-page
// TIFF (G4, LZW or JPEG compression) and image-only PDF hold all pages of a
// document in one file; PNG, JPEG and PNM hold one page each (a scanner
// writes one such file per page). Every file records the resolution of
// its page(s) (pixSetResolution on the input; 0 is written as 300 dpi by
// Leptonica).
//
// Output is a deterministic function of the pages and options: no dates or
// host data are written (see EncodeDocument for the PDF). Thread-safety:
// EncodeImage may run on several threads; EncodeDocument as well except
// for kPdf, which sets a Leptonica process-wide flag (call it from one
// thread at a time).
#ifndef BESCHEID_SCAN_IMAGE_WRITE_H_
#define BESCHEID_SCAN_IMAGE_WRITE_H_

#include <string>

#include "core/status.h"
#include "scan/pix.h"

namespace bescheid::scan {

enum class ImageFormat {
  kTiffG4,    // multi-page; CCITT G4, needs 1 bpp pages
  kTiffLzw,   // multi-page; lossless, any depth
  kTiffJpeg,  // multi-page; JPEG inside TIFF, needs 8 or 32 bpp pages
  kPdf,       // multi-page; image only (no text layer): G4 if the pages
              // are 1 bpp, else JPEG at the quality given; one depth for all
  kPng,       // one page
  kJpeg,      // one page, needs 8 or 32 bpp
  kPnm,       // one page: PBM, PGM or PPM by depth
};

// Whether one file of `format` holds several pages.
bool IsMultiPage(ImageFormat format);

// The usual file name extension without the dot: "tif", "pdf", "png",
// "jpg", "pnm".
const char* FileExtension(ImageFormat format);

// "tiff-g4", "tiff-lzw", "tiff-jpeg", "pdf", "png", "jpeg", "pnm".
const char* FormatName(ImageFormat format);

// All `pages` as one file. Preconditions: IsMultiPage(format), `pages` not
// empty, each page of a depth the format takes (else kInternal).
// `jpeg_quality` (1..100) applies to kPdf with grey or colour pages;
// kTiffJpeg always uses libtiff's default quality (75), which Leptonica
// does not let callers change.
Result<std::string> EncodeDocument(const Pages& pages, ImageFormat format,
                                   int jpeg_quality = 75);

// One page as one file. Precondition: !IsMultiPage(format).
Result<std::string> EncodeImage(Pix* page, ImageFormat format,
                                int jpeg_quality = 75);

}  // namespace bescheid::scan

#endif  // BESCHEID_SCAN_IMAGE_WRITE_H_
