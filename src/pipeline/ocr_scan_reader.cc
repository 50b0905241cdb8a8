#include "pipeline/ocr_scan_reader.h"

namespace bescheid::pipeline {

Result<std::unique_ptr<ScanReader>> OcrScanReader::Create(
    const config::Settings& settings, const forms::FormLayout* layout) {
  scan::ReadOptions options;
  options.min_confidence =
      static_cast<double>(settings.scan.min_confidence.micros()) / 1e6;
  options.page_timeout_ms = settings.scan.limits.page_timeout_seconds * 1000;
  return std::unique_ptr<ScanReader>(
      new OcrScanReader(settings.scan.tessdata, layout, options));
}

Result<scan::ScanReading> OcrScanReader::Read(const scan::Pages& pages) {
  if (!ocr_) {
    Result<std::unique_ptr<scan::OcrEngine>> ocr =
        scan::OcrEngine::Create(tessdata_);
    if (!ocr.ok()) return ocr.status();
    ocr_ = std::move(ocr).value();
  }
  return scan::ReadScan(pages, *layout_, *ocr_, options_);
}

Result<forms::FormLayout> LoadFormLayout(const config::Settings& settings,
                                         Env* env) {
  Result<std::string> text = env->ReadFile(settings.forms.layout, 1u << 20);
  if (!text.ok()) {
    return Status(StatusCode::kConfig, "Formularaufbau '" +
                                           settings.forms.layout +
                                           "': " + text.status().message());
  }
  return forms::ParseLayout(*text, BaseName(settings.forms.layout));
}

}  // namespace bescheid::pipeline
