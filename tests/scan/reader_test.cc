// The scan reader on forms rendered with the real layout, rasterised and
// degraded as a scanner would: location, orientation, order, splitting,
// checkboxes, signature, barcode agreement and every field's value against
// the source application.
#include "scan/reader.h"

#include <allheaders.h>
#include <gtest/gtest.h>

#include <cstdio>
#include <cstdlib>

#include "reader_test_util.h"
#include "scan/locate.h"

namespace bescheid::scan {
namespace {

using testing::Degraded;
using testing::ScanFixture;

struct Tally {
  int fields = 0;
  int correct = 0;
  int confident_wrong = 0;
  int documents = 0;
  int straight = 0;  // without doubts
  std::string wrong;
  std::string doubts;

  void Add(const ScannedDocument& d, const core::Application& source) {
    ScanFixture& fx = ScanFixture::Get();
    const auto truth = fx.Truth(source);
    const double min = ReadOptions().min_confidence;
    ++documents;
    if (d.doubts.empty()) ++straight;
    for (const Doubt& x : d.doubts) doubts += "  doubt: " + x.reason + "\n";
    for (const FieldReading& f : d.fields) {
      if (f.id == "signature.image") continue;
      const std::string key = ScanFixture::Key(f.id, f.option);
      auto t = truth.find(key);
      const std::string expected = t == truth.end() ? "" : t->second;
      ++fields;
      if (f.value == expected) {
        ++correct;
        continue;
      }
      const bool doubted =
          std::any_of(d.doubts.begin(), d.doubts.end(),
                      [&](const Doubt& x) { return x.field_id == f.id; });
      wrong += key + ": '" + f.value + "' (" + expected + ")" +
               (doubted ? " doubted" : "") + "\n";
      if (f.confidence >= min && !doubted) ++confident_wrong;
    }
  }
  double Accuracy() const {
    return fields ? static_cast<double>(correct) / fields : 0;
  }
};

ScannedDocument ReadOne(const Pages& pages) {
  Result<ScanReading> r =
      ReadScan(pages, ScanFixture::Get().layout(), ScanFixture::Get().ocr());
  EXPECT_TRUE(r.ok()) << r.status().message();
  if (!r.ok() || r->documents.size() != 1) {
    ADD_FAILURE() << "expected one document";
    return ScannedDocument{};
  }
  return std::move(r->documents[0]);
}

const char* const kExamples[] = {"01-bewilligung-tettnang.xml",
                                 "02-teilbewilligung-offenburg.xml",
                                 "03-ablehnung-mindestbetrag-todtnau.xml",
                                 "04-nachforderung-wangen.xml",
                                 "05-zusammenschluss-bodensee.xml",
                                 "06-ablehnung-doppelfoerderung-tettnang.xml",
                                 "07-ablehnung-fristende-ludwigsburg.xml",
                                 "08-ablehnung-nicht-berechtigt.xml"};

// OCR only (no barcode) over `examples`, each degraded by `d`.
Tally MeasureOcr(const std::vector<std::string>& examples, int dpi,
                 const Degradation& d) {
  ScanFixture& fx = ScanFixture::Get();
  Tally t;
  formpdf::FormOptions o;
  o.barcode = false;
  o.sample_signature = true;
  uint64_t seed = 1;
  for (const std::string& e : examples) {
    const core::Application app = fx.Example(e);
    const ScannedDocument doc =
        ReadOne(Degraded(fx.Pages(app, dpi, o), d, seed++));
    t.Add(doc, app);
    EXPECT_TRUE(doc.application.has_value()) << e;
    EXPECT_FALSE(doc.from_barcode);
  }
  return t;
}

TEST(ReaderExplore, Measure) {
  const char* env = std::getenv("SCAN_EXPLORE");
  if (!env) GTEST_SKIP();
  std::vector<std::string> all(std::begin(kExamples), std::end(kExamples));
  if (const char* only = std::getenv("SCAN_ONLY")) all = {only};
  Degradation mild;
  mild.rotate_degrees = 1.7;
  mild.shift_x = 12;
  mild.shift_y = -9;
  mild.noise_sigma = 4;
  mild.jpeg_quality = 60;
  Degradation bitonal;
  bitonal.rotate_degrees = -0.8;
  bitonal.bitonal_threshold = 160;
  const struct {
    const char* name;
    int dpi;
    Degradation d;
  } runs[] = {{"clean300", 300, {}},
              {"mild300", 300, mild},
              {"grey150", 150, {}},
              {"bitonal150", 150, bitonal}};
  for (const auto& run : runs) {
    if (std::string(env) != "all" && std::string(env) != run.name) continue;
    const Tally t = MeasureOcr(all, run.dpi, run.d);
    std::printf(
        "%s: %d/%d fields (%.4f), %d confident wrong, %d/%d straight\n%s",
        run.name, t.correct, t.fields, t.Accuracy(), t.confident_wrong,
        t.straight, t.documents, (t.wrong + t.doubts).c_str());
  }
}

}  // namespace
}  // namespace bescheid::scan
