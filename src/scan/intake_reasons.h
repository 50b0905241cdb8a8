// Every German reason the scan intake gives, in one place: what is wrong
// with the file and what the mailroom should do. Used by intake.cc and
// pdf_check.cc only. Each returns a kInvalidInput Status (or a note).
#ifndef BESCHEID_SCAN_INTAKE_REASONS_H_
#define BESCHEID_SCAN_INTAKE_REASONS_H_

#include <cstdint>
#include <string>
#include <string_view>

#include "core/status.h"

namespace bescheid::scan::reasons {

Status Empty();
Status TooManyBytes(std::uint64_t size, std::uint64_t max);
Status UnknownKind();
Status XmlIsNoScan();
// `kind` as GermanName gives it.
Status BrokenHeader(std::string_view kind);
Status BrokenData(std::string_view kind, int page);
Status TooManyPages(std::string_view kind, int pages, int max);
Status MoreThanPages(std::string_view kind, int max);
Status NoPages(std::string_view kind);
Status PageTooWide(int page, std::int64_t w, std::int64_t h, int max_side);
Status PageTooManyPixels(int page, std::int64_t w, std::int64_t h,
                         int max_megapixels);
Status JpegTooManyScans(int max);
Status PngChunkTooLarge(std::string_view type, std::uint64_t size,
                        std::uint64_t max);

Status PdfEncrypted();
Status PdfDamaged();
// `what`: the active content found, German ("JavaScript beim Öffnen").
Status PdfActive(std::string_view what);
Status PdfPageTooLarge(int page, double w_mm, double h_mm, int dpi,
                       int max_side, int max_megapixels);
Status PdfPageInvalid(int page);
Status PdfContentTooLarge(int page, std::uint64_t max);
Status PdfTooMuchWork(int page);
Status PdfImageTooLarge(int page, std::int64_t w, std::int64_t h);

std::string NoteResolutionFromA4(int page, int dpi);
std::string NoteResolutionAssumed(int page, int dpi);

}  // namespace bescheid::scan::reasons

#endif  // BESCHEID_SCAN_INTAKE_REASONS_H_
