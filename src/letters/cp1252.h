// UTF-8 to Windows-1252, the encoding of the letters' simple fonts (the
// only single-byte encoding PDF/A-1 accepts for non-symbolic TrueType fonts
// besides MacRoman).
#ifndef BESCHEID_LETTERS_CP1252_H_
#define BESCHEID_LETTERS_CP1252_H_

#include <string>
#include <string_view>

namespace bescheid::letters {

// Converts `utf8` to CP1252. Latin letters with diacritics that CP1252
// lacks (ş, ğ, ı, ł, č, ř, ...) become their base letter; anything else
// becomes '?'. `*substituted` (if given) is increased by the number of
// characters that were not represented exactly. Invalid UTF-8 bytes count
// as substituted.
std::string ToCp1252(std::string_view utf8, int* substituted = nullptr);

// The Unicode code point of CP1252 byte `b` (0 where undefined).
unsigned CodePointOf(unsigned char b);

}  // namespace bescheid::letters

#endif  // BESCHEID_LETTERS_CP1252_H_
