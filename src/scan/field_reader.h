// Reading the fields of one located page (scan/locate.h) by the layout's
// zones: text boxes and comb fields by OCR, checkboxes and the signature by
// the share of ink in their box. Every value is written as
// forms::FieldValue writes it, so it compares directly with an
// application's.
//
// Thread-safety: as the OcrEngine passed in (one per thread).
#ifndef BESCHEID_SCAN_FIELD_READER_H_
#define BESCHEID_SCAN_FIELD_READER_H_

#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "forms/layout.h"
#include "scan/locate.h"
#include "scan/ocr.h"
#include "scan/reader.h"

namespace bescheid::scan {

struct PageFields {
  std::vector<FieldReading> fields;  // one per field of the placed page
  std::vector<Doubt> doubts;         // unsure, ambiguous, struck through
  bool timed_out = false;            // the page's OCR budget ran out
};

// Which fields to read; the others are left out of the result.
using FieldFilter = std::function<bool(const forms::Field&)>;

// The value a field is expected to show (as forms::FieldValue writes it:
// the data barcode's), or nullopt when none is known.
using ExpectedValue =
    std::function<std::optional<std::string>(const forms::Field&)>;

// Reads every field of `placed` (that `filter` selects, if given) on `page`
// (its image straightened, so that layout mm map to pixels by page.px_per_mm).
// `page_index` goes into each reading and doubt. Confidences below
// options.min_confidence, ambiguous checkboxes and comb fields struck through
// by hand are doubts. With `expected` a comb whose first read (its
// characters as a raw line) gives exactly the expected value is taken as
// read, without the further reads that vote on it (the reading then only
// confirms the barcode; any other read is voted on as without it).
PageFields ReadPageFields(const LocatedPage& page,
                          const forms::PlacedPage& placed, int page_index,
                          OcrEngine& ocr, const ReadOptions& options,
                          const FieldFilter& filter = nullptr,
                          const ExpectedValue& expected = nullptr);

// `grey` (8 bpp) thresholded at 128, without its specks: 8-connected dark
// components of at most `speck_pixels` pixels (none removed when it is 0),
// which are also painted white in `grey` itself, so that no read of either
// image sees them. Null when Leptonica fails (out of memory); `grey` may
// then be partly cleaned.
PixPtr ThresholdWithoutSpecks(Pix* grey, int speck_pixels);

}  // namespace bescheid::scan

#endif  // BESCHEID_SCAN_FIELD_READER_H_
