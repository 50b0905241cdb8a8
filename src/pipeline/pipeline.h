// One input through the whole pipeline: read (size-capped), hash,
// duplicate check, XML intake, decision, letter, outputs, journal. Shared by
// the `process` command and the watcher; they differ only in where outputs
// go (the OutputSink).
#ifndef BESCHEID_PIPELINE_PIPELINE_H_
#define BESCHEID_PIPELINE_PIPELINE_H_

#include <chrono>
#include <condition_variable>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <thread>
#include <vector>

#include "config/settings.h"
#include "core/decision.h"
#include "core/plausibility.h"
#include "core/programme.h"
#include "core/status.h"
#include "env/env.h"
#include "forms/layout.h"
#include "letters/letter.h"
#include "scan/reader.h"
#include "store/journal.h"
#include "xml/application_reader.h"
#include "xml/decision_record.h"

namespace bescheid::pipeline {

// The input being processed: where it is now and the name it arrived with.
struct Input {
  std::string path;
  std::string name;  // safe to show and log (see core::SafeFileName)
  // The input's place in the order of receipt (1, 2, ...), kept across
  // retries; 0 when the caller does not retry failed inputs.
  uint64_t sequence = 0;
  // The file's modification time (Unix seconds) as it arrived, for the
  // receipt date of an input that states none; 0: unknown, the pipeline
  // then asks the file at `path`.
  int64_t mtime_unix = 0;
  // The user whose corrections made this application (a review case
  // decided through the station, see DecideCorrected); "" otherwise.
  std::string corrected_by = {};
};

// A copy of the letter for a member municipality of a joint application.
struct CopyOutput {
  std::string ags;
  std::string file;  // CopyFileName(document, ags)
  std::string pdf;
};

// What one decided input produced, for the sink to place durably.
struct DecisionOutput {
  Input input;
  std::string aktenzeichen;
  // The stem of every file name below (DocumentName): the record is
  // "<document>.decision.xml".
  std::string document;
  core::Date decision_date;
  core::DecisionKind kind = core::DecisionKind::kAblehnung;
  std::string record_xml;
  std::string letter_file;  // "<document>.pdf"
  std::string letter_pdf;
  std::vector<CopyOutput> copies;
  // release.mode=manual: the letter is a draft until released (the watch
  // sink writes it to entwurf/ instead of the outbox).
  bool draft = false;
};

// The stem of a decision's output file names: its Aktenzeichen for the
// first decision under it, "<Aktenzeichen>-<revision>" for a later one (a
// completed application answering a request), so that no output of an
// Aktenzeichen ever replaces an earlier one.
std::string DocumentName(const std::string& aktenzeichen, int revision);

// "<document>_nachrichtlich_<AGS>.pdf": the copy of a letter for a member.
std::string CopyFileName(const std::string& document, const std::string& ags);

// The document (see DocumentName) an output file in an outbox belongs to:
// "<document>.pdf", "<document>.decision.xml" or a copy; "" for any other
// name (hidden, temporary or foreign files).
std::string DocumentOfOutput(const std::string& file);

// A scanned document going to a person: everything the review station
// needs, as files for review/<id>/ (see docs/scan-review.md).
struct ScanReview {
  std::string id;  // "<first 12 hex of the file's SHA-256>-<document>"
  // name -> bytes: the page images ("seite-1.png", ...), a crop per
  // doubtful field ("feld-bank.iban.png"), "felder.json", "grund.txt" and
  // the original file ("original.<ext>").
  std::vector<std::pair<std::string, std::string>> files;
};

// The crop of a doubtful field in review/<id>/: "feld-bank.iban.png" (the
// field id with every character but [A-Za-z0-9.-] written '_'; a doubt
// about no field, "feld-seite-<page + 1>.png"). `page` is 0-based.
std::string ReviewCropName(const std::string& field_id, int page);

// Writes each file of `review` durably into `dir`/<id>/ (created), after
// removing the temporary files an interrupted earlier write left there.
Status WriteReviewFolder(Env* env, const std::string& dir,
                         const ScanReview& review);

// Reads the documents of a scanned file. Production: scan::ReadScan with
// the worker's own OcrEngine (one per worker, like the letter renderer;
// not thread-safe); tests supply known readings.
class ScanReader {
 public:
  virtual ~ScanReader() = default;
  // Makes what Read needs that is costly or process-wide (an OCR engine)
  // now, instead of at the first Read. The watcher calls it for every
  // worker's reader before any worker runs; a reader never prepared does
  // it at its first Read. Default: nothing to do.
  virtual Status Prepare() { return Status::Ok(); }
  // Reads the pages of `pages` (pulled one at a time; scan::ReadScan). An
  // error of the source (a damaged page: kInvalidInput, German) is passed
  // on; the pipeline refuses the file for it.
  virtual Result<scan::ScanReading> Read(scan::PageSource& pages) = 0;
};

// What an input repeats: the Aktenzeichen its bytes were decided under
// and, for a scanned file, the review folders (review/<id>/) of its
// documents that wait for a person.
struct EarlierOutcome {
  std::vector<std::string> aktenzeichen;
  std::vector<std::string> reviews;
};

// Where outputs go. Each call but WriteDecision must make its files durable
// (written, synced, renamed into place) before it returns OK.
// Implementations must be thread-safe: workers call them concurrently (for
// different inputs).
class OutputSink {
 public:
  virtual ~OutputSink() = default;
  // Places the decision's files (see WriteDecisionFiles) and appends to
  // `unsynced` every path it wrote without syncing (Env::WriteFileUnsynced).
  // The pipeline makes those durable with one Env::SyncFiles pass for a
  // group of decisions, and commits the journal only after that pass
  // (docs/durability.md). A sink that syncs itself appends nothing.
  virtual Status WriteDecision(const DecisionOutput& out,
                               std::vector<std::string>* unsynced) = 0;
  // `report` is the German explanation for the clerk.
  virtual Status WriteRejection(const Input& input,
                                const std::string& report) = 0;
  virtual Status WriteDuplicate(const Input& input,
                                const EarlierOutcome& earlier) = 0;
  // The input goes to a person, with a German `note` saying why.
  virtual Status SendToReview(const Input& input, const std::string& note) = 0;
  // One scanned document goes to a person: review/<id>/ (WriteReviewFolder;
  // it holds a copy of the original). Called once per document in review,
  // before the journal records the review; the input itself stays where it
  // is (the caller archives or drops it after its outcome).
  virtual Status WriteScanReview(const Input& input,
                                 const ScanReview& review) = 0;
  // Removes what WriteDecision wrote, when the journal then refused the
  // decision (best effort; startup recovery catches the rest).
  virtual void DiscardDecision(const DecisionOutput& out) = 0;
};

struct Outcome {
  enum class Kind {
    kDecided,    // a decision was made and recorded
    kRejected,   // the input is not an acceptable application
    kDuplicate,  // the same bytes were decided before
    kFailed,     // an error of the machine (I/O, store, bug): retry later
    kDeferred,   // an earlier input for one of its municipalities is not
                 // decided yet: process it again after Release()
    kReview,     // valid, but a person must write the letter (message: why)
  };
  Kind kind = Kind::kFailed;
  std::string aktenzeichen;  // kDecided, kDuplicate (the earlier one)
  core::DecisionKind decision = core::DecisionKind::kAblehnung;
  std::string message;  // German report (kRejected) or log text (kFailed)
  // kDecided: something a person should look at before sending (German)
  std::string warning;
  StatusCode failure = StatusCode::kOk;  // kFailed: kIo, kStore, kInternal...
  // kDeferred by an open review: the name of the file waiting for a person
  // (see Pipeline::OpenReview).
  std::string waits_for_review;
  // A scanned file: one entry per document found, in page order, each
  // kDecided, kReview (review_id set), kFailed, kDeferred or kDuplicate:
  // done before, by this file's earlier attempt or an identical file
  // (decided: `aktenzeichen` set; waiting in an open review of another
  // input: `review_id` set). The file's own kind sums them up, and the
  // file is placed once, after its last document: kFailed or kDeferred if
  // any document is (nothing moves; process the file again later, and
  // documents done are not done twice); kDuplicate if every document was
  // done before by another input (duplicates/, the note naming them);
  // else kDecided if any document has an Aktenzeichen (archived under the
  // last one's, as recovery does), else kReview (every document is in
  // review/<id>/ with a copy of the file).
  struct Document {
    Kind kind = Kind::kReview;
    std::string aktenzeichen;
    core::DecisionKind decision = core::DecisionKind::kAblehnung;
    std::string review_id;
    std::string message;  // German: why it went to review or was rejected
    StatusCode failure = StatusCode::kOk;  // kFailed
    std::string waits_for_review;          // kDeferred by a review
  };
  std::vector<Document> documents;
  bool scanned = false;  // the input was a scan (SniffFileKind)
};

const char* ToString(Outcome::Kind k);

// A review case's fields as read and corrected (review/<id>/felder.json,
// docs/scan-review.md), to be decided through the station
// (Pipeline::DecideCorrected, review_route.cc).
struct CorrectedField {
  std::string id;      // placed id, "position[0].fte"
  std::string option;  // a checkbox's value ("A", "ja"); else ""
  std::string value;   // as forms::FieldValue writes it
};
struct CorrectedCase {
  // The open review: its id, the file's name, the journal key of the
  // document (ReviewRecord::sha256) and its place in the order of receipt.
  store::ReviewRecord review;
  std::vector<CorrectedField> fields;
  bool signature_present = false;  // when no field "signature.image" says
  // The receipt date when the file's name holds none (the day the review
  // was opened: the file's mtime is not kept in review/<id>/).
  core::Date fallback_receipt;
  std::string corrected_by;  // the user who saved the corrections
};
struct CorrectionResult {
  // German: why the corrected application is not decided (validation,
  // strong checks, an earlier application for its municipalities still
  // open); empty when it was.
  std::vector<std::string> problems;
  Outcome outcome;  // kDecided (or kDuplicate: decided before) when clean
};

// Lower-case hex SHA-256 of `bytes`.
std::string Sha256Hex(std::string_view bytes);

// Gives an input its place in the decision order (a ticket, as for
// Pipeline::ProcessBytes) only once it has been read: called at most once,
// outside the pipeline's locks; may block until earlier late tickets are
// given.
using LateTicket = std::function<uint64_t()>;

class Pipeline {
 public:
  // All pointers must outlive the pipeline. `reader` and `reference` are
  // shared read-only. `letters` (may be null: no letters) is the renderer
  // used by Process(); it is not shared between threads.
  Pipeline(const config::Settings& settings,
           const core::ReferenceTable* reference,
           const xml::ApplicationReader* reader, store::Journal* journal,
           letters::LetterRenderer* letters, Env* env);
  ~Pipeline();  // StopCommitter()
  Pipeline(const Pipeline&) = delete;
  Pipeline& operator=(const Pipeline&) = delete;

  // Reads the file at `path` (never modifying it) and processes it with the
  // pipeline's own renderer. Not for concurrent use (the renderer is not
  // thread-safe).
  Outcome Process(const std::string& path, OutputSink& sink);

  // The same with the caller's renderer, for parallel workers. With a
  // `ticket` (0, 1, 2, ... one per input, each used exactly once), inputs
  // are decided and numbered strictly in ticket order, whatever order the
  // workers reach the decision in; a ticket whose input fails earlier is
  // passed on all the same.
  Outcome Process(const std::string& path, OutputSink& sink,
                  letters::LetterRenderer* renderer,
                  std::optional<uint64_t> ticket, ScanReader* scans = nullptr);

  // Process() with a detached commit, for batch runs (`bescheid process`):
  // a portal application's decision does not wait for its group's sync
  // pass and journal commit. Once its files are written it is queued, and
  // this returns nullopt; the committer thread (StartCommitter) syncs and
  // commits it with the others queued, as CommitInGroup does, and then
  // calls `done` with its outcome (kDecided, or kFailed with its files
  // removed and its number given back), one call at a time, on the
  // committer's thread. Every other outcome (a rejection, a duplicate, a
  // scanned file, whose documents wait for their commits as in Process) is
  // returned here and `done` is not called. While more than
  // store.commit-group * 4 decisions are queued, this waits after queueing
  // its own. Precondition: StartCommitter was called. Thread-safe like
  // Process.
  using CommitDone = std::function<void(const Outcome&)>;
  std::optional<Outcome> ProcessDetached(const std::string& path,
                                         OutputSink& sink,
                                         letters::LetterRenderer* renderer,
                                         uint64_t ticket, ScanReader* scans,
                                         CommitDone done);
  // Starts the committer thread of detached commits (ProcessDetached).
  // Call once, before the first ProcessDetached.
  void StartCommitter();
  // Waits until every detached commit has ended and its `done` was called,
  // then ends the committer thread. Call after the last ProcessDetached has
  // returned; the destructor calls it too.
  void StopCommitter();

  // Processes `bytes` read from `input`, rendering with `renderer` (which
  // the caller owns, one per thread). Never throws. Thread-safe: reading,
  // validation and rendering run in parallel; deciding and numbering are
  // serialised, an application waits while another one covering one of its
  // municipalities is between decision and commit, so two can never both
  // be granted, and identical inputs wait for each other, so the second is
  // a duplicate.
  //
  // A scan (by content: scan::SniffFileKind) is decoded page by page
  // (scan::ScanSource, within the scan.* caps; a damaged page refuses the
  // file), read by `scans` (null: the whole file goes to review), and each
  // document it holds, in page order, either decided
  // exactly like portal XML (written as antrag XML and read back by the
  // one reader, then strong checks: IBAN check digits, every AGS in the
  // reference table, the applicant's kind, and core::CheckPlausibility;
  // channel SCAN, receipt date from
  // the file name or mtime) or sent to review/<id>/ with an open review
  // that holds its municipalities (OpenReview).
  //
  // With `late` and no `ticket`, the input asks for its ticket once a scan
  // has been read (or, on any other path, when it first needs its turn):
  // inputs ticketed while a scan is read are decided before it.
  Outcome ProcessBytes(const Input& input, std::string_view bytes,
                       const std::string& sha256, OutputSink& sink,
                       letters::LetterRenderer* renderer,
                       std::optional<uint64_t> ticket = std::nullopt,
                       ScanReader* scans = nullptr, LateTicket late = {});

  // Passes on `ticket` for an input that ends without reaching the pipeline
  // (a scan sent to review, a file given up on): waits for its turn, then
  // lets the next ticket through.
  void PassTicket(uint64_t ticket);

  // Holds. An input with a sequence number that fails (kFailed) or is
  // deferred after its application was read holds its municipalities: a
  // later input (higher sequence) covering any of them is deferred instead
  // of decided, until Release(sequence). So an application keeps its place
  // in the order of receipt through retries. HoldAll holds every
  // municipality, for an input that failed before it could be read.
  // Thread-safe.
  void HoldAll(uint64_t sequence);
  // Ends every hold of `sequence`; call when its input reached its outcome.
  void Release(uint64_t sequence);

  // Review holds. A scanned document that goes to a person is recorded as
  // an open review (journal, so it holds across restarts): until
  // CloseReview(id), a later application (higher sequence, or any when
  // either has none) covering one of its municipalities is deferred, so
  // that the order of receipt decides. Thread-safe.
  [[nodiscard]] Status OpenReview(const store::ReviewRecord& review);
  // Ends the review `id` in the journal and its hold here; the caller
  // processes what it deferred again. kNotFound: no such review.
  [[nodiscard]] Status CloseReview(const std::string& id);

  // Numbers are handed out above `floor` too (a new journal beside
  // existing outputs). Call before the first input.
  void SetNumberFloor(int64_t floor);

  // For batch processing (`bescheid process`), where more decisions follow
  // at once: a sync pass that would start while fewer than `fill`
  // decisions wait for one waits up to `most` for others to join, so that
  // one Env::SyncFiles pass and one journal commit serve several (fewer
  // syncs and context switches per decision). So does a waiting decision,
  // and the committer of detached ones (at most store.commit-group).
  // Default fill 1: a decision is synced at once (the watcher, whose
  // latency counts). Call before the first input.
  void SetGroupFill(size_t fill, std::chrono::microseconds most);

  // Sends a valid input to a person with the German `reason` (no number is
  // used up).
  Outcome SendToReview(const Input& input, const std::string& reason,
                       OutputSink& sink);

  // Rejects an input without reading it (too large, given up on), with a
  // German reason; records the rejection when `sha256` is known.
  Outcome RejectInput(const Input& input, const std::string& sha256,
                      const std::string& report, OutputSink& sink);

  // A corrected review case (review_route.cc): assembles the application
  // from `c.fields` against `layout` exactly as the scan reader does
  // (forms::AssembleApplication), checks it like any scanned application
  // (CheckScanned: written as antrag XML and read back through the schema,
  // then the strong checks), and when clean decides it along the one way
  // (DecideApplication; channel SCAN, the original receipt date, the
  // document's journal key, corrected_by recorded for four eyes). Does not
  // close the review (the caller does, through the watcher). Thread-safe
  // like ProcessBytes; `renderer` is the caller's.
  CorrectionResult DecideCorrected(const CorrectedCase& c,
                                   const forms::FormLayout& layout,
                                   OutputSink& sink,
                                   letters::LetterRenderer* renderer);

  // How many decisions have their files written and wait for their
  // group's commit (CommitInGroup); for tests and status. Thread-safe.
  size_t CommitsWaiting();

  const config::Settings& settings() const { return settings_; }

 private:
  class Turn;
  // Process() in `turn` (which may be detached, see ProcessDetached).
  Outcome ProcessFile(const std::string& path, OutputSink& sink,
                      letters::LetterRenderer* renderer, Turn& turn,
                      ScanReader* scans);
  Outcome ProcessOrThrow(const Input& input, std::string_view bytes,
                         const std::string& sha256, OutputSink& sink,
                         letters::LetterRenderer* renderer, Turn& turn,
                         ScanReader* scans, std::vector<std::string>* covered);
  // How an application came in: its channel and, for a scan, the receipt
  // date from the file name or mtime (XML: from the application).
  struct Arrival {
    xml::Channel channel = xml::Channel::kXml;
    std::optional<core::ReceiptDate> receipt;
  };
  // From a valid application on: programme, record, decision, letter,
  // outputs, journal (the one way for XML and scans). `sha256` is the key
  // the journal records the input (or scanned document) under.
  Outcome DecideApplication(const Input& input, const std::string& sha256,
                            const core::Application& app,
                            const Arrival& arrival, OutputSink& sink,
                            letters::LetterRenderer* renderer, Turn& turn,
                            std::vector<std::string>* covered);
  // DecideApplication outside the order of tickets (a corrected review
  // case, review_route.cc): it still waits for holds, pending grants and
  // identical inputs like any other.
  Outcome DecideOutOfTurn(const Input& input, const std::string& sha256,
                          const core::Application& app, const Arrival& arrival,
                          OutputSink& sink, letters::LetterRenderer* renderer,
                          std::vector<std::string>* covered);
  // scan_route.cc: a scanned file, document by document.
  Outcome ProcessScan(const Input& input, std::string_view bytes,
                      const std::string& sha256, OutputSink& sink,
                      letters::LetterRenderer* renderer, Turn& turn,
                      ScanReader* scans, std::vector<std::string>* covered);
  Outcome::Document ProcessScannedDocument(
      const Input& input, std::string_view bytes, const std::string& sha256,
      size_t index, const scan::ScannedDocument& doc, const Arrival& arrival,
      OutputSink& sink, letters::LetterRenderer* renderer, Turn& turn,
      std::vector<std::string>* covered);
  // Why a scanned application cannot be trusted (empty: it can), each
  // finding with the form fields it names: the reader's report on it as
  // antrag XML, the strong checks, then the programme's sums and
  // plausibility (core::CheckPlausibility against `receipt`).
  std::vector<core::Implausibility> CheckScanned(
      const core::Application& app, const std::string& name,
      const core::Date& receipt) const;
  // In the input's turn: writes review/<id>/ and records the open review
  // (kReview), or finds the review open for another input with the same
  // bytes (kDuplicate, nothing written). Sets d's kind and review_id.
  Status SendDocumentToReview(const Input& input, std::string_view bytes,
                              const std::string& sha256, size_t index,
                              const scan::ScannedDocument& doc,
                              const std::vector<core::Implausibility>& reasons,
                              OutputSink& sink, Turn& turn,
                              Outcome::Document* d);
  // The open review `id`, if any (from the journal's open reviews).
  Result<std::optional<store::ReviewRecord>> FindOpenReview(
      const std::string& id);
  // What the decision section produced for one input.
  struct DecisionSlot {
    core::Decision decision;
    int64_t number = 0;  // 0: no number taken
    int revision = 1;    // > 1: answers the request below
    std::optional<store::RequestRecord> answers;
    // Decided with: the input's receipt date, or when it answers a request
    // the application's first (see RequestRecord::application_receipt).
    core::Date application_receipt;
    bool holds_pending = false;        // a grant's municipalities pending
    bool holds_applicant = false;      // the applicant's request pending
    std::string earlier_aktenzeichen;  // set: the bytes were decided before
  };
  // Ends what `slot` holds pending (a grant's municipalities, the
  // applicant of a request being made or answered) once its input is
  // committed or given up.
  void ReleasePending(const std::vector<std::string>& covered,
                      const DecisionSlot& slot);
  // Precondition: decide_mu_ is held. Gives the decision its Aktenzeichen:
  // that of the applicant's open request, which it answers (no number is
  // used up), or a new number.
  Status AssignAktenzeichenLocked(const core::Application& app,
                                  xml::DecisionRecord* record,
                                  DecisionSlot* slot);
  // The record's file, hash, channel and receipt date.
  Status StartRecord(const Input& input, const std::string& sha256,
                     const core::Application& app, const Arrival& arrival,
                     xml::DecisionRecord* record);
  // Waits for the input's turn and decides it (see pipeline.cc). Returns
  // the outcome when it ends there (deferred, failed); else fills `slot`
  // and the record's Aktenzeichen, with the input marked in progress.
  std::optional<Outcome> DecideInTurn(const Input& input,
                                      const std::string& sha256,
                                      const core::Application& app,
                                      const std::vector<std::string>& covered,
                                      Turn& turn, xml::DecisionRecord* record,
                                      DecisionSlot* slot);
  // Renders the letter, writes the outputs durably and commits them in
  // number order; a letter that cannot be set exactly goes to review. In a
  // detached `turn` the decision is queued instead (CommitDetached) and
  // its outcome as committed is returned at once; the turn says so.
  Outcome WriteAndCommit(const Input& input, const std::string& sha256,
                         const core::Application& app, const DecisionSlot& slot,
                         const std::vector<std::string>& covered,
                         int64_t document_time, xml::DecisionRecord* record,
                         OutputSink& sink, letters::LetterRenderer* renderer,
                         Turn& turn);
  // The letter and, for a joint application, a copy for each member, into
  // `out` (and their names into `record`). kInvalidInput: text a letter
  // cannot set exactly. `warning` receives what a person should check (a
  // member without address).
  Status RenderLetters(const core::Application& app, const DecisionSlot& slot,
                       int64_t document_time, xml::DecisionRecord* record,
                       letters::LetterRenderer* renderer, DecisionOutput* out,
                       std::string* warning);
  // The journal entry of a decision whose outputs `out` are written.
  store::DecisionEntry EntryFor(const std::string& sha256, const Input& input,
                                const core::Application& app,
                                const DecisionSlot& slot,
                                const std::vector<std::string>& covered,
                                const DecisionOutput& out) const;
  // Precondition: decide_mu_ is held. Whether an earlier input holds one of
  // `covered`.
  bool HeldLocked(uint64_t sequence,
                  const std::vector<std::string>& covered) const;
  // Precondition: decide_mu_ is held. The open review holding one of
  // `covered` for an input of `sequence`, if any (reads the journal's open
  // reviews the first time); never the review of `sha256` itself.
  Result<const store::ReviewRecord*> ReviewHoldingLocked(
      uint64_t sequence, const std::vector<std::string>& covered,
      const std::string& sha256);
  // Takes `turn`'s late ticket now, if it has one (see LateTicket).
  static void ResolveTurn(Turn& turn);
  // Waits until it is `turn`'s turn (without passing it).
  void AwaitTurn(Turn& turn);
  // While kept, `turn` is not passed on (see Turn::Keep).
  static void KeepTurn(Turn& turn, bool keep);
  // Precondition: decide_mu_ is held. The next free Aktenzeichen number.
  Result<int64_t> TakeNumberLocked();
  // Gives back a number whose decision was not committed.
  void ReturnNumber(int64_t number);
  struct DetachedCommit;
  // Grouped durability (docs/durability.md). A decision whose files are
  // placed but not yet durable, waiting for its sync pass and its group's
  // commit.
  struct PendingCommit {
    store::DecisionEntry entry;
    std::vector<std::string> unsynced;  // paths for Env::SyncFiles
    int64_t number = 0;                 // 0: takes no number
    bool synced = false;                // its sync pass ended (decide_mu_)
    bool done = false;                  // its outcome is known (decide_mu_)
    Status status;                      // set with `done`
    // Its worker waits on `wake` (with decide_mu_) in CommitInGroup; it is
    // signalled only when its own wait may be over, not for every change.
    std::condition_variable wake;
    bool filling = false;  // waiting for the group fill (decide_mu_)
    // Set for a detached commit (ProcessDetached): no worker waits for it;
    // the committer finishes it (FinishDetached) once `done`.
    std::unique_ptr<DetachedCommit> detached;
  };
  // Queues `p` as a detached commit and returns without waiting for it
  // (but while too many are queued, for that).
  void CommitDetached(std::unique_ptr<PendingCommit> p);
  // The committer thread: leads sync passes and group commits while
  // detached commits wait, and finishes those that are done.
  void CommitterLoop();
  // Precondition: `lock` holds decide_mu_; called by the committer before
  // a sync pass. Waits, as AwaitGroupFillLocked does for a worker, until
  // the sync queue holds the group fill or the fill's wait has passed.
  void AwaitCommitterFillLocked(std::unique_lock<std::mutex>& lock);
  // The committer's group fill: SetGroupFill's, at most store.commit-group.
  size_t CommitterFill() const;
  // Precondition: decide_mu_ is held. Hands the detached members of a
  // finished sync pass or group commit to the committer.
  void CollectDetachedLocked(const std::vector<PendingCommit*>& ended);
  // What a worker does after its commit, for a detached one: removes the
  // files of a failed one and gives its number back, ends what it holds
  // pending, and calls its `done`. Precondition: decide_mu_ is not held.
  void FinishDetached(PendingCommit& p);
  // Makes `p`'s files durable and commits its journal entry, together
  // with the other decisions waiting at that moment, in two stages that
  // run side by side for different groups. Sync: when no pass is running,
  // one worker makes the files of every decision waiting (at most
  // store.commit-group, lowest numbers first) durable in one
  // Env::SyncFiles pass. Commit: the first synced decision in its commit
  // turn commits the synced decisions that may follow it in one journal
  // transaction (Journal::CommitDecisions), numbers in order (a numbered
  // decision joins only when every smaller number outstanding is committed
  // or in the group, so a crash never leaves a committed number above one
  // that is not). Unless a group fill is set (SetGroupFill), nobody waits
  // for a group to fill: alone, a decision is synced and committed at
  // once. Returns p's own outcome; on OK its
  // number is used up. A failed sync pass fails each of its decisions.
  Status CommitInGroup(PendingCommit* p);
  // Precondition: `lock` holds decide_mu_, `p` is in the sync queue.
  // Returns once the queue holds the group fill (SetGroupFill), `p` is
  // synced, or the fill's wait has passed; wakes the waiting ones when `p`
  // completes the fill.
  void AwaitGroupFillLocked(std::unique_lock<std::mutex>& lock,
                            PendingCommit& p);
  // Precondition: `lock` holds decide_mu_ and no sync pass is running.
  // Runs one sync pass over the decisions waiting for one (unlocked while
  // syncing); its decisions then wait in the commit queue together.
  void LeadSyncPass(std::unique_lock<std::mutex>& lock);
  // Precondition: `lock` holds decide_mu_, `p` is synced and in its commit
  // turn, no group is committing. Commits p's group (unlocked meanwhile).
  void LeadCommit(std::unique_lock<std::mutex>& lock, PendingCommit* p);
  // Precondition: decide_mu_ is held, `leader` is in its commit turn. Takes
  // `leader` and the synced decisions that may commit with it out of the
  // commit queue.
  std::vector<PendingCommit*> TakeGroupLocked(PendingCommit* leader);
  // Commits the group's entries in one transaction; sets each status.
  void CommitGroup(const std::vector<PendingCommit*>& group);
  // Precondition: decide_mu_ is held. Whether `p` may commit now.
  bool CommitTurnLocked(const PendingCommit& p) const;
  // Precondition: decide_mu_ is held. Wakes the synced decisions that may
  // commit now (after a group commit or a number given back).
  void WakeCommitTurnLocked();

  const config::Settings settings_;
  const core::ReferenceTable* reference_;
  const xml::ApplicationReader* reader_;
  store::Journal* journal_;
  letters::LetterRenderer* letters_;
  Env* env_;
  const letters::LetterOptions letter_options_;
  size_t group_fill_ = 1;  // SetGroupFill
  std::chrono::microseconds group_wait_{0};

  // Municipalities (AGS) of grants being written, with their Aktenzeichen,
  // and the hashes of inputs in progress (identical inputs wait for each
  // other, so the second one is seen as a duplicate).
  std::mutex decide_mu_;
  std::condition_variable decided_;
  std::map<std::string, std::string> pending_grants_;
  // Applicants (AGS) whose request for missing documents is being made or
  // answered: a later application of theirs waits for that commit, so that
  // it finds the request (and never answers it twice).
  std::set<std::string> pending_applicants_;
  std::map<std::string, int> inputs_in_progress_;
  uint64_t next_ticket_ = 0;
  // Holds: municipality -> sequences holding it; sequences holding all.
  std::map<std::string, std::set<uint64_t>> holds_;
  std::set<uint64_t> hold_all_;
  // Open reviews (see OpenReview), read from the journal once.
  std::optional<std::vector<store::ReviewRecord>> open_reviews_;
  // Aktenzeichen numbers: the last one handed out (read from the journal
  // once) and those given back by attempts that did not commit, which are
  // handed out first. A number is used up only by a committed decision.
  std::optional<int64_t> last_number_;
  int64_t number_floor_ = 0;
  std::set<int64_t> returned_numbers_;
  std::set<int64_t> outstanding_numbers_;  // handed out, not yet committed
  // Decisions waiting for a sync pass and, synced, for their commit
  // (CommitInGroup), and whether a pass or a group commit is running.
  std::vector<PendingCommit*> sync_queue_;
  std::vector<PendingCommit*> commit_queue_;
  bool sync_running_ = false;
  bool group_committing_ = false;
  // Detached commits (ProcessDetached): how many are queued and not yet
  // finished, those whose outcome is known, for the committer to finish,
  // and the committer's thread.
  size_t detached_queued_ = 0;
  std::vector<std::unique_ptr<PendingCommit>> detached_done_;
  std::condition_variable committer_wake_;  // work for the committer
  std::condition_variable detached_ended_;  // a detached commit finished
  bool committer_stopping_ = false;
  bool committer_filling_ = false;  // in AwaitCommitterFillLocked
  std::thread committer_;
};

// The letter module's options from the configuration.
letters::LetterOptions MakeLetterOptions(const config::Settings& settings);

// Writes outputs as the `process` command documents them:
// DIR/<document>.pdf, DIR/<document>_nachrichtlich_<AGS>.pdf and
// DIR/<document>.decision.xml (see DocumentName),
// DIR/rejected/<name>.error.txt and DIR/duplicates/<name>.txt. Inputs are
// left where they are.
class DirectorySink final : public OutputSink {
 public:
  DirectorySink(std::string dir, Env* env) : dir_(std::move(dir)), env_(env) {}
  Status WriteDecision(const DecisionOutput& out,
                       std::vector<std::string>* unsynced) override;
  Status WriteRejection(const Input& input, const std::string& report) override;
  Status WriteDuplicate(const Input& input,
                        const EarlierOutcome& earlier) override;
  // DIR/review/<name>.txt.
  Status SendToReview(const Input& input, const std::string& note) override;
  // DIR/review/<id>/.
  Status WriteScanReview(const Input& input, const ScanReview& review) override;
  void DiscardDecision(const DecisionOutput& out) override;

 private:
  std::string dir_;
  Env* env_;
};

// Writes the letter (if any), its copies and the record of `out` into
// `dir`, each whole under its name but not yet durable
// (Env::WriteFileUnsynced), and appends their paths to `unsynced` for the
// caller's Env::SyncFiles. The record comes last, so that it never names
// a letter that is not there.
Status WriteDecisionFiles(Env* env, const std::string& dir,
                          const DecisionOutput& out,
                          std::vector<std::string>* unsynced);
// Removes what WriteDecisionFiles wrote (best effort).
void RemoveDecisionFiles(Env* env, const std::string& dir,
                         const DecisionOutput& out);

// The German note left beside a duplicate.
std::string DuplicateNote(const std::string& name,
                          const EarlierOutcome& earlier);

}  // namespace bescheid::pipeline

#endif  // BESCHEID_PIPELINE_PIPELINE_H_
