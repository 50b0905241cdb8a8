#include "catalogue.h"

namespace bescheid::corpus {
namespace {

using scan::ImageFormat;
using scan::PixelKind;

std::vector<Variant> Build() {
  std::vector<Variant> v;
  auto add = [&v](const char* name, int dpi, ImageFormat format) -> Variant& {
    v.push_back(Variant{});
    v.back().name = name;
    v.back().dpi = dpi;
    v.back().format = format;
    return v.back();
  };
  add("clean-300-png", 300, ImageFormat::kPng);
  Variant& mild = add("mild-300-jpeg", 300, ImageFormat::kJpeg);
  mild.rotate_degrees = {0.2, 2.0};
  mild.shift_mm = {0.0, 2.0};
  mild.noise_sigma = {2.0, 5.0};
  mild.output_quality = {60, 90};
  Variant& skew = add("skew5-200-tiff-lzw", 200, ImageFormat::kTiffLzw);
  skew.rotate_degrees = {4.0, 5.0};
  skew.shift_mm = {1.0, 4.0};
  Variant& bitonal = add("bitonal-150-tiff-g4", 150, ImageFormat::kTiffG4);
  bitonal.rotate_degrees = {0.0, 1.0};
  bitonal.bitonal_threshold = 160;
  Variant& scanner = add("scanner-300-pdf", 300, ImageFormat::kPdf);
  scanner.kind = PixelKind::kColour;
  scanner.rotate_degrees = {0.0, 1.0};
  scanner.shift_mm = {0.0, 1.5};
  scanner.noise_sigma = {2.0, 3.0};
  scanner.blur_radius = 1;
  scanner.output_quality = {70, 85};
  Variant& noisy = add("noisy-200-pnm", 200, ImageFormat::kPnm);
  noisy.noise_sigma = {10.0, 15.0};
  noisy.salt_pepper_density = {0.002, 0.005};
  Variant& blurred = add("blurred-150-png", 150, ImageFormat::kPng);
  blurred.blur_radius = 2;
  blurred.noise_sigma = {2.0, 4.0};
  Variant& artefacts =
      add("artefacts-200-tiff-lzw", 200, ImageFormat::kTiffLzw);
  artefacts.jpeg_artefacts = {10, 25};
  Variant& upside =
      add("upsidedown-300-tiff-jpeg", 300, ImageFormat::kTiffJpeg);
  upside.upside_down_pages = 1;
  upside.rotate_degrees = {0.0, 1.0};
  Variant& shuffled = add("shuffled-200-pdf", 200, ImageFormat::kPdf);
  shuffled.shuffled = true;
  shuffled.rotate_degrees = {0.0, 0.5};
  add("corrected-300-png", 300, ImageFormat::kPng).corrected = true;
  add("unsigned-300-png", 300, ImageFormat::kPng).signed_form = false;
  Variant& two = add("two-apps-300-tiff-g4", 300, ImageFormat::kTiffG4);
  two.two_applications = true;
  two.bitonal_threshold = 160;
  two.rotate_degrees = {0.0, 0.5};
  Variant& nocode = add("nocode-300-tiff-lzw", 300, ImageFormat::kTiffLzw);
  nocode.blotted_code_pages = 1;
  nocode.upside_down_pages = 1;
  nocode.rotate_degrees = {0.0, 1.0};
  Variant& heavy = add("heavy-600-pdf", 600, ImageFormat::kPdf);
  heavy.rotate_degrees = {3.0, 5.0};
  heavy.shift_mm = {2.0, 5.0};
  heavy.noise_sigma = {8.0, 12.0};
  heavy.blur_radius = 2;
  heavy.salt_pepper_density = {0.0005, 0.001};
  heavy.jpeg_artefacts = {25, 40};
  heavy.output_quality = {50, 60};
  heavy.upside_down_pages = 1;
  heavy.shuffled = true;
  return v;
}

}  // namespace

const std::vector<Variant>& Catalogue() {
  static const std::vector<Variant> catalogue = Build();
  return catalogue;
}

const Variant* FindVariant(const std::string& name) {
  for (const Variant& v : Catalogue()) {
    if (v.name == name) return &v;
  }
  return nullptr;
}

}  // namespace bescheid::corpus
