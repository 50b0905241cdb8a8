#include "scan/pix.h"

#include <allheaders.h>

namespace bescheid::scan {

void PixDeleter::operator()(Pix* p) const { pixDestroy(&p); }

void PixaDeleter::operator()(Pixa* p) const { pixaDestroy(&p); }

PixPtr CopyPix(Pix* pix) { return PixPtr(pixCopy(nullptr, pix)); }

int ResolutionOf(Pix* pix) { return pixGetXRes(pix); }

}  // namespace bescheid::scan
