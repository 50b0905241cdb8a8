#include "print/plan.h"

#include <algorithm>
#include <map>
#include <set>
#include <tuple>

#include "core/format.h"

namespace bescheid::print {
namespace {

// Strict order: postcode (unknown last), Aktenzeichen, main letter first,
// document (which also orders a letter's copies by AGS).
bool PrintsBefore(const LetterToPrint& a, const LetterToPrint& b) {
  return std::make_tuple(a.postcode.empty(), a.postcode, a.aktenzeichen, a.copy,
                         a.document) <
         std::make_tuple(b.postcode.empty(), b.postcode, b.aktenzeichen, b.copy,
                         b.document);
}

Status CheckLetters(const std::vector<LetterToPrint>& letters) {
  if (letters.empty()) {
    return InvalidInput("Es gibt keine Schreiben für einen Druckstapel.");
  }
  std::set<std::string> seen;
  for (const LetterToPrint& l : letters) {
    if (l.pages < 1) {
      return InvalidInput("Das Schreiben " + l.document +
                          " hat keine Seiten und kann nicht gedruckt werden.");
    }
    if (!seen.insert(l.document).second) {
      return InvalidInput("Das Schreiben " + l.document +
                          " steht zweimal im Druckstapel.");
    }
  }
  return Status();
}

std::vector<std::pair<std::string, int>> CountKinds(
    const std::vector<PlannedLetter>& letters) {
  std::map<std::string, int> counts;
  for (const PlannedLetter& p : letters) ++counts[p.letter.kind];
  std::vector<std::pair<std::string, int>> out;
  for (const char* kind : kCoverKinds) {
    auto it = counts.find(kind);
    if (it == counts.end()) continue;
    out.emplace_back(*it);
    counts.erase(it);
  }
  out.insert(out.end(), counts.begin(), counts.end());
  return out;
}

// "Bewilligung" for "BEWILLIGUNG": the kind as the cover sheet names it.
std::string KindLabel(const std::string& kind) {
  if (kind.empty()) return "(ohne Art)";
  std::string label = kind.substr(0, 1);
  for (size_t i = 1; i < kind.size(); ++i) {
    const char c = kind[i];
    label += (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c;
  }
  return label;
}

}  // namespace

int PaddedPages(int pages) { return pages + pages % 2; }

Result<BatchPlan> PlanBatch(std::vector<LetterToPrint> letters,
                            const core::Date& date, int number,
                            int cover_pages) {
  if (Status ok = CheckLetters(letters); !ok.ok()) return ok;
  if (cover_pages < 1) return InternalError("cover sheet without pages");
  std::sort(letters.begin(), letters.end(), PrintsBefore);
  BatchPlan plan;
  plan.cover_pages = cover_pages;
  plan.blank_after_cover = cover_pages % 2 == 1;
  CoverSheet& cover = plan.cover;
  cover.date = date;
  cover.number = number;
  int next_page = PaddedPages(cover_pages) + 1;
  cover.blank_pages = plan.blank_after_cover ? 1 : 0;
  for (LetterToPrint& l : letters) {
    PlannedLetter p;
    p.first_page = next_page;
    p.blank_after = l.pages % 2 == 1;
    next_page += PaddedPages(l.pages);
    cover.blank_pages += p.blank_after ? 1 : 0;
    cover.copies += l.copy ? 1 : 0;
    cover.reprints += l.reprint ? 1 : 0;
    p.letter = std::move(l);
    plan.letters.push_back(std::move(p));
  }
  cover.letters = static_cast<int>(plan.letters.size());
  cover.pages = next_page - 1;
  cover.per_kind = CountKinds(plan.letters);
  cover.first_aktenzeichen = plan.letters.front().letter.aktenzeichen;
  cover.last_aktenzeichen = plan.letters.back().letter.aktenzeichen;
  return plan;
}

std::vector<std::string> CoverLines(const CoverSheet& c) {
  std::vector<std::string> lines = {
      "Druckstapel " + std::to_string(c.number) + " vom " +
          core::FormatGerman(c.date),
      "Schreiben: " + std::to_string(c.letters) +
          (c.copies > 0 ? " (davon " + std::to_string(c.copies) +
                              " Abschriften nachrichtlich)"
                        : ""),
      "Seiten: " + std::to_string(c.pages) + " (" +
          std::to_string(c.pages / 2) + " Blatt beidseitig, davon " +
          std::to_string(c.blank_pages) + " Leerseiten)",
  };
  if (c.reprints > 0) {
    lines.push_back("Nachdrucke: " + std::to_string(c.reprints));
  }
  for (const auto& [kind, count] : c.per_kind) {
    lines.push_back(KindLabel(kind) + ": " + std::to_string(count));
  }
  lines.push_back("Erstes Aktenzeichen: " + c.first_aktenzeichen);
  lines.push_back("Letztes Aktenzeichen: " + c.last_aktenzeichen);
  lines.push_back("Sortiert nach Postleitzahl, dann Aktenzeichen.");
  return lines;
}

}  // namespace bescheid::print
