#include "scan/image_write.h"

#include <allheaders.h>

#include <cassert>
#include <cstdio>
#include <memory>

namespace bescheid::scan {
namespace {

struct FileCloser {
  void operator()(FILE* f) const { std::fclose(f); }
};
using FilePtr = std::unique_ptr<FILE, FileCloser>;

struct LeptBytes {
  l_uint8* data = nullptr;
  size_t size = 0;
  ~LeptBytes() { lept_free(data); }
  std::string Take() const {
    return std::string(reinterpret_cast<const char*>(data), size);
  }
};

int TiffCompression(ImageFormat format) {
  switch (format) {
    case ImageFormat::kTiffG4:
      return IFF_TIFF_G4;
    case ImageFormat::kTiffLzw:
      return IFF_TIFF_LZW;
    default:
      return IFF_TIFF_JPEG;
  }
}

bool DepthFits(Pix* page, ImageFormat format) {
  const int d = pixGetDepth(page);
  switch (format) {
    case ImageFormat::kTiffG4:
      return d == 1;
    case ImageFormat::kTiffJpeg:
    case ImageFormat::kJpeg:
      return (d == 8 || d == 32) && pixGetColormap(page) == nullptr;
    default:
      return d == 1 || d == 8 || d == 32;
  }
}

Status CheckPages(const Pages& pages, ImageFormat format) {
  if (pages.empty()) return InternalError("no pages to encode");
  for (const PixPtr& page : pages) {
    if (!page || !DepthFits(page.get(), format) ||
        pixGetDepth(page.get()) != pixGetDepth(pages.front().get())) {
      return InternalError(std::string("page depth does not fit ") +
                           FormatName(format));
    }
  }
  return Status::Ok();
}

// Multi-page TIFF through an anonymous temporary file: Leptonica appends
// pages only to a seekable stream, and its memory writer takes no choice
// of compression.
Result<std::string> EncodeTiff(const Pages& pages, ImageFormat format) {
  FilePtr file(std::tmpfile());
  if (!file) return IoError("cannot create a temporary file for TIFF");
  const int comptype = TiffCompression(format);
  for (std::size_t i = 0; i < pages.size(); ++i) {
    if (pixWriteStreamTiffWA(file.get(), pages[i].get(), comptype,
                             i == 0 ? "w" : "a") != 0) {
      return InternalError("Leptonica: writing TIFF page failed");
    }
  }
  if (std::fseek(file.get(), 0, SEEK_END) != 0) {
    return IoError("cannot seek the temporary TIFF file");
  }
  const long size = std::ftell(file.get());
  if (size < 0) return IoError("cannot size the temporary TIFF file");
  std::string bytes(static_cast<std::size_t>(size), '\0');
  std::rewind(file.get());
  if (std::fread(bytes.data(), 1, bytes.size(), file.get()) != bytes.size()) {
    return IoError("cannot read back the temporary TIFF file");
  }
  return bytes;
}

Result<std::string> EncodePdf(const Pages& pages, int jpeg_quality) {
  PixaPtr pixa(pixaCreate(static_cast<l_int32>(pages.size())));
  if (!pixa) return InternalError("Leptonica: pixaCreate failed");
  for (const PixPtr& page : pages) {
    if (pixaAddPix(pixa.get(), page.get(), L_CLONE) != 0) {
      return InternalError("Leptonica: pixaAddPix failed");
    }
  }
  const int type =
      pixGetDepth(pages.front().get()) == 1 ? L_G4_ENCODE : L_JPEG_ENCODE;
  l_pdfSetDateAndVersion(0);  // no creation date: output is reproducible
  LeptBytes out;
  // Resolution 0: each page at its own resolution.
  if (pixaConvertToPdfData(pixa.get(), 0, 1.0f, type, jpeg_quality, nullptr,
                           &out.data, &out.size) != 0) {
    return InternalError("Leptonica: writing the PDF failed");
  }
  return out.Take();
}

}  // namespace

bool IsMultiPage(ImageFormat format) {
  switch (format) {
    case ImageFormat::kTiffG4:
    case ImageFormat::kTiffLzw:
    case ImageFormat::kTiffJpeg:
    case ImageFormat::kPdf:
      return true;
    default:
      return false;
  }
}

const char* FileExtension(ImageFormat format) {
  switch (format) {
    case ImageFormat::kTiffG4:
    case ImageFormat::kTiffLzw:
    case ImageFormat::kTiffJpeg:
      return "tif";
    case ImageFormat::kPdf:
      return "pdf";
    case ImageFormat::kPng:
      return "png";
    case ImageFormat::kJpeg:
      return "jpg";
    case ImageFormat::kPnm:
      return "pnm";
  }
  return "";
}

const char* FormatName(ImageFormat format) {
  switch (format) {
    case ImageFormat::kTiffG4:
      return "tiff-g4";
    case ImageFormat::kTiffLzw:
      return "tiff-lzw";
    case ImageFormat::kTiffJpeg:
      return "tiff-jpeg";
    case ImageFormat::kPdf:
      return "pdf";
    case ImageFormat::kPng:
      return "png";
    case ImageFormat::kJpeg:
      return "jpeg";
    case ImageFormat::kPnm:
      return "pnm";
  }
  return "";
}

Result<std::string> EncodeDocument(const Pages& pages, ImageFormat format,
                                   int jpeg_quality) {
  assert(IsMultiPage(format));
  Status s = CheckPages(pages, format);
  if (!s.ok()) return s;
  if (format == ImageFormat::kPdf) return EncodePdf(pages, jpeg_quality);
  return EncodeTiff(pages, format);
}

Result<std::string> EncodeImage(Pix* page, ImageFormat format,
                                int jpeg_quality) {
  assert(!IsMultiPage(format));
  if (page == nullptr || !DepthFits(page, format)) {
    return InternalError(std::string("page depth does not fit ") +
                         FormatName(format));
  }
  LeptBytes out;
  l_ok failed = 1;
  if (format == ImageFormat::kPng) {
    failed = pixWriteMemPng(&out.data, &out.size, page, 0.0f);
  } else if (format == ImageFormat::kJpeg) {
    failed = pixWriteMemJpeg(&out.data, &out.size, page, jpeg_quality, 0);
  } else {
    failed = pixWriteMemPnm(&out.data, &out.size, page);
  }
  if (failed != 0) {
    return InternalError(std::string("Leptonica: writing ") +
                         FormatName(format) + " failed");
  }
  return out.Take();
}

}  // namespace bescheid::scan
