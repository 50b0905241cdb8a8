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
  // The reader's thresholds from settings.scan (min-confidence, page
  // timeout); the OCR model (settings.scan.tessdata) is loaded by Prepare
  // (the watcher, before its workers start) or else at the first scan and
  // kept, so that `bescheid process` with XML only never loads it.
  // `layout` must outlive the reader (shared read-only between workers).
  static Result<std::unique_ptr<ScanReader>> Create(
      const config::Settings& settings, const forms::FormLayout* layout);

  // Loads the OCR model (once). kConfig (English) when it cannot be loaded.
  // Loading writes Tesseract's process-wide parameters: it waits until no
  // OcrScanReader of the process is reading, and readers wait for it.
  Status Prepare() override;

  // Not thread-safe (one per worker; different readers may read at once).
  // kConfig (English) when the model cannot be loaded (the file is then
  // retried later, not rejected).
  Result<scan::ScanReading> Read(scan::PageSource& pages) override;

 private:
  OcrScanReader(std::string tessdata, const forms::FormLayout* layout,
                scan::ReadOptions options)
      : tessdata_(std::move(tessdata)), layout_(layout), options_(options) {}
  std::string tessdata_;
  std::unique_ptr<scan::OcrEngine> ocr_;  // null until the first scan
  const forms::FormLayout* layout_;
  scan::ReadOptions options_;
};

// Reads the paper form's layout (settings.forms.layout) once at start-up;
// a German kConfig message when it is missing or broken.
Result<forms::FormLayout> LoadFormLayout(const config::Settings& settings,
                                         Env* env);

}  // namespace bescheid::pipeline

#endif  // BESCHEID_PIPELINE_OCR_SCAN_READER_H_
