#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "scan/ocr.h"

namespace bescheid::scan {
namespace {

// "498" as the model once read it on a mild 300-dpi scan: "4938", the "3"
// boxed inside the "8".
TEST(DigitReadTwiceTest, ADigitInsideItsNeighboursBoxIsSuspect) {
  const std::vector<GlyphBox> read = {{"4", 1157, 1398, 1179, 1429},
                                      {"9", 1185, 1398, 1206, 1430},
                                      {"3", 1212, 1398, 1221, 1430},
                                      {"8", 1211, 1398, 1232, 1430}};
  const std::string why = DigitReadTwice(read);
  EXPECT_NE(why.find("'3' und '8'"), std::string::npos) << why;
}

TEST(DigitReadTwiceTest, DigitsSideBySideAndLettersAreNot) {
  // The same line read right.
  EXPECT_EQ(DigitReadTwice({{"4", 1157, 1398, 1179, 1429},
                            {"9", 1185, 1398, 1206, 1430},
                            {"8", 1211, 1398, 1232, 1430}}),
            "");
  // Touching or slightly overlapping digits (kerning, a bold face).
  EXPECT_EQ(DigitReadTwice({{"1", 100, 10, 120, 40}, {"7", 118, 10, 140, 40}}),
            "");
  // Half the narrower width exactly is still two digits.
  EXPECT_EQ(DigitReadTwice({{"1", 100, 10, 120, 40}, {"7", 110, 10, 140, 40}}),
            "");
  // The model's boxes of "m" and "e" overlap this much in words it read
  // right ("Gemeinde"): letters are not checked.
  EXPECT_EQ(
      DigitReadTwice({{"m", 309, 936, 333, 969}, {"e", 315, 945, 349, 968}}),
      "");
  // A digit over another one's columns but on another line (a mark
  // above) is not one read twice.
  EXPECT_EQ(DigitReadTwice({{"1", 100, 10, 120, 40}, {"2", 102, 50, 118, 80}}),
            "");
  EXPECT_EQ(DigitReadTwice({}), "");
  EXPECT_EQ(DigitReadTwice({{"5", 0, 0, 0, 0}, {"5", 0, 0, 0, 0}}), "");
}

}  // namespace
}  // namespace bescheid::scan
