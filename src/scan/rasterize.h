// PDF pages to images with poppler-cpp, for making scans from rendered
// forms and, later, for reading PDFs that arrive as scans.
//
// The input may be untrusted: the page count and every page's size at the
// requested resolution are checked against RasterLimits before anything is
// rendered. Thread-safety: each call loads its own document; calls on
// different threads do not share state of this module.
#ifndef BESCHEID_SCAN_RASTERIZE_H_
#define BESCHEID_SCAN_RASTERIZE_H_

#include <cstdint>
#include <memory>
#include <string_view>

#include "core/status.h"
#include "scan/pix.h"

namespace bescheid::scan {

struct RasterLimits {
  int max_pages = 50;
  int min_dpi = 36;
  int max_dpi = 1200;
  // A4 at 600 dpi is 4961 x 7016 = 34.8 million pixels.
  std::int64_t max_pixels_per_page = 40'000'000;
};

enum class PixelKind {
  kGrey,    // 8 bpp
  kColour,  // 32 bpp RGB
};

struct RasterOptions {
  int dpi = 300;
  PixelKind kind = PixelKind::kGrey;
  RasterLimits limits;
};

// A PDF loaded once and rendered one page at a time, so that a long
// document is never held as images all at once. Open makes the document's
// checks (readable, not encrypted, resolution, page count); Render checks
// the page's size at the resolution before rendering it. `pdf` must
// outlive the renderer (poppler reads it in place). Not thread-safe;
// different renderers may be used on different threads.
class PdfPageRenderer {
 public:
  // Errors as RasterizePdf's before rendering.
  static Result<std::unique_ptr<PdfPageRenderer>> Open(
      std::string_view pdf, const RasterOptions& options);
  ~PdfPageRenderer();
  PdfPageRenderer(const PdfPageRenderer&) = delete;
  PdfPageRenderer& operator=(const PdfPageRenderer&) = delete;

  int pages() const;

  // Page `index` (0-based, below pages(), else kInternal) as RasterizePdf
  // renders it; a new image each call. Errors as RasterizePdf's for a page.
  Result<PixPtr> Render(int index);

 private:
  struct Impl;
  explicit PdfPageRenderer(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

// Renders every page of the PDF in `pdf` at `options.dpi` (anti-aliased,
// white background). Each page's resolution is set to the dpi. Fails with
// kInvalidInput and a German message if the bytes are no readable PDF, the
// document is encrypted, or it breaks a limit; with kInternal if poppler
// cannot render a page.
Result<Pages> RasterizePdf(std::string_view pdf, const RasterOptions& options);

// The number of pages of the PDF in `pdf` without rendering any (same
// errors as RasterizePdf for unreadable input).
Result<int> CountPdfPages(std::string_view pdf);

}  // namespace bescheid::scan

#endif  // BESCHEID_SCAN_RASTERIZE_H_
