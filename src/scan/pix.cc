#include "scan/pix.h"

#include <allheaders.h>

#include "scan/page_source.h"

namespace bescheid::scan {

void PixDeleter::operator()(Pix* p) const { pixDestroy(&p); }

void PixaDeleter::operator()(Pixa* p) const { pixaDestroy(&p); }

PixPtr CopyPix(Pix* pix) { return PixPtr(pixCopy(nullptr, pix)); }

int ResolutionOf(Pix* pix) { return pixGetXRes(pix); }

Result<PixPtr> PagesSource::Page(int index) {
  if (index < 0 || index >= page_count() || !pages_[index]) {
    return InternalError("scan: no such page");
  }
  PixPtr copy = CopyPix(pages_[index].get());
  if (!copy) return InternalError("Leptonica: cannot copy page");
  return copy;
}

}  // namespace bescheid::scan
