// Text checks that do not depend on any library.
#ifndef BESCHEID_CORE_TEXT_H_
#define BESCHEID_CORE_TEXT_H_

#include <string>
#include <string_view>

namespace bescheid::core {

// True if `s` is well-formed UTF-8 (no overlongs, no surrogates, <= U+10FFFF).
// On failure *bad_offset (if given) receives the offset of the first bad byte.
bool IsValidUtf8(std::string_view s, size_t* bad_offset = nullptr);

// Sentinel for bytes that are not valid UTF-8.
inline constexpr char32_t kInvalidCodePoint = 0xFFFFFFFF;

// NextCodePoint for a sequence of more than one byte (s[*i] >= 0x80).
char32_t NextMultiByteCodePoint(std::string_view s, size_t* i);

// Decodes the code point at s[*i] and advances *i past it. Invalid or
// truncated sequences, overlongs, surrogates and code points above
// U+10FFFF yield kInvalidCodePoint and advance by one byte (exactly what
// IsValidUtf8 refuses). Precondition: *i < s.size(). Inline for ASCII,
// which most letter text is.
inline char32_t NextCodePoint(std::string_view s, size_t* i) {
  const unsigned char c = static_cast<unsigned char>(s[*i]);
  if (c < 0x80) {
    ++*i;
    return c;
  }
  return NextMultiByteCodePoint(s, i);
}

// Number of code points in the first `bytes` bytes of valid UTF-8 `s`.
size_t CountCodePoints(std::string_view s, size_t bytes);

// A file name that is safe to show, log and reuse as a name: valid UTF-8
// without control characters, line or paragraph separators and bidi
// overrides (each such byte or character is written as "\xNN" or
// "\u{XXXX}"), at most `max_bytes` long (the stem is shortened and marked
// with "~", an extension of up to 12 bytes is kept), never empty ("unbenannt")
// and without '/'. Equal for equal input; different inputs may map to the
// same result, so it is a label, not a key.
std::string SafeFileName(std::string_view raw, size_t max_bytes = 180);

// `s` with every occurrence of `from` (non-empty) replaced by `to`, left to
// right; replaced text is not searched again.
std::string ReplaceAll(std::string s, std::string_view from,
                       std::string_view to);

// `text` (UTF-8) as a JSON string literal with its quotes: '"' and '\\'
// escaped, newline and tab as \n and \t, other control bytes as \u00XX.
std::string JsonQuoted(std::string_view text);

}  // namespace bescheid::core

#endif  // BESCHEID_CORE_TEXT_H_
