// The receipt date of an application (Eingangsdatum): for portal XML the
// date the application states, for scans the mailroom's date at the start
// of the file name, else the file's modification date. The decision record
// says which source gave it. Pure.
#ifndef BESCHEID_CORE_RECEIPT_H_
#define BESCHEID_CORE_RECEIPT_H_

#include <optional>
#include <string_view>

#include "core/date.h"

namespace bescheid::core {

enum class ReceiptDateSource {
  kFileName,          // "2017-08-14_..." set by the mailroom
  kModificationTime,  // the scan's file, in the service's time zone
  kApplication,       // stated in the application (portal XML)
};

// The record's token for `source`: "dateiname", "aenderungszeit", "antrag".
std::string_view ToString(ReceiptDateSource source);

struct ReceiptDate {
  Date date;
  ReceiptDateSource source = ReceiptDateSource::kFileName;
};

// The date a file name starts with in the mailroom's convention: exactly
// "YYYY-MM-DD_" at the start of the last path component, a real calendar
// date (2018-02-30 is none). nullopt otherwise.
std::optional<Date> ReceiptDateFromFileName(std::string_view name);

// A scan's receipt date: from its name if it carries one, else
// `modification_date` (the file's mtime as a local date).
ReceiptDate ScanReceiptDate(std::string_view name, Date modification_date);

}  // namespace bescheid::core

#endif  // BESCHEID_CORE_RECEIPT_H_
