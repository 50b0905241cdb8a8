#include "core/text.h"

#include <gtest/gtest.h>

#include <vector>

namespace bescheid::core {
namespace {

TEST(Utf8Test, AcceptsValid) {
  EXPECT_TRUE(IsValidUtf8(""));
  EXPECT_TRUE(IsValidUtf8("Größler"));
  EXPECT_TRUE(IsValidUtf8("\xEF\xBB\xBF<a/>"));  // BOM
  EXPECT_TRUE(IsValidUtf8("\xF0\x9F\x98\x80"));  // emoji
}

TEST(Utf8Test, RejectsInvalidAndReportsOffset) {
  size_t at = 99;
  EXPECT_FALSE(
      IsValidUtf8("Gr\xF6\xDF"
                  "er",
                  &at));  // Latin-1 "Größer"
  EXPECT_EQ(at, 2u);
  EXPECT_FALSE(IsValidUtf8("\xC0\xAF"));               // overlong '/'
  EXPECT_FALSE(IsValidUtf8("\xED\xA0\x80"));           // surrogate
  EXPECT_FALSE(IsValidUtf8("\xF4\x90\x80\x80"));       // > U+10FFFF
  EXPECT_FALSE(IsValidUtf8("abc\xE2\x82"));            // truncated sequence
  EXPECT_FALSE(IsValidUtf8("\xFF\xFE<\0a", nullptr));  // UTF-16 BOM
}

std::vector<char32_t> Decode(std::string_view s) {
  std::vector<char32_t> out;
  for (size_t i = 0; i < s.size();) out.push_back(NextCodePoint(s, &i));
  return out;
}

TEST(Utf8Test, DecodesCodePointsAndMarksInvalidBytesOneByOne) {
  EXPECT_EQ(Decode("Aß€\xF0\x9F\x98\x80"),
            (std::vector<char32_t>{0x41, 0xDF, 0x20AC, 0x1F600}));
  EXPECT_EQ(Decode("\x96"), (std::vector<char32_t>{kInvalidCodePoint}));
  EXPECT_EQ(Decode("\xC5"), (std::vector<char32_t>{kInvalidCodePoint}));
  EXPECT_EQ(Decode("\xC0\xAF"),  // overlong '/'
            (std::vector<char32_t>{kInvalidCodePoint, kInvalidCodePoint}));
  EXPECT_EQ(Decode("\xED\xA0\x80").front(), kInvalidCodePoint);  // surrogate
  EXPECT_EQ(Decode("\xF4\x90\x80\x80").front(), kInvalidCodePoint);  // > 10FFFF
  EXPECT_EQ(Decode("a\xE2\x82"),  // truncated: each byte on its own
            (std::vector<char32_t>{'a', kInvalidCodePoint, kInvalidCodePoint}));
}

TEST(Utf8Test, CountsCodePoints) {
  EXPECT_EQ(CountCodePoints("Größe", 7), 5u);
  EXPECT_EQ(CountCodePoints("abc", 2), 2u);
}

TEST(SafeFileNameTest, KeepsOrdinaryNamesAsTheyAre) {
  EXPECT_EQ(SafeFileName("Antrag Tettnang (2).xml"), "Antrag Tettnang (2).xml");
  EXPECT_EQ(SafeFileName("Größler_Ayşe_Łódź.pdf"), "Größler_Ayşe_Łódź.pdf");
  EXPECT_EQ(SafeFileName(""), "unbenannt");
}

TEST(SafeFileNameTest, EscapesInvalidBytesAndControls) {
  EXPECT_EQ(SafeFileName("\xFF\xFE-antrag.xml"), "\\xFF\\xFE-antrag.xml");
  EXPECT_EQ(SafeFileName("x\noutcome=decided.xml"),
            "x\\x0Aoutcome=decided.xml");
  EXPECT_EQ(SafeFileName("a\tb\x7F"), "a\\x09b\\x7F");
  EXPECT_EQ(SafeFileName("rechts\xE2\x80\xAE"
                         "fdp.xml"),  // U+202E override
            "rechts\\u{202E}fdp.xml");
  EXPECT_EQ(SafeFileName("\xC2\x85"), "\\x85");  // C1 next line
  EXPECT_TRUE(IsValidUtf8(SafeFileName("\xC3(\xA0\xED\xA0\x80")));
}

TEST(SafeFileNameTest, ShortensLongNamesAndKeepsTheExtension) {
  const std::string name = std::string(250, 'a') + ".xml";
  const std::string safe = SafeFileName(name);
  EXPECT_EQ(safe.size(), 180u);
  EXPECT_EQ(safe.substr(safe.size() - 5), "~.xml");
  // Never cut inside a character or an escape.
  const std::string umlauts = SafeFileName(std::string(200, 'x') + "ü", 181);
  EXPECT_TRUE(IsValidUtf8(umlauts));
  const std::string escapes = SafeFileName(std::string(100, '\n'), 30);
  EXPECT_LE(escapes.size(), 30u);
  EXPECT_EQ(escapes, std::string("\\x0A\\x0A\\x0A\\x0A\\x0A\\x0A\\x0A~"));
  // No usable extension: the end is cut.
  EXPECT_EQ(SafeFileName(std::string(40, 'b'), 10), "bbbbbbbbb~");
}

TEST(ReplaceAllTest, ReplacesEveryOccurrenceOnceLeftToRight) {
  EXPECT_EQ(ReplaceAll("position[i].fte", "[i]", "[7]"), "position[7].fte");
  EXPECT_EQ(ReplaceAll("Seite {n} von {m}, {n}", "{n}", "2"),
            "Seite 2 von {m}, 2");
  EXPECT_EQ(ReplaceAll("aaa", "a", "aa"), "aaaaaa");
  EXPECT_EQ(ReplaceAll("abc", "x", "y"), "abc");
  EXPECT_EQ(ReplaceAll("", "x", "y"), "");
}

TEST(JsonQuotedTest, EscapesQuotesBackslashesAndControls) {
  EXPECT_EQ(JsonQuoted("Ayşe \"A\\B\""), "\"Ayşe \\\"A\\\\B\\\"\"");
  EXPECT_EQ(JsonQuoted("a\nb\tc\x01"), "\"a\\nb\\tc\\u0001\"");
  EXPECT_EQ(JsonQuoted(""), "\"\"");
}

}  // namespace
}  // namespace bescheid::core
