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

// Grey levels below this are ink to the registration squares' search and
// to the skew check.
constexpr int kMarkInk = 128;

struct Point {
  double x = 0, y = 0;
};

struct PageCodeFound {
  forms::PageCode code;
  bool upside_down = false;
  Point centre;  // in the image as scanned
};

// `code` as the form's page code found at `centre` (page pixels), and
// whether that is where an upside-down page has it (`height`: the page's).
std::optional<PageCodeFound> AsPageCode(const FoundCode& code, Point centre,
                                        int height,
                                        const forms::FormLayout& layout) {
  Result<forms::PageCode> decoded = forms::DecodePageCode(code.bytes);
  if (!decoded.ok() || decoded->form_id != layout.form_id) return std::nullopt;
  const forms::Rect& pc = layout.page_code;
  const bool code_low = pc.y + pc.h / 2 > layout.page_height / 2;
  return PageCodeFound{*decoded, (centre.y > height / 2.0) != code_low, centre};
}

// The page code in `areas` of `grey`, whose pixels are `factor` times
// the page's (coordinates returned in the page's).
std::optional<PageCodeFound> FindPageCode(Pix* grey, double factor,
                                          const std::vector<PixelBox>& areas,
                                          const forms::FormLayout& layout) {
  for (PixelBox area : areas) {
    area = {
        static_cast<int>(area.x * factor), static_cast<int>(area.y * factor),
        static_cast<int>(area.w * factor), static_cast<int>(area.h * factor)};
    for (const FoundCode& code : FindQrCodes(grey, area)) {
      const Point centre{code.x / factor, code.y / factor};
      const int height = static_cast<int>(pixGetHeight(grey) / factor);
      if (auto found = AsPageCode(code, centre, height, layout)) return found;
    }
  }
  return std::nullopt;
}

// The page code in `areas` of `grey`, each area cut out, enlarged four
// times (linear interpolation) and sharpened (unsharp mask over about one
// module of a 150-dpi code, 14 pixels of the enlarged image, fraction
// 1.5). A box blur of radius 2 at 150 dpi smears each 3-pixel module into
// its neighbours: zxing (1.4, any binarizer, TryHarder) then reads none
// of them, enlarged twice or four times a few; sharpened it reads 55 of 55
// blurred-150 corpus page codes, none misread, and so with half-widths of
// 12 to 16 and fractions 1.5 to 2 (docs/scan-reading.md).
std::optional<PageCodeFound> FindSharpenedPageCode(
    Pix* grey, const std::vector<PixelBox>& areas,
    const forms::FormLayout& layout) {
  constexpr int kSharpenScale = 4;
  constexpr int kSharpenHalfWidth = 14;
  constexpr float kSharpenFraction = 1.5f;
  for (PixelBox area : areas) {
    area = Clamp(area, pixGetWidth(grey), pixGetHeight(grey));
    if (area.w == 0 || area.h == 0) continue;
    BoxPtr box = MakeBox(area);
    PixPtr crop(pixClipRectangle(grey, box.get(), nullptr));
    if (!crop) continue;
    PixPtr larger(pixScaleGray4xLI(crop.get()));
    if (!larger) continue;
    PixPtr sharp(pixUnsharpMaskingGray(larger.get(), kSharpenHalfWidth,
                                       kSharpenFraction));
    if (!sharp) continue;
    for (const FoundCode& code : FindQrCodes(sharp.get())) {
      const Point centre{area.x + code.x / kSharpenScale,
                         area.y + code.y / kSharpenScale};
      if (auto found = AsPageCode(code, centre, pixGetHeight(grey), layout)) {
        return found;
      }
    }
  }
  return std::nullopt;
}

// The page code of `grey` and whether it sits where an upside-down page
// has it. Looks where the layout puts it first, then turned, then anywhere;
// below 200 dpi then also in the page enlarged twice (a blurred 150-dpi
// scan leaves modules of three pixels that zxing reads only larger), and
// last in the code's areas enlarged and sharpened.
std::optional<PageCodeFound> ReadPageCode(Pix* grey,
                                          const forms::FormLayout& layout,
                                          double ppm) {
  const forms::Rect& pc = layout.page_code;
  const double margin = 25.0;
  const forms::Rect upright{pc.x - margin, pc.y - margin, pc.w + 2 * margin,
                            pc.h + 2 * margin};
  const forms::Rect turned{layout.page_width - upright.x - upright.w,
                           layout.page_height - upright.y - upright.h,
                           upright.w, upright.h};
  const std::vector<PixelBox> areas = {ToPixels(upright, ppm),
                                       ToPixels(turned, ppm)};
  std::vector<PixelBox> everywhere = areas;
  everywhere.push_back(PixelBox{});
  if (auto found = FindPageCode(grey, 1.0, everywhere, layout)) return found;
  if (ppm >= 200 / 25.4) return std::nullopt;
  PixPtr larger(pixScaleGray2xLI(grey));
  if (!larger) return std::nullopt;
  if (auto found = FindPageCode(larger.get(), 2.0, areas, layout)) {
    return found;
  }
  larger.reset();
  return FindSharpenedPageCode(grey, areas, layout);
}

// The centre of the solid square nearest to `expected` (pixels) within the
// search window of grey page `grey`, if there is one of the right size and
// fill. Only the window is thresholded.
std::optional<Point> FindMark(Pix* grey, Point expected, double size_px,
                              const LocateOptions& o, double ppm) {
  const int r = static_cast<int>(o.mark_search_mm * ppm);
  const int page_w = pixGetWidth(grey), page_h = pixGetHeight(grey);
  const PixelBox window =
      Clamp(PixelBox{static_cast<int>(expected.x) - r,
                     static_cast<int>(expected.y) - r, 2 * r, 2 * r},
            page_w, page_h);
  if (window.w == 0 || window.h == 0) return std::nullopt;
  BoxPtr wbox = MakeBox(window);
  PixPtr grey_crop(pixClipRectangle(grey, wbox.get(), nullptr));
  PixPtr crop = grey_crop ? ToBitonal(grey_crop.get(), kMarkInk) : nullptr;
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
    // A square cut by the sheet's edge (a corner turned off the page) has
    // its centre half its uncut extent from the side that is whole.
    const int gx = window.x + x, gy = window.y + y;
    const bool cut_l = gx <= 1, cut_t = gy <= 1;
    const bool cut_r = gx + w >= page_w - 1;
    const bool cut_b = gy + h >= page_h - 1;
    const bool cut_x = cut_l || cut_r, cut_y = cut_t || cut_b;
    if (cut_x && cut_y) continue;
    const double full = cut_x ? h : w;
    if (full < lo || full > hi || (cut_x ? w : h) < 0.4 * lo) continue;
    if (!cut_x && (w > hi)) continue;
    if (!cut_y && (h < lo || h > hi)) continue;
    const PixelBox b{x, y, w, h};
    if (internal::InkShare(crop.get(), b) < o.mark_min_fill) continue;
    const Point c{cut_l   ? gx + w - full / 2
                  : cut_r ? gx + full / 2
                          : gx + w / 2.0,
                  cut_t   ? gy + h - full / 2
                  : cut_b ? gy + full / 2
                          : gy + h / 2.0};
    const double d = std::hypot(c.x - expected.x, c.y - expected.y);
    if (d < best_d) {
      best_d = d;
      best = c;
    }
  }
  return best;
}

// Least squares: the n unknowns u minimising |A u - v|, A given by rows;
// false if the normal equations are singular. n <= 4.
bool LeastSquares(const std::vector<std::array<double, 4>>& rows,
                  const std::vector<double>& v, int n, double* u) {
  double m[4][5] = {};
  for (size_t i = 0; i < rows.size(); ++i) {
    for (int r = 0; r < n; ++r) {
      for (int c = 0; c < n; ++c) m[r][c] += rows[i][r] * rows[i][c];
      m[r][n] += rows[i][r] * v[i];
    }
  }
  for (int c = 0; c < n; ++c) {
    int p = c;
    for (int r = c + 1; r < n; ++r) {
      if (std::fabs(m[r][c]) > std::fabs(m[p][c])) p = r;
    }
    if (std::fabs(m[p][c]) < 1e-9) return false;
    for (int k = 0; k <= n; ++k) std::swap(m[c][k], m[p][k]);
    for (int r = 0; r < n; ++r) {
      if (r == c) continue;
      const double f = m[r][c] / m[c][c];
      for (int k = 0; k <= n; ++k) m[r][k] -= f * m[c][k];
    }
  }
  for (int r = 0; r < n; ++r) u[r] = m[r][n] / m[r][r];
  return true;
}

// The transform canonical -> scan pixels over the pairs: affine (least
// squares) from four pairs on, else a similarity (rotation, scale, shift),
// which three pairs over-determine and two fix. Coefficients as
// AffineGray (and Leptonica's pixAffine) takes them; false if degenerate.
bool FitTransform(const std::vector<Point>& from, const std::vector<Point>& to,
                  double a[3], double b[3]) {
  std::vector<std::array<double, 4>> rows;
  std::vector<double> v;
  if (from.size() >= 4) {
    for (size_t i = 0; i < from.size(); ++i) {
      rows.push_back({from[i].x, from[i].y, 1, 0});
    }
    for (const Point& p : to) v.push_back(p.x);
    if (!LeastSquares(rows, v, 3, a)) return false;
    v.clear();
    for (const Point& p : to) v.push_back(p.y);
    return LeastSquares(rows, v, 3, b);
  }
  for (size_t i = 0; i < from.size(); ++i) {
    rows.push_back({from[i].x, -from[i].y, 1, 0});
    v.push_back(to[i].x);
    rows.push_back({from[i].y, from[i].x, 0, 1});
    v.push_back(to[i].y);
  }
  double s[4];
  if (from.size() < 2 || !LeastSquares(rows, v, 4, s)) return false;
  a[0] = s[0], a[1] = -s[1], a[2] = s[2];
  b[0] = s[1], b[1] = s[0], b[2] = s[3];
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
// Two points fix a similarity without checking it: the angle must then
// agree with the one Leptonica measures from the page's lines of text
// (its sign is the opposite: the angle that straightens the page).
bool SkewAgrees(Pix* grey, const double a[3], const double b[3]) {
  PixPtr bitonal = ToBitonal(grey, kMarkInk);
  l_float32 angle = 0, conf = 0;
  if (!bitonal || pixFindSkew(bitonal.get(), &angle, &conf) != 0 ||
      conf < 3.0) {
    return false;
  }
  const double fitted = std::atan2(b[0], a[0]) * 180.0 / M_PI;
  return std::fabs(fitted + angle) < 0.3;
}

Status FitMarks(Pix* grey, const forms::FormLayout& layout,
                const LocateOptions& o, std::optional<Point> code_centre,
                LocatedPage* page, std::array<double, 6>* coeffs) {
  const double ppm = page->px_per_mm;
  std::vector<Point> canon, found;
  for (const forms::Rect& m : layout.marks) {
    const Point c{(m.x + m.w / 2) * ppm, (m.y + m.h / 2) * ppm};
    std::optional<Point> f = FindMark(grey, c, (m.w + m.h) / 2 * ppm, o, ppm);
    if (!f) continue;
    canon.push_back(c);
    found.push_back(*f);
  }
  page->marks_found = static_cast<int>(canon.size());
  // A corner turned off the sheet (5 degrees move it 15 mm) leaves two
  // squares; the page code's centre is then the third point.
  if (canon.size() < 4 && code_centre) {
    const forms::Rect& pc = layout.page_code;
    canon.push_back({(pc.x + pc.w / 2) * ppm, (pc.y + pc.h / 2) * ppm});
    found.push_back(*code_centre);
  }
  double a[3], b[3];
  if (canon.size() < 2 || !FitTransform(canon, found, a, b) ||
      (canon.size() == 2 && !SkewAgrees(grey, a, b))) {
    return InvalidInput(
        "Seite nicht ausgerichtet: zu wenige Passmarken gefunden (" +
        std::to_string(page->marks_found) + " von " +
        std::to_string(layout.marks.size()) + ").");
  }
  for (size_t i = 0; i < canon.size(); ++i) {
    const double dx = a[0] * canon[i].x + a[1] * canon[i].y + a[2] - found[i].x;
    const double dy = b[0] * canon[i].x + b[1] * canon[i].y + b[2] - found[i].y;
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
  *coeffs = {a[0], a[1], a[2], b[0], b[1], b[2]};
  return Status::Ok();
}

}  // namespace

Result<LocatedPage> LocatePage(Pix* scan, const forms::FormLayout& layout,
                               const LocateOptions& options) {
  PixPtr grey = GreyView(scan);
  if (!grey) return InternalError("leptonica: cannot make the page grey");
  LocatedPage page;
  page.px_per_mm = Scale(scan, layout);
  // Above 400 dpi halve the page: OCR and codes need no more, and the
  // work grows with the pixels.
  if (page.px_per_mm > 400 / 25.4) {
    grey.reset(pixScaleAreaMap2(grey.get()));
    if (!grey) return InternalError("leptonica: pixScaleAreaMap2 failed");
    page.px_per_mm /= 2;
  }
  std::optional<Point> code_centre;
  if (auto code = ReadPageCode(grey.get(), layout, page.px_per_mm)) {
    page.code = code->code;
    page.upside_down = code->upside_down;
    code_centre = code->centre;
    if (page.upside_down) {
      code_centre = Point{pixGetWidth(grey.get()) - 1 - code->centre.x,
                          pixGetHeight(grey.get()) - 1 - code->centre.y};
    }
  }
  if (page.upside_down) {
    grey.reset(pixRotate180(nullptr, grey.get()));
    if (!grey) return InternalError("leptonica: pixRotate180 failed");
  }
  std::array<double, 6> coeffs{};
  if (Status s =
          FitMarks(grey.get(), layout, options, code_centre, &page, &coeffs);
      !s.ok()) {
    return s;
  }
  page.image = AffineGray(grey.get(), coeffs.data(), coeffs.data() + 3);
  if (!page.image) return InternalError("scan: AffineGray failed");
  const int dpi = static_cast<int>(std::lround(page.px_per_mm * 25.4));
  pixSetResolution(page.image.get(), dpi, dpi);
  return page;
}

}  // namespace bescheid::scan
