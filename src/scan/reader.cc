#include "scan/reader.h"

#include <allheaders.h>

#include <algorithm>
#include <map>
#include <set>
#include <tuple>

#include "core/identifiers.h"
#include "forms/assemble.h"
#include "forms/field_values.h"
#include "forms/payload.h"
#include "scan/field_reader.h"
#include "scan/locate.h"
#include "scan/page_match.h"

namespace bescheid::scan {
namespace {

// A page of the file as located, waiting for its document. Between
// locating and reading it is kept decoded within the reading's budget,
// else as PNG (a long file's pages are never all held decoded).
struct FilePage {
  int file_page = 0;
  // nullopt: not located; else its image is empty (it is `kept`).
  std::optional<LocatedPage> located;
  std::optional<forms::PageCode> code;
  std::string failure;  // German, when not located
  // The located page (upright, straightened), else the page as scanned
  // (grey).
  KeptPage kept;
  // Its page code has no readable code: `code` was assigned from the other
  // pages' codes and its frames (AssignByFrames).
  bool assigned = false;
};

// `image` kept decoded while `*budget` (pixels) allows, and taken from
// it; else as PNG. Fails only when Leptonica cannot encode (kInternal).
Result<KeptPage> Keep(PixPtr image, size_t* budget) {
  const size_t pixels = static_cast<size_t>(pixGetWidth(image.get())) *
                        static_cast<size_t>(pixGetHeight(image.get()));
  if (pixels <= *budget) {
    *budget -= pixels;
    return KeptPage::Decoded(std::move(image));
  }
  return KeptPage::Encoded(image.get());
}

// Locates `pix` and keeps the result as a FilePage (Keep). Fails only when
// Leptonica cannot allocate or encode (kInternal).
Result<FilePage> Locate(Pix* pix, int index, const forms::FormLayout& layout,
                        const ReadOptions& options, size_t* budget) {
  FilePage p;
  p.file_page = index;
  LocateOptions lo;
  lo.max_residual_mm = options.max_registration_residual_mm;
  Result<LocatedPage> located = LocatePage(pix, layout, lo);
  PixPtr kept;
  if (located.ok()) {
    p.code = located->code;
    kept = std::move(located->image);
    p.located = std::move(located).value();
  } else {
    p.failure = located.status().message();
    // The page code alone still says where the page belongs.
    kept.reset(pixConvertTo8(pix, 0));
    if (!kept) return InternalError("Leptonica: cannot convert page to grey");
    for (const FoundCode& c : FindQrCodes(kept.get())) {
      Result<forms::PageCode> code = forms::DecodePageCode(c.bytes);
      if (code.ok() && code->form_id == layout.form_id) p.code = *code;
    }
  }
  Result<KeptPage> k = Keep(std::move(kept), budget);
  if (!k.ok()) return k.status();
  p.kept = std::move(k).value();
  return p;
}

// Pages grouped into documents: a page joins the open document with its
// serial that lacks its page number, else starts one; a page without a
// code joins the document of the page before it (pages before the first
// code join the first document).
std::vector<std::vector<FilePage>> Group(std::vector<FilePage> pages) {
  std::vector<std::vector<FilePage>> docs;
  std::vector<FilePage> waiting;  // codeless pages before any document
  int previous = -1;
  for (FilePage& p : pages) {
    if (!p.code && previous < 0) {
      waiting.push_back(std::move(p));
      continue;
    }
    int target = p.code ? -1 : previous;
    for (size_t d = 0; p.code && d < docs.size() && target < 0; ++d) {
      const FilePage& first = docs[d].front();
      if (!first.code || first.code->serial != p.code->serial) continue;
      const bool has =
          std::any_of(docs[d].begin(), docs[d].end(), [&](const FilePage& q) {
            return q.code && q.code->page == p.code->page;
          });
      if (!has) target = static_cast<int>(d);
    }
    if (target < 0) {
      docs.emplace_back();
      target = static_cast<int>(docs.size()) - 1;
    }
    docs[target].push_back(std::move(p));
    previous = target;
  }
  if (!waiting.empty()) {
    if (docs.empty()) docs.emplace_back();
    for (FilePage& p : waiting) docs.front().push_back(std::move(p));
  }
  return docs;
}

bool IsKeyField(const std::string& id) {
  static const std::set<std::string> kKeys = {"ags", "iban", "qualification",
                                              "fte", "months"};
  const size_t dot = id.rfind('.');
  return kKeys.count(dot == std::string::npos ? id : id.substr(dot + 1)) > 0;
}

struct Barcode {
  core::Application app;
  uint32_t crc = 0;  // of the payload: the page codes' serial
};

// The data barcode's parts found on the document's pages, joined and
// decoded; nullopt when there are none or they do not decode.
std::optional<Barcode> ReadBarcode(const std::vector<FilePage>& pages,
                                   const std::vector<forms::PlacedPage>& placed,
                                   std::set<int>* parts_from) {
  std::vector<std::string> parts;
  for (const FilePage& p : pages) {
    if (!p.located || !p.code || p.code->page > static_cast<int>(placed.size()))
      continue;
    const forms::PageTemplate* tpl = placed[p.code->page - 1].tpl;
    if (!tpl->barcode) continue;
    forms::Rect area = *tpl->barcode;
    area = {area.x - 3, area.y - 3, area.w + 6, area.h + 6};
    Result<std::shared_ptr<Pix>> image = p.kept.Image();
    if (!image.ok()) continue;  // kept by us: only memory can fail
    for (const FoundCode& c :
         FindQrCodes(image->get(), ToPixels(area, p.located->px_per_mm))) {
      if (c.bytes.rfind("BQ", 0) != 0) continue;
      parts.push_back(c.bytes);
      parts_from->insert(p.file_page);
    }
  }
  if (parts.empty()) return std::nullopt;
  Result<std::string> payload = forms::JoinPayload(parts);
  if (!payload.ok()) return std::nullopt;
  Result<core::Application> app = forms::DecodePayload(*payload);
  if (!app.ok()) return std::nullopt;
  return Barcode{std::move(app).value(), forms::Crc32(*payload)};
}

}  // namespace

namespace {

// The document's pages as placed by the layout, and each page's field by
// id and checkbox value.
struct Form {
  std::vector<forms::PlacedPage> placed;
  const forms::Field* Find(const FieldReading& r, int form_page) const {
    for (const forms::Field& f : placed[form_page - 1].fields) {
      if (f.id == r.id &&
          (f.kind != forms::FieldKind::kCheck || f.value == r.option)) {
        return &f;
      }
    }
    return nullptr;
  }
};

Doubt FieldDoubt(DoubtKind kind, const FieldReading& r, std::string reason) {
  return Doubt{kind, r.id, std::move(reason), r.page, r.box};
}

// With a barcode: the application is the barcode's; the key fields read
// from the image must agree with it, other doubts about them fall away
// when they do.
void FromBarcode(ScannedDocument* doc, Barcode code, const Form& form,
                 const std::vector<int>& form_page_of) {
  std::set<std::tuple<std::string, int, int, int>> agreeing;
  std::set<std::string> struck;
  for (const Doubt& d : doc->doubts) {
    if (d.kind == DoubtKind::kStruck) struck.insert(d.field_id);
  }
  for (const FieldReading& r : doc->fields) {
    if (!IsKeyField(r.id) || struck.count(r.id)) continue;
    const forms::Field* f = form.Find(r, form_page_of[r.page]);
    const std::string expected =
        f ? forms::FieldValue(code.app, *f).value_or("") : "";
    if (r.value == expected) {
      agreeing.insert({r.id, r.page, r.box.x, r.box.y});
      continue;
    }
    doc->doubts.push_back(
        FieldDoubt(DoubtKind::kDisagrees, r,
                   "Feld '" + (f ? forms::FieldTitle(*f) : r.id) +
                       "': auf dem Formular '" + r.value + "', im Barcode '" +
                       expected + "' (von Hand geändert?)."));
  }
  const auto settled = [&](const Doubt& d) {
    return (d.kind == DoubtKind::kUnsure || d.kind == DoubtKind::kAmbiguous) &&
           agreeing.count({d.field_id, d.page, d.box.x, d.box.y}) > 0;
  };
  doc->doubts.erase(
      std::remove_if(doc->doubts.begin(), doc->doubts.end(), settled),
      doc->doubts.end());
  if (code.crc != doc->serial) {
    doc->doubts.push_back(Doubt{DoubtKind::kDisagrees,
                                "",
                                "Der Barcode gehört nicht zu diesem Formular "
                                "(Seriennummer).",
                                -1,
                                {}});
  }
  doc->application = std::move(code.app);
  doc->from_barcode = true;
}

DoubtKind KindOf(forms::AssemblyProblemKind k) {
  switch (k) {
    case forms::AssemblyProblemKind::kAmbiguous:
      return DoubtKind::kAmbiguous;
    case forms::AssemblyProblemKind::kUnparsable:
    case forms::AssemblyProblemKind::kRowGap:
      break;
  }
  return DoubtKind::kUnparsable;
}

// Without a barcode: the application from the fields read
// (forms::AssembleApplication, shared with a review case's corrections).
void FromFields(ScannedDocument* doc, const Form& form,
                const std::vector<int>& form_page_of) {
  std::vector<forms::FieldText> texts;
  for (const FieldReading& r : doc->fields) {
    texts.push_back({form.Find(r, form_page_of[r.page]), r.id, r.value});
  }
  std::vector<forms::AssemblyProblem> problems;
  core::Application app = forms::AssembleApplication(texts, &problems);
  for (const forms::AssemblyProblem& p : problems) {
    if (p.index >= 0) {
      doc->doubts.push_back(
          FieldDoubt(KindOf(p.kind), doc->fields[static_cast<size_t>(p.index)],
                     p.message));
    } else {
      doc->doubts.push_back(
          Doubt{KindOf(p.kind), p.field_id, p.message, -1, {}});
    }
  }
  if (!app.bank.iban.empty() && !core::IsValidIban(app.bank.iban)) {
    doc->doubts.push_back(Doubt{DoubtKind::kUnparsable,
                                "bank.iban",
                                "Feld 'bank.iban': die Prüfziffer stimmt "
                                "nicht (Lesefehler oder falsche IBAN).",
                                -1,
                                {}});
  }
  doc->application = std::move(app);
}

// Doubts for pages the page codes name but the file lacks.
void CheckPagesPresent(ScannedDocument* doc,
                       const std::vector<FilePage>& pages) {
  for (int n = 1; n <= doc->form_pages; ++n) {
    const bool present = std::any_of(
        pages.begin(), pages.end(),
        [&](const FilePage& p) { return p.code && p.code->page == n; });
    if (!present) {
      doc->doubts.push_back(Doubt{DoubtKind::kPage,
                                  "",
                                  "Seite " + std::to_string(n) + " von " +
                                      std::to_string(doc->form_pages) +
                                      " fehlt.",
                                  -1,
                                  {}});
    }
  }
}

// Readings for the fields not read from the image, from the barcode.
void FillFromBarcode(ScannedDocument* doc, const Form& form,
                     const std::vector<FilePage>& pages) {
  std::set<std::tuple<std::string, std::string, int>> read;
  for (const FieldReading& r : doc->fields)
    read.insert({r.id, r.option, r.page});
  for (size_t i = 0; i < pages.size(); ++i) {
    const FilePage& p = pages[i];
    if (!p.located || !p.code) continue;
    for (const forms::Field& f : form.placed[p.code->page - 1].fields) {
      const std::string option =
          f.kind == forms::FieldKind::kCheck ? f.value : "";
      if (read.count({f.id, option, static_cast<int>(i)})) continue;
      doc->fields.push_back(FieldReading{
          f.id, option, forms::FieldValue(*doc->application, f).value_or(""),
          1.0, static_cast<int>(i), ToPixels(f.box, p.located->px_per_mm)});
    }
  }
}

// Reads the fields of every located page (one decoded at a time); fills
// kept_pages and file_pages. Fails only if a kept page cannot be decoded
// (out of memory).
Status ReadPages(ScannedDocument* doc, std::vector<FilePage>& pages,
                 const Form& form, OcrEngine& ocr, const ReadOptions& options,
                 const FieldFilter& filter, const ExpectedValue& expected,
                 std::vector<int>* form_page_of) {
  for (FilePage& p : pages) {
    const int index = static_cast<int>(doc->kept_pages.size());
    doc->file_pages.push_back(p.file_page);
    form_page_of->push_back(p.code ? p.code->page : 0);
    if (!p.located || !p.code) {
      doc->doubts.push_back(Doubt{
          DoubtKind::kPage,
          "",
          "Seite " + std::to_string(p.file_page + 1) + " der Datei: " +
              (p.located ? "kein lesbarer Seitencode, die Seite ist nicht "
                           "zugeordnet."
                         : p.failure),
          index,
          {}});
      doc->kept_pages.push_back(std::move(p.kept));
      continue;
    }
    Result<std::shared_ptr<Pix>> image = p.kept.Image();
    if (!image.ok()) return image.status();
    // A reference of its own for the reading (which changes nothing in it);
    // the kept page is not shared beyond this thread yet.
    p.located->image.reset(pixClone(image->get()));
    PageFields read = ReadPageFields(*p.located, form.placed[p.code->page - 1],
                                     index, ocr, options, filter, expected);
    p.located->image.reset();
    for (FieldReading& r : read.fields) doc->fields.push_back(std::move(r));
    for (Doubt& d : read.doubts) doc->doubts.push_back(std::move(d));
    doc->kept_pages.push_back(std::move(p.kept));
  }
  return Status::Ok();
}

// A page located without a readable page code is assigned a number by its
// frames only when that is unambiguous: it must be the document's only
// such page, exactly one of the page numbers the codes name must be
// unclaimed, and the page must show that page's field frames (one way up:
// frame score at least kMinFrameScore) clearly better (by kFrameMargin)
// than any other page's or the other way up. Measured on clean 300-dpi and
// blurred 150-dpi scans: the right page scores 1.0, any other at most
// 0.57 (tests/scan/reader_test.cc, PageMatchTest).
constexpr double kMinFrameScore = 0.85;
constexpr double kFrameMargin = 0.3;

// The best frame score of `image` for any placed page but `except` (1-based;
// 0: none).
double OtherPagesScore(Pix* image, const std::vector<forms::PlacedPage>& placed,
                       double ppm, int except) {
  double best = 0;
  for (const forms::PlacedPage& t : placed) {
    if (t.number != except) best = std::max(best, FrameScore(image, t, ppm));
  }
  return best;
}

// Gives the one codeless located page of `pages` its number (and turns its
// kept image if it is upside down) when AssignByFrames' conditions hold.
// Fails only when Leptonica cannot decode, turn or encode (kInternal).
// A page kept decoded stays so (turned, it has as many pixels).
Status AssignByFrames(std::vector<FilePage>& pages, const ScannedDocument& doc,
                      const std::vector<forms::PlacedPage>& placed,
                      const forms::FormLayout& layout) {
  FilePage* page = nullptr;
  std::set<int> free;
  for (int n = 1; n <= doc.form_pages; ++n) free.insert(n);
  for (FilePage& p : pages) {
    if (p.code) {
      free.erase(p.code->page);
    } else if (p.located) {
      if (page != nullptr) return Status::Ok();  // two: ambiguous
      page = &p;
    }
  }
  if (page == nullptr || free.size() != 1) return Status::Ok();
  const int n = *free.begin();
  Result<std::shared_ptr<Pix>> up = page->kept.Image();
  if (!up.ok()) return up.status();
  PixPtr down(pixRotate180(nullptr, up->get()));
  if (!down) return InternalError("Leptonica: cannot turn page");
  const double ppm = page->located->px_per_mm;
  const double up_score = FrameScore(up->get(), placed[n - 1], ppm);
  const double down_score = FrameScore(down.get(), placed[n - 1], ppm);
  const bool turned = down_score > up_score;
  Pix* image = turned ? down.get() : up->get();
  const double score = std::max(up_score, down_score);
  const double rival = std::max({std::min(up_score, down_score),
                                 OtherPagesScore(up->get(), placed, ppm, n),
                                 OtherPagesScore(down.get(), placed, ppm, n)});
  if (score < kMinFrameScore || score - rival < kFrameMargin) {
    return Status::Ok();
  }
  if (turned) {
    if (page->kept.decoded()) {
      page->kept = KeptPage::Decoded(std::move(down));
    } else {
      Result<KeptPage> k = KeptPage::Encoded(image);
      if (!k.ok()) return k.status();
      page->kept = std::move(k).value();
    }
    page->located->upside_down = true;
  }
  page->code = forms::PageCode{layout.form_id, layout.version, n,
                               doc.form_pages, doc.serial};
  page->assigned = true;
  return Status::Ok();
}

// A page assigned by its frames is trusted only as far as the barcode
// confirms it: its own barcode parts were read (the barcode's serial is
// checked against the codes), or one of its key fields was read, not
// empty, and agrees with the barcode. Otherwise the document gets a doubt
// (with no barcode always): a page of another application must never
// become part of this one's letter.
void ConfirmAssigned(ScannedDocument* doc, const std::vector<FilePage>& pages,
                     bool from_barcode, const std::set<int>& parts_from) {
  for (size_t i = 0; i < pages.size(); ++i) {
    const FilePage& p = pages[i];
    if (!p.assigned) continue;
    const int index = static_cast<int>(i);
    bool confirmed = from_barcode && parts_from.count(p.file_page) > 0;
    for (const FieldReading& r : doc->fields) {
      // Key fields are read from the image (never filled in from the
      // barcode): one that stands without a doubt agrees with it.
      if (!from_barcode || r.page != index || !IsKeyField(r.id) ||
          r.value.empty()) {
        continue;
      }
      const bool doubted = std::any_of(
          doc->doubts.begin(), doc->doubts.end(), [&](const Doubt& d) {
            return d.field_id == r.id && d.page == index;
          });
      if (!doubted) confirmed = true;
    }
    if (confirmed) continue;
    doc->doubts.push_back(
        Doubt{DoubtKind::kPage,
              "",
              "Seite " + std::to_string(p.file_page + 1) +
                  " der Datei: kein lesbarer Seitencode; nach ihrem Aufbau als "
                  "Seite " +
                  std::to_string(p.code->page) + " von " +
                  std::to_string(p.code->pages) +
                  " zugeordnet, aber nicht durch den Barcode bestätigt. Bitte "
                  "prüfen, ob sie zu diesem Antrag gehört.",
              index,
              {}});
  }
}

Result<ScannedDocument> ReadDocument(std::vector<FilePage> pages,
                                     const forms::FormLayout& layout,
                                     OcrEngine& ocr,
                                     const ReadOptions& options) {
  ScannedDocument doc;
  for (const FilePage& p : pages) {
    if (!p.code) continue;
    doc.serial = p.code->serial;
    doc.form_pages = std::max(doc.form_pages, p.code->pages);
  }
  Form form{forms::PlacePages(layout, 0, 0, doc.form_pages)};
  Status assigned = AssignByFrames(pages, doc, form.placed, layout);
  if (!assigned.ok()) return assigned;
  std::stable_sort(pages.begin(), pages.end(),
                   [](const FilePage& a, const FilePage& b) {
                     const int pa = a.code ? a.code->page : 1 << 20;
                     const int pb = b.code ? b.code->page : 1 << 20;
                     return pa < pb;
                   });
  pages.erase(std::remove_if(pages.begin(), pages.end(),
                             [&](const FilePage& p) {
                               return p.code && p.code->page > doc.form_pages;
                             }),
              pages.end());
  CheckPagesPresent(&doc, pages);
  std::set<int> parts_from;  // file pages the barcode's parts were read on
  std::optional<Barcode> code = ReadBarcode(pages, form.placed, &parts_from);
  // With a barcode only its key fields (and the signature) are read, each
  // expected to show the barcode's value.
  FieldFilter filter = nullptr;
  ExpectedValue expected = nullptr;
  if (code) {
    filter = [](const forms::Field& f) {
      return IsKeyField(f.id) || f.kind == forms::FieldKind::kSignature;
    };
    expected = [&app = code->app](const forms::Field& f) {
      return forms::FieldValue(app, f);
    };
  }
  std::vector<int> form_page_of;
  Status read = ReadPages(&doc, pages, form, ocr, options, filter, expected,
                          &form_page_of);
  if (!read.ok()) return read;
  for (const FieldReading& r : doc.fields) {
    if (r.id == "signature.image") doc.signature_present = r.value == "X";
  }
  if (doc.form_pages == 0) return doc;
  const bool from_barcode = code.has_value();
  if (code) {
    FromBarcode(&doc, std::move(*code), form, form_page_of);
    FillFromBarcode(&doc, form, pages);
  } else {
    FromFields(&doc, form, form_page_of);
  }
  ConfirmAssigned(&doc, pages, from_barcode, parts_from);
  return doc;
}

}  // namespace

Result<ScanReading> ReadScan(PageSource& source,
                             const forms::FormLayout& layout, OcrEngine& ocr,
                             const ReadOptions& options) {
  if (source.page_count() < 1) {
    return InvalidInput("Die Datei enthält keine Seiten.");
  }
  std::vector<FilePage> located;
  size_t budget =
      static_cast<size_t>(std::max(0.0, options.kept_decoded_megapixels) * 1e6);
  for (int i = 0; i < source.page_count(); ++i) {
    // The page as decoded lives in here only: its located image is kept.
    Result<FilePage> p = [&]() -> Result<FilePage> {
      Result<PixPtr> page = source.Page(i);
      if (!page.ok()) return page.status();
      if (!*page) return InternalError("scan: a page is null");
      return Locate(page->get(), i, layout, options, &budget);
    }();
    if (!p.ok()) return p.status();
    located.push_back(std::move(p).value());
  }
  ScanReading out;
  for (std::vector<FilePage>& doc : Group(std::move(located))) {
    Result<ScannedDocument> d =
        ReadDocument(std::move(doc), layout, ocr, options);
    if (!d.ok()) return d.status();
    out.documents.push_back(std::move(d).value());
  }
  return out;
}

Result<ScanReading> ReadScan(const Pages& pages,
                             const forms::FormLayout& layout, OcrEngine& ocr,
                             const ReadOptions& options) {
  PagesSource source(pages);
  return ReadScan(source, layout, ocr, options);
}

}  // namespace bescheid::scan
