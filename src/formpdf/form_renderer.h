// Renders the paper application form as an A4 PDF: blank for filling by
// hand (the fixed pages and one continuation page), or prefilled from an
// application with a data barcode (QR code, zxing-cpp) carrying the whole
// application (forms/payload.h).
//
// Every coordinate comes from the layout (forms/layout.h). Each page gets
// the layout's registration squares, a header line with form id and
// version, "Seite n von m" and a QR page code (forms::EncodePageCode).
// Rows beyond the fixed pages' go to continuation pages; text too long for
// its box is shrunk to 6 pt, then continued in the notes area of a
// continuation page ("siehe Fortsetzung, Seite n") - never clipped.
//
// Text is set with letters::PdfWriter (DejaVu for print, a handwriting
// font for handwriting; a character the handwriting font lacks is set in
// the print font). One renderer per thread; not thread-safe.
#ifndef BESCHEID_FORMPDF_FORM_RENDERER_H_
#define BESCHEID_FORMPDF_FORM_RENDERER_H_

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "core/application.h"
#include "core/status.h"
#include "forms/layout.h"

namespace bescheid::formpdf {

struct FormFonts {
  std::string regular_ttf;      // print (letters.font.regular)
  std::string bold_ttf;         // print, bold
  std::string handwriting_ttf;  // forms.font.handwriting
  std::string icc_profile;      // sRGB, the PDF/A output intent
};

// A hand correction of a prefilled value: the printed value is struck
// through by hand and `new_value` written by hand above it. The barcode
// keeps the printed value, as on a real corrected form. Text and comb
// fields only; `new_value` as FieldValue would give it (comb: cell
// characters without separators).
struct Correction {
  std::string field_id;  // a placed id, e.g. "position[2].fte"
  std::string new_value;
};

struct FormOptions {
  bool barcode = true;            // data barcode (prefilled forms only)
  bool sample_signature = false;  // a pen-like scribble in the signature box
  bool handwriting = false;       // values in the handwriting font
  std::vector<Correction> corrections;
  int64_t timestamp = 0;  // PDF creation date, Unix seconds
};

// Where things went: the pages as placed (fields with their boxes in mm)
// and which pages carry which part of the data barcode.
struct RenderedForm {
  std::string pdf;
  std::vector<forms::PlacedPage> pages;  // point into the layout
  // Parts of the data barcode (forms::SplitPayload); part k is on the k-th
  // page with a barcode area. 0 without a barcode.
  int barcode_parts = 0;
  uint32_t serial = 0;  // of every page code
};

// Reads and parses the layout file at `path` (config key forms.layout).
// kConfig with a German message naming the file (and line) on error.
Result<forms::FormLayout> LoadLayoutFile(const std::string& path);

class FormRenderer {
 public:
  // Loads the fonts and the ICC profile. kConfig naming the file on error.
  static Result<std::unique_ptr<FormRenderer>> Create(const FormFonts& fonts);
  ~FormRenderer();
  FormRenderer(const FormRenderer&) = delete;
  FormRenderer& operator=(const FormRenderer&) = delete;

  // Renders the form; `app` null for a blank form, else a valid
  // application (xml::ApplicationReader's result). The same input gives the
  // same bytes. kInvalidInput (German) for a correction of an unknown or
  // unsupported field, or text no font can print. `layout` must outlive
  // the result's pages.
  Result<RenderedForm> Render(const forms::FormLayout& layout,
                              const core::Application* app,
                              const FormOptions& options);

 private:
  struct Impl;
  explicit FormRenderer(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

}  // namespace bescheid::formpdf

#endif  // BESCHEID_FORMPDF_FORM_RENDERER_H_
