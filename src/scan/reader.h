// Reading scanned paper applications: the pages of one scanned file (in
// the file's order) become documents - one per filled form - each with
// every field's value, confidence and place, the application assembled
// from them, and the doubts that send it to a person instead of a letter.
//
// Per page: the page code (QR) says form, page n of m and the document's
// serial and, by where it sits, whether the page is upside down; the four
// registration squares give the transform from the layout's millimetres to
// the image (scan/locate.h); the page is straightened and each field zone of
// the layout read (scan/field_reader.h): text and combs by OCR, checkboxes
// and the signature by ink. With a data barcode the application is the
// barcode's, and the key fields read from the image (AGS, IBAN, each
// position's qualification, VZÄ and months) must agree with it (a value
// crossed out and corrected by hand does not). docs/scan-reading.md.
//
// Rule: a document without doubts has every field read confidently (or
// from a verified barcode); anything less is a doubt, never a guess.
//
// Thread-safety: ReadScan uses `ocr` (one engine per thread) and nothing
// else shared; the layout is read only.
#ifndef BESCHEID_SCAN_READER_H_
#define BESCHEID_SCAN_READER_H_

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/application.h"
#include "core/status.h"
#include "forms/layout.h"
#include "scan/kept_page.h"
#include "scan/ocr.h"
#include "scan/page_source.h"
#include "scan/pix.h"

namespace bescheid::scan {

// Thresholds of the reader, one place; the defaults are what the tests
// measure against (docs/scan-reading.md says why each is where it is).
struct ReadOptions {
  // A field read with less confidence (0..1) is a doubt.
  double min_confidence = 0.80;
  // Time budget per page for OCR, milliseconds; 0: none. A page over it is
  // a doubt (from scan.page-timeout-seconds).
  int page_timeout_ms = 0;
  // Checkbox: share of dark pixels inside the box (lines excluded) above
  // which it is ticked, below which it is empty; between: a doubt.
  double check_ticked_ink = 0.10;
  double check_empty_ink = 0.03;
  // Signature: share of dark pixels in the signature box above its line
  // from which it counts as signed.
  double signature_min_ink = 0.01;
  // Below this resolution OCR is not trusted: every text and comb field
  // read is a doubt (at 150 dpi the German model confuses "W" and "w"
  // with full confidence). Checkboxes, signature and codes still count.
  int min_ocr_dpi = 200;
  // A comb whose every position two reads agree on (of its characters as
  // a raw line, with line finding, and each cell on the page and set
  // apart) and no read contradicts is confident (min_confidence) when
  // none of the agreeing reads is below this.
  double comb_agreed_confidence = 0.5;
  // A text line counts as read when two reads of it (the box with line
  // finding, its ink set on white, the box as a raw line) give the same
  // text, each at least this sure and the box's read without a suspect
  // mark.
  double text_agreed_confidence = 0.6;
  // Text and comb zones are read this far inside their box lines, mm.
  double zone_inset_mm = 0.6;
  // Dark specks of at most this many pixels (8-connected) are scanner
  // noise and dust, erased before any field is read: no stroke, dot or
  // comma of the form's writing is that small from 150 dpi on.
  int speck_pixels = 2;
  // A text zone or comb cell with less ink than this share is empty.
  double empty_ink = 0.004;
  // Below min_ocr_dpi a text or comb zone empty by that measure is faded
  // (a doubt: writing blurred or pale enough to threshold away) when at
  // least empty_ink of it is darker than this grey level (0..255); paper,
  // also with scanner noise, stays lighter. Bitonal scans have no trace.
  int faded_ink_grey = 224;
  // A comb whose cells' side margins are crossed by ink in more than this
  // share of their columns is struck through (corrected by hand).
  double comb_struck_share = 0.5;
  // Registration: largest residual of the fitted transform at a square's
  // centre, mm; above it the page is not trusted (a doubt).
  double max_registration_residual_mm = 1.5;
  // Located pages are kept decoded (ScannedDocument::kept_pages) up to this
  // many megapixels per reading, the rest as PNG: three A4 pages at 300
  // dpi stay decoded (a 3-page form is read without encoding a page), a
  // long file holds at most this much beside the page being read.
  double kept_decoded_megapixels = 27.0;
};

// One field as read. `id` is the placed id ("position[2].fte"); `value` is
// written as forms::FieldValue writes it (combs without separators, "X"
// for a ticked box, "" for an empty one; the signature "X" when signed).
struct FieldReading {
  std::string id;
  std::string option;  // a checkbox's value ("A", "Gemeinde", "ja"); else ""
  std::string value;
  double confidence = 0.0;  // 0..1
  int page = 0;             // index into ScannedDocument::kept_pages
  PixelBox box;             // the field's box in that page image
};

enum class DoubtKind {
  kUnsure,      // read with too little confidence
  kAmbiguous,   // a checkbox neither clearly ticked nor empty, or a choice
                // with no box or several boxes ticked
  kStruck,      // a value struck through (corrected by hand)
  kDisagrees,   // the image and the data barcode disagree
  kUnparsable,  // the text read is no value of the field (or fails its
                // check digits)
  kPage,        // a page missing, not identified, not aligned, or its
                // time budget spent
  kFaded,       // below ReadOptions::min_ocr_dpi, a field without ink but
                // with a grey trace: writing perhaps too faint to read. Not
                // settled by a barcode that agrees it is empty.
};

// Why a document cannot go through unseen, for the person who checks it.
struct Doubt {
  DoubtKind kind = DoubtKind::kUnsure;
  std::string field_id;  // placed id; "" for a page or the document
  std::string reason;    // German, e.g. "Feld 'bank.iban': unsicher gelesen"
  int page = -1;         // index into ScannedDocument::kept_pages; -1: none
  PixelBox box;          // the field's (or page's) box in that page image
};

// One filled form found in the file.
struct ScannedDocument {
  uint32_t serial = 0;  // from the page codes; 0 if none was readable
  int form_pages = 0;   // page count the page codes state
  // The pages in form order, upright and straightened so that the layout's
  // millimetres map to pixels by scale alone (FieldReading::box refers to
  // these), 8 bpp grey, decoded within ReadOptions::kept_decoded_megapixels
  // and as PNG beyond, so that a reading never holds a long file's pages
  // decoded; a page that could not be located is kept as scanned. For
  // each, the 0-based page index in the file.
  std::vector<KeptPage> kept_pages;
  std::vector<int> file_pages;
  std::vector<FieldReading> fields;  // every field of the placed pages
  // The application: from the barcode when there is one, else assembled
  // from the fields (as far as they go: with doubts it may be incomplete);
  // nullopt when no page could be read (then there are doubts).
  std::optional<core::Application> application;
  bool from_barcode = false;
  bool signature_present = false;
  std::vector<Doubt> doubts;
};

struct ScanReading {
  std::vector<ScannedDocument> documents;  // in the order of their first page
};

// Reads the pages of `source` (one scanned file, in file order; 8 bpp
// grey, 32 bpp colour or 1 bpp; resolution set or assumed from the page
// size) against `layout`. Pages are grouped into documents (page 1 of a
// page code with a new serial starts one), put in order and turned
// upright. A page that cannot be identified joins the document before it
// (or one of its own) as a doubt. Fails for an internal error (kInternal),
// no pages (kInvalidInput) or a page the source cannot decode (its error,
// e.g. kInvalidInput with the intake's German reason); unreadable content
// is a doubt, not an error.
//
// Memory: every page is pulled, located and kept (KeptPage) before any is
// read (the grouping needs every page code), then each document's pages
// are read one at a time: beside the kept decoded pages
// (options.kept_decoded_megapixels in all, also in the result) at most
// one page of the source and the images made from it are held decoded.
Result<ScanReading> ReadScan(PageSource& source,
                             const forms::FormLayout& layout, OcrEngine& ocr,
                             const ReadOptions& options = {});

// ReadScan over pages in memory (tools and tests).
Result<ScanReading> ReadScan(const Pages& pages,
                             const forms::FormLayout& layout, OcrEngine& ocr,
                             const ReadOptions& options = {});

}  // namespace bescheid::scan

#endif  // BESCHEID_SCAN_READER_H_
