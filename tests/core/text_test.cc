#include "core/text.h"

#include <gtest/gtest.h>

namespace bescheid::core {
namespace {

TEST(Utf8Test, AcceptsValid) {
  EXPECT_TRUE(IsValidUtf8(""));
  EXPECT_TRUE(IsValidUtf8("Größler"));
  EXPECT_TRUE(IsValidUtf8("\xEF\xBB\xBF<a/>"));  // BOM
  EXPECT_TRUE(IsValidUtf8("\xF0\x9F\x98\x80"));  // emoji
}

TEST(Utf8Test, RejectsInvalidAndReportsOffset) {
  size_t at = 99;
  EXPECT_FALSE(
      IsValidUtf8("Gr\xF6\xDF"
                  "er",
                  &at));  // Latin-1 "Größer"
  EXPECT_EQ(at, 2u);
  EXPECT_FALSE(IsValidUtf8("\xC0\xAF"));               // overlong '/'
  EXPECT_FALSE(IsValidUtf8("\xED\xA0\x80"));           // surrogate
  EXPECT_FALSE(IsValidUtf8("\xF4\x90\x80\x80"));       // > U+10FFFF
  EXPECT_FALSE(IsValidUtf8("abc\xE2\x82"));            // truncated sequence
  EXPECT_FALSE(IsValidUtf8("\xFF\xFE<\0a", nullptr));  // UTF-16 BOM
}

TEST(Utf8Test, CountsCodePoints) {
  EXPECT_EQ(CountCodePoints("Größe", 7), 5u);
  EXPECT_EQ(CountCodePoints("abc", 2), 2u);
}

}  // namespace
}  // namespace bescheid::core
