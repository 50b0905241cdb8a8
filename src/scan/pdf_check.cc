#include "scan/pdf_check.h"

#include <cmath>
#include <exception>
#include <functional>
#include <map>
#include <optional>
#include <qpdf/Pipeline.hh>
#include <qpdf/QPDF.hh>
#include <qpdf/QPDFExc.hh>
#include <qpdf/QPDFObjectHandle.hh>
#include <qpdf/QPDFPageObjectHelper.hh>
#include <set>
#include <stdexcept>
#include <string>
#include <vector>

#include "scan/intake_reasons.h"

namespace bescheid::scan {
namespace {

using Object = QPDFObjectHandle;

constexpr int kMaxActionChain = 16;
constexpr int kMaxFormDepth = 4;

// Counts decoded stream bytes; throws once the budget is spent, which makes
// qpdf stop decoding (it reports failure, and `exceeded` says why).
class Budget : public Pipeline {
 public:
  explicit Budget(std::uint64_t max) : Pipeline("budget", nullptr), max_(max) {}
  void write(unsigned char const*, size_t len) override {
    used_ += len;
    if (used_ > max_) {
      exceeded = true;
      throw std::length_error("content budget exceeded");
    }
  }
  void finish() override {}
  bool exceeded = false;

 private:
  std::uint64_t max_;
  std::uint64_t used_ = 0;
};

// The German name of an action that does more than move within the
// document, or nullopt for a harmless one (GoTo, URI, Named, ...).
std::optional<std::string> ActiveActionName(Object action) {
  if (!action.isDictionary()) return std::nullopt;
  if (action.hasKey("/JS")) return "JavaScript";
  Object s = action.getKey("/S");
  if (!s.isName()) return std::nullopt;
  const std::string name = s.getName();
  if (name == "/JavaScript") return "JavaScript";
  if (name == "/Launch") return "Start eines Programms";
  if (name == "/ImportData" || name == "/SubmitForm" || name == "/ResetForm" ||
      name == "/GoToE" || name == "/GoToR" || name == "/Rendition" ||
      name == "/RichMediaExecute" || name == "/Movie" || name == "/Sound") {
    return "Aktion " + name.substr(1);
  }
  return std::nullopt;
}

// The first active action in `action` and its /Next chain.
std::optional<std::string> ActiveInChain(Object action) {
  std::vector<Object> todo = {action};
  for (int seen = 0; !todo.empty() && seen < kMaxActionChain; ++seen) {
    Object a = todo.back();
    todo.pop_back();
    if (auto what = ActiveActionName(a)) return what;
    if (!a.isDictionary()) continue;
    Object next = a.getKey("/Next");
    if (next.isDictionary()) todo.push_back(next);
    for (int i = 0; next.isArray() && i < next.getArrayNItems(); ++i) {
      todo.push_back(next.getArrayItem(i));
    }
  }
  if (!todo.empty()) return "verkettete Aktionen";
  return std::nullopt;
}

std::optional<std::string> ActiveInCatalog(Object root) {
  if (auto what = ActiveInChain(root.getKey("/OpenAction"))) {
    return *what + " beim Öffnen";
  }
  if (root.getKey("/AA").isDictionary()) {
    return "automatische Aktionen des Dokuments";
  }
  Object names = root.getKey("/Names");
  if (names.isDictionary() && names.hasKey("/JavaScript")) {
    return "JavaScript";
  }
  if (names.isDictionary() && names.hasKey("/EmbeddedFiles")) {
    return "eingebettete Dateien";
  }
  Object form = root.getKey("/AcroForm");
  if (form.isDictionary() && form.hasKey("/XFA")) return "XFA-Formular";
  return std::nullopt;
}

std::optional<std::string> ActiveInAnnotation(Object annot) {
  if (!annot.isDictionary()) return std::nullopt;
  if (auto what = ActiveInChain(annot.getKey("/A"))) return what;
  if (annot.getKey("/AA").isDictionary()) return "automatische Aktionen";
  Object subtype = annot.getKey("/Subtype");
  if (!subtype.isName()) return std::nullopt;
  const std::string s = subtype.getName();
  if (s == "/FileAttachment") return "angehängte Datei";
  if (s == "/Screen" || s == "/Movie" || s == "/Sound" || s == "/RichMedia" ||
      s == "/3D") {
    return "Multimedia";
  }
  return std::nullopt;
}

std::optional<std::string> ActiveInPage(Object page, int index) {
  const std::string where = " auf Seite " + std::to_string(index + 1);
  if (page.getKey("/AA").isDictionary()) {
    return "automatische Aktionen" + where;
  }
  Object annots = page.getKey("/Annots");
  for (int i = 0; annots.isArray() && i < annots.getArrayNItems(); ++i) {
    if (auto what = ActiveInAnnotation(annots.getArrayItem(i))) {
      return *what + where;
    }
  }
  return std::nullopt;
}

Status CheckPageSize(QPDFPageObjectHelper& page, int index,
                     const ScanLimits& limits) {
  Object box = page.getMediaBox();
  if (!box.isRectangle()) return reasons::PdfPageInvalid(index);
  const Object::Rectangle r = box.getArrayAsRectangle();
  double unit = 1;
  Object user_unit = page.getObjectHandle().getKey("/UserUnit");
  if (user_unit.isNumber()) unit = user_unit.getNumericValue();
  const double w_pt = std::fabs(r.urx - r.llx) * unit;
  const double h_pt = std::fabs(r.ury - r.lly) * unit;
  const double w = std::ceil(w_pt / 72.0 * limits.pdf_dpi);
  const double h = std::ceil(h_pt / 72.0 * limits.pdf_dpi);
  if (!(w >= 1 && h >= 1 && unit > 0)) return reasons::PdfPageInvalid(index);
  if (w > limits.max_pixels_per_side || h > limits.max_pixels_per_side ||
      w * h > limits.max_megapixels * 1e6) {
    const double mm = 25.4 / 72.0;
    return reasons::PdfPageTooLarge(index, w_pt * mm, h_pt * mm, limits.pdf_dpi,
                                    limits.max_pixels_per_side,
                                    limits.max_megapixels);
  }
  return Status::Ok();
}

Status CheckImage(Object image, int index, const ScanLimits& limits) {
  Object dict = image.getDict();
  Object w = dict.getKey("/Width");
  Object h = dict.getKey("/Height");
  if (!w.isNumber() || !h.isNumber()) return reasons::PdfDamaged();
  const double wv = w.getNumericValue();
  const double hv = h.getNumericValue();
  if (wv > limits.max_pixels_per_side || hv > limits.max_pixels_per_side ||
      wv * hv > limits.max_megapixels * 1e6) {
    return reasons::PdfImageTooLarge(index, static_cast<std::int64_t>(wv),
                                     static_cast<std::int64_t>(hv));
  }
  return Status::Ok();
}

// Whether `drawing`'s resources hold what makes drawing cost work that no
// cap above counts, and that no scanner writes: a pattern (a tiling
// pattern's cell is repeated as often as its step allows; a shading
// pattern, like a shading, is computed pixel by pixel from functions of
// any depth), a shading, or a Type 3 font (each glyph a content stream of
// its own, drawn once per character shown).
bool HasCostlyResources(QPDFPageObjectHelper& drawing) {
  Object resources = drawing.getAttribute("/Resources", false);
  if (!resources.isDictionary()) return false;
  for (const char* key : {"/Pattern", "/Shading"}) {
    Object entries = resources.getKey(key);
    if (entries.isDictionary() && !entries.getKeys().empty()) return true;
  }
  Object fonts = resources.getKey("/Font");
  if (!fonts.isDictionary()) return false;
  for (auto& [name, font] : fonts.getDictAsMap()) {
    if (font.isDictionary() && font.getKey("/Subtype").isName() &&
        font.getKey("/Subtype").getName() == "/Type3") {
      return true;
    }
  }
  return false;
}

// Decodes `stream` into `budget`; false if the budget ran out.
bool Spend(Object stream, Budget& budget) {
  stream.pipeStreamData(&budget, 0, qpdf_dl_generalized, true, false);
  return !budget.exceeded;
}

// A page's or form XObject's content (into `budget`) and images, each form
// once; forms nested deeper than kMaxFormDepth are refused. Afterwards
// every stream a page draws has been decoded within the budget, so parsing
// them (WorkMeter) is bounded too.
Status CheckDrawing(QPDFPageObjectHelper drawing, int index, int depth,
                    const ScanLimits& limits, Budget& budget,
                    std::set<QPDFObjGen>& seen) {
  std::vector<Object> contents =
      depth == 0 ? drawing.getPageContents()
                 : std::vector<Object>{drawing.getObjectHandle()};
  for (Object& c : contents) {
    if (c.isStream() && !Spend(c, budget)) {
      return reasons::PdfContentTooLarge(index, kMaxPdfContentBytesPerPage);
    }
  }
  if (HasCostlyResources(drawing)) return reasons::PdfTooMuchWork(index);
  for (auto& [name, image] : drawing.getImages()) {
    Status s = CheckImage(image, index, limits);
    if (!s.ok()) return s;
  }
  for (auto& [name, form] : drawing.getFormXObjects()) {
    if (depth + 1 > kMaxFormDepth) return reasons::PdfTooMuchWork(index);
    if (!seen.insert(form.getObjGen()).second) continue;
    Status s = CheckDrawing(QPDFPageObjectHelper(form), index, depth + 1,
                            limits, budget, seen);
    if (!s.ok()) return s;
  }
  return Status::Ok();
}

// The streams an annotation shows: its normal appearance, one stream or
// one per appearance state.
std::vector<Object> Appearances(Object annot) {
  std::vector<Object> out;
  Object ap = annot.isDictionary() ? annot.getKey("/AP") : Object();
  Object normal = ap.isDictionary() ? ap.getKey("/N") : Object();
  if (normal.isStream()) out.push_back(normal);
  if (normal.isDictionary()) {
    for (auto& [state, stream] : normal.getDictAsMap()) {
      if (stream.isStream()) out.push_back(stream);
    }
  }
  return out;
}

std::vector<Object> PageAppearances(Object page) {
  std::vector<Object> out;
  Object annots = page.getKey("/Annots");
  for (int i = 0; annots.isArray() && i < annots.getArrayNItems(); ++i) {
    for (Object& a : Appearances(annots.getArrayItem(i))) out.push_back(a);
  }
  return out;
}

// What drawing a page or form once costs poppler: operators interpreted
// and image pixels decoded, with each Do charged what it draws (forms
// counted once and multiplied by their uses, so reuse cannot hide work).
struct Work {
  double operators = 0;
  double image_pixels = 0;
  bool too_deep = false;
};

class WorkCounter : public Object::ParserCallbacks {
 public:
  WorkCounter(Object resources, std::function<Work(Object)> cost)
      : xobjects_(resources.isDictionary() ? resources.getKey("/XObject")
                                           : Object()),
        cost_(std::move(cost)) {}

  void handleObject(Object obj, size_t, size_t length) override {
    if (obj.isName()) {
      last_name_ = obj.getName();
      return;
    }
    if (obj.isOperator() && obj.getOperatorValue() == "Do" &&
        xobjects_.isDictionary() && xobjects_.hasKey(last_name_)) {
      const Work w = cost_(xobjects_.getKey(last_name_));
      work.operators += w.operators;
      work.image_pixels += w.image_pixels;
      work.too_deep = work.too_deep || w.too_deep;
    }
    if (obj.isOperator()) work.operators += 1;
    if (obj.isInlineImage()) work.operators += static_cast<double>(length);
    last_name_.clear();
  }
  void handleEOF() override {}

  Work work;

 private:
  Object xobjects_;
  std::function<Work(Object)> cost_;
  std::string last_name_;
};

class WorkMeter {
 public:
  Work OfPage(Object page) {
    QPDFPageObjectHelper helper(page);
    WorkCounter counter(helper.getAttribute("/Resources", false),
                        [&](Object x) { return OfXObject(x, 1); });
    helper.parseContents(&counter);
    Work total = counter.work;
    for (Object& appearance : PageAppearances(page)) {
      const Work w = OfXObject(appearance, 1);
      total.operators += w.operators;
      total.image_pixels += w.image_pixels;
      total.too_deep = total.too_deep || w.too_deep;
    }
    return total;
  }

 private:
  Work OfXObject(Object x, int depth) {
    Work w;
    if (!x.isStream()) return w;
    Object dict = x.getDict();
    Object subtype = dict.getKey("/Subtype");
    if (subtype.isName() && subtype.getName() == "/Image") {
      Object width = dict.getKey("/Width"), height = dict.getKey("/Height");
      if (width.isNumber() && height.isNumber()) {
        w.image_pixels = width.getNumericValue() * height.getNumericValue();
      }
      return w;
    }
    if (depth > kMaxFormDepth) {
      w.too_deep = true;
      return w;
    }
    auto known = forms_.find(x.getObjGen());
    if (known != forms_.end()) return known->second;
    forms_[x.getObjGen()] = Work{0, 0, true};  // a form drawing itself
    WorkCounter counter(dict.getKey("/Resources"), [&](Object inner) {
      return OfXObject(inner, depth + 1);
    });
    x.parseAsContents(&counter);
    forms_[x.getObjGen()] = counter.work;
    return counter.work;
  }

  std::map<QPDFObjGen, Work> forms_;
};

Status CheckPageWork(Object page, int index, const ScanLimits& limits) {
  const Work work = WorkMeter().OfPage(page);
  const double max_pixels =
      kMaxPdfImageAreasPerPage * limits.max_megapixels * 1e6;
  if (work.too_deep || work.operators > kMaxPdfOperatorsPerPage ||
      work.image_pixels > max_pixels) {
    return reasons::PdfTooMuchWork(index);
  }
  return Status::Ok();
}

Status CheckPages(QPDF& pdf, const ScanLimits& limits) {
  const std::vector<Object>& pages = pdf.getAllPages();
  const int n = static_cast<int>(pages.size());
  if (n < 1) return reasons::NoPages("PDF-Datei");
  if (n > limits.max_pages) {
    return reasons::TooManyPages("PDF-Datei", n, limits.max_pages);
  }
  for (int i = 0; i < n; ++i) {
    if (auto what = ActiveInPage(pages[i], i)) return reasons::PdfActive(*what);
    QPDFPageObjectHelper page(pages[i]);
    Status s = CheckPageSize(page, i, limits);
    if (!s.ok()) return s;
    Budget budget(kMaxPdfContentBytesPerPage);
    std::set<QPDFObjGen> seen;
    s = CheckDrawing(page, i, 0, limits, budget, seen);
    for (Object& appearance : PageAppearances(pages[i])) {
      if (!s.ok()) break;
      s = CheckDrawing(QPDFPageObjectHelper(appearance), i, 1, limits, budget,
                       seen);
    }
    if (s.ok()) s = CheckPageWork(pages[i], i, limits);
    if (!s.ok()) return s;
  }
  return Status::Ok();
}

}  // namespace

Status CheckPdf(std::string_view bytes, const ScanLimits& limits) {
  try {
    QPDF pdf;
    pdf.setSuppressWarnings(true);
    pdf.setAttemptRecovery(false);
    pdf.processMemoryFile("scan", bytes.data(), bytes.size());
    if (pdf.isEncrypted()) return reasons::PdfEncrypted();
    if (auto what = ActiveInCatalog(pdf.getRoot())) {
      return reasons::PdfActive(*what);
    }
    return CheckPages(pdf, limits);
  } catch (const QPDFExc& e) {
    if (e.getErrorCode() == qpdf_e_password) return reasons::PdfEncrypted();
    return reasons::PdfDamaged();
  } catch (const std::exception&) {
    return reasons::PdfDamaged();
  }
}

}  // namespace bescheid::scan
