// Print batches, planned: which letters go into one batch, in which order,
// where blank pages go so that every letter starts on a front side in
// duplex, and what the cover sheet says. Pure (no I/O); thread-safe.
//
// A batch is: the cover sheet (padded to an even page count), then each
// letter in the order Deutsche Post's discounted bulk mail asks for
// (postcode, then Aktenzeichen), each followed by a blank page when its page
// count is odd.
#ifndef BESCHEID_PRINT_PLAN_H_
#define BESCHEID_PRINT_PLAN_H_

#include <string>
#include <utility>
#include <vector>

#include "core/date.h"
#include "core/status.h"

namespace bescheid::print {

// One letter to print: a decision's letter or a member's copy of it.
struct LetterToPrint {
  // The name the store records it printed under: the letter's file name
  // without ".pdf" ("RPS15-IM-2017-00001",
  // "RPS15-IM-2017-00005_nachrichtlich_08435059").
  std::string document;
  std::string file;  // where its PDF lies (for reading; not planned on)
  std::string aktenzeichen;
  std::string kind;  // "BEWILLIGUNG", ... (core::ToString of the kind)
  // The postcode the batch is sorted by: the addressee's, or for a copy
  // whose member has no known postcode, its main letter's. Empty when
  // unknown (records before 1.4): such letters come last.
  std::string postcode;
  int pages = 0;         // of the letter's PDF, >= 1
  bool copy = false;     // a member's copy ("nachrichtlich")
  bool reprint = false;  // asked for again (bescheid print --reprint)
};

// Letter kinds in the order the cover sheet lists them.
inline constexpr const char* kCoverKinds[] = {"BEWILLIGUNG", "TEILBEWILLIGUNG",
                                              "ABLEHNUNG", "NACHFORDERUNG"};

// What the cover sheet of a batch says.
struct CoverSheet {
  core::Date date;
  int number = 0;       // the batch's number on `date` (1, 2, ...)
  int letters = 0;      // letters and copies
  int copies = 0;       // of them, members' copies
  int reprints = 0;     // of them, reprints
  int pages = 0;        // every page of the batch, cover and blanks included
  int blank_pages = 0;  // of them, blank pages added for duplex
  // Count per letter kind, kCoverKinds order, kinds with no letter left
  // out; a kind not in kCoverKinds after them, alphabetically.
  std::vector<std::pair<std::string, int>> per_kind;
  std::string first_aktenzeichen, last_aktenzeichen;  // in print order
};

// One part of a batch in print order.
struct PlannedLetter {
  LetterToPrint letter;
  int first_page = 0;  // 1-based page of the batch the letter starts on
  bool blank_after = false;
};

struct BatchPlan {
  int cover_pages = 0;  // the cover's own pages
  bool blank_after_cover = false;
  std::vector<PlannedLetter> letters;  // in print order
  CoverSheet cover;
};

// `pages` rounded up to an even count (a sheet printed on both sides).
int PaddedPages(int pages);

// Orders `letters` by postcode (empty last), then Aktenzeichen, then main
// letter before copies, then document; `cover_pages` is the cover sheet's
// page count (>= 1). kInvalidInput (German) when there is no letter, a
// letter has no pages, or a document is listed twice.
Result<BatchPlan> PlanBatch(std::vector<LetterToPrint> letters,
                            const core::Date& date, int number,
                            int cover_pages = 1);

// The cover sheet's lines, German, top to bottom (the first is the title).
std::vector<std::string> CoverLines(const CoverSheet& cover);

}  // namespace bescheid::print

#endif  // BESCHEID_PRINT_PLAN_H_
