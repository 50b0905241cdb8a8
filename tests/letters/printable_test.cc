#include "letters/printable.h"

#include <gtest/gtest.h>

#include "letters/font_subset.h"

namespace bescheid::letters {
namespace {

TEST(PrintableTest, RepertoireCoversLatinGreekCyrillicVietnamese) {
  for (char32_t cp : {U'A', U'ß', U'ş', U'Ł', U'ř', U'ǅ', U'Π', U'ό', U'Ж',
                      U'ї', U'ễ', U'ằ', U'€', U'–', U'„', U'№', U'ʼ'}) {
    EXPECT_TRUE(InLetterRepertoire(cp)) << static_cast<unsigned>(cp);
    EXPECT_FALSE(NeedsShapingOrIsInvisible(cp)) << static_cast<unsigned>(cp);
  }
  for (char32_t cp : {U'\u0645', U'\u05D0', U'\u4E2D', U'\u0301', U'\u200F',
                      U'\U0001F600', U'\u0915'}) {
    EXPECT_FALSE(InLetterRepertoire(cp)) << static_cast<unsigned>(cp);
  }
}

TEST(PrintableTest, ScriptsAreNamedInGerman) {
  EXPECT_EQ(DescribeScript(0x0645), "Zeichen der arabischen Schrift");
  EXPECT_EQ(DescribeScript(0x05D0), "Zeichen der hebräischen Schrift");
  EXPECT_EQ(DescribeScript(0x4E2D),
            "Zeichen der chinesischen, japanischen oder koreanischen Schrift");
  EXPECT_EQ(DescribeScript(0x0301), "kombinierende Akzente");
  EXPECT_EQ(DescribeScript(0x200F), "unsichtbare Steuerzeichen");
  EXPECT_EQ(DescribeScript(0x0915), "Zeichen einer indischen Schrift");
  EXPECT_EQ(DescribeScript(0xE000),
            "Zeichen, die die Schrift des Bescheids nicht enthält");
  EXPECT_TRUE(NeedsShapingOrIsInvisible(0x0645));
  EXPECT_TRUE(NeedsShapingOrIsInvisible(0x05D0));
  EXPECT_FALSE(NeedsShapingOrIsInvisible(0x4E2D));  // refused by the font
  // The edges of the Latin fast path and the controls inside it.
  for (char32_t cp : {0x00, 0x1F, 0x7F, 0x80, 0x9F, 0x300, 0x36F}) {
    EXPECT_TRUE(NeedsShapingOrIsInvisible(cp)) << static_cast<unsigned>(cp);
  }
  for (char32_t cp : {0x20, 0x7E, 0xA0, 0xAD, 0xDF, 0x2FF, 0x370}) {
    EXPECT_FALSE(NeedsShapingOrIsInvisible(cp)) << static_cast<unsigned>(cp);
  }
}

Page PageWith(const std::string& text) {
  Page p;
  p.texts.push_back({0, 0, 10, FontStyle::kRegular, text});
  return p;
}

TEST(PrintableTest, RefusalNamesFieldScriptAndCharacters) {
  core::Application a;
  a.name = "Stadt Tettnang";
  a.positions.resize(2);
  a.positions[1].person = "محمد الأحمد";
  auto latin = [](char32_t cp) { return cp < 0x250; };
  EXPECT_TRUE(CheckPrintable({PageWith("Stadt Tettnang")}, a, latin).ok());
  Status s = CheckPrintable({PageWith("Stelle 2: محمد الأحمد")}, a, latin);
  ASSERT_EQ(s.code(), StatusCode::kInvalidInput);
  EXPECT_EQ(s.message(),
            "Der Name der Person in Stelle 2 („محمد الأحمد“) enthält Zeichen "
            "der arabischen Schrift (U+0645, U+062D, U+062F, U+0627, U+0644, "
            "…), die im Bescheid nicht korrekt gesetzt werden können; bitte "
            "von Hand bearbeiten.");
  // Arabic is refused even by a font that has the glyphs.
  EXPECT_EQ(CheckPrintable({PageWith("محمد")}, a, [](char32_t) { return true; })
                .code(),
            StatusCode::kInvalidInput);
  // Text that is not the application's is "Der Bescheid".
  s = CheckPrintable({PageWith("Vorlage 中")}, a, latin);
  EXPECT_EQ(s.message(),
            "Der Bescheid enthält Zeichen der chinesischen, japanischen oder "
            "koreanischen Schrift (U+4E2D), die im Bescheid nicht korrekt "
            "gesetzt werden können; bitte von Hand bearbeiten.");
  EXPECT_EQ(CheckPrintable({PageWith("Wi\xC5")}, a, latin).code(),
            StatusCode::kInternal);
}

}  // namespace
}  // namespace bescheid::letters
