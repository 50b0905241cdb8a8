// The review and release station's view of the service: everything the web
// pages (review::HttpServer) may ask of it, as plain values. The daemon
// implements it over the watcher, the journal and the watch root
// (daemon::StationBackend); tests use a fake. The web layer holds no state of
// the service and never touches the file system: files reach it only as
// bytes, named by an id the service hands out.
//
// Thread-safety: every method may be called concurrently from the station's
// HTTP threads and must not block the decision workers for long.
// Errors: German messages a clerk can act on; kNotFound for an unknown id,
// kInvalidInput for a refused action (four eyes, a value that does not
// validate), other codes for failures of the service.
#ifndef BESCHEID_REVIEW_STATION_H_
#define BESCHEID_REVIEW_STATION_H_

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "core/status.h"

namespace bescheid::review {

// Outcome names as the decision record writes them ("BEWILLIGUNG",
// "TEILBEWILLIGUNG", "ABLEHNUNG", "NACHFORDERUNG") plus "PRUEFUNG" (sent to
// review), "ABGEWIESEN" (rejected file) and "DUPLIKAT".
using OutcomeName = std::string;

struct DayCount {
  std::string date;  // YYYY-MM-DD
  std::map<OutcomeName, int64_t> outcomes;
};

struct Overview {
  std::map<OutcomeName, int64_t> today;  // decided / routed today
  int64_t inbox = 0;                     // files waiting in the inbox
  int64_t processing = 0;                // claimed, in work or deferred
  int64_t review = 0;                    // open review cases
  int64_t awaiting_release = 0;          // drafts (release.mode=manual)
  int64_t errors_today = 0;              // failed attempts today
  std::vector<DayCount> last_days;       // oldest first, today last
};

// A rectangle in pixels of a case page image.
struct Box {
  int x = 0, y = 0, w = 0, h = 0;
};

// One field of a scanned form as read (review/<id>/felder.json).
struct Field {
  // The field's key for SaveCorrections: its placed layout id, e.g.
  // "applicant.ags"; for a checkbox the id and the box's value,
  // "applicant.kind:Gemeinde" (every box of a choice is a field of its own).
  std::string id;
  std::string label;  // German label from the form layout
  std::string value;  // as read, or as corrected last
  double confidence = 0;
  int page = 0;  // 1-based
  Box box;
  std::string reason;     // German doubt, empty when none
  bool has_crop = false;  // a crop image exists (CaseImage kind kCrop)
};

struct AuditEntry {
  std::string at;  // local time, "YYYY-MM-DD HH:MM:SS"
  std::string user;
  std::string action;  // "korrektur", "freigabe", "neu-eingereiht", ...
  std::string target;  // review id, Aktenzeichen or file name
  std::string field;   // for corrections, else empty
  std::string old_value;
  std::string new_value;
};

struct CaseSummary {
  std::string id;         // review id, e.g. "872b1998c3a3-1"
  std::string file;       // original file name
  std::string received;   // receipt date, YYYY-MM-DD
  std::string applicant;  // as read, may be empty
  std::string first_reason;
  bool open = true;
};

struct Case {
  CaseSummary summary;
  int pages = 0;
  std::vector<Field> fields;
  std::vector<std::string> reasons;  // reasons that concern no single field
  std::vector<AuditEntry> audit;     // oldest first
  std::string corrected_by;          // last user who saved corrections
};

// The result of saving corrections.
struct SaveResult {
  // German validation messages; empty when the corrected application was
  // valid and decided.
  std::vector<std::string> problems;
  // Set when decided: the Aktenzeichen and whether its letter waits for
  // release (release.mode=manual) or went to the outbox.
  std::optional<std::string> aktenzeichen;
  bool awaiting_release = false;
};

struct Draft {
  std::string aktenzeichen;
  OutcomeName outcome;
  std::string applicant;
  std::string decided_at;    // "YYYY-MM-DD HH:MM:SS"
  std::string corrected_by;  // empty unless it came from a corrected case
};

struct Problem {
  std::string id;      // opaque, stable while the file is there
  std::string file;    // original name
  std::string kind;    // "ABGEWIESEN" or "DUPLIKAT"
  std::string reason;  // German
  std::string at;      // "YYYY-MM-DD HH:MM:SS"
};

struct SearchHit {
  std::string aktenzeichen;  // empty for an open case
  std::string case_id;       // empty for a decision
  std::string applicant;
  std::string ags;
  OutcomeName outcome;
  std::string date;
};

// Bytes served to the browser, with their media type.
struct Blob {
  std::string media_type;  // "image/png", "application/pdf", "text/csv"
  std::string bytes;
};

enum class CaseImage { kPage, kCrop };

struct Health {
  bool ok = true;
  std::vector<std::string> problems;  // English, for operators
};

// Histogram with cumulative buckets, Prometheus style.
struct Histogram {
  std::vector<double> upper_bounds;  // ascending, +Inf implied
  std::vector<uint64_t> counts;      // cumulative, one per bound
  uint64_t count = 0;
  double sum = 0;
};

struct Metrics {
  std::map<OutcomeName, uint64_t> files_by_outcome;  // since start
  Histogram processing_seconds;                      // per file
  Histogram ocr_confidence;                          // per field read
  int64_t inbox = 0, processing = 0, review = 0, awaiting_release = 0;
  uint64_t letters_released = 0;
};

class Station {
 public:
  virtual ~Station();

  virtual Result<Overview> GetOverview() = 0;
  virtual Result<std::vector<CaseSummary>> ListCases() = 0;
  virtual Result<Case> GetCase(const std::string& id) = 0;
  // A page image (kPage, index 1-based) or a field's crop (kCrop, index into
  // Case::fields, 0-based) of case `id`. kNotFound for anything else.
  virtual Result<Blob> GetCaseImage(const std::string& id, CaseImage kind,
                                    int index) = 0;
  // Replaces the given fields' values (field id -> value) as `user`, writes
  // each change to the audit trail, validates again and, when clean,
  // decides: the letter waits for release (manual) or goes to the outbox
  // (auto), and the case closes. Unknown field ids: kInvalidInput.
  virtual Result<SaveResult> SaveCorrections(
      const std::string& id, const std::map<std::string, std::string>& values,
      const std::string& user) = 0;
  // The letter of a decision (draft or released) as PDF.
  virtual Result<Blob> GetLetter(const std::string& aktenzeichen) = 0;
  virtual Result<std::vector<Draft>> ListDrafts() = 0;
  // Releases the drafts as `user`: each letter moves to outbox/<date>/ and
  // the release is audited. Four eyes: a draft `user` corrected is refused
  // (kInvalidInput, German, naming it), and then nothing is released.
  virtual Status Release(const std::vector<std::string>& aktenzeichen,
                         const std::string& user) = 0;
  virtual Result<std::vector<Problem>> ListProblems() = 0;
  // Moves the problem file back into the inbox (audited).
  virtual Status Requeue(const std::string& problem_id,
                         const std::string& user) = 0;
  // By Aktenzeichen, AGS or (part of a) name; at most `limit` hits.
  virtual Result<std::vector<SearchHit>> Search(const std::string& query,
                                                size_t limit) = 0;
  virtual Result<std::vector<AuditEntry>> AuditFor(
      const std::string& target) = 0;
  virtual Health CheckHealth() = 0;
  virtual Metrics GetMetrics() = 0;
};

}  // namespace bescheid::review

#endif  // BESCHEID_REVIEW_STATION_H_
