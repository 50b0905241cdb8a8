// Exact money and decimal arithmetic. No floating point anywhere.
//
// Money is a whole number of euro cents. Configured rates and factors are
// Decimals with up to six fraction digits, held as integer millionths.
// Intermediate products use 128-bit integers, so the programme's largest
// sums (50 positions, millions of euros) cannot overflow.
#ifndef BESCHEID_CORE_MONEY_H_
#define BESCHEID_CORE_MONEY_H_

#include <cstdint>
#include <string>
#include <string_view>

#include "core/status.h"

namespace bescheid::core {

__extension__ typedef __int128 Int128;  // GCC and Clang on 64-bit targets

// Rounds num/den to the nearest integer, halves away from zero ("kaufmännisch
// gerundet", which is half up for the non-negative amounts used here).
// Precondition: den > 0.
Int128 RoundHalfUp(Int128 num, Int128 den);

class Money {
 public:
  constexpr Money() = default;
  static constexpr Money FromCents(int64_t cents) { return Money(cents); }
  // The amount of an exact 128-bit intermediate. Throws std::overflow_error
  // when it does not fit 64 bits (impossible for amounts the schema admits;
  // the pipeline turns it into a failure, never a letter).
  static Money FromWideCents(Int128 cents);

  constexpr int64_t cents() const { return cents_; }

  friend constexpr Money operator+(Money a, Money b) {
    return Money(a.cents_ + b.cents_);
  }
  friend constexpr Money operator-(Money a, Money b) {
    return Money(a.cents_ - b.cents_);
  }
  Money& operator+=(Money o) {
    cents_ += o.cents_;
    return *this;
  }
  friend constexpr bool operator==(Money a, Money b) {
    return a.cents_ == b.cents_;
  }
  friend constexpr bool operator!=(Money a, Money b) { return !(a == b); }
  friend constexpr bool operator<(Money a, Money b) {
    return a.cents_ < b.cents_;
  }
  friend constexpr bool operator<=(Money a, Money b) { return !(b < a); }

 private:
  constexpr explicit Money(int64_t cents) : cents_(cents) {}
  int64_t cents_ = 0;
};

constexpr Money Min(Money a, Money b) { return a < b ? a : b; }

// A non-negative or negative decimal number with at most kScaleDigits
// fraction digits, stored exactly as an integer multiple of 10^-6.
class Decimal {
 public:
  static constexpr int kScaleDigits = 6;
  static constexpr int64_t kScale = 1'000'000;

  constexpr Decimal() = default;
  static constexpr Decimal FromMicros(int64_t micros) {
    return Decimal(micros);
  }

  // Parses the lexical form of xs:decimal ("58000.00", "+0.5", ".25", "7").
  // Rejects anything else, including more than six fraction digits,
  // exponents, thousands separators and values beyond +-10^12.
  static Result<Decimal> Parse(std::string_view text);

  constexpr int64_t micros() const { return micros_; }

  // The number of whole hundredths, if the value is an exact multiple of
  // 0.01; otherwise an error. Used for VZÄ ("0.75" -> 75).
  Result<int> ToHundredths() const;

  friend constexpr bool operator==(Decimal a, Decimal b) {
    return a.micros_ == b.micros_;
  }

 private:
  constexpr explicit Decimal(int64_t micros) : micros_(micros) {}
  int64_t micros_ = 0;
};

// Rounds a euro Decimal to cents (half up).
Money ToMoney(Decimal euros);

// Parses an amount with at most two fraction digits ("116000.00") exactly.
Result<Money> ParseMoney(std::string_view text);

}  // namespace bescheid::core

#endif  // BESCHEID_CORE_MONEY_H_
