// A PDF's structure checked with qpdf before poppler renders anything:
// whether it opens without repair and without a password, its page count,
// each page's size at the render resolution, the size of what each page
// draws (content streams decoded, images by their declared size), and
// active content. Used by intake.cc; qpdf's exceptions end here.
//
// Thread-safe: each call has its own qpdf document. qpdf's warnings are
// suppressed (the reason returned says what is wrong).
#ifndef BESCHEID_SCAN_PDF_CHECK_H_
#define BESCHEID_SCAN_PDF_CHECK_H_

#include <cstdint>
#include <string_view>

#include "core/status.h"
#include "scan/limits.h"

namespace bescheid::scan {

// A page's content streams (and those of the form XObjects it draws) may
// decode to at most this many bytes. A scanner writes a few dozen per page
// ("q 595 0 0 842 0 0 cm /Im0 Do Q"); a searchable PDF's text layer a few
// ten thousand. The cap bounds the time poppler spends interpreting a page
// whatever its pixel size, and stops decompression bombs in streams.
constexpr std::uint64_t kMaxPdfContentBytesPerPage = 4u << 20;

// Drawing a page (its content, the forms and images it draws as often as it
// draws them, and its annotations' appearances) may take at most this many
// operators and decode images of at most this many times the page pixel
// cap (scan.max-megapixels): a scanner's page draws one image, or a few
// layers of one. This bounds poppler's time on a page that reuses a small
// form or image many times, which the byte cap alone does not.
constexpr double kMaxPdfOperatorsPerPage = 1e6;
constexpr double kMaxPdfImageAreasPerPage = 4;

// Ok if the PDF in `pdf` may be rendered under `limits`; else kInvalidInput
// with a German reason: damaged (cross-reference table, objects or page
// tree need repair), encrypted (with or without a user password), no or too
// many pages, a page too large at limits.pdf_dpi or without a valid media
// box, too much page content or drawing work (tiling patterns included), an
// image larger than the pixel caps, or active content: JavaScript (document
// or action), actions that launch, import, submit or open other files on
// opening or as annotations' or pages' actions, embedded files and file
// attachments, XFA forms, and multimedia annotations.
Status CheckPdf(std::string_view pdf, const ScanLimits& limits);

}  // namespace bescheid::scan

#endif  // BESCHEID_SCAN_PDF_CHECK_H_
