// The machine-readable decision record (schemas/entscheidung-1.0.xsd) that
// other tools read: one per decided application.
#ifndef BESCHEID_XML_DECISION_RECORD_H_
#define BESCHEID_XML_DECISION_RECORD_H_

#include <optional>
#include <string>

#include "core/application.h"
#include "core/date.h"
#include "core/decision.h"

namespace bescheid::xml {

inline constexpr char kEntscheidungNamespace[] =
    "urn:bescheid:integrationsmanagement:entscheidung:1";

// Format version written. 1.1 adds, for grants, each position's share of
// the granted amount (Stelle/BetragBewilligt); a 1.0 record is a valid 1.1
// record, and the namespace is unchanged.
inline constexpr char kEntscheidungVersion[] = "1.1";

enum class Channel { kXml, kScan };

struct DecisionRecord {
  std::string aktenzeichen;
  core::Date decision_date;
  std::string file_name;  // of the input, without directories
  std::string sha256;     // lower-case hex of the input's bytes
  Channel channel = Channel::kXml;
  core::Date receipt_date;
  bool receipt_date_from_file = false;  // mtime used, not Eingangsdatum
  std::optional<std::string> letter_file;
};

// Serialises the record as indented UTF-8 XML. Pure; thread-safe.
std::string WriteDecisionRecord(const DecisionRecord& record,
                                const core::Application& app,
                                const core::Decision& decision);

}  // namespace bescheid::xml

#endif  // BESCHEID_XML_DECISION_RECORD_H_
