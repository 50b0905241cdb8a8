// Reading back what the register needs from a decision record written by
// WriteDecisionRecord (any format version 1.0 to 1.4).
#ifndef BESCHEID_XML_DECISION_SUMMARY_H_
#define BESCHEID_XML_DECISION_SUMMARY_H_

#include <string>
#include <string_view>

#include "core/register.h"
#include "core/status.h"

namespace bescheid::xml {

// The record's Aktenzeichen, decision date, kind, reason codes, applicant
// (name and AGS), channel (XML for records before 1.3 without Kanal),
// the five amounts of Betraege and the IBAN (1.4; empty before). The
// revision comes from Nachreichung/Fassung (1 without it); print_batch is
// left empty. The record is parsed without network or entity expansion.
// kInvalidInput (English, for the log: records are ours) when it is not a
// well-formed record or lacks one of these elements. Thread-safe.
Result<core::RegisterRow> ReadDecisionSummary(std::string_view record_xml);

}  // namespace bescheid::xml

#endif  // BESCHEID_XML_DECISION_SUMMARY_H_
