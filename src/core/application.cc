#include "core/application.h"

namespace bescheid::core {

const char* ToString(ApplicantKind k) {
  switch (k) {
    case ApplicantKind::kGemeinde:
      return "Gemeinde";
    case ApplicantKind::kStadtkreis:
      return "Stadtkreis";
    case ApplicantKind::kLandkreis:
      return "Landkreis";
  }
  return "";
}

std::optional<ApplicantKind> ParseApplicantKind(const std::string& s) {
  if (s == "Gemeinde") return ApplicantKind::kGemeinde;
  if (s == "Stadtkreis") return ApplicantKind::kStadtkreis;
  if (s == "Landkreis") return ApplicantKind::kLandkreis;
  return std::nullopt;
}

const char* ToString(Qualification q) {
  switch (q) {
    case Qualification::kA:
      return "A";
    case Qualification::kB:
      return "B";
    case Qualification::kC:
      return "C";
  }
  return "";
}

std::optional<Qualification> ParseQualification(const std::string& s) {
  if (s == "A") return Qualification::kA;
  if (s == "B") return Qualification::kB;
  if (s == "C") return Qualification::kC;
  return std::nullopt;
}

const char* DescribeQualification(Qualification q) {
  switch (q) {
    case Qualification::kA:
      return "Bachelor in einem Studiengang der Sozialen Arbeit";
    case Qualification::kB:
      return "anderer geeigneter Hochschulabschluss";
    case Qualification::kC:
      return "mittlerer Bildungsabschluss mit Berufsausbildung und "
             "einschlägiger Erfahrung";
  }
  return "";
}

std::string NameOf(const Application& app, const std::string& ags) {
  if (ags == app.ags) return app.name;
  for (const Member& m : app.members) {
    if (m.ags == ags) return m.name;
  }
  return ags;
}

namespace {

enum class Gender { kFeminine, kMasculine, kUnknown };

// The grammatical gender of a municipality's name, from its first word;
// kUnknown for a bare place name ("Eriskirch").
Gender GenderOf(const std::string& name) {
  static const char* const kFeminine[] = {
      "Gemeinde", "Stadt",      "Landeshauptstadt",       "Universitätsstadt",
      "Große",    "Kreisstadt", "Verwaltungsgemeinschaft"};
  static const char* const kMasculine[] = {"Landkreis", "Stadtkreis",
                                           "Gemeindeverwaltungsverband",
                                           "Zweckverband", "Markt"};
  const std::string first = name.substr(0, name.find(' '));
  for (const char* w : kFeminine) {
    if (first == w) return Gender::kFeminine;
  }
  for (const char* w : kMasculine) {
    if (first == w) return Gender::kMasculine;
  }
  return Gender::kUnknown;
}

}  // namespace

std::string DativeWithArticle(const std::string& name) {
  switch (GenderOf(name)) {
    case Gender::kFeminine:
      // The adjective is declined too: "der Großen Kreisstadt Singen".
      if (name.rfind("Große ", 0) == 0) return "der Großen " + name.substr(7);
      return "der " + name;
    case Gender::kMasculine:
      return "dem " + name;
    case Gender::kUnknown:
      break;
  }
  return "der Gemeinde " + name;
}

std::string NominativeWithArticle(const std::string& name) {
  switch (GenderOf(name)) {
    case Gender::kFeminine:
      return "die " + name;
    case Gender::kMasculine:
      return "der " + name;
    case Gender::kUnknown:
      break;
  }
  return "die Gemeinde " + name;
}

std::string AccusativeWithArticle(const std::string& name) {
  if (GenderOf(name) == Gender::kMasculine) return "den " + name;
  return NominativeWithArticle(name);
}

}  // namespace bescheid::core
