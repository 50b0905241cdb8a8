// The paper form's layout: pages, registration marks, labels, fields with
// their boxes, repeated rows (positions, members), page code and barcode
// areas. Loaded from the text format described in docs/forms.md
// (templates/forms/antrag-1.0.form); the renderer (formpdf) and the scan
// reader both take every coordinate from here, none is written in code.
//
// All lengths are millimetres, measured from the top-left corner of the
// page, x to the right and y downwards.
//
// Field ids name the application field they hold, so that a zone maps to
// the application without a second table:
//   programme, receipt_date, applicant.kind, applicant.name, applicant.ags,
//   address.recipient, address.street, address.postcode, address.city,
//   contact.name, contact.phone, contact.email, member[i].ags,
//   member[i].name, bank.holder, bank.iban, bank.bic, position[i].person,
//   position[i].qualification, position[i].fte, position[i].start,
//   position[i].months, position[i].provider, position[i].proof,
//   declarations.complete, declarations.no_double_funding,
//   declarations.anbest_k, signature.place, signature.date, signature.name,
//   signature.function, signature.image
// In a group the id holds "[i]"; placed on a page (PlacePage) it holds the
// 0-based row, e.g. "position[7].fte".
//
// Pure: no I/O. Values are immutable once parsed and safe to share between
// threads.
#ifndef BESCHEID_FORMS_LAYOUT_H_
#define BESCHEID_FORMS_LAYOUT_H_

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/status.h"

namespace bescheid::forms {

struct Rect {
  double x = 0, y = 0, w = 0, h = 0;  // mm, top-left origin

  bool Contains(double px, double py) const {
    return px >= x && px <= x + w && py >= y && py <= y + h;
  }
};

enum class FieldKind {
  kText,       // one line of free text in a box
  kComb,       // one box per character
  kCheck,      // a checkbox standing for one value of the field
  kSignature,  // the box signed by hand, with a line
};

struct Field {
  std::string id;  // see the list above
  FieldKind kind = FieldKind::kText;
  std::string label;  // German, printed above the box ("" for none)
  Rect box;           // the whole writing area (comb: all cells)
  // kComb: the cells. `pattern` has one '#' per cell; any other character
  // is a separator printed on the line after the cell before it ("##.####").
  int cells = 0;
  std::string pattern;
  bool digits_only = false;  // kComb: only 0-9 are written here
  // kCheck: the value the box stands for ("A", "Gemeinde"; "ja" for a
  // yes/no field).
  std::string value;

  // kComb: the rectangle of cell `k` (0-based, < cells).
  Rect Cell(int k) const;
};

// Fixed text printed on the page (headings, instructions).
struct Label {
  double x = 0, y = 0;  // baseline start
  double size = 9;      // points
  bool bold = false;
  std::string text;  // UTF-8, German
};

// A row template repeated `rows` times, `dy` mm apart (positions, members).
struct Group {
  std::string name;  // "position" or "member"
  int rows = 0;
  double dy = 0;
  bool labels_first_row_only = false;  // field labels above row 0 only
  std::vector<Field> fields;           // ids contain "[i]", boxes are of row 0
  std::vector<Label> labels;  // "{n}" is replaced by the 1-based row number
};

struct PageTemplate {
  std::string id;             // "1", "2", ... or the continuation page's
  bool continuation = false;  // repeated after the fixed pages as needed
  std::vector<Label> labels;
  std::vector<Rect> frames;  // section frames (thin lines)
  std::vector<Field> fields;
  std::vector<Group> groups;
  std::optional<Rect> barcode;  // area for the data barcode
  std::optional<Rect> notes;    // continuation: text too long for its field
};

struct FormLayout {
  std::string form_id;  // [A-Z0-9-], goes into the page codes ("ANTRAG")
  std::string version;  // "1.0"
  std::string title;    // printed in every page's header line
  double page_width = 210, page_height = 297;
  std::vector<Rect> marks;  // solid black registration squares, every page
  Rect page_code;           // the machine-readable page code, every page
  Label page_number;        // "Seite {n} von {m}" is printed here
  Label header;             // form id and version line ("{id}", "{version}")
  std::vector<PageTemplate> pages;  // fixed pages in order, then at most one
                                    // continuation template

  // The continuation template, or null when the layout has none.
  const PageTemplate* Continuation() const;
  // How many rows of group `name` the fixed pages hold.
  int FixedRows(const std::string& name) const;
  // How many rows of group `name` one continuation page holds (0 if none).
  int ContinuationRows(const std::string& name) const;
};

// Parses the layout text. On failure the status is kConfig with a German
// message naming `file_name`, the line and the key ("antrag-1.0.form, Zeile
// 12: 'cells' fehlt"). Checks that every field id is known, that boxes lie
// on the page, and that the fixed pages hold every non-repeated field of
// the application exactly once.
Result<FormLayout> ParseLayout(std::string_view text,
                               const std::string& file_name);

// One page as printed: its template with the groups' rows placed.
struct PlacedPage {
  const PageTemplate* tpl = nullptr;  // points into the layout
  int number = 1;                     // 1-based, in the whole document
  int continuation_index = -1;        // 0-based among continuation pages
  std::vector<Field> fields;          // every field with its row's id and box
  std::vector<Label> labels;          // fixed labels and the rows' labels
};

// The pages of a form for `positions` positions and `members` members (a
// blank form: the fixed pages' rows) and at least `min_pages` pages.
// Continuation page k (0-based) always holds the same rows: positions from
// FixedRows("position") + k * ContinuationRows("position") on, members
// likewise, so a page's number (from its page code) says which rows it
// holds. Page numbers are set; the count is the vector's size.
std::vector<PlacedPage> PlacePages(const FormLayout& layout, int positions,
                                   int members, int min_pages = 0);

// How a clerk finds placed field `f` on the form, in German: its printed
// label; in a row of positions or members with the row ("Stelle 2, VZÄ",
// "Mitglied 3, AGS"), in the signature part with "Unterzeichnung"
// ("Unterzeichnung, Ort", not the address's "Ort"); the id when the field
// has no label.
std::string FieldTitle(const Field& f);

}  // namespace bescheid::forms

#endif  // BESCHEID_FORMS_LAYOUT_H_
