// The intake of scanned paper: what kind a file is (by its bytes, never its
// name), whether its headers stay within the caps, and its pages as 8-bit
// grey images.
//
// Input is untrusted (anything a mailroom or an attacker drops). Nothing is
// decoded before CheckScanHeader has read the headers: the file size, every
// page's width and height (and for PDFs each page's size at the render
// resolution, its content streams' size and its images' sizes), the page
// count, PDF encryption and PDF active content (JavaScript, launch actions,
// embedded files, forms with scripts). Every refusal is kInvalidInput with
// a German reason that says what to do (scan/intake_reasons.h).
//
// Time: decoding a page is bounded by the caps, not by a clock (a decoder
// cannot be interrupted safely). At the default caps the worst page
// measured takes 3.5 s (an 80-megapixel colour PDF page; TIFF-JPEG 3.4 s,
// G4 0.4 s), far below scan.page-timeout-seconds; docs/scan-intake.md has
// the numbers. Recognition enforces page_timeout_seconds itself
// (Tesseract's deadline), and the service's watchdog
// (intake.timeout-seconds) ends a file that hangs anyway.
//
// Memory: ScanSource decodes one page per call (a PDF page is rendered when
// asked for, a TIFF page read from its directory), so a reader that pulls
// page k, uses it and frees it holds one page at a time: at its decoded
// depth (at most max_megapixels x 4 bytes) until it is turned grey (1 byte
// per pixel). DecodeScan, which returns every page at once (at most
// max_pages x max_megapixels MB, 50 A4 pages at 600 dpi 1.7 GB), is for
// tools and tests.
//
// Leptonica's messages on stderr are turned off; libjpeg still prints its
// warnings ("Premature end of JPEG file") there, as Leptonica gives no
// hook for them (the file is refused all the same).
//
// Thread-safe: no shared state, except that the first call turns off
// Leptonica's messages on stderr process-wide (once; a set environment
// variable LEPT_MSG_SEVERITY is honoured instead, for debugging).
#ifndef BESCHEID_SCAN_INTAKE_H_
#define BESCHEID_SCAN_INTAKE_H_

#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "core/status.h"
#include "scan/limits.h"
#include "scan/page_source.h"
#include "scan/pix.h"

namespace bescheid::scan {

enum class FileKind { kXml, kTiff, kPng, kJpeg, kPnm, kPdf, kUnknown };

// The kind of a file from its first bytes (pass at least 1024 bytes, or the
// whole file if shorter). XML: an optional UTF-8 byte order mark and
// whitespace, then '<'. TIFF "II*\0" or "MM\0*"; PNG's 8-byte signature;
// JPEG FF D8 FF; PNM "P1".."P6" then whitespace; PDF "%PDF-" anywhere in
// the first 1024 bytes (readers accept junk before it). Pure.
FileKind SniffFileKind(std::string_view head);

// "TIFF-Bild", "PDF-Datei", ...: the kind as a German message names it.
std::string_view GermanName(FileKind kind);

// Checks a scan's headers against `limits` without decoding any page.
// Fails (kInvalidInput, German) for an empty, oversized, unknown or XML
// file, unreadable or truncated headers, too many pages, a page too large,
// and encrypted, damaged or active PDFs.
Status CheckScanHeader(std::string_view bytes, const ScanLimits& limits);

class PdfPageRenderer;

// One scanned file's pages, decoded one at a time (scan/page_source.h).
// Not thread-safe; one source per file and thread.
class ScanSource final : public PageSource {
 public:
  // CheckScanHeader, then ready to decode: no page is decoded yet (a PDF
  // is loaded by poppler). `bytes` must outlive the source. Errors as
  // CheckScanHeader's.
  static Result<std::unique_ptr<ScanSource>> Open(std::string_view bytes,
                                                  const ScanLimits& limits);
  ~ScanSource() override;
  ScanSource(const ScanSource&) = delete;
  ScanSource& operator=(const ScanSource&) = delete;

  FileKind kind() const { return kind_; }
  int page_count() const override { return count_; }

  // Page `index` decoded (TIFF of any compression Leptonica reads, PNG,
  // JPEG, PNM; PDF rendered at limits.pdf_dpi) and normalised: 8 bpp grey,
  // no colormap, no alpha (composited on white), resolution set. A page
  // without a plausible resolution (below 100 or above 1200 dpi) gets the
  // one its size implies if it is A4, else 300 dpi, and notes() says so.
  // kInvalidInput (German, naming the page) for data that is truncated or
  // corrupt after a valid header or a page over the caps; kInternal if
  // memory runs out.
  Result<PixPtr> Page(int index) override;

  // German notes for the decision record about the pages decoded so far,
  // e.g. that a page had no resolution and 300 dpi was assumed (once per
  // page).
  const std::vector<std::string>& notes() const { return notes_; }

 private:
  ScanSource(std::string_view bytes, const ScanLimits& limits, FileKind kind,
             int count);
  std::string_view bytes_;
  ScanLimits limits_;
  FileKind kind_;
  int count_;
  std::unique_ptr<PdfPageRenderer> pdf_;  // for kPdf
  std::vector<std::string> notes_;
  std::vector<bool> noted_;  // per page: its note is in notes_
};

struct DecodedScan {
  FileKind kind = FileKind::kUnknown;
  // Every page, in order: 8 bpp grey, no colormap, no alpha (composited on
  // white), resolution set.
  Pages pages;
  // German notes for the decision record, e.g. that a page had no
  // resolution and 300 dpi was assumed.
  std::vector<std::string> notes;
};

// Every page of a ScanSource at once, with its notes (for tools and tests;
// readers pull pages one at a time instead). Errors as ScanSource's.
Result<DecodedScan> DecodeScan(std::string_view bytes,
                               const ScanLimits& limits);

}  // namespace bescheid::scan

#endif  // BESCHEID_SCAN_INTAKE_H_
