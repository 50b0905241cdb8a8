// Fuzzes the scan intake as production calls it: scan::DecodeScan (which
// runs CheckScanHeader first) on the input, with caps small enough that a
// valid file decodes in milliseconds. Any crash, leak, sanitizer report or
// input that takes longer than libFuzzer's -timeout is a finding.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "scan/intake.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  bescheid::scan::ScanLimits limits;
  limits.max_bytes = 1u << 20;
  limits.max_pixels_per_side = 2000;
  limits.max_megapixels = 2;
  limits.max_pages = 4;
  limits.pdf_dpi = 100;
  const std::string_view bytes(reinterpret_cast<const char*>(data), size);
  auto scan = bescheid::scan::DecodeScan(bytes, limits);
  (void)scan;
  return 0;
}
