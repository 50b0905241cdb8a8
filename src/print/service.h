// Printing by the running service (print.mode): a thread that, every few
// seconds, finishes batches earlier runs left (Printer::Resume) and starts
// a new batch when one is due: once a day from print.batch-time (batch), or
// whenever released letters wait (immediate). Jobs are not waited for: a
// sent batch's outcome is asked for at the next tick.
//
// Thread-safe: Start/Stop from one thread; Tick runs on the service's own
// thread (or a test's). The journal must be thread-safe (store::Journal is).
#ifndef BESCHEID_PRINT_SERVICE_H_
#define BESCHEID_PRINT_SERVICE_H_

#include <condition_variable>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <thread>

#include "core/date.h"
#include "core/programme.h"
#include "env/env.h"
#include "letters/pdf_writer.h"
#include "print/printer.h"
#include "print/queue.h"
#include "store/journal.h"

namespace bescheid::print {

enum class PrintMode { kOff, kBatch, kImmediate };

// "off", "batch", "immediate" (config print.mode); nullopt otherwise.
std::optional<PrintMode> ParsePrintMode(const std::string& text);

// Whether a new batch is due at `minute_of_day` (local, 0..1439) of
// `today`, given the day a batch run last ended without error (nullopt:
// never). Batch: once a day, from `batch_minute` on (a service started
// later that day still prints it). Immediate: always. Off: never. Pure.
bool NewBatchDue(PrintMode mode, int batch_minute, const core::Date& today,
                 int minute_of_day,
                 const std::optional<core::Date>& last_batch_day);

struct ServiceOptions {
  PrintMode mode = PrintMode::kOff;
  int batch_minute = 16 * 60;
  std::string watch_root;
  std::string queue;
  int tick_seconds = 10;
};

class PrintService {
 public:
  using QueueFactory = std::function<Result<std::unique_ptr<PrintQueue>>()>;
  // A line for the log: `error` true for failures (each distinct failure is
  // logged once until a run succeeds).
  using Log = std::function<void(bool error, const std::string& line)>;

  // Every pointer must outlive the service. `connect` is called per tick
  // that has work, so a restarted CUPS server is found again.
  PrintService(Env* env, store::Journal* journal,
               std::unique_ptr<letters::PdfWriter> writer,
               const core::ReferenceTable* reference, QueueFactory connect,
               Log log, ServiceOptions options);
  ~PrintService();  // stops the thread
  PrintService(const PrintService&) = delete;
  PrintService& operator=(const PrintService&) = delete;

  // Starts the thread (ticks every options.tick_seconds, local time).
  void Start();
  // Ends the thread after the tick in progress, if any. Idempotent.
  void Stop();

  // One tick at `minute_of_day` of `today`: resumes what is unfinished and
  // prints a new batch if one is due.
  void Tick(const core::Date& today, int minute_of_day);

 private:
  void Run();
  void Report(const Status& s, const PrintReport& report);

  Env* env_;
  store::Journal* journal_;
  std::unique_ptr<letters::PdfWriter> writer_;
  const core::ReferenceTable* reference_;
  QueueFactory connect_;
  Log log_;
  ServiceOptions options_;
  std::optional<core::Date> last_batch_day_;
  std::string last_error_;
  std::mutex mu_;
  std::condition_variable wake_;
  bool stop_ = false;
  std::thread thread_;
};

}  // namespace bescheid::print

#endif  // BESCHEID_PRINT_SERVICE_H_
