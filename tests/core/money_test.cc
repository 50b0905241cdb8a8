#include "core/money.h"

#include <gtest/gtest.h>

#include <limits>
#include <stdexcept>

namespace bescheid::core {
namespace {

TEST(RoundHalfUpTest, RoundsHalvesAwayFromZero) {
  EXPECT_EQ(RoundHalfUp(5, 10), 1);   // 0.5 -> 1 (banker's would give 0)
  EXPECT_EQ(RoundHalfUp(15, 10), 2);  // 1.5 -> 2
  EXPECT_EQ(RoundHalfUp(25, 10), 3);  // 2.5 -> 3 (banker's would give 2)
  EXPECT_EQ(RoundHalfUp(14, 10), 1);
  EXPECT_EQ(RoundHalfUp(16, 10), 2);
  EXPECT_EQ(RoundHalfUp(-25, 10), -3);
  EXPECT_EQ(RoundHalfUp(0, 7), 0);
  EXPECT_EQ(RoundHalfUp(1, 3), 0);
  EXPECT_EQ(RoundHalfUp(2, 3), 1);
}

TEST(RoundHalfUpTest, HandlesProductsBeyondInt64) {
  const Int128 big = static_cast<Int128>(INT64_MAX) * 1000;
  EXPECT_EQ(RoundHalfUp(big + 500, 1000), static_cast<Int128>(INT64_MAX) + 1);
}

TEST(DecimalTest, ParsesXsDecimalForms) {
  EXPECT_EQ(Decimal::Parse("58000.00")->micros(), 58000'000000);
  EXPECT_EQ(Decimal::Parse("796.08")->micros(), 796'080000);
  EXPECT_EQ(Decimal::Parse("0.25")->micros(), 250000);
  EXPECT_EQ(Decimal::Parse(".5")->micros(), 500000);
  EXPECT_EQ(Decimal::Parse("+1")->micros(), 1000000);
  EXPECT_EQ(Decimal::Parse("-2.5")->micros(), -2500000);
  EXPECT_EQ(Decimal::Parse("60")->micros(), 60000000);
  EXPECT_EQ(Decimal::Parse("1.0000000")->micros(), 1000000);  // trailing zeros
  EXPECT_EQ(Decimal::Parse("0.000001")->micros(), 1);
}

TEST(DecimalTest, RejectsEverythingElse) {
  for (const char* bad : {"", ".", "+", "1,5", "1e3", "1.2.3", " 1", "1 ",
                          "0.0000001", "abc", "1.000.000", "9999999999999"}) {
    EXPECT_FALSE(Decimal::Parse(bad).ok()) << bad;
  }
}

TEST(DecimalTest, ToHundredths) {
  EXPECT_EQ(*Decimal::Parse("0.75")->ToHundredths(), 75);
  EXPECT_EQ(*Decimal::Parse("1")->ToHundredths(), 100);
  EXPECT_FALSE(Decimal::Parse("0.755")->ToHundredths().ok());
}

TEST(MoneyTest, ParseMoneyIsExact) {
  EXPECT_EQ(ParseMoney("116000.00")->cents(), 11600000);
  EXPECT_EQ(ParseMoney("0.01")->cents(), 1);
  EXPECT_EQ(ParseMoney("51000")->cents(), 5100000);
  EXPECT_FALSE(ParseMoney("1.005").ok());
  // 0.1 + 0.2 is exactly 0.3 in cents, unlike in binary floating point.
  EXPECT_EQ(*ParseMoney("0.10") + *ParseMoney("0.20"), *ParseMoney("0.30"));
}

TEST(MoneyTest, ToMoneyRoundsHalfUp) {
  EXPECT_EQ(ToMoney(Decimal::FromMicros(1'005000)).cents(), 101);
  EXPECT_EQ(ToMoney(Decimal::FromMicros(1'004999)).cents(), 100);
}

TEST(MoneyTest, WideIntermediatesAreNarrowedOnlyWhenTheyFit) {
  const Int128 max = std::numeric_limits<int64_t>::max();
  EXPECT_EQ(Money::FromWideCents(max).cents(),
            std::numeric_limits<int64_t>::max());
  EXPECT_EQ(Money::FromWideCents(-max - 1).cents(),
            std::numeric_limits<int64_t>::min());
  EXPECT_THROW(Money::FromWideCents(max + 1), std::overflow_error);
  EXPECT_THROW(Money::FromWideCents(-max - 2), std::overflow_error);
}

TEST(MoneyTest, ArithmeticAndOrder) {
  Money a = Money::FromCents(150), b = Money::FromCents(99);
  EXPECT_EQ((a + b).cents(), 249);
  EXPECT_EQ((a - b).cents(), 51);
  EXPECT_TRUE(b < a);
  EXPECT_EQ(Min(a, b), b);
}

}  // namespace
}  // namespace bescheid::core
