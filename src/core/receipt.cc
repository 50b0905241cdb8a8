#include "core/receipt.h"

namespace bescheid::core {

std::string_view ToString(ReceiptDateSource source) {
  switch (source) {
    case ReceiptDateSource::kFileName:
      return "dateiname";
    case ReceiptDateSource::kModificationTime:
      return "aenderungszeit";
    case ReceiptDateSource::kApplication:
      return "antrag";
  }
  return "dateiname";
}

std::optional<Date> ReceiptDateFromFileName(std::string_view name) {
  const std::size_t slash = name.find_last_of('/');
  if (slash != std::string_view::npos) name.remove_prefix(slash + 1);
  constexpr std::string_view kShape = "dddd-dd-dd_";
  if (name.size() < kShape.size()) return std::nullopt;
  for (std::size_t i = 0; i < kShape.size(); ++i) {
    const char c = name[i];
    const bool ok = kShape[i] == 'd' ? (c >= '0' && c <= '9') : c == kShape[i];
    if (!ok) return std::nullopt;
  }
  Result<Date> date = Date::ParseIso(name.substr(0, 10));
  if (!date.ok()) return std::nullopt;
  return *date;
}

ReceiptDate ScanReceiptDate(std::string_view name, Date modification_date) {
  if (std::optional<Date> named = ReceiptDateFromFileName(name)) {
    return ReceiptDate{*named, ReceiptDateSource::kFileName};
  }
  return ReceiptDate{modification_date, ReceiptDateSource::kModificationTime};
}

}  // namespace bescheid::core
