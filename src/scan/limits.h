// The caps a scanned file must stay within before any of it is decoded, and
// the resolution PDFs are rendered at. Plain data, no library types: the
// configuration (scan.* keys) fills it, the intake (scan/intake.h) checks
// against it. The defaults here are the built-in defaults of those keys.
#ifndef BESCHEID_SCAN_LIMITS_H_
#define BESCHEID_SCAN_LIMITS_H_

#include <cstdint>

namespace bescheid::scan {

// A JPEG with more scans is refused before decoding: libjpeg's progressive
// scripts use at most 10, and each scan is a pass over the whole image.
inline constexpr int kMaxJpegScans = 100;

struct ScanLimits {
  std::uint64_t max_bytes = 100u << 20;  // the whole file, 100 MiB
  int max_pixels_per_side = 10000;       // width and height of every page
  int max_megapixels = 80;               // width x height of every page
  int max_pages = 50;
  // Longest time for one page. Recognition enforces it with Tesseract's
  // deadline; decoding is bounded by the pixel caps instead (see intake.h).
  int page_timeout_seconds = 60;
  int pdf_dpi = 300;  // PDF pages are rendered at this resolution
};

}  // namespace bescheid::scan

#endif  // BESCHEID_SCAN_LIMITS_H_
