// Cuts TrueType fonts down to the characters a letter may contain, with
// HarfBuzz's subsetter (libharfbuzz-subset).
//
// The letters' repertoire is Latin (Basic, Latin-1, Extended-A/B and
// Extended Additional, which holds Vietnamese), Greek, Cyrillic, spacing
// modifier letters and the punctuation, currency, letter-like, number-form,
// arrow and a few mathematical symbols. Each of these is set glyph by glyph
// from left to right, with no shaping. Scripts that need shaping or
// right-to-left layout (Arabic, Hebrew, Indic, ...), CJK, combining marks
// and invisible format characters are deliberately outside it: a letter
// containing them is refused (see letters/printable.h), never set wrongly.
//
// scripts/make-fonts.sh reads the repertoire's ranges from font_subset.cc
// (between the "BEGIN/END LETTER REPERTOIRE" markers) to cut the committed
// fonts in fonts/, so the ranges live in one place.
//
// Pure functions of their arguments; safe to call from several threads.
#ifndef BESCHEID_LETTERS_FONT_SUBSET_H_
#define BESCHEID_LETTERS_FONT_SUBSET_H_

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "core/status.h"

namespace bescheid::letters {

struct CodePointRange {
  char32_t first = 0;
  char32_t last = 0;  // inclusive
};

// The code point ranges a letter may contain, ascending, not overlapping.
const std::vector<CodePointRange>& LetterRepertoire();

// True if `cp` lies in LetterRepertoire().
bool InLetterRepertoire(char32_t cp);

// A font cut down to a set of code points.
struct FontSubset {
  std::string ttf;                    // a complete TrueType font program
  std::vector<char32_t> code_points;  // what its cmap maps, ascending
  // Advance width of each of code_points in 1/1000 em, truncated as
  // libharu truncates them for the PDF's /W array.
  std::vector<uint16_t> widths;
};

// Subsets the TrueType font `ttf` (the bytes of a .ttf file) to the code
// points in `keep` that it has glyphs for, without hinting instructions and
// OpenType layout tables (nothing here shapes text). `name` (the file name)
// is only used in error messages. Fails with kConfig when the bytes are not
// a font HarfBuzz can read or subset, or it maps none of `keep`.
Result<FontSubset> SubsetFont(std::string_view ttf,
                              const std::vector<CodePointRange>& keep,
                              const std::string& name);

// SubsetFont(ttf, LetterRepertoire(), name).
Result<FontSubset> SubsetToRepertoire(std::string_view ttf,
                                      const std::string& name);

}  // namespace bescheid::letters

#endif  // BESCHEID_LETTERS_FONT_SUBSET_H_
