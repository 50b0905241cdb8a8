#include "scan/rasterize.h"

#include <allheaders.h>
#include <poppler-document.h>
#include <poppler-image.h>
#include <poppler-page-renderer.h>
#include <poppler-page.h>

#include <cmath>
#include <exception>
#include <memory>
#include <string>

namespace bescheid::scan {
namespace {

using DocumentPtr = std::unique_ptr<poppler::document>;
using PagePtr = std::unique_ptr<poppler::page>;

Result<DocumentPtr> Load(std::string_view pdf) {
  if (pdf.size() > static_cast<std::size_t>(INT32_MAX)) {
    return InvalidInput("Die PDF-Datei ist zu groß.");
  }
  DocumentPtr doc(poppler::document::load_from_raw_data(
      pdf.data(), static_cast<int>(pdf.size())));
  if (!doc) return InvalidInput("Die Datei ist kein lesbares PDF.");
  if (doc->is_locked()) {
    return InvalidInput(
        "Das PDF ist verschlüsselt und kann nicht gelesen "
        "werden.");
  }
  return doc;
}

Status CheckPage(const poppler::page& page, int index,
                 const RasterOptions& options) {
  const poppler::rectf box = page.page_rect(poppler::media_box);
  const double w = std::ceil(box.width() / 72.0 * options.dpi);
  const double h = std::ceil(box.height() / 72.0 * options.dpi);
  if (!(w >= 1 && h >= 1) ||
      w * h > static_cast<double>(options.limits.max_pixels_per_page)) {
    return InvalidInput("Seite " + std::to_string(index + 1) + " ist bei " +
                        std::to_string(options.dpi) +
                        " dpi zu groß oder hat keine gültige Größe.");
  }
  return Status::Ok();
}

// Copies a poppler image (gray8 or argb32) into a new PIX of 8 or 32 bpp.
PixPtr ToPix(const poppler::image& image, PixelKind kind, int dpi) {
  const int w = image.width();
  const int h = image.height();
  PixPtr pix(pixCreate(w, h, kind == PixelKind::kGrey ? 8 : 32));
  if (!pix) return nullptr;
  pixSetResolution(pix.get(), dpi, dpi);
  const auto* src = reinterpret_cast<const unsigned char*>(image.const_data());
  const int wpl = pixGetWpl(pix.get());
  l_uint32* data = pixGetData(pix.get());
  for (int y = 0; y < h; ++y) {
    const unsigned char* row =
        src + static_cast<std::ptrdiff_t>(y) * image.bytes_per_row();
    l_uint32* line = data + static_cast<std::ptrdiff_t>(y) * wpl;
    for (int x = 0; x < w; ++x) {
      if (kind == PixelKind::kGrey) {
        SET_DATA_BYTE(line, x, row[x]);
      } else {
        // argb32 in host (little-endian) order: B, G, R, A.
        const unsigned char* p = row + 4 * x;
        composeRGBPixel(p[2], p[1], p[0], line + x);
      }
    }
  }
  return pix;
}

Status CheckDocument(const poppler::document& doc,
                     const RasterOptions& options) {
  if (options.dpi < options.limits.min_dpi ||
      options.dpi > options.limits.max_dpi) {
    return InvalidInput("Die Auflösung " + std::to_string(options.dpi) +
                        " dpi liegt außerhalb von " +
                        std::to_string(options.limits.min_dpi) + " bis " +
                        std::to_string(options.limits.max_dpi) + " dpi.");
  }
  if (doc.pages() < 1) return InvalidInput("Das PDF hat keine Seiten.");
  if (doc.pages() > options.limits.max_pages) {
    return InvalidInput(
        "Das PDF hat " + std::to_string(doc.pages()) + " Seiten, höchstens " +
        std::to_string(options.limits.max_pages) + " sind erlaubt.");
  }
  return Status::Ok();
}

}  // namespace

struct PdfPageRenderer::Impl {
  DocumentPtr doc;
  RasterOptions options;
  poppler::page_renderer renderer;
};

PdfPageRenderer::PdfPageRenderer(std::unique_ptr<Impl> impl)
    : impl_(std::move(impl)) {}

PdfPageRenderer::~PdfPageRenderer() = default;

Result<std::unique_ptr<PdfPageRenderer>> PdfPageRenderer::Open(
    std::string_view pdf, const RasterOptions& options) {
  try {
    Result<DocumentPtr> doc = Load(pdf);
    if (!doc.ok()) return doc.status();
    Status checked = CheckDocument(**doc, options);
    if (!checked.ok()) return checked;
    auto impl = std::make_unique<Impl>();
    impl->doc = std::move(doc).value();
    impl->options = options;
    poppler::page_renderer& r = impl->renderer;
    r.set_render_hint(poppler::page_renderer::antialiasing, true);
    r.set_render_hint(poppler::page_renderer::text_antialiasing, true);
    r.set_paper_color(0xffffffff);
    r.set_image_format(options.kind == PixelKind::kGrey
                           ? poppler::image::format_gray8
                           : poppler::image::format_argb32);
    return std::unique_ptr<PdfPageRenderer>(
        new PdfPageRenderer(std::move(impl)));
  } catch (const std::exception& e) {
    return InternalError(std::string("poppler: ") + e.what());
  }
}

int PdfPageRenderer::pages() const { return impl_->doc->pages(); }

Result<PixPtr> PdfPageRenderer::Render(int index) {
  if (index < 0 || index >= pages()) {
    return InternalError("poppler: page index out of range");
  }
  try {
    const RasterOptions& options = impl_->options;
    PagePtr page(impl_->doc->create_page(index));
    if (!page) return InternalError("poppler: cannot open page");
    Status checked = CheckPage(*page, index, options);
    if (!checked.ok()) return checked;
    const poppler::image image =
        impl_->renderer.render_page(page.get(), options.dpi, options.dpi);
    if (!image.is_valid()) return InternalError("poppler: cannot render page");
    PixPtr pix = ToPix(image, options.kind, options.dpi);
    if (!pix) return InternalError("Leptonica: cannot allocate page image");
    return pix;
  } catch (const std::exception& e) {
    return InternalError(std::string("poppler: ") + e.what());
  }
}

Result<Pages> RasterizePdf(std::string_view pdf, const RasterOptions& options) {
  Result<std::unique_ptr<PdfPageRenderer>> renderer =
      PdfPageRenderer::Open(pdf, options);
  if (!renderer.ok()) return renderer.status();
  Pages pages;
  for (int i = 0; i < (*renderer)->pages(); ++i) {
    Result<PixPtr> page = (*renderer)->Render(i);
    if (!page.ok()) return page.status();
    pages.push_back(std::move(page).value());
  }
  return pages;
}

Result<int> CountPdfPages(std::string_view pdf) {
  try {
    Result<DocumentPtr> doc = Load(pdf);
    if (!doc.ok()) return doc.status();
    return (*doc)->pages();
  } catch (const std::exception& e) {
    return InternalError(std::string("poppler: ") + e.what());
  }
}

}  // namespace bescheid::scan
