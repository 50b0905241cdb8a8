#include <Poco/Data/SQLite/Connector.h>
#include <Poco/Data/Session.h>
#include <Poco/Data/Statement.h>
#include <Poco/Data/Transaction.h>
#include <Poco/Exception.h>
#include <Poco/File.h>
#include <Poco/Path.h>

#include <mutex>
#include <utility>

#include "store/journal.h"
#include "store/lock_file.h"

namespace bescheid::store {
namespace {

using Poco::Data::Keywords::bind;
using Poco::Data::Keywords::into;
using Poco::Data::Keywords::now;

InputState ParseState(const std::string& s) {
  if (s == "DECIDED") return InputState::kDecided;
  if (s == "REJECTED") return InputState::kRejected;
  return InputState::kInProgress;
}

constexpr const char* kSchema[] = {
    "CREATE TABLE IF NOT EXISTS inputs ("
    " sha256 TEXT PRIMARY KEY,"
    " file_name TEXT NOT NULL,"
    " state TEXT NOT NULL,"
    " aktenzeichen TEXT,"
    " attempts INTEGER NOT NULL DEFAULT 0,"
    " report TEXT,"
    " updated_at TEXT NOT NULL DEFAULT (datetime('now')))",
    "CREATE TABLE IF NOT EXISTS decisions ("
    " aktenzeichen TEXT PRIMARY KEY,"
    " sha256 TEXT NOT NULL UNIQUE,"
    " kind TEXT NOT NULL,"
    " record_xml TEXT NOT NULL,"
    " letter_file TEXT,"
    " created_at TEXT NOT NULL DEFAULT (datetime('now')))",
    "CREATE TABLE IF NOT EXISTS funded ("
    " ags TEXT NOT NULL,"
    " aktenzeichen TEXT NOT NULL REFERENCES decisions(aktenzeichen),"
    " PRIMARY KEY (ags, aktenzeichen))",
    "CREATE TABLE IF NOT EXISTS sequence ("
    " name TEXT PRIMARY KEY,"
    " value INTEGER NOT NULL)",
    "INSERT OR IGNORE INTO sequence(name, value) VALUES ('aktenzeichen', 0)",
};

class SqliteJournal final : public Journal {
 public:
  SqliteJournal(const std::string& path, LockFile lock)
      : lock_(std::move(lock)), session_("SQLite", path) {
    Exec("PRAGMA journal_mode=WAL");
    Exec("PRAGMA synchronous=FULL");
    Exec("PRAGMA foreign_keys=ON");
    Exec("PRAGMA busy_timeout=10000");
    for (const char* sql : kSchema) Exec(sql);
  }

  Result<std::optional<InputRecord>> FindInput(
      const std::string& sha256) override {
    return Guard<std::optional<InputRecord>>([&] {
      std::string file_name, state, az;
      int attempts = 0;
      Poco::Data::Statement select(session_);
      select << "SELECT file_name, state, COALESCE(aktenzeichen, ''), attempts "
                "FROM inputs "
                "WHERE sha256 = ?",
          bind(sha256), into(file_name), into(state), into(az), into(attempts);
      if (select.execute() == 0) return std::optional<InputRecord>();
      return std::optional<InputRecord>(
          InputRecord{sha256, file_name, ParseState(state), az, attempts});
    });
  }

  Result<int> BeginAttempt(const std::string& sha256,
                           const std::string& file_name) override {
    return Guard<int>([&] {
      Poco::Data::Transaction tx(session_);
      session_ << "INSERT INTO inputs(sha256, file_name, state, attempts) "
                  "VALUES (?, ?, 'IN_PROGRESS', 0) "
                  "ON CONFLICT(sha256) DO NOTHING",
          bind(sha256), bind(file_name), now;
      session_ << "UPDATE inputs SET attempts = attempts + 1, "
                  "updated_at = datetime('now') WHERE sha256 = ?",
          bind(sha256), now;
      int attempts = 0;
      session_ << "SELECT attempts FROM inputs WHERE sha256 = ?", bind(sha256),
          into(attempts), now;
      tx.commit();
      return attempts;
    });
  }

  Status FinishAttempt(const std::string& sha256) override {
    return Guard<bool>([&] {
             session_ << "UPDATE inputs SET attempts = MAX(attempts - 1, 0) "
                         "WHERE sha256 = ?",
                 bind(sha256), now;
             return true;
           })
        .status();
  }

  Result<bool> HasDecision(const std::string& aktenzeichen) override {
    return Guard<bool>([&] {
      int count = 0;
      session_ << "SELECT COUNT(*) FROM decisions WHERE aktenzeichen = ?",
          bind(aktenzeichen), into(count), now;
      return count > 0;
    });
  }

  Result<int64_t> NextSequence() override {
    return Guard<int64_t>([&] {
      Poco::Data::Transaction tx(session_);
      session_ << "UPDATE sequence SET value = value + 1 "
                  "WHERE name = 'aktenzeichen'",
          now;
      Poco::Int64 value = 0;
      session_ << "SELECT value FROM sequence WHERE name = 'aktenzeichen'",
          into(value), now;
      tx.commit();
      return static_cast<int64_t>(value);
    });
  }

  Result<std::vector<core::PriorGrant>> GrantsCovering(
      const std::vector<std::string>& ags) override {
    return Guard<std::vector<core::PriorGrant>>([&] {
      std::vector<core::PriorGrant> out;
      for (const std::string& a : ags) {
        std::vector<std::string> refs;
        session_ << "SELECT aktenzeichen FROM funded WHERE ags = ? "
                    "ORDER BY aktenzeichen",
            bind(a), into(refs), now;
        for (auto& r : refs) out.push_back({a, r});
      }
      return out;
    });
  }

  Status CommitDecision(const DecisionEntry& e) override {
    return Guard<bool>([&] {
             Poco::Data::Transaction tx(session_);
             session_ << "INSERT INTO decisions(aktenzeichen, sha256, kind, "
                         "record_xml, letter_file) VALUES (?, ?, ?, ?, ?)",
                 bind(e.aktenzeichen), bind(e.sha256),
                 bind(std::string(core::ToString(e.kind))), bind(e.record_xml),
                 bind(e.letter_file), now;
             session_
                 << "INSERT INTO inputs(sha256, file_name, state, "
                    "aktenzeichen, attempts) VALUES (?, ?, 'DECIDED', ?, 0) "
                    "ON CONFLICT(sha256) DO UPDATE SET state = 'DECIDED', "
                    "aktenzeichen = excluded.aktenzeichen, "
                    "file_name = excluded.file_name, "
                    "updated_at = datetime('now')",
                 bind(e.sha256), bind(e.file_name), bind(e.aktenzeichen), now;
             if (core::IsGrant(e.kind)) {
               for (const std::string& ags : e.covered_ags) {
                 session_ << "INSERT INTO funded(ags, aktenzeichen) "
                             "VALUES (?, ?)",
                     bind(ags), bind(e.aktenzeichen), now;
               }
             }
             tx.commit();
             return true;
           })
        .status();
  }

  Status CommitRejection(const std::string& sha256,
                         const std::string& file_name,
                         const std::string& report) override {
    return Guard<bool>([&] {
             session_
                 << "INSERT INTO inputs(sha256, file_name, state, "
                    "attempts, report) VALUES (?, ?, 'REJECTED', 0, ?) "
                    "ON CONFLICT(sha256) DO UPDATE SET state = 'REJECTED', "
                    "report = excluded.report, "
                    "updated_at = datetime('now')",
                 bind(sha256), bind(file_name), bind(report), now;
             return true;
           })
        .status();
  }

 private:
  void Exec(const std::string& sql) { session_ << sql, now; }

  // Runs `fn` under the journal's lock and turns any exception into a
  // kStore status: nothing from Poco crosses this boundary.
  template <typename T, typename Fn>
  Result<T> Guard(Fn&& fn) {
    std::lock_guard<std::mutex> lock(mu_);
    try {
      return Result<T>(fn());
    } catch (const Poco::Exception& e) {
      return StoreError("journal: " + e.displayText());
    } catch (const std::exception& e) {
      return StoreError(std::string("journal: ") + e.what());
    }
  }

  // Declared before session_ so that the connection closes before the lock
  // is released.
  LockFile lock_;
  std::mutex mu_;
  Poco::Data::Session session_;
};

}  // namespace

Result<std::unique_ptr<Journal>> OpenSqliteJournal(const std::string& path) {
  static std::once_flag once;
  std::call_once(once,
                 [] { Poco::Data::SQLite::Connector::registerConnector(); });
  try {
    Poco::Path parent = Poco::Path(path).parent();
    if (!parent.toString().empty()) Poco::File(parent).createDirectories();
    Result<LockFile> lock =
        LockFile::Acquire(path + ".lock", "journal '" + path + "'");
    if (!lock.ok()) return lock.status();
    return std::unique_ptr<Journal>(
        new SqliteJournal(path, std::move(lock).value()));
  } catch (const Poco::Exception& e) {
    return StoreError("cannot open journal '" + path + "': " + e.displayText());
  } catch (const std::exception& e) {
    return StoreError("cannot open journal '" + path + "': " + e.what());
  }
}

}  // namespace bescheid::store
