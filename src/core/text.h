// Text checks that do not depend on any library.
#ifndef BESCHEID_CORE_TEXT_H_
#define BESCHEID_CORE_TEXT_H_

#include <string>
#include <string_view>

namespace bescheid::core {

// True if `s` is well-formed UTF-8 (no overlongs, no surrogates, <= U+10FFFF).
// On failure *bad_offset (if given) receives the offset of the first bad byte.
bool IsValidUtf8(std::string_view s, size_t* bad_offset = nullptr);

// Number of code points in the first `bytes` bytes of valid UTF-8 `s`.
size_t CountCodePoints(std::string_view s, size_t bytes);

}  // namespace bescheid::core

#endif  // BESCHEID_CORE_TEXT_H_
