#include "core/identifiers.h"

#include <cctype>

namespace bescheid::core {

bool IsValidIban(std::string_view iban) {
  if (iban.size() < 15 || iban.size() > 34) return false;
  for (size_t i = 0; i < iban.size(); ++i) {
    const unsigned char c = static_cast<unsigned char>(iban[i]);
    const bool letter = c >= 'A' && c <= 'Z';
    const bool digit = std::isdigit(c) != 0;
    if (i < 2 ? !letter : (i < 4 ? !digit : !(letter || digit))) return false;
  }
  if (iban.substr(0, 2) == "DE" && iban.size() != 22) return false;
  // Move the first four characters to the end, read letters as 10..35, and
  // take the whole number mod 97 digit by digit.
  int remainder = 0;
  for (size_t k = 0; k < iban.size(); ++k) {
    const char c = iban[(k + 4) % iban.size()];
    if (c >= 'A' && c <= 'Z') {
      const int v = c - 'A' + 10;
      remainder = (remainder * 100 + v) % 97;
    } else {
      remainder = (remainder * 10 + (c - '0')) % 97;
    }
  }
  return remainder == 1;
}

bool IsValidAgs(std::string_view ags) {
  if (ags.size() != 8 || ags.substr(0, 2) != "08") return false;
  for (char c : ags) {
    if (!std::isdigit(static_cast<unsigned char>(c))) return false;
  }
  return true;
}

}  // namespace bescheid::core
