#include "formpdf/form_renderer.h"

#define ZX_USE_UTF8 1
#include <ZXing/BitMatrix.h>
#include <ZXing/MultiFormatWriter.h>

#include <algorithm>
#include <cmath>
#include <fstream>
#include <map>
#include <sstream>

#include "core/text.h"
#include "forms/field_values.h"
#include "forms/payload.h"
#include "letters/layout.h"
#include "letters/pdf_writer.h"
#include "letters/printable.h"

namespace bescheid::formpdf {
namespace {

using letters::FontStyle;
using letters::LineOp;
using letters::RectOp;
using letters::TextOp;

constexpr double kPt = 72.0 / 25.4;  // points per mm
constexpr double kMinModule = 0.5;   // mm, readable at 200 dpi
constexpr int kQuietModules = 2;     // inside the area; the rest is paper
constexpr double kLabelSize = 6.5;   // field labels, points
constexpr double kValueSize = 10;    // printed values, points
constexpr double kMinValueSize = 6;  // shrunk no further: continued
constexpr double kNoteSize = 8;      // notes on continuation pages
constexpr int kMaxParts = 32;        // data barcode parts
constexpr double kPi = 3.14159265358979323846;

// A deterministic source of small wobbles for hand-drawn things.
class Wobble {
 public:
  explicit Wobble(const std::string& seed) : state_(forms::Crc32(seed) | 1u) {}
  // Uniform in [-1, 1].
  double Next() {
    state_ ^= state_ << 13;
    state_ ^= state_ >> 17;
    state_ ^= state_ << 5;
    return (state_ % 20001) / 10000.0 - 1.0;
  }

 private:
  uint32_t state_;
};

Result<ZXing::BitMatrix> EncodeQr(const std::string& content, bool binary) {
  try {
    ZXing::MultiFormatWriter writer(ZXing::BarcodeFormat::QRCode);
    writer.setMargin(0).setEccLevel(4);  // level M
    if (binary) {
      writer.setEncoding(ZXing::CharacterSet::BINARY);
      std::wstring wide;
      for (unsigned char c : content) wide.push_back(static_cast<wchar_t>(c));
      return writer.encode(wide, 0, 0);
    }
    return writer.encode(content, 0, 0);
  } catch (const std::exception& e) {
    return InternalError(std::string("QR-Code kann nicht erzeugt werden: ") +
                         e.what());
  }
}

double ModuleSize(const ZXing::BitMatrix& m, const forms::Rect& area) {
  return std::min(area.w, area.h) / (m.width() + 2 * kQuietModules);
}

// The matrix centred in `area` (mm) as filled rectangles, one per run of
// dark modules in a row.
void DrawMatrix(const ZXing::BitMatrix& m, const forms::Rect& area,
                letters::Page* page) {
  const double module = ModuleSize(m, area);
  const double x0 = area.x + (area.w - m.width() * module) / 2;
  const double y0 = area.y + (area.h - m.height() * module) / 2;
  for (int y = 0; y < m.height(); ++y) {
    for (int x = 0; x < m.width();) {
      if (!m.get(x, y)) {
        ++x;
        continue;
      }
      int end = x;
      while (end < m.width() && m.get(end, y)) ++end;
      page->rects.push_back(RectOp{(x0 + x * module) * kPt,
                                   (y0 + y * module) * kPt,
                                   (end - x) * module * kPt, module * kPt});
      x = end;
    }
  }
}

// The barcode areas of the fixed pages in order; continuation pages add
// theirs after these.
std::vector<forms::Rect> FixedBarcodeAreas(const forms::FormLayout& layout) {
  std::vector<forms::Rect> areas;
  for (const forms::PageTemplate& p : layout.pages) {
    if (!p.continuation && p.barcode) areas.push_back(*p.barcode);
  }
  return areas;
}

// The payload split into as few QR codes as keep every module at least
// kMinModule in the area it goes to.
Result<std::vector<ZXing::BitMatrix>> BarcodeParts(
    const forms::FormLayout& layout, const std::string& payload) {
  const std::vector<forms::Rect> fixed = FixedBarcodeAreas(layout);
  const forms::Rect more = *layout.Continuation()->barcode;
  for (int parts = 1; parts <= kMaxParts; ++parts) {
    std::vector<ZXing::BitMatrix> codes;
    bool fits = true;
    const std::vector<std::string> split = forms::SplitPayload(payload, parts);
    for (size_t i = 0; i < split.size() && fits; ++i) {
      Result<ZXing::BitMatrix> m = EncodeQr(split[i], true);
      const forms::Rect& area = i < fixed.size() ? fixed[i] : more;
      fits = m.ok() && ModuleSize(*m, area) >= kMinModule;
      if (fits) codes.push_back(std::move(m).value());
    }
    if (fits) return codes;
  }
  return InvalidInput(
      "Die Antragsdaten sind zu umfangreich für den Barcode "
      "des Formulars; bitte ohne Barcode (--no-barcode) "
      "drucken.");
}

// Text too long for its field, set in a continuation page's notes area.
struct Note {
  std::string field_id;
  std::string heading;  // "Zu „Name der Fachkraft“ (Seite 2):"
  std::string text;
  int page = 0;  // where it is set, 1-based
};

// Draws one form: the plan of pages, the values and the codes.
class FormPainter {
 public:
  FormPainter(const letters::PdfWriter& writer, const forms::FormLayout& layout,
              const core::Application* app, const FormOptions& options)
      : writer_(writer), layout_(layout), app_(app), options_(options) {
    for (const Correction& c : options.corrections) {
      corrections_[c.field_id] = c.new_value;
    }
  }

  // Places the pages, the barcode parts and the notes.
  Status Plan(std::vector<forms::PlacedPage>* pages);
  Result<std::vector<letters::Page>> Paint(
      const std::vector<forms::PlacedPage>& pages);
  int barcode_parts() const { return static_cast<int>(codes_.size()); }
  uint32_t serial() const { return serial_; }

 private:
  bool Hand() const { return options_.handwriting; }
  double Width(const std::string& text, bool hand, double size) const;
  void SetText(double x_mm, double y_mm, double size, const std::string& text,
               bool hand, letters::Page* page) const;
  std::string ValueOf(const forms::Field& f) const;
  bool Fits(const forms::Field& f, const std::string& value) const;
  Status CheckCorrections(const std::vector<forms::PlacedPage>& pages) const;
  std::vector<Note> CollectNotes(
      const std::vector<forms::PlacedPage>& pages) const;
  bool PlaceNotes(const std::vector<forms::PlacedPage>& pages,
                  std::vector<Note>* notes) const;
  std::vector<std::string> Wrap(const std::string& text, double width_mm,
                                double size, bool hand) const;
  Status PaintFrame(const forms::PlacedPage& p, int count, letters::Page* page);
  void PaintField(const forms::Field& f, letters::Page* page) const;
  void PaintText(const forms::Field& f, const std::string& value,
                 letters::Page* page) const;
  void PaintComb(const forms::Field& f, const std::string& value,
                 letters::Page* page) const;
  void PaintCheck(const forms::Field& f, const std::string& value,
                  letters::Page* page) const;
  void PaintSignature(const forms::Field& f, letters::Page* page) const;
  void PaintCorrection(const forms::Field& f, const std::string& printed,
                       const std::string& value, letters::Page* page) const;
  void PaintNotes(const forms::PlacedPage& p, letters::Page* page) const;

  const letters::PdfWriter& writer_;
  const forms::FormLayout& layout_;
  const core::Application* app_;
  const FormOptions& options_;
  std::map<std::string, std::string> corrections_;
  std::vector<ZXing::BitMatrix> codes_;
  std::vector<Note> notes_;
  uint32_t serial_ = 0;
};

double FormPainter::Width(const std::string& text, bool hand,
                          double size) const {
  double w = 0;
  for (size_t i = 0; i < text.size();) {
    const size_t start = i;
    const char32_t cp = letters::NextCodePoint(text, &i);
    const FontStyle style = hand && writer_.CanHandwrite(cp)
                                ? FontStyle::kHand
                                : FontStyle::kRegular;
    w += writer_.Width(text.substr(start, i - start), style, size);
  }
  return w / kPt;
}

// Sets `text` with its baseline at (x, y) mm; in handwriting, a character
// the handwriting font lacks is set in the print font.
void FormPainter::SetText(double x_mm, double y_mm, double size,
                          const std::string& text, bool hand,
                          letters::Page* page) const {
  double x = x_mm * kPt;
  for (size_t i = 0; i < text.size();) {
    const size_t start = i;
    const char32_t cp = letters::NextCodePoint(text, &i);
    const FontStyle style = hand && writer_.CanHandwrite(cp)
                                ? FontStyle::kHand
                                : FontStyle::kRegular;
    while (i < text.size()) {
      size_t next = i;
      const char32_t c = letters::NextCodePoint(text, &next);
      const bool same =
          (hand && writer_.CanHandwrite(c)) == (style == FontStyle::kHand);
      if (!same) break;
      i = next;
    }
    const std::string run = text.substr(start, i - start);
    page->texts.push_back(TextOp{x, y_mm * kPt, size, style, run});
    x += writer_.Width(run, style, size);
  }
}

std::string FormPainter::ValueOf(const forms::Field& f) const {
  if (app_ == nullptr) return "";
  return forms::FieldValue(*app_, f).value_or("");
}

double ValueSize(bool hand) { return hand ? kValueSize + 2 : kValueSize; }

bool FormPainter::Fits(const forms::Field& f, const std::string& value) const {
  return Width(value, Hand(), kMinValueSize) <= f.box.w - 3;
}

Status FormPainter::CheckCorrections(
    const std::vector<forms::PlacedPage>& pages) const {
  for (const auto& [id, value] : corrections_) {
    const forms::Field* found = nullptr;
    for (const forms::PlacedPage& p : pages) {
      for (const forms::Field& f : p.fields) {
        if (f.id == id) found = &f;
      }
    }
    if (found == nullptr || app_ == nullptr) {
      return InvalidInput("Korrektur: das Feld '" + id +
                          "' ist auf diesem Formular nicht ausgefüllt.");
    }
    if (found->kind != forms::FieldKind::kText &&
        found->kind != forms::FieldKind::kComb) {
      return InvalidInput("Korrektur: '" + id +
                          "' ist kein Text- oder Kästchenfeld.");
    }
  }
  return Status::Ok();
}

std::vector<Note> FormPainter::CollectNotes(
    const std::vector<forms::PlacedPage>& pages) const {
  std::vector<Note> notes;
  for (const forms::PlacedPage& p : pages) {
    for (const forms::Field& f : p.fields) {
      if (f.kind != forms::FieldKind::kText) continue;
      const std::string value = ValueOf(f);
      if (value.empty() || Fits(f, value)) continue;
      Note n;
      n.field_id = f.id;
      n.heading = "Zu „" + (f.label.empty() ? f.id : f.label) + "“ (" + f.id +
                  ", Seite " + std::to_string(p.number) + "):";
      n.text = value;
      notes.push_back(std::move(n));
    }
  }
  return notes;
}

std::vector<std::string> FormPainter::Wrap(const std::string& text,
                                           double width_mm, double size,
                                           bool hand) const {
  std::vector<std::string> lines;
  std::string line;
  std::istringstream words(text);
  for (std::string word; words >> word;) {
    const std::string candidate = line.empty() ? word : line + " " + word;
    if (Width(candidate, hand, size) <= width_mm || line.empty()) {
      line = candidate;
    } else {
      lines.push_back(line);
      line = word;
    }
    // A word wider than the line is cut between characters.
    while (Width(line, hand, size) > width_mm && line.size() > 1) {
      size_t i = 0, last = 0;
      while (i < line.size()) {
        last = i;
        letters::NextCodePoint(line, &i);
        if (Width(line.substr(0, i), hand, size) > width_mm) break;
      }
      const size_t cut = last > 0 ? last : i;
      lines.push_back(line.substr(0, cut));
      line = line.substr(cut);
    }
  }
  if (!line.empty()) lines.push_back(line);
  return lines;
}

// Assigns each note a continuation page; false when the pages' notes areas
// are too small for all of them.
bool FormPainter::PlaceNotes(const std::vector<forms::PlacedPage>& pages,
                             std::vector<Note>* notes) const {
  const double note_size = Hand() ? kNoteSize + 3 : kNoteSize;
  const double leading = note_size * 1.3 / kPt;
  size_t next = 0;
  for (const forms::PlacedPage& p : pages) {
    if (!p.tpl->continuation || !p.tpl->notes) continue;
    double used = 0;
    while (next < notes->size()) {
      Note& n = (*notes)[next];
      const double need =
          leading *
          (1 + Wrap(n.text, p.tpl->notes->w, note_size, Hand()).size());
      if (used + need > p.tpl->notes->h) break;
      used += need;
      n.page = p.number;
      ++next;
    }
  }
  return next == notes->size();
}

Status FormPainter::Plan(std::vector<forms::PlacedPage>* pages) {
  const int positions = app_ ? static_cast<int>(app_->positions.size()) : 0;
  const int members = app_ ? static_cast<int>(app_->members.size()) : 0;
  const int fixed_pages =
      static_cast<int>(forms::PlacePages(layout_, 0, 0).size());
  // A blank form has one continuation page, for more rows by hand.
  int min_pages = app_ == nullptr ? fixed_pages + 1 : 0;
  if (app_ != nullptr) {
    const std::string payload = forms::EncodePayload(*app_);
    serial_ = forms::Crc32(payload);
    if (options_.barcode) {
      Result<std::vector<ZXing::BitMatrix>> codes =
          BarcodeParts(layout_, payload);
      if (!codes.ok()) return codes.status();
      codes_ = std::move(codes).value();
      const int extra = static_cast<int>(codes_.size()) -
                        static_cast<int>(FixedBarcodeAreas(layout_).size());
      min_pages = fixed_pages + std::max(0, extra);
    }
  }
  for (int attempt = 0; attempt < 100; ++attempt) {
    *pages = forms::PlacePages(layout_, positions, members, min_pages);
    notes_ = CollectNotes(*pages);
    if (PlaceNotes(*pages, &notes_)) return CheckCorrections(*pages);
    min_pages = static_cast<int>(pages->size()) + 1;
  }
  return InvalidInput("Die Texte des Antrags passen nicht auf das Formular.");
}

void Outline(const forms::Rect& r, double width, letters::Page* page) {
  page->rects.push_back(
      RectOp{r.x * kPt, r.y * kPt, r.w * kPt, r.h * kPt, false, width});
}

void Line(double x1, double y1, double x2, double y2, double width,
          letters::Page* page) {
  page->lines.push_back(LineOp{x1 * kPt, y1 * kPt, x2 * kPt, y2 * kPt, width});
}

// A hand-drawn stroke from (x1, y1) to (x2, y2) mm: short segments that
// wander a little.
void HandStroke(double x1, double y1, double x2, double y2, Wobble& wobble,
                letters::Page* page) {
  constexpr int kSegments = 8;
  double px = x1, py = y1;
  for (int k = 1; k <= kSegments; ++k) {
    const double t = static_cast<double>(k) / kSegments;
    const double nx =
        x1 + (x2 - x1) * t + (k < kSegments ? 0.3 * wobble.Next() : 0);
    const double ny =
        y1 + (y2 - y1) * t + (k < kSegments ? 0.3 * wobble.Next() : 0);
    Line(px, py, nx, ny, 0.9, page);
    px = nx;
    py = ny;
  }
}

Status FormPainter::PaintFrame(const forms::PlacedPage& p, int count,
                               letters::Page* page) {
  for (const forms::Rect& m : layout_.marks) {
    page->rects.push_back(RectOp{m.x * kPt, m.y * kPt, m.w * kPt, m.h * kPt});
  }
  const forms::Label& h = layout_.header;
  SetText(h.x, h.y, h.size,
          core::ReplaceAll(core::ReplaceAll(h.text, "{id}", layout_.form_id),
                           "{version}", layout_.version),
          false, page);
  const forms::Label& n = layout_.page_number;
  SetText(n.x, n.y, n.size,
          core::ReplaceAll(
              core::ReplaceAll(n.text, "{n}", std::to_string(p.number)), "{m}",
              std::to_string(count)),
          false, page);
  forms::PageCode code{layout_.form_id, layout_.version, p.number, count,
                       serial_};
  Result<ZXing::BitMatrix> m = EncodeQr(forms::EncodePageCode(code), false);
  if (!m.ok()) return m.status();
  if (ModuleSize(*m, layout_.page_code) < kMinModule) {
    return ConfigError(
        "Formularbeschreibung: 'pagecode' ist zu klein für "
        "Punkte von mindestens 0,5 mm.");
  }
  DrawMatrix(*m, layout_.page_code, page);
  for (const forms::Label& l : p.labels) {
    page->texts.push_back(
        TextOp{l.x * kPt, l.y * kPt, l.size,
               l.bold ? FontStyle::kBold : FontStyle::kRegular, l.text});
  }
  for (const forms::Rect& r : p.tpl->frames) Outline(r, 0.4, page);
  return Status::Ok();
}

void FormPainter::PaintText(const forms::Field& f, const std::string& value,
                            letters::Page* page) const {
  Outline(f.box, 0.5, page);
  if (value.empty()) return;
  for (const Note& n : notes_) {
    if (n.field_id != f.id) continue;
    SetText(f.box.x + 1.5, f.box.y + f.box.h - 2, 7,
            "siehe Fortsetzung, Seite " + std::to_string(n.page), false, page);
    return;
  }
  double size = ValueSize(Hand());
  while (size > kMinValueSize && Width(value, Hand(), size) > f.box.w - 3) {
    size -= 0.5;
  }
  SetText(f.box.x + 1.5, f.box.y + f.box.h - 2, size, value, Hand(), page);
}

void FormPainter::PaintComb(const forms::Field& f, const std::string& value,
                            letters::Page* page) const {
  Outline(f.box, 0.5, page);
  int cell = 0;
  for (size_t i = 0; i < f.pattern.size(); ++i) {
    if (f.pattern[i] == '#') {
      ++cell;
      if (cell < f.cells && f.pattern[i + 1] == '#') {
        const forms::Rect c = f.Cell(cell);
        Line(c.x, c.y, c.x, c.y + c.h, 0.4, page);
      }
      continue;
    }
    // A separator: a full line between the cells, its sign below them.
    const forms::Rect c = f.Cell(cell);
    Line(c.x, c.y, c.x, c.y + c.h, f.pattern[i] == ' ' ? 1.2 : 0.4, page);
    if (f.pattern[i] != ' ') {
      const std::string sign(1, f.pattern[i]);
      SetText(c.x - Width(sign, false, 8) / 2, c.y + c.h + 2.6, 8, sign, false,
              page);
    }
  }
  Wobble wobble(f.id);
  const double size = Hand() ? 13 : 11;
  size_t i = 0;
  for (int k = 0; k < f.cells && i < value.size(); ++k) {
    const size_t start = i;
    letters::NextCodePoint(value, &i);
    const std::string ch = value.substr(start, i - start);
    const forms::Rect c = f.Cell(k);
    const double dx = Hand() ? 0.35 * wobble.Next() : 0;
    const double dy = Hand() ? 0.4 * wobble.Next() : 0;
    SetText(c.x + (c.w - Width(ch, Hand(), size)) / 2 + dx,
            c.y + c.h - 1.6 + dy, size, ch, Hand(), page);
  }
}

void FormPainter::PaintCheck(const forms::Field& f, const std::string& value,
                             letters::Page* page) const {
  Outline(f.box, 0.6, page);
  if (!f.label.empty()) {
    SetText(f.box.x + f.box.w + 1.5, f.box.y + f.box.h - 0.6, 8, f.label, false,
            page);
  }
  if (value.empty()) return;
  const double size = f.box.h * kPt * (Hand() ? 0.95 : 1.05);
  SetText(f.box.x + (f.box.w - Width(value, Hand(), size)) / 2,
          f.box.y + f.box.h - f.box.h * 0.12, size, value, Hand(), page);
}

// The box with its line; with sample_signature a pen-like scribble on it.
void FormPainter::PaintSignature(const forms::Field& f,
                                 letters::Page* page) const {
  Outline(f.box, 0.3, page);
  const double line_y = f.box.y + f.box.h - 5;
  Line(f.box.x + 3, line_y, f.box.x + f.box.w - 3, line_y, 0.6, page);
  if (!options_.sample_signature) return;
  Wobble wobble(app_ ? app_->signature.name : f.id);
  const double left = f.box.x + 8, right = f.box.x + f.box.w * 0.7;
  const double mid = line_y - 5;
  double px = left, py = mid + 2;
  constexpr int kSteps = 140;
  for (int k = 1; k <= kSteps; ++k) {
    const double t = static_cast<double>(k) / kSteps;
    const double loop = std::sin(t * 2 * kPi * 9);
    const double nx =
        left + (right - left) * t + 2.2 * std::cos(t * 2 * kPi * 9);
    const double ny = mid - (4 + 1.5 * wobble.Next()) * loop * (1 - 0.5 * t);
    Line(px, py, nx, ny, 0.9, page);
    px = nx;
    py = ny;
  }
  HandStroke(left - 2, line_y - 1.5, right + 6, line_y - 2.5, wobble, page);
}

// The printed value struck through and `value` written by hand above it.
void FormPainter::PaintCorrection(const forms::Field& f,
                                  const std::string& printed,
                                  const std::string& value,
                                  letters::Page* page) const {
  Wobble wobble(f.id + "=" + value);
  const double width =
      f.kind == forms::FieldKind::kComb
          ? f.Cell(0).w * std::min<size_t>(printed.size(), f.cells)
          : std::min(f.box.w - 2,
                     Width(printed, Hand(), ValueSize(Hand())) + 3);
  const double y = f.box.y + f.box.h * 0.55;
  HandStroke(f.box.x + 0.5, y + 0.6, f.box.x + width, y - 0.4, wobble, page);
  HandStroke(f.box.x + 0.8, y - 0.5, f.box.x + width - 0.5, y + 0.3, wobble,
             page);
  const double after_label =
      f.label.empty() ? 0 : Width(f.label, false, kLabelSize) + 2;
  SetText(f.box.x + after_label + 1, f.box.y - 0.6, 12, value, true, page);
}

void FormPainter::PaintField(const forms::Field& f, letters::Page* page) const {
  if (!f.label.empty() && f.kind != forms::FieldKind::kCheck) {
    SetText(f.box.x, f.box.y - 0.9, kLabelSize, f.label, false, page);
  }
  const std::string value = ValueOf(f);
  switch (f.kind) {
    case forms::FieldKind::kText:
      PaintText(f, value, page);
      break;
    case forms::FieldKind::kComb:
      PaintComb(f, value, page);
      break;
    case forms::FieldKind::kCheck:
      PaintCheck(f, value, page);
      return;
    case forms::FieldKind::kSignature:
      PaintSignature(f, page);
      return;
  }
  if (auto c = corrections_.find(f.id); c != corrections_.end()) {
    PaintCorrection(f, value, c->second, page);
  }
}

void FormPainter::PaintNotes(const forms::PlacedPage& p,
                             letters::Page* page) const {
  if (!p.tpl->notes) return;
  const forms::Rect& area = *p.tpl->notes;
  const double size = Hand() ? kNoteSize + 3 : kNoteSize;
  const double leading = size * 1.3 / kPt;
  double y = area.y + leading;
  for (const Note& n : notes_) {
    if (n.page != p.number) continue;
    SetText(area.x, y, 7, n.heading, false, page);
    y += leading;
    for (const std::string& line : Wrap(n.text, area.w, size, Hand())) {
      SetText(area.x, y, size, line, Hand(), page);
      y += leading;
    }
  }
}

Result<std::vector<letters::Page>> FormPainter::Paint(
    const std::vector<forms::PlacedPage>& pages) {
  std::vector<letters::Page> out(pages.size());
  const std::vector<forms::Rect> fixed = FixedBarcodeAreas(layout_);
  size_t part = 0;
  for (size_t i = 0; i < pages.size(); ++i) {
    const forms::PlacedPage& p = pages[i];
    letters::Page& page = out[i];
    if (Status s = PaintFrame(p, static_cast<int>(pages.size()), &page);
        !s.ok()) {
      return s;
    }
    for (const forms::Field& f : p.fields) PaintField(f, &page);
    PaintNotes(p, &page);
    if (p.tpl->barcode && part < codes_.size()) {
      DrawMatrix(codes_[part++], *p.tpl->barcode, &page);
    }
  }
  if (part != codes_.size()) {
    return InternalError("form: barcode parts left without a page");
  }
  return out;
}

}  // namespace

struct FormRenderer::Impl {
  std::unique_ptr<letters::PdfWriter> writer;
};

FormRenderer::FormRenderer(std::unique_ptr<Impl> impl)
    : impl_(std::move(impl)) {}
FormRenderer::~FormRenderer() = default;

Result<std::unique_ptr<FormRenderer>> FormRenderer::Create(
    const FormFonts& fonts) {
  auto writer =
      letters::PdfWriter::Create(fonts.regular_ttf, fonts.bold_ttf,
                                 fonts.icc_profile, fonts.handwriting_ttf);
  if (!writer.ok()) return writer.status();
  auto impl = std::make_unique<Impl>();
  impl->writer = std::move(writer).value();
  return std::unique_ptr<FormRenderer>(new FormRenderer(std::move(impl)));
}

Result<RenderedForm> FormRenderer::Render(const forms::FormLayout& layout,
                                          const core::Application* app,
                                          const FormOptions& options) {
  FormPainter painter(*impl_->writer, layout, app, options);
  RenderedForm form;
  if (Status s = painter.Plan(&form.pages); !s.ok()) return s;
  Result<std::vector<letters::Page>> pages = painter.Paint(form.pages);
  if (!pages.ok()) return pages.status();
  letters::PdfMetadata meta;
  meta.title = layout.title;
  meta.author = "Regierungspräsidium Stuttgart";
  meta.subject = "Formular " + layout.form_id + ", Version " + layout.version;
  meta.timestamp = options.timestamp;
  Result<std::string> pdf = impl_->writer->Write(*pages, meta);
  if (!pdf.ok()) return pdf.status();
  form.pdf = std::move(pdf).value();
  form.barcode_parts = painter.barcode_parts();
  form.serial = painter.serial();
  return form;
}

Result<forms::FormLayout> LoadLayoutFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    return ConfigError("Formularbeschreibung (forms.layout) '" + path +
                       "' kann nicht gelesen werden.");
  }
  std::ostringstream text;
  text << in.rdbuf();
  const size_t slash = path.find_last_of('/');
  Result<forms::FormLayout> layout = forms::ParseLayout(
      text.str(), slash == std::string::npos ? path : path.substr(slash + 1));
  if (!layout.ok()) {
    return ConfigError("Formularbeschreibung (forms.layout) " +
                       layout.status().message());
  }
  return layout;
}

}  // namespace bescheid::formpdf
