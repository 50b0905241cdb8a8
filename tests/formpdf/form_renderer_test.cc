// Renders forms and reads them back as the scan side will: text with boxes
// (poppler-cpp), rasters at 200 dpi (poppler-cpp), codes (zxing-cpp).
#include "formpdf/form_renderer.h"

#define ZX_USE_UTF8 1
#include <ZXing/ReadBarcode.h>
#include <gtest/gtest.h>
#include <poppler/cpp/poppler-document.h>
#include <poppler/cpp/poppler-page-renderer.h>
#include <poppler/cpp/poppler-page.h>

#include <memory>

#include "forms/field_values.h"
#include "forms/payload.h"
#include "forms/sample_applications.h"
#include "test_util.h"

namespace bescheid::formpdf {
namespace {

using testing::ExpectSameApplication;
using testing::SampleApplication;

constexpr double kPt = 72.0 / 25.4;  // points per mm
constexpr double kDpi = 200;
constexpr double kPx = kDpi / 25.4;  // pixels per mm

struct Word {
  std::string text;
  double cx = 0, cy = 0;  // centre, mm from the top-left
};

struct Raster {
  int width = 0, height = 0;
  std::vector<uint8_t> gray;  // row by row, 0 = black

  int At(double x_mm, double y_mm) const {
    const int x = static_cast<int>(x_mm * kPx),
              y = static_cast<int>(y_mm * kPx);
    return gray[static_cast<size_t>(y) * width + x];
  }
};

class Pdf {
 public:
  explicit Pdf(const std::string& bytes)
      : doc_(poppler::document::load_from_raw_data(
            bytes.data(), static_cast<int>(bytes.size()))) {}
  bool ok() const { return doc_ != nullptr; }
  int pages() const { return doc_->pages(); }

  std::vector<Word> Words(int index) const {
    std::unique_ptr<poppler::page> page(doc_->create_page(index));
    std::vector<Word> words;
    for (const poppler::text_box& box : page->text_list()) {
      const poppler::byte_array utf8 = box.text().to_utf8();
      const poppler::rectf r = box.bbox();
      words.push_back({std::string(utf8.begin(), utf8.end()),
                       (r.x() + r.width() / 2) / kPt,
                       (r.y() + r.height() / 2) / kPt});
    }
    return words;
  }

  Raster Render(int index) const {
    std::unique_ptr<poppler::page> page(doc_->create_page(index));
    poppler::page_renderer renderer;
    renderer.set_image_format(poppler::image::format_gray8);
    poppler::image img = renderer.render_page(page.get(), kDpi, kDpi);
    Raster r;
    r.width = img.width();
    r.height = img.height();
    r.gray.resize(static_cast<size_t>(r.width) * r.height);
    for (int y = 0; y < r.height; ++y) {
      const char* row =
          img.const_data() + static_cast<size_t>(y) * img.bytes_per_row();
      std::copy(row, row + r.width,
                r.gray.begin() + static_cast<size_t>(y) * r.width);
    }
    return r;
  }

 private:
  std::unique_ptr<poppler::document> doc_;
};

ZXing::Results Codes(const Raster& r) {
  return ZXing::ReadBarcodes(
      ZXing::ImageView(r.gray.data(), r.width, r.height,
                       ZXing::ImageFormat::Lum),
      ZXing::DecodeHints().setFormats(ZXing::BarcodeFormat::QRCode));
}

// The words whose centres lie in `box`, left to right, joined by `sep`.
std::string TextIn(const std::vector<Word>& words, const forms::Rect& box,
                   const std::string& sep) {
  std::vector<const Word*> in;
  for (const Word& w : words) {
    if (box.Contains(w.cx, w.cy)) in.push_back(&w);
  }
  std::sort(in.begin(), in.end(),
            [](const Word* a, const Word* b) { return a->cx < b->cx; });
  std::string out;
  for (const Word* w : in) out += (out.empty() ? "" : sep) + w->text;
  return out;
}

class FormRendererTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    auto layout =
        LoadLayoutFile(testing::SourcePath("templates/forms/antrag-1.0.form"));
    ASSERT_TRUE(layout.ok()) << layout.status().message();
    layout_ = new forms::FormLayout(std::move(layout).value());
    auto renderer = FormRenderer::Create(
        {testing::SourcePath("fonts/DejaVuSans-letters.ttf"),
         testing::SourcePath("fonts/DejaVuSans-Bold-letters.ttf"),
         "/usr/share/fonts/truetype/fifthhorseman/dkg.ttf",
         "/usr/share/color/icc/sRGB.icc"});
    ASSERT_TRUE(renderer.ok()) << renderer.status().message();
    renderer_ = renderer->release();
  }
  static void TearDownTestSuite() {
    delete renderer_;
    delete layout_;
  }

  static RenderedForm Render(const core::Application* app,
                             const FormOptions& options = {}) {
    Result<RenderedForm> form = renderer_->Render(*layout_, app, options);
    if (!form.ok()) ADD_FAILURE() << form.status().message();
    return form.ok() ? std::move(form).value() : RenderedForm{};
  }

  // Every field of every page shows exactly its value inside its box.
  static void ExpectValuesInBoxes(const core::Application* app,
                                  const RenderedForm& form) {
    Pdf pdf(form.pdf);
    ASSERT_TRUE(pdf.ok());
    ASSERT_EQ(pdf.pages(), static_cast<int>(form.pages.size()));
    int checked = 0;
    for (size_t i = 0; i < form.pages.size(); ++i) {
      const std::vector<Word> words = pdf.Words(static_cast<int>(i));
      for (const forms::Field& f : form.pages[i].fields) {
        const std::string value =
            app ? forms::FieldValue(*app, f).value_or("") : "";
        const std::string sep = f.kind == forms::FieldKind::kComb ? "" : " ";
        EXPECT_EQ(TextIn(words, f.box, sep), value)
            << f.id << " on page " << i + 1;
        checked += !value.empty();
      }
    }
    if (app) {
      EXPECT_GT(checked, 40);
    }
  }

  static std::string Payload(const Pdf& pdf, const RenderedForm& form) {
    std::vector<std::string> parts;
    for (size_t i = 0; i < form.pages.size(); ++i) {
      if (!form.pages[i].tpl->barcode) continue;
      for (const ZXing::Result& r : Codes(pdf.Render(static_cast<int>(i)))) {
        std::string bytes(r.bytes().begin(), r.bytes().end());
        if (bytes.rfind("BQ", 0) == 0) parts.push_back(bytes);
      }
      if (static_cast<int>(parts.size()) == form.barcode_parts) break;
    }
    Result<std::string> joined = forms::JoinPayload(parts);
    EXPECT_TRUE(joined.ok()) << parts.size() << " parts";
    return joined.ok() ? *joined : "";
  }

  static forms::FormLayout* layout_;
  static FormRenderer* renderer_;
};

forms::FormLayout* FormRendererTest::layout_ = nullptr;
FormRenderer* FormRendererTest::renderer_ = nullptr;

TEST_F(FormRendererTest, PrefilledValuesLieInTheirLayoutBoxes) {
  const core::Application app = SampleApplication(5, 3);
  const RenderedForm form = Render(&app);
  EXPECT_EQ(form.pages.size(), 3u);
  ExpectValuesInBoxes(&app, form);
}

TEST_F(FormRendererTest, HandwrittenValuesLieInTheirBoxesToo) {
  core::Application app = SampleApplication(5, 5);
  app.contact.name = "Łukasz Żółć";  // not in the handwriting font
  app.positions[0].person = "Ægidius Øster";
  FormOptions options;
  options.handwriting = true;
  options.sample_signature = true;
  const RenderedForm form = Render(&app, options);
  ExpectValuesInBoxes(&app, form);
}

TEST_F(FormRendererTest, BlankFormHasEmptyFieldsAndNoDataBarcode) {
  const RenderedForm form = Render(nullptr);
  ASSERT_EQ(form.pages.size(), 4u);
  EXPECT_TRUE(form.pages[3].tpl->continuation);
  EXPECT_EQ(form.barcode_parts, 0);
  EXPECT_EQ(form.serial, 0u);
  ExpectValuesInBoxes(nullptr, form);
  Pdf pdf(form.pdf);
  const ZXing::Results codes = Codes(pdf.Render(2));
  ASSERT_EQ(codes.size(), 1u);
  EXPECT_EQ(codes[0].text(), "BF1:ANTRAG:1.0:3/4:00000000");
}

TEST_F(FormRendererTest, BarcodeDecodesToExactlyTheApplication) {
  core::Application app = SampleApplication(5, 3);
  app.positions[2].person = "Юлия Иванова";
  const RenderedForm form = Render(&app);
  ASSERT_EQ(form.barcode_parts, 1);
  Pdf pdf(form.pdf);
  const std::string payload = Payload(pdf, form);
  EXPECT_EQ(payload, forms::EncodePayload(app));
  Result<core::Application> back = forms::DecodePayload(payload);
  ASSERT_TRUE(back.ok()) << back.status().message();
  ExpectSameApplication(app, *back);

  std::string corrupted = payload;
  corrupted[corrupted.size() / 2] ^= 0x01;
  Result<core::Application> bad = forms::DecodePayload(corrupted);
  ASSERT_FALSE(bad.ok());
  EXPECT_NE(bad.status().message().find("Prüfsumme"), std::string::npos);
}

TEST_F(FormRendererTest, LargeApplicationSpreadsItsBarcodeOverPages) {
  core::Application app = SampleApplication(50, 30);
  uint32_t seed = 7;
  for (core::Position& p : app.positions) {
    for (int k = 0; k < 60; ++k) {
      seed = seed * 1103515245u + 12345u;
      p.person += static_cast<char>('a' + (seed >> 16) % 26);
    }
  }
  const RenderedForm form = Render(&app);
  EXPECT_GT(form.barcode_parts, 1);
  Pdf pdf(form.pdf);
  Result<core::Application> back = forms::DecodePayload(Payload(pdf, form));
  ASSERT_TRUE(back.ok()) << back.status().message();
  ExpectSameApplication(app, *back);
}

TEST_F(FormRendererTest, TwelvePositionsGetContinuationPages) {
  const core::Application app = SampleApplication(12, 0);
  const RenderedForm form = Render(&app);
  const int fixed = layout_->FixedRows("position");
  const int per_page = layout_->ContinuationRows("position");
  const size_t expected = 3 + (12 - fixed + per_page - 1) / per_page;
  ASSERT_EQ(form.pages.size(), expected);
  ExpectValuesInBoxes(&app, form);
  Pdf pdf(form.pdf);
  const std::vector<Word> last = pdf.Words(static_cast<int>(expected) - 1);
  std::string text;
  for (const Word& w : last) text += w.text + " ";
  EXPECT_NE(text.find("Fortsetzungsblatt"), std::string::npos);
  EXPECT_NE(text.find("Stelle 12 "), std::string::npos);
  EXPECT_NE(text.find("Seite " + std::to_string(expected) + " von " +
                      std::to_string(expected)),
            std::string::npos);
}

TEST_F(FormRendererTest, EveryPageHasMarksNumberAndPageCodeWhereTheLayoutSays) {
  const core::Application app = SampleApplication(9, 7);
  const RenderedForm form = Render(&app);
  Pdf pdf(form.pdf);
  const int count = static_cast<int>(form.pages.size());
  ASSERT_GT(count, 3);
  for (int i = 0; i < count; ++i) {
    SCOPED_TRACE("page " + std::to_string(i + 1));
    const Raster r = pdf.Render(i);
    for (const forms::Rect& m : layout_->marks) {
      for (double fx : {0.15, 0.5, 0.85}) {
        for (double fy : {0.15, 0.5, 0.85}) {
          EXPECT_LT(r.At(m.x + fx * m.w, m.y + fy * m.h), 60);
        }
      }
      EXPECT_GT(r.At(m.x - 1.5, m.y + m.h / 2), 200);
      EXPECT_GT(r.At(m.x + m.w + 1.5, m.y + m.h / 2), 200);
    }
    bool found = false;
    for (const ZXing::Result& code : Codes(r)) {
      Result<forms::PageCode> pc = forms::DecodePageCode(code.text());
      if (!pc.ok()) continue;
      found = true;
      EXPECT_EQ(pc->page, i + 1);
      EXPECT_EQ(pc->pages, count);
      EXPECT_EQ(pc->serial, form.serial);
      const ZXing::Position& pos = code.position();
      const double cx = (pos.topLeft().x + pos.bottomRight().x) / 2.0 / kPx;
      const double cy = (pos.topLeft().y + pos.bottomRight().y) / 2.0 / kPx;
      EXPECT_TRUE(layout_->page_code.Contains(cx, cy)) << cx << "," << cy;
    }
    EXPECT_TRUE(found);
    const std::string number =
        "Seite " + std::to_string(i + 1) + " von " + std::to_string(count);
    const forms::Label& at = layout_->page_number;
    const forms::Rect line{at.x, at.y - 4, 60, 5};
    EXPECT_EQ(TextIn(pdf.Words(i), line, " "), number);
  }
}

TEST_F(FormRendererTest, PageCodeReadsUpsideDown) {
  const core::Application app = SampleApplication(2, 0);
  const RenderedForm form = Render(&app);
  Raster r = Pdf(form.pdf).Render(1);
  std::reverse(r.gray.begin(), r.gray.end());  // turned by 180 degrees
  bool found = false;
  for (const ZXing::Result& code : Codes(r)) {
    Result<forms::PageCode> pc = forms::DecodePageCode(code.text());
    if (pc.ok()) found = pc->page == 2 && pc->pages == 3;
  }
  EXPECT_TRUE(found);
}

TEST_F(FormRendererTest, PageCodeAreaTooSmallForHalfMillimetreModules) {
  forms::FormLayout small = *layout_;
  small.page_code.w = small.page_code.h = 10;
  Result<RenderedForm> r = renderer_->Render(small, nullptr, {});
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().code(), StatusCode::kConfig);
  EXPECT_NE(r.status().message().find("'pagecode' ist zu klein"),
            std::string::npos);
}

TEST_F(FormRendererTest, SameInputGivesTheSameBytes) {
  const core::Application app = SampleApplication(7, 2);
  FormOptions options;
  options.timestamp = 1516622400;
  options.sample_signature = true;
  EXPECT_EQ(Render(&app, options).pdf, Render(&app, options).pdf);
}

TEST_F(FormRendererTest, TooLongTextContinuesOnAContinuationPage) {
  core::Application app = SampleApplication(2, 0);
  std::string name;
  for (int i = 0; name.size() < 190; ++i) {
    name += (name.empty() ? "" : " ") + std::string("Wort") + std::to_string(i);
  }
  app.positions[0].person = name;
  const RenderedForm form = Render(&app);
  ASSERT_EQ(form.pages.size(), 4u);
  Pdf pdf(form.pdf);
  const forms::Field* field = nullptr;
  for (const forms::Field& f : form.pages[1].fields) {
    if (f.id == "position[0].person") field = &f;
  }
  ASSERT_NE(field, nullptr);
  EXPECT_EQ(TextIn(pdf.Words(1), field->box, " "),
            "siehe Fortsetzung, Seite 4");
  std::string page4;
  for (const Word& w : pdf.Words(3)) page4 += w.text + " ";
  EXPECT_NE(page4.find(name), std::string::npos) << page4;
}

TEST_F(FormRendererTest, HandCorrectionShowsAboveAndBarcodeKeepsThePrint) {
  const core::Application app = SampleApplication(3, 0);
  FormOptions options;
  options.corrections = {{"position[1].months", "12"}};
  const RenderedForm form = Render(&app, options);
  Pdf pdf(form.pdf);
  const forms::Field* field = nullptr;
  for (const forms::Field& f : form.pages[1].fields) {
    if (f.id == "position[1].months") field = &f;
  }
  ASSERT_NE(field, nullptr);
  const std::vector<Word> words = pdf.Words(1);
  EXPECT_EQ(TextIn(words, field->box, ""),
            forms::FieldValue(app, *field).value());
  const forms::Rect above{field->box.x, field->box.y - 6, field->box.w + 20,
                          5.5};
  std::vector<Word> handwritten;
  for (const Word& w : words) {
    if (w.text != field->label) handwritten.push_back(w);
  }
  EXPECT_EQ(TextIn(handwritten, above, ""), "12");
  Result<core::Application> back = forms::DecodePayload(Payload(pdf, form));
  ASSERT_TRUE(back.ok());
  EXPECT_EQ(back->positions[1].months, app.positions[1].months);
}

TEST_F(FormRendererTest, CorrectionOfAnUnknownFieldIsRefused) {
  const core::Application app = SampleApplication(3, 0);
  FormOptions options;
  options.corrections = {{"position[7].months", "12"}};
  Result<RenderedForm> r = renderer_->Render(*layout_, &app, options);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().code(), StatusCode::kInvalidInput);
  options.corrections = {{"declarations.complete", "ja"}};
  EXPECT_FALSE(renderer_->Render(*layout_, &app, options).ok());
}

}  // namespace
}  // namespace bescheid::formpdf
