#include "scan/ocr.h"

#include <allheaders.h>
#include <tesseract/baseapi.h>
#include <tesseract/ocrclass.h>
#include <tesseract/resultiterator.h>
#include <unistd.h>

#include <algorithm>
#include <cctype>
#include <cstdlib>
#include <cstring>
#include <mutex>
#include <string_view>
#include <vector>

namespace bescheid::scan {

struct OcrEngine::Impl {
  tesseract::TessBaseAPI api;
  tesseract::ETEXT_DESC monitor;
  Pix* page = nullptr;
  PixPtr bitonal;              // of `page`, for ink checks
  bool page_replaced = false;  // ReadImage set another image
  bool whitelist = false;
};

OcrEngine::OcrEngine(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}

OcrEngine::~OcrEngine() {
  if (impl_) impl_->api.End();
}

Result<std::unique_ptr<OcrEngine>> OcrEngine::Create(
    const std::string& tessdata_dir, const std::string& language) {
  // Init and SetVariable also write Tesseract's process-wide parameters
  // (debug_file and others): engines are made one at a time, since workers
  // make theirs lazily at their first scan (a data race TSan found).
  static std::mutex init_mu;
  std::lock_guard<std::mutex> lock(init_mu);
  auto impl = std::make_unique<Impl>();
  if (impl->api.Init(tessdata_dir.c_str(), language.c_str(),
                     tesseract::OEM_LSTM_ONLY) != 0) {
    return ConfigError("tesseract: cannot load language '" + language +
                       "' from " + tessdata_dir);
  }
  // Zones are read alone; nothing learnt on one page should colour the next.
  impl->api.SetVariable("classify_enable_learning", "0");
  // A process-wide parameter: set by the first engine only, so that later
  // engines do not write it while earlier ones may print.
  static std::once_flag quiet;
  std::call_once(quiet,
                 [&] { impl->api.SetVariable("debug_file", "/dev/null"); });
  return std::unique_ptr<OcrEngine>(new OcrEngine(std::move(impl)));
}

void OcrEngine::SetPage(Pix* page, int deadline_ms, Pix* bitonal) {
  impl_->page = page;
  impl_->page_replaced = false;
  impl_->bitonal =
      bitonal != nullptr ? PixPtr(pixClone(bitonal)) : ToBitonal(page, 128);
  impl_->api.SetImage(page);
  const int dpi = pixGetXRes(page);
  if (dpi > 0) impl_->api.SetSourceResolution(dpi);
  impl_->monitor = tesseract::ETEXT_DESC();
  impl_->monitor.set_deadline_msecs(deadline_ms);
}

namespace {

std::string Trim(const char* raw) {
  std::string s = raw ? raw : "";
  const char* ws = " \t\r\n\f\v";
  const size_t b = s.find_first_not_of(ws);
  if (b == std::string::npos) return "";
  const size_t e = s.find_last_not_of(ws);
  return s.substr(b, e - b + 1);
}

tesseract::PageSegMode ModeOf(ZoneKind kind) {
  switch (kind) {
    case ZoneKind::kCharacter:
    case ZoneKind::kDigit:
      return tesseract::PSM_SINGLE_CHAR;
    case ZoneKind::kRawText:
    case ZoneKind::kRawDigits:
      return tesseract::PSM_RAW_LINE;
    default:
      return tesseract::PSM_SINGLE_LINE;
  }
}

bool DigitsOnly(ZoneKind kind) {
  return kind == ZoneKind::kDigits || kind == ZoneKind::kDigit ||
         kind == ZoneKind::kRawDigits;
}

}  // namespace

namespace {

bool IsDash(std::string_view s) {
  return s == "-" || s == "\u2013" || s == "\u2014" || s == "\u2012";
}

struct Symbols {
  double min_confidence = 100;  // 0..100
  std::string suspect;          // German, "" if nothing
  std::string text;             // the text with its dashes told apart
};

struct Glyph {
  std::string text;
  int l = 0, t = 0, r = 0, b = 0;
  int baseline = 0;  // y of the line's baseline under the glyph
  int wide = -1;     // a dash's width allowing specks (FitDashToInk)
};

double Median(std::vector<int> v) {
  if (v.empty()) return 0;
  std::sort(v.begin(), v.end());
  return v[v.size() / 2];
}

// Whether rows y0..y1 of columns x0..x1 hold ink in at least two rows.
bool HasInk(Pix* bitonal, int x0, int y0, int x1, int y1) {
  l_uint32 v = 0;
  int rows = 0;
  for (int y = y0; y <= y1; ++y) {
    for (int x = x0; x <= x1; ++x) {
      if (pixGetPixel(bitonal, x, y, &v) == 0 && v != 0) {
        ++rows;
        break;
      }
    }
  }
  return rows >= 2;
}

bool HasDescender(const Glyph& g) {
  return g.text.size() == 1 && std::strchr("gjpqyQJ", g.text[0]) != nullptr;
}

// A rectangle of page rows and columns, inclusive.
struct Band {
  int x0, y0, x1, y1;
};

bool IsTall(const Glyph& g) {
  return g.text.size() != 1 ||
         std::strchr("acemnorsuvwxz", g.text[0]) == nullptr;
}

// Whether the ink in `band` next to glyph `g` may be a mark of `g` (a
// cedilla below, an umlaut's dots above): false only when every connected
// piece of ink reaching into the band is centred over another glyph that
// `excused` says reaches there itself (the "g" before the "e" in "Wangen"
// curls under it; a letter-high piece a third under such a glyph's box
// counts as that glyph's). Any other piece counts as a mark: the check
// errs towards doubt.
bool MarkOfGlyph(Pix* bitonal, const std::vector<Glyph>& glyphs, const Glyph& g,
                 const Band& band, double cap, bool (*excused)(const Glyph&)) {
  const int margin = static_cast<int>(cap);
  const int x0 = std::max(0, std::min(g.l, band.x0) - margin);
  const int y0 = std::max(0, std::min(g.t, band.y0) - margin / 2);
  const int x1 =
      std::min<int>(pixGetWidth(bitonal) - 1, std::max(g.r, band.x1) + margin);
  const int y1 = std::min<int>(pixGetHeight(bitonal) - 1,
                               std::max(g.b, band.y1) + margin / 2);
  if (x1 <= x0 || y1 <= y0) return true;
  BOX* area = boxCreate(x0, y0, x1 - x0 + 1, y1 - y0 + 1);
  PIX* crop = pixClipRectangle(bitonal, area, nullptr);
  boxDestroy(&area);
  if (crop == nullptr) return true;
  BOXA* parts = pixConnComp(crop, nullptr, 8);
  pixDestroy(&crop);
  if (parts == nullptr) return true;
  bool own = false, seen = false;
  for (int i = 0; i < boxaGetCount(parts); ++i) {
    int bx = 0, by = 0, bw = 0, bh = 0;
    boxaGetBoxGeometry(parts, i, &bx, &by, &bw, &bh);
    bx += x0;
    by += y0;
    if (by + bh - 1 < band.y0 || by > band.y1) continue;
    if (bx + bw - 1 < band.x0 || bx > band.x1) continue;
    seen = true;
    const double centre = bx + bw / 2.0;
    // A piece as tall as a letter is a letter's body; the model's boxes
    // are approximate ("y" of "Lütfiye" boxed partly over the "i"), so a
    // third of its width under such a neighbour's box is enough.
    const bool body = bh >= cap * 0.5;
    const auto under = [&](const Glyph& h) {
      const int overlap = std::min(bx + bw, h.r + 1) - std::max(bx, h.l);
      return (centre >= h.l && centre <= h.r) || (body && 3 * overlap >= bw);
    };
    const bool other = std::any_of(
        glyphs.begin(), glyphs.end(),
        [&](const Glyph& h) { return &h != &g && excused(h) && under(h); });
    if (!other) own = true;
  }
  boxaDestroy(&parts);
  return own || !seen;
}

// The median height above the baseline of the glyphs `which` selects, 0
// if none.
double HeightOf(const std::vector<Glyph>& glyphs, bool (*which)(char)) {
  std::vector<int> h;
  for (const Glyph& g : glyphs) {
    if (g.text.size() == 1 && which(g.text[0])) h.push_back(g.baseline - g.t);
  }
  return Median(h);
}

// Letters whose top is the capitals' height (not one of "AOU", which
// may carry an umlaut's dots the model dropped).
bool IsCapHeight(char c) {
  return ((c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
          std::strchr("bdfhkl", c) != nullptr) &&
         std::strchr("AOU", c) == nullptr && c != '\0';
}

// Whether a plain "A", "O" or "U" (`g`) shows ink above the capitals'
// height where an umlaut's dots would be, or its box reaches up there:
// the German model has read "Ü" as "U" with full confidence. (It reads
// the small umlauts right.)
bool DotsAbove(Pix* bitonal, const std::vector<Glyph>& glyphs, const Glyph& g,
               double cap) {
  if (g.text.size() != 1 || !std::strchr("AOU", g.text[0])) return false;
  const double capital = HeightOf(glyphs, IsCapHeight);
  // Without other letters to compare with, the box itself must do.
  const double height = capital > 0 ? capital : cap;
  if (height == 0) return false;
  const int top_of_letter = g.baseline - static_cast<int>(height);
  const Band band{g.l, top_of_letter - static_cast<int>(height * 0.40), g.r,
                  top_of_letter - static_cast<int>(height * 0.12)};
  if (g.t < band.y1) return true;
  return HasInk(bitonal, band.x0, band.y0, band.x1, band.y1) &&
         MarkOfGlyph(bitonal, glyphs, g, band, cap, IsTall);
}

bool Dark(Pix* bitonal, int x, int y) {
  l_uint32 v = 0;
  return pixGetPixel(bitonal, x, y, &v) == 0 && v != 0;
}

// Whether column `x` holds ink in rows y0..y1 and fewer than `specks`
// dark pixels in the `k` rows above and below them: a dash's own column,
// not that of a neighbour it touches (whose strokes run on above or below
// the dash).
bool DashColumn(Pix* bitonal, int x, int y0, int y1, int k, int specks) {
  bool inside = false;
  for (int y = y0; y <= y1 && !inside; ++y) inside = Dark(bitonal, x, y);
  if (!inside) return false;
  int outside = 0;
  for (int d = 1; d <= k; ++d) {
    outside += Dark(bitonal, x, y0 - d) + Dark(bitonal, x, y1 + d);
  }
  return outside < specks;
}

// A dash's box narrowed or widened to its ink: the rows dark at the box's
// middle, and the columns either side with ink in those rows and none
// above or below (the model's glyph boxes are approximate, and a dash may
// touch a neighbour, as the "s" in "Hans-Peter": the neighbour's strokes
// run on above or below). `wide` is the width when a speck above or below
// is allowed (noise beside a dash cuts the strict measure short); the two
// measures disagreeing about the kind of dash is a doubt (DashOf).
void FitDashToInk(Pix* bitonal, Glyph* g) {
  const int mid = (g->l + g->r) / 2;
  int y0 = -1, y1 = -1;
  for (int y = g->t; y <= g->b; ++y) {
    if (!Dark(bitonal, mid, y)) continue;
    if (y0 < 0) y0 = y;
    y1 = y;
  }
  if (y0 < 0) return;
  const int k = std::max(2, y1 - y0 + 1);
  const int reach = g->r - g->l;
  int width[2] = {0, 0}, left = mid;
  for (const int specks : {1, std::max(2, k / 2)}) {
    int l = mid, r = mid;
    while (l > g->l - reach && DashColumn(bitonal, l - 1, y0, y1, k, specks)) {
      --l;
    }
    while (r < g->r + reach && DashColumn(bitonal, r + 1, y0, y1, k, specks)) {
      ++r;
    }
    width[specks == 1 ? 0 : 1] = r - l + 1;
    if (specks == 1) left = l;
  }
  g->l = left;
  g->r = left + width[0];
  g->wide = width[1];
}

// The median height of the glyphs other than dashes.
double CapHeight(const std::vector<Glyph>& glyphs) {
  std::vector<int> tall;
  for (const Glyph& g : glyphs) {
    if (!IsDash(g.text)) tall.push_back(g.b - g.t);
  }
  return Median(tall);
}

// A dash by its width: "-" or "\u2013", or null when it lies between or
// the strict and the wide measure (FitDashToInk) name different kinds.
const char* DashOf(const Glyph& g, double cap) {
  if (cap == 0) return nullptr;
  auto kind = [cap](int width) -> const char* {
    const double ratio = width / cap;
    if (ratio <= kMaxHyphenRatio) return "-";
    if (ratio >= kMinEnDashRatio) return "\u2013";
    return nullptr;
  };
  const char* strict = kind(g.r - g.l);
  const char* wide = g.wide >= 0 ? kind(g.wide) : strict;
  if (strict == nullptr || wide == nullptr || std::strcmp(strict, wide) != 0) {
    return nullptr;
  }
  return strict;
}

// Where each glyph's text starts in `text` (GetUTF8Text's: the glyphs'
// symbols in order, with spaces and line breaks between words), or empty
// when the two do not line up.
std::vector<size_t> GlyphOffsets(const std::string& text,
                                 const std::vector<Glyph>& glyphs) {
  std::vector<size_t> out;
  size_t i = 0;
  for (const Glyph& g : glyphs) {
    while (i < text.size() &&
           std::isspace(static_cast<unsigned char>(text[i]))) {
      ++i;
    }
    if (g.text.empty() || text.compare(i, g.text.size(), g.text) != 0)
      return {};
    out.push_back(i);
    i += g.text.size();
  }
  return out;
}

bool IsLetter(const std::string& s) {
  if (s.empty()) return false;
  const unsigned char c = static_cast<unsigned char>(s[0]);
  return std::isalpha(c) || c >= 0xC3;  // a letter with umlaut, ß, é, ...
}

// Whether glyph `j` stands between two letters with no space either side
// ("Hans-Peter"): a hyphen there, whatever its width; an en dash stands
// between words with spaces ("Tettnang – Hauptamt") or numbers
// ("2017–2018").
bool JoinsLetters(const std::vector<Glyph>& glyphs,
                  const std::vector<size_t>& at, size_t j) {
  if (at.empty() || j == 0 || j + 1 >= glyphs.size()) return false;
  return IsLetter(glyphs[j - 1].text) && IsLetter(glyphs[j + 1].text) &&
         at[j - 1] + glyphs[j - 1].text.size() == at[j] &&
         at[j] + glyphs[j].text.size() == at[j + 1];
}

// Whether glyph `j` stands between two words with a space either side
// ("Tettnang – Hauptamt"): the Gedankenstrich of DIN 5008, an en dash (a
// hyphen typed there means the same and is written as one).
bool StandsAlone(const std::vector<Glyph>& glyphs,
                 const std::vector<size_t>& at, size_t j) {
  if (at.empty() || j == 0 || j + 1 >= glyphs.size()) return false;
  return at[j - 1] + glyphs[j - 1].text.size() < at[j] &&
         at[j] + glyphs[j].text.size() < at[j + 1];
}

// The umlaut of a plain "A", "O" or "U".
const char* UmlautOf(const std::string& plain) {
  if (plain == "A") return "\u00c4";
  if (plain == "O") return "\u00d6";
  return "\u00dc";
}

// Whether the ink in `band` is an umlaut's two dots over glyph `g`: exactly
// two pieces, apart from the band's edges (a stroke running on is no dot),
// each between kMinDotRatio and kMaxDotRatio of the capitals' height
// `height` wide and high, of like size and height, one over each half of
// the letter. Anything else, a speck or a stroke, is left to a person.
bool TwoDots(Pix* bitonal, const Glyph& g, const Band& band, double height) {
  const int w = band.x1 - band.x0 + 1, h = band.y1 - band.y0 + 1;
  if (w < 3 || h < 3 || band.x0 < 0 || band.y0 < 0) return false;
  BOX* area = boxCreate(band.x0, band.y0, w, h);
  PIX* crop = pixClipRectangle(bitonal, area, nullptr);
  boxDestroy(&area);
  if (crop == nullptr) return false;
  BOXA* parts = pixConnComp(crop, nullptr, 8);
  pixDestroy(&crop);
  if (parts == nullptr) return false;
  std::vector<PixelBox> dots;
  for (int i = 0; i < boxaGetCount(parts); ++i) {
    PixelBox d;
    boxaGetBoxGeometry(parts, i, &d.x, &d.y, &d.w, &d.h);
    dots.push_back(d);
  }
  boxaDestroy(&parts);
  if (dots.size() != 2) return false;
  if (dots[0].x > dots[1].x) std::swap(dots[0], dots[1]);
  const double mid = (g.l + g.r) / 2.0 - band.x0;
  for (const PixelBox& d : dots) {
    const bool inside = d.x > 0 && d.y > 0 && d.x + d.w < w && d.y + d.h < h;
    const bool sized =
        d.w >= kMinDotRatio * height && d.h >= kMinDotRatio * height &&
        d.w <= kMaxDotRatio * height && d.h <= kMaxDotRatio * height;
    if (!inside || !sized) return false;
  }
  const auto centre_x = [](const PixelBox& d) { return d.x + d.w / 2.0; };
  const auto centre_y = [](const PixelBox& d) { return d.y + d.h / 2.0; };
  const double area0 = dots[0].w * dots[0].h, area1 = dots[1].w * dots[1].h;
  return std::max(area0, area1) <= 2.0 * std::min(area0, area1) &&
         std::abs(centre_y(dots[0]) - centre_y(dots[1])) <= 0.12 * height &&
         centre_x(dots[0]) < mid && centre_x(dots[1]) > mid &&
         centre_x(dots[0]) > g.l - band.x0 && centre_x(dots[1]) < g.r - band.x0;
}

// The band above a capital "A", "O" or "U" where an umlaut's dots are
// (the capitals' height `height` above the baseline).
Band DotBand(const Glyph& g, double height) {
  const int top_of_letter = g.baseline - static_cast<int>(height);
  const int margin = std::max(2, static_cast<int>(height * 0.15));
  return Band{g.l - margin, top_of_letter - static_cast<int>(height * 0.45),
              g.r + margin, top_of_letter - static_cast<int>(height * 0.04)};
}

// Whether a glyph's text is one digit, 0 to 9.
bool IsOneDigit(const std::string& s) {
  return s.size() == 1 && s[0] >= '0' && s[0] <= '9';
}

// The holes of a printed digit (checked by MendGlyph): "8" two, "0", "6", "9"
// one, "4" one or none (open or closed), the others none; -1 for a non-digit.
int HolesOfDigit(const std::string& s, int* alternative) {
  *alternative = -1;
  if (!IsOneDigit(s)) return -1;
  switch (s[0]) {
    case '8':
      return 2;
    case '0':
    case '6':
    case '9':
      return 1;
    case '4':
      *alternative = 0;
      return 1;
    default:
      return 0;
  }
}

// The holes in glyph `g`'s ink: white pieces inside it at least
// kMinHoleRatio of the capitals' height `cap` wide and high (a speck of
// noise is none).
int HolesIn(Pix* bitonal, const Glyph& g, double cap) {
  const int x0 = std::max(0, g.l - 1), y0 = std::max(0, g.t - 1);
  const int x1 = std::min<int>(pixGetWidth(bitonal) - 1, g.r + 1);
  const int y1 = std::min<int>(pixGetHeight(bitonal) - 1, g.b + 1);
  if (x1 - x0 < 2 || y1 - y0 < 2) return -1;
  BOX* area = boxCreate(x0, y0, x1 - x0 + 1, y1 - y0 + 1);
  PIX* crop = pixClipRectangle(bitonal, area, nullptr);
  boxDestroy(&area);
  if (crop == nullptr) return -1;
  PIX* white = pixInvert(nullptr, crop);
  pixDestroy(&crop);
  if (white == nullptr) return -1;
  BOXA* parts = pixConnComp(white, nullptr, 4);
  const int w = pixGetWidth(white), h = pixGetHeight(white);
  pixDestroy(&white);
  if (parts == nullptr) return -1;
  const int least = std::max(1, static_cast<int>(cap * kMinHoleRatio));
  int holes = 0;
  for (int i = 0; i < boxaGetCount(parts); ++i) {
    int bx = 0, by = 0, bw = 0, bh = 0;
    boxaGetBoxGeometry(parts, i, &bx, &by, &bw, &bh);
    const bool inside = bx > 0 && by > 0 && bx + bw < w && by + bh < h;
    if (inside && bw >= least && bh >= least) ++holes;
  }
  boxaDestroy(&parts);
  return holes;
}

struct Mended {
  std::string text;
  std::string suspect;  // German, "" if nothing
};

// What glyph `j` stands for where the model may be wrong although sure:
// a dash's kind by its width (or a hyphen joining letters), a capital
// umlaut whose dots the model dropped; "" to keep the model's symbol.
// Sets `suspect` when it cannot tell.
std::string MendGlyph(const std::vector<Glyph>& glyphs,
                      const std::vector<size_t>& at, size_t j, Pix* bitonal,
                      double cap, std::string* suspect) {
  const Glyph& g = glyphs[j];
  if (IsDash(g.text)) {
    // Where it stands decides before its width, which noise changes (an
    // en dash measured as a hyphen on a 600-dpi page).
    if (JoinsLetters(glyphs, at, j)) return "-";
    if (StandsAlone(glyphs, at, j)) return "\u2013";
    if (const char* kind = DashOf(g, cap)) return kind;
    *suspect =
        "ein Strich ist nicht sicher als Bindestrich oder Gedankenstrich zu "
        "lesen";
    return "";
  }
  int alternative = -1;
  const int holes = HolesOfDigit(g.text, &alternative);
  if (holes >= 0 && bitonal != nullptr && cap > 0) {
    const int seen = HolesIn(bitonal, g, cap);
    if (seen == holes || seen == alternative) return "";
    // Two holes: only an "8" has them (the model reads it as "3").
    if (seen == 2) return "8";
    *suspect = "die Ziffer '" + g.text + "' ist nicht sicher zu lesen";
    return "";
  }
  const bool plain = g.text.size() == 1 &&
                     std::isalpha(static_cast<unsigned char>(g.text[0])) &&
                     !HasDescender(g);
  if (!plain || bitonal == nullptr || cap == 0) return "";
  const int third = (g.r - g.l) / 3;
  const int top = g.baseline + std::max(2, static_cast<int>(cap * 0.08));
  const int bottom = g.baseline + static_cast<int>(cap * kMarkBelowRatio);
  const Band below{g.l + third, top, g.r - third, bottom};
  if (HasInk(bitonal, below.x0, below.y0, below.x1, below.y1) &&
      MarkOfGlyph(bitonal, glyphs, g, below, cap, HasDescender)) {
    *suspect = "unter dem Buchstaben '" + g.text +
               "' steht ein Zeichen, das nicht gelesen wurde (Cedille?)";
    return "";
  }
  if (!DotsAbove(bitonal, glyphs, g, cap)) return "";
  const double capital = HeightOf(glyphs, IsCapHeight);
  if (capital > 0 && !at.empty() &&
      TwoDots(bitonal, g, DotBand(g, capital), capital)) {
    return UmlautOf(g.text);
  }
  *suspect = "\u00fcber dem Buchstaben '" + g.text +
             "' steht ein Zeichen, das nicht gelesen wurde (Umlaut?)";
  return "";
}

// `text` mended glyph by glyph (MendGlyph), and the first suspect mark;
// `bitonal` is the page the glyphs' boxes refer to (null: no ink checks).
Mended Mend(const std::string& text, const std::vector<Glyph>& glyphs,
            Pix* bitonal) {
  const double cap = CapHeight(glyphs);
  const std::vector<size_t> at = GlyphOffsets(text, glyphs);
  Mended out;
  std::string suspect;
  std::vector<std::string> mended(glyphs.size());
  for (size_t j = 0; j < glyphs.size(); ++j) {
    mended[j] = MendGlyph(glyphs, at, j, bitonal, cap, &suspect);
    if (out.suspect.empty()) out.suspect = suspect;
  }
  if (at.empty()) {
    // Glyphs and text do not line up: nothing is mended, a change the
    // model's text would need is a doubt.
    out.text = text;
    for (const std::string& m : mended) {
      if (!m.empty() && out.suspect.empty()) {
        out.suspect = "die Zeichen sind nicht eindeutig zuzuordnen";
      }
    }
    return out;
  }
  size_t from = 0;
  for (size_t j = 0; j < glyphs.size(); ++j) {
    if (mended[j].empty()) continue;
    out.text += text.substr(from, at[j] - from) + mended[j];
    from = at[j] + glyphs[j].text.size();
  }
  out.text += text.substr(from);
  return out;
}

// `text` with a vowel and a combining diaeresis written as one umlaut
// (the model gives either form; the application's text is composed).
std::string ComposeUmlauts(std::string text) {
  static const std::pair<const char*, const char*> kComposed[] = {
      {"A\u0308", "\u00c4"}, {"O\u0308", "\u00d6"}, {"U\u0308", "\u00dc"},
      {"a\u0308", "\u00e4"}, {"o\u0308", "\u00f6"}, {"u\u0308", "\u00fc"}};
  for (const auto& [from, to] : kComposed) {
    for (size_t i; (i = text.find(from)) != std::string::npos;) {
      text.replace(i, std::strlen(from), to);
    }
  }
  return text;
}

// Per character: the lowest confidence, and what looks misread; `text`
// as GetUTF8Text gave it.
Symbols Inspect(tesseract::TessBaseAPI& api, Pix* bitonal,
                const std::string& text) {
  Symbols out;
  out.text = text;
  std::unique_ptr<tesseract::ResultIterator> it(api.GetIterator());
  if (!it) return out;
  std::vector<Glyph> glyphs;
  do {
    const char* sym = it->GetUTF8Text(tesseract::RIL_SYMBOL);
    if (sym == nullptr) continue;
    Glyph g{sym};
    delete[] sym;
    out.min_confidence = std::min<double>(
        out.min_confidence, it->Confidence(tesseract::RIL_SYMBOL));
    if (!it->BoundingBox(tesseract::RIL_SYMBOL, &g.l, &g.t, &g.r, &g.b)) {
      continue;
    }
    int x1 = 0, y1 = 0, x2 = 0, y2 = 0;
    if (it->Baseline(tesseract::RIL_SYMBOL, &x1, &y1, &x2, &y2)) {
      const int mid = (g.l + g.r) / 2;
      g.baseline = x2 == x1 ? y1 : y1 + (y2 - y1) * (mid - x1) / (x2 - x1);
    } else {
      g.baseline = g.b;
    }
    glyphs.push_back(std::move(g));
  } while (it->Next(tesseract::RIL_SYMBOL));
  if (bitonal != nullptr) {
    for (Glyph& g : glyphs) {
      if (IsDash(g.text)) FitDashToInk(bitonal, &g);
    }
  }
  Mended m = Mend(text, glyphs, bitonal);
  out.text = ComposeUmlauts(std::move(m.text));
  out.suspect = std::move(m.suspect);
  if (out.suspect.empty() && bitonal != nullptr) {
    std::vector<GlyphBox> boxes;
    for (const Glyph& g : glyphs) boxes.push_back({g.text, g.l, g.t, g.r, g.b});
    out.suspect = DigitReadTwice(boxes);
  }
  return out;
}

}  // namespace

std::string DigitReadTwice(const std::vector<GlyphBox>& glyphs) {
  for (size_t j = 1; j < glyphs.size(); ++j) {
    const GlyphBox& p = glyphs[j - 1];
    const GlyphBox& g = glyphs[j];
    if (!IsOneDigit(p.text) || !IsOneDigit(g.text)) continue;
    const int across = std::min(p.r, g.r) - std::max(p.l, g.l);
    const int down = std::min(p.b, g.b) - std::max(p.t, g.t);
    const int narrower = std::min(p.r - p.l, g.r - g.l);
    const int shorter = std::min(p.b - p.t, g.b - g.t);
    if (narrower > 0 && shorter > 0 && 2 * across > narrower &&
        2 * down > shorter) {
      return "die Ziffern '" + p.text + "' und '" + g.text +
             "' stehen an derselben Stelle (eine womöglich doppelt gelesen)";
    }
  }
  return "";
}

ZoneText OcrEngine::ReadZone(const PixelBox& box, ZoneKind kind) {
  ZoneText out;
  if (impl_->monitor.deadline_exceeded()) {
    out.timed_out = true;
    return out;
  }
  if (impl_->page_replaced) {
    impl_->api.SetImage(impl_->page);
    impl_->page_replaced = false;
  }
  impl_->api.SetRectangle(box.x, box.y, box.w, box.h);
  return Recognize(kind);
}

ZoneText OcrEngine::ReadImage(Pix* image, ZoneKind kind) {
  ZoneText out;
  if (impl_->monitor.deadline_exceeded()) {
    out.timed_out = true;
    return out;
  }
  impl_->api.SetImage(image);
  const int dpi = impl_->page ? pixGetXRes(impl_->page) : 0;
  if (dpi > 0) impl_->api.SetSourceResolution(dpi);
  impl_->page_replaced = true;
  return Recognize(kind);
}

ZoneText OcrEngine::Recognize(ZoneKind kind) {
  ZoneText out;
  tesseract::TessBaseAPI& api = impl_->api;
  const bool digits = DigitsOnly(kind);
  if (digits != impl_->whitelist) {
    api.SetVariable("tessedit_char_whitelist", digits ? "0123456789" : "");
    impl_->whitelist = digits;
  }
  api.SetPageSegMode(ModeOf(kind));
  if (api.Recognize(&impl_->monitor) != 0) {
    out.timed_out = impl_->monitor.deadline_exceeded();
    return out;
  }
  char* text = api.GetUTF8Text();
  out.text = Trim(text);
  delete[] text;
  if (out.text.empty()) return out;
  const Symbols symbols = Inspect(
      api, impl_->page_replaced ? nullptr : impl_->bitonal.get(), out.text);
  out.text = symbols.text;
  out.confidence =
      std::min(api.MeanTextConf(), static_cast<int>(symbols.min_confidence)) /
      100.0;
  out.suspect = symbols.suspect;
  return out;
}

void EnsureOmpThreadLimit(int /*argc*/, char** argv) {
  if (std::getenv("OMP_THREAD_LIMIT") != nullptr) return;
  if (setenv("OMP_THREAD_LIMIT", "1", 1) != 0) return;
  execv("/proc/self/exe", argv);
  // execv returned: keep running with the variable set for children.
}

}  // namespace bescheid::scan
