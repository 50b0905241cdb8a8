#include "corpus.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <utility>

#include "scan/degrade.h"
#include "scan/image_write.h"
#include "scan/rasterize.h"
#include "scan/rng.h"
#include "truth.h"

namespace bescheid::corpus {
namespace {

using scan::Rng;

constexpr core::Date kPeriodStart{2017, 9, 15};
constexpr core::Date kPeriodEnd{2019, 12, 31};

double Draw(const Range& r, Rng& rng) {
  return r.lo == r.hi ? r.lo : rng.Uniform(r.lo, r.hi);
}

// `magnitude` with a random sign, rounded to `decimals` so that the value
// applied is exactly the value the truth file states.
double SignedRounded(double magnitude, int decimals, Rng& rng) {
  const double scale = std::pow(10.0, decimals);
  const double v = std::round(magnitude * scale) / scale;
  const bool negative = (rng.Next() & 1) != 0;
  return negative && v != 0.0 ? -v : v;  // never -0: the truth shows "0.000"
}

double Rounded(double v, int decimals) {
  const double scale = std::pow(10.0, decimals);
  return std::round(v * scale) / scale;
}

int MmToPx(double mm, int dpi) {
  return static_cast<int>(std::lround(mm / 25.4 * dpi));
}

scan::Degradation DrawPage(const Variant& v, Rng& rng) {
  scan::Degradation d;
  d.rotate_degrees = SignedRounded(Draw(v.rotate_degrees, rng), 3, rng);
  d.shift_x = MmToPx(SignedRounded(Draw(v.shift_mm, rng), 2, rng), v.dpi);
  d.shift_y = MmToPx(SignedRounded(Draw(v.shift_mm, rng), 2, rng), v.dpi);
  d.blur_radius = v.blur_radius;
  d.noise_sigma = Rounded(Draw(v.noise_sigma, rng), 2);
  d.salt_pepper_density = Rounded(Draw(v.salt_pepper_density, rng), 5);
  d.jpeg_quality = static_cast<int>(std::lround(Draw(v.jpeg_artefacts, rng)));
  d.bitonal_threshold = v.bitonal_threshold;
  return d;
}

// A new value for one printed field, struck out and rewritten by hand:
// the first position's VZÄ or months (comb cells, as FieldValue gives
// them), chosen at random, always different from the printed value.
std::optional<CorrectionTruth> PlanCorrection(const Source& source,
                                              FormSource& forms, Rng& rng) {
  const bool fte = rng.UniformInt(0, 1) == 0;
  CorrectionTruth c;
  c.field = fte ? "position[0].fte" : "position[0].months";
  std::optional<std::string> old = forms.PrintedValue(source.app, c.field);
  if (!old) return std::nullopt;
  c.old_value = *old;
  static const char* const kFte[] = {"025", "050", "075", "100"};
  do {
    char months[8];
    std::snprintf(months, sizeof months, "%02d", rng.UniformInt(6, 24));
    c.new_value = fte ? kFte[rng.UniformInt(0, 3)] : months;
  } while (c.new_value == c.old_value);
  return c;
}

struct Document {
  DocumentTruth truth;
  scan::Pages pages;  // parallel to truth.pages
};

// Renders `source`'s form as the variant wants it and appends its pages.
Status AddApplication(const Source& source, const Variant& v, FormSource& forms,
                      Rng& rng, Document& doc) {
  ApplicationTruth a;
  a.source = &source;
  a.signature_present = v.signed_form;
  formpdf::FormOptions options;
  options.barcode = doc.truth.barcode;
  options.sample_signature = v.signed_form;
  options.timestamp = doc.truth.receipt.DaysSinceEpoch() * 86400;
  if (v.corrected) {
    std::optional<CorrectionTruth> c = PlanCorrection(source, forms, rng);
    if (c) {
      options.corrections.push_back({c->field, c->new_value});
      a.corrections.push_back(*c);
    }
  }
  Result<std::string> pdf = forms.Render(source.app, options);
  if (!pdf.ok()) return pdf.status();
  scan::RasterOptions raster;
  raster.dpi = v.dpi;
  raster.kind = v.kind;
  Result<scan::Pages> pages = scan::RasterizePdf(*pdf, raster);
  if (!pages.ok()) return pages.status();
  a.form_pages = static_cast<int>(pages->size());
  const int index = static_cast<int>(doc.truth.applications.size());
  doc.truth.applications.push_back(std::move(a));
  for (std::size_t i = 0; i < pages->size(); ++i) {
    doc.truth.pages.push_back(
        PageTruth{index, static_cast<int>(i) + 1, false, {}});
    doc.pages.push_back(std::move((*pages)[i]));
  }
  return Status::Ok();
}

// Puts the pages in a random order other than the original one, as a
// dropped stack would be.
void Shuffle(Rng& rng, Document& doc) {
  const std::size_t n = doc.pages.size();
  if (n < 2) return;
  std::vector<std::size_t> order(n);
  for (std::size_t i = 0; i < n; ++i) order[i] = i;
  while (std::is_sorted(order.begin(), order.end())) {
    for (std::size_t i = n - 1; i > 0; --i) {
      const auto j =
          static_cast<std::size_t>(rng.UniformInt(0, static_cast<int>(i)));
      std::swap(order[i], order[j]);
    }
  }
  std::vector<PageTruth> truths;
  scan::Pages pages;
  for (std::size_t i : order) {
    truths.push_back(doc.truth.pages[i]);
    pages.push_back(std::move(doc.pages[i]));
  }
  doc.truth.pages = std::move(truths);
  doc.pages = std::move(pages);
}

// Marks `count` distinct random pages to be fed upside down.
void TurnPages(int count, Rng& rng, Document& doc) {
  const int n = static_cast<int>(doc.pages.size());
  for (int k = 0; k < std::min(count, n); ++k) {
    auto p = static_cast<std::size_t>(rng.UniformInt(0, n - 1));
    while (doc.truth.pages[p].degradation.upside_down) {
      p = (p + 1) % doc.pages.size();
    }
    doc.truth.pages[p].degradation.upside_down = true;
  }
}

// Paints the page code of `count` distinct random pages white (the code's
// square and 2 mm around it), before the scanner's treatment.
Status BlotCodes(int count, const FormSource& forms, int dpi, Rng& rng,
                 Document& doc) {
  const std::optional<forms::Rect> code = forms.PageCodeArea();
  const int n = static_cast<int>(doc.pages.size());
  if (!code || count <= 0 || n == 0) return Status::Ok();
  const double ppm = dpi / 25.4;
  const scan::PixelBox box{static_cast<int>((code->x - 2) * ppm),
                           static_cast<int>((code->y - 2) * ppm),
                           static_cast<int>(std::ceil((code->w + 4) * ppm)),
                           static_cast<int>(std::ceil((code->h + 4) * ppm))};
  for (int k = 0; k < std::min(count, n); ++k) {
    auto p = static_cast<std::size_t>(rng.UniformInt(0, n - 1));
    while (doc.truth.pages[p].code_blotted) p = (p + 1) % doc.pages.size();
    Result<scan::PixPtr> page = scan::PaintWhite(doc.pages[p].get(), box);
    if (!page.ok()) return page.status();
    doc.pages[p] = std::move(page).value();
    doc.truth.pages[p].code_blotted = true;
  }
  return Status::Ok();
}

Status DegradeAll(const Variant& v, Rng& rng, Document& doc) {
  for (std::size_t i = 0; i < doc.pages.size(); ++i) {
    scan::Degradation& d = doc.truth.pages[i].degradation;
    const bool upside_down = d.upside_down;
    d = DrawPage(v, rng);
    d.upside_down = upside_down;
    Result<scan::PixPtr> page = scan::Degrade(doc.pages[i].get(), d, rng);
    if (!page.ok()) return page.status();
    doc.pages[i] = std::move(page).value();
  }
  return Status::Ok();
}

// "YYYY-MM-DD_<variant>[-c<copy>]_<name>[+<name>]".
std::string BaseName(const Document& doc) {
  const DocumentTruth& t = doc.truth;
  std::string name = t.receipt.ToIso() + "_" + t.variant->name;
  if (t.copy > 1) name += "-c" + std::to_string(t.copy);
  for (std::size_t i = 0; i < t.applications.size(); ++i) {
    name += (i == 0 ? "_" : "+") + t.applications[i].source->name;
  }
  return name;
}

// Encodes the pages in the variant's format and writes them: one file for
// TIFF and PDF, one "_p<n>" file per page otherwise.
Status WriteFiles(const std::string& dir, Env& env, Document& doc) {
  const Variant& v = *doc.truth.variant;
  const std::string base = BaseName(doc);
  const std::string ext = scan::FileExtension(v.format);
  std::vector<std::pair<std::string, std::string>> files;
  if (scan::IsMultiPage(v.format)) {
    Result<std::string> bytes =
        scan::EncodeDocument(doc.pages, v.format, doc.truth.output_quality);
    if (!bytes.ok()) return bytes.status();
    files.emplace_back(base + "." + ext, std::move(bytes).value());
  } else {
    for (std::size_t i = 0; i < doc.pages.size(); ++i) {
      Result<std::string> bytes = scan::EncodeImage(
          doc.pages[i].get(), v.format, doc.truth.output_quality);
      if (!bytes.ok()) return bytes.status();
      files.emplace_back(base + "_p" + std::to_string(i + 1) + "." + ext,
                         std::move(bytes).value());
    }
  }
  for (const auto& [name, bytes] : files) {
    Status s = env.WriteFileAtomic(JoinPath(dir, name), bytes);
    if (!s.ok()) return s;
    doc.truth.files.push_back(name);
  }
  return env.WriteFileAtomic(JoinPath(dir, base + ".truth.json"),
                             TruthJson(doc.truth));
}

int OutputQuality(const Variant& v, Rng& rng) {
  const bool jpeg_coded =
      v.format == scan::ImageFormat::kJpeg ||
      (v.format == scan::ImageFormat::kPdf && v.bitonal_threshold == 0);
  return jpeg_coded ? static_cast<int>(std::lround(Draw(v.output_quality, rng)))
                    : 0;
}

Status GenerateDocument(const std::vector<Source>& sources, std::size_t index,
                        const Variant& v, int copy,
                        const CorpusOptions& options, FormSource& forms,
                        Env& env, std::vector<std::string>& written) {
  const Source& first = sources[index];
  Document doc;
  doc.truth.seed = options.seed;
  doc.truth.barcode = options.barcode;
  doc.truth.doc_seed = scan::MixSeed(
      scan::MixSeed(scan::MixSeed(options.seed, scan::HashText(v.name)),
                    scan::HashText(first.name)),
      static_cast<std::uint64_t>(copy));
  doc.truth.variant = &v;
  doc.truth.copy = copy;
  doc.truth.receipt = ReceiptDate(first, options.seed);
  Rng rng(doc.truth.doc_seed);
  doc.truth.output_quality = OutputQuality(v, rng);
  Status s = AddApplication(first, v, forms, rng, doc);
  if (s.ok() && v.two_applications) {
    s = AddApplication(sources[(index + 1) % sources.size()], v, forms, rng,
                       doc);
  }
  if (!s.ok()) return s;
  if (v.shuffled) Shuffle(rng, doc);
  TurnPages(v.upside_down_pages, rng, doc);
  s = BlotCodes(v.blotted_code_pages, forms, v.dpi, rng, doc);
  if (s.ok()) s = DegradeAll(v, rng, doc);
  if (s.ok()) s = WriteFiles(options.out_dir, env, doc);
  if (!s.ok()) return s;
  written.insert(written.end(), doc.truth.files.begin(), doc.truth.files.end());
  written.push_back(BaseName(doc) + ".truth.json");
  return Status::Ok();
}

}  // namespace

core::Date ReceiptDate(const Source& source, std::uint64_t seed) {
  if (source.app.receipt_date) return *source.app.receipt_date;
  Rng rng(scan::MixSeed(seed, scan::HashText(source.xml)));
  const auto first = kPeriodStart.DaysSinceEpoch();
  const auto last = kPeriodEnd.DaysSinceEpoch();
  core::Date d = core::Date::FromDaysSinceEpoch(
      first + rng.UniformInt(0, static_cast<int>(last - first)));
  while (d.IsoWeekday() > 5) d = d.PlusDays(1);  // 2019-12-31 is a Tuesday
  return d;
}

Result<std::vector<std::string>> GenerateCorpus(
    const std::vector<Source>& sources, const CorpusOptions& options,
    FormSource& forms, Env& env) {
  std::vector<const Variant*> variants = options.variants;
  if (variants.empty()) {
    for (const Variant& v : Catalogue()) variants.push_back(&v);
  }
  Status s = env.CreateDirs(options.out_dir);
  if (!s.ok()) return s;
  std::vector<std::string> written;
  for (const Variant* v : variants) {
    for (std::size_t i = 0; i < sources.size(); ++i) {
      for (int copy = 1; copy <= options.copies; ++copy) {
        s = GenerateDocument(sources, i, *v, copy, options, forms, env,
                             written);
        if (!s.ok()) return s;
      }
    }
  }
  return written;
}

}  // namespace bescheid::corpus
