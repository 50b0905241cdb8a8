// A page image as the reader keeps it between locating a page and the
// review folder: held decoded while the reading's budget allows
// (ReadOptions::kept_decoded_megapixels), else as PNG (8 bpp grey,
// lossless, encoded fast). Encoding a 300-dpi page costs about as much as
// reading its fields when a barcode gives the values, so a page is
// encoded only when it is kept beyond the budget or its PNG is asked for
// (the review folder's page files).
//
// Thread-safety: copies share the decoded image, which no method changes;
// a KeptPage and its copies may be read from several threads at once.
#ifndef BESCHEID_SCAN_KEPT_PAGE_H_
#define BESCHEID_SCAN_KEPT_PAGE_H_

#include <cstddef>
#include <memory>
#include <string>
#include <string_view>

#include "core/status.h"
#include "scan/pix.h"

namespace bescheid::scan {

class KeptPage {
 public:
  KeptPage() = default;  // no page: Png() and Image() fail
  // Keeps `image` decoded (null: no page).
  static KeptPage Decoded(PixPtr image);
  // Keeps `image` as PNG; kInternal if Leptonica cannot encode it.
  static Result<KeptPage> Encoded(Pix* image);
  // Keeps PNG bytes as they are (tests, tools).
  static KeptPage FromPng(std::string png);

  // Whether the page is held decoded (it then counts against the budget).
  bool decoded() const { return image_ != nullptr; }
  // Pixels held decoded (0 when kept as PNG).
  size_t decoded_pixels() const;
  // The page as PNG: the kept bytes, or the decoded image encoded now.
  // kInternal if there is no page or Leptonica cannot encode it.
  Result<std::string> Png() const;
  // The page decoded: the shared image (not to be changed), or the PNG
  // decoded now. kInternal if there is no page or it does not decode.
  Result<std::shared_ptr<Pix>> Image() const;

 private:
  std::shared_ptr<Pix> image_;
  std::string png_;
};

// A page as PNG the way KeptPage keeps it (any depth PNG takes), lossless.
// kInternal if Leptonica cannot encode it. Note: sets the page's zlib
// level (Leptonica keeps it in the image).
Result<std::string> EncodeKeptPage(Pix* page);

// A kept page decoded again (kInternal if it does not decode: out of
// memory, or bytes that are no PNG).
Result<PixPtr> DecodeKeptPage(std::string_view png);

}  // namespace bescheid::scan

#endif  // BESCHEID_SCAN_KEPT_PAGE_H_
