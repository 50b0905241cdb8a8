// A print run: finishes what earlier runs left (batches written but not
// sent are sent once as written; batches sent are asked after, never sent
// again), then gathers the released letters not yet printed into a new
// batch, writes it durably, records it and sends it (docs/printing.md).
//
// Not thread-safe: one run at a time per journal (the journal's lock keeps
// a second process out).
#ifndef BESCHEID_PRINT_PRINTER_H_
#define BESCHEID_PRINT_PRINTER_H_

#include <map>
#include <optional>
#include <string>
#include <vector>

#include "core/date.h"
#include "core/programme.h"
#include "core/status.h"
#include "env/env.h"
#include "letters/pdf_writer.h"
#include "print/plan.h"
#include "print/queue.h"
#include "store/journal.h"

namespace bescheid::print {

// THE rule of what is released for printing (the one place to change when
// the release station's state lands): a decision's letter or copy `file`
// is released when it lies in outbox/<decision date>/ of the watch root.
// Returns that path relative to the root, or nullopt (not released: a
// draft, moved away, or a decision without date).
std::optional<std::string> ReleasedLetter(Env* env,
                                          const std::string& watch_root,
                                          const store::DecisionEntry& decision,
                                          const std::string& file);

struct PrintOptions {
  std::string watch_root;  // outbox/ is read, print/<date>/ written here
  std::string queue;       // the CUPS queue
  core::Date today;        // the batch's date
  // Only decisions dated in [from, to] (unset: open).
  std::optional<core::Date> from, to;
  // Print these Aktenzeichen again (letter and copies), and nothing else.
  std::vector<std::string> reprint;
  bool dry_run = false;   // write the PDF and plan; send and record nothing
  int wait_seconds = 60;  // for a sent job's outcome before leaving it SENT
  int64_t timestamp = 0;  // of the cover sheet's metadata
};

// What a run did, German, one line each, for the operator.
struct PrintReport {
  std::vector<std::string> lines;
  std::optional<BatchPlan> plan;  // of the new batch, if one was made
  std::string batch_file;         // its PDF (absolute), if written
  int printed = 0;                // letters whose batch COMPLETED now
};

class Printer {
 public:
  // `reference` (may be null) gives members' postcodes for their copies.
  // Every pointer must outlive the printer.
  Printer(Env* env, store::Journal* journal, PrintQueue* queue,
          letters::PdfWriter* writer, const core::ReferenceTable* reference)
      : env_(env),
        journal_(journal),
        queue_(queue),
        writer_(writer),
        reference_(reference) {}

  // Sends every batch recorded WRITTEN (its PDF as written) and asks the
  // queue for the outcome of every batch SENT, recording each outcome.
  // Fails (German) on the first batch that cannot go on; the rest wait.
  Status Resume(const PrintOptions& options, PrintReport& report);

  // Makes, writes and (unless dry_run) sends the batch of released letters
  // not yet printed nor on their way (or of options.reprint). Nothing to
  // print is OK. A queue that is missing or stopped, or a job that fails,
  // leaves the letters unprinted and returns the German reason.
  Status PrintNew(const PrintOptions& options, PrintReport& report);

 private:
  Result<std::vector<LetterToPrint>> Gather(const PrintOptions& options);
  // Reads each letter's PDF and sets its page count; document -> bytes.
  Result<std::map<std::string, std::string>> ReadLetters(
      const PrintOptions& options, std::vector<LetterToPrint>& letters);
  // Plans batch `number` of `letters` into `plan` and returns its PDF.
  Result<std::string> Build(const PrintOptions& options,
                            std::vector<LetterToPrint> letters, int number,
                            BatchPlan& plan);
  Status AddDecision(const PrintOptions& options,
                     const store::DecisionEntry& decision,
                     std::vector<LetterToPrint>& out);
  Status Send(const PrintOptions& options, const store::PrintBatchRecord& b,
              PrintReport& report);
  Status Await(const PrintOptions& options, const store::PrintBatchRecord& b,
               int job_id, PrintReport& report);

  Env* env_;
  store::Journal* journal_;
  PrintQueue* queue_;
  letters::PdfWriter* writer_;
  const core::ReferenceTable* reference_;
  // Documents printed (a COMPLETED batch) or on their way (WRITTEN, SENT).
  std::vector<store::LetterPrint> prints_;
};

// "2018-01-22/1": a batch as the register names it.
std::string BatchLabel(const core::Date& date, int number);

}  // namespace bescheid::print

#endif  // BESCHEID_PRINT_PRINTER_H_
