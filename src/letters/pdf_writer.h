// Writes laid-out pages as a PDF/A-1b-oriented A4 document with libharu.
//
// Text is UTF-8 and set in embedded TrueType fonts through libharu's UTF-8
// encoding (Type0 / CIDFontType2, Identity-H, code = Unicode code point),
// with a ToUnicode map so that copied text is the text written. The fonts
// are cut to the letters' repertoire (letters/font_subset.h) once, when the
// writer is made; each letter embeds a cut to the characters it uses.
//
// One writer per worker thread: it reads the ICC profile once, then reuses
// one libharu document for every letter. The PDF font of each set of
// characters (cut, parsed, its widths and maps compressed) is made once and
// kept for the next letters with that set; a letter only assembles its
// objects and compresses its page contents (libdeflate's fastest level).
// The writers of a process made from the same font files (same path,
// inode, size and modification time) share the loaded fonts and those
// kept sets, so that many writers cost little more than one. A writer is
// not thread-safe; different writers may be used on different threads.
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
  // The caller already refused what cannot be printed: CheckPrintable with
  // this writer's CanPrint over every text of the pages given to Write,
  // kHand texts included (a letter, checked with the data's field names).
  // Write then skips its own pass over every character (its backstop for
  // text from anywhere else); handwriting is still checked.
  bool printable_checked = false;
};

class PdfWriter final : public FontMetrics {
 public:
  // Loads the TrueType fonts (any that HarfBuzz can subset; cut to the
  // letters' repertoire and embedded) and the sRGB ICC profile for the
  // PDF/A output intent. `hand_ttf` (optional) is the font of
  // FontStyle::kHand. Errors are kConfig and name the file.
  static Result<std::unique_ptr<PdfWriter>> Create(
      const std::string& regular_ttf, const std::string& bold_ttf,
      const std::string& icc_profile, const std::string& hand_ttf = "");
  ~PdfWriter() override;
  PdfWriter(const PdfWriter&) = delete;
  PdfWriter& operator=(const PdfWriter&) = delete;

  // Advance width in points of UTF-8 `text`. Text that is not valid UTF-8
  // (e.g. a word cut inside a character) measures kUnprintableWidth, so
  // that line breaking never cuts there.
  double Width(std::string_view text, FontStyle style,
               double size) const override;
  static constexpr double kUnprintableWidth = 1e9;

  // How many glyph-set fonts the writers of this process have made so far
  // (for tests and benchmarks: sharing shows as sets not made again).
  // Thread-safe.
  static uint64_t GlyphSetsMade();

  // True if both fonts have a glyph for `cp` and it lies in the letters'
  // repertoire. Whether the text needs shaping is printable.h's concern.
  bool CanPrint(char32_t cp) const;
  // True if the handwriting font (Create's hand_ttf) has a glyph for `cp`
  // in the letters' repertoire; false without one.
  bool CanHandwrite(char32_t cp) const;

  // Renders `pages` (A4 portrait, coordinates from the top-left in points;
  // texts UTF-8) and returns the PDF bytes. The same input gives the same
  // bytes. Text that cannot be printed exactly is refused with
  // kInvalidInput (letters/printable.h), never substituted; kHand text
  // must pass CanHandwrite. Rectangles are drawn first, then lines, then
  // text.
  Result<std::string> Write(const std::vector<Page>& pages,
                            const PdfMetadata& meta);

 private:
  Status CheckHandwriting(const std::vector<Page>& pages) const;
  struct Impl;
  explicit PdfWriter(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

}  // namespace bescheid::letters

#endif  // BESCHEID_LETTERS_PDF_WRITER_H_
