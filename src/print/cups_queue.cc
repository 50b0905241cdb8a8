// PrintQueue on libcups: IPP requests on one http_t connection.
#include <cups/cups.h>

#include <memory>
#include <string>

#include "print/queue.h"

namespace bescheid::print {
namespace {

struct HttpClose {
  void operator()(http_t* h) const { httpClose(h); }
};
using HttpPtr = std::unique_ptr<http_t, HttpClose>;

struct IppDelete {
  void operator()(ipp_t* i) const { ippDelete(i); }
};
using IppPtr = std::unique_ptr<ipp_t, IppDelete>;

// Owns the job list cupsGetJobs2 returns.
class Jobs {
 public:
  Jobs() = default;
  ~Jobs() { cupsFreeJobs(count_, jobs_); }
  Jobs(const Jobs&) = delete;
  Jobs& operator=(const Jobs&) = delete;
  cups_job_t** out() { return &jobs_; }
  void set_count(int n) { count_ = n < 0 ? 0 : n; }
  const cups_job_t* Find(int id) const {
    for (int i = 0; i < count_; ++i) {
      if (jobs_[i].id == id) return &jobs_[i];
    }
    return nullptr;
  }

 private:
  cups_job_t* jobs_ = nullptr;
  int count_ = 0;
};

JobState FromIpp(ipp_jstate_t state) {
  switch (state) {
    case IPP_JSTATE_COMPLETED:
      return JobState::kCompleted;
    case IPP_JSTATE_ABORTED:
      return JobState::kAborted;
    case IPP_JSTATE_CANCELED:
      return JobState::kCanceled;
    default:
      return JobState::kPending;
  }
}

class CupsQueue final : public PrintQueue {
 public:
  CupsQueue(HttpPtr http, std::string server)
      : http_(std::move(http)), server_(std::move(server)) {}

  Status CheckReady(const std::string& queue) override {
    IppPtr response = PrinterAttributes(queue);
    const ipp_status_t status = cupsLastError();
    if (status == IPP_STATUS_ERROR_NOT_FOUND) {
      return Status(StatusCode::kNotFound,
                    "Die Druckerwarteschlange '" + queue +
                        "' gibt es auf dem CUPS-Server " + server_ +
                        " nicht. Bitte print.queue oder --queue prüfen "
                        "oder die Warteschlange einrichten (lpadmin).");
    }
    if (!response || status > IPP_STATUS_OK_EVENTS_COMPLETE) {
      return Unreachable();
    }
    ipp_attribute_t* state =
        ippFindAttribute(response.get(), "printer-state", IPP_TAG_ENUM);
    if (state != nullptr && ippGetInteger(state, 0) == IPP_PSTATE_STOPPED) {
      return IoError("Die Druckerwarteschlange '" + queue +
                     "' ist angehalten. Bitte den Drucker prüfen und die "
                     "Warteschlange freigeben (cupsenable " +
                     queue + "), dann erneut drucken.");
    }
    ipp_attribute_t* accepting = ippFindAttribute(
        response.get(), "printer-is-accepting-jobs", IPP_TAG_BOOLEAN);
    if (accepting != nullptr && !ippGetBoolean(accepting, 0)) {
      return IoError("Die Druckerwarteschlange '" + queue +
                     "' nimmt keine Aufträge an. Bitte freigeben "
                     "(cupsaccept " +
                     queue + "), dann erneut drucken.");
    }
    return Status();
  }

  Result<int> Submit(const std::string& queue, const std::string& path,
                     const std::string& title) override {
    cups_option_t* options = nullptr;
    int count = cupsAddOption("sides", "two-sided-long-edge", 0, &options);
    const int job = cupsPrintFile2(http_.get(), queue.c_str(), path.c_str(),
                                   title.c_str(), count, options);
    cupsFreeOptions(count, options);
    if (job <= 0) {
      return IoError("Die Druckerwarteschlange '" + queue +
                     "' hat den Druckstapel nicht angenommen (" + LastError() +
                     "). Die Schreiben gelten als nicht "
                     "gedruckt.");
    }
    return job;
  }

  Result<JobState> State(const std::string& queue, int job_id) override {
    Jobs jobs;
    jobs.set_count(cupsGetJobs2(http_.get(), jobs.out(), queue.c_str(), 0,
                                CUPS_WHICHJOBS_ALL));
    if (cupsLastError() > IPP_STATUS_OK_EVENTS_COMPLETE &&
        cupsLastError() != IPP_STATUS_ERROR_NOT_FOUND) {
      return Unreachable();
    }
    const cups_job_t* job = jobs.Find(job_id);
    if (job == nullptr) return JobState::kUnknown;
    return FromIpp(job->state);
  }

 private:
  IppPtr PrinterAttributes(const std::string& queue) {
    char uri[HTTP_MAX_URI];
    httpAssembleURIf(HTTP_URI_CODING_ALL, uri, sizeof uri, "ipp", nullptr,
                     "localhost", ippPort(), "/printers/%s", queue.c_str());
    ipp_t* request = ippNewRequest(IPP_OP_GET_PRINTER_ATTRIBUTES);
    ippAddString(request, IPP_TAG_OPERATION, IPP_TAG_URI, "printer-uri",
                 nullptr, uri);
    static const char* const kWanted[] = {"printer-state",
                                          "printer-is-accepting-jobs"};
    ippAddStrings(request, IPP_TAG_OPERATION, IPP_TAG_KEYWORD,
                  "requested-attributes", 2, nullptr, kWanted);
    return IppPtr(cupsDoRequest(http_.get(), request, "/"));  // frees request
  }

  static std::string LastError() {
    const char* text = cupsLastErrorString();
    return text != nullptr ? text : "ohne Angabe";
  }

  Status Unreachable() const {
    return IoError("Der CUPS-Server " + server_ + " antwortet nicht (" +
                   LastError() +
                   "). Bitte prüfen, ob CUPS läuft (systemctl status "
                   "cups) und CUPS_SERVER stimmt.");
  }

  HttpPtr http_;
  std::string server_;
};

}  // namespace

Result<std::unique_ptr<PrintQueue>> ConnectCups() {
  const std::string host = cupsServer();
  const int port = ippPort();
  const std::string server =
      host.empty() || host[0] == '/' ? host : host + ":" + std::to_string(port);
  HttpPtr http(httpConnect2(host.c_str(), port, nullptr, AF_UNSPEC,
                            cupsEncryption(), 1, 30000, nullptr));
  if (!http) {
    return IoError("Der CUPS-Server " + server +
                   " ist nicht erreichbar. Bitte prüfen, ob CUPS läuft "
                   "(systemctl status cups) und CUPS_SERVER stimmt.");
  }
  return std::unique_ptr<PrintQueue>(
      std::make_unique<CupsQueue>(std::move(http), server));
}

}  // namespace bescheid::print
