#include "scan/kept_page.h"

#include <allheaders.h>

#include <utility>

namespace bescheid::scan {
namespace {

// zlib level of the PNGs pages are kept as: 1 encodes an 8 bpp 300-dpi
// page several times faster than the default 6, for files a fifth larger.
constexpr int kKeptPageZlibLevel = 1;

// `page` as PNG at the zlib level set in it.
Result<std::string> WritePng(Pix* page) {
  l_uint8* data = nullptr;
  size_t size = 0;
  if (pixWriteMemPng(&data, &size, page, 0.0f) != 0 || data == nullptr) {
    return InternalError("Leptonica: cannot encode page as PNG");
  }
  std::string out(reinterpret_cast<const char*>(data), size);
  lept_free(data);
  return out;
}

}  // namespace

KeptPage KeptPage::Decoded(PixPtr image) {
  KeptPage k;
  if (image) {
    // Set once here, so that encoding later changes nothing in the image
    // its copies share.
    pixSetZlibCompression(image.get(), kKeptPageZlibLevel);
    k.image_ = std::shared_ptr<Pix>(image.release(), PixDeleter{});
  }
  return k;
}

Result<KeptPage> KeptPage::Encoded(Pix* image) {
  Result<std::string> png = EncodeKeptPage(image);
  if (!png.ok()) return png.status();
  return FromPng(std::move(png).value());
}

KeptPage KeptPage::FromPng(std::string png) {
  KeptPage k;
  k.png_ = std::move(png);
  return k;
}

size_t KeptPage::decoded_pixels() const {
  if (!image_) return 0;
  return static_cast<size_t>(pixGetWidth(image_.get())) *
         static_cast<size_t>(pixGetHeight(image_.get()));
}

Result<std::string> KeptPage::Png() const {
  if (!image_) {
    if (png_.empty()) return InternalError("scan: no kept page");
    return png_;
  }
  return WritePng(image_.get());  // at the level Decoded set
}

Result<std::shared_ptr<Pix>> KeptPage::Image() const {
  if (image_) return image_;
  if (png_.empty()) return InternalError("scan: no kept page");
  Result<PixPtr> pix = DecodeKeptPage(png_);
  if (!pix.ok()) return pix.status();
  return std::shared_ptr<Pix>(std::move(pix).value().release(), PixDeleter{});
}

Result<std::string> EncodeKeptPage(Pix* page) {
  if (page == nullptr) return InternalError("scan: no page to keep");
  // Fast compression: a page is encoded at most once per scan and kept
  // only while the file is read; the review folder takes these bytes.
  pixSetZlibCompression(page, kKeptPageZlibLevel);
  return WritePng(page);
}

Result<PixPtr> DecodeKeptPage(std::string_view png) {
  PixPtr pix(
      pixReadMemPng(reinterpret_cast<const l_uint8*>(png.data()), png.size()));
  if (!pix) return InternalError("Leptonica: cannot decode kept page");
  return pix;
}

}  // namespace bescheid::scan
