#include "letters/cp1252.h"

#include <gtest/gtest.h>

namespace bescheid::letters {
namespace {

TEST(Cp1252Test, GermanTextIsExact) {
  int subs = 0;
  EXPECT_EQ(ToCp1252("Größe Äpfel Übung ß § €", &subs),
            "Gr\xF6\xDF"
            "e \xC4pfel \xDC"
            "bung \xDF \xA7 \x80");
  EXPECT_EQ(subs, 0);
  EXPECT_EQ(ToCp1252("„Zitat“ – Ende…"), "\x84Zitat\x93 \x96 Ende\x85");
  EXPECT_EQ(ToCp1252("Š š Ž ž Œ Ÿ"), "\x8A \x9A \x8E \x9E \x8C \x9F");
}

TEST(Cp1252Test, OtherLatinLettersFallBackToBaseLetters) {
  int subs = 0;
  EXPECT_EQ(ToCp1252("Ayşe Şahin Doğan Yılmaz Łukasz Dvořák", &subs),
            "Ayse Sahin Dogan Yilmaz Lukasz Dvor\xE1k");
  EXPECT_EQ(subs, 6);
}

TEST(Cp1252Test, EverythingElseIsAQuestionMark) {
  int subs = 0;
  EXPECT_EQ(ToCp1252("محمد Иван 😀", &subs), "???? ???? ?");
  EXPECT_EQ(subs, 9);
  EXPECT_EQ(ToCp1252("\xFF"), "?");
}

TEST(Cp1252Test, CodePoints) {
  EXPECT_EQ(CodePointOf('A'), 0x41u);
  EXPECT_EQ(CodePointOf(0x80), 0x20ACu);
  EXPECT_EQ(CodePointOf(0x96), 0x2013u);
  EXPECT_EQ(CodePointOf(0x81), 0u);
  EXPECT_EQ(CodePointOf(0xE4), 0xE4u);
}

}  // namespace
}  // namespace bescheid::letters
