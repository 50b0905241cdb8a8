// Identifiers of the programme: IBAN (ISO 13616) and AGS (Amtlicher
// Gemeindeschlüssel).
#ifndef BESCHEID_CORE_IDENTIFIERS_H_
#define BESCHEID_CORE_IDENTIFIERS_H_

#include <string>
#include <string_view>

namespace bescheid::core {

// True if `iban` (no spaces, upper case) has a valid structure and passes
// the ISO 13616 mod-97 check. German IBANs must also have 22 characters.
bool IsValidIban(std::string_view iban);

// True for an 8-digit AGS of Baden-Württemberg ("08" + 6 digits).
bool IsValidAgs(std::string_view ags);

}  // namespace bescheid::core

#endif  // BESCHEID_CORE_IDENTIFIERS_H_
