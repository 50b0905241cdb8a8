// Whether a letter's text can be printed exactly, and the clerk's reason
// when it cannot.
//
// Letters are set glyph by glyph, left to right, without shaping. Text in a
// script that needs shaping or right-to-left layout (Arabic, Hebrew, Syriac,
// Indic scripts, ...), CJK, combining marks, and any character the fonts
// have no glyph for are therefore refused with kInvalidInput and a German
// reason naming the field and the characters, so that the case goes to a
// clerk instead of out with a wrong name. Nothing is ever substituted.
//
// Pure functions; safe to call from several threads.
#ifndef BESCHEID_LETTERS_PRINTABLE_H_
#define BESCHEID_LETTERS_PRINTABLE_H_

#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include "core/application.h"
#include "core/status.h"
#include "core/text.h"
#include "letters/layout.h"

namespace bescheid::letters {

// Letters decode UTF-8 with core's decoder (core/text.h).
using core::kInvalidCodePoint;
using core::NextCodePoint;

// True for code points that are never printed, whatever the font: scripts
// that need shaping or right-to-left layout, combining marks, bidi and
// other invisible format characters, and invalid UTF-8.
bool NeedsShapingOrIsInvisible(char32_t cp);

// What `cp` is, in German, for a clerk: "der arabischen Schrift",
// "der hebräischen Schrift", "der chinesischen, japanischen oder
// koreanischen Schrift", "kombinierende Akzente", ... or "" when there is no
// better name than the code point.
std::string DescribeScript(char32_t cp);

// Checks every text of `pages` (UTF-8) against `can_print` (true when both
// fonts have a glyph for a code point) and NeedsShapingOrIsInvisible. On the
// first character that cannot be printed, returns kInvalidInput with a
// reason such as
//   "Der Name der Person in Stelle 1 („محمد الأحمد“) enthält Zeichen der
//    arabischen Schrift (U+0645 U+062D U+062F …), die im Bescheid nicht
//    korrekt gesetzt werden können; bitte von Hand bearbeiten."
// naming the field of `app` that holds the character ("Der Bescheid" if
// none does, e.g. for a template or the configuration).
Status CheckPrintable(const std::vector<Page>& pages,
                      const core::Application& app,
                      const std::function<bool(char32_t)>& can_print);

}  // namespace bescheid::letters

#endif  // BESCHEID_LETTERS_PRINTABLE_H_
