#include "pipeline/ocr_scan_reader.h"

#include <mutex>
#include <shared_mutex>

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

namespace {

// Engines being made exclude engines reading: Tesseract's Init writes
// process-wide parameters that recognition reads. Readers share it.
std::shared_mutex& EngineMutex() {
  static std::shared_mutex mu;
  return mu;
}

}  // namespace

Status OcrScanReader::Prepare() {
  if (ocr_) return Status::Ok();
  std::unique_lock<std::shared_mutex> lock(EngineMutex());
  Result<std::unique_ptr<scan::OcrEngine>> ocr =
      scan::OcrEngine::Create(tessdata_);
  if (!ocr.ok()) return ocr.status();
  ocr_ = std::move(ocr).value();
  return Status::Ok();
}

Result<scan::ScanReading> OcrScanReader::Read(scan::PageSource& pages) {
  Status prepared = Prepare();
  if (!prepared.ok()) return prepared;
  std::shared_lock<std::shared_mutex> lock(EngineMutex());
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
