// The machine-readable decision record (schemas/entscheidung-1.0.xsd) that
// other tools read: one per decided application.
#ifndef BESCHEID_XML_DECISION_RECORD_H_
#define BESCHEID_XML_DECISION_RECORD_H_

#include <optional>
#include <string>
#include <vector>

#include "core/application.h"
#include "core/date.h"
#include "core/decision.h"
#include "core/receipt.h"

namespace bescheid::xml {

inline constexpr char kEntscheidungNamespace[] =
    "urn:bescheid:integrationsmanagement:entscheidung:1";

// Format version written. 1.1 adds, for grants, each position's share of
// the granted amount (Stelle/BetragBewilligt); 1.2 adds Nachreichung (the
// request a completed application answers) and Abschrift (the copies for
// the members of a joint application). Earlier records are valid later
// ones, and the namespace is unchanged. 1.3 adds the reason code
// UNTERSCHRIFT_FEHLT and the receipt date source "Dateiname". 1.4 adds the
// applicant's IBAN (the account the letter names), for the register, and
// the postcode the letter is addressed to, for sorting print batches.
inline constexpr char kEntscheidungVersion[] = "1.4";

enum class Channel { kXml, kScan };

// The request for missing documents that the decided application answers.
struct AnsweredRequest {
  core::Date request_date;
  core::Date deadline;
  int revision = 2;  // of this decision under the Aktenzeichen
};

// A copy of the letter for a member municipality.
struct CopyFile {
  std::string ags;
  std::string file;  // without directories
};

struct DecisionRecord {
  std::string aktenzeichen;
  core::Date decision_date;
  std::string file_name;  // of the input, without directories
  std::string sha256;     // lower-case hex of the input's bytes
  Channel channel = Channel::kXml;
  core::Date receipt_date;
  // Written as Eingangsdatum/@quelle: "Antrag", "Dateiname" (1.3) or
  // "Dateidatum" (the file's modification time).
  core::ReceiptDateSource receipt_source =
      core::ReceiptDateSource::kApplication;
  std::optional<std::string> letter_file;
  std::optional<AnsweredRequest> answers;
  std::vector<CopyFile> copies;
};

// Serialises the record as indented UTF-8 XML. Pure; thread-safe.
std::string WriteDecisionRecord(const DecisionRecord& record,
                                const core::Application& app,
                                const core::Decision& decision);

}  // namespace bescheid::xml

#endif  // BESCHEID_XML_DECISION_RECORD_H_
