// The fixed catalogue of scan variants: each names one way a mailroom
// turns a paper application into a file (resolution, what the paper and
// the scanner do to it, the file format). Together they cover every
// degradation, resolution, compression and format of issue 11; the table
// is documented in docs/scan-corpus.md.
//
// Ranges are drawn per page (geometry, noise) or per document (JPEG
// quality, corrections) from the generator's seeded Rng. Immutable; safe to
// share between threads.
#ifndef BESCHEID_TOOLS_SCAN_CORPUS_CATALOGUE_H_
#define BESCHEID_TOOLS_SCAN_CORPUS_CATALOGUE_H_

#include <string>
#include <vector>

#include "scan/image_write.h"
#include "scan/rasterize.h"

namespace bescheid::corpus {

// A closed interval to draw from; lo == hi is a fixed value.
struct Range {
  double lo = 0;
  double hi = 0;
};

struct Variant {
  std::string name;  // "<what>-<dpi>-<format>", used in file names
  int dpi = 300;
  scan::PixelKind kind = scan::PixelKind::kGrey;
  scan::ImageFormat format = scan::ImageFormat::kPng;
  Range rotate_degrees;  // magnitude; the sign is drawn
  Range shift_mm;        // magnitude per axis; signs drawn
  Range noise_sigma;
  int blur_radius = 0;
  Range salt_pepper_density;
  Range jpeg_artefacts;  // quality of a JPEG round trip; 0: none
  int bitonal_threshold = 0;
  // Quality of the file's own JPEG coding (kJpeg, kPdf with grey pages).
  Range output_quality{75, 75};
  int upside_down_pages = 0;      // how many pages are fed turned
  int blotted_code_pages = 0;     // how many pages lose their page code
  bool shuffled = false;          // pages out of order
  bool corrected = false;         // one printed value struck out, rewritten
  bool signed_form = true;        // false: the signature is missing
  bool two_applications = false;  // this and the next one in one file
};

// Every variant, in the order of the table in docs/scan-corpus.md.
const std::vector<Variant>& Catalogue();

// The variant called `name`, or null.
const Variant* FindVariant(const std::string& name);

}  // namespace bescheid::corpus

#endif  // BESCHEID_TOOLS_SCAN_CORPUS_CATALOGUE_H_
