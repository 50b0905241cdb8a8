#include "letters/markup.h"

#include <algorithm>
#include <cctype>
#include <cstdint>

namespace bescheid::letters {
namespace {

bool IsEscapable(char c) {
  return c == '|' || c == '*' || c == '#' || c == '-' || c == '\\' || c == '[';
}

// Splits inline text into spans at unescaped "**"; resolves escapes.
Spans ParseInline(std::string_view s) {
  Spans out;
  Span cur;
  for (size_t i = 0; i < s.size(); ++i) {
    if (s[i] == '\\' && i + 1 < s.size() && IsEscapable(s[i + 1])) {
      cur.text += s[++i];
    } else if (s[i] == '*' && i + 1 < s.size() && s[i + 1] == '*') {
      if (!cur.text.empty()) out.push_back(cur);
      cur = Span{"", !cur.bold};
      ++i;
    } else {
      cur.text += s[i];
    }
  }
  if (!cur.text.empty()) out.push_back(cur);
  return out;
}

std::string Trim(std::string_view s) {
  size_t b = 0, e = s.size();
  while (b < e && (s[b] == ' ' || s[b] == '\t' || s[b] == '\r')) ++b;
  while (e > b && (s[e - 1] == ' ' || s[e - 1] == '\t' || s[e - 1] == '\r'))
    --e;
  return std::string(s.substr(b, e - b));
}

// Splits "| a | b \| c |" into trimmed raw cells (escapes kept).
std::vector<std::string> SplitRow(const std::string& line) {
  std::vector<std::string> cells;
  std::string cur;
  size_t i = 1;  // after the leading '|'
  for (; i < line.size(); ++i) {
    if (line[i] == '\\' && i + 1 < line.size()) {
      cur += line[i];
      cur += line[++i];
    } else if (line[i] == '|') {
      cells.push_back(Trim(cur));
      cur.clear();
    } else {
      cur += line[i];
    }
  }
  if (!Trim(cur).empty()) cells.push_back(Trim(cur));
  return cells;
}

bool IsAlignmentRow(const std::vector<std::string>& cells) {
  if (cells.empty()) return false;
  for (const auto& c : cells) {
    if (c.empty() || c.find_first_not_of("-:") != std::string::npos ||
        c.find('-') == std::string::npos) {
      return false;
    }
  }
  return true;
}

// "12. text" -> number "12.", rest "text".
bool SplitNumbered(const std::string& line, std::string* number,
                   std::string* rest) {
  size_t i = 0;
  while (i < line.size() && std::isdigit(static_cast<unsigned char>(line[i])))
    ++i;
  if (i == 0 || i > 3 || i + 1 >= line.size() || line[i] != '.' ||
      line[i + 1] != ' ') {
    return false;
  }
  *number = line.substr(0, i + 1);
  *rest = line.substr(i + 2);
  return true;
}

// ParseMarkup's state between lines: the blocks so far and what is still
// open (a paragraph, a list item, a table).
class MarkupParser {
 public:
  // Takes the next line, untrimmed (its indentation matters).
  void AddLine(const std::string& raw) {
    const std::string line = Trim(raw);
    if (line.empty()) {
      CloseAll();
    } else if (line[0] == '|') {
      FlushItem();
      FlushParagraph();
      AddTableRow(SplitRow(line));
    } else {
      table_ = nullptr;
      AddTextLine(line, !raw.empty() && (raw[0] == ' ' || raw[0] == '\t'));
    }
  }

  // The blocks, with whatever is open closed.
  std::vector<Block> Finish() {
    CloseAll();
    for (size_t i = closing_start_; i < blocks_.size(); ++i) {
      blocks_[i].closing = true;
    }
    return std::move(blocks_);
  }

 private:
  void FlushParagraph() {
    if (paragraph_.empty()) return;
    AddBlock(Block::Kind::kParagraph, paragraph_);
    paragraph_.clear();
  }
  void FlushItem() {
    if (list_item_ == nullptr) return;
    list_item_->spans = ParseInline(pending_item_);
    list_item_ = nullptr;
    pending_item_.clear();
  }
  void CloseAll() {
    FlushItem();
    FlushParagraph();
    table_ = nullptr;
  }
  void AddBlock(Block::Kind kind, const std::string& raw_text) {
    Block b;
    b.kind = kind;
    b.spans = ParseInline(raw_text);
    blocks_.push_back(std::move(b));
  }

  // A table's header, its alignment row or a body row (padded or cut to
  // the header's cells).
  void AddTableRow(const std::vector<std::string>& cells) {
    if (table_ == nullptr) {
      Block b;
      b.kind = Block::Kind::kTable;
      for (const auto& c : cells) b.table.header.push_back(ParseInline(c));
      b.table.align.assign(cells.size(), Align::kLeft);
      blocks_.push_back(std::move(b));
      table_ = &blocks_.back().table;
      table_align_possible_ = true;
    } else if (table_align_possible_ && IsAlignmentRow(cells)) {
      for (size_t c = 0; c < table_->align.size() && c < cells.size(); ++c) {
        table_->align[c] =
            cells[c].back() == ':' ? Align::kRight : Align::kLeft;
      }
      table_align_possible_ = false;
    } else {
      std::vector<Spans> row;
      for (size_t c = 0; c < table_->header.size(); ++c) {
        row.push_back(c < cells.size() ? ParseInline(cells[c]) : Spans{});
      }
      table_->rows.push_back(std::move(row));
      table_align_possible_ = false;
    }
  }

  // A non-empty line outside a table.
  void AddTextLine(const std::string& line, bool indented) {
    std::string number, rest;
    if (line == kClosingMarker) {
      FlushItem();
      FlushParagraph();
      closing_start_ = std::min(closing_start_, blocks_.size());
    } else if (line.rfind("Betreff:", 0) == 0 && blocks_.empty() &&
               paragraph_.empty()) {
      AddBlock(Block::Kind::kSubject, Trim(line.substr(8)));
    } else if (line.rfind("# ", 0) == 0) {
      FlushItem();
      FlushParagraph();
      AddBlock(Block::Kind::kHeading, Trim(line.substr(2)));
    } else if (line.rfind("- ", 0) == 0) {
      StartItem(Block::Kind::kBullet, "", line.substr(2), indented);
    } else if (SplitNumbered(line, &number, &rest)) {
      StartItem(Block::Kind::kNumbered, number, rest, indented);
    } else if (list_item_ != nullptr && indented) {
      pending_item_ += " " + line;  // the open item continues
    } else {
      FlushItem();
      if (!paragraph_.empty()) paragraph_ += ' ';
      paragraph_ += line;
    }
  }

  // Opens a list item; its text is parsed when it closes (continuation
  // lines join it).
  void StartItem(Block::Kind kind, const std::string& number,
                 const std::string& text, bool indented) {
    FlushItem();
    FlushParagraph();
    Block b;
    b.kind = kind;
    b.number = number;
    b.level = indented ? 1 : 0;
    blocks_.push_back(std::move(b));
    list_item_ = &blocks_.back();
    pending_item_ = Trim(text);
  }

  std::vector<Block> blocks_;
  std::string paragraph_;       // raw lines joined
  Block* list_item_ = nullptr;  // the open list item, in blocks_
  std::string pending_item_;    // raw text of the open list item
  Table* table_ = nullptr;      // the open table, in blocks_
  bool table_align_possible_ = false;
  size_t closing_start_ = SIZE_MAX;  // first block after kClosingMarker
};

}  // namespace

std::string EscapeValue(std::string_view value) {
  std::string out;
  out.reserve(value.size());
  for (char c : value) {
    if (c == '\n' || c == '\r' || c == '\t') {
      out += ' ';
    } else {
      if (IsEscapable(c)) out += '\\';
      out += c;
    }
  }
  return out;
}

std::string PlainText(const Spans& spans) {
  std::string s;
  for (const Span& sp : spans) s += sp.text;
  return s;
}

std::vector<Block> ParseMarkup(std::string_view text) {
  MarkupParser parser;
  for (size_t pos = 0;;) {
    size_t eol = text.find('\n', pos);
    if (eol == std::string_view::npos) eol = text.size();
    parser.AddLine(std::string(text.substr(pos, eol - pos)));
    if (eol == text.size()) break;
    pos = eol + 1;
  }
  return parser.Finish();
}

}  // namespace bescheid::letters
