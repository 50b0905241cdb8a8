#include "letters/cp1252.h"

#include <map>

namespace bescheid::letters {
namespace {

constexpr unsigned kHigh[32] = {
    0x20AC, 0,      0x201A, 0x0192, 0x201E, 0x2026, 0x2020, 0x2021,
    0x02C6, 0x2030, 0x0160, 0x2039, 0x0152, 0,      0x017D, 0,
    0,      0x2018, 0x2019, 0x201C, 0x201D, 0x2022, 0x2013, 0x2014,
    0x02DC, 0x2122, 0x0161, 0x203A, 0x0153, 0,      0x017E, 0x0178};

// Base letters for Latin Extended-A characters that CP1252 lacks, and a
// few spaces and dashes.
const std::map<unsigned, char>& Fallbacks() {
  static const std::map<unsigned, char> m = [] {
    std::map<unsigned, char> f;
    // U+0100..U+017F, one base letter each. Those CP1252 does have (Œ, Š,
    // Ÿ, Ž ...) are matched before this table is consulted.
    const char* latin_ext_a =
        "AaAaAaCcCcCcCcDdDdEeEeEeEeEeGgGgGgGgHhHhIiIiIiIiIiJjJjKkkLlLlLlLlLl"
        "NnNnNnnNnOoOoOoOoRrRrRrSsSsSsSsTtTtTtUuUuUuUuUuUuWwYyYZzZzZzs";
    for (unsigned cp = 0x100; cp <= 0x17F; ++cp) {
      const char c = latin_ext_a[cp - 0x100];
      if (c != '\0') f[cp] = c;
    }
    for (unsigned cp : {0x0218u, 0x021Au}) f[cp] = cp == 0x0218 ? 'S' : 'T';
    for (unsigned cp : {0x0219u, 0x021Bu}) f[cp] = cp == 0x0219 ? 's' : 't';
    for (unsigned cp : {0x2002u, 0x2003u, 0x2009u}) f[cp] = ' ';
    f[0x202F] = '\xA0';  // narrow no-break space
    f[0x2011] = '-';     // non-breaking hyphen
    f[0x2212] = '-';     // minus sign
    return f;
  }();
  return m;
}

}  // namespace

unsigned CodePointOf(unsigned char b) {
  if (b >= 0x80 && b < 0xA0) return kHigh[b - 0x80];
  return b;
}

std::string ToCp1252(std::string_view s, int* substituted) {
  std::string out;
  out.reserve(s.size());
  int subs = 0;
  for (size_t i = 0; i < s.size();) {
    const unsigned char c = static_cast<unsigned char>(s[i]);
    unsigned cp = 0;
    size_t n = 1;
    if (c < 0x80) {
      cp = c;
    } else if ((c & 0xE0) == 0xC0 && i + 1 < s.size()) {
      cp = ((c & 0x1Fu) << 6) | (static_cast<unsigned char>(s[i + 1]) & 0x3Fu);
      n = 2;
    } else if ((c & 0xF0) == 0xE0 && i + 2 < s.size()) {
      cp = ((c & 0x0Fu) << 12) |
           ((static_cast<unsigned char>(s[i + 1]) & 0x3Fu) << 6) |
           (static_cast<unsigned char>(s[i + 2]) & 0x3Fu);
      n = 3;
    } else if ((c & 0xF8) == 0xF0 && i + 3 < s.size()) {
      cp = 0x110000;  // outside the BMP: never in CP1252
      n = 4;
    } else {
      cp = 0x110000;
    }
    i += n;
    if (cp < 0x80 || (cp >= 0xA0 && cp <= 0xFF)) {
      out += static_cast<char>(cp);
      continue;
    }
    bool found = false;
    for (unsigned b = 0; b < 32; ++b) {
      if (kHigh[b] == cp && cp != 0) {
        out += static_cast<char>(0x80 + b);
        found = true;
        break;
      }
    }
    if (found) continue;
    auto it = Fallbacks().find(cp);
    out += it != Fallbacks().end() ? it->second : '?';
    ++subs;
  }
  if (substituted) *substituted += subs;
  return out;
}

}  // namespace bescheid::letters
