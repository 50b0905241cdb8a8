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
  std::vector<Block> blocks;
  std::string paragraph;  // raw lines joined
  Block* list_item = nullptr;
  Table* table = nullptr;
  bool table_align_possible = false;
  size_t closing_start = SIZE_MAX;  // first block after kClosingMarker

  auto flush_paragraph = [&] {
    if (!paragraph.empty()) {
      Block b;
      b.kind = Block::Kind::kParagraph;
      b.spans = ParseInline(paragraph);
      blocks.push_back(std::move(b));
      paragraph.clear();
    }
  };
  auto end_all = [&] {
    flush_paragraph();
    list_item = nullptr;
    table = nullptr;
  };

  size_t pos = 0;
  std::string pending_item;  // raw text of the open list item
  auto flush_item = [&] {
    if (list_item != nullptr) {
      list_item->spans = ParseInline(pending_item);
      list_item = nullptr;
      pending_item.clear();
    }
  };

  while (pos <= text.size()) {
    size_t eol = text.find('\n', pos);
    if (eol == std::string_view::npos) eol = text.size();
    const std::string raw(text.substr(pos, eol - pos));
    pos = eol + 1;
    const std::string line = Trim(raw);
    const bool indented = !raw.empty() && (raw[0] == ' ' || raw[0] == '\t');

    if (line.empty()) {
      flush_item();
      end_all();
      if (eol == text.size()) break;
      continue;
    }
    if (line[0] == '|') {
      flush_item();
      flush_paragraph();
      std::vector<std::string> cells = SplitRow(line);
      if (table == nullptr) {
        Block b;
        b.kind = Block::Kind::kTable;
        for (const auto& c : cells) b.table.header.push_back(ParseInline(c));
        b.table.align.assign(cells.size(), Align::kLeft);
        blocks.push_back(std::move(b));
        table = &blocks.back().table;
        table_align_possible = true;
      } else if (table_align_possible && IsAlignmentRow(cells)) {
        for (size_t c = 0; c < table->align.size() && c < cells.size(); ++c) {
          table->align[c] =
              cells[c].back() == ':' ? Align::kRight : Align::kLeft;
        }
        table_align_possible = false;
      } else {
        std::vector<Spans> row;
        for (size_t c = 0; c < table->header.size(); ++c) {
          row.push_back(c < cells.size() ? ParseInline(cells[c]) : Spans{});
        }
        table->rows.push_back(std::move(row));
        table_align_possible = false;
      }
      if (eol == text.size()) break;
      continue;
    }
    table = nullptr;

    std::string number, rest;
    if (line == kClosingMarker) {
      flush_item();
      flush_paragraph();
      closing_start = std::min(closing_start, blocks.size());
    } else if (line.rfind("Betreff:", 0) == 0 && blocks.empty() &&
               paragraph.empty()) {
      Block b;
      b.kind = Block::Kind::kSubject;
      b.spans = ParseInline(Trim(line.substr(8)));
      blocks.push_back(std::move(b));
    } else if (line.rfind("# ", 0) == 0) {
      flush_item();
      flush_paragraph();
      Block b;
      b.kind = Block::Kind::kHeading;
      b.spans = ParseInline(Trim(line.substr(2)));
      blocks.push_back(std::move(b));
    } else if (line.rfind("- ", 0) == 0 ||
               SplitNumbered(line, &number, &rest)) {
      flush_item();
      flush_paragraph();
      Block b;
      b.level = indented ? 1 : 0;
      if (number.empty()) {
        b.kind = Block::Kind::kBullet;
        pending_item = Trim(line.substr(2));
      } else {
        b.kind = Block::Kind::kNumbered;
        b.number = number;
        pending_item = Trim(rest);
      }
      blocks.push_back(std::move(b));
      list_item = &blocks.back();
    } else if (list_item != nullptr && indented) {
      pending_item += " " + line;
    } else {
      flush_item();
      if (!paragraph.empty()) paragraph += ' ';
      paragraph += line;
    }
    if (eol == text.size()) break;
  }
  flush_item();
  end_all();
  for (size_t i = closing_start; i < blocks.size(); ++i)
    blocks[i].closing = true;
  return blocks;
}

}  // namespace bescheid::letters
