#include "letters/layout.h"

#include <gtest/gtest.h>

#include <map>

namespace bescheid::letters {
namespace {

// Every character is half the font size wide; bold a little wider.
class FixedMetrics : public FontMetrics {
 public:
  double Width(std::string_view text, FontStyle style,
               double size) const override {
    return static_cast<double>(text.size()) * size *
           (style == FontStyle::kBold ? 0.6 : 0.5);
  }
};

// Every character (not byte) of UTF-8 text is half the font size wide, as
// with a real font's metrics.
class CharMetrics : public FontMetrics {
 public:
  double Width(std::string_view text, FontStyle, double size) const override {
    double chars = 0;
    for (char c : text) {
      if ((static_cast<unsigned char>(c) & 0xC0) != 0x80) ++chars;
    }
    return chars * size * 0.5;
  }
};

// Whether `s` is whole UTF-8: no character cut at either end.
bool WholeUtf8(const std::string& s) {
  size_t i = 0;
  while (i < s.size()) {
    const unsigned char c = static_cast<unsigned char>(s[i]);
    const size_t n = c < 0x80 ? 1 : c >= 0xF0 ? 4 : c >= 0xE0 ? 3 : 2;
    if (c >= 0x80 && c < 0xC0) return false;  // starts inside a character
    if (i + n > s.size()) return false;       // ends inside one
    for (size_t k = 1; k < n; ++k) {
      if ((static_cast<unsigned char>(s[i + k]) & 0xC0) != 0x80) return false;
    }
    i += n;
  }
  return true;
}

FlowGeometry SmallPage() {
  FlowGeometry g;
  g.left = 0;
  g.right = 100;  // 20 characters of 10 pt
  g.first_top = 0;
  g.first_bottom = 100;
  g.next_top = 0;
  g.next_bottom = 100;
  g.size = 10;
  g.leading = 10;  // 10 lines a page
  return g;
}

Block Paragraph(const std::string& text) {
  Block b;
  b.kind = Block::Kind::kParagraph;
  b.spans = {{text, false}};
  return b;
}

std::string LineText(const Line& line) {
  std::string s;
  for (const Run& r : line) s += r.text;
  return s;
}

TEST(BreakLinesTest, GreedyByWidth) {
  FixedMetrics m;
  const auto lines =
      BreakLines({{"aaaa bbbb cccc dddd eeee", false}}, m, 10, 50);
  ASSERT_EQ(lines.size(), 3u);  // 10 characters a line
  EXPECT_EQ(LineText(lines[0]), "aaaa bbbb");
  EXPECT_EQ(LineText(lines[1]), "cccc dddd");
  EXPECT_EQ(LineText(lines[2]), "eeee");
}

TEST(BreakLinesTest, MixedStylesKeepPositions) {
  FixedMetrics m;
  const auto lines =
      BreakLines({{"ab ", false}, {"CD", true}, {" ef", false}}, m, 10, 1000);
  ASSERT_EQ(lines.size(), 1u);
  ASSERT_EQ(lines[0].size(), 3u);
  // The space before a word takes that word's style.
  EXPECT_EQ(lines[0][1].style, FontStyle::kBold);
  EXPECT_EQ(lines[0][1].text, " CD");
  EXPECT_DOUBLE_EQ(lines[0][1].x, 10);  // after "ab" = 2 x 5
  EXPECT_EQ(lines[0][2].text, " ef");
  EXPECT_DOUBLE_EQ(lines[0][2].x, 28);  // + " CD" bold = 3 x 6
}

TEST(BreakLinesTest, OverlongWordIsSplit) {
  FixedMetrics m;
  const auto lines = BreakLines({{"abcdefghijkl", false}}, m, 10, 25);
  ASSERT_EQ(lines.size(), 3u);
  EXPECT_EQ(LineText(lines[0]), "abcde");
  EXPECT_EQ(LineText(lines[2]), "kl");
}

TEST(BreakLinesTest, OverlongWordOfMultiByteCharactersIsCutBetweenThem) {
  // 10 characters a line; "Ü", "ä", "ü" are two bytes each.
  CharMetrics m;
  const std::string word = "Überweisungsänderungsgebühr";
  const auto lines = BreakLines({{word, false}}, m, 10, 50);
  ASSERT_EQ(lines.size(), 3u);
  EXPECT_EQ(LineText(lines[0]), "Überweisun");
  EXPECT_EQ(LineText(lines[1]), "gsänderung");
  EXPECT_EQ(LineText(lines[2]), "sgebühr");
}

TEST(BreakLinesTest, OverlongWordIsNeverCutInsideACharacter) {
  // Widths by byte, so that a cut inside a character would fit: the cut
  // must still fall between characters. Two- and three-byte characters.
  FixedMetrics m;
  for (const char* word :
       {"ääääääääää", "ЖЖЖЖЖЖЖЖЖЖЖ", "€€€€€€€", "aä€aä€aä€ẞ"}) {
    for (double width : {15.0, 25.0, 35.0}) {
      const auto lines = BreakLines({{word, false}}, m, 10, width);
      std::string joined;
      for (const Line& line : lines) {
        const std::string text = LineText(line);
        EXPECT_FALSE(text.empty()) << word << " at " << width;
        EXPECT_TRUE(WholeUtf8(text)) << word << " at " << width << ": " << text;
        joined += text;
      }
      EXPECT_EQ(joined, word) << "at " << width;
      EXPECT_GT(lines.size(), 1u) << word << " at " << width;
    }
  }
}

TEST(BreakLinesTest, CharacterWiderThanTheLineStaysWhole) {
  FixedMetrics m;  // "€" is three bytes: 15 points, the line 10
  const auto lines = BreakLines({{"€€", false}}, m, 10, 10);
  ASSERT_EQ(lines.size(), 2u);
  EXPECT_EQ(LineText(lines[0]), "€");
  EXPECT_EQ(LineText(lines[1]), "€");
}

TEST(BreakLinesTest, NoBreakSpaceHolds) {
  CharMetrics m;
  const auto lines =
      BreakLines({{"xxxxxxx 100,00\u00A0EUR", false}}, m, 10, 70);
  ASSERT_EQ(lines.size(), 2u);
  EXPECT_EQ(LineText(lines[1]), "100,00\u00A0EUR");
}

TEST(FlowTest, ParagraphsFlowOntoNewPagesWithoutOrphans) {
  FixedMetrics m;
  std::vector<Block> blocks;
  // 8 lines, then a 4-line paragraph: only 1 line (after spacing) would
  // fit, so the paragraph starts on page 2 instead of leaving an orphan.
  blocks.push_back(Paragraph(std::string(8 * 20 - 1, 'a')));
  std::string four;
  for (int i = 0; i < 4; ++i) four += "bbbbbbbbbbbbbbbbbbb ";
  blocks.push_back(Paragraph(four));
  const auto pages = FlowBlocks(blocks, m, SmallPage());
  ASSERT_EQ(pages.size(), 2u);
  for (const TextOp& t : pages[0].texts)
    EXPECT_EQ(t.text.find('b'), std::string::npos);
  EXPECT_EQ(pages[1].texts.size(), 4u);
}

TEST(FlowTest, HeadingIsKeptWithItsText) {
  FixedMetrics m;
  std::vector<Block> blocks;
  blocks.push_back(Paragraph(std::string(8 * 20 - 1, 'a')));
  Block h;
  h.kind = Block::Kind::kHeading;
  h.spans = {{"Heading", false}};
  blocks.push_back(h);
  blocks.push_back(Paragraph("text after the heading"));
  const auto pages = FlowBlocks(blocks, m, SmallPage());
  ASSERT_EQ(pages.size(), 2u);
  EXPECT_EQ(pages[1].texts.front().text, "Heading");
  EXPECT_EQ(pages[1].texts.front().style, FontStyle::kBold);
}

TEST(FlowTest, TableRowsAreNeverSplitAndHeaderRepeats) {
  FixedMetrics m;
  Block t;
  t.kind = Block::Kind::kTable;
  t.table.header = {{{"Nr", false}}, {{"Name", false}}};
  t.table.align = {Align::kRight, Align::kLeft};
  for (int i = 1; i <= 30; ++i) {
    // Every third row wraps onto two lines.
    const std::string name =
        i % 3 == 0 ? "long name that wraps twice" : "short";
    t.table.rows.push_back({{{std::to_string(i), false}}, {{name, false}}});
  }
  const auto pages = FlowBlocks({t}, m, SmallPage());
  ASSERT_GT(pages.size(), 3u);
  std::map<std::string, size_t> page_of_number;
  for (size_t p = 0; p < pages.size(); ++p) {
    int headers = 0;
    for (const TextOp& op : pages[p].texts) {
      if (op.text == "Nr") ++headers;
      if (!op.text.empty() &&
          std::isdigit(static_cast<unsigned char>(op.text[0]))) {
        page_of_number[op.text] = p;
      }
      EXPECT_LE(op.y, 100.0) << op.text;  // nothing below the body area
    }
    EXPECT_EQ(headers, 1) << "page " << p;
  }
  EXPECT_EQ(page_of_number.size(), 30u);
  // Both lines of each wrapped row are on the same page as its number.
  for (size_t p = 0; p < pages.size(); ++p) {
    std::vector<double> wrapped_rows;
    for (const TextOp& op : pages[p].texts) {
      if (op.text.find("twice") != std::string::npos) {
        bool has_first_line = false;
        for (const TextOp& other : pages[p].texts) {
          if (other.text.find("long") != std::string::npos && other.y < op.y &&
              op.y - other.y < 20) {
            has_first_line = true;
          }
        }
        EXPECT_TRUE(has_first_line) << "page " << p << " y " << op.y;
      }
    }
  }
}

TEST(FlowTest, BulletIsAnEnDashInUtf8) {
  FixedMetrics m;
  Block b;
  b.kind = Block::Kind::kBullet;
  b.spans = {{"item", false}};
  const auto pages = FlowBlocks({b}, m, SmallPage());
  ASSERT_EQ(pages.size(), 1u);
  ASSERT_EQ(pages[0].texts.size(), 2u);
  EXPECT_EQ(pages[0].texts[0].text, "\xE2\x80\x93");  // U+2013 "–"
  EXPECT_EQ(pages[0].texts[1].text, "item");
}

TEST(FlowTest, EmptyInputGivesOnePage) {
  FixedMetrics m;
  EXPECT_EQ(FlowBlocks({}, m, SmallPage()).size(), 1u);
}

}  // namespace
}  // namespace bescheid::letters
