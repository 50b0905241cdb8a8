// Which page of the form a located page shows, by its printed frames: for
// a page whose page code cannot be read (blotted, torn, smudged) but whose
// registration squares were found. The reader (scan/reader.h) uses it
// only to confirm a page for the one slot the other pages' codes leave
// free, and to tell which way up it is.
//
// Pure; thread-safe (reads the images only).
#ifndef BESCHEID_SCAN_PAGE_MATCH_H_
#define BESCHEID_SCAN_PAGE_MATCH_H_

#include "forms/layout.h"
#include "scan/pix.h"

namespace bescheid::scan {

// The share (0..1) of `page`'s text, comb and checkbox fields whose box's
// top and bottom edges are printed on `image` (8 bpp, straightened so that
// layout mm times `px_per_mm` are its pixels): along each edge, ink
// (darker than 210 of 255: blurred at 150 dpi the thin lines are light
// grey) within 0.8 mm of it in at least 80 % of the columns. 0 for a page
// without such fields. A page shows its own template's boxes (1.0 on a clean
// scan); another template's boxes fall mostly on paper or text.
double FrameScore(Pix* image, const forms::PlacedPage& page, double px_per_mm);

}  // namespace bescheid::scan

#endif  // BESCHEID_SCAN_PAGE_MATCH_H_
