// Writes laid-out pages as a PDF/A-1b-oriented A4 document with libharu.
//
// One writer per worker thread: it parses the TrueType fonts and reads the
// ICC profile once, then reuses one libharu document for every letter
// (HPDF_NewDoc keeps parsed font definitions). Not thread-safe.
#ifndef BESCHEID_LETTERS_PDF_WRITER_H_
#define BESCHEID_LETTERS_PDF_WRITER_H_

#include <array>
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "core/status.h"
#include "letters/layout.h"

namespace bescheid::letters {

struct PdfMetadata {
  std::string title;      // UTF-8
  std::string author;     // UTF-8
  std::string subject;    // UTF-8
  int64_t timestamp = 0;  // creation and modification time, Unix seconds
};

class PdfWriter final : public FontMetrics {
 public:
  // Loads the fonts (embedded, CP1252) and the sRGB ICC profile for the
  // PDF/A output intent. Errors name the file.
  static Result<std::unique_ptr<PdfWriter>> Create(
      const std::string& regular_ttf, const std::string& bold_ttf,
      const std::string& icc_profile);
  ~PdfWriter() override;
  PdfWriter(const PdfWriter&) = delete;
  PdfWriter& operator=(const PdfWriter&) = delete;

  double Width(std::string_view text, FontStyle style,
               double size) const override;

  // Renders `pages` (A4 portrait, coordinates from the top-left in points)
  // and returns the PDF bytes. The same input gives the same bytes.
  Result<std::string> Write(const std::vector<Page>& pages,
                            const PdfMetadata& meta);

 private:
  struct Impl;
  explicit PdfWriter(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

}  // namespace bescheid::letters

#endif  // BESCHEID_LETTERS_PDF_WRITER_H_
