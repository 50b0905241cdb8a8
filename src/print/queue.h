// The printer queue a batch goes to: a CUPS queue through libcups, or a
// fake in tests. Implementations need not be thread-safe (one per run).
#ifndef BESCHEID_PRINT_QUEUE_H_
#define BESCHEID_PRINT_QUEUE_H_

#include <memory>
#include <string>

#include "core/status.h"

namespace bescheid::print {

// A job's standing as the print server reports it.
enum class JobState {
  kPending,    // waiting, held, printing or stopped: no outcome yet
  kCompleted,  // printed
  kAborted,    // failed on the server
  kCanceled,   // cancelled by someone
  kUnknown,    // the server no longer knows the job
};

class PrintQueue {
 public:
  virtual ~PrintQueue() = default;

  // OK if the queue `queue` exists, accepts jobs and is not stopped.
  // Otherwise a German message saying what is wrong and what to do:
  // kNotFound for a queue that does not exist, kIo for one that is stopped
  // or refuses jobs, or a server that does not answer.
  virtual Status CheckReady(const std::string& queue) = 0;

  // Sends the file `path` to `queue` as one job titled `title`, printed on
  // both sides of the sheet (sides=two-sided-long-edge); returns the job id
  // (> 0). kIo (German) when the queue does not take it.
  virtual Result<int> Submit(const std::string& queue, const std::string& path,
                             const std::string& title) = 0;

  // The state of job `job_id` of `queue` now. kIo (German) when the server
  // cannot be asked.
  virtual Result<JobState> State(const std::string& queue, int job_id) = 0;
};

// The CUPS server the environment names (CUPS_SERVER, else client.conf,
// else the local scheduler: cupsServer() and ippPort()), connected once.
// kIo (German) when it cannot be reached.
Result<std::unique_ptr<PrintQueue>> ConnectCups();

}  // namespace bescheid::print

#endif  // BESCHEID_PRINT_QUEUE_H_
