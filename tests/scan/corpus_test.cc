// The scan-corpus generator on a stand-in form (the example letters): it
// is deterministic, applies what its truth file says, and the files are of
// the format, resolution and compression its variant names.
#include "corpus.h"

#include <Poco/JSON/Parser.h>
#include <allheaders.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <map>
#include <set>

#include "env/env.h"
#include "formpdf/form_renderer.h"
#include "forms/layout.h"
#include "scan/degrade.h"
#include "scan/image_read.h"
#include "scan_test_util.h"
#include "xml/application_reader.h"

namespace bescheid::corpus {
namespace {

using Poco::JSON::Array;
using Poco::JSON::Object;

// Renders a two-page letter for Tettnang and a one-page letter for anyone
// else, and remembers what it was asked for.
class LetterForm : public FormSource {
 public:
  Result<std::string> Render(const core::Application& app,
                             const formpdf::FormOptions& options) override {
    requests.push_back({app.name, options});
    return app.name == "Stadt Tettnang" ? testing::TwoPagePdf()
                                        : testing::OnePagePdf();
  }
  std::optional<std::string> PrintedValue(const core::Application&,
                                          const std::string& field) override {
    if (field == "position[0].fte") return "100";
    if (field == "position[0].months") return "24";
    return std::nullopt;
  }
  std::vector<std::pair<std::string, formpdf::FormOptions>> requests;
};

Source Example(const std::string& file) {
  static auto reader = xml::ApplicationReader::Create();
  Source s;
  s.path = "examples/" + file;
  s.name = file.substr(0, file.size() - 4);
  s.xml = testing::ReadFileOrDie(testing::SourcePath(s.path));
  Result<core::Application> app = (*reader)->Read(s.xml, file);
  EXPECT_TRUE(app.ok()) << app.status().message();
  if (app.ok()) s.app = std::move(app).value();
  return s;
}

const std::vector<Source>& Sources() {
  static const std::vector<Source> sources = {
      Example("01-bewilligung-tettnang.xml"),
      Example("03-ablehnung-mindestbetrag-todtnau.xml")};
  return sources;
}

std::vector<const Variant*> Variants(std::vector<std::string> names) {
  std::vector<const Variant*> out;
  for (const std::string& n : names) {
    out.push_back(FindVariant(n));
    EXPECT_NE(out.back(), nullptr) << n;
  }
  return out;
}

// Generates `variants` for the first `n` sources into `dir`; the names.
std::vector<std::string> Generate(const std::string& dir,
                                  std::vector<std::string> variants,
                                  std::uint64_t seed = 7, std::size_t n = 1,
                                  LetterForm* form = nullptr) {
  LetterForm local;
  CorpusOptions options;
  options.out_dir = dir;
  options.seed = seed;
  options.variants = Variants(std::move(variants));
  std::vector<Source> sources(Sources().begin(), Sources().begin() + n);
  Result<std::vector<std::string>> written =
      GenerateCorpus(sources, options, form ? *form : local, *DefaultEnv());
  EXPECT_TRUE(written.ok()) << written.status().message();
  return written.ok() ? *written : std::vector<std::string>{};
}

Object::Ptr Truth(const std::string& path) {
  Poco::JSON::Parser parser;
  return parser.parse(testing::ReadFileOrDie(path)).extract<Object::Ptr>();
}

std::string TruthName(const std::vector<std::string>& names) {
  for (const std::string& n : names) {
    if (n.size() > 11 && n.substr(n.size() - 11) == ".truth.json") return n;
  }
  ADD_FAILURE() << "no truth file";
  return "";
}

TEST(CorpusTest, SameSeedSameBytesOtherSeedOtherBytes) {
  const std::vector<std::string> variants = {
      "skew5-200-tiff-lzw", "bitonal-150-tiff-g4", "noisy-200-pnm",
      "shuffled-200-pdf"};
  testing::TempDir a, b, c;
  const std::vector<std::string> names = Generate(a.path(), variants, 7);
  ASSERT_EQ(names, Generate(b.path(), variants, 7));
  const std::vector<std::string> other = Generate(c.path(), variants, 8);
  ASSERT_EQ(names.size(), other.size());
  ASSERT_GE(names.size(), 8u);
  for (std::size_t i = 0; i < names.size(); ++i) {
    EXPECT_EQ(testing::ReadFileOrDie(a / names[i]),
              testing::ReadFileOrDie(b / names[i]))
        << names[i];
    EXPECT_EQ(names[i], other[i]);  // the receipt date is the XML's
    EXPECT_NE(testing::ReadFileOrDie(a / names[i]),
              testing::ReadFileOrDie(c / other[i]))
        << names[i];
  }
}

// Every file's format, page count and resolution as read back, against the
// variant and the truth file.
TEST(CorpusTest, FilesAreWhatTheVariantAndTruthSay) {
  const std::vector<std::string> variants = {
      "bitonal-150-tiff-g4", "skew5-200-tiff-lzw", "noisy-200-pnm",
      "blurred-150-png",     "shuffled-200-pdf",   "artefacts-200-tiff-lzw"};
  testing::TempDir dir;
  const std::vector<std::string> names = Generate(dir.path(), variants);
  std::set<std::string> truths;
  for (const std::string& n : names) {
    if (n.find(".truth.json") != std::string::npos) truths.insert(n);
  }
  ASSERT_EQ(truths.size(), variants.size());
  for (const std::string& t : truths) {
    Object::Ptr truth = Truth(dir / t);
    const Variant* v = FindVariant(truth->getValue<std::string>("variant"));
    ASSERT_NE(v, nullptr);
    EXPECT_EQ(t,
              "2017-08-14_" + v->name + "_01-bewilligung-tettnang.truth.json");
    EXPECT_EQ(truth->getValue<int>("dpi"), v->dpi);
    EXPECT_EQ(truth->getValue<std::string>("format"),
              scan::FormatName(v->format));
    Array::Ptr files = truth->getArray("files");
    Array::Ptr pages = truth->getArray("pages");
    ASSERT_EQ(pages->size(), 2u);
    ASSERT_EQ(files->size(), scan::IsMultiPage(v->format) ? 1u : 2u);
    for (std::size_t i = 0; i < files->size(); ++i) {
      const std::string bytes =
          testing::ReadFileOrDie(dir / files->getElement<std::string>(i));
      Result<scan::ImageInfo> info = scan::InspectImage(bytes);
      ASSERT_TRUE(info.ok()) << info.status().message();
      EXPECT_EQ(info->format, v->format) << v->name;
      EXPECT_EQ(info->pages, static_cast<int>(pages->size() / files->size()));
      if (v->format != scan::ImageFormat::kPdf &&
          v->format != scan::ImageFormat::kPnm) {
        EXPECT_EQ(info->x_dpi, v->dpi) << v->name;
      }
      if (v->format != scan::ImageFormat::kPdf) {
        EXPECT_NEAR(info->width, 210 / 25.4 * v->dpi, 1.0) << v->name;
        EXPECT_EQ(info->depth, v->bitonal_threshold > 0 ? 1 : 8) << v->name;
      }
    }
  }
}

TEST(CorpusTest, JpegCodedVariantsDrawTheirQualityAndKeepColour) {
  testing::TempDir dir;
  LetterForm form;
  CorpusOptions options;
  options.out_dir = dir.path();
  options.variants = Variants({"mild-300-jpeg", "scanner-300-pdf"});
  const std::vector<Source> todtnau = {Sources()[1]};  // one page
  Result<std::vector<std::string>> names =
      GenerateCorpus(todtnau, options, form, *DefaultEnv());
  ASSERT_TRUE(names.ok()) << names.status().message();
  const std::string stem = "03-ablehnung-mindestbetrag-todtnau";
  Object::Ptr mild =
      Truth(dir / ("2017-08-14_mild-300-jpeg_" + stem + ".truth.json"));
  const int mild_quality = mild->getValue<int>("output_jpeg_quality");
  EXPECT_GE(mild_quality, 60);
  EXPECT_LE(mild_quality, 90);
  Result<scan::ImageInfo> jpeg = scan::InspectImage(testing::ReadFileOrDie(
      dir / ("2017-08-14_mild-300-jpeg_" + stem + "_p1.jpg")));
  ASSERT_TRUE(jpeg.ok());
  EXPECT_EQ(jpeg->format, scan::ImageFormat::kJpeg);
  EXPECT_EQ(jpeg->x_dpi, 300);

  Object::Ptr scanner =
      Truth(dir / ("2017-08-14_scanner-300-pdf_" + stem + ".truth.json"));
  EXPECT_EQ(scanner->getValue<std::string>("colour"), "colour");
  const int pdf_quality = scanner->getValue<int>("output_jpeg_quality");
  EXPECT_GE(pdf_quality, 70);
  EXPECT_LE(pdf_quality, 85);
  // The PDF's one image as poppler lists it: RGB, JPEG, at 300 dpi.
  const testing::CommandResult images = testing::RunCommand(
      "pdfimages -list '" +
      dir / ("2017-08-14_scanner-300-pdf_" + stem + ".pdf") + "'");
  ASSERT_EQ(images.exit_code, 0) << images.out;
  EXPECT_NE(images.out.find(" 2480  3508  rgb     3   8  jpeg "),
            std::string::npos)
      << images.out;
  EXPECT_NE(images.out.find("   300   300 "), std::string::npos) << images.out;
}

Object::Ptr Page(const Object::Ptr& truth, std::size_t i) {
  return truth->getArray("pages")->getObject(static_cast<unsigned>(i));
}

TEST(CorpusTest, SkewInTheFileIsTheSkewInTheTruth) {
  testing::TempDir dir;
  const std::vector<std::string> names =
      Generate(dir.path(), {"skew5-200-tiff-lzw"});
  Object::Ptr truth = Truth(dir / TruthName(names));
  Result<scan::Pages> pages = scan::DecodeImage(testing::ReadFileOrDie(
      dir / truth->getArray("files")->getElement<std::string>(0)));
  ASSERT_TRUE(pages.ok());
  ASSERT_EQ(pages->size(), 2u);
  for (std::size_t i = 0; i < 2; ++i) {
    const double angle = Page(truth, i)->getValue<double>("rotate_degrees");
    EXPECT_GE(std::abs(angle), 4.0);
    EXPECT_LE(std::abs(angle), 5.0);
    scan::PixPtr bitonal(pixConvertTo1((*pages)[i].get(), 160));
    l_float32 measured = 0, confidence = 0;
    ASSERT_EQ(pixFindSkew(bitonal.get(), &measured, &confidence), 0);
    EXPECT_NEAR(measured, -angle, 0.2) << "page " << i + 1;
  }
}

TEST(CorpusTest, TheTurnedPageIsUpsideDown) {
  testing::TempDir dir;
  const std::vector<std::string> names =
      Generate(dir.path(), {"upsidedown-300-tiff-jpeg"});
  Object::Ptr truth = Truth(dir / TruthName(names));
  EXPECT_EQ(truth->getValue<std::string>("compression"), "jpeg");
  Result<scan::Pages> pages = scan::DecodeImage(testing::ReadFileOrDie(
      dir / truth->getArray("files")->getElement<std::string>(0)));
  ASSERT_TRUE(pages.ok());
  int turned = 0;
  for (std::size_t i = 0; i < pages->size(); ++i) {
    const bool upside_down = Page(truth, i)->getValue<bool>("upside_down");
    turned += upside_down;
    scan::PixPtr bitonal(pixConvertTo1((*pages)[i].get(), 160));
    l_float32 conf = 0;
    ASSERT_EQ(pixUpDownDetect(bitonal.get(), &conf, 0, 0, 0), 0);
    if (upside_down) {
      EXPECT_LT(conf, -2.0f) << "page " << i + 1;
    } else {
      EXPECT_GT(conf, 2.0f) << "page " << i + 1;
    }
  }
  EXPECT_EQ(turned, 1);
}

TEST(CorpusTest, ShuffledPagesAreTheFormPagesTheTruthNames) {
  testing::TempDir dir;
  const std::vector<std::string> names =
      Generate(dir.path(), {"shuffled-200-pdf"});
  Object::Ptr truth = Truth(dir / TruthName(names));
  const scan::Pages original = testing::GreyPages(testing::TwoPagePdf(), 200);
  const scan::Pages scanned = testing::GreyPages(
      testing::ReadFileOrDie(
          dir / truth->getArray("files")->getElement<std::string>(0)),
      200);
  ASSERT_EQ(scanned.size(), 2u);
  EXPECT_EQ(Page(truth, 0)->getValue<int>("form_page"), 2);
  EXPECT_EQ(Page(truth, 1)->getValue<int>("form_page"), 1);
  // A page is told by its amount of ink, which a small rotation keeps.
  for (std::size_t i = 0; i < 2; ++i) {
    const auto form_page =
        static_cast<std::size_t>(Page(truth, i)->getValue<int>("form_page"));
    const double ink = testing::InkShare(scanned[i].get());
    const double same = testing::InkShare(original[form_page - 1].get());
    const double other = testing::InkShare(original[2 - form_page].get());
    EXPECT_LT(std::abs(ink - same) * 4, std::abs(ink - other))
        << "file page " << i + 1 << ": " << ink << " " << same << " " << other;
  }
}

TEST(CorpusTest, TwoApplicationsShareOneFile) {
  testing::TempDir dir;
  LetterForm form;
  const std::vector<std::string> names =
      Generate(dir.path(), {"two-apps-300-tiff-g4"}, 7, 1, &form);
  ASSERT_EQ(form.requests.size(), 2u);
  Object::Ptr truth = Truth(dir / TruthName(names));
  Array::Ptr apps = truth->getArray("applications");
  ASSERT_EQ(apps->size(), 2u);
  // With one source given, it is paired with itself (the next one).
  EXPECT_EQ(apps->getObject(0)->getValue<std::string>("name"),
            "01-bewilligung-tettnang");
  Result<scan::ImageInfo> info = scan::InspectImage(testing::ReadFileOrDie(
      dir / truth->getArray("files")->getElement<std::string>(0)));
  ASSERT_TRUE(info.ok());
  EXPECT_EQ(info->format, scan::ImageFormat::kTiffG4);
  EXPECT_EQ(info->pages, 4);
  EXPECT_EQ(info->x_dpi, 300);
  std::vector<int> owners;
  for (std::size_t i = 0; i < 4; ++i) {
    owners.push_back(Page(truth, i)->getValue<int>("application"));
  }
  EXPECT_EQ(owners, (std::vector<int>{1, 1, 2, 2}));
  EXPECT_EQ(apps->getObject(1)->getArray("file_pages")->size(), 2u);
}

TEST(CorpusTest, TwoDifferentApplicationsAreNamedAndPaged) {
  testing::TempDir dir;
  LetterForm form;
  const std::vector<std::string> names =
      Generate(dir.path(), {"two-apps-300-tiff-g4"}, 7, 2, &form);
  // Tettnang + Todtnau, then Todtnau + Tettnang.
  ASSERT_EQ(form.requests.size(), 4u);
  const std::string first = TruthName(names);
  EXPECT_EQ(first,
            "2017-08-14_two-apps-300-tiff-g4_01-bewilligung-tettnang+"
            "03-ablehnung-mindestbetrag-todtnau.truth.json");
  Object::Ptr truth = Truth(dir / first);
  Array::Ptr apps = truth->getArray("applications");
  EXPECT_EQ(apps->getObject(0)->getArray("file_pages")->size(), 2u);
  Array::Ptr second = apps->getObject(1)->getArray("file_pages");
  ASSERT_EQ(second->size(), 1u);
  EXPECT_EQ(second->getElement<int>(0), 3);
  EXPECT_EQ(apps->getObject(1)->getValue<std::string>("xml"), Sources()[1].xml);
}

TEST(CorpusTest, CorrectionAndMissingSignatureReachTheFormAndTheTruth) {
  testing::TempDir dir;
  LetterForm form;
  const std::vector<std::string> names = Generate(
      dir.path(), {"clean-300-png", "corrected-300-png", "unsigned-300-png"}, 7,
      1, &form);
  ASSERT_EQ(form.requests.size(), 3u);
  EXPECT_TRUE(form.requests[0].second.sample_signature);
  EXPECT_TRUE(form.requests[0].second.corrections.empty());
  ASSERT_EQ(form.requests[1].second.corrections.size(), 1u);
  const formpdf::Correction& c = form.requests[1].second.corrections[0];
  EXPECT_TRUE(c.field_id == "position[0].fte" ||
              c.field_id == "position[0].months");
  EXPECT_NE(c.new_value, c.field_id == "position[0].fte" ? "100" : "24");
  EXPECT_FALSE(form.requests[2].second.sample_signature);

  Object::Ptr corrected = Truth(
      dir / "2017-08-14_corrected-300-png_01-bewilligung-tettnang.truth.json");
  Object::Ptr app = corrected->getArray("applications")->getObject(0);
  Object::Ptr truth_c = app->getArray("corrections")->getObject(0);
  EXPECT_EQ(truth_c->getValue<std::string>("field"), c.field_id);
  EXPECT_EQ(truth_c->getValue<std::string>("new"), c.new_value);
  EXPECT_TRUE(app->getValue<bool>("signature_present"));
  Object::Ptr unsigned_truth = Truth(
      dir / "2017-08-14_unsigned-300-png_01-bewilligung-tettnang.truth.json");
  EXPECT_FALSE(unsigned_truth->getArray("applications")
                   ->getObject(0)
                   ->getValue<bool>("signature_present"));
  EXPECT_TRUE(std::filesystem::exists(
      dir / "2017-08-14_unsigned-300-png_01-bewilligung-tettnang_p2.png"));
}

TEST(CorpusTest, ReceiptDateIsStampedOrDrawnInThePeriod) {
  Source s = Sources()[0];
  EXPECT_EQ(ReceiptDate(s, 1).ToIso(), "2017-08-14");
  s.app.receipt_date.reset();
  std::set<std::string> dates;
  for (std::uint64_t seed = 1; seed <= 20; ++seed) {
    const core::Date d = ReceiptDate(s, seed);
    EXPECT_EQ(d, ReceiptDate(s, seed));
    EXPECT_LE((core::Date{2017, 9, 15}), d);
    EXPECT_LE(d, (core::Date{2019, 12, 31}));
    EXPECT_LE(d.IsoWeekday(), 5);
    dates.insert(d.ToIso());
  }
  EXPECT_GT(dates.size(), 15u);
}

TEST(CatalogueTest, CoversEveryResolutionFormatAndDegradation) {
  std::set<int> dpis;
  std::set<scan::ImageFormat> formats;
  bool rotate = false, shift = false, noise = false, blur = false, sp = false,
       jpeg = false, bitonal = false, upside = false, shuffled = false,
       corrected = false, unsigned_form = false, two = false, blotted = false;
  std::set<std::string> names;
  for (const Variant& v : Catalogue()) {
    EXPECT_TRUE(names.insert(v.name).second) << v.name;
    dpis.insert(v.dpi);
    formats.insert(v.format);
    rotate |= v.rotate_degrees.hi >= 5.0;
    shift |= v.shift_mm.hi > 0;
    noise |= v.noise_sigma.hi > 0;
    blur |= v.blur_radius > 0;
    sp |= v.salt_pepper_density.hi > 0;
    jpeg |= v.jpeg_artefacts.hi > 0;
    bitonal |= v.bitonal_threshold > 0;
    upside |= v.upside_down_pages > 0;
    shuffled |= v.shuffled;
    corrected |= v.corrected;
    unsigned_form |= !v.signed_form;
    two |= v.two_applications;
    blotted |= v.blotted_code_pages > 0;
  }
  EXPECT_EQ(dpis, (std::set<int>{150, 200, 300, 600}));
  EXPECT_EQ(formats.size(), 7u);
  EXPECT_TRUE(rotate && shift && noise && blur && sp && jpeg && bitonal &&
              upside && shuffled && corrected && unsigned_form && two &&
              blotted);
}

// The built tool with the real paper form.
class ToolTest : public ::testing::Test {
 protected:
  static testing::CommandResult Run(const std::string& out,
                                    const std::string& args) {
    return testing::RunCommand(
        std::string(SCAN_CORPUS_BINARY) + " --out '" + out + "' " + args +
        " '" + testing::SourcePath("examples/05-zusammenschluss-bodensee.xml") +
        "'");
  }
  static std::map<std::string, std::string> Files(const std::string& dir) {
    std::map<std::string, std::string> files;
    for (const auto& e : std::filesystem::directory_iterator(dir)) {
      files[e.path().filename().string()] =
          testing::ReadFileOrDie(e.path().string());
    }
    return files;
  }
};

TEST_F(ToolTest, SameSeedSameBytesOtherSeedOtherBytes) {
  testing::TempDir dir;
  const std::string variants =
      "--variants bitonal-150-tiff-g4,shuffled-200-pdf";
  for (const char* run : {"a", "b", "c"}) {
    const testing::CommandResult r =
        Run(dir / run, variants + (run[0] == 'c' ? " --seed 6" : " --seed 5"));
    ASSERT_EQ(r.exit_code, 0) << r.out;
  }
  const auto a = Files(dir / "a");
  ASSERT_EQ(a.size(), 4u);
  EXPECT_EQ(a, Files(dir / "b"));
  const auto c = Files(dir / "c");
  ASSERT_EQ(c.size(), a.size());
  for (const auto& [name, bytes] : a) {
    ASSERT_EQ(c.count(name), 1u) << name;
    EXPECT_NE(c.at(name), bytes) << name;
  }
  const std::string tif =
      "2017-08-14_bitonal-150-tiff-g4_05-zusammenschluss-bodensee.tif";
  Result<scan::ImageInfo> info = scan::InspectImage(a.at(tif));
  ASSERT_TRUE(info.ok());
  EXPECT_EQ(info->format, scan::ImageFormat::kTiffG4);
  EXPECT_EQ(info->x_dpi, 150);
  EXPECT_GE(info->pages, 3);
}

TEST_F(ToolTest, RefusesAnUnknownVariant) {
  testing::TempDir dir;
  const testing::CommandResult r = Run(dir.path(), "--variants no-such");
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.out.find("unknown variant 'no-such'"), std::string::npos);
}

// The ink share of `page` inside `r` (millimetres) at `dpi`.
double InkIn(Pix* page, const forms::Rect& r, int dpi) {
  const double px = dpi / 25.4;
  BOX* box =
      boxCreate(static_cast<l_int32>(r.x * px), static_cast<l_int32>(r.y * px),
                static_cast<l_int32>(r.w * px), static_cast<l_int32>(r.h * px));
  scan::PixPtr clip(pixClipRectangle(page, box, nullptr));
  boxDestroy(&box);
  return testing::InkShare(clip.get());
}

// Where field `id` is on the form: its page (1-based) and box.
std::pair<int, forms::Rect> FieldPlace(const forms::FormLayout& layout,
                                       const std::string& id) {
  for (const forms::PlacedPage& page : forms::PlacePages(layout, 1, 0)) {
    for (const forms::Field& f : page.fields) {
      if (f.id == id) return {page.number, f.box};
    }
  }
  ADD_FAILURE() << "no field " << id;
  return {0, {}};
}

TEST_F(ToolTest, SignatureAndCorrectionAreInkWhereTheFormHasThem) {
  testing::TempDir dir;
  const testing::CommandResult r =
      Run(dir.path(),
          "--seed 3 --variants clean-300-png,corrected-300-png,"
          "unsigned-300-png");
  ASSERT_EQ(r.exit_code, 0) << r.out;
  Result<forms::FormLayout> layout = formpdf::LoadLayoutFile(
      testing::SourcePath("templates/forms/antrag-1.0.form"));
  ASSERT_TRUE(layout.ok()) << layout.status().message();
  auto page = [&](const std::string& variant, int n) {
    Result<scan::Pages> pages = scan::DecodeImage(testing::ReadFileOrDie(
        dir / ("2017-08-14_" + variant + "_05-zusammenschluss-bodensee_p" +
               std::to_string(n) + ".png")));
    EXPECT_TRUE(pages.ok());
    return pages.ok() ? std::move(pages->front()) : nullptr;
  };
  const auto [sig_page, sig_box] = FieldPlace(*layout, "signature.image");
  const double signed_ink =
      InkIn(page("clean-300-png", sig_page).get(), sig_box, 300);
  const double unsigned_ink =
      InkIn(page("unsigned-300-png", sig_page).get(), sig_box, 300);
  EXPECT_GT(signed_ink, unsigned_ink + 0.01)
      << signed_ink << " " << unsigned_ink;

  Object::Ptr truth = Truth(
      dir /
      "2017-08-14_corrected-300-png_05-zusammenschluss-bodensee.truth.json");
  const std::string field = truth->getArray("applications")
                                ->getObject(0)
                                ->getArray("corrections")
                                ->getObject(0)
                                ->getValue<std::string>("field");
  const auto [c_page, c_box] = FieldPlace(*layout, field);
  // The old value is struck through, the new one written above the box's
  // line, after its label.
  const forms::Rect above{c_box.x, c_box.y - 8, 45, 8};
  const double clean_above =
      InkIn(page("clean-300-png", c_page).get(), above, 300);
  const double corrected_above =
      InkIn(page("corrected-300-png", c_page).get(), above, 300);
  EXPECT_GT(corrected_above, clean_above + 0.003)
      << corrected_above << " " << clean_above;
  EXPECT_GT(InkIn(page("corrected-300-png", c_page).get(), c_box, 300),
            InkIn(page("clean-300-png", c_page).get(), c_box, 300));
}

// The no-code variant: exactly the page its truth names has no ink where
// the page code is printed; every other page has its code.
TEST_F(ToolTest, TheBlottedPageHasNoPageCode) {
  testing::TempDir dir;
  const testing::CommandResult r =
      Run(dir.path(), "--seed 4 --variants nocode-300-tiff-lzw");
  ASSERT_EQ(r.exit_code, 0) << r.out;
  Result<forms::FormLayout> layout = formpdf::LoadLayoutFile(
      testing::SourcePath("templates/forms/antrag-1.0.form"));
  ASSERT_TRUE(layout.ok()) << layout.status().message();
  const std::string base =
      dir / "2017-08-14_nocode-300-tiff-lzw_05-zusammenschluss-bodensee";
  Result<scan::Pages> pages =
      scan::DecodeImage(testing::ReadFileOrDie(base + ".tif"));
  ASSERT_TRUE(pages.ok()) << pages.status().message();
  Array::Ptr truth = Truth(base + ".truth.json")->getArray("pages");
  ASSERT_EQ(truth->size(), pages->size());
  int blotted = 0;
  for (size_t i = 0; i < pages->size(); ++i) {
    Object::Ptr p = truth->getObject(static_cast<unsigned>(i));
    Pix* page = (*pages)[i].get();
    scan::PixPtr upright;
    if (p->getValue<bool>("upside_down")) {
      upright.reset(pixRotate180(nullptr, page));
      page = upright.get();
    }
    // Rotation up to 1 degree moves the code by up to 2 mm: its middle.
    const forms::Rect& c = layout->page_code;
    const double ink = InkIn(page, {c.x + 4, c.y + 4, c.w - 8, c.h - 8}, 300);
    if (p->getValue<bool>("code_blotted")) {
      ++blotted;
      EXPECT_LT(ink, 0.01) << "page " << i + 1;
    } else {
      EXPECT_GT(ink, 0.2) << "page " << i + 1;
    }
  }
  EXPECT_EQ(blotted, 1);
}

}  // namespace
}  // namespace bescheid::corpus
