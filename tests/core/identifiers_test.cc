#include "core/identifiers.h"

#include <gtest/gtest.h>

namespace bescheid::core {
namespace {

TEST(IbanTest, AcceptsValidIbans) {
  EXPECT_TRUE(IsValidIban("DE89370400440532013000"));  // ISO/Bundesbank sample
  EXPECT_TRUE(IsValidIban("DE41600501017405502051"));
  EXPECT_TRUE(IsValidIban("GB82WEST12345698765432"));
  EXPECT_TRUE(IsValidIban("AT611904300234573201"));
  EXPECT_TRUE(IsValidIban("FR1420041010050500013M02606"));
}

TEST(IbanTest, RejectsWrongCheckDigits) {
  EXPECT_FALSE(IsValidIban("DE89370400440532013001"));  // last digit changed
  EXPECT_FALSE(IsValidIban("DE41600501017405502052"));
  EXPECT_FALSE(IsValidIban("DE98370400440532013000"));  // check digits swapped
}

TEST(IbanTest, RejectsMalformed) {
  EXPECT_FALSE(IsValidIban(""));
  EXPECT_FALSE(IsValidIban("DE8937040044053201300"));    // German, 21 chars
  EXPECT_FALSE(IsValidIban("DE893704004405320130000"));  // German, 23 chars
  EXPECT_FALSE(IsValidIban("de89370400440532013000"));   // lower case
  EXPECT_FALSE(IsValidIban("DE89 3704 0044 0532 0130 00"));
  EXPECT_FALSE(IsValidIban("D189370400440532013000"));
  EXPECT_FALSE(IsValidIban("DEXX370400440532013000"));
}

TEST(AgsTest, AcceptsBadenWuerttemberg) {
  EXPECT_TRUE(IsValidAgs("08435059"));
  EXPECT_TRUE(IsValidAgs("08111000"));
}

TEST(AgsTest, RejectsOthers) {
  EXPECT_FALSE(IsValidAgs("09162000"));  // Bavaria
  EXPECT_FALSE(IsValidAgs("0843505"));
  EXPECT_FALSE(IsValidAgs("084350590"));
  EXPECT_FALSE(IsValidAgs("08A35059"));
  EXPECT_FALSE(IsValidAgs(""));
}

}  // namespace
}  // namespace bescheid::core
