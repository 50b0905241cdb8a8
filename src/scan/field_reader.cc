#include "scan/field_reader.h"

#include <allheaders.h>

#include <algorithm>
#include <cmath>
#include <cstring>
#include <map>
#include <string>

#include "core/identifiers.h"
#include "core/text.h"
#include "scan/lept_util.h"

namespace bescheid::scan {
namespace {

using internal::InkShare;

PixelBox Inset(const PixelBox& b, int dx, int dy) {
  PixelBox r{b.x + dx, b.y + dy, b.w - 2 * dx, b.h - 2 * dy};
  if (r.w < 1) r.w = 1;
  if (r.h < 1) r.h = 1;
  return r;
}

std::string Percent(double confidence) {
  return std::to_string(static_cast<int>(std::lround(confidence * 100))) + " %";
}

std::string WithoutSpaces(const std::string& s) {
  std::string out;
  for (char c : s) {
    if (c != ' ') out += c;
  }
  return out;
}

// The page with every comb's lines between cells painted white, so that
// OCR of a comb sees its characters alone.
PixPtr WithoutCombLines(Pix* grey, const forms::PlacedPage& placed,
                        double ppm) {
  PixPtr clean = CopyPix(grey);
  if (!clean) return clean;
  const int half = std::max(1, static_cast<int>(std::lround(0.5 * ppm)));
  for (const forms::Field& f : placed.fields) {
    if (f.kind != forms::FieldKind::kComb) continue;
    const PixelBox box = ToPixels(f.box, ppm);
    for (int k = 1; k < f.cells; ++k) {
      const int x = static_cast<int>(std::lround(f.Cell(k).x * ppm));
      internal::BoxPtr line = internal::MakeBox(internal::Clamp(
          PixelBox{x - half, box.y - half, 2 * half, box.h + 2 * half},
          pixGetWidth(grey), pixGetHeight(grey)));
      pixSetInRectArbitrary(clean.get(), line.get(), 255);
    }
  }
  return clean;
}

struct PageContext {
  const LocatedPage& page;
  const forms::PlacedPage& placed;
  Pix* grey;     // the page with the comb lines and specks removed
  Pix* bitonal;  // `grey` thresholded; comb characters are cut from it
  int page_index;
  OcrEngine& ocr;
  const ReadOptions& options;
  const ExpectedValue& expected;
  PageFields* out;
  std::vector<size_t> ocr_read;  // indices of readings made by OCR
  // Text fields read from the page, to be read a second time (ConfirmText).
  struct Pending {
    const forms::Field* field;
    PixelBox zone;
    size_t index;  // in out->fields
    ZoneText first;
  };
  std::vector<Pending> pending;

  int Px(double mm) const {
    return std::max(1, static_cast<int>(std::lround(mm * page.px_per_mm)));
  }
  void Add(const forms::Field& f, std::string value, double confidence) {
    FieldReading r{f.id,
                   f.kind == forms::FieldKind::kCheck ? f.value : "",
                   std::move(value),
                   confidence,
                   page_index,
                   ToPixels(f.box, page.px_per_mm)};
    out->fields.push_back(std::move(r));
  }
  void Doubt(const forms::Field& f, DoubtKind kind, std::string reason) {
    out->doubts.push_back(scan::Doubt{kind, f.id, std::move(reason), page_index,
                                      ToPixels(f.box, page.px_per_mm)});
  }
  // The title of the field `r` was read from (forms::FieldTitle).
  std::string Title(const FieldReading& r) const {
    for (const forms::Field& f : placed.fields) {
      if (f.id == r.id) return forms::FieldTitle(f);
    }
    return r.id;
  }
  void Note(const ZoneText& z) {
    if (z.timed_out) out->timed_out = true;
  }
};

// The ink of `zone` set on white with a margin: the same text as a
// second image, apart from the field's box and its neighbours.
PixPtr InkOnWhite(const PixelBox& zone, PageContext& c) {
  internal::BoxPtr box = internal::MakeBox(zone);
  Box* ink = nullptr;
  if (pixClipBoxToForeground(c.bitonal, box.get(), nullptr, &ink) != 0 ||
      ink == nullptr) {
    return nullptr;
  }
  internal::BoxPtr owned(ink);
  PixelBox r;
  boxGetGeometry(ink, &r.x, &r.y, &r.w, &r.h);
  const int margin = std::max(4, r.h / 2);
  PixPtr out(pixCreate(r.w + 2 * margin, r.h + 2 * margin, 8));
  if (!out) return out;
  pixSetAll(out.get());
  pixSetResolution(out.get(), pixGetXRes(c.grey), pixGetYRes(c.grey));
  pixRasterop(out.get(), margin, margin, r.w, r.h, PIX_SRC, c.grey, r.x, r.y);
  return out;
}

// `text` without what only the ink checks of a zone read tell apart (the
// kind of a dash, a capital umlaut, an "8" by its holes: see
// ZoneText::suspect): readings of images without those checks are compared
// by it.
std::string Skeleton(std::string text) {
  static const std::pair<const char*, const char*> kPlain[] = {
      {"\u2013", "-"}, {"\u2014", "-"}, {"\u2012", "-"}, {"\u0308", ""},
      {"\u00c4", "A"}, {"\u00d6", "O"}, {"\u00dc", "U"}, {"8", "3"}};
  for (const auto& [from, to] : kPlain) {
    for (size_t i; (i = text.find(from)) != std::string::npos;) {
      text.replace(i, std::strlen(from), to);
    }
  }
  return text;
}

// Whether `a` and `b` give the same text (by Skeleton), each at least
// `agreed` sure.
bool Agree(const ZoneText& a, const ZoneText& b, double agreed) {
  return !a.text.empty() && Skeleton(a.text) == Skeleton(b.text) &&
         a.confidence >= agreed && b.confidence >= agreed;
}

// A text field's second reading: the model is sure of some misreads ("8"
// as "3" at 93 %, depending on what surrounds the line), so a text counts
// as read only when two readings of different images agree: the zone on
// the page and its ink set on white; when they differ, the zone read as
// it stands (without line finding) sides with one of them. Agreeing reads
// at least options.text_agreed_confidence sure, without suspect marks,
// are confident; otherwise the field is a doubt naming both readings.
void ConfirmText(const PageContext::Pending& p, PageContext& c) {
  FieldReading& r = c.out->fields[p.index];
  const ZoneText& a = p.first;
  const double agreed = c.options.text_agreed_confidence;
  const double sure = c.options.min_confidence;
  PixPtr ink = InkOnWhite(p.zone, c);
  const ZoneText b =
      ink ? c.ocr.ReadImage(ink.get(), ZoneKind::kText) : ZoneText{};
  c.Note(b);
  if (Agree(a, b, agreed)) {
    r.confidence = std::max(a.confidence, sure);
    return;
  }
  const ZoneText raw = c.ocr.ReadZone(p.zone, ZoneKind::kRawText);
  c.Note(raw);
  if (raw.suspect.empty() && Agree(raw, a, agreed)) {
    r.confidence = std::max(a.confidence, sure);
    return;
  }
  if (raw.suspect.empty() && Agree(raw, b, agreed)) {
    r.value = raw.text;
    r.confidence = sure;
    return;
  }
  r.confidence = std::min(a.confidence, sure / 2);
  const std::string& other = b.text.empty() ? raw.text : b.text;
  const std::string title = forms::FieldTitle(*p.field);
  if (Skeleton(other) == Skeleton(a.text)) {
    c.Doubt(*p.field, DoubtKind::kUnsure,
            "Feld '" + title + "' unsicher gelesen (" +
                Percent(std::min(a.confidence, b.confidence)) + ").");
    return;
  }
  c.Doubt(*p.field, DoubtKind::kUnsure,
          "Feld '" + title + "': zwei Lesungen weichen ab ('" + a.text +
              "' und '" + other + "').");
}

// The resolution of the page, dots per inch.
int Dpi(const PageContext& c) {
  return static_cast<int>(std::lround(c.page.px_per_mm * 25.4));
}

// `f`, whose `zone` has no ink at the threshold, read as empty: confident,
// except below options.min_ocr_dpi when a grey trace is left in the zone
// (blurred or pale writing that thresholds away at low resolution), then
// a doubt (DoubtKind::kFaded).
void AddEmpty(const forms::Field& f, const PixelBox& zone, PageContext& c) {
  if (Dpi(c) < c.options.min_ocr_dpi) {
    const PixelBox b =
        internal::Clamp(zone, pixGetWidth(c.grey), pixGetHeight(c.grey));
    internal::BoxPtr box = internal::MakeBox(b);
    PixPtr crop(pixClipRectangle(c.grey, box.get(), nullptr));
    PixPtr trace(crop ? pixConvertTo1(crop.get(), c.options.faded_ink_grey)
                      : nullptr);
    // Unmeasurable (out of memory) counts as a trace: never confidently
    // empty unseen.
    if (!trace || InkShare(trace.get(), PixelBox{0, 0, b.w, b.h}) >=
                      c.options.empty_ink) {
      c.Add(f, "", 0.0);
      c.Doubt(f, DoubtKind::kFaded,
              "Feld '" + forms::FieldTitle(f) + "': bei " +
                  std::to_string(Dpi(c)) +
                  " dpi zu blass, um es zu lesen (es wirkt leer, zeigt aber "
                  "Spuren von Schrift).");
      return;
    }
  }
  c.Add(f, "", 1.0);
}

void ReadText(const forms::Field& f, PageContext& c) {
  const int inset = c.Px(c.options.zone_inset_mm);
  const PixelBox zone = Inset(ToPixels(f.box, c.page.px_per_mm), inset, inset);
  if (InkShare(c.bitonal, zone) < c.options.empty_ink) {
    AddEmpty(f, zone, c);
    return;
  }
  const ZoneText z = c.ocr.ReadZone(zone, ZoneKind::kText);
  c.Note(z);
  if (z.text.rfind("siehe Fortsetzung", 0) == 0) {
    c.Add(f, z.text, 0.0);
    c.Doubt(f, DoubtKind::kUnsure,
            "Feld '" + forms::FieldTitle(f) +
                "': der Text steht auf dem Fortsetzungsblatt und wird "
                "nicht automatisch gelesen.");
    return;
  }
  if (!z.suspect.empty()) {
    c.Add(f, z.text, std::min(z.confidence, 0.5));
    c.Doubt(f, DoubtKind::kUnsure,
            "Feld '" + forms::FieldTitle(f) + "': " + z.suspect + ".");
    return;
  }
  c.ocr_read.push_back(c.out->fields.size());
  c.pending.push_back({&f, zone, c.out->fields.size(), z});
  c.Add(f, z.text, z.confidence);
}

// Share of the columns in the cells' side margins that hold ink in the
// middle band: characters stay in the middle of their cells, a stroke
// through the comb crosses every margin.
double StruckShare(const forms::Field& f, int cells, PageContext& c) {
  const double ppm = c.page.px_per_mm;
  int columns = 0, crossed = 0;
  for (int k = 0; k < cells; ++k) {
    const forms::Rect cell = f.Cell(k);
    const int y0 = static_cast<int>((cell.y + cell.h * 0.25) * ppm);
    const int y1 = static_cast<int>((cell.y + cell.h * 0.85) * ppm);
    for (const double from : {0.6, cell.w - 1.0}) {
      const int x0 = static_cast<int>((cell.x + from) * ppm);
      const int x1 = static_cast<int>((cell.x + from + 0.4) * ppm);
      for (int x = x0; x <= x1; ++x) {
        ++columns;
        if (InkShare(c.bitonal, PixelBox{x, y0, 1, y1 - y0}) > 0) ++crossed;
      }
    }
  }
  return columns ? static_cast<double>(crossed) / columns : 0.0;
}

size_t Length(const std::string& s) {
  return core::CountCodePoints(s, s.size());
}

// The ink of cell `k` of `f` (inside its lines): its box on the page, or
// the inset cell when it holds no ink.
PixelBox CellInk(const forms::Field& f, int k, PageContext& c) {
  const int inset = c.Px(c.options.zone_inset_mm);
  const PixelBox cell =
      Inset(ToPixels(f.Cell(k), c.page.px_per_mm), inset, inset);
  internal::BoxPtr box = internal::MakeBox(cell);
  Box* ink = nullptr;
  if (pixClipBoxToForeground(c.bitonal, box.get(), nullptr, &ink) != 0 ||
      ink == nullptr) {
    return cell;
  }
  internal::BoxPtr owned(ink);
  PixelBox out;
  boxGetGeometry(ink, &out.x, &out.y, &out.w, &out.h);
  return out;
}

// The comb's characters of cells from..to-1 set side by side as in a
// printed word, black on white: what OCR expects, instead of characters
// 5 mm apart between lines. Cut from the thresholded page: from the grey
// one, with JPEG noise around them, the German model read a strip "11" as
// "22" at 78 % and a "1" set apart as "2".
PixPtr Strip(const forms::Field& f, int from, int to, PageContext& c) {
  std::vector<PixelBox> inks;
  int height = 0, width = 0;
  const int cells = to - from;
  for (int k = from; k < to; ++k) {
    inks.push_back(CellInk(f, k, c));
    height = std::max(height, inks.back().h);
    width += inks.back().w;
  }
  const int gap = std::max(1, height / 4), margin = std::max(4, height / 2);
  const int line = static_cast<int>(
      std::lround((f.box.y + f.box.h * 0.5) * c.page.px_per_mm));
  // Set in 1 bpp (white is 0) from the thresholded page, then made grey
  // for the engine: converting the small strip, not the page.
  PixPtr bits(pixCreate(width + (cells - 1) * gap + 2 * margin,
                        2 * height + 2 * margin, 1));
  if (!bits) return bits;
  int x = margin;
  for (const PixelBox& ink : inks) {
    // Keep each character's height on the line, so baselines stay level.
    const int y = margin + height / 2 + (ink.y - line);
    pixRasterop(bits.get(), x, std::max(0, y), ink.w, ink.h, PIX_SRC, c.bitonal,
                ink.x, ink.y);
    x += ink.w + gap;
  }
  PixPtr strip(pixConvertTo8(bits.get(), 0));
  if (strip) {
    pixSetResolution(strip.get(), pixGetXRes(c.grey), pixGetYRes(c.grey));
  }
  return strip;
}

// The code points of `s`, each as its own string.
std::vector<std::string> CodePoints(const std::string& s) {
  std::vector<std::string> out;
  for (size_t i = 0; i < s.size();) {
    size_t n = 1;
    while (i + n < s.size() &&
           (static_cast<unsigned char>(s[i + n]) & 0xC0) == 0x80) {
      ++n;
    }
    out.push_back(s.substr(i, n));
    i += n;
  }
  return out;
}

// One read's character for each cell of a comb ("" where it gave none)
// and its confidence.
struct Votes {
  std::vector<std::string> chars;
  std::vector<double> confidence;  // per cell
};

// A read of the comb's whole line as votes: none when its length is not
// the comb's.
Votes LineVotes(const ZoneText& z, size_t cells) {
  Votes v{CodePoints(z.text), std::vector<double>(cells, z.confidence)};
  if (v.chars.size() != cells) v.chars.assign(cells, "");
  return v;
}

// The comb's characters one cell at a time, each read twice: in its cell
// on the page and set apart on white as a character in a word (the model
// misses a character cut close by its cell's edges); the second after all
// cells, as each image replaces the page. Per read and cell its character,
// or "" when the cell gave none or several.
std::vector<ZoneText> ReadCells(const forms::Field& f, int cells,
                                PageContext& c) {
  const int inset = c.Px(c.options.zone_inset_mm);
  const ZoneKind kind = f.digits_only ? ZoneKind::kDigit : ZoneKind::kCharacter;
  std::vector<ZoneText> reads;
  for (int k = 0; k < cells; ++k) {
    reads.push_back(c.ocr.ReadZone(
        Inset(ToPixels(f.Cell(k), c.page.px_per_mm), inset, inset), kind));
  }
  for (int k = 0; k < cells; ++k) {
    PixPtr alone = Strip(f, k, k + 1, c);
    reads.push_back(alone ? c.ocr.ReadImage(alone.get(), kind) : ZoneText{});
  }
  for (ZoneText& z : reads) {
    z.text = WithoutSpaces(z.text);
    if (Length(z.text) != 1) z = ZoneText{"", 0.0, z.timed_out, ""};
  }
  return reads;
}

// Position by position, the character at least two reads give and no
// other two give. Its confidence is the second highest of the reads that
// give it (two reads at least that sure agree); the whole's is the lowest
// position's, 0 when a position has no majority (written "?").
// `*dissent`: some read gave another character at some position.
ZoneText Majority(const std::vector<Votes>& votes, size_t cells,
                  bool* dissent) {
  ZoneText out;
  out.confidence = 1.0;
  *dissent = false;
  for (size_t k = 0; k < cells; ++k) {
    std::map<std::string, std::vector<double>> sure;
    for (const Votes& v : votes) {
      if (!v.chars[k].empty()) sure[v.chars[k]].push_back(v.confidence[k]);
    }
    std::string best;
    double best_confidence = -1;
    int majorities = 0;
    for (auto& [ch, list] : sure) {
      if (list.size() < 2) continue;
      ++majorities;
      std::sort(list.rbegin(), list.rend());
      best = ch;
      best_confidence = list[1];
    }
    *dissent |= sure.size() > 1;
    if (majorities != 1) {
      out.text += "?";
      out.confidence = 0.0;
      continue;
    }
    out.text += best;
    out.confidence = std::min(out.confidence, best_confidence);
  }
  return out;
}

// The comb's text by vote: its characters set side by side read as a raw
// line and with line finding (the German model reads "2018" as "2013"
// with line finding, right as a raw line); when the two differ or are
// unsure, the cells one by one give a third vote, and each position takes
// the character of two agreeing reads (Majority). IBAN: agreeing reads
// that pass the check digits are certain, as the check digits catch every
// single misread character.
ZoneText VoteComb(const forms::Field& f, int cells, PageContext& c) {
  PixPtr strip = Strip(f, 0, cells, c);
  if (!strip) return ZoneText{};
  ZoneText raw = c.ocr.ReadImage(
      strip.get(), f.digits_only ? ZoneKind::kRawDigits : ZoneKind::kRawText);
  raw.text = WithoutSpaces(raw.text);
  if (c.expected && Length(raw.text) == static_cast<size_t>(cells)) {
    // The image shows what the barcode says: a hand correction would have
    // to be misread as exactly the value it replaced.
    const std::optional<std::string> want = c.expected(f);
    if (want && *want == raw.text) return raw;
  }
  ZoneText line = c.ocr.ReadImage(
      strip.get(), f.digits_only ? ZoneKind::kDigits : ZoneKind::kText);
  line.text = WithoutSpaces(line.text);
  raw.timed_out |= line.timed_out;
  const bool iban = f.id == "bank.iban";
  if (raw.text == line.text && Length(raw.text) == static_cast<size_t>(cells)) {
    raw.confidence = std::min(raw.confidence, line.confidence);
    if (iban && core::IsValidIban(raw.text)) raw.confidence = 1.0;
    if (raw.confidence >= c.options.min_confidence) return raw;
  }
  const std::vector<ZoneText> one = ReadCells(f, cells, c);
  std::vector<Votes> votes{LineVotes(raw, cells), LineVotes(line, cells)};
  for (int r = 0; r < 2; ++r) {
    Votes v;
    for (int k = 0; k < cells; ++k) {
      const ZoneText& z = one[r * cells + k];
      v.chars.push_back(z.text);
      v.confidence.push_back(z.confidence);
      raw.timed_out |= z.timed_out;
    }
    votes.push_back(std::move(v));
  }
  bool dissent = false;
  ZoneText voted = Majority(votes, cells, &dissent);
  voted.timed_out |= raw.timed_out;
  if (voted.confidence == 0) {
    // No majority: the line read, unsure, is what a person sees first.
    if (raw.text == line.text && !raw.text.empty()) {
      raw.confidence = std::min(raw.confidence, c.options.min_confidence / 2);
      return raw;
    }
    return voted;
  }
  if (iban && core::IsValidIban(voted.text)) voted.confidence = 1.0;
  // Every position agreed by two reads and contradicted by none:
  // confident from comb_agreed_confidence on.
  if (!dissent && voted.confidence >= c.options.comb_agreed_confidence) {
    voted.confidence = std::max(voted.confidence, c.options.min_confidence);
  }
  return voted;
}

void ReadComb(const forms::Field& f, PageContext& c) {
  const int inset = c.Px(c.options.zone_inset_mm);
  int filled = 0, last = -1;
  for (int k = 0; k < f.cells; ++k) {
    const PixelBox cell =
        Inset(ToPixels(f.Cell(k), c.page.px_per_mm), inset, inset);
    if (InkShare(c.bitonal, cell) >= c.options.empty_ink) {
      ++filled;
      last = k;
    }
  }
  if (filled == 0) {
    AddEmpty(f, Inset(ToPixels(f.box, c.page.px_per_mm), inset, inset), c);
    return;
  }
  if (StruckShare(f, last + 1, c) > c.options.comb_struck_share) {
    c.Add(f, "", 0.0);
    c.Doubt(f, DoubtKind::kStruck,
            "Feld '" + forms::FieldTitle(f) +
                "': der Wert ist durchgestrichen (von Hand korrigiert).");
    return;
  }
  const int cells = last + 1;
  const ZoneText z = VoteComb(f, cells, c);
  c.Note(z);
  c.ocr_read.push_back(c.out->fields.size());
  c.Add(f, z.text, filled == cells ? z.confidence : 0.0);
}

void ReadCheck(const forms::Field& f, PageContext& c) {
  const int inset = c.Px(c.options.zone_inset_mm);
  const PixelBox inner = Inset(ToPixels(f.box, c.page.px_per_mm), inset, inset);
  const double ink = InkShare(c.bitonal, inner);
  if (ink >= c.options.check_ticked_ink) {
    c.Add(f, "X", 1.0);
  } else if (ink <= c.options.check_empty_ink) {
    c.Add(f, "", 1.0);
  } else {
    c.Add(f, ink * 2 > c.options.check_ticked_ink ? "X" : "", 0.5);
    c.Doubt(f, DoubtKind::kAmbiguous,
            "Kästchen '" + forms::FieldTitle(f) +
                "' ist nicht eindeutig angekreuzt.");
  }
}

// Ink in the signature box apart from its printed lines (long horizontal
// runs are removed first).
void ReadSignature(const forms::Field& f, PageContext& c) {
  const int inset = c.Px(1.0);
  const PixelBox zone =
      internal::Clamp(Inset(ToPixels(f.box, c.page.px_per_mm), inset, inset),
                      pixGetWidth(c.bitonal), pixGetHeight(c.bitonal));
  internal::BoxPtr box = internal::MakeBox(zone);
  PixPtr crop(pixClipRectangle(c.bitonal, box.get(), nullptr));
  double ink = 0;
  if (crop) {
    PixPtr lines(pixOpenBrick(nullptr, crop.get(), c.Px(20.0), 1));
    if (lines) pixSubtract(crop.get(), crop.get(), lines.get());
    ink = InkShare(crop.get(), PixelBox{0, 0, zone.w, zone.h});
  }
  c.Add(f, ink >= c.options.signature_min_ink ? "X" : "", 1.0);
}

// Below options.min_ocr_dpi no OCR reading is confident.
void DistrustLowResolution(PageContext& c) {
  const int dpi = Dpi(c);
  if (dpi >= c.options.min_ocr_dpi) return;
  for (size_t i : c.ocr_read) {
    FieldReading& r = c.out->fields[i];
    if (r.confidence < c.options.min_confidence) continue;
    r.confidence = std::min(r.confidence, c.options.min_confidence / 2);
    c.out->doubts.push_back(
        Doubt{DoubtKind::kUnsure, r.id,
              "Feld '" + c.Title(r) + "': bei " + std::to_string(dpi) +
                  " dpi ist die Texterkennung nicht sicher genug.",
              c.page_index, r.box});
  }
}

}  // namespace

// Two specks after "Straßburger" on a noisy 200-dpi page were read as a
// confident "Straßburger i".
PixPtr ThresholdWithoutSpecks(Pix* grey, int speck_pixels) {
  PixPtr bitonal = ToBitonal(grey, 128);
  if (!bitonal || speck_pixels <= 0) return bitonal;
  Pixa* found = nullptr;
  internal::BoxaPtr boxes(pixConnComp(bitonal.get(), &found, 8));
  PixaPtr components(found);
  if (!boxes || !components) return nullptr;
  // Only the specks' own pixels are touched, in both images.
  const int n = boxaGetCount(boxes.get());
  for (int i = 0; i < n; ++i) {
    l_int32 x = 0, y = 0, w = 0, h = 0;
    boxaGetBoxGeometry(boxes.get(), i, &x, &y, &w, &h);
    // k pixels connected span at most k in each direction.
    if (w > speck_pixels || h > speck_pixels) continue;
    PixPtr c(pixaGetPix(components.get(), i, L_CLONE));
    l_int32 count = 0;
    if (!c || pixCountPixels(c.get(), &count, nullptr) != 0) return nullptr;
    if (count > speck_pixels) continue;
    for (int dy = 0; dy < h; ++dy) {
      for (int dx = 0; dx < w; ++dx) {
        l_uint32 on = 0;
        pixGetPixel(c.get(), dx, dy, &on);
        if (on == 0) continue;
        pixSetPixel(bitonal.get(), x + dx, y + dy, 0);
        pixSetPixel(grey, x + dx, y + dy, 255);
      }
    }
  }
  return bitonal;
}

PageFields ReadPageFields(const LocatedPage& page,
                          const forms::PlacedPage& placed, int page_index,
                          OcrEngine& ocr, const ReadOptions& options,
                          const FieldFilter& filter,
                          const ExpectedValue& expected) {
  PageFields out;
  PixPtr clean = WithoutCombLines(page.image.get(), placed, page.px_per_mm);
  PixPtr bitonal =
      clean ? ThresholdWithoutSpecks(clean.get(), options.speck_pixels)
            : nullptr;
  if (!bitonal) {
    out.doubts.push_back(Doubt{DoubtKind::kPage,
                               "",
                               "Seite konnte nicht gelesen werden.",
                               page_index,
                               {}});
    return out;
  }
  ocr.SetPage(clean.get(), options.page_timeout_ms, bitonal.get());
  PageContext c{page,       placed, clean.get(), bitonal.get(),
                page_index, ocr,    options,     expected,
                &out,       {},     {}};
  for (const forms::Field& f : placed.fields) {
    if (filter && !filter(f)) continue;
    switch (f.kind) {
      case forms::FieldKind::kText:
        ReadText(f, c);
        break;
      case forms::FieldKind::kComb:
        ReadComb(f, c);
        break;
      case forms::FieldKind::kCheck:
        ReadCheck(f, c);
        break;
      case forms::FieldKind::kSignature:
        ReadSignature(f, c);
        break;
    }
  }
  // After the page's zones, as each second image replaces the page.
  for (const PageContext::Pending& p : c.pending) ConfirmText(p, c);
  DistrustLowResolution(c);
  for (const FieldReading& r : out.fields) {
    if (r.confidence >= options.min_confidence) continue;
    if (std::any_of(out.doubts.begin(), out.doubts.end(),
                    [&](const Doubt& d) { return d.field_id == r.id; })) {
      continue;
    }
    out.doubts.push_back(Doubt{DoubtKind::kUnsure, r.id,
                               "Feld '" + c.Title(r) + "' unsicher gelesen (" +
                                   Percent(r.confidence) + ").",
                               page_index, r.box});
  }
  if (out.timed_out) {
    out.doubts.push_back(Doubt{DoubtKind::kPage,
                               "",
                               "Zeitlimit für das Lesen der Seite "
                               "überschritten.",
                               page_index,
                               {}});
  }
  return out;
}

}  // namespace bescheid::scan
