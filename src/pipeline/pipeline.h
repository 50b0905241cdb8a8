// One input file through the whole pipeline: read (size-capped), hash,
// duplicate check, XML intake, decision, outputs, journal. Shared by the
// `process` command and the watcher daemon; they differ only in where
// outputs go (the OutputSink).
#ifndef BESCHEID_PIPELINE_PIPELINE_H_
#define BESCHEID_PIPELINE_PIPELINE_H_

#include <mutex>
#include <string>
#include <string_view>

#include "config/settings.h"
#include "core/decision.h"
#include "core/programme.h"
#include "core/status.h"
#include "env/env.h"
#include "letters/letter.h"
#include "store/journal.h"
#include "xml/application_reader.h"

namespace bescheid::pipeline {

// What one decided input produced, for the sink to place durably.
struct DecisionOutput {
  std::string input_path;
  std::string aktenzeichen;
  core::DecisionKind kind = core::DecisionKind::kAblehnung;
  std::string record_xml;
  std::string letter_file;  // "<Aktenzeichen>.pdf"
  std::string letter_pdf;
};

// Where outputs go. Each call must make its files durable (written, synced,
// renamed into place) before it returns OK; the journal commits only after.
// Implementations need not be thread-safe: the pipeline serialises calls.
class OutputSink {
 public:
  virtual ~OutputSink() = default;
  virtual Status WriteDecision(const DecisionOutput& out) = 0;
  // `report` is the German explanation for the clerk.
  virtual Status WriteRejection(const std::string& input_path,
                                const std::string& report) = 0;
  virtual Status WriteDuplicate(const std::string& input_path,
                                const std::string& earlier_aktenzeichen) = 0;
};

struct Outcome {
  enum class Kind {
    kDecided,    // a decision was made and recorded
    kRejected,   // the input is not an acceptable application
    kDuplicate,  // the same bytes were decided before
    kFailed,     // an operational error (I/O, store): retry later
  };
  Kind kind = Kind::kFailed;
  std::string aktenzeichen;  // kDecided, kDuplicate (the earlier one)
  core::DecisionKind decision = core::DecisionKind::kAblehnung;
  std::string message;  // German report (kRejected) or log text (kFailed)
  std::string warning;  // something a person should look at (kDecided)
};

const char* ToString(Outcome::Kind k);

// Lower-case hex SHA-256 of `bytes`.
std::string Sha256Hex(std::string_view bytes);

class Pipeline {
 public:
  // All pointers must outlive the pipeline. `reader` and `reference` are
  // shared read-only; `letters` is used under the pipeline's decision lock.
  Pipeline(const config::Settings& settings,
           const core::ReferenceTable* reference,
           const xml::ApplicationReader* reader, store::Journal* journal,
           letters::LetterRenderer* letters, Env* env);
  Pipeline(const Pipeline&) = delete;
  Pipeline& operator=(const Pipeline&) = delete;

  // Takes the file at `path` through the pipeline and reports the outcome.
  // The input file itself is never modified or removed. Never throws.
  // Thread-safe: reading and validation run in parallel; deciding,
  // numbering, writing and committing are serialised, so two applications
  // for the same municipality can never both be granted.
  Outcome Process(const std::string& path, OutputSink& sink);

 private:
  Outcome ProcessOrThrow(const std::string& path, OutputSink& sink);
  Outcome Reject(const std::string& path, const std::string& sha256,
                 const std::string& report, OutputSink& sink);

  const config::Settings settings_;
  const core::ReferenceTable* reference_;
  const xml::ApplicationReader* reader_;
  store::Journal* journal_;
  letters::LetterRenderer* letters_;
  Env* env_;
  std::mutex decide_mu_;
};

// The letter module's options from the configuration.
letters::LetterOptions MakeLetterOptions(const config::Settings& settings);

// Writes outputs as the `process` command documents them:
// DIR/<Aktenzeichen>.pdf and DIR/<Aktenzeichen>.decision.xml,
// DIR/rejected/<name>.error.txt and DIR/duplicates/<name>.txt.
class DirectorySink final : public OutputSink {
 public:
  DirectorySink(std::string dir, Env* env) : dir_(std::move(dir)), env_(env) {}
  Status WriteDecision(const DecisionOutput& out) override;
  Status WriteRejection(const std::string& input_path,
                        const std::string& report) override;
  Status WriteDuplicate(const std::string& input_path,
                        const std::string& earlier_aktenzeichen) override;

 private:
  std::string dir_;
  Env* env_;
};

}  // namespace bescheid::pipeline

#endif  // BESCHEID_PIPELINE_PIPELINE_H_
