#include "core/format.h"

#include <cstdio>
#include <cstdlib>

namespace bescheid::core {
namespace {

std::string GroupThousands(int64_t whole, char sep) {
  std::string digits = std::to_string(whole);
  std::string out;
  const int n = static_cast<int>(digits.size());
  for (int i = 0; i < n; ++i) {
    if (i > 0 && (n - i) % 3 == 0) out += sep;
    out += digits[i];
  }
  return out;
}

std::string Cents2(int64_t cents) {
  char buf[4];
  std::snprintf(buf, sizeof buf, "%02d", static_cast<int>(cents % 100));
  return buf;
}

}  // namespace

std::string FormatPlain(Money m) {
  const int64_t c = m.cents();
  const int64_t a = c < 0 ? -c : c;
  return (c < 0 ? "-" : "") + std::to_string(a / 100) + "." + Cents2(a);
}

std::string FormatGermanAmount(Money m) {
  const int64_t c = m.cents();
  const int64_t a = c < 0 ? -c : c;
  return (c < 0 ? "-" : "") + GroupThousands(a / 100, '.') + "," + Cents2(a);
}

std::string FormatEuro(Money m) { return FormatGermanAmount(m) + " EUR"; }

std::string FormatGerman(const Date& d) {
  char buf[16];
  std::snprintf(buf, sizeof buf, "%02d.%02d.%04d", d.day, d.month, d.year);
  return buf;
}

Result<Date> ParseGermanOrIsoDate(std::string_view text) {
  std::string iso(text);
  if (text.size() == 10 && text[2] == '.' && text[5] == '.') {
    iso = std::string(text.substr(6, 4)) + "-" +
          std::string(text.substr(3, 2)) + "-" + std::string(text.substr(0, 2));
  }
  Result<Date> date =
      iso.size() == 10 ? Date::ParseIso(iso) : Result<Date>(InvalidInput(""));
  if (!date.ok()) {
    return InvalidInput("'" + std::string(text) +
                        "' ist kein gültiges Datum (erwartet TT.MM.JJJJ "
                        "oder JJJJ-MM-TT)");
  }
  return date;
}

std::string FormatGerman(const YearMonth& ym) {
  char buf[16];
  std::snprintf(buf, sizeof buf, "%02d/%04d", ym.month, ym.year);
  return buf;
}

std::string FormatHundredths(int h) {
  return std::to_string(h / 100) + "," + Cents2(h);
}

std::string FormatPlainHundredths(int h) {
  return std::to_string(h / 100) + "." + Cents2(h);
}

std::string FormatGerman(Decimal d) {
  int64_t v = d.micros();
  std::string sign = v < 0 ? "-" : "";
  if (v < 0) v = -v;
  std::string out = sign + GroupThousands(v / Decimal::kScale, '.');
  int64_t frac = v % Decimal::kScale;
  if (frac == 0) return out;
  char buf[16];
  std::snprintf(buf, sizeof buf, "%06lld", static_cast<long long>(frac));
  std::string f = buf;
  while (!f.empty() && f.back() == '0') f.pop_back();
  return out + "," + f;
}

std::string FormatIban(std::string_view iban) {
  std::string out;
  for (size_t i = 0; i < iban.size(); ++i) {
    if (i > 0 && i % 4 == 0) out += ' ';
    out += iban[i];
  }
  return out;
}

std::string MaskIban(std::string_view iban) {
  std::string compact;
  for (char c : iban) {
    if (c != ' ') compact += c;
  }
  const size_t shown = compact.size() < 4 ? compact.size() : 4;
  for (size_t i = 0; i + shown < compact.size(); ++i) compact[i] = '*';
  return FormatIban(compact);
}

std::string FormatSpreadsheetAmount(Money m) {
  std::string plain = FormatPlain(m);
  plain[plain.size() - 3] = ',';
  return plain;
}

std::string JoinGerman(const std::vector<std::string>& items) {
  std::string out;
  for (size_t i = 0; i < items.size(); ++i) {
    if (i > 0) out += (i + 1 == items.size()) ? " und " : ", ";
    out += items[i];
  }
  return out;
}

}  // namespace bescheid::core
