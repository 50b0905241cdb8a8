// The production ScanReader: scan::ReadScan with an OcrEngine of its own
// (one per worker, created once: loading Tesseract's model costs far more
// than reading a page) against the paper form's layout.
#ifndef BESCHEID_PIPELINE_OCR_SCAN_READER_H_
#define BESCHEID_PIPELINE_OCR_SCAN_READER_H_

#include <memory>

#include "config/settings.h"
#include "core/status.h"
#include "forms/layout.h"
#include "pipeline/pipeline.h"
#include "scan/ocr.h"
#include "scan/reader.h"

namespace bescheid::pipeline {

class OcrScanReader final : public ScanReader {
 public:
  // Loads the OCR model from settings.scan.tessdata; the reader's
  // thresholds from settings.scan (min-confidence, page timeout).
  // `layout` must outlive the reader (shared read-only between workers).
  // kConfig (English) when the model cannot be loaded.
  static Result<std::unique_ptr<ScanReader>> Create(
      const config::Settings& settings, const forms::FormLayout* layout);

  // Not thread-safe (one per worker).
  Result<scan::ScanReading> Read(const scan::Pages& pages) override;

 private:
  OcrScanReader(std::unique_ptr<scan::OcrEngine> ocr,
                const forms::FormLayout* layout, scan::ReadOptions options)
      : ocr_(std::move(ocr)), layout_(layout), options_(options) {}
  std::unique_ptr<scan::OcrEngine> ocr_;
  const forms::FormLayout* layout_;
  scan::ReadOptions options_;
};

// Reads the paper form's layout (settings.forms.layout) once at start-up;
// a German kConfig message when it is missing or broken.
Result<forms::FormLayout> LoadFormLayout(const config::Settings& settings,
                                         Env* env);

}  // namespace bescheid::pipeline

#endif  // BESCHEID_PIPELINE_OCR_SCAN_READER_H_
