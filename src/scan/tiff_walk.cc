#include "scan/tiff_walk.h"

#include <cstdint>
#include <set>
#include <vector>

#include "scan/intake_reasons.h"

namespace bescheid::scan {
namespace {

constexpr char kKind[] = "TIFF-Bild";
constexpr std::uint16_t kStripOffsets = 273;
constexpr std::uint16_t kStripByteCounts = 279;
constexpr std::uint16_t kTileOffsets = 324;
constexpr std::uint16_t kTileByteCounts = 325;
constexpr std::uint16_t kShort = 3;
constexpr std::uint16_t kLong = 4;

class Reader {
 public:
  Reader(std::string_view bytes, bool big_endian)
      : bytes_(bytes), big_(big_endian) {}

  bool Has(std::uint64_t at, std::uint64_t n) const {
    return at <= bytes_.size() && n <= bytes_.size() - at;
  }
  // Precondition: Has(at, 2) / Has(at, 4).
  std::uint32_t U16(std::uint64_t at) const { return Get(at, 2); }
  std::uint32_t U32(std::uint64_t at) const { return Get(at, 4); }
  std::uint64_t size() const { return bytes_.size(); }

 private:
  std::uint32_t Get(std::uint64_t at, int n) const {
    std::uint32_t v = 0;
    for (int i = 0; i < n; ++i) {
      const auto b =
          static_cast<unsigned char>(bytes_[at + (big_ ? i : n - 1 - i)]);
      v = (v << 8) | b;
    }
    return v;
  }
  std::string_view bytes_;
  bool big_;
};

struct Field {
  std::uint16_t type = 0;
  std::uint32_t count = 0;
  std::uint64_t values_at = 0;  // where the values lie in the file
};

// The values of `f` (SHORT or LONG), or false if they lie outside the file.
bool Values(const Reader& r, const Field& f, std::vector<std::uint32_t>& out) {
  const std::uint64_t size = f.type == kShort ? 2 : 4;
  if ((f.type != kShort && f.type != kLong) ||
      !r.Has(f.values_at, size * f.count)) {
    return false;
  }
  out.clear();
  for (std::uint32_t i = 0; i < f.count; ++i) {
    const std::uint64_t at = f.values_at + i * size;
    out.push_back(f.type == kShort ? r.U16(at) : r.U32(at));
  }
  return true;
}

// Whether every strip or tile of the directory at `ifd` lies in the file.
bool DataInside(const Reader& r, std::uint64_t ifd, std::uint32_t entries) {
  Field offsets, counts;
  for (std::uint32_t i = 0; i < entries; ++i) {
    const std::uint64_t e = ifd + 2 + 12 * std::uint64_t{i};
    Field f{static_cast<std::uint16_t>(r.U16(e + 2)), r.U32(e + 4), e + 8};
    const std::uint64_t bytes =
        (f.type == kShort ? 2u : 4u) * std::uint64_t{f.count};
    if (bytes > 4) f.values_at = r.U32(e + 8);
    const std::uint32_t tag = r.U16(e);
    if (tag == kStripOffsets || tag == kTileOffsets) offsets = f;
    if (tag == kStripByteCounts || tag == kTileByteCounts) counts = f;
  }
  std::vector<std::uint32_t> at, n;
  if (offsets.count == 0 || offsets.count != counts.count ||
      !Values(r, offsets, at) || !Values(r, counts, n)) {
    return false;
  }
  for (std::size_t i = 0; i < at.size(); ++i) {
    if (!r.Has(at[i], n[i])) return false;
  }
  return true;
}

}  // namespace

Result<int> WalkTiff(std::string_view bytes, int max_pages) {
  if (bytes.size() < 8 || (bytes[0] != bytes[1]) ||
      (bytes[0] != 'I' && bytes[0] != 'M')) {
    return reasons::BrokenHeader(kKind);
  }
  const Reader r(bytes, bytes[0] == 'M');
  if (r.U16(2) != 42) return reasons::BrokenHeader(kKind);
  std::set<std::uint64_t> seen;
  int pages = 0;
  for (std::uint64_t ifd = r.U32(4); ifd != 0;) {
    if (pages == max_pages) return reasons::MoreThanPages(kKind, max_pages);
    if (!seen.insert(ifd).second || !r.Has(ifd, 2)) {
      return reasons::BrokenHeader(kKind);
    }
    const std::uint32_t entries = r.U16(ifd);
    const std::uint64_t next_at = ifd + 2 + 12 * std::uint64_t{entries};
    if (entries == 0 || !r.Has(ifd, next_at - ifd + 4) ||
        !DataInside(r, ifd, entries)) {
      return reasons::BrokenHeader(kKind);
    }
    ++pages;
    ifd = r.U32(next_at);
  }
  if (pages == 0) return reasons::NoPages(kKind);
  return pages;
}

}  // namespace bescheid::scan
