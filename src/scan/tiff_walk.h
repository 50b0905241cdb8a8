// A TIFF's structure walked by hand before libtiff decodes anything: the
// chain of image file directories (one per page) and where each page's
// strips or tiles lie. libtiff forgives a chain that ends in the void (a
// file cut after its first page reads as one page) and strips that end
// early; a scan intake must not. Pure, thread-safe.
#ifndef BESCHEID_SCAN_TIFF_WALK_H_
#define BESCHEID_SCAN_TIFF_WALK_H_

#include <string_view>

#include "core/status.h"

namespace bescheid::scan {

// The number of pages of the classic (not Big-) TIFF in `bytes`, at most
// `max_pages`. Fails (kInvalidInput, German) if a directory, a directory
// chain link or a page's image data lies outside the file, the chain loops,
// a page has no strip or tile offsets and byte counts, there is no page, or
// there are more than `max_pages` (the walk stops there).
Result<int> WalkTiff(std::string_view bytes, int max_pages);

}  // namespace bescheid::scan

#endif  // BESCHEID_SCAN_TIFF_WALK_H_
