// An application for funding ("Förderantrag") as read from any channel
// (portal XML or scanned form). Plain data; validated structurally by the
// channel's reader, decided by core/decision.h.
#ifndef BESCHEID_CORE_APPLICATION_H_
#define BESCHEID_CORE_APPLICATION_H_

#include <optional>
#include <string>
#include <vector>

#include "core/date.h"

namespace bescheid::core {

enum class ApplicantKind { kGemeinde, kStadtkreis, kLandkreis };
enum class Qualification { kA, kB, kC };

// "Gemeinde", "Stadtkreis", "Landkreis" and back.
const char* ToString(ApplicantKind k);
std::optional<ApplicantKind> ParseApplicantKind(const std::string& s);
// "A", "B", "C" and back.
const char* ToString(Qualification q);
std::optional<Qualification> ParseQualification(const std::string& s);
// The German description used in letters ("Bachelor Soziale Arbeit", ...).
const char* DescribeQualification(Qualification q);

struct Address {
  std::string recipient;  // Empfaenger
  std::string street;
  std::string postcode;
  std::string city;
};

struct ContactPerson {
  std::string name;
  std::string phone;
  std::string email;
};

struct Member {
  std::string ags;
  std::string name;
};

struct BankAccount {
  std::string holder;
  std::string iban;
  std::optional<std::string> bic;
};

struct Position {
  std::string person;
  Qualification qualification = Qualification::kA;
  int fte_hundredths = 100;  // VZÄ 0.25 .. 1.00 as 25 .. 100
  YearMonth start;
  int months = 24;
  std::optional<std::string> provider;  // Träger
  bool proof_attached = false;          // NachweisBeigefuegt
};

struct Declarations {
  bool complete_and_correct = false;  // AngabenVollstaendigRichtig
  bool no_double_funding = false;     // KeineDoppelfoerderung
  bool accepts_anbest_k = false;      // ANBestKAnerkannt
};

struct Signature {
  std::string place;
  Date date;
  std::string name;
  std::string function;
};

// How an application was signed. The portal signs what it exports
// electronically; a scanned paper form carries a handwritten signature or
// none, as the scan reader saw it.
enum class SignatureKind { kElectronic, kHandwritten, kMissing };

struct Application {
  std::string programme;
  std::optional<Date> receipt_date;  // Eingangsdatum, if stamped
  ApplicantKind kind = ApplicantKind::kGemeinde;
  std::string name;
  std::string ags;
  Address address;
  ContactPerson contact;
  std::vector<Member> members;  // non-empty for a joint application
  BankAccount bank;
  std::vector<Position> positions;
  Declarations declarations;
  Signature signature;
  // kMissing: the form was not signed (a NACHFORDERUNG, UNTERSCHRIFT_FEHLT).
  SignatureKind signed_by = SignatureKind::kElectronic;
};

// `name` of a municipality in the dative with its article, for sentences
// such as "bewilligt ... der Gemeinde Kressbronn": "der Stadt Tettnang",
// "dem Landkreis Konstanz"; a bare place name becomes "der Gemeinde X".
std::string DativeWithArticle(const std::string& name);

// `name` in the nominative with its article, for sentences such as
// "die Gemeinde Kressbronn vertritt ...": "die Stadt Tettnang", "der
// Landkreis Konstanz"; a bare place name becomes "die Gemeinde X". The
// article is lower case; capitalise it at the start of a sentence.
std::string NominativeWithArticle(const std::string& name);

// `name` in the accusative with its article, for "nachrichtlich an die
// Gemeinde Eriskirch", "an den Landkreis Konstanz"; a bare place name
// becomes "die Gemeinde X".
std::string AccusativeWithArticle(const std::string& name);

// The name the application gives the municipality `ags` (the applicant's or
// a member's); `ags` itself if it names neither.
std::string NameOf(const Application& app, const std::string& ags);

}  // namespace bescheid::core

#endif  // BESCHEID_CORE_APPLICATION_H_
