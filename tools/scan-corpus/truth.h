// What one corpus document is, as the generator made it, and its truth
// file (JSON, format in docs/scan-corpus.md). Plain data; pure functions.
#ifndef BESCHEID_TOOLS_SCAN_CORPUS_TRUTH_H_
#define BESCHEID_TOOLS_SCAN_CORPUS_TRUTH_H_

#include <cstdint>
#include <string>
#include <vector>

#include "catalogue.h"
#include "core/date.h"
#include "scan/degrade.h"

namespace bescheid::corpus {

struct Source;

struct CorrectionTruth {
  std::string field;  // placed field id, e.g. "position[0].fte"
  std::string old_value;
  std::string new_value;
};

struct ApplicationTruth {
  const Source* source = nullptr;
  bool signature_present = true;
  std::vector<CorrectionTruth> corrections;
  int form_pages = 0;
};

struct PageTruth {
  int application = 0;        // 0-based index into DocumentTruth::applications
  int form_page = 1;          // 1-based page of that application's form
  bool code_blotted = false;  // its page code painted over before scanning
  scan::Degradation degradation;
};

struct DocumentTruth {
  std::uint64_t seed = 0;      // the corpus seed
  std::uint64_t doc_seed = 0;  // this document's Rng seed
  const Variant* variant = nullptr;
  int copy = 1;
  bool barcode = true;  // the forms carry their data barcode
  core::Date receipt;
  int output_quality = 0;          // JPEG coding of the file, 0 if none
  std::vector<std::string> files;  // file names, one per page or one
  std::vector<ApplicationTruth> applications;
  std::vector<PageTruth> pages;  // in the file's order
};

// The truth file's text (UTF-8 JSON, keys in a fixed order, numbers with a
// fixed precision, ending in a newline).
std::string TruthJson(const DocumentTruth& truth);

}  // namespace bescheid::corpus

#endif  // BESCHEID_TOOLS_SCAN_CORPUS_TRUTH_H_
