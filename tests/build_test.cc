// Checks on how the tests themselves were built.
#include <gtest/gtest.h>

#include <cassert>

namespace bescheid {
namespace {

// The tests rely on assert() to catch broken preconditions (for example
// Result::value() on an error). A build that defines NDEBUG would silently
// skip them, so it must not pass.
TEST(BuildTest, AssertionsAreCompiledIn) {
#ifdef NDEBUG
  FAIL() << "NDEBUG is defined: assert() is compiled out. Build the tests "
            "with CMAKE_BUILD_TYPE=RelWithDebInfo (test.sh does) or Debug.";
#else
  int evaluated = 0;
  assert(++evaluated == 1);
  EXPECT_EQ(evaluated, 1);
#endif
}

}  // namespace
}  // namespace bescheid
