// Progress of a batch for the person who started it (German).
#ifndef BESCHEID_CLI_PROGRESS_H_
#define BESCHEID_CLI_PROGRESS_H_

#include <chrono>
#include <cstddef>
#include <map>
#include <mutex>
#include <ostream>
#include <string>

#include "pipeline/pipeline.h"

namespace bescheid::cli {

// Counts outcomes of `total` files. On a terminal (`live`) it keeps one
// line up to date in place (files done of total, rate, time left, outcomes
// so far), redrawn at most ten times a second; Note() prints a message
// above it. Without a terminal it writes no control characters and no
// line, only Note() messages and, from Finish(), the summary table.
// Thread-safe.
class Progress {
 public:
  using Clock = std::chrono::steady_clock;

  Progress(size_t total, std::ostream& out, bool live);
  Progress(const Progress&) = delete;
  Progress& operator=(const Progress&) = delete;

  // One file reached `kind`.
  void Done(pipeline::Outcome::Kind kind);
  // A message for the person (a rejection's report), above the live line.
  void Note(const std::string& text);
  // Clears the live line and writes the summary: one row per outcome.
  void Finish();

  // The live line as it would be drawn at `now` (for tests).
  std::string Line(Clock::time_point now) const;

 private:
  void DrawLocked(bool force);

  const size_t total_;
  std::ostream& out_;
  const bool live_;
  const Clock::time_point started_;
  mutable std::mutex mu_;
  size_t done_ = 0;
  std::map<pipeline::Outcome::Kind, size_t> counts_;
  Clock::time_point drawn_{};
};

// True if file descriptor `fd` is a terminal.
bool IsTerminal(int fd);

}  // namespace bescheid::cli

#endif  // BESCHEID_CLI_PROGRESS_H_
