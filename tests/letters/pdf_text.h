// Words of a PDF with their page and position, read with poppler's
// `pdftotext -bbox-layout`, for tests that check where text lands.
#ifndef BESCHEID_TESTS_LETTERS_PDF_TEXT_H_
#define BESCHEID_TESTS_LETTERS_PDF_TEXT_H_

#include <regex>
#include <string>
#include <vector>

#include "test_util.h"

namespace bescheid::testing {

struct PdfWord {
  int page = 0;  // 1-based
  // Box in millimetres from the page's top-left corner.
  double x_min = 0, y_min = 0, x_max = 0, y_max = 0;
  std::string text;  // UTF-8
};

// Every word of the PDF `bytes` in reading order. Fails the test (and
// returns nothing) when poppler cannot read it.
inline std::vector<PdfWord> PdfWords(const std::string& bytes) {
  TempDir dir;
  const std::string path = dir / "in.pdf";
  WriteFileOrDie(path, bytes);
  const CommandResult r =
      RunCommand("pdftotext -enc UTF-8 -bbox-layout '" + path + "' -");
  EXPECT_EQ(r.exit_code, 0) << r.out;
  constexpr double kPtToMm = 25.4 / 72.0;
  const std::regex tag(
      R"re(<page |<word xMin="([0-9.]+)" yMin="([0-9.]+)" xMax="([0-9.]+)" yMax="([0-9.]+)">([^<]*)</word>)re");
  std::vector<PdfWord> words;
  int page = 0;
  for (std::sregex_iterator it(r.out.begin(), r.out.end(), tag), end; it != end;
       ++it) {
    const std::smatch& m = *it;
    if (!m[1].matched) {
      ++page;
      continue;
    }
    words.push_back({page, std::stod(m[1]) * kPtToMm, std::stod(m[2]) * kPtToMm,
                     std::stod(m[3]) * kPtToMm, std::stod(m[4]) * kPtToMm,
                     m[5]});
  }
  return words;
}

// The words of page `page`, joined by single spaces.
inline std::string PageText(const std::vector<PdfWord>& words, int page) {
  std::string s;
  for (const PdfWord& w : words) {
    if (w.page != page) continue;
    if (!s.empty()) s += ' ';
    s += w.text;
  }
  return s;
}

}  // namespace bescheid::testing

#endif  // BESCHEID_TESTS_LETTERS_PDF_TEXT_H_
