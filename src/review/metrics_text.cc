#include "review/metrics_text.h"

#include <cmath>
#include <cstdio>
#include <cstdlib>

namespace bescheid::review {
namespace {

// The shortest decimal text that reads back as `v`; "+Inf", "-Inf", "NaN"
// as Prometheus spells them.
std::string Number(double v) {
  if (std::isnan(v)) return "NaN";
  if (std::isinf(v)) return v > 0 ? "+Inf" : "-Inf";
  char buf[40];
  for (int precision = 6; precision <= 17; ++precision) {
    std::snprintf(buf, sizeof buf, "%.*g", precision, v);
    if (std::strtod(buf, nullptr) == v) break;
  }
  return buf;
}

// A label value with \, " and newline escaped.
std::string LabelValue(const std::string& s) {
  std::string out;
  for (char c : s) {
    if (c == '\\' || c == '"') {
      out += '\\';
      out += c;
    } else if (c == '\n') {
      out += "\\n";
    } else {
      out += c;
    }
  }
  return out;
}

void Header(std::string& out, const std::string& name, const char* type,
            const char* help) {
  out += "# HELP " + name + " " + help + "\n# TYPE " + name + " " + type + "\n";
}

void HistogramText(std::string& out, const std::string& name, const char* help,
                   const Histogram& h) {
  Header(out, name, "histogram", help);
  for (size_t i = 0; i < h.upper_bounds.size(); ++i) {
    const uint64_t count = i < h.counts.size() ? h.counts[i] : h.count;
    out += name + "_bucket{le=\"" + Number(h.upper_bounds[i]) + "\"} " +
           std::to_string(count) + "\n";
  }
  out += name + "_bucket{le=\"+Inf\"} " + std::to_string(h.count) + "\n";
  out += name + "_sum " + Number(h.sum) + "\n";
  out += name + "_count " + std::to_string(h.count) + "\n";
}

}  // namespace

std::string PrometheusText(const Metrics& m) {
  std::string out;
  Header(out, "bescheid_files_total", "counter",
         "Files finished since the service started, by outcome.");
  for (const auto& [outcome, n] : m.files_by_outcome) {
    out += "bescheid_files_total{outcome=\"" + LabelValue(outcome) + "\"} " +
           std::to_string(n) + "\n";
  }
  HistogramText(out, "bescheid_processing_seconds",
                "Time from taking a file to its outcome, in seconds.",
                m.processing_seconds);
  HistogramText(out, "bescheid_ocr_confidence",
                "Confidence (0 to 1) of each field read from a scan.",
                m.ocr_confidence);
  Header(out, "bescheid_queue_files", "gauge",
         "Files waiting, by queue (awaiting_release: drafts).");
  const std::pair<const char*, int64_t> queues[] = {
      {"inbox", m.inbox},
      {"processing", m.processing},
      {"review", m.review},
      {"awaiting_release", m.awaiting_release}};
  for (const auto& [queue, n] : queues) {
    out += "bescheid_queue_files{queue=\"" + std::string(queue) + "\"} " +
           std::to_string(n) + "\n";
  }
  Header(out, "bescheid_letters_released_total", "counter",
         "Letters released (Schlusszeichnung) since the service started.");
  out += "bescheid_letters_released_total " +
         std::to_string(m.letters_released) + "\n";
  return out;
}

}  // namespace bescheid::review
