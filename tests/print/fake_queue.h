// A PrintQueue for tests: queues by name, stoppable, and jobs that end as
// the test says; keeps a copy of every file submitted.
#ifndef BESCHEID_TESTS_PRINT_FAKE_QUEUE_H_
#define BESCHEID_TESTS_PRINT_FAKE_QUEUE_H_

#include <set>
#include <string>
#include <vector>

#include "print/queue.h"
#include "test_util.h"

namespace bescheid::print {

class FakeQueue final : public PrintQueue {
 public:
  struct Job {
    std::string queue, title, pdf;
  };

  Status CheckReady(const std::string& queue) override {
    ++checks;
    if (queues.count(queue) == 0) {
      return Status(StatusCode::kNotFound, "Warteschlange fehlt: " + queue);
    }
    if (stopped) return IoError("Warteschlange angehalten: " + queue);
    return Status();
  }

  Result<int> Submit(const std::string& queue, const std::string& path,
                     const std::string& title) override {
    if (refuse_jobs) return IoError("Auftrag abgelehnt");
    jobs.push_back({queue, title, bescheid::testing::ReadFileOrDie(path)});
    return static_cast<int>(jobs.size()) + 100;
  }

  Result<JobState> State(const std::string&, int job_id) override {
    ++polls;
    if (job_id <= 100 || job_id > 100 + static_cast<int>(jobs.size())) {
      return JobState::kUnknown;
    }
    return outcome;
  }

  std::set<std::string> queues = {"poststelle"};
  bool stopped = false;
  bool refuse_jobs = false;
  JobState outcome = JobState::kCompleted;  // of every job, when asked
  std::vector<Job> jobs;
  int checks = 0, polls = 0;
};

}  // namespace bescheid::print

#endif  // BESCHEID_TESTS_PRINT_FAKE_QUEUE_H_
