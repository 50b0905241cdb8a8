// The synthetic scan corpus: applications turned into the files a
// mailroom's scanner produces, each beside a truth file that says exactly
// what went in (the source XML) and what was done to it (every drawn
// parameter). docs/scan-corpus.md describes names, variants and the truth
// format.
//
// Deterministic: the same sources, options and seed give byte-identical
// files; each document draws from its own Rng, seeded from the seed, the
// variant's name, the application's file name and the copy number, so
// adding a variant or an application changes no other document.
// Not thread-safe (one generator per process).
#ifndef BESCHEID_TOOLS_SCAN_CORPUS_CORPUS_H_
#define BESCHEID_TOOLS_SCAN_CORPUS_CORPUS_H_

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "catalogue.h"
#include "core/application.h"
#include "core/status.h"
#include "env/env.h"
#include "formpdf/form_renderer.h"

namespace bescheid::corpus {

// An application as read from its XML file.
struct Source {
  std::string path;  // as given on the command line, for the truth file
  std::string name;  // file name without folder and ".xml"
  std::string xml;   // the bytes, embedded in the truth file
  core::Application app;
};

// The paper form: renders an application as a PDF and says what a field
// shows. The generator's only view of the form renderer, so that tests
// can also run it on a stand-in PDF.
class FormSource {
 public:
  virtual ~FormSource() = default;
  virtual Result<std::string> Render(const core::Application& app,
                                     const formpdf::FormOptions& options) = 0;
  // The printed value of field `field_id` (forms/field_values.h), or
  // nullopt if the application has no such field.
  virtual std::optional<std::string> PrintedValue(
      const core::Application& app, const std::string& field_id) = 0;
  // Where the page code is printed on every page (layout mm); nullopt: the
  // form has none (a variant's blotted codes are then left out).
  virtual std::optional<forms::Rect> PageCodeArea() const {
    return std::nullopt;
  }
};

struct CorpusOptions {
  std::string out_dir;
  std::uint64_t seed = 1;
  std::vector<const Variant*> variants;  // default: the whole catalogue
  int copies = 1;  // documents per variant and application
  // false: the forms are printed without their data barcode (read by OCR
  // alone); the draws, names and page codes are the same.
  bool barcode = true;
};

// Writes every (variant, application, copy) document into
// `options.out_dir` with its truth file; returns the names written, in
// order. A two-application variant pairs each application with the next
// one (the last with the first). Stops at the first error.
Result<std::vector<std::string>> GenerateCorpus(
    const std::vector<Source>& sources, const CorpusOptions& options,
    FormSource& forms, Env& env);

// The date the mailroom stamps: the application's Eingangsdatum if it has
// one, else a working day in the programme period 2017-09-15..2019-12-31
// drawn from `seed` and the application's XML.
core::Date ReceiptDate(const Source& source, std::uint64_t seed);

}  // namespace bescheid::corpus

#endif  // BESCHEID_TOOLS_SCAN_CORPUS_CORPUS_H_
