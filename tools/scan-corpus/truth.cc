#include "truth.h"

#include <cstdio>
#include <sstream>

#include "core/text.h"
#include "corpus.h"

namespace bescheid::corpus {
namespace {

std::string Num(double v, int decimals) {
  char buf[64];
  std::snprintf(buf, sizeof buf, "%.*f", decimals, v);
  return buf;
}

const char* Bool(bool b) { return b ? "true" : "false"; }

const char* Colour(const DocumentTruth& t) {
  if (t.variant->bitonal_threshold > 0) return "bitonal";
  return t.variant->kind == scan::PixelKind::kColour ? "colour" : "grey";
}

// The compression inside the file, as a reader of the file would report it.
const char* Compression(const DocumentTruth& t) {
  switch (t.variant->format) {
    case scan::ImageFormat::kTiffG4:
      return "g4";
    case scan::ImageFormat::kTiffLzw:
      return "lzw";
    case scan::ImageFormat::kPdf:
      return t.variant->bitonal_threshold > 0 ? "g4" : "jpeg";
    case scan::ImageFormat::kPng:
      return "deflate";
    case scan::ImageFormat::kPnm:
      return "none";
    default:
      return "jpeg";
  }
}

// 1-based positions in the file of application `app`'s pages.
std::string FilePages(const DocumentTruth& t, int app) {
  std::string out = "[";
  for (std::size_t i = 0; i < t.pages.size(); ++i) {
    if (t.pages[i].application != app) continue;
    out += (out.size() > 1 ? ", " : "") + std::to_string(i + 1);
  }
  return out + "]";
}

void WriteApplication(std::ostringstream& o, const DocumentTruth& t, int i) {
  const ApplicationTruth& a = t.applications[static_cast<std::size_t>(i)];
  o << "    {\n      \"source\": " << core::JsonQuoted(a.source->path)
    << ",\n      \"name\": " << core::JsonQuoted(a.source->name)
    << ",\n      \"form_pages\": " << a.form_pages
    << ",\n      \"file_pages\": " << FilePages(t, i)
    << ",\n      \"signature_present\": " << Bool(a.signature_present)
    << ",\n      \"corrections\": [";
  for (std::size_t k = 0; k < a.corrections.size(); ++k) {
    const CorrectionTruth& c = a.corrections[k];
    o << (k ? ", " : "") << "{\"field\": " << core::JsonQuoted(c.field)
      << ", \"old\": " << core::JsonQuoted(c.old_value)
      << ", \"new\": " << core::JsonQuoted(c.new_value) << "}";
  }
  o << "],\n      \"xml\": " << core::JsonQuoted(a.source->xml) << "\n    }";
}

void WritePage(std::ostringstream& o, const PageTruth& p, int position) {
  const scan::Degradation& d = p.degradation;
  o << "    {\"file_page\": " << position
    << ", \"application\": " << p.application + 1
    << ", \"form_page\": " << p.form_page
    << ", \"code_blotted\": " << Bool(p.code_blotted)
    << ", \"upside_down\": " << Bool(d.upside_down)
    << ", \"rotate_degrees\": " << Num(d.rotate_degrees, 3)
    << ", \"shift_px\": [" << d.shift_x << ", " << d.shift_y << "]"
    << ", \"blur_radius\": " << d.blur_radius
    << ", \"noise_sigma\": " << Num(d.noise_sigma, 2)
    << ", \"salt_pepper_density\": " << Num(d.salt_pepper_density, 5)
    << ", \"jpeg_artefacts_quality\": " << d.jpeg_quality
    << ", \"bitonal_threshold\": " << d.bitonal_threshold << "}";
}

}  // namespace

std::string TruthJson(const DocumentTruth& t) {
  const Variant& v = *t.variant;
  std::ostringstream o;
  o << "{\n  \"truth_format\": 1,\n  \"generator\": \"scan-corpus\""
    << ",\n  \"seed\": " << t.seed << ",\n  \"document_seed\": " << t.doc_seed
    << ",\n  \"variant\": " << core::JsonQuoted(v.name)
    << ",\n  \"copy\": " << t.copy
    << ",\n  \"barcode\": " << (t.barcode ? "true" : "false")
    << ",\n  \"receipt_date\": " << core::JsonQuoted(t.receipt.ToIso())
    << ",\n  \"format\": " << core::JsonQuoted(scan::FormatName(v.format))
    << ",\n  \"compression\": \"" << Compression(t) << "\""
    << ",\n  \"dpi\": " << v.dpi << ",\n  \"colour\": \"" << Colour(t) << "\""
    << ",\n  \"output_jpeg_quality\": " << t.output_quality
    << ",\n  \"files\": [";
  for (std::size_t i = 0; i < t.files.size(); ++i) {
    o << (i ? ", " : "") << core::JsonQuoted(t.files[i]);
  }
  o << "],\n  \"pages\": [\n";
  for (std::size_t i = 0; i < t.pages.size(); ++i) {
    WritePage(o, t.pages[i], static_cast<int>(i) + 1);
    o << (i + 1 < t.pages.size() ? ",\n" : "\n");
  }
  o << "  ],\n  \"applications\": [\n";
  for (std::size_t i = 0; i < t.applications.size(); ++i) {
    WriteApplication(o, t, static_cast<int>(i));
    o << (i + 1 < t.applications.size() ? ",\n" : "\n");
  }
  o << "  ]\n}\n";
  return o.str();
}

}  // namespace bescheid::corpus
