#include "letters/printable.h"

#include <algorithm>
#include <cstdio>
#include <utility>

namespace bescheid::letters {
namespace {

struct ScriptRange {
  char32_t first, last;
  const char* what;  // completes "… enthält <what>"
};

constexpr char kRtl[] = "Zeichen einer rechtsläufigen Schrift";
constexpr char kIndic[] = "Zeichen einer indischen Schrift";
constexpr char kCjk[] =
    "Zeichen der chinesischen, japanischen oder koreanischen Schrift";
constexpr char kCombining[] = "kombinierende Akzente";
constexpr char kFormat[] = "unsichtbare Steuerzeichen";

// Ascending. The first group are scripts that need shaping or
// right-to-left layout, combining marks and invisible characters: never
// printed (NeedsShapingOrIsInvisible). kNamedOnly marks where the second
// group begins: scripts merely missing from the fonts, named for the clerk.
constexpr ScriptRange kRefused[] = {
    {0x0000, 0x001F, "Steuerzeichen"},
    {0x007F, 0x009F, "Steuerzeichen"},
    {0x0300, 0x036F, kCombining},
    {0x0483, 0x0489, kCombining},
    {0x0590, 0x05FF, "Zeichen der hebräischen Schrift"},
    {0x0600, 0x06FF, "Zeichen der arabischen Schrift"},
    {0x0700, 0x074F, "Zeichen der syrischen Schrift"},
    {0x0750, 0x077F, "Zeichen der arabischen Schrift"},
    {0x0780, 0x086F, kRtl},
    {0x0870, 0x08FF, "Zeichen der arabischen Schrift"},
    {0x0900, 0x0DFF, kIndic},
    {0x0E00, 0x0E7F, "Zeichen der thailändischen Schrift"},
    {0x0E80, 0x0FFF, "Zeichen einer südostasiatischen Schrift"},
    {0x1000, 0x109F, "Zeichen der birmanischen Schrift"},
    {0x1780, 0x18AF, "Zeichen einer südostasiatischen Schrift"},
    {0x1AB0, 0x1AFF, kCombining},
    {0x1DC0, 0x1DFF, kCombining},
    {0x200B, 0x200F, kFormat},
    {0x2028, 0x202E, kFormat},
    {0x2060, 0x206F, kFormat},
    {0x20D0, 0x20FF, kCombining},
    {0xFB1D, 0xFB4F, "Zeichen der hebräischen Schrift"},
    {0xFB50, 0xFDFF, "Zeichen der arabischen Schrift"},
    {0xFE00, 0xFE0F, kFormat},  // variation selectors
    {0xFE20, 0xFE2F, kCombining},
    {0xFE70, 0xFEFF, "Zeichen der arabischen Schrift"},  // and U+FEFF
    {0xFFF9, 0xFFFB, kFormat},
    {0x10800, 0x10FFF, kRtl},
    {0xE0000, 0xE0FFF, kFormat},
};
constexpr ScriptRange kNamedOnly[] = {
    {0x1100, 0x11FF, kCjk},   {0x2E80, 0x2FDF, kCjk},
    {0x3000, 0x9FFF, kCjk},   {0xA960, 0xA97F, kCjk},
    {0xAC00, 0xD7FF, kCjk},   {0xF900, 0xFAFF, kCjk},
    {0xFF00, 0xFFEF, kCjk},   {0x1F000, 0x1FAFF, "Bildzeichen (Emoji)"},
    {0x20000, 0x3FFFF, kCjk},
};

template <size_t N>
const ScriptRange* Find(const ScriptRange (&table)[N], char32_t cp) {
  const ScriptRange* it = std::upper_bound(
      table, table + N, cp,
      [](char32_t c, const ScriptRange& r) { return c < r.first; });
  if (it == table) return nullptr;
  --it;
  return cp <= it->last ? it : nullptr;
}

std::string CodeOf(char32_t cp) {
  char buf[16];
  std::snprintf(buf, sizeof buf, "U+%04X", static_cast<unsigned>(cp));
  return buf;
}

// The fields of an application a letter may print, with German labels.
std::vector<std::pair<std::string, const std::string*>> Fields(
    const core::Application& a) {
  std::vector<std::pair<std::string, const std::string*>> f = {
      {"Der Name des Antragstellers", &a.name},
      {"Der Empfänger der Anschrift", &a.address.recipient},
      {"Die Straße der Anschrift", &a.address.street},
      {"Die Postleitzahl der Anschrift", &a.address.postcode},
      {"Der Ort der Anschrift", &a.address.city},
      {"Der Name der Ansprechperson", &a.contact.name},
      {"Der Kontoinhaber", &a.bank.holder},
      {"Der Name des Unterzeichners", &a.signature.name},
      {"Die Funktion des Unterzeichners", &a.signature.function},
      {"Der Ort der Unterschrift", &a.signature.place},
  };
  for (size_t i = 0; i < a.members.size(); ++i) {
    f.push_back({"Der Name des Mitglieds " + std::to_string(i + 1),
                 &a.members[i].name});
  }
  for (size_t i = 0; i < a.positions.size(); ++i) {
    const std::string n = std::to_string(i + 1);
    f.push_back({"Der Name der Person in Stelle " + n, &a.positions[i].person});
    if (a.positions[i].provider) {
      f.push_back({"Der Träger in Stelle " + n, &*a.positions[i].provider});
    }
  }
  return f;
}

bool Contains(std::string_view s, char32_t wanted) {
  for (size_t i = 0; i < s.size();) {
    if (NextCodePoint(s, &i) == wanted) return true;
  }
  return false;
}

// Up to five distinct code points of `s` that cannot be printed.
std::string UnprintableCodes(std::string_view s,
                             const std::function<bool(char32_t)>& can_print) {
  std::vector<char32_t> seen;
  bool more = false;
  for (size_t i = 0; i < s.size();) {
    const char32_t cp = NextCodePoint(s, &i);
    if (!NeedsShapingOrIsInvisible(cp) && can_print(cp)) continue;
    if (std::find(seen.begin(), seen.end(), cp) != seen.end()) continue;
    if (seen.size() == 5) {
      more = true;
      break;
    }
    seen.push_back(cp);
  }
  std::string out;
  for (char32_t cp : seen) {
    if (!out.empty()) out += ", ";
    out += cp == kInvalidCodePoint ? "ungültiges Byte" : CodeOf(cp);
  }
  if (more) out += ", …";
  return out;
}

}  // namespace

bool NeedsShapingOrIsInvisible(char32_t cp) {
  // Most letters are Latin: U+0020..U+02FF holds no refused range but the
  // C1 controls (asked for every character of every letter, twice).
  if (cp >= 0x20 && cp < 0x300 && !(cp >= 0x7F && cp <= 0x9F)) return false;
  return cp == kInvalidCodePoint || Find(kRefused, cp) != nullptr;
}

std::string DescribeScript(char32_t cp) {
  if (cp == kInvalidCodePoint) return "ungültige UTF-8-Bytes";
  if (const ScriptRange* r = Find(kRefused, cp)) return r->what;
  if (const ScriptRange* r = Find(kNamedOnly, cp)) return r->what;
  return "Zeichen, die die Schrift des Bescheids nicht enthält";
}

Status CheckPrintable(const std::vector<Page>& pages,
                      const core::Application& app,
                      const std::function<bool(char32_t)>& can_print) {
  // The answer for ASCII, asked once: most of a letter's characters.
  bool ascii_ok[0x80];
  for (char32_t cp = 0; cp < 0x80; ++cp) {
    ascii_ok[cp] = !NeedsShapingOrIsInvisible(cp) && can_print(cp);
  }
  for (const Page& page : pages) {
    for (const TextOp& t : page.texts) {
      for (size_t i = 0; i < t.text.size();) {
        const char32_t cp = NextCodePoint(t.text, &i);
        if (cp < 0x80 ? ascii_ok[cp]
                      : !NeedsShapingOrIsInvisible(cp) && can_print(cp)) {
          continue;
        }
        if (cp == kInvalidCodePoint) {
          return InternalError("letter text is not valid UTF-8: '" + t.text +
                               "'");
        }
        // Name the field the character came from, if it is the data's.
        std::string label = "Der Bescheid";
        std::string_view value = t.text;
        for (const auto& [l, v] : Fields(app)) {
          if (Contains(*v, cp)) {
            label = l;
            value = *v;
            break;
          }
        }
        std::string where = label;
        if (label != "Der Bescheid") {
          where += " (\xE2\x80\x9E" + std::string(value) + "\xE2\x80\x9C)";
        }
        return InvalidInput(where + " enthält " + DescribeScript(cp) + " (" +
                            UnprintableCodes(value, can_print) +
                            "), die im Bescheid nicht korrekt gesetzt werden "
                            "können; bitte von Hand bearbeiten.");
      }
    }
  }
  return Status::Ok();
}

}  // namespace bescheid::letters
