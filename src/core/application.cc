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

}  // namespace bescheid::core
