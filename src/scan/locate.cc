#include "scan/locate.h"

#include <ZXing/ReadBarcode.h>
#include <allheaders.h>

#include <array>
#include <cmath>
#include <exception>

#include "scan/lept_util.h"

namespace bescheid::scan {

using internal::BoxaPtr;
using internal::BoxPtr;
using internal::Clamp;
using internal::MakeBox;

PixelBox ToPixels(const forms::Rect& r, double px_per_mm) {
  const int x0 = static_cast<int>(std::lround(r.x * px_per_mm));
  const int y0 = static_cast<int>(std::lround(r.y * px_per_mm));
  const int x1 = static_cast<int>(std::lround((r.x + r.w) * px_per_mm));
  const int y1 = static_cast<int>(std::lround((r.y + r.h) * px_per_mm));
  return PixelBox{x0, y0, x1 - x0, y1 - y0};
}

std::vector<FoundCode> FindQrCodes(Pix* page, PixelBox area) {
  std::vector<FoundCode> out;
  const int pw = pixGetWidth(page), ph = pixGetHeight(page);
  if (area.w == 0 || area.h == 0) area = PixelBox{0, 0, pw, ph};
  area = Clamp(area, pw, ph);
  if (area.w == 0 || area.h == 0) return out;
  BoxPtr box = MakeBox(area);
  PixPtr crop(pixClipRectangle(page, box.get(), nullptr));
  if (!crop) return out;
  const std::vector<std::uint8_t> bytes = internal::GreyBytes(crop.get());
  try {
    const ZXing::Results results = ZXing::ReadBarcodes(
        ZXing::ImageView(bytes.data(), area.w, area.h, ZXing::ImageFormat::Lum),
        ZXing::DecodeHints()
            .setFormats(ZXing::BarcodeFormat::QRCode)
            .setTryHarder(true)
            .setTryRotate(true));
    for (const ZXing::Result& r : results) {
      if (!r.isValid()) continue;
      FoundCode code;
      code.bytes.assign(r.bytes().begin(), r.bytes().end());
      const ZXing::Position& p = r.position();
      for (int k = 0; k < 4; ++k) {
        code.x += p[k].x / 4.0;
        code.y += p[k].y / 4.0;
      }
      code.x += area.x;
      code.y += area.y;
      out.push_back(std::move(code));
    }
  } catch (const std::exception&) {
    // An image zxing cannot handle holds no code we can use.
  }
  return out;
}

namespace {

// The page code of `grey` and whether it sits where an upside-down page
// has it. Looks where the layout puts it first, then turned, then anywhere.
std::optional<std::pair<forms::PageCode, bool>> ReadPageCode(
    Pix* grey, const forms::FormLayout& layout, double ppm) {
  const forms::Rect& pc = layout.page_code;
  const double margin = 25.0;
  const forms::Rect upright{pc.x - margin, pc.y - margin, pc.w + 2 * margin,
                            pc.h + 2 * margin};
  const forms::Rect turned{layout.page_width - upright.x - upright.w,
                           layout.page_height - upright.y - upright.h,
                           upright.w, upright.h};
  const double mid_y = pixGetHeight(grey) / 2.0;
  for (const PixelBox& area :
       {ToPixels(upright, ppm), ToPixels(turned, ppm), PixelBox{}}) {
    for (const FoundCode& code : FindQrCodes(grey, area)) {
      Result<forms::PageCode> decoded = forms::DecodePageCode(code.bytes);
      if (!decoded.ok() || decoded->form_id != layout.form_id) continue;
      const bool code_low = pc.y + pc.h / 2 > layout.page_height / 2;
      return std::make_pair(*decoded, (code.y > mid_y) != code_low);
    }
  }
  return std::nullopt;
}

struct Point {
  double x = 0, y = 0;
};

// The centre of the solid square nearest to `expected` (pixels) within the
// search window, if there is one of the right size and fill.
std::optional<Point> FindMark(Pix* bitonal, Point expected, double size_px,
                              const LocateOptions& o, double ppm) {
  const int r = static_cast<int>(o.mark_search_mm * ppm);
  const PixelBox window =
      Clamp(PixelBox{static_cast<int>(expected.x) - r,
                     static_cast<int>(expected.y) - r, 2 * r, 2 * r},
            pixGetWidth(bitonal), pixGetHeight(bitonal));
  if (window.w == 0 || window.h == 0) return std::nullopt;
  BoxPtr wbox = MakeBox(window);
  PixPtr crop(pixClipRectangle(bitonal, wbox.get(), nullptr));
  if (!crop) return std::nullopt;
  BoxaPtr comps(pixConnCompBB(crop.get(), 8));
  if (!comps) return std::nullopt;
  const double lo = size_px * (1 - o.mark_size_tolerance);
  const double hi = size_px * (1 + o.mark_size_tolerance);
  std::optional<Point> best;
  double best_d = 1e18;
  for (int i = 0; i < boxaGetCount(comps.get()); ++i) {
    l_int32 x, y, w, h;
    boxaGetBoxGeometry(comps.get(), i, &x, &y, &w, &h);
    if (w < lo || w > hi || h < lo || h > hi) continue;
    const PixelBox b{x, y, w, h};
    if (internal::InkShare(crop.get(), b) < o.mark_min_fill) continue;
    const Point c{window.x + x + w / 2.0, window.y + y + h / 2.0};
    const double d = std::hypot(c.x - expected.x, c.y - expected.y);
    if (d < best_d) {
      best_d = d;
      best = c;
    }
  }
  return best;
}

// Least squares for v = a*X + b*Y + c over the pairs; false if singular.
bool FitLine(const std::vector<Point>& from, const std::vector<double>& v,
             double out[3]) {
  double m[3][4] = {};
  for (size_t i = 0; i < from.size(); ++i) {
    const double row[3] = {from[i].x, from[i].y, 1.0};
    for (int r = 0; r < 3; ++r) {
      for (int c = 0; c < 3; ++c) m[r][c] += row[r] * row[c];
      m[r][3] += row[r] * v[i];
    }
  }
  for (int c = 0; c < 3; ++c) {
    int p = c;
    for (int r = c + 1; r < 3; ++r) {
      if (std::fabs(m[r][c]) > std::fabs(m[p][c])) p = r;
    }
    if (std::fabs(m[p][c]) < 1e-9) return false;
    for (int k = 0; k < 4; ++k) std::swap(m[c][k], m[p][k]);
    for (int r = 0; r < 3; ++r) {
      if (r == c) continue;
      const double f = m[r][c] / m[c][c];
      for (int k = 0; k < 4; ++k) m[r][k] -= f * m[c][k];
    }
  }
  for (int r = 0; r < 3; ++r) out[r] = m[r][3] / m[r][r];
  return true;
}

}  // namespace

namespace {

double Scale(Pix* scan, const forms::FormLayout& layout) {
  const double by_width = pixGetWidth(scan) / layout.page_width;
  const int dpi = ResolutionOf(scan);
  const double by_dpi = dpi / 25.4;
  return dpi > 0 && std::fabs(by_dpi / by_width - 1) < 0.1 ? by_dpi : by_width;
}

// Fits canonical pixels -> scan pixels over the squares found; fills the
// page's transform coefficients, skew and residual.
Status FitMarks(Pix* grey, const forms::FormLayout& layout,
                const LocateOptions& o, LocatedPage* page,
                std::array<float, 6>* coeffs) {
  const double ppm = page->px_per_mm;
  PixPtr bitonal(pixConvertTo1(grey, 128));
  if (!bitonal) return InternalError("leptonica: pixConvertTo1 failed");
  std::vector<Point> canon;
  std::vector<double> xs, ys;
  for (const forms::Rect& m : layout.marks) {
    const Point c{(m.x + m.w / 2) * ppm, (m.y + m.h / 2) * ppm};
    std::optional<Point> found =
        FindMark(bitonal.get(), c, (m.w + m.h) / 2 * ppm, o, ppm);
    if (!found) continue;
    canon.push_back(c);
    xs.push_back(found->x);
    ys.push_back(found->y);
  }
  page->marks_found = static_cast<int>(canon.size());
  double a[3], b[3];
  if (canon.size() < 3 || !FitLine(canon, xs, a) || !FitLine(canon, ys, b)) {
    return InvalidInput(
        "Seite nicht ausgerichtet: weniger als drei Passmarken gefunden (" +
        std::to_string(canon.size()) + " von " +
        std::to_string(layout.marks.size()) + ").");
  }
  for (size_t i = 0; i < canon.size(); ++i) {
    const double dx = a[0] * canon[i].x + a[1] * canon[i].y + a[2] - xs[i];
    const double dy = b[0] * canon[i].x + b[1] * canon[i].y + b[2] - ys[i];
    page->residual_mm = std::max(page->residual_mm, std::hypot(dx, dy) / ppm);
  }
  if (page->residual_mm > o.max_residual_mm) {
    return InvalidInput(
        "Seite nicht ausgerichtet: die Passmarken passen nicht zum Formular "
        "(Abweichung " +
        std::to_string(static_cast<int>(page->residual_mm * 10) / 10.0)
            .substr(0, 4) +
        " mm).");
  }
  page->skew_degrees = std::atan2(b[0], a[0]) * 180.0 / M_PI;
  *coeffs = {static_cast<float>(a[0]), static_cast<float>(a[1]),
             static_cast<float>(a[2]), static_cast<float>(b[0]),
             static_cast<float>(b[1]), static_cast<float>(b[2])};
  return Status::Ok();
}

}  // namespace

Result<LocatedPage> LocatePage(Pix* scan, const forms::FormLayout& layout,
                               const LocateOptions& options) {
  PixPtr grey(pixConvertTo8(scan, 0));
  if (!grey) return InternalError("leptonica: pixConvertTo8 failed");
  LocatedPage page;
  page.px_per_mm = Scale(scan, layout);
  if (auto code = ReadPageCode(grey.get(), layout, page.px_per_mm)) {
    page.code = code->first;
    page.upside_down = code->second;
  }
  if (page.upside_down) {
    grey.reset(pixRotate180(nullptr, grey.get()));
    if (!grey) return InternalError("leptonica: pixRotate180 failed");
  }
  std::array<float, 6> coeffs{};
  if (Status s = FitMarks(grey.get(), layout, options, &page, &coeffs);
      !s.ok()) {
    return s;
  }
  page.image.reset(pixAffine(grey.get(), coeffs.data(), L_BRING_IN_WHITE));
  if (!page.image) return InternalError("leptonica: pixAffine failed");
  const int dpi = static_cast<int>(std::lround(page.px_per_mm * 25.4));
  pixSetResolution(page.image.get(), dpi, dpi);
  return page;
}

}  // namespace bescheid::scan
