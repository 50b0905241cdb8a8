// Fuzzes configuration intake: the input once as a properties file layer
// (config::MergeProperties, the parser LoadLayers uses for files) and once
// line by line as --define key=value layers (config::LoadLayers), each then
// through config::ParseSettings, UnknownKeys and ResolvePaths as start-up does.
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "config/settings.h"

namespace {

void Settle(const bescheid::config::RawConfig& raw) {
  bescheid::config::UnknownKeys(raw);
  auto settings = bescheid::config::ParseSettings(raw);
  if (settings.ok()) bescheid::config::ResolvePaths("/srv/bescheid", *settings);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);

  bescheid::config::RawConfig raw;
  if (bescheid::config::MergeProperties(text, "fuzz.properties", raw).ok()) {
    Settle(raw);
  }

  std::vector<std::string> defines;
  size_t start = 0;
  while (start <= text.size()) {
    size_t end = text.find('\n', start);
    if (end == std::string_view::npos) end = text.size();
    defines.emplace_back(text.substr(start, end - start));
    start = end + 1;
  }
  auto layered = bescheid::config::LoadLayers("/nonexistent/fuzz.properties",
                                              false, {}, defines);
  if (layered.ok()) Settle(*layered);
  return 0;
}
