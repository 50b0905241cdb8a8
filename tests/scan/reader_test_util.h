// Forms for the scan reader's tests: applications rendered with the real
// layout (formpdf), rasterised and degraded with the scan module's own
// functions, as the corpus generator makes them; and the truth to compare
// readings with (forms::FieldValue of the source).
#ifndef BESCHEID_TESTS_SCAN_READER_TEST_UTIL_H_
#define BESCHEID_TESTS_SCAN_READER_TEST_UTIL_H_

#include <allheaders.h>
#include <gtest/gtest.h>

#include <map>
#include <memory>
#include <string>

#include "formpdf/form_renderer.h"
#include "forms/field_values.h"
#include "forms/layout.h"
#include "scan/degrade.h"
#include "scan/ocr.h"
#include "scan/rasterize.h"
#include "scan/reader.h"
#include "test_util.h"
#include "xml/application_reader.h"

namespace bescheid::testing {

class ScanFixture {
 public:
  static ScanFixture& Get() {
    static ScanFixture* fixture = new ScanFixture();
    return *fixture;
  }

  const forms::FormLayout& layout() const { return layout_; }
  scan::OcrEngine& ocr() { return *ocr_; }

  core::Application Example(const std::string& file) {
    Result<core::Application> app = reader_->Read(
        ReadFileOrDie(SourcePath("examples/" + file)), file);
    EXPECT_TRUE(app.ok()) << app.status().message();
    return app.ok() ? std::move(app).value() : core::Application{};
  }

  // The form of `app` as grey pages at `dpi`.
  scan::Pages Pages(const core::Application& app, int dpi,
                    formpdf::FormOptions options = {}) {
    Result<formpdf::RenderedForm> form =
        renderer_->Render(layout_, &app, options);
    EXPECT_TRUE(form.ok()) << form.status().message();
    if (!form.ok()) return {};
    scan::RasterOptions raster;
    raster.dpi = dpi;
    Result<scan::Pages> pages = scan::RasterizePdf(form->pdf, raster);
    EXPECT_TRUE(pages.ok()) << pages.status().message();
    return pages.ok() ? std::move(pages).value() : scan::Pages{};
  }

  // What every field of `app`'s form shows, by placed id (and a
  // checkbox's value: "applicant.kind=Gemeinde").
  std::map<std::string, std::string> Truth(const core::Application& app) {
    std::map<std::string, std::string> out;
    for (const forms::PlacedPage& p :
         forms::PlacePages(layout_, static_cast<int>(app.positions.size()),
                           static_cast<int>(app.members.size()))) {
      for (const forms::Field& f : p.fields) {
        out[Key(f.id, f.kind == forms::FieldKind::kCheck ? f.value : "")] =
            forms::FieldValue(app, f).value_or("");
      }
    }
    return out;
  }

  static std::string Key(const std::string& id, const std::string& option) {
    return option.empty() ? id : id + "=" + option;
  }

 private:
  ScanFixture() {
    auto layout =
        formpdf::LoadLayoutFile(SourcePath("templates/forms/antrag-1.0.form"));
    EXPECT_TRUE(layout.ok()) << layout.status().message();
    layout_ = std::move(layout).value();
    auto renderer = formpdf::FormRenderer::Create(
        {SourcePath("fonts/DejaVuSans-letters.ttf"),
         SourcePath("fonts/DejaVuSans-Bold-letters.ttf"),
         "/usr/share/fonts/truetype/fifthhorseman/dkg.ttf",
         "/usr/share/color/icc/sRGB.icc"});
    EXPECT_TRUE(renderer.ok()) << renderer.status().message();
    renderer_ = std::move(renderer).value();
    auto ocr = scan::OcrEngine::Create();
    EXPECT_TRUE(ocr.ok()) << ocr.status().message();
    ocr_ = std::move(ocr).value();
    reader_ = xml::ApplicationReader::Create().value();
  }

  forms::FormLayout layout_;
  std::unique_ptr<formpdf::FormRenderer> renderer_;
  std::unique_ptr<scan::OcrEngine> ocr_;
  std::unique_ptr<xml::ApplicationReader> reader_;
};

// Each page degraded by `d` (the same draw for all), seeded.
inline scan::Pages Degraded(const scan::Pages& pages,
                            const scan::Degradation& d, uint64_t seed = 1) {
  scan::Rng rng(seed);
  scan::Pages out;
  for (const scan::PixPtr& p : pages) {
    Result<scan::PixPtr> r = scan::Degrade(p.get(), d, rng);
    EXPECT_TRUE(r.ok()) << r.status().message();
    if (r.ok()) out.push_back(std::move(r).value());
  }
  return out;
}

}  // namespace bescheid::testing

#endif  // BESCHEID_TESTS_SCAN_READER_TEST_UTIL_H_
