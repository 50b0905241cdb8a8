#include "scan/intake_reasons.h"

namespace bescheid::scan::reasons {
namespace {

const char kScanAgain[] = " Bitte erneut scannen und die Datei neu einlegen.";

std::string N(std::int64_t n) { return std::to_string(n); }

std::string Page(int page) { return "Seite " + std::to_string(page + 1); }

}  // namespace

Status Empty() {
  return InvalidInput("Die Datei ist leer (0 Byte)." + std::string(kScanAgain));
}

Status TooManyBytes(std::uint64_t size, std::uint64_t max) {
  return InvalidInput("Die Datei ist mit " + std::to_string(size) +
                      " Byte zu groß; erlaubt sind höchstens " +
                      std::to_string(max) +
                      " Byte (scan.max-bytes). Bitte mit höchstens 300 dpi "
                      "oder in mehreren Dateien scannen.");
}

Status UnknownKind() {
  return InvalidInput(
      "Die Datei ist weder ein Antrag als XML-Datei noch ein Scan in einem "
      "lesbaren Format (TIFF, PNG, JPEG, PNM oder PDF); die Endung des "
      "Dateinamens zählt nicht, nur der Inhalt. Bitte als PDF oder TIFF "
      "scannen und die Datei neu einlegen.");
}

Status XmlIsNoScan() {
  return InvalidInput(
      "Die Datei ist eine XML-Datei, kein Scan; sie wird als Antrag aus dem "
      "Portal gelesen.");
}

Status BrokenHeader(std::string_view kind) {
  return InvalidInput("Die Datei (" + std::string(kind) +
                      ") ist beschädigt oder unvollständig: ihr Kopf kann "
                      "nicht gelesen werden." +
                      kScanAgain);
}

Status BrokenData(std::string_view kind, int page) {
  return InvalidInput(Page(page) + " der Datei (" + std::string(kind) +
                      ") ist beschädigt oder unvollständig: die Bilddaten "
                      "können nicht gelesen werden." +
                      kScanAgain);
}

Status TooManyPages(std::string_view kind, int pages, int max) {
  return InvalidInput("Die Datei (" + std::string(kind) + ") hat " + N(pages) +
                      " Seiten; erlaubt sind höchstens " + N(max) +
                      " (scan.max-pages). Bitte in mehreren Dateien scannen.");
}

Status MoreThanPages(std::string_view kind, int max) {
  return InvalidInput("Die Datei (" + std::string(kind) + ") hat mehr als " +
                      N(max) + " Seiten; erlaubt sind höchstens " + N(max) +
                      " (scan.max-pages). Bitte in mehreren Dateien scannen.");
}

Status NoPages(std::string_view kind) {
  return InvalidInput("Die Datei (" + std::string(kind) + ") hat keine Seite." +
                      kScanAgain);
}

Status PageTooWide(int page, std::int64_t w, std::int64_t h, int max_side) {
  return InvalidInput(Page(page) + " ist " + N(w) + " × " + N(h) +
                      " Pixel groß; erlaubt sind höchstens " + N(max_side) +
                      " Pixel je Seite (scan.max-pixels-per-side). Bitte im "
                      "Format A4 mit höchstens 600 dpi scannen.");
}

Status PageTooManyPixels(int page, std::int64_t w, std::int64_t h,
                         int max_megapixels) {
  return InvalidInput(Page(page) + " ist " + N(w) + " × " + N(h) +
                      " Pixel groß, das sind mehr als " + N(max_megapixels) +
                      " Megapixel (scan.max-megapixels). Bitte im Format A4 "
                      "mit höchstens 600 dpi scannen.");
}

Status PngChunkTooLarge(std::string_view type, std::uint64_t size,
                        std::uint64_t max) {
  return InvalidInput("Die Datei (PNG-Bild) enthält einen Zusatzblock '" +
                      std::string(type) + "' von " + std::to_string(size) +
                      " Byte; erlaubt sind höchstens " + std::to_string(max) +
                      " Byte. Bitte ohne Zusatzdaten als PDF oder TIFF "
                      "scannen und die Datei neu einlegen.");
}

Status PdfEncrypted() {
  return InvalidInput(
      "Die Datei ist eine verschlüsselte PDF-Datei. Bitte ohne Kennwort "
      "scannen und erneut einlegen.");
}

Status PdfDamaged() {
  return InvalidInput(
      "Die Datei (PDF-Datei) ist beschädigt oder unvollständig: ihr Aufbau "
      "(Querverweise, Objekte oder Seitenbaum) ist fehlerhaft." +
      std::string(kScanAgain));
}

Status PdfActive(std::string_view what) {
  return InvalidInput(
      "Die PDF-Datei enthält aktive Inhalte (" + std::string(what) +
      ") und wird aus Sicherheitsgründen nicht geöffnet. Bitte das Papier "
      "am Scanner direkt als PDF oder TIFF scannen und die Datei neu "
      "einlegen.");
}

Status PdfPageTooLarge(int page, double w_mm, double h_mm, int dpi,
                       int max_side, int max_megapixels) {
  return InvalidInput(
      Page(page) + " der PDF-Datei ist " + N(static_cast<int64_t>(w_mm)) +
      " × " + N(static_cast<int64_t>(h_mm)) + " mm groß; bei " + N(dpi) +
      " dpi überschreitet sie " + N(max_side) + " Pixel je Seite oder " +
      N(max_megapixels) +
      " Megapixel (scan.max-pixels-per-side, scan.max-megapixels). Bitte im "
      "Format A4 scannen und die Datei neu einlegen.");
}

Status PdfPageInvalid(int page) {
  return InvalidInput(Page(page) +
                      " der PDF-Datei hat keine gültige Seitengröße." +
                      kScanAgain);
}

Status PdfContentTooLarge(int page, std::uint64_t max) {
  return InvalidInput(
      Page(page) + " der PDF-Datei hat mehr als " + std::to_string(max) +
      " Byte Seitenbeschreibung; ein Scan hat nur Bilder. Bitte das Papier "
      "scannen statt eine erzeugte PDF-Datei einzulegen.");
}

Status JpegTooManyScans(int max) {
  return InvalidInput(
      "Das JPEG-Bild ist in mehr als " + std::to_string(max) +
      " Durchgängen gespeichert; ein Scanner schreibt höchstens zehn. Bitte "
      "das Papier erneut scannen (Standard-JPEG, TIFF oder PDF).");
}

Status PdfTooMuchWork(int page) {
  return InvalidInput(
      Page(page) +
      " der PDF-Datei zeichnet ihre Inhalte zu oft oder zu tief "
      "verschachtelt; ein Scan zeichnet nur ein Bild je Seite. Bitte das "
      "Papier scannen statt eine erzeugte PDF-Datei einzulegen.");
}

Status PdfImageTooLarge(int page, std::int64_t w, std::int64_t h) {
  return InvalidInput(Page(page) + " der PDF-Datei enthält ein Bild von " +
                      N(w) + " × " + N(h) +
                      " Pixeln, mehr als erlaubt (scan.max-pixels-per-side, "
                      "scan.max-megapixels). Bitte mit höchstens 600 dpi "
                      "scannen.");
}

std::string NoteResolutionFromA4(int page, int dpi) {
  return Page(page) +
         ": Die Datei nennt keine Auflösung; aus dem Format A4 "
         "ergeben sich " +
         N(dpi) + " dpi.";
}

std::string NoteResolutionAssumed(int page, int dpi) {
  return Page(page) + ": Die Datei nennt keine Auflösung; angenommen werden " +
         N(dpi) + " dpi.";
}

}  // namespace bescheid::scan::reasons
