// `bescheid process`: decides the files given, in that order, into a
// folder, with a progress line on a terminal and a summary at the end.
#include <Poco/Message.h>
#include <unistd.h>

#include <chrono>
#include <fstream>
#include <functional>
#include <iostream>
#include <memory>
#include <mutex>
#include <optional>
#include <thread>

#include "cli/app.h"
#include "cli/common.h"
#include "cli/progress.h"
#include "letters/letter.h"
#include "pipeline/ocr_scan_reader.h"
#include "pipeline/pipeline.h"
#include "store/journal.h"
#include "xml/application_reader.h"

namespace bescheid::cli {
namespace {

// One letter renderer per worker (libharu documents are not thread-safe).
Result<std::vector<std::unique_ptr<letters::LetterRenderer>>> MakeRenderers(
    const config::Settings& settings, int n) {
  std::vector<std::unique_ptr<letters::LetterRenderer>> out;
  for (int i = 0; i < n; ++i) {
    auto r =
        letters::LetterRenderer::Create(pipeline::MakeLetterOptions(settings));
    if (!r.ok()) return r.status();
    out.push_back(std::move(r).value());
  }
  return out;
}

// One scan reader (an OCR engine each) per worker.
Result<std::vector<std::unique_ptr<pipeline::ScanReader>>> MakeScanReaders(
    const config::Settings& settings, const forms::FormLayout* layout, int n) {
  std::vector<std::unique_ptr<pipeline::ScanReader>> out;
  for (int i = 0; i < n; ++i) {
    auto r = pipeline::OcrScanReader::Create(settings, layout);
    if (!r.ok()) return r.status();
    out.push_back(std::move(r).value());
  }
  return out;
}

// The committer's group fill (Pipeline::SetGroupFill): a sync pass waits
// for this many decisions per worker, at most kGroupWait, so that one pass
// and one journal commit serve several letters. No worker waits for it.
// Measured 2026-11-27, 4,000 letters, one worker: a fill of 8 (10 ms) cost
// about 5,000 voluntary context switches and more system time, 32 (40 ms)
// about 1,700.
constexpr size_t kGroupFillPerWorker = 32;
constexpr std::chrono::microseconds kGroupWait{40000};

// What the workers of `process` compute with: each its own letter
// renderer and scan reader (OCR engine), reading with `layout`.
struct Workers {
  std::unique_ptr<forms::FormLayout> layout;  // the scan readers point to it
  std::vector<std::unique_ptr<letters::LetterRenderer>> renderers;
  std::vector<std::unique_ptr<pipeline::ScanReader>> scan_readers;
};

Result<Workers> MakeWorkers(const config::Settings& settings, int workers,
                            Env* env) {
  Workers w;
  auto renderers = MakeRenderers(settings, workers);
  if (!renderers.ok()) return renderers.status();
  w.renderers = std::move(renderers).value();
  auto layout = pipeline::LoadFormLayout(settings, env);
  if (!layout.ok()) return layout.status();
  w.layout = std::make_unique<forms::FormLayout>(std::move(layout).value());
  auto readers = MakeScanReaders(settings, w.layout.get(), workers);
  if (!readers.ok()) return readers.status();
  w.scan_readers = std::move(readers).value();
  return w;
}

// The files to process, handed out one at a time in order, each with its
// index: first the paths in a list file (one per line; empty lines and a
// line's trailing CR ignored), read as the workers go so that a list of any
// length costs no memory, then the arguments. Next() is thread-safe.
class FileFeed {
 public:
  // Opens `list` (if any) and counts its paths, for the progress line.
  [[nodiscard]] Status Open(const std::optional<std::string>& list,
                            std::vector<std::string> args) {
    args_ = std::move(args);
    total_ = args_.size();
    if (!list) return Status::Ok();
    in_.open(*list);
    std::string line;
    while (ReadPath(&line)) ++total_;
    if (in_.bad() || !in_.is_open()) {
      return Status(StatusCode::kNotFound,
                    "Dateiliste '" + *list + "' kann nicht gelesen werden.");
    }
    in_.clear();
    in_.seekg(0);
    return Status::Ok();
  }
  size_t size() const { return total_; }
  // The next path and its index (0, 1, ...); false when none is left.
  bool Next(std::string* path, size_t* index) {
    std::lock_guard<std::mutex> lock(mu_);
    if (!in_.is_open() || !ReadPath(path)) {
      if (next_arg_ == args_.size()) return false;
      *path = args_[next_arg_++];
    }
    *index = next_++;
    return true;
  }

 private:
  bool ReadPath(std::string* path) {
    while (std::getline(in_, *path)) {
      if (!path->empty() && path->back() == '\r') path->pop_back();
      if (!path->empty()) return true;
    }
    return false;
  }

  std::ifstream in_;
  std::vector<std::string> args_;
  size_t total_ = 0;
  size_t next_ = 0;
  size_t next_arg_ = 0;
  std::mutex mu_;
};

// Runs every file of `feed` through `pipe` on one thread per renderer
// (renderer i with scan reader i), decided and numbered in the order of
// `feed`. A portal application's decision does not wait for its commit
// (Pipeline::ProcessDetached): its thread goes on to the next file while
// the pipeline's committer makes the decisions queued meanwhile durable in
// one sync pass and commits them in one transaction, so a worker spends no
// context switch per letter on the disk. `done(path, outcome, ms)` is
// called for each file, one call at a time, from a worker or from the
// committer; all calls have been made when this returns.
void RunFiles(
    pipeline::Pipeline& pipe, pipeline::OutputSink& sink, FileFeed& feed,
    const std::vector<std::unique_ptr<letters::LetterRenderer>>& renderers,
    const std::vector<std::unique_ptr<pipeline::ScanReader>>& scan_readers,
    const std::function<void(const std::string&, const pipeline::Outcome&,
                             long)>& done) {
  std::mutex done_mu;
  auto report = [&](const std::string& path, const pipeline::Outcome& o,
                    std::chrono::steady_clock::time_point start) {
    const auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(
                        std::chrono::steady_clock::now() - start)
                        .count();
    std::lock_guard<std::mutex> lock(done_mu);
    done(path, o, static_cast<long>(ms));
  };
  pipe.SetGroupFill(kGroupFillPerWorker * renderers.size(), kGroupWait);
  pipe.StartCommitter();
  auto work = [&](size_t worker) {
    std::string path;
    size_t i = 0;
    while (feed.Next(&path, &i)) {
      const auto start = std::chrono::steady_clock::now();
      std::optional<pipeline::Outcome> o = pipe.ProcessDetached(
          path, sink, renderers[worker].get(), i, scan_readers[worker].get(),
          [&report, path, start](const pipeline::Outcome& committed) {
            report(path, committed, start);
          });
      if (o) report(path, *o, start);
    }
  };
  std::vector<std::thread> threads;
  for (size_t w = 1; w < renderers.size(); ++w) threads.emplace_back(work, w);
  work(0);
  for (auto& t : threads) t.join();
  pipe.StopCommitter();
  pipe.SetGroupFill(1, std::chrono::microseconds(0));
}

}  // namespace

// Logs one file's outcome; on a terminal (`live`) only problems are shown,
// above the progress line. Returns false unless the file was decided.
bool App::ReportOutcome(const std::string& file, const pipeline::Outcome& o,
                        long ms, bool live, Progress& progress) {
  using Kind = pipeline::Outcome::Kind;
  std::string line = "file=" + file + " outcome=" + pipeline::ToString(o.kind);
  if (!o.aktenzeichen.empty()) line += " aktenzeichen=" + o.aktenzeichen;
  if (o.kind == Kind::kDecided) {
    line += std::string(" decision=") + core::ToString(o.decision);
  }
  if (o.scanned) {
    line += " documents=";
    for (size_t i = 0; i < o.documents.size(); ++i) {
      const pipeline::Outcome::Document& d = o.documents[i];
      line += (i ? "," : "") + std::string(pipeline::ToString(d.kind));
      if (!d.aktenzeichen.empty()) line += ":" + d.aktenzeichen;
      if (!d.review_id.empty()) line += ":review/" + d.review_id;
    }
  }
  line += " ms=" + std::to_string(ms);
  if (o.kind == Kind::kDecided && !o.warning.empty()) {
    line += " warning=" + o.warning;
  } else if (o.kind == Kind::kFailed || o.kind == Kind::kDeferred) {
    line += " error=" + o.message;
  }
  const bool problem = o.kind != Kind::kDecided || !o.warning.empty();
  if (live) {
    if (problem) progress.Note(line);
  } else if (!problem) {
    logger().information(line);
  } else if (o.kind == Kind::kFailed) {
    logger().error(line);
  } else {
    logger().warning(line);
  }
  if (o.kind == Kind::kRejected || o.kind == Kind::kReview) {
    progress.Note(o.message);
  }
  if (o.kind == Kind::kDeferred && !o.waits_for_review.empty()) {
    progress.Note(file + ": zurückgestellt: wartet auf die Prüfung von '" +
                  o.waits_for_review +
                  "' (ein früher eingegangener Antrag für dieselbe Kommune). "
                  "Nach der Prüfung bitte erneut bearbeiten.");
  }
  if (o.kind == Kind::kFailed) {
    progress.Note(file + ": nicht bearbeitet. " +
                  (o.failure == StatusCode::kNotFound
                       ? ReadFailure(Status(o.failure, o.message))
                       : "Ein technischer Fehler ist aufgetreten (" +
                             o.message +
                             "). Bitte versuchen Sie es später erneut oder "
                             "verständigen Sie den IT-Betrieb."));
  }
  return o.kind == Kind::kDecided;
}

int App::Process(const std::vector<std::string>& args) {
  FileFeed files;
  if (Status listed = files.Open(from_list_, args); !listed.ok()) {
    std::cerr << "bescheid process: " << listed.message() << "\n";
    return kExitUsage;
  }
  if (!out_dir_ || files.size() == 0) {
    return UsageError("process",
                      !out_dir_ ? "--out DIR fehlt" : "keine Datei angegeben");
  }
  Result<config::Settings> settings = LoadSettings();
  if (!settings.ok()) return StartFailure(settings.status());
  // `process` writes its letters into the folder given: there is no station
  // to release drafts from (release.mode applies to `watch` only).
  settings->release.mode = "auto";
  Env* env = DefaultEnv();
  Result<core::ReferenceTable> reference = LoadReference(*settings, env);
  if (!reference.ok()) return StartFailure(reference.status());
  auto reader = xml::ApplicationReader::Create();
  if (!reader.ok()) return StartFailure(reader.status());
  auto journal = store::OpenSqliteJournal(settings->store_path);
  if (!journal.ok()) return StartFailure(journal.status());
  Status dir = env->CreateDirs(*out_dir_);
  if (!dir.ok()) {
    std::cerr << "bescheid: Ausgabeverzeichnis: " << dir.message() << "\n";
    return kExitUsage;
  }

  Result<Workers> w = MakeWorkers(*settings, workers_, env);
  if (!w.ok()) return StartFailure(w.status());
  pipeline::Pipeline pipe(*settings, &*reference, reader->get(), journal->get(),
                          w->renderers[0].get(), env);
  pipeline::DirectorySink sink(*out_dir_, env);

  int exit_code = kExitOk;
  // On a terminal a live progress line replaces the per-file log lines;
  // problems are still shown, above it.
  const bool live = IsTerminal(STDERR_FILENO);
  if (live) logger().setLevel(Poco::Message::PRIO_WARNING);
  Progress progress(files.size(), std::cerr, live);
  RunFiles(pipe, sink, files, w->renderers, w->scan_readers,
           [&](const std::string& file, const pipeline::Outcome& o, long ms) {
             progress.Done(o.kind);
             if (ReportOutcome(file, o, ms, live, progress)) return;
             if (o.kind != pipeline::Outcome::Kind::kDeferred) {
               exit_code = kExitSomeFailed;
             } else if (exit_code == kExitOk) {
               exit_code = kExitDeferred;
             }
           });
  progress.Finish();
  return exit_code;
}

}  // namespace bescheid::cli
