#include "scan/image_read.h"

#include <allheaders.h>

#include <cstdio>
#include <memory>
#include <string>

#include "scan/rasterize.h"

namespace bescheid::scan {
namespace {

const l_uint8* Data(std::string_view bytes) {
  return reinterpret_cast<const l_uint8*>(bytes.data());
}

std::optional<ImageFormat> FromLeptonica(int format) {
  switch (format) {
    case IFF_TIFF_G4:
      return ImageFormat::kTiffG4;
    case IFF_TIFF_LZW:
      return ImageFormat::kTiffLzw;
    case IFF_TIFF_JPEG:
      return ImageFormat::kTiffJpeg;
    case IFF_LPDF:
      return ImageFormat::kPdf;
    case IFF_PNG:
      return ImageFormat::kPng;
    case IFF_JFIF_JPEG:
      return ImageFormat::kJpeg;
    case IFF_PNM:
      return ImageFormat::kPnm;
    default:
      return std::nullopt;
  }
}

Status Unreadable() {
  return InvalidInput("Die Datei ist kein lesbares Bild.");
}

Status CheckSize(int w, int h, int page, const DecodeLimits& limits) {
  if (w < 1 || h < 1 ||
      static_cast<std::int64_t>(w) * h > limits.max_pixels_per_page) {
    return InvalidInput("Seite " + std::to_string(page + 1) +
                        " des Bildes ist zu groß oder hat keine gültige "
                        "Größe.");
  }
  return Status::Ok();
}

Result<int> TiffPageCount(std::string_view bytes) {
  struct Closer {
    void operator()(FILE* f) const { std::fclose(f); }
  };
  std::unique_ptr<FILE, Closer> file(
      fmemopen(const_cast<char*>(bytes.data()), bytes.size(), "rb"));
  l_int32 n = 0;
  if (!file || tiffGetCount(file.get(), &n) != 0) return Unreadable();
  return static_cast<int>(n);
}

// Page `n` of a TIFF, decoded after its header passed the limits.
Result<PixPtr> DecodeTiffPage(std::string_view bytes, int n,
                              const DecodeLimits& limits) {
  l_int32 w = 0, h = 0, bps = 0, spp = 0, res = 0, cmap = 0, format = 0;
  if (readHeaderMemTiff(Data(bytes), bytes.size(), n, &w, &h, &bps, &spp, &res,
                        &cmap, &format) != 0) {
    return Unreadable();
  }
  Status s = CheckSize(w, h, n, limits);
  if (!s.ok()) return s;
  PixPtr pix(pixReadMemTiff(Data(bytes), bytes.size(), n));
  if (!pix) return Unreadable();
  return pix;
}

// The file's pages: all of a TIFF, the one of any other format.
Result<Pages> DecodeAll(std::string_view bytes, int format,
                        const DecodeLimits& limits) {
  Pages pages;
  if (L_FORMAT_IS_TIFF(format)) {
    Result<int> count = TiffPageCount(bytes);
    if (!count.ok()) return count.status();
    if (*count < 1 || *count > limits.max_pages) {
      return InvalidInput("Das Bild hat " + std::to_string(*count) +
                          " Seiten, erlaubt sind 1 bis " +
                          std::to_string(limits.max_pages) + ".");
    }
    for (int n = 0; n < *count; ++n) {
      Result<PixPtr> page = DecodeTiffPage(bytes, n, limits);
      if (!page.ok()) return page.status();
      pages.push_back(std::move(page).value());
    }
    return pages;
  }
  l_int32 w = 0, h = 0, bps = 0, spp = 0, cmap = 0, f = 0;
  if (pixReadHeaderMem(Data(bytes), bytes.size(), &f, &w, &h, &bps, &spp,
                       &cmap) != 0) {
    return Unreadable();
  }
  Status s = CheckSize(w, h, 0, limits);
  if (!s.ok()) return s;
  PixPtr pix(pixReadMem(Data(bytes), bytes.size()));
  if (!pix) return Unreadable();
  pages.push_back(std::move(pix));
  return pages;
}

Result<int> DetectFormat(std::string_view bytes) {
  l_int32 format = IFF_UNKNOWN;
  if (bytes.size() < 12 || findFileFormatBuffer(Data(bytes), &format) != 0 ||
      format == IFF_UNKNOWN) {
    return Unreadable();
  }
  return static_cast<int>(format);
}

Result<ImageInfo> InspectPdf(std::string_view bytes,
                             const DecodeLimits& limits) {
  Result<int> pages = CountPdfPages(bytes);
  if (!pages.ok()) return pages.status();
  if (*pages > limits.max_pages) {
    return InvalidInput("Das PDF hat zu viele Seiten.");
  }
  ImageInfo info;
  info.format = ImageFormat::kPdf;
  info.pages = *pages;
  return info;
}

}  // namespace

Result<ImageInfo> InspectImage(std::string_view bytes,
                               const DecodeLimits& limits) {
  Result<int> format = DetectFormat(bytes);
  if (!format.ok()) return format.status();
  if (*format == IFF_LPDF) return InspectPdf(bytes, limits);
  Result<Pages> pages = DecodeAll(bytes, *format, limits);
  if (!pages.ok()) return pages.status();
  Pix* first = pages->front().get();
  ImageInfo info;
  info.pages = static_cast<int>(pages->size());
  info.width = pixGetWidth(first);
  info.height = pixGetHeight(first);
  info.depth = pixGetDepth(first);
  info.x_dpi = pixGetXRes(first);
  info.y_dpi = pixGetYRes(first);
  int detail = *format;
  if (L_FORMAT_IS_TIFF(detail)) {
    l_int32 w, h, bps, spp, res, cmap;
    if (readHeaderMemTiff(Data(bytes), bytes.size(), 0, &w, &h, &bps, &spp,
                          &res, &cmap, &detail) != 0) {
      return Unreadable();
    }
  }
  info.format = FromLeptonica(detail);
  return info;
}

Result<Pages> DecodeImage(std::string_view bytes, const DecodeLimits& limits) {
  Result<int> format = DetectFormat(bytes);
  if (!format.ok()) return format.status();
  if (*format == IFF_LPDF) {
    return InvalidInput("Ein PDF wird nicht als Bild gelesen.");
  }
  return DecodeAll(bytes, *format, limits);
}

}  // namespace bescheid::scan
