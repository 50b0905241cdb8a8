// The journal: what has been received, what has been decided, and the
// Aktenzeichen sequence. The only state that outlives a run besides the
// output files.
//
// The interface is narrow so that a PostgreSQL backend (several instances
// sharing one watch root) can stand beside the SQLite one. Implementations
// are thread-safe; each call is one transaction.
//
// Failure model: every call returns its error as a value and never throws.
// A call that fails leaves nothing of itself behind (its transaction is
// rolled back) and does not affect later calls: after a full disk is freed,
// the journal works again without a restart. Only if a failed transaction
// cannot be rolled back does the journal declare itself broken; from then on
// every call (Health() included) fails with kStore until the process
// restarts.
#ifndef BESCHEID_STORE_JOURNAL_H_
#define BESCHEID_STORE_JOURNAL_H_

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "core/date.h"
#include "core/decision.h"
#include "core/status.h"

namespace bescheid::store {

enum class InputState { kInProgress, kDecided, kRejected };

enum class RequestState { kOpen, kAnswered };

// A request for missing documents (a NACHFORDERUNG decision). It stays open,
// past its deadline too, until a later application of the same applicant
// answers it; that application is decided under the request's Aktenzeichen.
struct RequestRecord {
  std::string aktenzeichen;
  int revision = 1;  // of the decision under `aktenzeichen` that made it
  std::string applicant_ags = {};
  std::string applicant_name = {};
  core::Date request_date;  // the request letter's date
  core::Date deadline;      // as the letter names it
  // The receipt date the request's decision was made with: when the
  // application first came in. Its answer is decided with this date, so
  // that an application completed on request keeps its place in the
  // application window.
  core::Date application_receipt;
  RequestState state = RequestState::kOpen;
  std::string answered_by_sha256;                        // kAnswered
  std::optional<core::Date> answered_on = std::nullopt;  // kAnswered
};

enum class ReviewState { kOpen, kClosed };

// A scanned document waiting for a person (review/<id>/). While open it
// holds the municipalities it covers: a later application for any of them
// waits, undecided, until the review is closed (see Journal::CloseReview),
// so that the order of receipt still decides.
struct ReviewRecord {
  std::string id;  // the folder name below review/
  std::string file_name;
  std::string sha256;  // of the input file the document came from
  // The input's place in the order of receipt (its claim number); 0 when
  // the caller keeps none (`bescheid process`): it then holds every later
  // application for its municipalities.
  uint64_t sequence = 0;
  // The municipalities it covers as far as they were read (the applicant
  // first); empty when none could be read.
  std::vector<std::string> ags;
  ReviewState state = ReviewState::kOpen;
};

// Print batches (bescheid print, docs/printing.md). A batch is recorded
// WRITTEN once its PDF is on disk, SENT with the CUPS job id once the queue
// took it, and ends COMPLETED, ABORTED or CANCELED as CUPS reports.
enum class PrintBatchState { kWritten, kSent, kCompleted, kAborted, kCanceled };

// "WRITTEN", "SENT", "COMPLETED", "ABORTED", "CANCELED".
const char* ToString(PrintBatchState state);

// A letter in a print batch.
struct PrintedLetter {
  // The letter's file name without ".pdf" (a decision's document, or a
  // member's copy "<document>_nachrichtlich_<AGS>").
  std::string document;
  std::string aktenzeichen;
  bool reprint = false;  // printed again on request (print --reprint)
};

struct PrintBatchRecord {
  int64_t id = 0;  // given by RecordPrintBatch
  core::Date date;
  int number = 0;     // 1, 2, ... per date
  std::string file;   // the batch PDF, relative to the watch root
  std::string queue;  // the CUPS queue it goes to
  PrintBatchState state = PrintBatchState::kWritten;
  std::optional<int> job_id = std::nullopt;  // from SENT on
  std::string updated_at = {};  // UTC, "2018-01-22 16:00:05"; read only
  std::vector<PrintedLetter> letters = {};
};

// One letter in one batch, with that batch's standing (LetterPrints).
struct LetterPrint {
  PrintedLetter letter;
  int64_t batch_id = 0;
  core::Date batch_date;
  int batch_number = 0;
  PrintBatchState state = PrintBatchState::kWritten;
};

struct InputRecord {
  std::string sha256;
  std::string file_name;
  InputState state = InputState::kInProgress;
  std::string aktenzeichen;  // set when decided
  int attempts = 0;
};

struct DecisionEntry {
  std::string sha256;
  std::string file_name;
  std::string aktenzeichen;
  core::DecisionKind kind = core::DecisionKind::kAblehnung;
  // Every AGS the application covers; recorded as funded when `kind` is a
  // grant, so that later applications for them are DOPPELFOERDERUNG.
  std::vector<std::string> covered_ags;
  std::string record_xml;
  std::string letter_file;  // empty while letters are not produced
  // The Aktenzeichen sequence number in `aktenzeichen` (1, 2, ...). The
  // caller hands numbers out in memory, starting at LastSequence() + 1, and
  // may reuse the number of an attempt whose commit failed.
  int64_t sequence = 0;
  // The date the decision bears (its letter's date). Returned with the
  // grant by GrantsCovering, so that a refusal of a second application can
  // name it. Unset only for callers that do not know it; decisions written
  // before dates were recorded have none either.
  std::optional<core::Date> decision_date = std::nullopt;
  // 1 for the first decision under `aktenzeichen`. n > 1 for the decision
  // on a completed application that answers the open request made by
  // revision n - 1 under the same Aktenzeichen; it takes no sequence number
  // (`sequence` must be 0).
  int revision = 1;
  // The stem of the decision's output file names (see HasOutputs); empty
  // means `aktenzeichen`, which only revision 1 may use.
  std::string document = {};
  // Required for a NACHFORDERUNG: the request it makes is recorded open
  // with this deadline, the application's receipt date (see
  // RequestRecord::application_receipt), the applicant below and
  // `decision_date` as the request date.
  std::optional<core::Date> request_deadline = std::nullopt;
  std::optional<core::Date> application_receipt = std::nullopt;
  std::string applicant_ags = {};
  std::string applicant_name = {};
  // Release (Schlusszeichnung, release.mode=manual): a draft's letter waits
  // in the drafts folder until ReleaseDrafts; false: released at once.
  bool draft = false;
  // The user who corrected the scanned case this decision came from ("" for
  // none); four eyes: that user may not release it.
  std::string corrected_by = {};
};

enum class ReleaseState { kReleased, kDraft };

// A committed decision as the review station lists it.
struct DecisionSummary {
  std::string aktenzeichen;
  int revision = 1;
  std::string document;
  std::string sha256;
  std::string file_name;
  core::DecisionKind kind = core::DecisionKind::kAblehnung;
  std::optional<core::Date> decision_date;
  std::string created_at;  // local time, "YYYY-MM-DD HH:MM:SS"
  std::string applicant_ags;
  std::string applicant_name;
  ReleaseState release = ReleaseState::kReleased;
  std::string released_by;  // "" unless released through ReleaseDrafts
  std::string released_at;  // local time, as created_at
  std::string corrected_by;
};

// One line of the audit trail: who did what to which case, file or
// decision, when. Append-only: the journal offers no way to change or
// remove a line.
struct AuditRecord {
  std::string at;  // local time "YYYY-MM-DD HH:MM:SS"; set by the journal
  std::string user;
  std::string action;  // "korrektur", "freigabe", "neu-eingereiht", ...
  std::string target;  // review id, Aktenzeichen or file name
  std::string field = {};
  std::string old_value = {};
  std::string new_value = {};
};

// A review with its state and when it was opened (ReviewRecord plus what
// the station shows).
struct ReviewInfo {
  ReviewRecord review;
  std::string opened_at;  // local time "YYYY-MM-DD HH:MM:SS"
  std::string closed_at;  // "" while open
};

// Outcomes per local day, for the station's overview: decisions by kind
// ("BEWILLIGUNG", ...), "ABGEWIESEN" for rejected inputs, "PRUEFUNG" for
// reviews opened.
struct OutcomeCount {
  std::string date;  // YYYY-MM-DD, local
  std::string outcome;
  int64_t count = 0;
};

class Journal {
 public:
  virtual ~Journal() = default;

  // The journal's entry for these bytes, if they were seen before.
  virtual Result<std::optional<InputRecord>> FindInput(
      const std::string& sha256) = 0;

  // Records that processing of these bytes starts and returns how many
  // attempts (this one included) have been made. Used to give up on inputs
  // that crash or hang the service.
  virtual Result<int> BeginAttempt(const std::string& sha256,
                                   const std::string& file_name) = 0;

  // Marks the attempt begun by BeginAttempt as ended normally (whatever its
  // outcome), so that the count keeps only attempts that crashed or hung.
  virtual Status FinishAttempt(const std::string& sha256) = 0;

  // Whether a decision with this Aktenzeichen was committed.
  virtual Result<bool> HasDecision(const std::string& aktenzeichen) = 0;

  // Whether a committed decision's output files are named after `document`
  // (DecisionEntry::document). Startup recovery asks this of every output
  // it finds, so that it removes only outputs of decisions never committed
  // and never an earlier letter under the same Aktenzeichen.
  virtual Result<bool> HasOutputs(const std::string& document) = 0;

  // The open request of the applicant `applicant_ags`, if there is one (the
  // oldest, should there be several).
  virtual Result<std::optional<RequestRecord>> OpenRequestFor(
      const std::string& applicant_ags) = 0;

  // Every open request, ordered by deadline, then Aktenzeichen.
  virtual Result<std::vector<RequestRecord>> OpenRequests() = 0;

  // The highest Aktenzeichen sequence number committed so far (0 for a new
  // journal). Never decreases. For journals written before numbers were
  // recorded with the decision, it also covers every number handed out then.
  virtual Result<int64_t> LastSequence() = 0;

  // How many decisions were committed.
  virtual Result<int64_t> DecisionCount() = 0;

  // Every committed decision whose decision date lies in [from, to] (a
  // bound left unset is open), ordered by Aktenzeichen and revision; each
  // with its Aktenzeichen, revision, document, sequence, kind, input hash
  // and file name, record XML, letter file, decision date, applicant, draft
  // flag and corrector (not its covered AGS or request). A decision
  // without a recorded date is listed only when both bounds are unset.
  // Read-only; works on a journal opened read-only.
  virtual Result<std::vector<DecisionEntry>> Decisions(
      std::optional<core::Date> from, std::optional<core::Date> to) = 0;

  // Earlier grants (BEWILLIGUNG, TEILBEWILLIGUNG) covering any of `ags`,
  // one per AGS and grant, ordered by AGS as given and then Aktenzeichen;
  // each with its decision's date where the journal has one.
  virtual Result<std::vector<core::PriorGrant>> GrantsCovering(
      const std::vector<std::string>& ags) = 0;

  // Atomically records the decision with its sequence number, marks the
  // input decided, for a grant marks the covered AGS as funded, and raises
  // LastSequence() to `entry.sequence` if that is higher. A revision > 1
  // marks the request it answers answered (by the input, on the decision
  // date); a NACHFORDERUNG records its request open. Fails with kStore,
  // writing nothing, if the Aktenzeichen and revision, the input, the
  // document or the sequence number was already decided, or if a revision
  // > 1 finds no open request of revision - 1 to answer; fails with
  // kInternal if the entry is inconsistent (revision 1 with `sequence` < 1,
  // a later revision with a sequence number or without a document, a
  // NACHFORDERUNG without deadline or applicant).
  virtual Status CommitDecision(const DecisionEntry& entry) = 0;

  // Grouped durability (docs/durability.md): commits `entries` in ONE
  // transaction, so one sync of the journal. Each entry is written as
  // CommitDecision would write it, in the given order; an entry that
  // CommitDecision would refuse is left out (nothing of it is written, the
  // others still commit) and its status says why. If the transaction
  // itself fails, nothing is written and every entry fails. Returns one
  // status per entry.
  virtual std::vector<Status> CommitDecisions(
      const std::vector<DecisionEntry>& entries) = 0;

  // Marks the input rejected (not a decision: nothing was funded).
  virtual Status CommitRejection(const std::string& sha256,
                                 const std::string& file_name,
                                 const std::string& report) = 0;

  // Records the review open (idempotent: a review of the same id that is
  // recorded already keeps its file, hash, sequence and municipalities, and
  // is opened again if it was closed: the same document came again).
  virtual Status OpenReview(const ReviewRecord& review) = 0;

  // Ends the review `id`: its municipalities no longer hold later
  // applications. kNotFound if no review of that id was recorded; closing a
  // closed review is OK.
  virtual Status CloseReview(const std::string& id) = 0;

  // Every open review, in the order they were opened.
  virtual Result<std::vector<ReviewRecord>> OpenReviews() = 0;

  // Every review, open or closed, in the order they were opened.
  virtual Result<std::vector<ReviewInfo>> Reviews() = 0;

  // --- Release and the review station (docs/release.md) ---

  // Committed decisions whose letters wait for release, oldest first.
  virtual Result<std::vector<DecisionSummary>> Drafts() = 0;
  // The decisions under `aktenzeichen` (every revision), oldest first.
  virtual Result<std::vector<DecisionSummary>> DecisionsFor(
      const std::string& aktenzeichen) = 0;
  // Decisions whose Aktenzeichen, applicant AGS or applicant name contains
  // `text` (case-insensitive for ASCII), newest first, at most `limit`.
  virtual Result<std::vector<DecisionSummary>> SearchDecisions(
      const std::string& text, size_t limit) = 0;
  // Marks the drafts `documents` released by `user` and appends `audit`,
  // in one transaction: kInvalidInput, changing nothing, if any of them is
  // not a draft (unknown, or released already).
  virtual Status ReleaseDrafts(const std::vector<std::string>& documents,
                               const std::string& user,
                               const std::vector<AuditRecord>& audit) = 0;
  // Outcomes per local day of the last `days` days (today included).
  virtual Result<std::vector<OutcomeCount>> OutcomeCounts(int days) = 0;

  // Appends the lines to the audit trail in one transaction (their `at` is
  // the journal's clock).
  virtual Status AppendAudit(const std::vector<AuditRecord>& audit) = 0;
  // The audit lines about `target`, oldest first.
  virtual Result<std::vector<AuditRecord>> AuditFor(
      const std::string& target) = 0;

  // --- Print batches (docs/printing.md) ---

  // The number the next batch of `date` gets: one more than the highest
  // recorded for that date (1 for the first), whatever its state.
  virtual Result<int> NextPrintBatchNumber(const core::Date& date) = 0;

  // Records `batch` (date, number, file, queue, letters; state and job id
  // ignored) as WRITTEN and returns its id. Fails with kStore, writing
  // nothing, if that date and number are recorded already; kInternal if it
  // has no letters or names a document twice.
  virtual Result<int64_t> RecordPrintBatch(const PrintBatchRecord& batch) = 0;

  // WRITTEN -> SENT with the CUPS job id. kStore if the batch is not
  // WRITTEN (unknown, or sent before).
  virtual Status MarkPrintBatchSent(int64_t id, int job_id) = 0;

  // WRITTEN or SENT -> `outcome` (kCompleted, kAborted or kCanceled; else
  // kInternal). kStore if the batch is unknown or has its outcome already.
  virtual Status FinishPrintBatch(int64_t id, PrintBatchState outcome) = 0;

  // The batches without an outcome (WRITTEN or SENT), oldest first, each
  // with its letters.
  virtual Result<std::vector<PrintBatchRecord>> UnfinishedPrintBatches() = 0;

  // Every letter of every batch, ordered by batch id, then document. A
  // letter counts as printed while a batch holding it is COMPLETED, and as
  // on its way while one is WRITTEN or SENT. Works read-only; a journal
  // written before print batches were recorded has none.
  virtual Result<std::vector<LetterPrint>> LetterPrints() = 0;

  // OK while the journal can serve calls; otherwise the reason it cannot
  // (broken after a failed rollback, or the database does not answer a
  // trivial query). Cheap enough for a periodic check.
  virtual Status Health() = 0;

  // Runs the database's own consistency check (for SQLite, PRAGMA
  // integrity_check). OK only if it finds nothing; otherwise kStore with
  // what it found. Reads the whole database: meant for start-up and
  // maintenance, not for every file.
  virtual Status IntegrityCheck() = 0;
};

struct JournalOptions {
  // Create the database (and its parent directories) if it does not exist.
  // If false, opening a journal for which JournalExists() is false fails
  // with kNotFound and creates nothing.
  bool create_if_missing = true;
  // For reports beside a running service (which holds the lock): takes no
  // lock, never creates, migrates or writes (writes fail with kStore); the
  // database must exist (else kNotFound). A journal written before
  // requests were recorded reads as having none.
  bool read_only = false;
};

// Opens the SQLite journal at `path`, in WAL mode with full synchronous
// commits; fails with kStore if either setting does not take effect.
// Creates the schema if it is missing and migrates an older one in place.
//
// One process per journal: the returned journal holds an exclusive flock on
// `<path>.lock` (which records the holder's PID) until it is destroyed.
// Opening fails with kStore, naming the holder's PID, while another process
// holds it. The lock belongs to the open file, not the process, so opening
// the same path a second time in one process fails as well.
Result<std::unique_ptr<Journal>> OpenSqliteJournal(
    const std::string& path, const JournalOptions& options = {});

// Whether a journal database exists at `path`: a regular file that is not
// empty. For start-up checks, e.g. refusing to start on a missing journal
// after a previous run decided files. Does not open or lock the journal.
bool JournalExists(const std::string& path);

}  // namespace bescheid::store

#endif  // BESCHEID_STORE_JOURNAL_H_
