// Fuzzes the XML intake exactly as the pipeline runs it: one reader (schema
// compiled once), Read() on the raw bytes of a dropped file.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <iostream>
#include <memory>
#include <string_view>

#include "xml/application_reader.h"

namespace {

const bescheid::xml::ApplicationReader& Reader() {
  static const auto* reader = [] {
    auto r = bescheid::xml::ApplicationReader::Create();
    if (!r.ok()) {
      std::cerr << "fuzz_application_xml: " << r.status().message() << "\n";
      std::abort();
    }
    return r->release();
  }();
  return *reader;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const auto result = Reader().Read(
      std::string_view(reinterpret_cast<const char*>(data), size), "fuzz.xml");
  // Either a value or a report; a report always says something.
  if (!result.ok() && result.status().message().empty()) std::abort();
  return 0;
}
