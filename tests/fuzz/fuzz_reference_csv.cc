// Fuzzes the reference table parser (config/reference/gemeinden.csv), which
// start-up and SIGHUP reload call on the file's bytes.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "core/programme.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const auto table = bescheid::core::ReferenceTable::ParseCsv(
      std::string_view(reinterpret_cast<const char*>(data), size));
  if (table.ok()) {
    // Every line holds at most one municipality.
    size_t lines = 1;
    for (size_t i = 0; i < size; ++i) lines += data[i] == '\n';
    if (table->size() > lines) std::abort();
  } else if (table.status().message().empty()) {
    std::abort();
  }
  return 0;
}
