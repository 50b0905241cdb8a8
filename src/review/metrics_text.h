// The station's /metrics page: review::Metrics in the Prometheus text
// exposition format (version 0.0.4), every name prefixed bescheid_. Pure.
#ifndef BESCHEID_REVIEW_METRICS_TEXT_H_
#define BESCHEID_REVIEW_METRICS_TEXT_H_

#include <string>

#include "review/station.h"

namespace bescheid::review {

// Families: bescheid_files_total{outcome} (counter),
// bescheid_processing_seconds and bescheid_ocr_confidence (histograms),
// bescheid_queue_files{queue} (gauge: inbox, processing, review,
// awaiting_release), bescheid_letters_released_total (counter).
std::string PrometheusText(const Metrics& m);

}  // namespace bescheid::review

#endif  // BESCHEID_REVIEW_METRICS_TEXT_H_
