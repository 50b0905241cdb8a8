#include "xml/application_writer.h"

#include "core/format.h"
#include "xml/application_reader.h"
#include "xml/xml_writer.h"

namespace bescheid::xml {
namespace {

const char* Bool(bool b) { return b ? "true" : "false"; }

void WriteApplicant(Writer& w, const core::Application& a) {
  w.Start("Antragsteller");
  w.Element("Art", core::ToString(a.kind));
  w.Element("Name", a.name);
  w.Element("AGS", a.ags);
  w.Start("Anschrift");
  w.Element("Empfaenger", a.address.recipient);
  w.Element("Strasse", a.address.street);
  w.Element("PLZ", a.address.postcode);
  w.Element("Ort", a.address.city);
  w.End();
  w.Start("Ansprechperson");
  w.Element("Name", a.contact.name);
  w.Element("Telefon", a.contact.phone);
  w.Element("EMail", a.contact.email);
  w.End();
  w.End();
}

void WritePositions(Writer& w, const core::Application& a) {
  w.Start("Stellen");
  for (const core::Position& p : a.positions) {
    w.Start("Stelle");
    w.Element("Person", p.person);
    w.Element("Qualifikation", core::ToString(p.qualification));
    w.Element("VZAE", core::FormatPlainHundredths(p.fte_hundredths));
    w.Element("Beginn", p.start.ToIso());
    w.Element("Monate", std::to_string(p.months));
    if (p.provider) w.Element("Traeger", *p.provider);
    w.Element("NachweisBeigefuegt", Bool(p.proof_attached));
    w.End();
  }
  w.End();
}

}  // namespace

std::string WriteApplicationXml(const core::Application& a) {
  Writer w;
  w.StartDocument();
  w.Start("Foerderantrag");
  w.Attribute("xmlns", kAntragNamespace);
  w.Attribute("version", "1.0");
  w.Element("Programm", a.programme);
  if (a.receipt_date) w.Element("Eingangsdatum", a.receipt_date->ToIso());
  WriteApplicant(w, a);
  if (!a.members.empty()) {
    w.Start("Zusammenschluss");
    for (const core::Member& m : a.members) {
      w.Start("Mitglied");
      w.Element("AGS", m.ags);
      w.Element("Name", m.name);
      w.End();
    }
    w.End();
  }
  w.Start("Bankverbindung");
  w.Element("Kontoinhaber", a.bank.holder);
  w.Element("IBAN", a.bank.iban);
  if (a.bank.bic) w.Element("BIC", *a.bank.bic);
  w.End();
  WritePositions(w, a);
  w.Start("Erklaerungen");
  w.Element("AngabenVollstaendigRichtig",
            Bool(a.declarations.complete_and_correct));
  w.Element("KeineDoppelfoerderung", Bool(a.declarations.no_double_funding));
  w.Element("ANBestKAnerkannt", Bool(a.declarations.accepts_anbest_k));
  w.End();
  w.Start("Unterzeichnung");
  w.Element("Ort", a.signature.place);
  w.Element("Datum", a.signature.date.ToIso());
  w.Element("Name", a.signature.name);
  w.Element("Funktion", a.signature.function);
  w.End();
  w.End();
  return w.Finish();
}

}  // namespace bescheid::xml
