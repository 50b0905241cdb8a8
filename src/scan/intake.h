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
// Memory: each page is turned grey as soon as it is decoded, so besides the
// result (every page at 1 byte per pixel: at most max_pages x
// max_megapixels MB, 50 A4 pages at 600 dpi 1.7 GB) one page is held at
// its decoded depth (at most max_megapixels x 4 bytes).
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

#include <string>
#include <string_view>
#include <vector>

#include "core/status.h"
#include "scan/limits.h"
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

struct DecodedScan {
  FileKind kind = FileKind::kUnknown;
  // Every page, in order: 8 bpp grey, no colormap, no alpha (composited on
  // white), resolution set.
  Pages pages;
  // German notes for the decision record, e.g. that a page had no
  // resolution and 300 dpi was assumed.
  std::vector<std::string> notes;
};

// CheckScanHeader, then every page decoded (TIFF of any compression
// Leptonica reads, PNG, JPEG, PNM; PDF rendered at limits.pdf_dpi) and
// normalised. A page without a plausible resolution (below 100 or above
// 1200 dpi) gets the one its size implies if it is A4, else 300 dpi, and a
// note says so. Fails with kInvalidInput (German) for data that is
// truncated or corrupt after a valid header, kInternal if memory runs out.
Result<DecodedScan> DecodeScan(std::string_view bytes,
                               const ScanLimits& limits);

}  // namespace bescheid::scan

#endif  // BESCHEID_SCAN_INTAKE_H_
