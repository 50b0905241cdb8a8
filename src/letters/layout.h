// Page layout for letters: line breaking with real font metrics, lists,
// tables whose rows are never split (header repeated on each page),
// headings kept with what follows, and pagination. Pure: works on UTF-8
// text and an abstract FontMetrics, so it is tested without libharu. Lines
// break at spaces (U+0020 only; a no-break space holds); a word wider than
// its line is cut between characters, never inside one.
#ifndef BESCHEID_LETTERS_LAYOUT_H_
#define BESCHEID_LETTERS_LAYOUT_H_

#include <string>
#include <string_view>
#include <vector>

#include "letters/markup.h"

namespace bescheid::letters {

// kHand: the handwriting font, only where the writer was given one (the
// paper form's filled-in values; letters never use it).
enum class FontStyle { kRegular, kBold, kHand };

class FontMetrics {
 public:
  virtual ~FontMetrics() = default;
  // Advance width in points of UTF-8 `text` at `size`.
  virtual double Width(std::string_view text, FontStyle style,
                       double size) const = 0;
};

// Positions are in points from the page's top-left corner; y is the
// baseline for text.
struct TextOp {
  double x = 0, y = 0, size = 10;
  FontStyle style = FontStyle::kRegular;
  std::string text;  // UTF-8
};
struct LineOp {
  double x1 = 0, y1 = 0, x2 = 0, y2 = 0, width = 0.5;
};
// A rectangle from its top-left corner: filled black, or outlined.
struct RectOp {
  double x = 0, y = 0, w = 0, h = 0;
  bool fill = true;
  double width = 0.5;  // outline width when not filled
};
struct Page {
  std::vector<TextOp> texts;
  std::vector<LineOp> lines;
  std::vector<RectOp> rects;
};

struct FlowGeometry {
  double left = 0, right = 0;              // text column
  double first_top = 0, first_bottom = 0;  // body area on page 1
  double next_top = 0, next_bottom = 0;    // on continuation pages
  double size = 10;                        // body font size
  double leading = 13;                     // baseline to baseline
};

constexpr double kMm = 72.0 / 25.4;

// Lays out `blocks` (their span text UTF-8) into pages.
// Always returns at least one page.
std::vector<Page> FlowBlocks(const std::vector<Block>& blocks,
                             const FontMetrics& metrics,
                             const FlowGeometry& geometry);

// Breaks spans into lines no wider than `width`. Each line is a list of
// positioned runs relative to x = 0. Exposed for tests.
struct Run {
  double x = 0;
  FontStyle style = FontStyle::kRegular;
  std::string text;
};
using Line = std::vector<Run>;
std::vector<Line> BreakLines(const Spans& spans, const FontMetrics& metrics,
                             double size, double width);

}  // namespace bescheid::letters

#endif  // BESCHEID_LETTERS_LAYOUT_H_
