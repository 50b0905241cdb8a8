#include "xml/messages_de.h"

#include <libxml/xmlerror.h>

#include <regex>
#include <utility>
#include <vector>

namespace bescheid::xml {
namespace {

std::string StripNamespaces(std::string s) {
  static const std::regex kNs(R"(\{[^}]*\})");
  return std::regex_replace(s, kNs, "");
}

std::string Trim(std::string s) {
  while (!s.empty() && (s.back() == '\n' || s.back() == ' ')) s.pop_back();
  return s;
}

std::string TypeName(const std::string& xs_type) {
  static const std::vector<std::pair<std::string, std::string>> kTypes = {
      {"xs:decimal", "Dezimalzahl mit Punkt (z. B. 0.75)"},
      {"xs:date", "Datum im Format JJJJ-MM-TT (z. B. 2017-08-14)"},
      {"xs:gYearMonth", "Monat im Format JJJJ-MM (z. B. 2017-09)"},
      {"xs:boolean", "Wahrheitswert (true oder false)"},
      {"xs:integer", "ganze Zahl"},
  };
  for (const auto& [k, v] : kTypes) {
    if (xs_type == k) return v;
  }
  return xs_type;
}

std::string PatternHint(const std::string& pattern) {
  if (pattern == "08[0-9]{6}") {
    return "ein Amtlicher Gemeindeschlüssel aus 8 Ziffern, beginnend mit 08";
  }
  if (pattern == "[0-9]{5}") return "eine Postleitzahl aus 5 Ziffern";
  if (pattern == "[A-Z]{2}[0-9]{2}[A-Z0-9]{11,30}") {
    return "eine IBAN ohne Leerzeichen: 2 Großbuchstaben, 2 Prüfziffern, dann "
           "11 bis 30 Ziffern oder Großbuchstaben";
  }
  if (pattern.rfind("[A-Z]{6}", 0) == 0) {
    return "eine BIC aus 8 oder 11 Zeichen ohne Leerzeichen";
  }
  return "das Muster " + pattern;
}

std::string ExpectedList(std::string list) {
  // "( Name, AGS )" or "one of ( A, B )" -> "Name, AGS"
  static const std::regex kParens(R"(^(one of )?\( ?(.*?) ?\)\.?$)");
  std::smatch m;
  list = StripNamespaces(Trim(list));
  if (std::regex_match(list, m, kParens)) {
    return (m[1].matched ? "eines von " : "") + m[2].str();
  }
  return list;
}

// How a clerk calls the field an element holds.
std::string FieldLabel(const std::string& element) {
  static const std::vector<std::pair<std::string, std::string>> kLabels = {
      {"AGS", "Gemeindeschlüssel (AGS)"},
      {"ANBestKAnerkannt", "Erklärung: ANBest-K anerkannt"},
      {"AngabenVollstaendigRichtig",
       "Erklärung: Angaben vollständig und richtig"},
      {"Ansprechperson", "Ansprechperson"},
      {"Antragsteller", "Antragsteller"},
      {"BIC", "BIC"},
      {"Bankverbindung", "Bankverbindung"},
      {"Beginn", "Beginn der Stelle"},
      {"Datum", "Datum"},
      {"EMail", "E-Mail"},
      {"Eingangsdatum", "Eingangsdatum"},
      {"Empfaenger", "Empfänger"},
      {"Erklaerungen", "Erklärungen"},
      {"Foerderantrag", "Förderantrag"},
      {"IBAN", "IBAN"},
      {"KeineDoppelfoerderung", "Erklärung: keine Doppelförderung"},
      {"Kontoinhaber", "Kontoinhaber"},
      {"Mitglied", "Mitglied des Zusammenschlusses"},
      {"Monate", "Förderdauer in Monaten"},
      {"NachweisBeigefuegt", "Qualifikationsnachweis beigefügt"},
      {"PLZ", "Postleitzahl"},
      {"Programm", "Förderprogramm"},
      {"Qualifikation", "Qualifikation"},
      {"Stelle", "Stelle"},
      {"Stellen", "Stellen"},
      {"Strasse", "Straße"},
      {"Traeger", "Träger"},
      {"Unterzeichnung", "Unterzeichnung"},
      {"VZAE", "Stellenumfang in Vollzeitäquivalenten (VZÄ)"},
      {"Zusammenschluss", "Zusammenschluss"},
  };
  for (const auto& [k, v] : kLabels) {
    if (element == k) return v;
  }
  return element;
}

// "0.20" -> "0,20": a decimal as a German reader writes it.
std::string GermanNumber(std::string v) {
  static const std::regex kDecimal(R"(^-?[0-9]+\.[0-9]+$)");
  if (std::regex_match(v, kDecimal)) v[v.find('.')] = ',';
  return v;
}

}  // namespace

std::string TranslateParserError(int code, const std::string& message,
                                 const std::string& str1, int int1) {
  switch (code) {
    case XML_ERR_DOCUMENT_EMPTY:
      return "Die Datei enthält kein XML-Dokument (sie ist leer oder beginnt "
             "nicht mit einem Element).";
    case XML_ERR_DOCUMENT_END:
    case XML_ERR_EXTRA_CONTENT:
      return "Nach dem Ende des Dokuments folgt weiterer Inhalt.";
    case XML_ERR_TAG_NOT_FINISHED:
      return "Die Datei endet mitten im Element '" + str1 + "'" +
             (int1 > 0 ? " (begonnen in Zeile " + std::to_string(int1) + ")"
                       : std::string()) +
             ". Sie ist vermutlich unvollständig übertragen worden; bitte "
             "legen Sie sie vollständig erneut ab.";
    case XML_ERR_TAG_NAME_MISMATCH:
      return "Das schließende Tag passt nicht zum öffnenden Element '" + str1 +
             "'.";
    case XML_ERR_GT_REQUIRED:
      return "Ein Tag ist nicht mit '>' abgeschlossen.";
    case XML_ERR_UNDECLARED_ENTITY:
    case XML_WAR_UNDECLARED_ENTITY:
      return "Verweis auf die nicht erlaubte Entität '" + str1 +
             "'. Sonderzeichen bitte direkt in UTF-8 schreiben.";
    case XML_ERR_INVALID_CHAR:
    case XML_ERR_INVALID_CHARREF:
      return "Die Datei enthält ein in XML unzulässiges Zeichen.";
    case XML_ERR_UNSUPPORTED_ENCODING:
    case XML_ERR_UNKNOWN_ENCODING:
      return "Die Zeichenkodierung wird nicht unterstützt; bitte als UTF-8 "
             "speichern.";
    case XML_ERR_ENTITY_LOOP:
    case XML_ERR_ENTITY_BOUNDARY:
      return "Die Datei enthält unzulässige Entitätsverweise.";
    case XML_NS_ERR_UNDEFINED_NAMESPACE:
      return "Ein Namensraumpräfix ist nicht deklariert.";
    case XML_ERR_ATTRIBUTE_WITHOUT_VALUE:
    case XML_ERR_ATTRIBUTE_NOT_STARTED:
    case XML_ERR_ATTRIBUTE_NOT_FINISHED:
      return "Ein Attribut ist fehlerhaft geschrieben.";
    default:
      return "Die Datei ist kein wohlgeformtes XML (" + Trim(message) + ").";
  }
}

namespace {

// A libxml2 schema message body and its German rendering.
struct SchemaRule {
  std::regex pattern;
  std::string (*render)(const std::smatch&);
};

// The renderings of libxml2's schema messages, most specific first.
const std::vector<SchemaRule>& SchemaRules() {
  static const std::vector<SchemaRule> kRules = [] {
    std::vector<SchemaRule> r;
    r.push_back(
        {std::regex(
             R"(\[facet 'minInclusive'\] The value '(.*)' is less than the minimum value allowed \('(.*)'\)\.)"),
         [](const std::smatch& m) {
           return "Der Wert " + GermanNumber(m[1].str()) +
                  " ist kleiner als der kleinste zulässige Wert " +
                  GermanNumber(m[2].str());
         }});
    r.push_back(
        {std::regex(
             R"(\[facet 'maxInclusive'\] The value '(.*)' is greater than the maximum value allowed \('(.*)'\)\.)"),
         [](const std::smatch& m) {
           return "Der Wert " + GermanNumber(m[1].str()) +
                  " ist größer als der größte zulässige Wert " +
                  GermanNumber(m[2].str());
         }});
    r.push_back(
        {std::regex(
             R"(\[facet 'fractionDigits'\] The value '(.*)' has more fractional digits than are allowed \('(.*)'\)\.)"),
         [](const std::smatch& m) {
           return "Der Wert " + GermanNumber(m[1].str()) + " hat mehr als " +
                  m[2].str() + " Nachkommastellen";
         }});
    r.push_back(
        {std::regex(
             R"(\[facet 'pattern'\] The value '(.*)' is not accepted by the pattern '(.*)'\.)"),
         [](const std::smatch& m) {
           return "Wert '" + m[1].str() + "' ist ungültig; erwartet wird " +
                  PatternHint(m[2].str());
         }});
    r.push_back(
        {std::regex(
             R"(\[facet 'enumeration'\] The value '(.*)' is not an element of the set \{(.*)\}\.)"),
         [](const std::smatch& m) {
           return "Wert '" + m[1].str() +
                  "' ist nicht zulässig; erlaubt: " + m[2].str();
         }});
    r.push_back(
        {std::regex(
             R"(\[facet 'minLength'\] The value has a length of '(.*)'; this underruns the allowed minimum length of '(.*)'\.)"),
         [](const std::smatch&) {
           return std::string("Angabe fehlt (das Feld ist leer)");
         }});
    r.push_back(
        {std::regex(
             R"(\[facet 'maxLength'\] The value has a length of '(.*)'; this exceeds the allowed maximum length of '(.*)'\.)"),
         [](const std::smatch& m) {
           return "Text ist zu lang (" + m[1].str() + " Zeichen, höchstens " +
                  m[2].str() + " erlaubt)";
         }});
    r.push_back(
        {std::regex(
             R"('(.*)' is not a valid value of the atomic type '(.*)'\.)"),
         [](const std::smatch& m) {
           return "'" + m[1].str() +
                  "' ist keine gültige Angabe; erwartet wird " +
                  TypeName(m[2].str());
         }});
    r.push_back(
        {std::regex(
             R"('(.*)' is not a valid value of the (local )?atomic type.*)"),
         [](const std::smatch& m) {
           return "'" + m[1].str() + "' ist keine gültige Angabe";
         }});
    r.push_back(
        {std::regex(R"(This element is not expected\. Expected is (.*))"),
         [](const std::smatch& m) {
           return "Element ist an dieser Stelle nicht erwartet; erwartet "
                  "wird " +
                  ExpectedList(m[1].str());
         }});
    r.push_back({std::regex(R"(This element is not expected\.)"),
                 [](const std::smatch&) {
                   return std::string(
                       "Element ist an dieser Stelle nicht erlaubt");
                 }});
    r.push_back({std::regex(R"(Missing child element\(s\)\. Expected is (.*))"),
                 [](const std::smatch& m) {
                   return "Pflichtangabe fehlt: " + ExpectedList(m[1].str());
                 }});
    r.push_back(
        {std::regex(R"(The attribute '(.*)' is required but missing\.)"),
         [](const std::smatch& m) {
           return "Pflichtattribut '" + m[1].str() + "' fehlt";
         }});
    r.push_back({std::regex(R"(The attribute '(.*)' is not allowed\.)"),
                 [](const std::smatch& m) {
                   return "Attribut '" + m[1].str() + "' ist nicht zulässig";
                 }});
    r.push_back(
        {std::regex(
             R"(Character content other than whitespace is not allowed.*)"),
         [](const std::smatch&) {
           return std::string(
               "Text ist hier nicht zulässig, nur Unterelemente");
         }});
    r.push_back({std::regex(R"(Element content is not allowed.*)"),
                 [](const std::smatch&) {
                   return std::string(
                       "Unterelemente sind hier nicht zulässig, nur ein Wert");
                 }});
    return r;
  }();
  return kRules;
}

}  // namespace

std::string TranslateSchemaError(const std::string& raw) {
  std::string message = Trim(raw);
  // Split "Element 'X'[, attribute 'Y']: body".
  static const std::regex kHead(
      R"(^Element '([^']*)'(, attribute '([^']*)')?: (.*)$)");
  std::string where, body = message;
  std::smatch head;
  if (std::regex_match(message, head, kHead)) {
    where = "Feld '" + FieldLabel(StripNamespaces(head[1].str())) + "'";
    if (head[2].matched) where += ", Attribut '" + head[3].str() + "'";
    body = head[4].str();
  }

  for (const SchemaRule& rule : SchemaRules()) {
    std::smatch m;
    if (std::regex_match(body, m, rule.pattern)) {
      std::string text = rule.render(m);
      return where.empty() ? text : where + ": " + text;
    }
  }
  return where.empty() ? "Schemafehler: " + StripNamespaces(body)
                       : where + ": Schemafehler: " + StripNamespaces(body);
}

}  // namespace bescheid::xml
