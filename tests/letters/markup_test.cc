#include "letters/markup.h"

#include <gtest/gtest.h>

namespace bescheid::letters {
namespace {

TEST(MarkupTest, ParsesEveryBlockKind) {
  const auto blocks = ParseMarkup(
      "Betreff: Zuwendungsbescheid\n"
      "\n"
      "Sehr geehrte\n"
      "Damen und Herren,\n"
      "\n"
      "# Bescheid\n"
      "1. Erstens **fett** und\n"
      "   weiter\n"
      "2. Zweitens\n"
      "- Punkt\n"
      "\n"
      "| Nr. | Person | Betrag |\n"
      "|--:|---|--:|\n"
      "| 1 | Jana | 1,00 |\n"
      "| | **Summe** | **1,00** |\n");
  ASSERT_EQ(blocks.size(), 7u);
  EXPECT_EQ(blocks[0].kind, Block::Kind::kSubject);
  EXPECT_EQ(PlainText(blocks[0].spans), "Zuwendungsbescheid");
  EXPECT_EQ(blocks[1].kind, Block::Kind::kParagraph);
  EXPECT_EQ(PlainText(blocks[1].spans), "Sehr geehrte Damen und Herren,");
  EXPECT_EQ(blocks[2].kind, Block::Kind::kHeading);
  EXPECT_EQ(blocks[3].kind, Block::Kind::kNumbered);
  EXPECT_EQ(blocks[3].number, "1.");
  EXPECT_EQ(PlainText(blocks[3].spans), "Erstens fett und weiter");
  ASSERT_EQ(blocks[3].spans.size(), 3u);
  EXPECT_TRUE(blocks[3].spans[1].bold);
  EXPECT_FALSE(blocks[3].spans[2].bold);
  EXPECT_EQ(blocks[4].number, "2.");
  EXPECT_EQ(blocks[5].kind, Block::Kind::kBullet);
  const Table& t = blocks[6].table;
  ASSERT_EQ(t.header.size(), 3u);
  EXPECT_EQ(t.align,
            (std::vector<Align>{Align::kRight, Align::kLeft, Align::kRight}));
  ASSERT_EQ(t.rows.size(), 2u);
  EXPECT_EQ(PlainText(t.rows[0][1]), "Jana");
  EXPECT_TRUE(t.rows[1][1][0].bold);
  EXPECT_TRUE(t.rows[1][0].empty());
}

TEST(MarkupTest, EscapedValuesNeverBecomeMarkup) {
  const std::string evil = "| **x** # - \\ \n1. y";
  const std::string text = "Name: " + EscapeValue(evil) + "\n\n- " +
                           EscapeValue("# keine Überschrift") + "\n";
  const auto blocks = ParseMarkup(text);
  ASSERT_EQ(blocks.size(), 2u);
  EXPECT_EQ(blocks[0].kind, Block::Kind::kParagraph);
  EXPECT_EQ(PlainText(blocks[0].spans), "Name: | **x** # - \\  1. y");
  for (const Span& s : blocks[0].spans) EXPECT_FALSE(s.bold);
  EXPECT_EQ(blocks[1].kind, Block::Kind::kBullet);
  EXPECT_EQ(PlainText(blocks[1].spans), "# keine Überschrift");
}

TEST(MarkupTest, EscapedPipeStaysInItsCell) {
  const auto blocks =
      ParseMarkup("| a | b |\n| " + EscapeValue("x|y") + " | z |\n");
  ASSERT_EQ(blocks.size(), 1u);
  ASSERT_EQ(blocks[0].table.rows.size(), 1u);
  EXPECT_EQ(PlainText(blocks[0].table.rows[0][0]), "x|y");
  EXPECT_EQ(PlainText(blocks[0].table.rows[0][1]), "z");
}

TEST(MarkupTest, BetreffOnlyAtTheTop) {
  const auto blocks = ParseMarkup("Hallo\n\nBetreff: nicht oben\n");
  ASSERT_EQ(blocks.size(), 2u);
  EXPECT_EQ(blocks[1].kind, Block::Kind::kParagraph);
}

TEST(MarkupTest, ShortRowsArePadded) {
  const auto blocks = ParseMarkup("| a | b | c |\n| 1 |\n");
  ASSERT_EQ(blocks[0].table.rows[0].size(), 3u);
}

}  // namespace
}  // namespace bescheid::letters
