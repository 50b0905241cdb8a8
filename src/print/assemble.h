// A print batch as one PDF: the cover sheet, then every letter in plan
// order, blank A4 pages where the plan pads (qpdf joins the documents; no
// PDF is edited by hand). Thread-safe (no shared state).
#ifndef BESCHEID_PRINT_ASSEMBLE_H_
#define BESCHEID_PRINT_ASSEMBLE_H_

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "core/status.h"
#include "letters/pdf_writer.h"
#include "print/plan.h"

namespace bescheid::print {

// A letter's PDF above this size is not read into a batch.
inline constexpr uint64_t kMaxLetterBytes = 32u << 20;

// The number of pages of the PDF `pdf` (named `name` in errors).
// kInvalidInput (German) when qpdf cannot read it.
Result<int> CountPages(std::string_view pdf, const std::string& name);

// The cover sheet of `cover` (CoverLines) as a one-page A4 PDF, dated
// `timestamp` (Unix seconds) in its metadata.
Result<std::string> RenderCover(letters::PdfWriter& writer,
                                const CoverSheet& cover, int64_t timestamp);

// Joins `cover_pdf` and `letter_pdfs` (the letters' PDFs, in the order of
// plan.letters) as the plan says: the cover, a blank page if
// plan.blank_after_cover, then each letter with a blank page after it if
// blank_after. The same input gives the same bytes. kInvalidInput (German)
// when a PDF cannot be read or has another page count than planned.
Result<std::string> AssembleBatch(const BatchPlan& plan,
                                  std::string_view cover_pdf,
                                  const std::vector<std::string>& letter_pdfs);

}  // namespace bescheid::print

#endif  // BESCHEID_PRINT_ASSEMBLE_H_
