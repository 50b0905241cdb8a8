// A TIFF whose one page cannot be decoded while its headers stay valid:
// the damage the intake finds only when it decodes that page.
#ifndef BESCHEID_TESTS_HOSTILE_TIFF_CUT_H_
#define BESCHEID_TESTS_HOSTILE_TIFF_CUT_H_

#include <cstddef>
#include <cstdint>
#include <string>

namespace bescheid::testing {

// A little-endian TIFF (as Leptonica writes them) with the image data of
// page `page` (0-based) cut to one byte per strip: its header and every
// other page stay valid, its pixels cannot be decoded.
inline std::string WithPageDataCut(std::string tiff, int page) {
  auto u16 = [&](std::size_t at) {
    return static_cast<std::uint32_t>(static_cast<unsigned char>(tiff[at])) |
           static_cast<std::uint32_t>(static_cast<unsigned char>(tiff[at + 1]))
               << 8;
  };
  auto u32 = [&](std::size_t at) { return u16(at) | u16(at + 2) << 16; };
  std::size_t ifd = u32(4);
  for (int i = 0; i < page; ++i) ifd = u32(ifd + 2 + 12 * u16(ifd));
  for (std::uint32_t e = 0; e < u16(ifd); ++e) {
    const std::size_t entry = ifd + 2 + 12 * e;
    if (u16(entry) != 279) continue;  // StripByteCounts
    const std::uint32_t size = u16(entry + 2) == 3 ? 2 : 4;
    const std::uint32_t count = u32(entry + 4);
    const std::size_t values = size * count <= 4 ? entry + 8 : u32(entry + 8);
    for (std::uint32_t v = 0; v < count; ++v) {
      // The value 1, little-endian, in `size` bytes.
      tiff.replace(values + size * v, size, std::string(size, '\0'));
      tiff[values + size * v] = 1;
    }
  }
  return tiff;
}

}  // namespace bescheid::testing

#endif  // BESCHEID_TESTS_HOSTILE_TIFF_CUT_H_
