// The pages of one scanned file, handed out one at a time: a reader pulls
// page k, uses it and frees it, so that a long file is never held decoded
// all at once (a 600-dpi A4 page is 35 MB at 8 bpp). The intake's
// ScanSource (scan/intake.h) decodes a file page by page; PagesSource
// serves pages already in memory (tools and tests).
#ifndef BESCHEID_SCAN_PAGE_SOURCE_H_
#define BESCHEID_SCAN_PAGE_SOURCE_H_

#include "core/status.h"
#include "scan/pix.h"

namespace bescheid::scan {

class PageSource {
 public:
  virtual ~PageSource() = default;

  // The number of pages (at least 1 for a source that opened).
  virtual int page_count() const = 0;

  // Page `index` (0-based, below page_count(), else kInternal) as an
  // image the caller holds a reference to and must not change in place (a
  // source may share its pixels): 8 bpp grey, 32 bpp colour or 1 bpp,
  // resolution set. kInvalidInput (German) when the page's data is
  // damaged; kInternal when memory runs out. Not thread-safe.
  virtual Result<PixPtr> Page(int index) = 0;
};

// Pages in memory; Page(k) returns another reference to pages[k] (no
// copy, as a ScanSource's page decoded anew costs none). `pages` must
// outlive the source, and no other thread may use them meanwhile
// (Leptonica counts references without atomics).
class PagesSource final : public PageSource {
 public:
  explicit PagesSource(const Pages& pages) : pages_(pages) {}
  int page_count() const override { return static_cast<int>(pages_.size()); }
  Result<PixPtr> Page(int index) override;

 private:
  const Pages& pages_;
};

}  // namespace bescheid::scan

#endif  // BESCHEID_SCAN_PAGE_SOURCE_H_
