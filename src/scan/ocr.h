// Text recognition of single zones of a page with Tesseract (Debian's
// German LSTM model): one OcrEngine per worker thread, created once and
// kept, because loading the model costs far more than reading a zone.
//
// Tesseract must run with OpenMP limited to one thread: libgomp reads
// OMP_THREAD_LIMIT when it is loaded, before main, so the variable must be
// in the process's environment (test runner, systemd unit) or the program
// re-executes itself with it (EnsureOmpThreadLimit). Without it the same
// work takes about ten times the CPU on a loaded machine.
//
// Thread-safety: an OcrEngine is not thread-safe; distinct engines may be
// used on distinct threads at once.
#ifndef BESCHEID_SCAN_OCR_H_
#define BESCHEID_SCAN_OCR_H_

#include <memory>
#include <string>
#include <vector>

#include "core/status.h"
#include "scan/pix.h"

namespace bescheid::scan {

inline constexpr const char* kDefaultTessdataDir =
    "/usr/share/tesseract-ocr/5/tessdata";

// A rectangle in pixels of a page image, top-left origin.
struct PixelBox {
  int x = 0, y = 0, w = 0, h = 0;
};

enum class ZoneKind {
  kText,       // one line of any text
  kDigits,     // one line of digits only (whitelist 0-9)
  kRawText,    // one line as it stands, without line finding (a comb's
  kRawDigits,  // characters set side by side); digits: whitelist 0-9
  kCharacter,  // one character of any kind (a comb cell)
  kDigit,      // one digit (a digits-only comb cell)
};

// A dash between two letters without spaces is a hyphen ("Hans-Peter"),
// one with a space either side an en dash (DIN 5008's Gedankenstrich);
// any other dash is told apart by the width of its ink over the median
// height of the line's other characters: up to kMaxHyphenRatio a hyphen,
// from kMinEnDashRatio an en dash, between the two a doubt.
inline constexpr double kMaxHyphenRatio = 0.45;
inline constexpr double kMinEnDashRatio = 0.52;
// Ink below the baseline under a letter without descender, deeper than
// this share of the capitals' height, is a mark the model dropped (the
// German model has no "ş": it reads "s").
inline constexpr double kMarkBelowRatio = 0.22;
// The model reads a capital umlaut as its plain letter ("\u00dc" as "U"):
// two dots above the letter, each this share of the capitals' height
// wide and high, make it the umlaut; other ink there is a doubt.
inline constexpr double kMinDotRatio = 0.07;
inline constexpr double kMaxDotRatio = 0.30;
// A printed digit's holes ("8" two, "3" none) must match the digit read;
// a hole is white inside the ink at least this share of the capitals'
// height wide and high.
inline constexpr double kMinHoleRatio = 0.08;

struct ZoneText {
  std::string text;         // UTF-8, trimmed; "" when nothing was read
  double confidence = 0.0;  // 0..1; 0 when nothing was read
  bool timed_out = false;   // the page's time budget ran out
  // Why the text may be wrong although the model is sure, in German ("" if
  // nothing is suspect): a dash neither as narrow as a hyphen nor as wide
  // as an en dash and not joining two letters (the model reads both as
  // '-'; `text` has them told apart by width, a dash between letters as a
  // hyphen), ink under a letter without descender (a cedilla the model does
  // not know, "ş" read as "s"), or ink over a capital A, O or U other than
  // an umlaut's two dots (`text` has the umlaut when they are), a digit
  // whose holes are not those of the digit read, or a digit read twice
  // (DigitReadTwice). Checked in ReadZone only.
  std::string suspect;
};

// A character's box as the model reports it, page pixels, inclusive.
struct GlyphBox {
  std::string text;
  int l = 0, t = 0, r = 0, b = 0;
};

// Why a line's glyphs, in reading order, show one digit read twice, in
// German ("" if they do not): two neighbouring digits overlap over more
// than half the smaller box's width and height. The model read "498" as
// "4938" with its "3" inside the "8"'s box, sure, in two images of the
// line alike. Digits only: its boxes of neighbouring letters ("me")
// overlap as much where it read them right. Part of ZoneText::suspect.
std::string DigitReadTwice(const std::vector<GlyphBox>& glyphs);

class OcrEngine {
 public:
  // Loads `language` ("deu") from `tessdata_dir` (LSTM engine).
  // kConfig (English, for the log) when the model cannot be loaded.
  static Result<std::unique_ptr<OcrEngine>> Create(
      const std::string& tessdata_dir = kDefaultTessdataDir,
      const std::string& language = "deu");
  ~OcrEngine();
  OcrEngine(const OcrEngine&) = delete;
  OcrEngine& operator=(const OcrEngine&) = delete;

  // Starts a page: `page` (8 bpp grey or 1 bpp, not null) is the image
  // later zones are read from; it must stay alive and unchanged until the
  // next SetPage. `deadline_ms` > 0 is the time budget for all zones of
  // this page together; when it is spent every further zone returns
  // timed_out without text. `bitonal`, if given, is `page` thresholded at
  // 128 (pixConvertTo1), used for the ink checks instead of thresholding
  // the page again; it must stay alive until the next SetPage.
  void SetPage(Pix* page, int deadline_ms, Pix* bitonal = nullptr);

  // Reads one zone of the current page. Precondition: SetPage was called;
  // `box` lies inside the page.
  ZoneText ReadZone(const PixelBox& box, ZoneKind kind);

  // Reads all of `image` (8 bpp, e.g. a comb's characters set side by
  // side) as one zone, under the current page's time budget. The page set
  // by SetPage stays current for later ReadZone calls.
  ZoneText ReadImage(Pix* image, ZoneKind kind);

 private:
  struct Impl;
  explicit OcrEngine(std::unique_ptr<Impl> impl);
  ZoneText Recognize(ZoneKind kind);
  std::unique_ptr<Impl> impl_;
};

// Makes sure OMP_THREAD_LIMIT is set before Tesseract's OpenMP runtime
// reads it: when it is missing from the environment, sets it to 1 and
// re-executes the running program (/proc/self/exe) with the same
// arguments; returns only when it was already set or the re-execution
// failed (then Tesseract still works, only slower). Call it first in main,
// before any thread starts. `argv` as main received it.
void EnsureOmpThreadLimit(int argc, char** argv);

}  // namespace bescheid::scan

#endif  // BESCHEID_SCAN_OCR_H_
