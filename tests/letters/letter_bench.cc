// Renders the same grant letter N times and prints the CPU time
// per letter and the PDF's size: the numbers behind fonts/README.md. Not a
// test (timings are not asserted); build with `--target letter_bench`.
//
//   letter_bench [renders=200] [regular.ttf bold.ttf]
//
// With LETTER_BENCH_VARY_NAMES set, each render's person name gets one of
// 64 Cyrillic letters in turn, so that every letter has a glyph set the
// writer's cache (32 sets) no longer holds: the cost of a letter with an
// unseen set of characters.
#include <sys/resource.h>

#include <cstdio>
#include <cstdlib>
#include <string>

#include "letters/letter.h"

namespace {

double CpuSeconds() {
  rusage u{};
  getrusage(RUSAGE_SELF, &u);
  return static_cast<double>(u.ru_utime.tv_sec + u.ru_stime.tv_sec) +
         static_cast<double>(u.ru_utime.tv_usec + u.ru_stime.tv_usec) / 1e6;
}

}  // namespace

int main(int argc, char** argv) {
  using namespace bescheid;
  const int renders = argc > 1 ? std::atoi(argv[1]) : 200;
  letters::LetterOptions o;
  o.templates_dir = std::string(BESCHEID_SOURCE_DIR) + "/templates/letters";
  o.font_regular = std::string(BESCHEID_SOURCE_DIR) + "/" + o.font_regular;
  o.font_bold = std::string(BESCHEID_SOURCE_DIR) + "/" + o.font_bold;
  if (argc > 3) {
    o.font_regular = argv[2];
    o.font_bold = argv[3];
  }
  const double t0 = CpuSeconds();
  auto r = letters::LetterRenderer::Create(o);
  if (!r.ok()) {
    std::fprintf(stderr, "%s\n", r.status().message().c_str());
    return 1;
  }
  const double t1 = CpuSeconds();
  core::Application a;
  a.programme = "IM-2017";
  a.name = "Stadt Tettnang";
  a.ags = "08435059";
  a.address = {"Stadt Tettnang – Hauptamt", "Montfortplatz 7", "88069",
               "Tettnang"};
  a.bank.iban = "DE41600501017405502051";
  core::Position p;
  p.person = "Jana Müller";
  p.start = {2017, 9};
  p.proof_attached = true;
  a.positions = {p};
  a.declarations = {true, true, true};
  a.signature = {"Tettnang", {2017, 8, 10}, "Bruno Walter", "Bürgermeister"};
  const core::ReferenceTable ref = *core::ReferenceTable::ParseCsv(
      "AGS;Name;Art;PersonenAU\n08435059;Tettnang;Gemeinde;166\n");
  const core::Decision d =
      core::Decide(a, core::ProgrammeRules(), ref, {{2017, 8, 14}, {}});
  size_t bytes = 0;
  int pages = 0;
  std::string last;
  const bool vary = std::getenv("LETTER_BENCH_VARY_NAMES") != nullptr;
  for (int i = 0; i < renders; ++i) {
    if (vary) {
      const unsigned c = 0x0410 + static_cast<unsigned>(i % 64);  // А..я
      a.positions[0].person = "Jana Müller ";
      a.positions[0].person += static_cast<char>(0xC0 | (c >> 6));
      a.positions[0].person += static_cast<char>(0x80 | (c & 0x3F));
    }
    auto letter = (*r)->Render(
        {&a, &d, "RPS15-IM-2017-00042", {2017, 11, 28}, {2017, 8, 14}, 0});
    if (!letter.ok()) {
      std::fprintf(stderr, "%s\n", letter.status().message().c_str());
      return 1;
    }
    bytes = letter->pdf.size();
    last = letter->pdf;
    pages = letter->pages;
  }
  const double t2 = CpuSeconds();
  if (const char* out = std::getenv("LETTER_BENCH_PDF")) {
    if (FILE* f = std::fopen(out, "wb")) {
      std::fwrite(last.data(), 1, last.size(), f);
      std::fclose(f);
    }
  }
  std::printf(
      "renderer creation %.1f ms CPU; %d renders: %.3f ms CPU per letter, "
      "%d pages, %zu bytes\n",
      (t1 - t0) * 1e3, renders, (t2 - t1) * 1e3 / renders, pages, bytes);
  return 0;
}
