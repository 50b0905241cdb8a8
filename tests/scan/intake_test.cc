// The scan intake: kinds by content, header checks against the caps, pages
// decoded to grey with their resolution, and every hostile scan of the
// corpus refused with its German reason in bounded time.
#include "scan/intake.h"

#include <allheaders.h>
#include <gtest/gtest.h>

#include <chrono>
#include <string>

#include "hostile/scan_files.h"
#include "scan/image_write.h"
#include "scan_test_util.h"

namespace bescheid::testing {
namespace {

using scan::CheckScanHeader;
using scan::DecodeScan;
using scan::FileKind;
using scan::ImageFormat;
using scan::ScanLimits;
using scan::SniffFileKind;

struct SniffCase {
  std::string head;
  FileKind kind;
};

TEST(SniffFileKindTest, KindsByMagicBytes) {
  const SniffCase cases[] = {
      {"<?xml version=\"1.0\"?><a/>", FileKind::kXml},
      {"\xEF\xBB\xBF<?xml version=\"1.0\"?>", FileKind::kXml},
      {" \r\n\t<Foerderantrag/>", FileKind::kXml},
      {"\xEF\xBB\xBF \n<a/>", FileKind::kXml},
      {std::string("II*\0\x08\0\0\0", 8), FileKind::kTiff},
      {std::string("MM\0*\0\0\0\x08", 8), FileKind::kTiff},
      {"\x89PNG\r\n\x1a\n\0\0\0\rIHDR", FileKind::kPng},
      {"\xFF\xD8\xFF\xE0\0\x10JFIF", FileKind::kJpeg},
      {"P1\n2 2\n0 1 1 0\n", FileKind::kPnm},
      {"P4 16 16\n", FileKind::kPnm},
      {"P5\t8 8\n255\n", FileKind::kPnm},
      {"P6\r\n8 8\n255\n", FileKind::kPnm},
      {"%PDF-1.4\n%\xE2\xE3\xCF\xD3\n", FileKind::kPdf},
      {std::string(1000, 'x') + "%PDF-1.7", FileKind::kPdf},
      {"<?xml?><!-- %PDF-1.4 -->", FileKind::kXml},
  };
  for (const SniffCase& c : cases) {
    EXPECT_EQ(SniffFileKind(c.head), c.kind) << c.head;
  }
}

TEST(SniffFileKindTest, NearMissesAreUnknown) {
  const std::string cases[] = {
      "",
      "I",
      std::string("II*\x01", 4),
      std::string("MM*\0", 4),
      "\x89PNG\r\n",
      "\xFF\xD8\xFE",
      "P7 8 8\n",
      "P0 8 8\n",
      "P5x",
      "P5",
      std::string(1020, 'x') + "%PDF-1.7",
      "%PDF",
      "\xEF\xBB\xBF",
      "\xEF\xBB\xBFhello <",
      "Dies ist kein Bild, nur Text.\n",
      "\xFE\xFF\0<",
  };
  for (const std::string& head : cases) {
    EXPECT_EQ(SniffFileKind(head), FileKind::kUnknown) << head;
  }
}

TEST(SniffFileKindTest, GermanNames) {
  EXPECT_EQ(scan::GermanName(FileKind::kXml), "XML-Datei");
  EXPECT_EQ(scan::GermanName(FileKind::kTiff), "TIFF-Bild");
  EXPECT_EQ(scan::GermanName(FileKind::kPng), "PNG-Bild");
  EXPECT_EQ(scan::GermanName(FileKind::kJpeg), "JPEG-Bild");
  EXPECT_EQ(scan::GermanName(FileKind::kPnm), "PNM-Bild");
  EXPECT_EQ(scan::GermanName(FileKind::kPdf), "PDF-Datei");
  EXPECT_EQ(scan::GermanName(FileKind::kUnknown), "Datei unbekannter Art");
}

bool Contains(const std::string& text, const std::string& part) {
  return text.find(part) != std::string::npos;
}

TEST(ScanLimitsTest, DefaultsAreTheIssuesCaps) {
  const ScanLimits limits;
  EXPECT_EQ(limits.max_bytes, 100u * 1024 * 1024);
  EXPECT_EQ(limits.max_pixels_per_side, 10000);
  EXPECT_EQ(limits.max_megapixels, 80);
  EXPECT_EQ(limits.max_pages, 50);
  EXPECT_EQ(limits.pdf_dpi, 300);
}

TEST(CheckScanHeaderTest, SideCapIsInclusive) {
  const std::string png =
      Encoded(PatternPage(120, 80, 8, 300).get(), ImageFormat::kPng);
  ScanLimits limits;
  limits.max_pixels_per_side = 120;
  EXPECT_TRUE(CheckScanHeader(png, limits).ok());
  limits.max_pixels_per_side = 119;
  const Status s = CheckScanHeader(png, limits);
  EXPECT_EQ(s.code(), StatusCode::kInvalidInput);
  EXPECT_TRUE(Contains(s.message(), "Seite 1 ist 120 × 80 Pixel groß"))
      << s.message();
  EXPECT_TRUE(Contains(s.message(), "höchstens 119 Pixel")) << s.message();
}

TEST(CheckScanHeaderTest, MegapixelCapIsInclusive) {
  const std::string tiff =
      EncodedDocument(1, 1000, 1000, 1, ImageFormat::kTiffG4, 300);
  ScanLimits limits;
  limits.max_megapixels = 1;
  EXPECT_TRUE(CheckScanHeader(tiff, limits).ok());
  const std::string bigger =
      EncodedDocument(1, 1001, 1000, 1, ImageFormat::kTiffG4, 300);
  const Status s = CheckScanHeader(bigger, limits);
  EXPECT_TRUE(Contains(s.message(), "mehr als 1 Megapixel")) << s.message();
}

TEST(CheckScanHeaderTest, ByteCapNamesSizeAndKey) {
  const std::string png =
      Encoded(PatternPage(64, 64, 8, 300).get(), ImageFormat::kPng);
  ScanLimits limits;
  limits.max_bytes = png.size();
  EXPECT_TRUE(CheckScanHeader(png, limits).ok());
  limits.max_bytes = png.size() - 1;
  const Status s = CheckScanHeader(png, limits);
  EXPECT_TRUE(
      Contains(s.message(), std::to_string(png.size()) + " Byte zu groß"))
      << s.message();
  EXPECT_TRUE(Contains(s.message(), "scan.max-bytes")) << s.message();
}

TEST(CheckScanHeaderTest, PdfPageCountAndPageSizeAtTheRenderResolution) {
  const std::string pdf = ScannerPdf(3);
  ScanLimits limits;
  limits.max_pages = 3;
  EXPECT_TRUE(CheckScanHeader(pdf, limits).ok());
  limits.max_pages = 2;
  EXPECT_TRUE(Contains(CheckScanHeader(pdf, limits).message(),
                       "hat 3 Seiten; erlaubt sind höchstens 2"));
  // A4 is 8.27 in wide: 2481 pixels at 300 dpi, 4961 at 600.
  limits = ScanLimits();
  limits.max_pixels_per_side = 3600;
  EXPECT_TRUE(CheckScanHeader(pdf, limits).ok());
  limits.pdf_dpi = 600;
  EXPECT_TRUE(
      Contains(CheckScanHeader(pdf, limits).message(),
               "Seite 1 der PDF-Datei ist 209 × 297 mm groß; bei 600 dpi"));
}

// The service's own letters (text, fonts, a few thousand operators) are
// no scans but must not look hostile: the work caps leave room for a
// searchable PDF's text layer.
TEST(CheckScanHeaderTest, TextPdfsPassTheStructureChecks) {
  EXPECT_TRUE(CheckScanHeader(OnePagePdf(), ScanLimits()).ok())
      << CheckScanHeader(OnePagePdf(), ScanLimits()).message();
  EXPECT_TRUE(CheckScanHeader(TwoPagePdf(), ScanLimits()).ok());
}

TEST(CheckScanHeaderTest, XmlIsNoScan) {
  const Status s = CheckScanHeader("<?xml version=\"1.0\"?><a/>", ScanLimits());
  EXPECT_EQ(s.code(), StatusCode::kInvalidInput);
  EXPECT_TRUE(Contains(s.message(), "XML-Datei, kein Scan")) << s.message();
}

// Each hostile file is refused by the header check or by decoding, with its
// German reason, within 10 s even under sanitizers, and never decoded.
class HostileScanTest : public ::testing::TestWithParam<HostileScan> {};

TEST_P(HostileScanTest, IsRefusedWithGermanReason) {
  const HostileScan& input = GetParam();
  const std::string bytes = input.make();
  const auto start = std::chrono::steady_clock::now();
  const Result<scan::DecodedScan> decoded = DecodeScan(bytes, ScanLimits());
  const auto took = std::chrono::steady_clock::now() - start;
  ASSERT_FALSE(decoded.ok()) << input.name << " was decoded";
  EXPECT_EQ(decoded.status().code(), StatusCode::kInvalidInput);
  EXPECT_TRUE(Contains(decoded.status().message(), input.reason))
      << input.name << ": " << decoded.status().message();
  EXPECT_TRUE(Contains(decoded.status().message(), "Bitte"))
      << decoded.status().message();
  EXPECT_LT(took, std::chrono::seconds(10));
}

INSTANTIATE_TEST_SUITE_P(
    Corpus, HostileScanTest, ::testing::ValuesIn(HostileScans()),
    [](const ::testing::TestParamInfo<HostileScan>& param_info) {
      std::string name;
      for (char c : std::string(param_info.param.name)) {
        name += std::isalnum(static_cast<unsigned char>(c)) ? c : '_';
      }
      return name;
    });

// What the header check alone decides is decided before decoding: the
// files whose reason is about headers fail CheckScanHeader already.
TEST(HostileScanTest, HeaderCheckRefusesBombsWithoutDecoding) {
  for (const HostileScan& input : HostileScans()) {
    const std::string name = input.name;
    if (name.rfind("kaputte-daten", 0) == 0 || name == "abgeschnitten.jpg" ||
        name == "abgeschnitten.pnm") {
      continue;  // valid headers, broken data: found by decoding
    }
    EXPECT_FALSE(CheckScanHeader(input.make(), ScanLimits()).ok()) << name;
  }
}

void ExpectGreyPages(const scan::DecodedScan& scan, size_t pages, int w, int h,
                     int dpi) {
  ASSERT_EQ(scan.pages.size(), pages);
  for (const scan::PixPtr& page : scan.pages) {
    EXPECT_EQ(pixGetDepth(page.get()), 8);
    EXPECT_EQ(pixGetColormap(page.get()), nullptr);
    EXPECT_NEAR(pixGetWidth(page.get()), w, 1);
    EXPECT_NEAR(pixGetHeight(page.get()), h, 1);
    EXPECT_EQ(pixGetXRes(page.get()), dpi);
    EXPECT_EQ(pixGetYRes(page.get()), dpi);
  }
}

TEST(DecodeScanTest, MultiPageTiffInEveryCompression) {
  const struct {
    ImageFormat format;
    int depth;
  } cases[] = {{ImageFormat::kTiffG4, 1},
               {ImageFormat::kTiffLzw, 8},
               {ImageFormat::kTiffLzw, 32},
               {ImageFormat::kTiffJpeg, 8}};
  for (const auto& c : cases) {
    const std::string tiff =
        EncodedDocument(3, 160, 226, c.depth, c.format, 200);
    Result<scan::DecodedScan> scan = DecodeScan(tiff, ScanLimits());
    ASSERT_TRUE(scan.ok()) << scan.status().message();
    EXPECT_EQ(scan->kind, FileKind::kTiff);
    ExpectGreyPages(*scan, 3, 160, 226, 200);
    EXPECT_TRUE(scan->notes.empty());
  }
}

TEST(DecodeScanTest, TiffAtThePageCapIsRead) {
  const std::string tiff =
      EncodedDocument(50, 16, 16, 1, ImageFormat::kTiffG4, 300);
  Result<scan::DecodedScan> scan = DecodeScan(tiff, ScanLimits());
  ASSERT_TRUE(scan.ok()) << scan.status().message();
  ExpectGreyPages(*scan, 50, 16, 16, 300);
}

TEST(DecodeScanTest, BitonalPagesBecomeBlackAndWhiteGrey) {
  scan::PixPtr page(pixCreate(64, 64, 1));
  pixSetResolution(page.get(), 300, 300);
  pixSetPixel(page.get(), 3, 4, 1);
  scan::Pages pages;
  pages.push_back(std::move(page));
  const std::string tiff = *scan::EncodeDocument(pages, ImageFormat::kTiffG4);
  Result<scan::DecodedScan> scan = DecodeScan(tiff, ScanLimits());
  ASSERT_TRUE(scan.ok()) << scan.status().message();
  l_uint32 ink = 1, paper = 0;
  pixGetPixel(scan->pages[0].get(), 3, 4, &ink);
  pixGetPixel(scan->pages[0].get(), 5, 5, &paper);
  EXPECT_EQ(ink, 0u);
  EXPECT_EQ(paper, 255u);
}

TEST(DecodeScanTest, ScannerPdfIsRenderedAtPdfDpi) {
  const std::string pdf = ScannerPdf(2);  // A4 at 50 dpi
  ScanLimits limits;
  limits.pdf_dpi = 150;
  Result<scan::DecodedScan> scan = DecodeScan(pdf, limits);
  ASSERT_TRUE(scan.ok()) << scan.status().message();
  EXPECT_EQ(scan->kind, FileKind::kPdf);
  // 413 x 585 pixels at 50 dpi are 8.26 x 11.7 in: 1239 x 1755 at 150.
  ExpectGreyPages(*scan, 2, 1239, 1755, 150);
  EXPECT_TRUE(scan->notes.empty());
}

TEST(DecodeScanTest, SinglePageFormatsKeepTheirResolution) {
  const struct {
    ImageFormat format;
    int depth;
    FileKind kind;
  } cases[] = {{ImageFormat::kPng, 8, FileKind::kPng},
               {ImageFormat::kPng, 32, FileKind::kPng},
               {ImageFormat::kJpeg, 32, FileKind::kJpeg},
               {ImageFormat::kPnm, 8, FileKind::kPnm},
               {ImageFormat::kPnm, 1, FileKind::kPnm}};
  for (const auto& c : cases) {
    const std::string bytes =
        Encoded(PatternPage(100, 141, c.depth, 400).get(), c.format);
    Result<scan::DecodedScan> scan = DecodeScan(bytes, ScanLimits());
    ASSERT_TRUE(scan.ok()) << scan.status().message();
    EXPECT_EQ(scan->kind, c.kind);
    // PNM records no resolution: the page's 100 x 141 pixels are no A4 at
    // a plausible resolution, so 300 dpi is assumed and noted.
    const int dpi = c.kind == FileKind::kPnm ? 300 : 400;
    ExpectGreyPages(*scan, 1, 100, 141, dpi);
    EXPECT_EQ(scan->notes.size(), c.kind == FileKind::kPnm ? 1u : 0u);
  }
}

TEST(DecodeScanTest, MissingResolutionFromA4OrAssumed) {
  scan::PixPtr a4 = PatternPage(1240, 1754, 8, 0);  // A4 at 150 dpi
  const std::string pnm = Encoded(a4.get(), ImageFormat::kPnm);
  Result<scan::DecodedScan> scan = DecodeScan(pnm, ScanLimits());
  ASSERT_TRUE(scan.ok()) << scan.status().message();
  EXPECT_EQ(pixGetXRes(scan->pages[0].get()), 150);
  ASSERT_EQ(scan->notes.size(), 1u);
  EXPECT_EQ(scan->notes[0],
            "Seite 1: Die Datei nennt keine Auflösung; aus dem Format A4 "
            "ergeben sich 150 dpi.");

  const std::string square =
      Encoded(PatternPage(500, 500, 8, 0).get(), ImageFormat::kPnm);
  scan = DecodeScan(square, ScanLimits());
  ASSERT_TRUE(scan.ok()) << scan.status().message();
  EXPECT_EQ(pixGetXRes(scan->pages[0].get()), 300);
  ASSERT_EQ(scan->notes.size(), 1u);
  EXPECT_EQ(scan->notes[0],
            "Seite 1: Die Datei nennt keine Auflösung; angenommen werden "
            "300 dpi.");
}

// ---- ScanSource: the same pages, one at a time ----

scan::ScanSource& MustOpen(std::unique_ptr<scan::ScanSource>* holder,
                           const std::string& bytes, const ScanLimits& limits) {
  Result<std::unique_ptr<scan::ScanSource>> source =
      scan::ScanSource::Open(bytes, limits);
  EXPECT_TRUE(source.ok()) << source.status().message();
  *holder = source.ok() ? std::move(source).value() : nullptr;
  return **holder;
}

TEST(ScanSourceTest, TiffPagesInAnyOrderAsLeptonicaDecodesThem) {
  const std::string tiff =
      EncodedDocument(4, 160, 226, 8, ImageFormat::kTiffLzw, 200);
  std::unique_ptr<scan::ScanSource> holder;
  scan::ScanSource& source = MustOpen(&holder, tiff, ScanLimits());
  ASSERT_TRUE(holder);
  EXPECT_EQ(source.kind(), FileKind::kTiff);
  ASSERT_EQ(source.page_count(), 4);
  for (int k : {3, 0, 2, 1, 3}) {
    Result<scan::PixPtr> page = source.Page(k);
    ASSERT_TRUE(page.ok()) << page.status().message();
    scan::PixPtr direct(pixReadMemTiff(
        reinterpret_cast<const l_uint8*>(tiff.data()), tiff.size(), k));
    l_int32 same = 0;
    pixEqual(page->get(), direct.get(), &same);
    EXPECT_TRUE(same) << "page " << k;
    EXPECT_EQ(pixGetXRes(page->get()), 200);
  }
  EXPECT_EQ(source.Page(4).status().code(), StatusCode::kInternal);
  EXPECT_EQ(source.Page(-1).status().code(), StatusCode::kInternal);
  EXPECT_TRUE(source.notes().empty());
}

TEST(ScanSourceTest, PdfPagesAreRenderedWhenAskedFor) {
  const std::string pdf = ScannerPdf(3);  // A4 at 50 dpi
  ScanLimits limits;
  limits.pdf_dpi = 100;
  std::unique_ptr<scan::ScanSource> holder;
  scan::ScanSource& source = MustOpen(&holder, pdf, limits);
  ASSERT_TRUE(holder);
  EXPECT_EQ(source.kind(), FileKind::kPdf);
  ASSERT_EQ(source.page_count(), 3);
  const scan::Pages all = GreyPages(pdf, 100);
  ASSERT_EQ(all.size(), 3u);
  for (int k : {2, 0, 1}) {
    Result<scan::PixPtr> page = source.Page(k);
    ASSERT_TRUE(page.ok()) << page.status().message();
    EXPECT_EQ(pixGetDepth(page->get()), 8);
    EXPECT_EQ(pixGetXRes(page->get()), 100);
    l_int32 same = 0;
    pixEqual(page->get(), all[static_cast<size_t>(k)].get(), &same);
    EXPECT_TRUE(same) << "page " << k;
  }
}

// Headers valid, page 3's data cut: the source opens, pages 1, 2 and 4
// decode, page 3 is refused with the intake's German reason.
TEST(ScanSourceTest, DamagedMiddlePageIsRefusedInGerman) {
  const std::string tiff = WithPageDataCut(
      EncodedDocument(5, 300, 400, 8, ImageFormat::kTiffLzw, 300), 2);
  EXPECT_TRUE(CheckScanHeader(tiff, ScanLimits()).ok());
  std::unique_ptr<scan::ScanSource> holder;
  scan::ScanSource& source = MustOpen(&holder, tiff, ScanLimits());
  ASSERT_TRUE(holder);
  EXPECT_TRUE(source.Page(0).ok());
  EXPECT_TRUE(source.Page(1).ok());
  const Status broken = source.Page(2).status();
  EXPECT_EQ(broken.code(), StatusCode::kInvalidInput);
  EXPECT_TRUE(Contains(broken.message(),
                       "Seite 3 der Datei (TIFF-Bild) ist beschädigt"))
      << broken.message();
  EXPECT_TRUE(Contains(broken.message(), "Bitte")) << broken.message();
  EXPECT_TRUE(source.Page(3).ok());
  // DecodeScan, all pages at once, refuses the file for it.
  EXPECT_EQ(DecodeScan(tiff, ScanLimits()).status().message(),
            broken.message());
}

TEST(ScanSourceTest, OpenMakesTheHeaderChecks) {
  const std::string tiff =
      EncodedDocument(3, 16, 16, 1, ImageFormat::kTiffG4, 300);
  ScanLimits two;
  two.max_pages = 2;
  Result<std::unique_ptr<scan::ScanSource>> source =
      scan::ScanSource::Open(tiff, two);
  ASSERT_FALSE(source.ok());
  EXPECT_EQ(source.status().message(), CheckScanHeader(tiff, two).message());
  EXPECT_TRUE(Contains(source.status().message(), "scan.max-pages"))
      << source.status().message();
}

// A page's note once, however often the page is decoded.
TEST(ScanSourceTest, NotesOncePerPage) {
  const std::string pnm =
      Encoded(PatternPage(500, 500, 8, 0).get(), ImageFormat::kPnm);
  std::unique_ptr<scan::ScanSource> holder;
  scan::ScanSource& source = MustOpen(&holder, pnm, ScanLimits());
  ASSERT_TRUE(holder);
  ASSERT_TRUE(source.Page(0).ok());
  ASSERT_TRUE(source.Page(0).ok());
  EXPECT_EQ(source.notes().size(), 1u);
}

}  // namespace
}  // namespace bescheid::testing
