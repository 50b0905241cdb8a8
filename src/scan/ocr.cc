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

void OcrEngine::SetPage(Pix* page, int deadline_ms) {
  impl_->page = page;
  impl_->page_replaced = false;
  impl_->bitonal.reset(pixConvertTo1(page, 128));
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
// curls under it). A piece centred over `g` itself or over no such glyph
// counts as a mark: the check errs towards doubt.
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
    const bool other =
        std::any_of(glyphs.begin(), glyphs.end(), [&](const Glyph& h) {
          return &h != &g && excused(h) && centre >= h.l && centre <= h.r;
        });
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

// `text` with each dash written as its width says (the model reads
// hyphens and en dashes alike as '-').
std::string WithDashes(const std::string& text,
                       const std::vector<Glyph>& glyphs, double cap) {
  std::vector<const char*> dashes;
  for (const Glyph& g : glyphs) {
    if (IsDash(g.text)) dashes.push_back(DashOf(g, cap));
  }
  std::string out;
  size_t i = 0, k = 0;
  while (i < text.size()) {
    bool matched = false;
    for (const char* d : {"-", "\u2013", "\u2014", "\u2012"}) {
      const size_t n = std::strlen(d);
      if (text.compare(i, n, d) != 0) continue;
      out += k < dashes.size() && dashes[k] ? dashes[k] : d;
      ++k;
      i += n;
      matched = true;
      break;
    }
    if (!matched) out += text[i++];
  }
  return out;
}

// What in `glyphs` suggests a misread the model is sure of; `bitonal` is
// the page the glyphs' boxes refer to (null: no ink checks).
std::string Suspect(const std::vector<Glyph>& glyphs, Pix* bitonal) {
  const double cap = CapHeight(glyphs);
  for (const Glyph& g : glyphs) {
    if (IsDash(g.text) && DashOf(g, cap) == nullptr) {
      return "ein Strich ist nicht sicher als Bindestrich oder "
             "Gedankenstrich zu lesen";
    }
    const bool plain = g.text.size() == 1 &&
                       std::isalpha(static_cast<unsigned char>(g.text[0])) &&
                       !HasDescender(g);
    if (!plain || bitonal == nullptr || cap == 0) continue;
    const int third = (g.r - g.l) / 3;
    const int top = g.baseline + std::max(2, static_cast<int>(cap * 0.08));
    const int bottom = g.baseline + static_cast<int>(cap * kMarkBelowRatio);
    const Band below{g.l + third, top, g.r - third, bottom};
    if (HasInk(bitonal, below.x0, below.y0, below.x1, below.y1) &&
        MarkOfGlyph(bitonal, glyphs, g, below, cap, HasDescender)) {
      return "unter dem Buchstaben '" + g.text +
             "' steht ein Zeichen, das nicht gelesen wurde (Cedille?)";
    }
    if (DotsAbove(bitonal, glyphs, g, cap)) {
      return "über dem Buchstaben '" + g.text +
             "' steht ein Zeichen, das nicht gelesen wurde (Umlaut?)";
    }
  }
  return "";
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
  out.suspect = Suspect(glyphs, bitonal);
  out.text = WithDashes(text, glyphs, CapHeight(glyphs));
  return out;
}

}  // namespace

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
