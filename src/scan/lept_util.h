// Internal to the scan module's .cc files: owners for Leptonica's BOX and
// BOXA handles and small pixel helpers. Not for use by other modules.
#ifndef BESCHEID_SCAN_LEPT_UTIL_H_
#define BESCHEID_SCAN_LEPT_UTIL_H_

#include <allheaders.h>

#include <cstdint>
#include <memory>
#include <vector>

#include "scan/ocr.h"
#include "scan/pix.h"

namespace bescheid::scan::internal {

struct BoxDeleter {
  void operator()(Box* b) const { boxDestroy(&b); }
};
struct BoxaDeleter {
  void operator()(Boxa* b) const { boxaDestroy(&b); }
};
using BoxPtr = std::unique_ptr<Box, BoxDeleter>;
using BoxaPtr = std::unique_ptr<Boxa, BoxaDeleter>;

inline BoxPtr MakeBox(const PixelBox& b) {
  return BoxPtr(boxCreate(b.x, b.y, b.w, b.h));
}

// `b` cut to the `w` x `h` image; w or h 0 when nothing is left.
inline PixelBox Clamp(PixelBox b, int w, int h) {
  const int x0 = b.x < 0 ? 0 : b.x, y0 = b.y < 0 ? 0 : b.y;
  const int x1 = b.x + b.w > w ? w : b.x + b.w;
  const int y1 = b.y + b.h > h ? h : b.y + b.h;
  return PixelBox{x0, y0, x1 > x0 ? x1 - x0 : 0, y1 > y0 ? y1 - y0 : 0};
}

// The samples of an 8 bpp image, row after row, one byte each (Leptonica
// packs them into 32-bit words in host order).
inline std::vector<std::uint8_t> GreyBytes(Pix* pix) {
  const int w = pixGetWidth(pix), h = pixGetHeight(pix);
  const int wpl = pixGetWpl(pix);
  std::vector<std::uint8_t> out(static_cast<size_t>(w) * h);
  l_uint32* data = pixGetData(pix);
  for (int y = 0; y < h; ++y) {
    l_uint32* line = data + static_cast<size_t>(y) * wpl;
    for (int x = 0; x < w; ++x) {
      out[static_cast<size_t>(y) * w + x] =
          static_cast<std::uint8_t>(GET_DATA_BYTE(line, x));
    }
  }
  return out;
}

// Share of dark pixels (1 bpp: set) of `bitonal` inside `box`.
inline double InkShare(Pix* bitonal, const PixelBox& box) {
  const PixelBox b = Clamp(box, pixGetWidth(bitonal), pixGetHeight(bitonal));
  if (b.w == 0 || b.h == 0) return 0.0;
  BoxPtr lb = MakeBox(b);
  l_int32 count = 0;
  if (pixCountPixelsInRect(bitonal, lb.get(), &count, nullptr) != 0) return 0;
  return count / (static_cast<double>(b.w) * b.h);
}

}  // namespace bescheid::scan::internal

#endif  // BESCHEID_SCAN_LEPT_UTIL_H_
