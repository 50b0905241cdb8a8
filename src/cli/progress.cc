#include "cli/progress.h"

#include <unistd.h>

#include <cstdio>

#include "core/format.h"
#include "core/text.h"

namespace bescheid::cli {
namespace {

using Kind = pipeline::Outcome::Kind;

// The German word for an outcome, as the summary and the line show it.
const char* Label(Kind k) {
  switch (k) {
    case Kind::kDecided:
      return "entschieden";
    case Kind::kRejected:
      return "abgelehnt (ungültig)";
    case Kind::kDuplicate:
      return "doppelt";
    case Kind::kFailed:
      return "nicht bearbeitet";
    case Kind::kDeferred:
      return "zurückgestellt";
    case Kind::kReview:
      return "zur Bearbeitung von Hand";
  }
  return "";
}

// "1:05" for 65 seconds, "1:01:05" past an hour.
std::string Duration(long seconds) {
  char buf[32];
  if (seconds >= 3600) {
    std::snprintf(buf, sizeof buf, "%ld:%02ld:%02ld", seconds / 3600,
                  seconds / 60 % 60, seconds % 60);
  } else {
    std::snprintf(buf, sizeof buf, "%ld:%02ld", seconds / 60, seconds % 60);
  }
  return buf;
}

}  // namespace

Progress::Progress(size_t total, std::ostream& out, bool live)
    : total_(total), out_(out), live_(live), started_(Clock::now()) {}

void Progress::Done(Kind kind) {
  std::lock_guard<std::mutex> lock(mu_);
  ++done_;
  ++counts_[kind];
  DrawLocked(done_ == total_);
}

void Progress::Note(const std::string& text) {
  std::lock_guard<std::mutex> lock(mu_);
  if (live_) out_ << "\r\033[K";
  out_ << text << "\n";
  if (live_) DrawLocked(true);
  out_.flush();
}

std::string Progress::Line(Clock::time_point now) const {
  const long ms = static_cast<long>(
      std::chrono::duration_cast<std::chrono::milliseconds>(now - started_)
          .count());
  std::string line =
      std::to_string(done_) + " von " + std::to_string(total_) + " Dateien";
  if (ms > 0 && done_ > 0) {
    // Files per second in hundredths, formatted the German way.
    const long rate = static_cast<long>(done_) * 100000 / ms;
    line += ", " + core::FormatHundredths(static_cast<int>(rate)) + " je s";
    if (done_ < total_) {
      const long left_ms =
          ms * static_cast<long>(total_ - done_) / static_cast<long>(done_);
      line += ", noch etwa " + Duration((left_ms + 999) / 1000);
    }
  }
  for (const auto& [kind, n] : counts_) {
    line += " · " + std::to_string(n) + " " + Label(kind);
  }
  return line;
}

void Progress::DrawLocked(bool force) {
  if (!live_) return;
  const Clock::time_point now = Clock::now();
  if (!force && now - drawn_ < std::chrono::milliseconds(100)) return;
  drawn_ = now;
  out_ << "\r\033[K" << Line(now);
  out_.flush();
}

void Progress::Finish() {
  std::lock_guard<std::mutex> lock(mu_);
  if (live_) out_ << "\r\033[K";
  const long ms =
      static_cast<long>(std::chrono::duration_cast<std::chrono::milliseconds>(
                            Clock::now() - started_)
                            .count());
  out_ << "Ergebnis: " << done_ << " von " << total_ << " Dateien in "
       << Duration((ms + 999) / 1000) << "\n";
  for (Kind k : {Kind::kDecided, Kind::kRejected, Kind::kDuplicate,
                 Kind::kReview, Kind::kFailed, Kind::kDeferred}) {
    auto it = counts_.find(k);
    if (it == counts_.end()) continue;
    const std::string label = Label(k);
    const size_t width = core::CountCodePoints(label, label.size());
    char count[32];
    std::snprintf(count, sizeof count, "%6zu", it->second);
    out_ << "  " << label << std::string(width < 24 ? 24 - width : 1, ' ')
         << count << "\n";
  }
  out_.flush();
}

bool IsTerminal(int fd) { return ::isatty(fd) == 1; }

}  // namespace bescheid::cli
