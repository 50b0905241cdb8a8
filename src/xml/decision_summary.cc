#include "xml/decision_summary.h"

#include <cstring>
#include <optional>

#include "xml/decision_record.h"
#include "xml/libxml_handles.h"

namespace bescheid::xml {
namespace {

bool Is(const xmlNode* n, const char* name) {
  return n != nullptr && n->type == XML_ELEMENT_NODE &&
         std::strcmp(Str(n->name), name) == 0 && n->ns != nullptr &&
         std::strcmp(Str(n->ns->href), kEntscheidungNamespace) == 0;
}

const xmlNode* Child(const xmlNode* parent, const char* name) {
  for (const xmlNode* c = parent->children; c != nullptr; c = c->next) {
    if (Is(c, name)) return c;
  }
  return nullptr;
}

std::string Text(const xmlNode* n) {
  XmlCharPtr content(xmlNodeGetContent(n));
  return content ? Str(content.get()) : "";
}

// The text of parent/name, or nullopt when there is no such child.
std::optional<std::string> ChildText(const xmlNode* parent, const char* name) {
  const xmlNode* c = Child(parent, name);
  if (c == nullptr) return std::nullopt;
  return Text(c);
}

Status Missing(const std::string& what) {
  return Status(StatusCode::kInvalidInput, "decision record lacks " + what);
}

Status ReadAmounts(const xmlNode* root, core::RegisterRow& row) {
  static constexpr const char* kNames[core::kRegisterAmounts] = {
      "Foerderfaehig", "Planungsrahmen", "Bewilligt", "Anteil2017",
      "ErsteTranche"};
  const xmlNode* amounts = Child(root, "Betraege");
  if (amounts == nullptr) return Missing("Betraege");
  for (size_t i = 0; i < core::kRegisterAmounts; ++i) {
    std::optional<std::string> text = ChildText(amounts, kNames[i]);
    if (!text) return Missing(kNames[i]);
    Result<core::Money> m = core::ParseMoney(*text);
    if (!m.ok()) return Missing(std::string("a valid ") + kNames[i]);
    row.amounts[i] = *m;
  }
  return Status::Ok();
}

Status ReadHead(const xmlNode* root, core::RegisterRow& row) {
  std::optional<std::string> az = ChildText(root, "Aktenzeichen");
  std::optional<std::string> date = ChildText(root, "Entscheidungsdatum");
  std::optional<std::string> kind = ChildText(root, "Art");
  const xmlNode* applicant = Child(root, "Antragsteller");
  if (!az || !date || !kind || applicant == nullptr) {
    return Missing("Aktenzeichen, Entscheidungsdatum, Art or Antragsteller");
  }
  Result<core::Date> d = core::Date::ParseIso(*date);
  if (!d.ok()) return Missing("a valid Entscheidungsdatum");
  row.aktenzeichen = *az;
  row.decision_date = *d;
  row.kind = *kind;
  row.applicant = ChildText(applicant, "Name").value_or("");
  row.ags = ChildText(applicant, "AGS").value_or("");
  row.iban = ChildText(root, "IBAN").value_or("");
  const xmlNode* receipt = Child(root, "Eingang");
  row.channel = receipt ? ChildText(receipt, "Kanal").value_or("XML") : "XML";
  if (const xmlNode* answer = Child(root, "Nachreichung")) {
    row.revision =
        std::atoi(ChildText(answer, "Fassung").value_or("1").c_str());
    if (row.revision < 1) row.revision = 1;
  }
  if (const xmlNode* reasons = Child(root, "Gruende")) {
    for (const xmlNode* r = reasons->children; r != nullptr; r = r->next) {
      if (!Is(r, "Grund")) continue;
      XmlCharPtr code(xmlGetProp(r, X("code")));
      if (code) row.codes.push_back(Str(code.get()));
    }
  }
  return Status::Ok();
}

}  // namespace

Result<core::RegisterRow> ReadDecisionSummary(std::string_view record_xml) {
  if (record_xml.size() > static_cast<size_t>(INT32_MAX)) {
    return Missing("a size libxml2 can read");
  }
  DocPtr doc(xmlReadMemory(
      record_xml.data(), static_cast<int>(record_xml.size()), "record.xml",
      nullptr, XML_PARSE_NONET | XML_PARSE_NOERROR | XML_PARSE_NOWARNING));
  if (!doc) return Status(StatusCode::kInvalidInput, "record is not XML");
  const xmlNode* root = xmlDocGetRootElement(doc.get());
  if (!Is(root, "Entscheidung")) return Missing("its Entscheidung root");
  core::RegisterRow row;
  Status s = ReadHead(root, row);
  if (!s.ok()) return s;
  s = ReadAmounts(root, row);
  if (!s.ok()) return s;
  return row;
}

}  // namespace bescheid::xml
