#include "print/service.h"

#include <time.h>

#include <chrono>

namespace bescheid::print {

std::optional<PrintMode> ParsePrintMode(const std::string& text) {
  if (text == "off") return PrintMode::kOff;
  if (text == "batch") return PrintMode::kBatch;
  if (text == "immediate") return PrintMode::kImmediate;
  return std::nullopt;
}

bool NewBatchDue(PrintMode mode, int batch_minute, const core::Date& today,
                 int minute_of_day,
                 const std::optional<core::Date>& last_batch_day) {
  switch (mode) {
    case PrintMode::kOff:
      return false;
    case PrintMode::kImmediate:
      return true;
    case PrintMode::kBatch:
      return minute_of_day >= batch_minute &&
             (!last_batch_day || *last_batch_day < today);
  }
  return false;
}

PrintService::PrintService(Env* env, store::Journal* journal,
                           std::unique_ptr<letters::PdfWriter> writer,
                           const core::ReferenceTable* reference,
                           QueueFactory connect, Log log,
                           ServiceOptions options)
    : env_(env),
      journal_(journal),
      writer_(std::move(writer)),
      reference_(reference),
      connect_(std::move(connect)),
      log_(std::move(log)),
      options_(std::move(options)) {}

PrintService::~PrintService() { Stop(); }

void PrintService::Start() {
  if (options_.mode == PrintMode::kOff || thread_.joinable()) return;
  thread_ = std::thread([this] { Run(); });
}

void PrintService::Stop() {
  {
    std::lock_guard<std::mutex> lock(mu_);
    stop_ = true;
  }
  wake_.notify_all();
  if (thread_.joinable()) thread_.join();
}

void PrintService::Run() {
  std::unique_lock<std::mutex> lock(mu_);
  while (!stop_) {
    lock.unlock();
    const time_t now = static_cast<time_t>(env_->NowUnix());
    struct tm local {};
    localtime_r(&now, &local);
    Tick(LocalDate(now), local.tm_hour * 60 + local.tm_min);
    lock.lock();
    wake_.wait_for(lock, std::chrono::seconds(options_.tick_seconds),
                   [this] { return stop_; });
  }
}

void PrintService::Tick(const core::Date& today, int minute_of_day) {
  Result<std::vector<store::PrintBatchRecord>> open =
      journal_->UnfinishedPrintBatches();
  const bool due = NewBatchDue(options_.mode, options_.batch_minute, today,
                               minute_of_day, last_batch_day_);
  if (open.ok() && open->empty() && !due) return;
  PrintReport report;
  Status s = open.status();
  std::unique_ptr<PrintQueue> queue;
  if (s.ok()) {
    Result<std::unique_ptr<PrintQueue>> connected = connect_();
    s = connected.status();
    if (s.ok()) queue = std::move(connected).value();
  }
  PrintOptions options;
  options.watch_root = options_.watch_root;
  options.queue = options_.queue;
  options.today = today;
  options.timestamp = DocumentTime(env_);
  options.wait_seconds = 0;  // asked again at the next tick
  Printer printer(env_, journal_, queue.get(), writer_.get(), reference_);
  if (s.ok()) s = printer.Resume(options, report);
  if (s.ok() && due) {
    s = printer.PrintNew(options, report);
    if (s.ok()) last_batch_day_ = today;
  }
  Report(s, report);
}

void PrintService::Report(const Status& s, const PrintReport& report) {
  for (const std::string& line : report.lines) {
    if (line.rfind("Keine ", 0) != 0) log_(false, "print: " + line);
  }
  if (s.ok()) {
    last_error_.clear();
    return;
  }
  if (s.message() == last_error_) return;
  last_error_ = s.message();
  log_(true, "print: " + s.message());
}

}  // namespace bescheid::print
