#include "xml/decision_record.h"

#include <stdexcept>

#include "core/format.h"
#include "xml/libxml_handles.h"
#include "xml/xml_writer.h"

namespace bescheid::xml {
namespace {

void WriteKommune(Writer& w, const char* element, const std::string& ags,
                  const std::string& name) {
  w.Start(element);
  w.Element("AGS", ags);
  w.Element("Name", name);
  w.End();
}

// The record's own tokens (format 1.0 named the first and last).
const char* ReceiptSourceName(core::ReceiptDateSource s) {
  switch (s) {
    case core::ReceiptDateSource::kApplication:
      return "Antrag";
    case core::ReceiptDateSource::kFileName:
      return "Dateiname";
    case core::ReceiptDateSource::kModificationTime:
      return "Dateidatum";
  }
  return "Antrag";
}

}  // namespace

std::string WriteDecisionRecord(const DecisionRecord& r,
                                const core::Application& app,
                                const core::Decision& d) {
  Writer w;
  w.StartDocument();
  w.Start("Entscheidung");
  w.Attribute("xmlns", kEntscheidungNamespace);
  w.Attribute("version", kEntscheidungVersion);
  w.Element("Aktenzeichen", r.aktenzeichen);
  w.Element("Entscheidungsdatum", r.decision_date.ToIso());
  w.Element("Programm", app.programme);

  w.Start("Eingang");
  w.Element("Datei", r.file_name);
  w.Element("SHA256", r.sha256);
  w.Element("Kanal", r.channel == Channel::kXml ? "XML" : "SCAN");
  w.Start("Eingangsdatum");
  w.Attribute("quelle", ReceiptSourceName(r.receipt_source));
  w.String(r.receipt_date.ToIso());
  w.End();
  w.End();  // Eingang
  if (r.answers) {
    w.Start("Nachreichung");
    w.Element("Nachforderung", r.answers->request_date.ToIso());
    w.Element("Frist", r.answers->deadline.ToIso());
    w.Element("Fassung", std::to_string(r.answers->revision));
    w.End();
  }

  WriteKommune(w, "Antragsteller", app.ags, app.name);
  if (!app.members.empty()) {
    w.Start("Mitglieder");
    for (const core::Member& m : app.members) {
      WriteKommune(w, "Mitglied", m.ags, m.name);
    }
    w.End();
  }
  w.Element("Art", core::ToString(d.kind));

  w.Start("Gruende");
  for (const core::Reason& reason : d.reasons) {
    w.Start("Grund");
    w.Attribute("code", reason.code);
    w.String(reason.text);
    w.End();
  }
  w.End();

  w.Start("Betraege");
  w.Element("Foerderfaehig", core::FormatPlain(d.eligible));
  w.Element("Planungsrahmen", core::FormatPlain(d.planning_budget));
  w.Element("Bewilligt", core::FormatPlain(d.granted));
  w.Element("Anteil2017", core::FormatPlain(d.share_tranche_year));
  w.Element("ErsteTranche", core::FormatPlain(d.first_tranche));
  w.End();
  if (!app.bank.iban.empty()) w.Element("IBAN", app.bank.iban);
  if (!app.address.postcode.empty()) w.Element("PLZ", app.address.postcode);

  w.Start("Stellen");
  for (size_t i = 0; i < app.positions.size(); ++i) {
    const core::Position& p = app.positions[i];
    w.Start("Stelle");
    w.Attribute("nr", std::to_string(i + 1));
    w.Element("Person", p.person);
    w.Element("Qualifikation", core::ToString(p.qualification));
    w.Element("VZAE", core::FormatPlainHundredths(p.fte_hundredths));
    w.Element("Beginn", p.start.ToIso());
    w.Element("Monate", std::to_string(p.months));
    w.Element("Betrag", core::FormatPlain(d.position_amounts.at(i)));
    if (i < d.granted_position_amounts.size()) {  // grants only
      w.Element("BetragBewilligt",
                core::FormatPlain(d.granted_position_amounts[i]));
    }
    w.End();
  }
  w.End();

  if (r.letter_file) w.Element("Schreiben", *r.letter_file);
  for (const CopyFile& copy : r.copies) {
    w.Start("Abschrift");
    w.Attribute("ags", copy.ags);
    w.String(copy.file);
    w.End();
  }
  w.End();  // Entscheidung
  return w.Finish();
}

}  // namespace bescheid::xml
