#include "scan/crop.h"

#include <algorithm>
#include <cstdint>

#include "scan/image_write.h"
#include "scan/lept_util.h"

namespace bescheid::scan {

Result<std::string> CropPng(Pix* page, const PixelBox& box, int margin) {
  if (page == nullptr || box.w <= 0 || box.h <= 0 || margin < 0) {
    return InvalidInput("crop: no page or empty box");
  }
  // In 64 bits: a box near INT_MAX plus the margin must not wrap.
  const int64_t x0 = std::max<int64_t>(0, int64_t{box.x} - margin);
  const int64_t y0 = std::max<int64_t>(0, int64_t{box.y} - margin);
  const int64_t x1 =
      std::min<int64_t>(pixGetWidth(page), int64_t{box.x} + box.w + margin);
  const int64_t y1 =
      std::min<int64_t>(pixGetHeight(page), int64_t{box.y} + box.h + margin);
  if (x1 <= x0 || y1 <= y0) {
    return InvalidInput("crop: box outside the page");
  }
  internal::BoxPtr b(boxCreate(static_cast<int>(x0), static_cast<int>(y0),
                               static_cast<int>(x1 - x0),
                               static_cast<int>(y1 - y0)));
  if (!b) return InternalError("crop: boxCreate failed");
  PixPtr crop(pixClipRectangle(page, b.get(), nullptr));
  if (!crop) return InternalError("crop: pixClipRectangle failed");
  return EncodeImage(crop.get(), ImageFormat::kPng);
}

}  // namespace bescheid::scan
