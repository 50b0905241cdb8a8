#include "core/text.h"

#include <cstdio>
#include <vector>

namespace bescheid::core {

char32_t NextMultiByteCodePoint(std::string_view s, size_t* i) {
  const unsigned char c = static_cast<unsigned char>(s[*i]);
  const size_t n = (c & 0xE0) == 0xC0   ? 2
                   : (c & 0xF0) == 0xE0 ? 3
                   : (c & 0xF8) == 0xF0 ? 4
                                        : 0;
  if (n == 0 || *i + n > s.size()) {
    ++*i;
    return kInvalidCodePoint;
  }
  char32_t cp = c & (0x7Fu >> n);
  for (size_t k = 1; k < n; ++k) {
    const unsigned char cc = static_cast<unsigned char>(s[*i + k]);
    if ((cc & 0xC0) != 0x80) {
      ++*i;
      return kInvalidCodePoint;
    }
    cp = (cp << 6) | (cc & 0x3Fu);
  }
  static constexpr char32_t kMin[] = {0, 0, 0x80, 0x800, 0x10000};
  if (cp < kMin[n] || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) {
    ++*i;
    return kInvalidCodePoint;
  }
  *i += n;
  return cp;
}

bool IsValidUtf8(std::string_view s, size_t* bad_offset) {
  for (size_t i = 0; i < s.size();) {
    const size_t start = i;
    if (NextCodePoint(s, &i) == kInvalidCodePoint) {
      if (bad_offset) *bad_offset = start;
      return false;
    }
  }
  return true;
}

size_t CountCodePoints(std::string_view s, size_t bytes) {
  size_t count = 0;
  for (size_t i = 0; i < bytes && i < s.size(); ++i) {
    if ((static_cast<unsigned char>(s[i]) & 0xC0) != 0x80) ++count;
  }
  return count;
}

namespace {

bool IsUnsafeCodePoint(unsigned int cp) {
  return cp < 0x20 || cp == 0x7F || (cp >= 0x80 && cp <= 0x9F) ||
         cp == 0x2028 || cp == 0x2029 || (cp >= 0x202A && cp <= 0x202E) ||
         (cp >= 0x2066 && cp <= 0x2069) || cp == '/';
}

// The safe pieces of `raw`: each a character or an escape.
std::vector<std::string> SafePieces(std::string_view raw) {
  std::vector<std::string> out;
  char buf[16];
  for (size_t i = 0; i < raw.size();) {
    const size_t start = i;
    const char32_t cp = NextCodePoint(raw, &i);
    if (cp == kInvalidCodePoint) {
      std::snprintf(buf, sizeof buf, "\\x%02X",
                    static_cast<unsigned char>(raw[start]));
      out.emplace_back(buf);
      continue;
    }
    if (!IsUnsafeCodePoint(cp)) {
      out.emplace_back(raw.substr(start, i - start));
    } else if (cp < 0x100) {
      std::snprintf(buf, sizeof buf, "\\x%02X", static_cast<unsigned>(cp));
      out.emplace_back(buf);
    } else {
      std::snprintf(buf, sizeof buf, "\\u{%04X}", static_cast<unsigned>(cp));
      out.emplace_back(buf);
    }
  }
  return out;
}

}  // namespace

std::string SafeFileName(std::string_view raw, size_t max_bytes) {
  const std::vector<std::string> pieces = SafePieces(raw);
  std::string all;
  for (const std::string& p : pieces) all += p;
  if (all.empty()) return "unbenannt";
  if (all.size() <= max_bytes) return all;
  // Keep a short extension; shorten the stem piece by piece.
  size_t ext_pieces = 0, ext_bytes = 0;
  for (size_t k = pieces.size(); k-- > 0;) {
    ext_bytes += pieces[k].size();
    ++ext_pieces;
    if (pieces[k] == ".") break;
    if (ext_bytes > 12 || k == 0) {
      ext_pieces = 0;
      ext_bytes = 0;
      break;
    }
  }
  std::string stem;
  const size_t budget = max_bytes - ext_bytes - 1;  // 1 for the "~"
  for (size_t k = 0; k + ext_pieces < pieces.size(); ++k) {
    if (stem.size() + pieces[k].size() > budget) break;
    stem += pieces[k];
  }
  std::string ext;
  for (size_t k = pieces.size() - ext_pieces; k < pieces.size(); ++k) {
    ext += pieces[k];
  }
  return stem + "~" + ext;
}

std::string ReplaceAll(std::string s, std::string_view from,
                       std::string_view to) {
  for (size_t at = 0; (at = s.find(from, at)) != std::string::npos;
       at += to.size()) {
    s.replace(at, from.size(), to);
  }
  return s;
}

std::string JsonQuoted(std::string_view text) {
  std::string out = "\"";
  for (unsigned char c : text) {
    if (c == '"' || c == '\\') {
      out += '\\';
      out += static_cast<char>(c);
    } else if (c == '\n') {
      out += "\\n";
    } else if (c == '\t') {
      out += "\\t";
    } else if (c < 0x20) {
      char buf[8];
      std::snprintf(buf, sizeof buf, "\\u%04x", c);
      out += buf;
    } else {
      out += static_cast<char>(c);
    }
  }
  return out + "\"";
}

}  // namespace bescheid::core
