// A Journal for tests that forwards every call to a real one, after asking
// Gate() whether the call may go through; subclasses fail chosen calls (a
// broken store, a crash) by overriding Gate alone.
#ifndef BESCHEID_TESTS_FORWARDING_JOURNAL_H_
#define BESCHEID_TESTS_FORWARDING_JOURNAL_H_

#include <string>
#include <vector>

#include "store/journal.h"

namespace bescheid::testing {

class ForwardingJournal : public store::Journal {
 public:
  // The journal's calls, as Gate() sees them.
  enum class Call {
    kFindInput,
    kBeginAttempt,
    kFinishAttempt,
    kHasDecision,
    kHasOutputs,
    kOpenRequestFor,
    kOpenRequests,
    kLastSequence,
    kDecisionCount,
    kDecisions,
    kGrantsCovering,
    kCommitDecision,
    kCommitDecisions,
    kCommitRejection,
    kOpenReview,
    kCloseReview,
    kOpenReviews,
    kHealth,
    kIntegrityCheck,
    kNextPrintBatchNumber,
    kRecordPrintBatch,
    kMarkPrintBatchSent,
    kFinishPrintBatch,
    kUnfinishedPrintBatches,
    kLetterPrints,
    kReviews,
    kDrafts,
    kDecisionsFor,
    kSearchDecisions,
    kReleaseDrafts,
    kOutcomeCounts,
    kAppendAudit,
    kAuditFor,
  };
  static bool IsWrite(Call c) {
    return c == Call::kBeginAttempt || c == Call::kFinishAttempt ||
           c == Call::kCommitDecision || c == Call::kCommitDecisions ||
           c == Call::kCommitRejection || c == Call::kOpenReview ||
           c == Call::kCloseReview || c == Call::kRecordPrintBatch ||
           c == Call::kMarkPrintBatchSent || c == Call::kFinishPrintBatch ||
           c == Call::kReleaseDrafts || c == Call::kAppendAudit;
  }

  explicit ForwardingJournal(store::Journal* base) : base_(base) {}

  Result<std::optional<store::InputRecord>> FindInput(
      const std::string& s) override {
    if (Status g = Gate(Call::kFindInput); !g.ok()) return g;
    return base_->FindInput(s);
  }
  Result<int> BeginAttempt(const std::string& s,
                           const std::string& f) override {
    if (Status g = Gate(Call::kBeginAttempt); !g.ok()) return g;
    return base_->BeginAttempt(s, f);
  }
  Status FinishAttempt(const std::string& s) override {
    if (Status g = Gate(Call::kFinishAttempt); !g.ok()) return g;
    return base_->FinishAttempt(s);
  }
  Result<bool> HasDecision(const std::string& a) override {
    if (Status g = Gate(Call::kHasDecision); !g.ok()) return g;
    return base_->HasDecision(a);
  }
  Result<bool> HasOutputs(const std::string& d) override {
    if (Status g = Gate(Call::kHasOutputs); !g.ok()) return g;
    return base_->HasOutputs(d);
  }
  Result<std::optional<store::RequestRecord>> OpenRequestFor(
      const std::string& ags) override {
    if (Status g = Gate(Call::kOpenRequestFor); !g.ok()) return g;
    return base_->OpenRequestFor(ags);
  }
  Result<std::vector<store::RequestRecord>> OpenRequests() override {
    if (Status g = Gate(Call::kOpenRequests); !g.ok()) return g;
    return base_->OpenRequests();
  }
  Result<int64_t> LastSequence() override {
    if (Status g = Gate(Call::kLastSequence); !g.ok()) return g;
    return base_->LastSequence();
  }
  Result<int64_t> DecisionCount() override {
    if (Status g = Gate(Call::kDecisionCount); !g.ok()) return g;
    return base_->DecisionCount();
  }
  Result<std::vector<store::DecisionEntry>> Decisions(
      std::optional<core::Date> from, std::optional<core::Date> to) override {
    if (Status g = Gate(Call::kDecisions); !g.ok()) return g;
    return base_->Decisions(from, to);
  }
  Result<std::vector<core::PriorGrant>> GrantsCovering(
      const std::vector<std::string>& ags) override {
    if (Status g = Gate(Call::kGrantsCovering); !g.ok()) return g;
    return base_->GrantsCovering(ags);
  }
  Status CommitDecision(const store::DecisionEntry& e) override {
    if (Status g = Gate(Call::kCommitDecision); !g.ok()) return g;
    return base_->CommitDecision(e);
  }
  std::vector<Status> CommitDecisions(
      const std::vector<store::DecisionEntry>& e) override {
    if (Status g = Gate(Call::kCommitDecisions); !g.ok()) {
      return std::vector<Status>(e.size(), g);
    }
    return base_->CommitDecisions(e);
  }
  Status OpenReview(const store::ReviewRecord& r) override {
    if (Status g = Gate(Call::kOpenReview); !g.ok()) return g;
    return base_->OpenReview(r);
  }
  Status CloseReview(const std::string& id) override {
    if (Status g = Gate(Call::kCloseReview); !g.ok()) return g;
    return base_->CloseReview(id);
  }
  Result<std::vector<store::ReviewRecord>> OpenReviews() override {
    if (Status g = Gate(Call::kOpenReviews); !g.ok()) return g;
    return base_->OpenReviews();
  }
  Status CommitRejection(const std::string& s, const std::string& f,
                         const std::string& r) override {
    if (Status g = Gate(Call::kCommitRejection); !g.ok()) return g;
    return base_->CommitRejection(s, f, r);
  }
  Result<std::vector<store::ReviewInfo>> Reviews() override {
    if (Status g = Gate(Call::kReviews); !g.ok()) return g;
    return base_->Reviews();
  }
  Result<std::vector<store::DecisionSummary>> Drafts() override {
    if (Status g = Gate(Call::kDrafts); !g.ok()) return g;
    return base_->Drafts();
  }
  Result<std::vector<store::DecisionSummary>> DecisionsFor(
      const std::string& a) override {
    if (Status g = Gate(Call::kDecisionsFor); !g.ok()) return g;
    return base_->DecisionsFor(a);
  }
  Result<std::vector<store::DecisionSummary>> SearchDecisions(
      const std::string& t, size_t limit) override {
    if (Status g = Gate(Call::kSearchDecisions); !g.ok()) return g;
    return base_->SearchDecisions(t, limit);
  }
  Status ReleaseDrafts(const std::vector<std::string>& d, const std::string& u,
                       const std::vector<store::AuditRecord>& a) override {
    if (Status g = Gate(Call::kReleaseDrafts); !g.ok()) return g;
    return base_->ReleaseDrafts(d, u, a);
  }
  Result<std::vector<store::OutcomeCount>> OutcomeCounts(int days) override {
    if (Status g = Gate(Call::kOutcomeCounts); !g.ok()) return g;
    return base_->OutcomeCounts(days);
  }
  Status AppendAudit(const std::vector<store::AuditRecord>& a) override {
    if (Status g = Gate(Call::kAppendAudit); !g.ok()) return g;
    return base_->AppendAudit(a);
  }
  Result<std::vector<store::AuditRecord>> AuditFor(
      const std::string& t) override {
    if (Status g = Gate(Call::kAuditFor); !g.ok()) return g;
    return base_->AuditFor(t);
  }
  Status Health() override {
    if (Status g = Gate(Call::kHealth); !g.ok()) return g;
    return base_->Health();
  }
  Status IntegrityCheck() override {
    if (Status g = Gate(Call::kIntegrityCheck); !g.ok()) return g;
    return base_->IntegrityCheck();
  }
  Result<int> NextPrintBatchNumber(const core::Date& d) override {
    if (Status g = Gate(Call::kNextPrintBatchNumber); !g.ok()) return g;
    return base_->NextPrintBatchNumber(d);
  }
  Result<int64_t> RecordPrintBatch(const store::PrintBatchRecord& b) override {
    if (Status g = Gate(Call::kRecordPrintBatch); !g.ok()) return g;
    return base_->RecordPrintBatch(b);
  }
  Status MarkPrintBatchSent(int64_t id, int job_id) override {
    if (Status g = Gate(Call::kMarkPrintBatchSent); !g.ok()) return g;
    return base_->MarkPrintBatchSent(id, job_id);
  }
  Status FinishPrintBatch(int64_t id, store::PrintBatchState s) override {
    if (Status g = Gate(Call::kFinishPrintBatch); !g.ok()) return g;
    return base_->FinishPrintBatch(id, s);
  }
  Result<std::vector<store::PrintBatchRecord>> UnfinishedPrintBatches()
      override {
    if (Status g = Gate(Call::kUnfinishedPrintBatches); !g.ok()) return g;
    return base_->UnfinishedPrintBatches();
  }
  Result<std::vector<store::LetterPrint>> LetterPrints() override {
    if (Status g = Gate(Call::kLetterPrints); !g.ok()) return g;
    return base_->LetterPrints();
  }

 protected:
  // OK lets `call` through to the real journal; anything else is returned
  // instead. May be called from several threads at once.
  virtual Status Gate(Call call) = 0;

 private:
  store::Journal* base_;
};

}  // namespace bescheid::testing

#endif  // BESCHEID_TESTS_FORWARDING_JOURNAL_H_
