#include "letters/layout.h"

#include <algorithm>
#include <numeric>

namespace bescheid::letters {
namespace {

FontStyle StyleOf(const Span& s) {
  return s.bold ? FontStyle::kBold : FontStyle::kRegular;
}

// UTF-8 continuation bytes (10xxxxxx) never start a character.
bool IsContinuationByte(char c) {
  return (static_cast<unsigned char>(c) & 0xC0) == 0x80;
}

// Where the character after the one starting at `i` starts (`s.size()` at
// the end). Only looks for the next byte that is not a continuation byte,
// so invalid UTF-8 is stepped over without being cut further.
size_t NextCharStart(std::string_view s, size_t i) {
  ++i;
  while (i < s.size() && IsContinuationByte(s[i])) ++i;
  return i;
}

// Where the character ending before `i` starts (0 at the beginning).
size_t PreviousCharStart(std::string_view s, size_t i) {
  if (i == 0) return 0;
  --i;
  while (i > 0 && IsContinuationByte(s[i])) --i;
  return i;
}

struct Word {
  FontStyle style;
  std::string_view text;  // in the text of a span
  bool space_before;      // separated from the previous word by a space
};

// The words of `spans` (runs of characters other than ' '); they point
// into the spans' text, which must outlive them.
std::vector<Word> SplitWords(const Spans& spans) {
  std::vector<Word> words;
  bool pending_space = false;
  for (const Span& s : spans) {
    const std::string_view text = s.text;
    size_t start = 0;
    for (size_t i = 0; i < text.size(); ++i) {
      if (text[i] != ' ') continue;
      if (i > start) {
        words.push_back(
            {StyleOf(s), text.substr(start, i - start), pending_space});
      }
      pending_space = true;
      start = i + 1;
    }
    if (start < text.size()) {
      words.push_back({StyleOf(s), text.substr(start), pending_space});
      pending_space = false;
    }
  }
  if (!words.empty()) words.front().space_before = false;
  return words;
}

// Appends `text` in `style` to the line, merging with the last run when the
// style matches.
void Append(Line& line, double x, FontStyle style, std::string_view text) {
  if (!line.empty() && line.back().style == style) {
    line.back().text += text;
  } else {
    line.push_back({x, style, std::string(text)});
  }
}

// The running layout state of one flow.
class Flow {
 public:
  Flow(const FontMetrics& m, const FlowGeometry& g) : m_(m), g_(g) {
    pages_.emplace_back();
    y_ = g_.first_top;
  }

  std::vector<Page> Finish() { return std::move(pages_); }

  double Bottom() const {
    return pages_.size() == 1 ? g_.first_bottom : g_.next_bottom;
  }
  double Remaining() const { return Bottom() - y_; }

  void NewPage() {
    pages_.emplace_back();
    y_ = g_.next_top;
  }
  void Space(double h) {
    if (y_ > Top()) y_ += h;  // no space at the top of a page
  }
  bool AtTop() const { return y_ <= Top() + 0.01; }
  double Top() const { return pages_.size() == 1 ? g_.first_top : g_.next_top; }

  // Places lines of text at `x`, breaking pages between lines; keeps at
  // least two lines together at a page's end and start where possible.
  // With `tail` > 0 the last two lines stay on one page with `tail` points
  // of what follows (the closing block).
  void PlaceLines(const std::vector<Line>& lines, double x, double size,
                  const Run* marker = nullptr, double tail = 0) {
    const double lead = size / g_.size * g_.leading;
    size_t i = 0;
    while (i < lines.size()) {
      const size_t left = lines.size() - i;
      const size_t fit = static_cast<size_t>(std::max(0.0, Remaining() / lead));
      const bool orphan = left >= 2 && fit == 1 && (i == 0 || left == 2);
      if (!AtTop() && (fit == 0 || orphan)) {
        NewPage();
        continue;
      }
      size_t take = std::max<size_t>(1, std::min(left, fit));
      if (take < left && left - take == 1 && take >= 3) --take;  // no widow
      if (tail > 0 && take == left && !AtTop() &&
          Remaining() - static_cast<double>(take) * lead < tail) {
        // The end of the text must go over with the closing block.
        const size_t rest = left - std::min<size_t>(2, left);
        if (rest >= 2 || (rest == 1 && i > 0)) {
          take = rest;
        } else {
          NewPage();
          continue;
        }
      }
      for (size_t k = 0; k < take; ++k, ++i) {
        const double baseline = y_ + size * 0.8;
        if (i == 0 && marker != nullptr) {
          pages_.back().texts.push_back(
              {marker->x, baseline, size, marker->style, marker->text});
        }
        for (const Run& r : lines[i]) {
          pages_.back().texts.push_back(
              {x + r.x, baseline, size, r.style, r.text});
        }
        y_ += lead;
      }
    }
  }

  // Height of the content laid out so far, on a one-page flow.
  double Height() const { return y_ - g_.first_top; }

  void Table(const letters::Table& t) {
    const size_t cols = t.header.size();
    if (cols == 0) return;
    const double size = g_.size * 0.9;
    const double lead = g_.leading * 0.9;
    const double pad = 2.5;
    const double width = g_.right - g_.left;

    // Each column's natural (unwrapped) width and its minimum: its widest
    // unbreakable word. Header cells are bold.
    std::vector<double> natural(cols, 0), minimum(cols, 0);
    auto measure = [&](const Spans& cell, bool bold, size_t c) {
      double w = 0;
      for (const Span& s : cell) {
        const FontStyle style =
            bold || s.bold ? FontStyle::kBold : FontStyle::kRegular;
        w += m_.Width(s.text, style, size);
        size_t start = 0;
        while (start <= s.text.size()) {
          size_t end = s.text.find(' ', start);
          if (end == std::string::npos) end = s.text.size();
          minimum[c] = std::max(
              minimum[c],
              m_.Width(s.text.substr(start, end - start), style, size) +
                  2 * pad);
          start = end + 1;
        }
      }
      natural[c] = std::max(natural[c], w + 2 * pad);
    };
    for (size_t c = 0; c < cols; ++c) {
      measure(t.header[c], true, c);
      for (const auto& row : t.rows) measure(row[c], false, c);
    }
    // Every column gets at least its minimum; what is left goes to the
    // columns in proportion to how much wrapping they would otherwise need.
    std::vector<double> w = natural;
    const double total = std::accumulate(natural.begin(), natural.end(), 0.0);
    const double min_total =
        std::accumulate(minimum.begin(), minimum.end(), 0.0);
    if (total <= width) {
      size_t widest = 0;
      for (size_t c = 0; c < cols; ++c) {
        if (t.align[c] == Align::kLeft && natural[c] > natural[widest])
          widest = c;
      }
      w[widest] += width - total;
    } else if (min_total < width) {
      const double share = (width - min_total) / (total - min_total);
      for (size_t c = 0; c < cols; ++c) {
        w[c] = minimum[c] + (natural[c] - minimum[c]) * share;
      }
    } else {
      for (size_t c = 0; c < cols; ++c) w[c] = minimum[c] / min_total * width;
    }

    struct LaidRow {
      std::vector<std::vector<Line>> cells;
      double height = 0;
      bool total_row = true;  // every non-empty cell bold
    };
    auto lay_row = [&](const std::vector<Spans>& row, bool header) {
      LaidRow r;
      size_t max_lines = 1;
      bool any = false;
      for (size_t c = 0; c < cols; ++c) {
        Spans cell = row[c];
        if (header) {
          for (Span& s : cell) s.bold = true;
        }
        for (const Span& s : cell) {
          if (!s.text.empty()) {
            any = true;
            if (!s.bold) r.total_row = false;
          }
        }
        r.cells.push_back(BreakLines(cell, m_, size, w[c] - 2 * pad));
        max_lines = std::max(max_lines, r.cells.back().size());
      }
      if (!any) r.total_row = false;
      r.height = static_cast<double>(max_lines) * lead + 2 * pad;
      return r;
    };
    const LaidRow header = lay_row(t.header, true);

    auto draw_row = [&](const LaidRow& r) {
      double x = g_.left;
      Page& p = pages_.back();
      if (r.total_row) p.lines.push_back({g_.left, y_, g_.right, y_, 0.6});
      for (size_t c = 0; c < cols; ++c) {
        double line_y = y_ + pad + size * 0.8;
        for (const Line& line : r.cells[c]) {
          double line_w = 0;
          if (!line.empty()) {
            const Run& last = line.back();
            line_w = last.x + m_.Width(last.text, last.style, size);
          }
          const double x0 =
              t.align[c] == Align::kRight ? x + w[c] - pad - line_w : x + pad;
          for (const Run& run : line) {
            p.texts.push_back({x0 + run.x, line_y, size, run.style, run.text});
          }
          line_y += lead;
        }
        x += w[c];
      }
      y_ += r.height;
    };
    auto draw_header = [&] {
      draw_row(header);
      pages_.back().lines.push_back({g_.left, y_, g_.right, y_, 0.8});
    };

    // Keep the header with at least the first row.
    const double first = t.rows.empty() ? 0 : lay_row(t.rows[0], false).height;
    if (!AtTop() && Remaining() < header.height + first) NewPage();
    draw_header();
    for (const auto& row : t.rows) {
      LaidRow r = lay_row(row, false);
      if (r.height > Remaining() && y_ > Top() + header.height + 0.01) {
        NewPage();
        draw_header();
      }
      draw_row(r);
    }
  }

  // Height that the first two lines of `b` need, for keep-with-next.
  double LeadHeight(const Block& b) {
    if (b.kind == Block::Kind::kTable) return 4 * g_.leading;
    return 2 * g_.leading;
  }

  const FontMetrics& m_;
  const FlowGeometry& g_;
  std::vector<Page> pages_;
  double y_ = 0;
};

}  // namespace

std::vector<Line> BreakLines(const Spans& spans, const FontMetrics& m,
                             double size, double width) {
  std::vector<Line> lines(1);
  double x = 0;
  // The width of a space by style, asked once.
  double space_width[3] = {-1, -1, -1};
  for (const Word& word : SplitWords(spans)) {
    double space = 0;
    if (word.space_before) {
      double& known = space_width[static_cast<int>(word.style)];
      if (known < 0) known = m.Width(" ", word.style, size);
      space = known;
    }
    double ww = m.Width(word.text, word.style, size);
    if (x > 0 && x + space + ww > width) {
      lines.emplace_back();
      x = 0;
    } else if (x > 0 && space > 0) {
      Append(lines.back(), x, word.style, " ");
      x += space;
    }
    // A word wider than the line is split where it must be, between
    // characters; each line takes at least one.
    std::string_view rest = word.text;
    while (ww > width && NextCharStart(rest, 0) < rest.size()) {
      const size_t first = NextCharStart(rest, 0);
      size_t n = PreviousCharStart(rest, rest.size());
      while (n > first &&
             m.Width(rest.substr(0, n), word.style, size) > width - x) {
        n = PreviousCharStart(rest, n);
      }
      Append(lines.back(), x, word.style, rest.substr(0, n));
      rest = rest.substr(n);
      lines.emplace_back();
      x = 0;
      ww = m.Width(rest, word.style, size);
    }
    Append(lines.back(), x, word.style, rest);
    x += ww;
  }
  if (lines.size() > 1 && lines.back().empty()) lines.pop_back();
  return lines;
}

namespace {

// Lays out block `i` of `blocks`; `tail` is the height that must follow
// the block's last two lines on their page.
void PlaceBlock(Flow& flow, const std::vector<Block>& blocks, size_t i,
                const FontMetrics& metrics, const FlowGeometry& g,
                double tail) {
  const Block& b = blocks[i];
  const double width = g.right - g.left;
  const double indent = 6 * kMm;
  switch (b.kind) {
    case Block::Kind::kSubject: {
      Spans bold = b.spans;
      for (Span& s : bold) s.bold = true;
      flow.PlaceLines(BreakLines(bold, metrics, g.size, width), g.left, g.size);
      flow.Space(g.leading);
      break;
    }
    case Block::Kind::kHeading: {
      flow.Space(g.leading * 0.5);
      Spans bold = b.spans;
      for (Span& s : bold) s.bold = true;
      const auto lines = BreakLines(bold, metrics, g.size, width);
      // Never leave a heading alone at the bottom of a page.
      const double need =
          static_cast<double>(lines.size()) * g.leading +
          (i + 1 < blocks.size() ? flow.LeadHeight(blocks[i + 1]) : 0);
      if (!flow.AtTop() && flow.Remaining() < need) flow.NewPage();
      flow.PlaceLines(lines, g.left, g.size);
      flow.Space(g.leading * 0.3);
      break;
    }
    case Block::Kind::kParagraph:
      flow.PlaceLines(BreakLines(b.spans, metrics, g.size, width), g.left,
                      g.size, nullptr, tail);
      flow.Space(g.leading * 0.6);
      break;
    case Block::Kind::kBullet:
    case Block::Kind::kNumbered: {
      const double x = g.left + indent * b.level;
      Run marker{x, FontStyle::kRegular,
                 b.kind == Block::Kind::kBullet
                     ? std::string("\xE2\x80\x93")  // U+2013 en dash
                     : b.number};
      flow.PlaceLines(
          BreakLines(b.spans, metrics, g.size, g.right - x - indent),
          x + indent, g.size, &marker, tail);
      const bool next_is_item =
          i + 1 < blocks.size() &&
          (blocks[i + 1].kind == Block::Kind::kBullet ||
           blocks[i + 1].kind == Block::Kind::kNumbered) &&
          (blocks[i + 1].kind == b.kind || blocks[i + 1].level != b.level);
      flow.Space(g.leading * (next_is_item ? 0.25 : 0.6));
      break;
    }
    case Block::Kind::kTable:
      flow.Table(b.table);
      flow.Space(g.leading * 0.8);
      break;
  }
}

// Height of blocks [from, end) laid out on an endless page.
double ClosingHeight(const std::vector<Block>& blocks, size_t from,
                     const FontMetrics& metrics, const FlowGeometry& g) {
  FlowGeometry endless = g;
  endless.first_top = 0;
  endless.first_bottom = 1e9;
  Flow flow(metrics, endless);
  for (size_t i = from; i < blocks.size(); ++i) {
    PlaceBlock(flow, blocks, i, metrics, endless, 0);
  }
  return flow.Height();
}

}  // namespace

std::vector<Page> FlowBlocks(const std::vector<Block>& blocks,
                             const FontMetrics& metrics,
                             const FlowGeometry& g) {
  Flow flow(metrics, g);
  size_t closing = 0;
  while (closing < blocks.size() && !blocks[closing].closing) ++closing;
  const double closing_height =
      closing < blocks.size() ? ClosingHeight(blocks, closing, metrics, g) : 0;
  for (size_t i = 0; i < blocks.size(); ++i) {
    if (i == closing && !flow.AtTop() && flow.Remaining() < closing_height) {
      flow.NewPage();  // only when what precedes could not come along
    }
    const double tail = i + 1 == closing ? closing_height + g.leading : 0;
    PlaceBlock(flow, blocks, i, metrics, g, tail);
  }
  return flow.Finish();
}

}  // namespace bescheid::letters
