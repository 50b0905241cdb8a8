// Fuzzes letter rendering with hostile field values: a valid example
// application (read by the production XML reader) gets its applicant name,
// recipient, street, contact person, position holders, member names and
// signatory replaced by fuzz bytes, is decided with core::Decide and rendered
// to PDF by one LetterRenderer built the way the pipeline builds it (shipped
// configuration, templates, fonts). The first examples/ file is
// 01-bewilligung-tettnang.xml; the others reach the rejection and request
// templates.
#include <fuzzer/FuzzedDataProvider.h>

#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <fstream>
#include <iostream>
#include <memory>
#include <sstream>
#include <string>
#include <vector>

#include "config/settings.h"
#include "core/application.h"
#include "core/decision.h"
#include "core/programme.h"
#include "letters/letter.h"
#include "pipeline/pipeline.h"
#include "xml/application_reader.h"

namespace {

using bescheid::Result;
namespace core = bescheid::core;

constexpr const char* kExamples[] = {
    "examples/01-bewilligung-tettnang.xml",
    "examples/02-teilbewilligung-offenburg.xml",
    "examples/04-nachforderung-wangen.xml",
    "examples/05-zusammenschluss-bodensee.xml",
    "examples/08-ablehnung-nicht-berechtigt.xml",
};

[[noreturn]] void Die(const std::string& what) {
  std::cerr << "fuzz_letter_render: " << what << "\n";
  std::abort();
}

template <typename T>
T Check(Result<T> r, const std::string& what) {
  if (!r.ok()) Die(what + ": " + r.status().message());
  return std::move(*r);
}

std::string Source(const std::string& rel) {
  return std::string(BESCHEID_SOURCE_DIR) + "/" + rel;
}

std::string ReadOrDie(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) Die("cannot read " + path);
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

// Everything the pipeline sets up once at start-up.
struct World {
  bescheid::config::Settings settings;
  core::ReferenceTable reference;
  std::vector<core::Application> examples;
  std::unique_ptr<bescheid::letters::LetterRenderer> renderer;
};

World& TheWorld() {
  static World* world = [] {
    auto* w = new World;
    bescheid::config::Origins origins;
    auto raw = Check(bescheid::config::LoadLayers(
                         Source("config/bescheid.properties"), true, {}, {},
                         &origins),
                     "config");
    w->settings = Check(bescheid::config::ParseSettings(raw), "settings");
    bescheid::config::ResolvePaths(BESCHEID_SOURCE_DIR, origins, w->settings);
    w->reference = Check(
        core::ReferenceTable::ParseCsv(ReadOrDie(w->settings.reference_path)),
        "reference table");
    auto reader = Check(bescheid::xml::ApplicationReader::Create(), "reader");
    for (const char* example : kExamples) {
      w->examples.push_back(
          Check(reader->Read(ReadOrDie(Source(example)), example), example));
    }
    w->renderer = Check(bescheid::letters::LetterRenderer::Create(
                            bescheid::pipeline::MakeLetterOptions(w->settings)),
                        "renderer");
    return w;
  }();
  return *world;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  World& w = TheWorld();
  FuzzedDataProvider fuzz(data, size);
  core::Application app = w.examples[fuzz.ConsumeIntegralInRange<size_t>(
      0, std::size(w.examples) - 1)];
  app.name = fuzz.ConsumeRandomLengthString();
  app.address.recipient = fuzz.ConsumeRandomLengthString();
  app.address.street = fuzz.ConsumeRandomLengthString();
  app.contact.name = fuzz.ConsumeRandomLengthString();
  for (core::Position& p : app.positions) {
    p.person = fuzz.ConsumeRandomLengthString();
  }
  for (core::Member& m : app.members) {
    m.name = fuzz.ConsumeRandomLengthString();
  }
  app.signature.name = fuzz.ConsumeRandomLengthString();

  const core::Date receipt = app.receipt_date.value_or(core::Date{2017, 8, 14});
  const core::Decision decision = core::Decide(
      app, w.settings.rules, w.reference, core::DecisionInputs{receipt, {}});
  bescheid::letters::LetterInput input{&app,
                                       &decision,
                                       w.settings.aktenzeichen_prefix + "00001",
                                       core::Date{2017, 9, 1},
                                       receipt,
                                       1504224000};
  auto letter = w.renderer->Render(input);
  // A rendered letter is a PDF with at least one page.
  if (letter.ok() &&
      (letter->pages < 1 || letter->pdf.compare(0, 5, "%PDF-") != 0)) {
    Die("letter without pages or PDF header");
  }
  return 0;
}
