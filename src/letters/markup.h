// The letter markup: what a rendered template says, before layout.
//
//   Betreff: <text>          the subject line (first block only, bold)
//   # <text>                 a heading
//   - <text>                 a bullet item; "1. <text>" a numbered item;
//                            indented ("  - <text>"): one level deeper
//   | a | b |                a table row; the first row is the header, an
//   |---|--:|                optional second row of dashes sets alignment
//                            (":" on the right means right-aligned)
//   <text lines>             a paragraph; a blank line ends it
//   [Schluss]                starts the closing block (signature note,
//                            Grußformel, authority, enclosures): it is
//                            never split and never stands alone on a page
//   **bold**                 bold inline text
//   \| \* \# \- \\ \[        the character itself, never markup
//
// Values inserted by templates are escaped (EscapeValue), so data can never
// turn into markup. Pure; no I/O.
#ifndef BESCHEID_LETTERS_MARKUP_H_
#define BESCHEID_LETTERS_MARKUP_H_

#include <string>
#include <string_view>
#include <vector>

namespace bescheid::letters {

struct Span {
  std::string text;  // UTF-8
  bool bold = false;
};
using Spans = std::vector<Span>;

enum class Align { kLeft, kRight };

struct Table {
  std::vector<Spans> header;
  std::vector<std::vector<Spans>> rows;
  std::vector<Align> align;  // one per column
};

struct Block {
  enum class Kind {
    kSubject,
    kHeading,
    kParagraph,
    kBullet,
    kNumbered,
    kTable
  };
  Kind kind = Kind::kParagraph;
  Spans spans;           // all but kTable
  std::string number;    // kNumbered: "1."
  Table table;           // kTable
  int level = 0;         // kBullet, kNumbered: 1 for an indented item
  bool closing = false;  // part of the closing block
};

// The line that starts the closing block.
inline constexpr char kClosingMarker[] = "[Schluss]";

// Parses rendered template text. Never fails: anything unrecognised is a
// paragraph. Table rows with fewer cells are padded, extra cells dropped.
std::vector<Block> ParseMarkup(std::string_view text);

// Escapes a value so that it reads as plain text in any position.
std::string EscapeValue(std::string_view value);

// The text of spans without formatting (for tests and metadata).
std::string PlainText(const Spans& spans);

}  // namespace bescheid::letters

#endif  // BESCHEID_LETTERS_MARKUP_H_
