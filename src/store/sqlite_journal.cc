#include <Poco/Data/SQLite/Connector.h>
#include <Poco/Data/SQLite/Utility.h>
#include <Poco/Data/Session.h>
#include <Poco/Data/Statement.h>
#include <Poco/Exception.h>
#include <Poco/File.h>
#include <Poco/Path.h>
#include <Poco/String.h>
#include <sqlite3.h>
#include <sys/stat.h>

#include <atomic>
#include <memory>
#include <mutex>
#include <optional>
#include <set>
#include <sstream>
#include <stdexcept>
#include <unordered_map>
#include <utility>

#include "store/journal.h"
#include "store/lock_file.h"
#include "store/sqlite_journal_testing.h"

namespace bescheid::store {
namespace {

using Poco::Data::Keywords::bind;
using Poco::Data::Keywords::into;
using Poco::Data::Keywords::now;

// A decision_date as stored ("" for NULL). A value that is not a date
// (written by hand, say) counts as unknown: the letter then names the
// earlier decision without its date rather than failing.
std::optional<core::Date> StoredDate(const std::string& iso) {
  if (iso.empty()) return std::nullopt;
  Result<core::Date> date = core::Date::ParseIso(iso);
  if (!date.ok()) return std::nullopt;
  return *date;
}

// The kind as stored (core::ToString); an unknown text (written by hand)
// reads as ABLEHNUNG, which grants nothing.
core::DecisionKind StoredKind(const std::string& s) {
  for (core::DecisionKind k :
       {core::DecisionKind::kBewilligung, core::DecisionKind::kTeilbewilligung,
        core::DecisionKind::kAblehnung, core::DecisionKind::kNachforderung}) {
    if (s == core::ToString(k)) return k;
  }
  return core::DecisionKind::kAblehnung;
}

InputState ParseState(const std::string& s) {
  if (s == "DECIDED") return InputState::kDecided;
  if (s == "REJECTED") return InputState::kRejected;
  return InputState::kInProgress;
}

// The decisions table: one row per decision, several per Aktenzeichen when
// completed applications answer requests (revision 2, 3, ...). `document`
// is the stem of the decision's output file names. decisions.sequence is
// unique through decisions_by_sequence (NULL for revisions > 1) rather than
// a column constraint, so that new and migrated databases have the same
// shape.
std::string DecisionsTable(const std::string& name) {
  return "CREATE TABLE IF NOT EXISTS " + name +
         " ("
         " aktenzeichen TEXT NOT NULL,"
         " revision INTEGER NOT NULL DEFAULT 1,"
         " sha256 TEXT NOT NULL UNIQUE,"
         " kind TEXT NOT NULL,"
         " record_xml TEXT NOT NULL,"
         " letter_file TEXT,"
         " created_at TEXT NOT NULL DEFAULT (datetime('now')),"
         " sequence INTEGER,"
         " decision_date TEXT,"
         " document TEXT NOT NULL,"
         " release_state TEXT,"  // NULL: released; DRAFT | RELEASED
         " released_by TEXT,"
         " released_at TEXT,"
         " corrected_by TEXT,"
         " applicant_ags TEXT,"
         " applicant_name TEXT,"
         " PRIMARY KEY (aktenzeichen, revision))";
}

std::string FundedTable(const std::string& name) {
  return "CREATE TABLE IF NOT EXISTS " + name +
         " ("
         " ags TEXT NOT NULL,"
         " aktenzeichen TEXT NOT NULL,"
         " revision INTEGER NOT NULL DEFAULT 1,"
         " PRIMARY KEY (ags, aktenzeichen),"
         " FOREIGN KEY (aktenzeichen, revision)"
         " REFERENCES decisions(aktenzeichen, revision))";
}

// The current schema; every statement is a no-op on a database that has it.
const std::vector<std::string>& Schema() {
  static const std::vector<std::string> schema = {
      "CREATE TABLE IF NOT EXISTS inputs ("
      " sha256 TEXT PRIMARY KEY,"
      " file_name TEXT NOT NULL,"
      " state TEXT NOT NULL,"
      " aktenzeichen TEXT,"
      " attempts INTEGER NOT NULL DEFAULT 0,"
      " report TEXT,"
      " updated_at TEXT NOT NULL DEFAULT (datetime('now')))",
      DecisionsTable("decisions"),
      FundedTable("funded"),
      "CREATE TABLE IF NOT EXISTS sequence ("
      " name TEXT PRIMARY KEY,"
      " value INTEGER NOT NULL)",
      "INSERT OR IGNORE INTO sequence(name, value) VALUES ('aktenzeichen', 0)",
      // Requests for missing documents (NACHFORDERUNG); dates ISO 8601.
      "CREATE TABLE IF NOT EXISTS requests ("
      " aktenzeichen TEXT NOT NULL,"
      " revision INTEGER NOT NULL,"
      " applicant_ags TEXT NOT NULL,"
      " applicant_name TEXT NOT NULL,"
      " request_date TEXT NOT NULL,"
      " deadline TEXT NOT NULL,"
      " application_receipt TEXT NOT NULL,"
      " state TEXT NOT NULL,"  // OPEN | ANSWERED
      " answered_by TEXT,"     // sha256 of the answering input
      " answered_on TEXT,"     // date of the answering decision
      " answered_at TEXT,"
      " PRIMARY KEY (aktenzeichen, revision),"
      " FOREIGN KEY (aktenzeichen, revision)"
      " REFERENCES decisions(aktenzeichen, revision))",
      // Scanned documents waiting for a person; ags: the municipalities
      // they hold, space-separated, the applicant first.
      "CREATE TABLE IF NOT EXISTS reviews ("
      " id TEXT PRIMARY KEY,"
      " file_name TEXT NOT NULL,"
      " sha256 TEXT NOT NULL,"
      " sequence INTEGER NOT NULL,"
      " ags TEXT NOT NULL,"
      " state TEXT NOT NULL,"  // OPEN | CLOSED
      " opened_at TEXT NOT NULL DEFAULT (datetime('now')),"
      " closed_at TEXT)",
      // Print batches and the letters each printed (docs/printing.md).
      "CREATE TABLE IF NOT EXISTS print_batches ("
      " id INTEGER PRIMARY KEY,"
      " batch_date TEXT NOT NULL,"  // ISO 8601
      " number INTEGER NOT NULL,"
      " file TEXT NOT NULL,"
      " queue TEXT NOT NULL,"
      // WRITTEN | SENT | COMPLETED | ABORTED | CANCELED
      " state TEXT NOT NULL,"
      " job_id INTEGER,"
      " created_at TEXT NOT NULL DEFAULT (datetime('now')),"
      " updated_at TEXT NOT NULL DEFAULT (datetime('now')),"
      " UNIQUE (batch_date, number))",
      "CREATE TABLE IF NOT EXISTS printed_letters ("
      " batch_id INTEGER NOT NULL REFERENCES print_batches(id),"
      " document TEXT NOT NULL,"
      " aktenzeichen TEXT NOT NULL,"
      " reprint INTEGER NOT NULL DEFAULT 0,"
      " PRIMARY KEY (batch_id, document))",
      // The audit trail of the review station: append-only, enforced by
      // the triggers below (no UPDATE, no DELETE, from any client).
      "CREATE TABLE IF NOT EXISTS audit ("
      " id INTEGER PRIMARY KEY AUTOINCREMENT,"
      " at TEXT NOT NULL DEFAULT (datetime('now')),"
      " user TEXT NOT NULL,"
      " action TEXT NOT NULL,"
      " target TEXT NOT NULL,"
      " field TEXT NOT NULL DEFAULT '',"
      " old_value TEXT NOT NULL DEFAULT '',"
      " new_value TEXT NOT NULL DEFAULT '')",
      "CREATE INDEX IF NOT EXISTS audit_by_target ON audit(target)",
      "CREATE TRIGGER IF NOT EXISTS audit_no_update BEFORE UPDATE ON audit"
      " BEGIN SELECT RAISE(ABORT, 'the audit trail is append-only'); END",
      "CREATE TRIGGER IF NOT EXISTS audit_no_delete BEFORE DELETE ON audit"
      " BEGIN SELECT RAISE(ABORT, 'the audit trail is append-only'); END",
  };
  return schema;
}

// Columns that journals written by earlier versions lack; CreateSchema adds
// each one that is missing. Old rows keep NULL there: a decision without
// its sequence number, or without its date (a refusal of a second
// application then names the earlier decision by its Aktenzeichen alone).
constexpr struct {
  const char* name;
  const char* definition;
} kAddedDecisionColumns[] = {
    {"sequence", "INTEGER"},
    {"decision_date", "TEXT"},  // ISO 8601, "2017-09-18"
    // Release (release.mode=manual) and the review station; NULL in old
    // rows: released, not corrected, applicant unknown to searches.
    {"release_state", "TEXT"},
    {"released_by", "TEXT"},
    {"released_at", "TEXT"},
    {"corrected_by", "TEXT"},
    {"applicant_ags", "TEXT"},
    {"applicant_name", "TEXT"},
};

// Journals from before revisions had one decision per Aktenzeichen
// (aktenzeichen the primary key, funded referring to it). SQLite cannot
// change a primary key in place: each table without a revision column is
// rebuilt, every old decision becoming revision 1 with its Aktenzeichen as
// document. Run inside CreateSchema's transaction, with foreign keys not
// yet enforced.
const std::vector<std::string>& RebuildDecisions() {
  static const std::vector<std::string> steps = {
      DecisionsTable("decisions_new"),
      "INSERT INTO decisions_new(aktenzeichen, revision, sha256, kind,"
      " record_xml, letter_file, created_at, sequence, decision_date,"
      " document) SELECT aktenzeichen, 1, sha256, kind, record_xml,"
      " letter_file, created_at, sequence, decision_date, aktenzeichen"
      " FROM decisions",
      "DROP TABLE decisions",
      "ALTER TABLE decisions_new RENAME TO decisions",
  };
  return steps;
}

const std::vector<std::string>& RebuildFunded() {
  static const std::vector<std::string> steps = {
      FundedTable("funded_new"),
      "INSERT INTO funded_new(ags, aktenzeichen, revision)"
      " SELECT ags, aktenzeichen, 1 FROM funded",
      "DROP TABLE funded",
      "ALTER TABLE funded_new RENAME TO funded",
  };
  return steps;
}

// Run after the columns exist.
constexpr const char* kMigrations[] = {
    "CREATE UNIQUE INDEX IF NOT EXISTS decisions_by_sequence "
    "ON decisions(sequence)",
    "CREATE UNIQUE INDEX IF NOT EXISTS decisions_by_document "
    "ON decisions(document)",
    "CREATE INDEX IF NOT EXISTS open_requests_by_applicant "
    "ON requests(applicant_ags) WHERE state = 'OPEN'",
    "CREATE INDEX IF NOT EXISTS drafts ON decisions(release_state) "
    "WHERE release_state = 'DRAFT'",
};

PrintBatchState ParsePrintBatchState(const std::string& s) {
  for (PrintBatchState state :
       {PrintBatchState::kSent, PrintBatchState::kCompleted,
        PrintBatchState::kAborted, PrintBatchState::kCanceled}) {
    if (s == ToString(state)) return state;
  }
  return PrintBatchState::kWritten;
}

bool IsOutcome(PrintBatchState state) {
  return state == PrintBatchState::kCompleted ||
         state == PrintBatchState::kAborted ||
         state == PrintBatchState::kCanceled;
}
RequestState ParseRequestState(const std::string& s) {
  return s == "ANSWERED" ? RequestState::kAnswered : RequestState::kOpen;
}

// The statements a connection runs for every file, each prepared once (on
// first use) and kept until the connection closes, instead of being
// prepared again by every call. Not thread-safe: the journal's mutex
// guards it. Must be destroyed before its connection is closed.
class StatementCache {
 public:
  explicit StatementCache(sqlite3* db) : db_(db) {}
  ~StatementCache() {
    for (auto& [sql, statement] : statements_) sqlite3_finalize(statement);
  }
  StatementCache(const StatementCache&) = delete;
  StatementCache& operator=(const StatementCache&) = delete;

  // The prepared statement of `sql` (one statement), reset and without
  // bindings. Throws std::runtime_error when SQLite cannot prepare it.
  sqlite3_stmt* Get(const std::string& sql) {
    auto found = statements_.find(sql);
    if (found != statements_.end()) return found->second;
    sqlite3_stmt* statement = nullptr;
    if (sqlite3_prepare_v3(db_, sql.c_str(), static_cast<int>(sql.size()),
                           SQLITE_PREPARE_PERSISTENT, &statement,
                           nullptr) != SQLITE_OK) {
      sqlite3_finalize(statement);
      throw std::runtime_error(sqlite3_errmsg(db_));
    }
    ++prepared_;
    statements_.emplace(sql, statement);
    return statement;
  }

  sqlite3* db() const { return db_; }
  // How many statements were prepared since the cache was made.
  int64_t prepared() const { return prepared_; }

 private:
  sqlite3* const db_;
  std::unordered_map<std::string, sqlite3_stmt*> statements_;
  int64_t prepared_ = 0;
};

// One use of a cached statement: bind, step, read columns. The statement is
// reset and its bindings cleared when the query ends, also after a
// failure. SQLite's errors are thrown as std::runtime_error with its message
// (the journal's Guard turns them into kStore).
class Query {
 public:
  Query(StatementCache& cache, const std::string& sql)
      : db_(cache.db()), statement_(cache.Get(sql)) {}
  ~Query() {
    sqlite3_reset(statement_);
    sqlite3_clear_bindings(statement_);
  }
  Query(const Query&) = delete;
  Query& operator=(const Query&) = delete;

  Query& Bind(const std::string& text) {
    return Check(sqlite3_bind_text(statement_, ++bound_, text.data(),
                                   static_cast<int>(text.size()),
                                   SQLITE_TRANSIENT));
  }
  Query& Bind(int64_t value) {
    return Check(sqlite3_bind_int64(statement_, ++bound_, value));
  }
  Query& Bind(int value) { return Bind(static_cast<int64_t>(value)); }
  Query& Bind(const std::optional<std::string>& text) {
    if (text) return Bind(*text);
    return Check(sqlite3_bind_null(statement_, ++bound_));
  }
  Query& BindNull() { return Check(sqlite3_bind_null(statement_, ++bound_)); }

  // Steps once: true with a row to read, false when the statement is done.
  bool Next() {
    const int rc = sqlite3_step(statement_);
    if (rc == SQLITE_ROW) return true;
    if (rc == SQLITE_DONE) return false;
    throw std::runtime_error(sqlite3_errmsg(db_));
  }
  // Runs the statement to its end; the rows it changed.
  int Run() {
    while (Next()) {
    }
    return sqlite3_changes(db_);
  }

  std::string Text(int column) const {
    const auto* p = sqlite3_column_text(statement_, column);
    return p ? std::string(reinterpret_cast<const char*>(p),
                           static_cast<size_t>(
                               sqlite3_column_bytes(statement_, column)))
             : std::string();
  }
  int64_t Int(int column) const {
    return sqlite3_column_int64(statement_, column);
  }

 private:
  Query& Check(int rc) {
    if (rc != SQLITE_OK) throw std::runtime_error(sqlite3_errmsg(db_));
    return *this;
  }

  sqlite3* const db_;
  sqlite3_stmt* const statement_;
  int bound_ = 0;
};

// A row of the decisions table as SelectDecisions reads it: the entry as
// committed (record, letter, sequence, applicant, draft, corrector; not its
// covered AGS or request) and its release since. Serves both the register
// (Decisions) and the station's lists (DecisionSummary).
struct DecisionRow {
  DecisionEntry entry;
  std::string created_at;   // local time, "YYYY-MM-DD HH:MM:SS"
  std::string released_by;  // "" unless released through ReleaseDrafts
  std::string released_at;  // local time, as created_at
};

// The columns ReadDecisionRow reads, in its order. An added column in
// `missing` (a read-only journal of an earlier version lacks it) reads as
// NULL, as in old rows of a migrated journal.
std::string DecisionColumns(const std::set<std::string>& missing) {
  auto column = [&](const std::string& name) {
    return missing.count(name) > 0 ? std::string("NULL") : name;
  };
  return "aktenzeichen, revision, document, sha256, kind, record_xml,"
         " letter_file, " +
         column("sequence") + ", " + column("decision_date") +
         ", datetime(created_at, 'localtime'), " + column("applicant_ags") +
         ", " + column("applicant_name") + ", " + column("release_state") +
         ", " + column("released_by") + ", datetime(" + column("released_at") +
         ", 'localtime'), " + column("corrected_by") +
         ", (SELECT file_name FROM inputs i"
         " WHERE i.sha256 = decisions.sha256)";
}

// The current row of a query on DecisionColumns (NULL reads as "" and 0).
DecisionRow ReadDecisionRow(const Query& q) {
  DecisionRow row;
  DecisionEntry& e = row.entry;
  e.aktenzeichen = q.Text(0);
  e.revision = static_cast<int>(q.Int(1));
  e.document = q.Text(2);
  e.sha256 = q.Text(3);
  e.kind = StoredKind(q.Text(4));
  e.record_xml = q.Text(5);
  e.letter_file = q.Text(6);
  e.sequence = q.Int(7);
  e.decision_date = StoredDate(q.Text(8));
  row.created_at = q.Text(9);
  e.applicant_ags = q.Text(10);
  e.applicant_name = q.Text(11);
  e.draft = q.Text(12) == "DRAFT";
  row.released_by = q.Text(13);
  row.released_at = q.Text(14);
  e.corrected_by = q.Text(15);
  e.file_name = q.Text(16);
  return row;
}

// The station's view of each row.
std::vector<DecisionSummary> Summaries(std::vector<DecisionRow> rows) {
  std::vector<DecisionSummary> out;
  out.reserve(rows.size());
  for (DecisionRow& row : rows) {
    DecisionEntry& e = row.entry;
    DecisionSummary d;
    d.aktenzeichen = std::move(e.aktenzeichen);
    d.revision = e.revision;
    d.document = std::move(e.document);
    d.sha256 = std::move(e.sha256);
    d.file_name = std::move(e.file_name);
    d.kind = e.kind;
    d.decision_date = e.decision_date;
    d.created_at = std::move(row.created_at);
    d.applicant_ags = std::move(e.applicant_ags);
    d.applicant_name = std::move(e.applicant_name);
    d.release = e.draft ? ReleaseState::kDraft : ReleaseState::kReleased;
    d.released_by = std::move(row.released_by);
    d.released_at = std::move(row.released_at);
    d.corrected_by = std::move(e.corrected_by);
    out.push_back(std::move(d));
  }
  return out;
}

class SqliteJournal final : public Journal {
 public:
  // Opens the connection (throws on failure); Init() must succeed before
  // any other call.
  // Without a lock the journal is read-only (see JournalOptions).
  SqliteJournal(std::string path, std::optional<LockFile> lock)
      : path_(std::move(path)),
        lock_(std::move(lock)),
        session_("SQLite", path_),
        db_(Poco::Data::SQLite::Utility::dbHandle(session_)) {}

  // Configures the connection and creates or migrates the schema; a
  // read-only journal refuses writes instead and leaves the schema as it
  // is.
  Status Init() {
    return GuardStatus([&] {
      Status configured = Configure();
      if (!configured.ok()) return configured;
      if (!lock_) {
        Exec("PRAGMA query_only = ON");
        int tables = 0;
        session_ << "SELECT COUNT(*) FROM sqlite_schema WHERE name = "
                    "'requests'",
            into(tables), now;
        has_requests_ = tables > 0;
        session_ << "SELECT COUNT(*) FROM sqlite_schema WHERE name = "
                    "'printed_letters'",
            into(tables), now;
        has_print_batches_ = tables > 0;
        std::set<std::string> missing;
        for (const auto& column : kAddedDecisionColumns) {
          if (!HasColumn("decisions", column.name)) missing.insert(column.name);
        }
        decision_columns_ = DecisionColumns(missing);
        return Status();
      }
      Status schema = Transact([&] { return CreateSchema(); });
      if (!schema.ok()) return schema;
      // Only now: a migration rebuilds tables that others refer to.
      Exec("PRAGMA foreign_keys = ON");
      OpenReader();
      return Status();
    });
  }

  Result<std::optional<InputRecord>> FindInput(
      const std::string& sha256) override {
    return GuardRead<std::optional<InputRecord>>([&](StatementCache& cache) {
      Query select(cache,
                   "SELECT file_name, state, COALESCE(aktenzeichen, ''), "
                   "attempts FROM inputs WHERE sha256 = ?");
      select.Bind(sha256);
      if (!select.Next()) return std::optional<InputRecord>();
      return std::optional<InputRecord>(
          InputRecord{sha256, select.Text(0), ParseState(select.Text(1)),
                      select.Text(2), static_cast<int>(select.Int(3))});
    });
  }

  Result<int> BeginAttempt(const std::string& sha256,
                           const std::string& file_name) override {
    return Guard<int>([&] {
      return Transact([&]() -> Result<int> {
        Query(statements_,
              "INSERT INTO inputs(sha256, file_name, state, attempts) "
              "VALUES (?, ?, 'IN_PROGRESS', 0) "
              "ON CONFLICT(sha256) DO NOTHING")
            .Bind(sha256)
            .Bind(file_name)
            .Run();
        Query(statements_,
              "UPDATE inputs SET attempts = attempts + 1, "
              "updated_at = datetime('now') WHERE sha256 = ?")
            .Bind(sha256)
            .Run();
        Query select(statements_,
                     "SELECT attempts FROM inputs WHERE sha256 = ?");
        select.Bind(sha256);
        return select.Next() ? static_cast<int>(select.Int(0)) : 0;
      });
    });
  }

  Status FinishAttempt(const std::string& sha256) override {
    return GuardStatus([&] {
      Query(statements_,
            "UPDATE inputs SET attempts = MAX(attempts - 1, 0) "
            "WHERE sha256 = ?")
          .Bind(sha256)
          .Run();
      return Status();
    });
  }

  Result<bool> HasDecision(const std::string& aktenzeichen) override {
    return Guard<bool>([&] {
      Query count(statements_,
                  "SELECT COUNT(*) FROM decisions WHERE aktenzeichen = ?");
      count.Bind(aktenzeichen);
      return count.Next() && count.Int(0) > 0;
    });
  }

  Result<bool> HasOutputs(const std::string& document) override {
    return Guard<bool>([&] {
      Query count(statements_,
                  "SELECT COUNT(*) FROM decisions WHERE document = ?");
      count.Bind(document);
      return count.Next() && count.Int(0) > 0;
    });
  }

  Result<std::optional<RequestRecord>> OpenRequestFor(
      const std::string& applicant_ags) override {
    return GuardRead<std::optional<RequestRecord>>([&](StatementCache& cache) {
      std::vector<RequestRecord> found = SelectRequests(
          cache, "WHERE state = 'OPEN' AND applicant_ags = ?", applicant_ags);
      if (found.empty()) return std::optional<RequestRecord>();
      return std::optional<RequestRecord>(found.front());
    });
  }

  Result<std::vector<RequestRecord>> OpenRequests() override {
    return Guard<std::vector<RequestRecord>>([&] {
      return SelectRequests(statements_, "WHERE state = 'OPEN'", std::nullopt);
    });
  }

  Result<int64_t> LastSequence() override {
    return Guard<int64_t>([&] {
      Query select(statements_,
                   "SELECT value FROM sequence WHERE name = 'aktenzeichen'");
      return select.Next() ? select.Int(0) : int64_t{0};
    });
  }

  Result<int64_t> DecisionCount() override {
    return Guard<int64_t>([&] {
      Poco::Int64 count = 0;
      session_ << "SELECT COUNT(*) FROM decisions", into(count), now;
      return static_cast<int64_t>(count);
    });
  }

  Result<std::vector<DecisionEntry>> Decisions(
      std::optional<core::Date> from, std::optional<core::Date> to) override {
    return Guard<std::vector<DecisionEntry>>([&] {
      std::string where;
      std::vector<std::string> bounds;
      if (from || to) {
        where = " WHERE decision_date IS NOT NULL";
        if (from) where += " AND decision_date >= ?";
        if (from) bounds.push_back(from->ToIso());
        if (to) where += " AND decision_date <= ?";
        if (to) bounds.push_back(to->ToIso());
      }
      std::vector<DecisionEntry> out;
      for (DecisionRow& row : SelectDecisions(
               where + " ORDER BY aktenzeichen, revision", bounds, 0)) {
        out.push_back(std::move(row.entry));
      }
      return out;
    });
  }

  Result<std::vector<core::PriorGrant>> GrantsCovering(
      const std::vector<std::string>& ags) override {
    return GuardRead<std::vector<core::PriorGrant>>([&](StatementCache& cache) {
      std::vector<core::PriorGrant> out;
      for (const std::string& a : ags) {
        Query select(cache,
                     "SELECT f.aktenzeichen, COALESCE(d.decision_date, '') "
                     "FROM funded f LEFT JOIN decisions d "
                     "USING (aktenzeichen, revision) "
                     "WHERE f.ags = ? ORDER BY f.aktenzeichen");
        select.Bind(a);
        while (select.Next()) {
          out.push_back({a, select.Text(0), StoredDate(select.Text(1))});
        }
      }
      return out;
    });
  }

  Status CommitDecision(const DecisionEntry& e) override {
    Status consistent = CheckEntry(e);
    if (!consistent.ok()) return consistent;
    return GuardStatus([&] { return Transact([&] { return Write(e); }); });
  }

  std::vector<Status> CommitDecisions(
      const std::vector<DecisionEntry>& entries) override {
    std::vector<Status> out(entries.size());
    Status all = GuardStatus([&] {
      return Transact([&] {
        for (size_t i = 0; i < entries.size(); ++i) {
          out[i] = CheckEntry(entries[i]);
          if (out[i].ok()) out[i] = WriteInSavepoint(entries[i]);
        }
        return Status();
      });
    });
    if (!all.ok()) {
      for (Status& s : out) {
        if (s.ok()) s = all;
      }
    }
    return out;
  }

  Status CommitRejection(const std::string& sha256,
                         const std::string& file_name,
                         const std::string& report) override {
    return GuardStatus([&] {
      Query(statements_,
            "INSERT INTO inputs(sha256, file_name, state, "
            "attempts, report) VALUES (?, ?, 'REJECTED', 0, ?) "
            "ON CONFLICT(sha256) DO UPDATE SET state = 'REJECTED', "
            "report = excluded.report, "
            "updated_at = datetime('now')")
          .Bind(sha256)
          .Bind(file_name)
          .Bind(report)
          .Run();
      return Status();
    });
  }

  Status OpenReview(const ReviewRecord& r) override {
    return GuardStatus([&] {
      std::string ags;
      for (const std::string& a : r.ags) ags += (ags.empty() ? "" : " ") + a;
      const Poco::Int64 sequence = static_cast<Poco::Int64>(r.sequence);
      session_ << "INSERT INTO reviews(id, file_name, sha256, sequence, ags,"
                  " state) VALUES (?, ?, ?, ?, ?, 'OPEN')"
                  " ON CONFLICT(id) DO UPDATE SET state = 'OPEN',"
                  " closed_at = NULL",
          bind(r.id), bind(r.file_name), bind(r.sha256), bind(sequence),
          bind(ags), now;
      return Status();
    });
  }

  Status CloseReview(const std::string& id) override {
    return GuardStatus([&] {
      int found = 0;
      session_ << "SELECT COUNT(*) FROM reviews WHERE id = ?", bind(id),
          into(found), now;
      if (found == 0) {
        return Status(StatusCode::kNotFound, "no review '" + id + "'");
      }
      session_ << "UPDATE reviews SET state = 'CLOSED',"
                  " closed_at = datetime('now')"
                  " WHERE id = ? AND state = 'OPEN'",
          bind(id), now;
      return Status();
    });
  }

  Result<std::vector<ReviewRecord>> OpenReviews() override {
    return Guard<std::vector<ReviewRecord>>([&] {
      std::vector<std::string> ids, files, hashes, ags;
      std::vector<Poco::Int64> sequences;
      session_ << "SELECT id, file_name, sha256, sequence, ags FROM reviews"
                  " WHERE state = 'OPEN' ORDER BY rowid",
          into(ids), into(files), into(hashes), into(sequences), into(ags), now;
      std::vector<ReviewRecord> out;
      for (size_t i = 0; i < ids.size(); ++i) {
        ReviewRecord r{ids[i],
                       files[i],
                       hashes[i],
                       static_cast<uint64_t>(sequences[i]),
                       {}};
        std::istringstream words(ags[i]);
        for (std::string a; words >> a;) r.ags.push_back(a);
        out.push_back(std::move(r));
      }
      return out;
    });
  }

  Result<int> NextPrintBatchNumber(const core::Date& date) override {
    return Guard<int>([&] {
      if (!has_print_batches_) return 1;  // read-only, none recorded yet
      int highest = 0;
      session_ << "SELECT COALESCE(MAX(number), 0) FROM print_batches "
                  "WHERE batch_date = ?",
          bind(date.ToIso()), into(highest), now;
      return highest + 1;
    });
  }

  Result<int64_t> RecordPrintBatch(const PrintBatchRecord& b) override {
    std::set<std::string> documents;
    for (const PrintedLetter& l : b.letters) {
      if (!documents.insert(l.document).second) {
        return InternalError("journal: print batch names " + l.document +
                             " twice");
      }
    }
    if (b.letters.empty()) {
      return InternalError("journal: print batch without letters");
    }
    return Guard<int64_t>([&] {
      return Transact([&]() -> Result<int64_t> {
        int taken = 0;
        session_ << "SELECT COUNT(*) FROM print_batches WHERE batch_date = ? "
                    "AND number = ?",
            bind(b.date.ToIso()), bind(b.number), into(taken), now;
        if (taken > 0) {
          return StoreError("journal: print batch " + std::to_string(b.number) +
                            " of " + b.date.ToIso() + " is recorded already");
        }
        session_ << "INSERT INTO print_batches(batch_date, number, file, "
                    "queue, state) VALUES (?, ?, ?, ?, 'WRITTEN')",
            bind(b.date.ToIso()), bind(b.number), bind(b.file), bind(b.queue),
            now;
        Poco::Int64 id = 0;
        session_ << "SELECT last_insert_rowid()", into(id), now;
        for (const PrintedLetter& l : b.letters) {
          const int reprint = l.reprint ? 1 : 0;
          session_ << "INSERT INTO printed_letters(batch_id, document, "
                      "aktenzeichen, reprint) VALUES (?, ?, ?, ?)",
              bind(id), bind(l.document), bind(l.aktenzeichen), bind(reprint),
              now;
        }
        return static_cast<int64_t>(id);
      });
    });
  }

  Status MarkPrintBatchSent(int64_t id, int job_id) override {
    return GuardStatus([&] {
      const Poco::Int64 batch = id;
      Poco::Data::Statement update(session_);
      update << "UPDATE print_batches SET state = 'SENT', job_id = ?, "
                "updated_at = datetime('now') "
                "WHERE id = ? AND state = 'WRITTEN'",
          bind(job_id), bind(batch);
      if (update.execute() != 1) {
        return StoreError("journal: print batch " + std::to_string(id) +
                          " is not waiting to be sent");
      }
      return Status();
    });
  }

  Status FinishPrintBatch(int64_t id, PrintBatchState outcome) override {
    if (!IsOutcome(outcome)) {
      return InternalError(std::string("journal: ") + ToString(outcome) +
                           " is no outcome of a print batch");
    }
    return GuardStatus([&] {
      const Poco::Int64 batch = id;
      Poco::Data::Statement update(session_);
      update << "UPDATE print_batches SET state = ?, "
                "updated_at = datetime('now') "
                "WHERE id = ? AND state IN ('WRITTEN', 'SENT')",
          bind(std::string(ToString(outcome))), bind(batch);
      if (update.execute() != 1) {
        return StoreError("journal: print batch " + std::to_string(id) +
                          " is unknown or has its outcome already");
      }
      return Status();
    });
  }

  Result<std::vector<PrintBatchRecord>> UnfinishedPrintBatches() override {
    return Guard<std::vector<PrintBatchRecord>>([&] {
      std::vector<PrintBatchRecord> out =
          SelectPrintBatches("WHERE state IN ('WRITTEN', 'SENT')");
      std::vector<LetterPrint> letters = SelectLetterPrints();
      for (PrintBatchRecord& b : out) {
        for (const LetterPrint& l : letters) {
          if (l.batch_id == b.id) b.letters.push_back(l.letter);
        }
      }
      return out;
    });
  }

  Result<std::vector<ReviewInfo>> Reviews() override {
    return Guard<std::vector<ReviewInfo>>([&] {
      std::vector<std::string> ids, files, hashes, ags, states, opened, closed;
      std::vector<Poco::Int64> sequences;
      session_ << "SELECT id, file_name, sha256, sequence, ags, state,"
                  " datetime(opened_at, 'localtime'),"
                  " COALESCE(datetime(closed_at, 'localtime'), '')"
                  " FROM reviews ORDER BY rowid",
          into(ids), into(files), into(hashes), into(sequences), into(ags),
          into(states), into(opened), into(closed), now;
      std::vector<ReviewInfo> out;
      for (size_t i = 0; i < ids.size(); ++i) {
        ReviewInfo info;
        info.review = ReviewRecord{ids[i],
                                   files[i],
                                   hashes[i],
                                   static_cast<uint64_t>(sequences[i]),
                                   {}};
        std::istringstream words(ags[i]);
        for (std::string a; words >> a;) info.review.ags.push_back(a);
        info.review.state =
            states[i] == "OPEN" ? ReviewState::kOpen : ReviewState::kClosed;
        info.opened_at = opened[i];
        info.closed_at = closed[i];
        out.push_back(std::move(info));
      }
      return out;
    });
  }

  Result<std::vector<DecisionSummary>> Drafts() override {
    return Guard<std::vector<DecisionSummary>>([&] {
      return Summaries(SelectDecisions(
          "WHERE release_state = 'DRAFT' ORDER BY created_at, rowid", {}, 0));
    });
  }

  Result<std::vector<DecisionSummary>> DecisionsFor(
      const std::string& aktenzeichen) override {
    return Guard<std::vector<DecisionSummary>>([&] {
      return Summaries(SelectDecisions(
          "WHERE aktenzeichen = ? ORDER BY revision", {aktenzeichen}, 0));
    });
  }

  Result<std::vector<DecisionSummary>> SearchDecisions(const std::string& text,
                                                       size_t limit) override {
    return Guard<std::vector<DecisionSummary>>([&] {
      std::string pattern = "%";
      for (char c : text) {
        if (c == '%' || c == '_' || c == '\\') pattern += '\\';
        pattern += c;
      }
      pattern += "%";
      return Summaries(
          SelectDecisions("WHERE aktenzeichen LIKE ?1 ESCAPE '\\'"
                          " OR COALESCE(applicant_ags, '') LIKE ?1 ESCAPE '\\'"
                          " OR COALESCE(applicant_name, '') LIKE ?1 ESCAPE '\\'"
                          " ORDER BY created_at DESC, rowid DESC",
                          {pattern}, limit));
    });
  }

  Status ReleaseDrafts(const std::vector<std::string>& documents,
                       const std::string& user,
                       const std::vector<AuditRecord>& audit) override {
    return GuardStatus([&] {
      return Transact([&]() -> Status {
        for (const std::string& document : documents) {
          Poco::Data::Statement update(session_);
          update << "UPDATE decisions SET release_state = 'RELEASED',"
                    " released_by = ?, released_at = datetime('now')"
                    " WHERE document = ? AND release_state = 'DRAFT'",
              bind(user), bind(document);
          if (update.execute() != 1) {
            return InvalidInput("Der Bescheid " + document +
                                " wartet nicht (mehr) auf die Freigabe.");
          }
        }
        InsertAudit(audit);
        return Status();
      });
    });
  }

  Result<std::vector<OutcomeCount>> OutcomeCounts(int days) override {
    return Guard<std::vector<OutcomeCount>>([&] {
      const std::string since =
          "date('now', 'localtime', '-" + std::to_string(days - 1) + " days')";
      std::vector<std::string> dates, outcomes;
      std::vector<Poco::Int64> counts;
      session_ << "SELECT d, o, COUNT(*) FROM ("
                  " SELECT date(created_at, 'localtime') AS d, kind AS o"
                  " FROM decisions"
                  " UNION ALL SELECT date(updated_at, 'localtime'),"
                  " 'ABGEWIESEN' FROM inputs WHERE state = 'REJECTED'"
                  " UNION ALL SELECT date(opened_at, 'localtime'), 'PRUEFUNG'"
                  " FROM reviews)"
                  " WHERE d >= " +
                      since + " GROUP BY d, o ORDER BY d, o",
          into(dates), into(outcomes), into(counts), now;
      std::vector<OutcomeCount> out;
      for (size_t i = 0; i < dates.size(); ++i) {
        out.push_back({dates[i], outcomes[i], counts[i]});
      }
      return out;
    });
  }

  Result<std::vector<LetterPrint>> LetterPrints() override {
    return Guard<std::vector<LetterPrint>>([&] {
      if (!has_print_batches_) return std::vector<LetterPrint>();
      return SelectLetterPrints();
    });
  }

  Status AppendAudit(const std::vector<AuditRecord>& audit) override {
    return GuardStatus([&] {
      return Transact([&]() -> Status {
        InsertAudit(audit);
        return Status();
      });
    });
  }

  Result<std::vector<AuditRecord>> AuditFor(
      const std::string& target) override {
    return Guard<std::vector<AuditRecord>>([&] {
      std::vector<std::string> at, user, action, targets, field, old_value,
          new_value;
      session_ << "SELECT datetime(at, 'localtime'), user, action, target,"
                  " field, old_value, new_value FROM audit WHERE target = ?"
                  " ORDER BY id",
          bind(target), into(at), into(user), into(action), into(targets),
          into(field), into(old_value), into(new_value), now;
      std::vector<AuditRecord> out;
      for (size_t i = 0; i < at.size(); ++i) {
        out.push_back({at[i], user[i], action[i], targets[i], field[i],
                       old_value[i], new_value[i]});
      }
      return out;
    });
  }

  Status Health() override {
    return GuardStatus([&] {
      Query select(statements_, "SELECT 1");
      const int64_t one = select.Next() ? select.Int(0) : 0;
      if (one == 1) return Status();
      return StoreError("journal: SELECT 1 returned " + std::to_string(one));
    });
  }

  Status IntegrityCheck() override {
    return GuardStatus([&] {
      std::vector<std::string> rows;
      session_ << "PRAGMA integrity_check", into(rows), now;
      if (rows.size() == 1 && rows[0] == "ok") return Status();
      std::string found;
      for (size_t i = 0; i < rows.size() && i < 5; ++i) {
        found += (i > 0 ? "; " : "") + rows[i];
      }
      return StoreError("journal '" + path_ + "' failed its integrity check (" +
                        std::to_string(rows.size()) + " problems): " + found);
    });
  }

  Status SetMaxPageCount(int64_t pages) {
    return GuardStatus([&] {
      Exec("PRAGMA max_page_count = " + std::to_string(pages));
      return Status();
    });
  }

  int64_t PreparedStatements() {
    int64_t n = 0;
    if (reader_) {
      std::lock_guard<std::mutex> lock(reader_->mu);
      n = reader_->statements.prepared();
    }
    std::lock_guard<std::mutex> lock(mu_);
    return n + statements_.prepared();
  }

  void FailRollbacks() {
    std::lock_guard<std::mutex> lock(mu_);
    fail_rollbacks_for_tests_ = true;
  }

 private:
  void Exec(const std::string& sql) { session_ << sql, now; }

  Status Configure() {
    Exec("PRAGMA busy_timeout = 10000");
    std::string mode;
    session_ << "PRAGMA journal_mode = WAL", into(mode), now;
    if (Poco::toLower(mode) != "wal") {
      return StoreError(
          "write-ahead logging is not available (journal_mode "
          "stays '" +
          mode + "')");
    }
    Exec("PRAGMA synchronous = FULL");
    // Statement journals (a savepoint per decision of a group commit,
    // WriteInSavepoint) stay in memory: they are never read after a crash,
    // and spilled to a file each group commit created, wrote and unlinked
    // a temporary file of about 64 KiB.
    Exec("PRAGMA temp_store = MEMORY");
    int synchronous = -1;
    session_ << "PRAGMA synchronous", into(synchronous), now;
    if (synchronous != 2) {
      return StoreError(
          "synchronous commits are not available (synchronous "
          "stays " +
          std::to_string(synchronous) + ", not 2)");
    }
    return Status();
  }

  bool HasColumn(const std::string& table, const std::string& column) {
    int present = 0;
    session_ << "SELECT COUNT(*) FROM pragma_table_info(?) WHERE name = ?",
        bind(table), bind(column), into(present), now;
    return present > 0;
  }

  Status CreateSchema() {
    for (const std::string& sql : Schema()) Exec(sql);
    for (const auto& column : kAddedDecisionColumns) {
      if (!HasColumn("decisions", column.name)) {
        Exec(std::string("ALTER TABLE decisions ADD COLUMN ") + column.name +
             " " + column.definition);
      }
    }
    if (!HasColumn("decisions", "revision")) {
      for (const std::string& sql : RebuildDecisions()) Exec(sql);
    }
    if (!HasColumn("funded", "revision")) {
      for (const std::string& sql : RebuildFunded()) Exec(sql);
    }
    for (const char* sql : kMigrations) Exec(sql);
    std::vector<std::string> orphans;
    session_ << "SELECT \"table\" FROM pragma_foreign_key_check", into(orphans),
        now;
    if (!orphans.empty()) {
      return StoreError("journal: " + std::to_string(orphans.size()) +
                        " rows refer to missing decisions (first in table " +
                        orphans.front() + ")");
    }
    return Status();
  }

  static Status CheckEntry(const DecisionEntry& e) {
    const std::string what = "journal: decision " + e.aktenzeichen +
                             " (revision " + std::to_string(e.revision) + ")";
    if (e.revision == 1 && e.sequence < 1) {
      return InternalError(what + " has no valid sequence number (" +
                           std::to_string(e.sequence) + ")");
    }
    if (e.revision < 1 || (e.revision > 1 && e.sequence != 0)) {
      return InternalError(what + " must not take a sequence number");
    }
    if (e.revision > 1 && e.document.empty()) {
      return InternalError(what + " names no document");
    }
    if (e.kind == core::DecisionKind::kNachforderung &&
        (!e.request_deadline || !e.application_receipt || !e.decision_date ||
         e.applicant_ags.empty())) {
      return InternalError(what +
                           " requests documents without a deadline, date "
                           "or applicant");
    }
    return Status();
  }

  // The requests matching `where` (with at most one parameter), ordered by
  // deadline and Aktenzeichen.
  std::vector<RequestRecord> SelectRequests(
      StatementCache& cache, const std::string& where,
      const std::optional<std::string>& param) {
    if (!has_requests_) return {};  // read-only, written before requests
    Query select(cache,
                 "SELECT aktenzeichen, revision, applicant_ags, "
                 "applicant_name, request_date, deadline, "
                 "application_receipt, state, COALESCE(answered_by, ''), "
                 "COALESCE(answered_on, '') FROM requests " +
                     where + " ORDER BY deadline, aktenzeichen, revision");
    if (param) select.Bind(*param);
    std::vector<RequestRecord> out;
    while (select.Next()) {
      RequestRecord r;
      r.aktenzeichen = select.Text(0);
      r.revision = static_cast<int>(select.Int(1));
      r.applicant_ags = select.Text(2);
      r.applicant_name = select.Text(3);
      r.request_date = StoredDate(select.Text(4)).value_or(core::Date{});
      r.deadline = StoredDate(select.Text(5)).value_or(core::Date{});
      r.application_receipt = StoredDate(select.Text(6)).value_or(core::Date{});
      r.state = ParseRequestState(select.Text(7));
      r.answered_by_sha256 = select.Text(8);
      r.answered_on = StoredDate(select.Text(9));
      out.push_back(std::move(r));
    }
    return out;
  }

  // Inside a transaction: appends `audit` (its `at` is the journal's).
  void InsertAudit(const std::vector<AuditRecord>& audit) {
    for (const AuditRecord& a : audit) {
      session_ << "INSERT INTO audit(user, action, target, field, old_value,"
                  " new_value) VALUES (?, ?, ?, ?, ?, ?)",
          bind(a.user), bind(a.action), bind(a.target), bind(a.field),
          bind(a.old_value), bind(a.new_value), now;
    }
  }

  // The decisions matching `clause` (WHERE and ORDER BY, binding `params`
  // in order), at most `limit` (0: all), each whole.
  std::vector<DecisionRow> SelectDecisions(
      const std::string& clause, const std::vector<std::string>& params,
      size_t limit) {
    Query select(statements_, "SELECT " + decision_columns_ +
                                  " FROM decisions " + clause + " LIMIT ?");
    for (const std::string& p : params) select.Bind(p);
    select.Bind(limit > 0 ? static_cast<int64_t>(limit) : int64_t{-1});
    std::vector<DecisionRow> out;
    while (select.Next()) out.push_back(ReadDecisionRow(select));
    return out;
  }

  std::vector<PrintBatchRecord> SelectPrintBatches(const std::string& where) {
    std::vector<Poco::Int64> ids;
    std::vector<std::string> dates, files, queues, states, updated;
    std::vector<int> numbers;
    std::vector<Poco::Nullable<int>> jobs;
    session_ << "SELECT id, batch_date, number, file, queue, state, job_id, "
                "updated_at FROM print_batches " +
                    where + " ORDER BY id",
        into(ids), into(dates), into(numbers), into(files), into(queues),
        into(states), into(jobs), into(updated), now;
    std::vector<PrintBatchRecord> out(ids.size());
    for (size_t i = 0; i < ids.size(); ++i) {
      PrintBatchRecord& b = out[i];
      b.id = ids[i];
      b.date = StoredDate(dates[i]).value_or(core::Date{});
      b.number = numbers[i];
      b.file = files[i];
      b.queue = queues[i];
      b.state = ParsePrintBatchState(states[i]);
      if (!jobs[i].isNull()) b.job_id = jobs[i].value();
      b.updated_at = updated[i];
    }
    return out;
  }

  std::vector<LetterPrint> SelectLetterPrints() {
    std::vector<Poco::Int64> ids;
    std::vector<std::string> documents, az, dates, states;
    std::vector<int> numbers, reprints;
    session_ << "SELECT l.batch_id, l.document, l.aktenzeichen, l.reprint, "
                "b.batch_date, b.number, b.state FROM printed_letters l "
                "JOIN print_batches b ON b.id = l.batch_id "
                "ORDER BY l.batch_id, l.document",
        into(ids), into(documents), into(az), into(reprints), into(dates),
        into(numbers), into(states), now;
    std::vector<LetterPrint> out(ids.size());
    for (size_t i = 0; i < ids.size(); ++i) {
      out[i].letter = PrintedLetter{documents[i], az[i], reprints[i] != 0};
      out[i].batch_id = ids[i];
      out[i].batch_date = StoredDate(dates[i]).value_or(core::Date{});
      out[i].batch_number = numbers[i];
      out[i].state = ParsePrintBatchState(states[i]);
    }
    return out;
  }

  // The body of CommitDecision; runs inside its transaction.
  Status Write(const DecisionEntry& e) {
    if (e.revision == 1) {
      Status free = CheckSequenceFree(e.sequence);
      if (!free.ok()) return free;
    } else {
      Status answered = AnswerRequest(e);
      if (!answered.ok()) return answered;
    }
    const std::optional<std::string> decision_date =
        e.decision_date ? std::optional<std::string>(e.decision_date->ToIso())
                        : std::nullopt;
    const std::string document =
        e.document.empty() ? e.aktenzeichen : e.document;
    Query insert(statements_,
                 "INSERT INTO decisions(aktenzeichen, revision, sha256, kind, "
                 "record_xml, letter_file, sequence, decision_date, document, "
                 "release_state, corrected_by, applicant_ags, applicant_name) "
                 "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)");
    insert.Bind(e.aktenzeichen)
        .Bind(e.revision)
        .Bind(e.sha256)
        .Bind(std::string(core::ToString(e.kind)))
        .Bind(e.record_xml)
        .Bind(e.letter_file);
    if (e.revision == 1) {
      insert.Bind(e.sequence);
    } else {
      insert.BindNull();  // a revision takes no number
    }
    insert.Bind(decision_date)
        .Bind(document)
        .Bind(e.draft ? std::optional<std::string>("DRAFT") : std::nullopt)
        .Bind(e.corrected_by)
        .Bind(e.applicant_ags)
        .Bind(e.applicant_name)
        .Run();
    Query(statements_,
          "INSERT INTO inputs(sha256, file_name, state, "
          "aktenzeichen, attempts) VALUES (?, ?, 'DECIDED', ?, 0) "
          "ON CONFLICT(sha256) DO UPDATE SET state = 'DECIDED', "
          "aktenzeichen = excluded.aktenzeichen, "
          "file_name = excluded.file_name, "
          "updated_at = datetime('now')")
        .Bind(e.sha256)
        .Bind(e.file_name)
        .Bind(e.aktenzeichen)
        .Run();
    if (core::IsGrant(e.kind)) {
      for (const std::string& ags : e.covered_ags) {
        Query(statements_,
              "INSERT INTO funded(ags, aktenzeichen, revision) "
              "VALUES (?, ?, ?)")
            .Bind(ags)
            .Bind(e.aktenzeichen)
            .Bind(e.revision)
            .Run();
      }
    }
    if (e.kind == core::DecisionKind::kNachforderung) {
      Query(statements_,
            "INSERT INTO requests(aktenzeichen, revision, "
            "applicant_ags, applicant_name, request_date, deadline, "
            "application_receipt, state) "
            "VALUES (?, ?, ?, ?, ?, ?, ?, 'OPEN')")
          .Bind(e.aktenzeichen)
          .Bind(e.revision)
          .Bind(e.applicant_ags)
          .Bind(e.applicant_name)
          .Bind(e.decision_date->ToIso())
          .Bind(e.request_deadline->ToIso())
          .Bind(e.application_receipt->ToIso())
          .Run();
    }
    if (e.revision == 1) {
      Query(statements_,
            "UPDATE sequence SET value = MAX(value, ?) "
            "WHERE name = 'aktenzeichen'")
          .Bind(e.sequence)
          .Run();
    }
    return Status();
  }

  // Write(e) inside an open transaction, undone alone if it fails (a
  // savepoint): the transaction's other entries stay. An error that ends
  // the whole transaction throws from ROLLBACK TO, and the caller's
  // transaction fails as a whole.
  Status WriteInSavepoint(const DecisionEntry& e) {
    Query(statements_, "SAVEPOINT decision").Run();
    Status written;
    try {
      written = Write(e);
    } catch (const Poco::Exception& ex) {
      written = StoreError("journal: " + ex.displayText());
    } catch (const std::exception& ex) {
      written = StoreError(std::string("journal: ") + ex.what());
    }
    if (!written.ok()) Query(statements_, "ROLLBACK TO decision").Run();
    Query(statements_, "RELEASE decision").Run();
    return written;
  }

  Status CheckSequenceFree(int64_t number) {
    Query taken(statements_,
                "SELECT aktenzeichen FROM decisions WHERE sequence = ?");
    taken.Bind(number);
    if (taken.Next()) {
      return StoreError("journal: sequence number " + std::to_string(number) +
                        " is already used by decision " + taken.Text(0));
    }
    return Status();
  }

  // Marks answered the open request that decision `e` (revision > 1)
  // answers: the one made by revision - 1 under the same Aktenzeichen.
  Status AnswerRequest(const DecisionEntry& e) {
    const int asked_by = e.revision - 1;
    const std::optional<std::string> on =
        e.decision_date ? std::optional<std::string>(e.decision_date->ToIso())
                        : std::nullopt;
    const int answered =
        Query(statements_,
              "UPDATE requests SET state = 'ANSWERED', answered_by = ?, "
              "answered_on = ?, answered_at = datetime('now') "
              "WHERE aktenzeichen = ? AND revision = ? AND state = 'OPEN'")
            .Bind(e.sha256)
            .Bind(on)
            .Bind(e.aktenzeichen)
            .Bind(asked_by)
            .Run();
    if (answered != 1) {
      return StoreError("journal: decision " + e.aktenzeichen + " revision " +
                        std::to_string(e.revision) +
                        " answers no open request of revision " +
                        std::to_string(asked_by));
    }
    return Status();
  }

  // Runs `body` (returning a Status or a Result) between BEGIN IMMEDIATE and
  // COMMIT. If `body` fails or anything throws, the transaction is left open
  // for Guard to roll back.
  template <typename Fn>
  auto Transact(Fn&& body) -> decltype(body()) {
    Query(statements_, "BEGIN IMMEDIATE").Run();
    auto result = body();
    if (result.ok()) Query(statements_, "COMMIT").Run();
    return result;
  }

  // Runs `fn` (returning T or Result<T>) under the journal's lock. Nothing
  // thrown crosses this boundary, and on return the connection is outside
  // any transaction, so one failed call cannot wedge the next (see
  // EndTransaction). A broken journal fails without running `fn`.
  template <typename T, typename Fn>
  Result<T> Guard(Fn&& fn) {
    std::lock_guard<std::mutex> lock(mu_);
    if (!broken_.ok()) return broken_;
    Result<T> result = Catch<T>(fn);
    Status ended = EndTransaction(result.status());
    if (!ended.ok()) return ended;
    return result;
  }

  // Runs the read-only `fn(StatementCache&)` on the reading connection,
  // beside whatever the writing connection does (its mutex is not taken);
  // as Guard, nothing thrown crosses and a broken journal fails without
  // running `fn`. Without a reading connection (a read-only journal), as
  // Guard on the writing one.
  template <typename T, typename Fn>
  Result<T> GuardRead(Fn&& fn) {
    if (!reader_ || broken_flag_.load()) {
      return Guard<T>([&] { return fn(statements_); });
    }
    std::lock_guard<std::mutex> lock(reader_->mu);
    auto call = [&] { return fn(reader_->statements); };
    return Catch<T>(call);
  }

  // Opens the reading connection (throws on failure). Precondition: the
  // schema exists, and no other call has started.
  void OpenReader() {
    auto reader = std::make_unique<Reader>(path_);
    reader->session << "PRAGMA busy_timeout = 10000", now;
    reader->session << "PRAGMA query_only = ON", now;
    reader_ = std::move(reader);
  }

  // Guard for a `fn` returning Status.
  template <typename Fn>
  Status GuardStatus(Fn&& fn) {
    return Guard<bool>([&]() -> Result<bool> {
             Status status = fn();
             if (!status.ok()) return status;
             return true;
           })
        .status();
  }

  template <typename T, typename Fn>
  static Result<T> Catch(Fn& fn) {
    try {
      return Result<T>(fn());
    } catch (const Poco::Exception& e) {
      return Result<T>(StoreError("journal: " + e.displayText()));
    } catch (const std::exception& e) {
      return Result<T>(StoreError(std::string("journal: ") + e.what()));
    }
  }

  // Called under mu_ after every call, with the call's outcome. Rolls back
  // a transaction the call left open (after an error SQLite may or may not
  // have rolled back itself, so the connection is asked). Returns OK if the
  // connection is outside a transaction afterwards and the call's outcome
  // stands; otherwise the status that replaces it. If the transaction
  // cannot be ended the journal is marked broken for good.
  Status EndTransaction(const Status& outcome) {
    if (!TransactionOpen()) return Status();
    const std::string rollback_error = RollBack();
    if (!TransactionOpen()) {
      if (!outcome.ok()) return Status();
      return InternalError(
          "journal: a call left its transaction open; it "
          "was rolled back");
    }
    broken_flag_ = true;
    broken_ = StoreError(
        "journal '" + path_ + "' cannot recover: rolling back after \"" +
        (outcome.ok() ? std::string("an unfinished call") : outcome.message()) +
        "\" failed (" + rollback_error +
        "); the bescheid service must be restarted");
    return broken_;
  }

  bool TransactionOpen() const { return sqlite3_get_autocommit(db_) == 0; }

  // Returns what went wrong, or "" if the ROLLBACK statement succeeded.
  std::string RollBack() {
    try {
      if (fail_rollbacks_for_tests_) {
        throw Poco::IOException("rollback refused by a test hook");
      }
      Exec("ROLLBACK");
      return "";
    } catch (const Poco::Exception& e) {
      return e.displayText();
    } catch (const std::exception& e) {
      return e.what();
    }
  }

  const std::string path_;
  // Declared before session_ so that the connection closes before the lock
  // is released.
  std::optional<LockFile> lock_;  // none: read-only
  std::mutex mu_;
  Poco::Data::Session session_;
  sqlite3* const db_;  // session_'s connection
  // The per-file statements, prepared once; after session_ so that they are
  // finalized before the connection closes.
  StatementCache statements_{db_};
  Status broken_;                         // not OK once the journal is unusable
  std::atomic<bool> broken_flag_{false};  // set with broken_, read unlocked
  // A second connection for the reads that deciding an application makes
  // (FindInput, GrantsCovering, OpenRequestFor). In WAL mode it reads the
  // last committed state while the writing connection commits, so that the
  // next decision never waits for a commit's sync (which the pipeline's
  // decision lock would make every worker wait for). Its own mutex guards
  // it. What it reads was committed before the read began: the pipeline
  // asks only after the decisions it depends on have committed.
  struct Reader {
    explicit Reader(const std::string& path)
        : session("SQLite", path),
          db(Poco::Data::SQLite::Utility::dbHandle(session)) {}
    std::mutex mu;
    Poco::Data::Session session;
    sqlite3* const db;
    StatementCache statements{db};  // finalized before the session closes
  };
  std::unique_ptr<Reader> reader_;  // none: a read-only journal
  bool fail_rollbacks_for_tests_ = false;
  bool has_requests_ = true;
  // What SelectDecisions reads (NULL for columns an old read-only journal
  // lacks).
  std::string decision_columns_ = DecisionColumns({});
  bool has_print_batches_ = true;
};

SqliteJournal* AsSqlite(Journal& journal) {
  return dynamic_cast<SqliteJournal*>(&journal);
}

Status CreateParentDirectories(const std::string& path) {
  try {
    Poco::Path parent = Poco::Path(path).parent();
    if (!parent.toString().empty()) Poco::File(parent).createDirectories();
    return Status();
  } catch (const Poco::Exception& e) {
    return StoreError("cannot create the directory of journal '" + path +
                      "': " + e.displayText());
  }
}

Result<std::unique_ptr<SqliteJournal>> Connect(const std::string& path,
                                               std::optional<LockFile> lock) {
  try {
    return std::make_unique<SqliteJournal>(path, std::move(lock));
  } catch (const Poco::Exception& e) {
    return StoreError("cannot open journal '" + path + "': " + e.displayText());
  } catch (const std::exception& e) {
    return StoreError("cannot open journal '" + path + "': " + e.what());
  }
}

}  // namespace

Result<std::unique_ptr<Journal>> OpenSqliteJournal(
    const std::string& path, const JournalOptions& options) {
  static std::once_flag once;
  std::call_once(once,
                 [] { Poco::Data::SQLite::Connector::registerConnector(); });
  if ((options.read_only || !options.create_if_missing) &&
      !JournalExists(path)) {
    return Status(StatusCode::kNotFound,
                  "journal '" + path + "' does not exist");
  }
  std::optional<LockFile> lock;
  if (!options.read_only) {
    Status dirs = CreateParentDirectories(path);
    if (!dirs.ok()) return dirs;
    Result<LockFile> acquired =
        LockFile::Acquire(path + ".lock", "journal '" + path + "'");
    if (!acquired.ok()) return acquired.status();
    lock = std::move(acquired).value();
  }
  Result<std::unique_ptr<SqliteJournal>> journal =
      Connect(path, std::move(lock));
  if (!journal.ok()) return journal.status();
  Status init = (*journal)->Init();
  if (!init.ok()) {
    return Status(init.code(),
                  "cannot open journal '" + path + "': " + init.message());
  }
  return std::unique_ptr<Journal>(std::move(journal).value());
}

const char* ToString(PrintBatchState state) {
  switch (state) {
    case PrintBatchState::kWritten:
      return "WRITTEN";
    case PrintBatchState::kSent:
      return "SENT";
    case PrintBatchState::kCompleted:
      return "COMPLETED";
    case PrintBatchState::kAborted:
      return "ABORTED";
    case PrintBatchState::kCanceled:
      return "CANCELED";
  }
  return "WRITTEN";
}

bool JournalExists(const std::string& path) {
  struct stat st;
  return ::stat(path.c_str(), &st) == 0 && S_ISREG(st.st_mode) &&
         st.st_size > 0;
}

Status SetMaxPageCountForTesting(Journal& journal, int64_t pages) {
  SqliteJournal* sqlite = AsSqlite(journal);
  if (sqlite == nullptr) return InternalError("not a SQLite journal");
  return sqlite->SetMaxPageCount(pages);
}

Result<int64_t> PreparedStatementsForTesting(Journal& journal) {
  SqliteJournal* sqlite = AsSqlite(journal);
  if (sqlite == nullptr) return InternalError("not a SQLite journal");
  return sqlite->PreparedStatements();
}

Status FailRollbacksForTesting(Journal& journal) {
  SqliteJournal* sqlite = AsSqlite(journal);
  if (sqlite == nullptr) return InternalError("not a SQLite journal");
  sqlite->FailRollbacks();
  return Status();
}

}  // namespace bescheid::store
