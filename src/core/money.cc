#include "core/money.h"

#include <cctype>
#include <limits>
#include <stdexcept>

namespace bescheid::core {

Int128 RoundHalfUp(Int128 num, Int128 den) {
  assert(den > 0);
  if (num >= 0) return (2 * num + den) / (2 * den);
  return -((2 * -num + den) / (2 * den));
}

Money Money::FromWideCents(Int128 cents) {
  if (cents > std::numeric_limits<int64_t>::max() ||
      cents < std::numeric_limits<int64_t>::min()) {
    throw std::overflow_error("money amount exceeds 64 bits");
  }
  return Money(static_cast<int64_t>(cents));
}

Result<Decimal> Decimal::Parse(std::string_view text) {
  auto fail = [&] {
    return InvalidInput("'" + std::string(text) + "' ist keine Dezimalzahl");
  };
  size_t i = 0;
  bool negative = false;
  if (i < text.size() && (text[i] == '+' || text[i] == '-')) {
    negative = text[i] == '-';
    ++i;
  }
  const size_t whole_start = i;
  int64_t whole = 0;
  int whole_digits = 0;
  while (i < text.size() && std::isdigit(static_cast<unsigned char>(text[i]))) {
    if (whole_digits >= 12) return fail();
    whole = whole * 10 + (text[i] - '0');
    if (whole != 0) ++whole_digits;
    ++i;
  }
  const bool had_whole = i > whole_start;
  int64_t frac = 0;
  int frac_digits = 0;
  if (i < text.size() && text[i] == '.') {
    ++i;
    while (i < text.size() &&
           std::isdigit(static_cast<unsigned char>(text[i]))) {
      if (frac_digits == kScaleDigits) {
        if (text[i] != '0') return fail();  // more precision than we hold
      } else {
        frac = frac * 10 + (text[i] - '0');
        ++frac_digits;
      }
      ++i;
    }
    if (!had_whole && frac_digits == 0) return fail();
  } else if (!had_whole) {
    return fail();
  }
  if (i != text.size()) return fail();
  for (int d = frac_digits; d < kScaleDigits; ++d) frac *= 10;
  int64_t micros = whole * kScale + frac;
  return Decimal(negative ? -micros : micros);
}

Result<int> Decimal::ToHundredths() const {
  if (micros_ % (kScale / 100) != 0) {
    return InvalidInput("mehr als zwei Nachkommastellen");
  }
  return static_cast<int>(micros_ / (kScale / 100));
}

Money ToMoney(Decimal euros) {
  return Money::FromWideCents(
      RoundHalfUp(euros.micros(), Decimal::kScale / 100));
}

Result<Money> ParseMoney(std::string_view text) {
  Result<Decimal> d = Decimal::Parse(text);
  if (!d.ok()) return d.status();
  if (d->micros() % (Decimal::kScale / 100) != 0) {
    return InvalidInput("Betrag '" + std::string(text) +
                        "' hat mehr als zwei Nachkommastellen");
  }
  return Money::FromCents(d->micros() / (Decimal::kScale / 100));
}

}  // namespace bescheid::core
