#include "scan/image_write.h"

#include <allheaders.h>
#include <gtest/gtest.h>
#include <poppler-document.h>
#include <poppler-page.h>

#include <cstdio>
#include <iterator>
#include <memory>
#include <sstream>
#include <vector>

#include "scan/degrade.h"
#include "scan/image_read.h"
#include "scan/rasterize.h"
#include "scan_test_util.h"

namespace bescheid::scan {
namespace {

using testing::MeanAbsDiff;

constexpr int kDpi = 100;

// The two-page letter at kDpi, grey and bitonal; computed once.
const Pages& Grey() {
  static Pages pages = testing::GreyPages(testing::TwoPagePdf(), kDpi);
  return pages;
}
const Pages& Bitonal() {
  static Pages pages = [] {
    Pages out;
    for (const PixPtr& p : Grey())
      out.push_back(Binarize(p.get(), 128).value());
    return out;
  }();
  return pages;
}

std::string Must(Result<std::string> r) {
  EXPECT_TRUE(r.ok()) << r.status().message();
  return r.ok() ? std::move(r).value() : std::string();
}

struct Closer {
  void operator()(FILE* f) const { std::fclose(f); }
};

// Compression and page count as Leptonica reads them from the TIFF bytes.
std::pair<int, int> TiffCompressionAndCount(std::string& bytes) {
  std::unique_ptr<FILE, Closer> f(fmemopen(bytes.data(), bytes.size(), "rb"));
  l_int32 comp = -1, count = -1;
  EXPECT_EQ(findTiffCompression(f.get(), &comp), 0);
  std::rewind(f.get());
  EXPECT_EQ(tiffGetCount(f.get(), &count), 0);
  return {comp, count};
}

TEST(ImageWriteTest, TiffKeepsCompressionPagesAndResolution) {
  struct Case {
    ImageFormat format;
    const Pages& pages;
    int leptonica_compression;
  };
  for (const Case& c : {Case{ImageFormat::kTiffG4, Bitonal(), IFF_TIFF_G4},
                        Case{ImageFormat::kTiffLzw, Grey(), IFF_TIFF_LZW},
                        Case{ImageFormat::kTiffJpeg, Grey(), IFF_TIFF_JPEG}}) {
    std::string bytes = Must(EncodeDocument(c.pages, c.format));
    const auto [comp, count] = TiffCompressionAndCount(bytes);
    EXPECT_EQ(comp, c.leptonica_compression) << FormatName(c.format);
    EXPECT_EQ(count, 2) << FormatName(c.format);

    Result<ImageInfo> info = InspectImage(bytes);
    ASSERT_TRUE(info.ok()) << info.status().message();
    EXPECT_EQ(info->format, c.format);
    EXPECT_EQ(info->pages, 2);
    EXPECT_EQ(info->x_dpi, kDpi);
    EXPECT_EQ(info->y_dpi, kDpi);

    Result<Pages> back = DecodeImage(bytes);
    ASSERT_TRUE(back.ok());
    ASSERT_EQ(back->size(), 2u);
    for (int i = 0; i < 2; ++i) {
      l_int32 same = 0;
      pixEqual((*back)[i].get(), c.pages[i].get(), &same);
      // G4 and LZW are lossless; JPEG only close.
      if (c.format == ImageFormat::kTiffJpeg) {
        EXPECT_LT(MeanAbsDiff((*back)[i].get(), c.pages[i].get()), 3.0);
      } else {
        EXPECT_TRUE(same) << FormatName(c.format) << " page " << i;
      }
    }
  }
}

TEST(ImageWriteTest, G4RefusesGreyPages) {
  Result<std::string> r = EncodeDocument(Grey(), ImageFormat::kTiffG4);
  EXPECT_EQ(r.status().code(), StatusCode::kInternal);
}

TEST(ImageWriteTest, SinglePageFormatsKeepResolution) {
  Pix* page = Grey()[0].get();
  for (ImageFormat f : {ImageFormat::kPng, ImageFormat::kJpeg}) {
    const std::string bytes = Must(EncodeImage(page, f));
    PixPtr back(pixReadMem(reinterpret_cast<const l_uint8*>(bytes.data()),
                           bytes.size()));
    ASSERT_TRUE(back) << FormatName(f);
    EXPECT_EQ(pixGetXRes(back.get()), kDpi) << FormatName(f);
    EXPECT_EQ(pixGetYRes(back.get()), kDpi) << FormatName(f);
    Result<ImageInfo> info = InspectImage(bytes);
    ASSERT_TRUE(info.ok());
    EXPECT_EQ(info->format, f);
    EXPECT_EQ(info->pages, 1);
  }
  // PNM has no resolution field: size and pixels survive.
  const std::string pnm = Must(EncodeImage(page, ImageFormat::kPnm));
  EXPECT_EQ(pnm.substr(0, 2), "P5");
  Result<Pages> back = DecodeImage(pnm);
  ASSERT_TRUE(back.ok());
  l_int32 same = 0;
  pixEqual(back->front().get(), page, &same);
  EXPECT_TRUE(same);
  const std::string pbm =
      Must(EncodeImage(Bitonal()[0].get(), ImageFormat::kPnm));
  EXPECT_EQ(pbm.substr(0, 2), "P4");
}

TEST(ImageWriteTest, JpegQualityChangesSize) {
  Pix* page = Grey()[0].get();
  const std::string q30 = Must(EncodeImage(page, ImageFormat::kJpeg, 30));
  const std::string q90 = Must(EncodeImage(page, ImageFormat::kJpeg, 90));
  EXPECT_LT(q30.size() * 3 / 2, q90.size());
}

// Every page's text as poppler extracts it.
std::size_t TextBoxes(const std::string& pdf) {
  std::unique_ptr<poppler::document> doc(poppler::document::load_from_raw_data(
      pdf.data(), static_cast<int>(pdf.size())));
  EXPECT_TRUE(doc);
  std::size_t boxes = 0;
  for (int i = 0; doc && i < doc->pages(); ++i) {
    std::unique_ptr<poppler::page> page(doc->create_page(i));
    boxes += page->text_list().size();
  }
  return boxes;
}

// Each image of a PDF as `pdfimages -list` reports it: encoding ("jpeg",
// "ccitt") and horizontal and vertical resolution.
struct PdfImage {
  std::string encoding;
  int x_ppi = 0;
  int y_ppi = 0;
};

std::vector<PdfImage> PdfImages(const std::string& pdf) {
  testing::TempDir dir;
  testing::WriteFileOrDie(dir / "in.pdf", pdf);
  const testing::CommandResult r =
      testing::RunCommand("pdfimages -list '" + dir / "in.pdf" + "'");
  EXPECT_EQ(r.exit_code, 0) << r.out;
  std::vector<PdfImage> images;
  std::istringstream lines(r.out);
  std::string line;
  for (int skip = 0; skip < 2 && std::getline(lines, line); ++skip) {
  }
  while (std::getline(lines, line)) {
    // page num type width height color comp bpc enc interp object id x-ppi
    std::istringstream fields(line);
    std::vector<std::string> f{std::istream_iterator<std::string>(fields),
                               std::istream_iterator<std::string>()};
    if (f.size() < 14) continue;
    images.push_back({f[8], std::stoi(f[12]), std::stoi(f[13])});
  }
  return images;
}

TEST(ImageWriteTest, PdfHoldsOneImagePerPageAtItsResolution) {
  const std::vector<PdfImage> grey =
      PdfImages(Must(EncodeDocument(Grey(), ImageFormat::kPdf, 80)));
  const std::vector<PdfImage> bitonal =
      PdfImages(Must(EncodeDocument(Bitonal(), ImageFormat::kPdf)));
  ASSERT_EQ(grey.size(), 2u);
  ASSERT_EQ(bitonal.size(), 2u);
  for (int i = 0; i < 2; ++i) {
    EXPECT_EQ(grey[i].encoding, "jpeg");
    EXPECT_EQ(bitonal[i].encoding, "ccitt");
    for (const PdfImage& image : {grey[i], bitonal[i]}) {
      EXPECT_EQ(image.x_ppi, kDpi);
      EXPECT_EQ(image.y_ppi, kDpi);
    }
  }
}

TEST(ImageWriteTest, PdfIsImageOnlyAndRendersBack) {
  EXPECT_GT(TextBoxes(testing::TwoPagePdf()), 50u);  // the source has text
  for (const Pages* pages : {&Grey(), &Bitonal()}) {
    const std::string pdf = Must(EncodeDocument(*pages, ImageFormat::kPdf, 80));
    EXPECT_EQ(pdf.substr(0, 5), "%PDF-");
    EXPECT_EQ(TextBoxes(pdf), 0u);
    Result<ImageInfo> info = InspectImage(pdf);
    ASSERT_TRUE(info.ok());
    EXPECT_EQ(info->format, ImageFormat::kPdf);
    EXPECT_EQ(info->pages, 2);
    // Rendered at the images' resolution, the pages come back as written.
    const Pages back = testing::GreyPages(pdf, kDpi);
    ASSERT_EQ(back.size(), 2u);
    PixPtr first(pixConvertTo8((*pages)[0].get(), 0));
    EXPECT_LE(std::abs(pixGetWidth(back[0].get()) - pixGetWidth(first.get())),
              1);
    EXPECT_LE(std::abs(pixGetHeight(back[0].get()) - pixGetHeight(first.get())),
              1);
    PixPtr paper =
        testing::Flat(pixGetWidth(first.get()), pixGetHeight(first.get()), 255);
    EXPECT_LT(MeanAbsDiff(back[0].get(), first.get()),
              0.5 * MeanAbsDiff(paper.get(), first.get()));
    EXPECT_NEAR(testing::InkShare(back[0].get()),
                testing::InkShare(first.get()),
                0.1 * testing::InkShare(first.get()));
  }
}

TEST(ImageWriteTest, OutputIsReproducible) {
  for (ImageFormat f :
       {ImageFormat::kTiffLzw, ImageFormat::kTiffJpeg, ImageFormat::kPdf}) {
    EXPECT_EQ(Must(EncodeDocument(Grey(), f)), Must(EncodeDocument(Grey(), f)))
        << FormatName(f);
  }
  EXPECT_EQ(Must(EncodeDocument(Bitonal(), ImageFormat::kTiffG4)),
            Must(EncodeDocument(Bitonal(), ImageFormat::kTiffG4)));
}

TEST(ImageReadTest, RefusesWhatIsNoImageOrTooLarge) {
  Result<ImageInfo> r = InspectImage("not an image at all");
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().code(), StatusCode::kInvalidInput);
  EXPECT_EQ(r.status().message(), "Die Datei ist kein lesbares Bild.");

  std::string tiff = Must(EncodeDocument(Grey(), ImageFormat::kTiffLzw));
  DecodeLimits one_page;
  one_page.max_pages = 1;
  EXPECT_EQ(DecodeImage(tiff, one_page).status().code(),
            StatusCode::kInvalidInput);
  DecodeLimits small;
  small.max_pixels_per_page = 1000;
  EXPECT_EQ(DecodeImage(tiff, small).status().code(),
            StatusCode::kInvalidInput);
}

}  // namespace
}  // namespace bescheid::scan
