// The deciding authority's own data for letters: all of it comes from
// configuration, so another authority or programme needs no code change.
#ifndef BESCHEID_CORE_AUTHORITY_H_
#define BESCHEID_CORE_AUTHORITY_H_

#include <map>
#include <string>

namespace bescheid::core {

struct Authority {
  std::string name = "Regierungspräsidium Stuttgart";
  std::string unit = "Referat 15.2 – Dienststelle Wertheim";
  std::string street = "Ruppmannstraße 21";
  std::string postcode = "70565";
  std::string city = "Stuttgart";
  std::string contact = "Servicestelle Integrationsmanagement";
  std::string phone = "0711 904-0";
  std::string email = "integrationsmanagement@rps.bwl.de";
  std::string web = "www.rp-stuttgart.de";
  // The short sender line for the window's return-address zone; empty: the
  // long form built from name, street, postcode and city.
  std::string return_address;
  // The clerk named in letters, with a direct line; empty: `contact` and
  // `phone`.
  std::string clerk;
  std::string clerk_phone;
  // The administrative court for actions against a decision, by the
  // Regierungsbezirk digit of the applicant's AGS (third digit: 1 Stuttgart,
  // 2 Karlsruhe, 3 Freiburg, 4 Tübingen), with a default.
  std::map<char, std::string> courts = {
      {'1', "Verwaltungsgericht Stuttgart, Augustenstraße 5, 70178 Stuttgart"},
      {'2',
       "Verwaltungsgericht Karlsruhe, Nördliche Hildapromenade 1, "
       "76133 Karlsruhe"},
      {'3',
       "Verwaltungsgericht Freiburg, Habsburgerstraße 103, 79104 "
       "Freiburg im Breisgau"},
      {'4',
       "Verwaltungsgericht Sigmaringen, Karlstraße 13, 72488 "
       "Sigmaringen"},
  };
  std::string default_court =
      "Verwaltungsgericht Stuttgart, Augustenstraße 5, 70178 Stuttgart";

  // The court for an applicant with AGS `ags`.
  const std::string& CourtFor(const std::string& ags) const {
    if (ags.size() >= 3) {
      auto it = courts.find(ags[2]);
      if (it != courts.end()) return it->second;
    }
    return default_court;
  }

  // The one-line sender shown above the window address.
  std::string ReturnAddress() const {
    if (!return_address.empty()) return return_address;
    return name + " · " + street + " · " + postcode + " " + city;
  }
  const std::string& Clerk() const { return clerk.empty() ? contact : clerk; }
  const std::string& ClerkPhone() const {
    return clerk_phone.empty() ? phone : clerk_phone;
  }
};

}  // namespace bescheid::core

#endif  // BESCHEID_CORE_AUTHORITY_H_
