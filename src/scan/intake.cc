#include "scan/intake.h"

#include <allheaders.h>

#include <algorithm>
#include <cmath>
#include <cstdlib>
#include <cstring>
#include <mutex>

#include "scan/intake_reasons.h"
#include "scan/pdf_check.h"
#include "scan/rasterize.h"
#include "scan/tiff_walk.h"

namespace bescheid::scan {
namespace {

constexpr std::size_t kPdfMarkerWindow = 1024;
// Ancillary PNG chunks (text, ICC profile, ...) larger than this are
// refused before libpng inflates them: a scanner writes a few KiB.
constexpr std::uint64_t kMaxPngAncillaryChunk = 1u << 20;
constexpr int kMinPlausibleDpi = 100;
constexpr int kMaxPlausibleDpi = 1200;
constexpr int kAssumedDpi = 300;

const l_uint8* Data(std::string_view bytes) {
  return reinterpret_cast<const l_uint8*>(bytes.data());
}

bool StartsWith(std::string_view s, std::string_view prefix) {
  return s.substr(0, prefix.size()) == prefix;
}

bool IsXmlSpace(char c) {
  return c == ' ' || c == '\t' || c == '\r' || c == '\n';
}

// Leptonica prints every failure to stderr; the reasons we return say it
// better. Once per process: the level is a plain global.
void QuietLeptonica() {
  static std::once_flag once;
  std::call_once(once, [] {
    setMsgSeverity(std::getenv("LEPT_MSG_SEVERITY") ? L_SEVERITY_EXTERNAL
                                                    : L_SEVERITY_NONE);
  });
}

std::uint32_t BigEndian32(std::string_view b, std::size_t at) {
  return (std::uint32_t(static_cast<unsigned char>(b[at])) << 24) |
         (std::uint32_t(static_cast<unsigned char>(b[at + 1])) << 16) |
         (std::uint32_t(static_cast<unsigned char>(b[at + 2])) << 8) |
         std::uint32_t(static_cast<unsigned char>(b[at + 3]));
}

// Walks a PNG's chunks up to IEND: each must lie inside the file, and no
// ancillary chunk may exceed kMaxPngAncillaryChunk.
Status CheckPngChunks(std::string_view bytes) {
  std::size_t at = 8;
  while (true) {
    if (bytes.size() - at < 12) return reasons::BrokenHeader("PNG-Bild");
    const std::uint64_t length = BigEndian32(bytes, at);
    const std::string_view type = bytes.substr(at + 4, 4);
    if (length > bytes.size() - at - 12) {
      return reasons::BrokenHeader("PNG-Bild");
    }
    const bool ancillary = (type[0] & 0x20) != 0;
    if (ancillary && length > kMaxPngAncillaryChunk) {
      return reasons::PngChunkTooLarge(type, length, kMaxPngAncillaryChunk);
    }
    if (type == "IEND") return Status::Ok();
    at += 12 + length;
  }
}

Status CheckPageSize(int page, std::int64_t w, std::int64_t h,
                     const ScanLimits& limits) {
  if (w > limits.max_pixels_per_side || h > limits.max_pixels_per_side) {
    return reasons::PageTooWide(page, w, h, limits.max_pixels_per_side);
  }
  if (w * h > std::int64_t{limits.max_megapixels} * 1000000) {
    return reasons::PageTooManyPixels(page, w, h, limits.max_megapixels);
  }
  return Status::Ok();
}

// Page `n`'s header of a TIFF (n from 0); fails if there is no such page.
Status TiffPageHeader(std::string_view bytes, int n, l_int32* w, l_int32* h) {
  l_int32 bps = 0, spp = 0, res = 0, cmap = 0, format = 0;
  if (readHeaderMemTiff(Data(bytes), bytes.size(), n, w, h, &bps, &spp, &res,
                        &cmap, &format) != 0 ||
      *w < 1 || *h < 1) {
    return reasons::BrokenHeader("TIFF-Bild");
  }
  return Status::Ok();
}

Status CheckTiff(std::string_view bytes, const ScanLimits& limits) {
  Result<int> pages = WalkTiff(bytes, limits.max_pages);
  if (!pages.ok()) return pages.status();
  for (int n = 0; n < *pages; ++n) {
    l_int32 w = 0, h = 0;
    Status s = TiffPageHeader(bytes, n, &w, &h);
    if (s.ok()) s = CheckPageSize(n, w, h, limits);
    if (!s.ok()) return s;
  }
  return Status::Ok();
}

// The number of scans in a JPEG (start-of-scan markers FF DA: entropy-coded
// data never holds them, as a coded FF is followed by 00 or a restart
// marker's D0-D7). A baseline JPEG has one scan per component group; a
// progressive one refines the whole image once per scan, each a pass over
// all its coefficients.
std::size_t JpegScans(std::string_view bytes) {
  std::size_t scans = 0;
  for (std::size_t i = 0; i + 1 < bytes.size(); ++i) {
    if (bytes[i] == '\xFF' && bytes[i + 1] == '\xDA') ++scans;
  }
  return scans;
}

// PNG, JPEG, PNM: one page, its header read by Leptonica.
Status CheckSinglePage(std::string_view bytes, FileKind kind,
                       const ScanLimits& limits) {
  if (kind == FileKind::kPng) {
    Status s = CheckPngChunks(bytes);
    if (!s.ok()) return s;
  }
  if (kind == FileKind::kJpeg && JpegScans(bytes) > kMaxJpegScans) {
    return reasons::JpegTooManyScans(kMaxJpegScans);
  }
  l_int32 format = 0, w = 0, h = 0, bps = 0, spp = 0, cmap = 0;
  if (pixReadHeaderMem(Data(bytes), bytes.size(), &format, &w, &h, &bps, &spp,
                       &cmap) != 0 ||
      w < 1 || h < 1) {
    return reasons::BrokenHeader(GermanName(kind));
  }
  return CheckPageSize(0, w, h, limits);
}

// Page `n` of an image file decoded by Leptonica; null if the data is
// truncated or corrupt (JPEG: also if libjpeg had to make up data).
PixPtr DecodeImagePage(std::string_view bytes, FileKind kind, int n) {
  switch (kind) {
    case FileKind::kTiff:
      return PixPtr(pixReadMemTiff(Data(bytes), bytes.size(), n));
    case FileKind::kPng:
      return PixPtr(pixReadMemPng(Data(bytes), bytes.size()));
    case FileKind::kJpeg: {
      l_int32 warnings = 0;
      PixPtr pix(pixReadMemJpeg(Data(bytes), bytes.size(), 0, 1, &warnings, 0));
      return warnings == 0 ? std::move(pix) : nullptr;
    }
    case FileKind::kPnm:
      return PixPtr(pixReadMemPnm(Data(bytes), bytes.size()));
    default:
      return nullptr;
  }
}

// 8 bpp grey without colormap; alpha composited on white first.
PixPtr ToGrey(PixPtr pix) {
  if (pixGetDepth(pix.get()) == 32 && pixGetSpp(pix.get()) == 4) {
    pix = PixPtr(pixRemoveAlpha(pix.get()));
    if (!pix) return nullptr;
  }
  return GreyView(pix.get());
}

bool Plausible(int dpi) {
  return dpi >= kMinPlausibleDpi && dpi <= kMaxPlausibleDpi;
}

// The resolution an A4 page of w x h pixels has (snapped to a scanner's
// usual setting within 3 %), or 0 if the page is not A4-shaped.
int ResolutionIfA4(int w, int h) {
  const double shorter = std::min(w, h);
  const double longer = std::max(w, h);
  if (std::fabs(longer / shorter - 297.0 / 210.0) > 0.02) return 0;
  const double dpi = shorter / (210.0 / 25.4);
  for (int usual : {150, 200, 240, 300, 400, 600}) {
    if (std::fabs(dpi - usual) <= 0.03 * usual) return usual;
  }
  return Plausible(static_cast<int>(std::lround(dpi)))
             ? static_cast<int>(std::lround(dpi))
             : 0;
}

void SetResolution(Pix* pix, int page, std::vector<std::string>& notes) {
  if (Plausible(pixGetXRes(pix)) && Plausible(pixGetYRes(pix))) return;
  const int a4 = ResolutionIfA4(pixGetWidth(pix), pixGetHeight(pix));
  const int dpi = a4 ? a4 : kAssumedDpi;
  pixSetResolution(pix, dpi, dpi);
  notes.push_back(a4 ? reasons::NoteResolutionFromA4(page, dpi)
                     : reasons::NoteResolutionAssumed(page, dpi));
}

// Page `n` of an image file, decoded, checked against the caps and turned
// grey at once (a colour page is held at 32 bpp only while converted).
Result<PixPtr> DecodeImageGrey(std::string_view bytes, FileKind kind, int n,
                               const ScanLimits& limits) {
  PixPtr pix = DecodeImagePage(bytes, kind, n);
  if (!pix) return reasons::BrokenData(GermanName(kind), n);
  Status s =
      CheckPageSize(n, pixGetWidth(pix.get()), pixGetHeight(pix.get()), limits);
  if (!s.ok()) return s;
  PixPtr grey = ToGrey(std::move(pix));
  if (!grey) return InternalError("Leptonica: cannot convert page to grey");
  return grey;
}

RasterOptions PdfRasterOptions(const ScanLimits& limits) {
  RasterOptions options;
  options.dpi = limits.pdf_dpi;
  options.kind = PixelKind::kGrey;
  options.limits.max_pages = limits.max_pages;
  options.limits.max_pixels_per_page =
      std::int64_t{limits.max_megapixels} * 1000000;
  return options;
}

}  // namespace

FileKind SniffFileKind(std::string_view head) {
  if (StartsWith(head, std::string_view("II*\0", 4)) ||
      StartsWith(head, std::string_view("MM\0*", 4))) {
    return FileKind::kTiff;
  }
  if (StartsWith(head, "\x89PNG\r\n\x1a\n")) return FileKind::kPng;
  if (StartsWith(head, "\xFF\xD8\xFF")) return FileKind::kJpeg;
  if (head.size() >= 3 && head[0] == 'P' && head[1] >= '1' && head[1] <= '6' &&
      (IsXmlSpace(head[2]) || head[2] == '\v' || head[2] == '\f')) {
    return FileKind::kPnm;
  }
  if (StartsWith(head, "%PDF-")) return FileKind::kPdf;
  std::string_view rest = head;
  if (StartsWith(rest, "\xEF\xBB\xBF")) rest.remove_prefix(3);
  while (!rest.empty() && IsXmlSpace(rest.front())) rest.remove_prefix(1);
  if (!rest.empty() && rest.front() == '<') return FileKind::kXml;
  // Readers accept junk before the marker (some scanners' mail gateways
  // prepend a line); an XML document that mentions it stays XML above.
  if (head.substr(0, kPdfMarkerWindow).find("%PDF-") !=
      std::string_view::npos) {
    return FileKind::kPdf;
  }
  return FileKind::kUnknown;
}

std::string_view GermanName(FileKind kind) {
  switch (kind) {
    case FileKind::kXml:
      return "XML-Datei";
    case FileKind::kTiff:
      return "TIFF-Bild";
    case FileKind::kPng:
      return "PNG-Bild";
    case FileKind::kJpeg:
      return "JPEG-Bild";
    case FileKind::kPnm:
      return "PNM-Bild";
    case FileKind::kPdf:
      return "PDF-Datei";
    case FileKind::kUnknown:
      break;
  }
  return "Datei unbekannter Art";
}

Status CheckScanHeader(std::string_view bytes, const ScanLimits& limits) {
  QuietLeptonica();
  if (bytes.empty()) return reasons::Empty();
  if (bytes.size() > limits.max_bytes) {
    return reasons::TooManyBytes(bytes.size(), limits.max_bytes);
  }
  const FileKind kind = SniffFileKind(bytes.substr(0, kPdfMarkerWindow));
  switch (kind) {
    case FileKind::kXml:
      return reasons::XmlIsNoScan();
    case FileKind::kUnknown:
      return reasons::UnknownKind();
    case FileKind::kPdf:
      return CheckPdf(bytes, limits);
    case FileKind::kTiff:
      return CheckTiff(bytes, limits);
    default:
      return CheckSinglePage(bytes, kind, limits);
  }
}

ScanSource::ScanSource(std::string_view bytes, const ScanLimits& limits,
                       FileKind kind, int count)
    : bytes_(bytes),
      limits_(limits),
      kind_(kind),
      count_(count),
      noted_(static_cast<std::size_t>(count), false) {}

ScanSource::~ScanSource() = default;

Result<std::unique_ptr<ScanSource>> ScanSource::Open(std::string_view bytes,
                                                     const ScanLimits& limits) {
  Status checked = CheckScanHeader(bytes, limits);
  if (!checked.ok()) return checked;
  const FileKind kind = SniffFileKind(bytes.substr(0, kPdfMarkerWindow));
  std::unique_ptr<PdfPageRenderer> pdf;
  int count = 1;
  if (kind == FileKind::kPdf) {
    Result<std::unique_ptr<PdfPageRenderer>> r =
        PdfPageRenderer::Open(bytes, PdfRasterOptions(limits));
    if (!r.ok()) return r.status();
    pdf = std::move(r).value();
    count = pdf->pages();
  } else if (kind == FileKind::kTiff) {
    Result<int> n = WalkTiff(bytes, limits.max_pages);
    if (!n.ok()) return n.status();
    count = *n;
  }
  std::unique_ptr<ScanSource> source(
      new ScanSource(bytes, limits, kind, count));
  source->pdf_ = std::move(pdf);
  return source;
}

Result<PixPtr> ScanSource::Page(int index) {
  if (index < 0 || index >= count_) {
    return InternalError("scan: page index out of range");
  }
  Result<PixPtr> page = kind_ == FileKind::kPdf
                            ? pdf_->Render(index)
                            : DecodeImageGrey(bytes_, kind_, index, limits_);
  if (!page.ok()) return page.status();
  PixPtr grey = ToGrey(std::move(page).value());
  if (!grey) return InternalError("Leptonica: cannot convert page to grey");
  std::vector<std::string> notes;
  SetResolution(grey.get(), index, notes);
  if (!noted_[static_cast<std::size_t>(index)]) {
    noted_[static_cast<std::size_t>(index)] = true;
    for (std::string& n : notes) notes_.push_back(std::move(n));
  }
  return grey;
}

Result<DecodedScan> DecodeScan(std::string_view bytes,
                               const ScanLimits& limits) {
  Result<std::unique_ptr<ScanSource>> source = ScanSource::Open(bytes, limits);
  if (!source.ok()) return source.status();
  DecodedScan scan;
  scan.kind = (*source)->kind();
  for (int i = 0; i < (*source)->page_count(); ++i) {
    Result<PixPtr> page = (*source)->Page(i);
    if (!page.ok()) return page.status();
    scan.pages.push_back(std::move(page).value());
  }
  scan.notes = (*source)->notes();
  return scan;
}

}  // namespace bescheid::scan
