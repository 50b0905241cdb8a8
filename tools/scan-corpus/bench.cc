// scan-bench: reads a scan-corpus folder the way the service reads an
// inbox file (scan::DecodeScan with the default caps, then scan::ReadScan
// with the default thresholds) and scores every document against its truth
// file. Benchmark and measurement tool, not a service feature:
// bench/scans/run.sh drives it and bench/scans/report.py sums its lines.
//
//   scan-bench [--workers N] DIR...
//
// Prints one tab-separated line per truth file (fields in kColumns), then a
// line "total<TAB>workers<TAB>wall_seconds<TAB>pages<TAB>cpu_seconds" (wall
// time from when every worker has loaded its OCR model).
// Each worker thread has its own OcrEngine and takes the next file; CPU
// seconds are the thread's own (decoding and reading). A document is
// "wrong" when it would go straight through (no doubt) although its
// application, its signature or a hand correction differ from the truth:
// the letter could be wrong. Exit 0, or 2 on bad usage or setup.
#include <Poco/JSON/Array.h>
#include <Poco/JSON/Object.h>
#include <Poco/JSON/Parser.h>
#include <time.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <map>
#include <memory>
#include <set>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include "formpdf/form_renderer.h"
#include "forms/field_values.h"
#include "forms/layout.h"
#include "forms/payload.h"
#include "scan/intake.h"
#include "scan/ocr.h"
#include "scan/reader.h"
#include "xml/application_reader.h"

namespace bescheid::corpus {
namespace {

// One line of output.
struct Score {
  std::string name, variant;
  bool barcode = true;
  int dpi = 0, pages = 0, documents = 0;
  int fields = 0, correct = 0, confident_wrong = 0;
  int straight = 0, review = 0, wrong = 0;
  double cpu_seconds = 0;
  std::string error;  // the file was refused or failed to read
};

constexpr const char* kColumns =
    "name\tvariant\tbarcode\tdpi\tpages\tdocuments\tfields\tcorrect\t"
    "confident_wrong\tstraight\treview\twrong\tcpu_seconds\terror";

double ThreadCpuSeconds() {
  timespec t{};
  clock_gettime(CLOCK_THREAD_CPUTIME_ID, &t);
  return t.tv_sec + t.tv_nsec / 1e9;
}

std::string ReadAll(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

struct Truth {
  std::string variant;
  bool barcode = true;
  int dpi = 0;
  std::vector<std::string> files;
  struct App {
    core::Application app;
    bool signature_present = true;
    std::set<std::string> corrected;  // field ids changed by hand
  };
  std::vector<App> apps;
};

Result<Truth> ParseTruth(const std::string& json, xml::ApplicationReader& xml) {
  try {
    Poco::JSON::Parser parser;
    auto root = parser.parse(json).extract<Poco::JSON::Object::Ptr>();
    Truth t;
    t.variant = root->getValue<std::string>("variant");
    t.barcode = !root->has("barcode") || root->getValue<bool>("barcode");
    t.dpi = root->getValue<int>("dpi");
    for (const auto& f : *root->getArray("files"))
      t.files.push_back(f.toString());
    for (const auto& a : *root->getArray("applications")) {
      auto o = a.extract<Poco::JSON::Object::Ptr>();
      Result<core::Application> app =
          xml.Read(o->getValue<std::string>("xml"), "truth");
      if (!app.ok()) return app.status();
      Truth::App entry{
          std::move(app).value(), o->getValue<bool>("signature_present"), {}};
      for (const auto& c : *o->getArray("corrections")) {
        entry.corrected.insert(
            c.extract<Poco::JSON::Object::Ptr>()->getValue<std::string>(
                "field"));
      }
      t.apps.push_back(std::move(entry));
    }
    return t;
  } catch (const Poco::Exception& e) {
    return InvalidInput("truth file: " + e.displayText());
  }
}

// Scores the fields of `d` against `source`.
void ScoreFields(const scan::ScannedDocument& d, const Truth::App& source,
                 const forms::FormLayout& layout, Score& s) {
  std::map<std::string, std::string> truth;
  for (const forms::PlacedPage& p :
       forms::PlacePages(layout, static_cast<int>(source.app.positions.size()),
                         static_cast<int>(source.app.members.size()))) {
    for (const forms::Field& f : p.fields) {
      truth[f.id + "=" + (f.kind == forms::FieldKind::kCheck ? f.value : "")] =
          forms::FieldValue(source.app, f).value_or("");
    }
  }
  const double min = scan::ReadOptions().min_confidence;
  for (const scan::FieldReading& f : d.fields) {
    if (f.id == "signature.image" || source.corrected.count(f.id)) continue;
    ++s.fields;
    auto t = truth.find(f.id + "=" + f.option);
    if (f.value == (t == truth.end() ? "" : t->second)) {
      ++s.correct;
      continue;
    }
    const bool doubted =
        std::any_of(d.doubts.begin(), d.doubts.end(),
                    [&](const scan::Doubt& x) { return x.field_id == f.id; });
    if (f.confidence >= min && !doubted) ++s.confident_wrong;
    // For the record (stderr): every field read wrong, and how sure.
    std::fprintf(stderr, "misread\t%s\t%s\t'%s'\t'%s'\t%.2f\t%s\n",
                 s.name.c_str(), f.id.c_str(), f.value.c_str(),
                 t == truth.end() ? "" : t->second.c_str(), f.confidence,
                 doubted ? "doubted" : "not doubted");
  }
}

void ScoreDocuments(const scan::ScanReading& r, const Truth& t,
                    const forms::FormLayout& layout, Score& s) {
  s.documents = static_cast<int>(r.documents.size());
  for (size_t i = 0; i < r.documents.size(); ++i) {
    const scan::ScannedDocument& d = r.documents[i];
    const bool straight = d.doubts.empty();
    for (const scan::Doubt& x : d.doubts) {
      std::fprintf(stderr, "doubt\t%s\t%s\n", s.name.c_str(), x.reason.c_str());
    }
    (straight ? s.straight : s.review)++;
    if (i >= t.apps.size()) {
      if (straight) ++s.wrong;
      continue;
    }
    const Truth::App& source = t.apps[i];
    ScoreFields(d, source, layout, s);
    if (straight &&
        (!d.application ||
         forms::EncodePayload(*d.application) !=
             forms::EncodePayload(source.app) ||
         d.signature_present != source.signature_present ||
         !source.corrected.empty() || r.documents.size() != t.apps.size())) {
      ++s.wrong;
    }
  }
}

Score ScoreOne(const std::string& truth_path, const forms::FormLayout& layout,
               scan::OcrEngine& ocr, xml::ApplicationReader& xml) {
  Score s;
  s.name = std::filesystem::path(truth_path).filename().string();
  Result<Truth> t = ParseTruth(ReadAll(truth_path), xml);
  if (!t.ok()) {
    s.error = t.status().message();
    return s;
  }
  s.variant = t->variant;
  s.barcode = t->barcode;
  s.dpi = t->dpi;
  const std::string dir =
      std::filesystem::path(truth_path).parent_path().string();
  const double start = ThreadCpuSeconds();
  scan::Pages pages;
  for (const std::string& f : t->files) {
    Result<scan::DecodedScan> d =
        scan::DecodeScan(ReadAll(dir + "/" + f), scan::ScanLimits{});
    if (!d.ok()) {
      s.error = d.status().message();
      return s;
    }
    for (scan::PixPtr& p : d->pages) pages.push_back(std::move(p));
  }
  s.pages = static_cast<int>(pages.size());
  Result<scan::ScanReading> r = scan::ReadScan(pages, layout, ocr);
  s.cpu_seconds = ThreadCpuSeconds() - start;
  if (!r.ok()) {
    s.error = r.status().message();
    return s;
  }
  ScoreDocuments(*r, *t, layout, s);
  return s;
}

void Print(const Score& s) {
  std::printf("%s\t%s\t%d\t%d\t%d\t%d\t%d\t%d\t%d\t%d\t%d\t%d\t%.4f\t%s\n",
              s.name.c_str(), s.variant.c_str(), s.barcode ? 1 : 0, s.dpi,
              s.pages, s.documents, s.fields, s.correct, s.confident_wrong,
              s.straight, s.review, s.wrong, s.cpu_seconds, s.error.c_str());
}

std::vector<std::string> TruthFiles(const std::vector<std::string>& dirs) {
  std::vector<std::string> out;
  for (const std::string& dir : dirs) {
    for (const auto& e : std::filesystem::directory_iterator(dir)) {
      const std::string n = e.path().filename().string();
      if (n.size() > 11 && n.compare(n.size() - 11, 11, ".truth.json") == 0) {
        out.push_back(e.path().string());
      }
    }
  }
  std::sort(out.begin(), out.end());
  return out;
}

int Run(int argc, char** argv) {
  int workers = 1;
  std::vector<std::string> dirs;
  for (int i = 1; i < argc; ++i) {
    const std::string arg = argv[i];
    if (arg == "--workers" && i + 1 < argc) {
      workers = std::max(1, std::atoi(argv[++i]));
    } else {
      dirs.push_back(arg);
    }
  }
  if (dirs.empty()) {
    std::cerr << "usage: scan-bench [--workers N] DIR...\n";
    return 2;
  }
  Result<forms::FormLayout> layout = formpdf::LoadLayoutFile(
      BESCHEID_SOURCE_DIR "/templates/forms/antrag-1.0.form");
  if (!layout.ok()) {
    std::cerr << "scan-bench: " << layout.status().message() << "\n";
    return 2;
  }
  const std::vector<std::string> files = TruthFiles(dirs);
  std::vector<Score> scores(files.size());
  std::atomic<size_t> next{0};
  std::atomic<bool> failed{false};
  // The clock starts when every worker has its engine: the service loads
  // the model once per worker, not per file.
  std::atomic<int> ready{0};
  std::chrono::steady_clock::time_point start;
  std::vector<std::thread> threads;
  for (int w = 0; w < workers; ++w) {
    threads.emplace_back([&] {
      auto ocr = scan::OcrEngine::Create();
      auto xml = xml::ApplicationReader::Create();
      if (!ocr.ok() || !xml.ok()) failed = true;
      if (++ready == workers) start = std::chrono::steady_clock::now();
      while (ready < workers) std::this_thread::yield();
      if (failed) return;
      for (size_t i; (i = next++) < files.size();) {
        scores[i] = ScoreOne(files[i], *layout, **ocr, **xml);
      }
    });
  }
  for (std::thread& t : threads) t.join();
  const double wall =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - start)
          .count();
  if (failed) {
    std::cerr << "scan-bench: cannot load the OCR model or the XML schema\n";
    return 2;
  }
  std::printf("%s\n", kColumns);
  int pages = 0;
  double cpu = 0;
  for (const Score& s : scores) {
    Print(s);
    pages += s.pages;
    cpu += s.cpu_seconds;
  }
  std::printf("total\t%d\t%.3f\t%d\t%.3f\n", workers, wall, pages, cpu);
  return 0;
}

}  // namespace
}  // namespace bescheid::corpus

int main(int argc, char** argv) {
  bescheid::scan::EnsureOmpThreadLimit(argc, argv);
  return bescheid::corpus::Run(argc, argv);
}
