#include "forms/field_values.h"

#include <cstdio>
#include <cstdlib>

namespace bescheid::forms {
namespace {

std::string Digits(int value, int width) {
  char buf[16];
  std::snprintf(buf, sizeof buf, "%0*d", width, value);
  return buf;
}

std::string DateCells(const core::Date& d) {
  return Digits(d.day, 2) + Digits(d.month, 2) + Digits(d.year, 4);
}

std::string Tick(bool on) { return on ? "X" : ""; }

// "position[12].fte" -> group "position", row 12, name "fte"; false when
// the id has no row.
bool SplitRowId(const std::string& id, std::string* group, int* row,
                std::string* name) {
  const size_t open = id.find('[');
  const size_t close = id.find("].");
  if (open == std::string::npos || close == std::string::npos || close < open) {
    return false;
  }
  const std::string digits = id.substr(open + 1, close - open - 1);
  if (digits.empty() ||
      digits.find_first_not_of("0123456789") != std::string::npos ||
      digits.size() > 6) {
    return false;
  }
  *group = id.substr(0, open);
  *row = std::atoi(digits.c_str());
  *name = id.substr(close + 2);
  return true;
}

std::optional<std::string> PositionValue(const core::Position& p,
                                         const std::string& name,
                                         const Field& field) {
  if (name == "person") return p.person;
  if (name == "provider") return p.provider.value_or("");
  if (name == "qualification") {
    return Tick(field.value == core::ToString(p.qualification));
  }
  if (name == "fte") return Digits(p.fte_hundredths, 3);
  if (name == "start")
    return Digits(p.start.month, 2) + Digits(p.start.year, 4);
  if (name == "months") return Digits(p.months, 2);
  if (name == "proof") return Tick(p.proof_attached);
  return std::nullopt;
}

std::optional<std::string> RowValue(const core::Application& app,
                                    const Field& field) {
  std::string group, name;
  int row = 0;
  if (!SplitRowId(field.id, &group, &row, &name)) return std::nullopt;
  if (group == "position") {
    if (row >= static_cast<int>(app.positions.size())) return std::nullopt;
    return PositionValue(app.positions[row], name, field);
  }
  if (group == "member") {
    if (row >= static_cast<int>(app.members.size())) return std::nullopt;
    if (name == "ags") return app.members[row].ags;
    if (name == "name") return app.members[row].name;
  }
  return std::nullopt;
}

}  // namespace

std::optional<std::string> FieldValue(const core::Application& app,
                                      const Field& field) {
  const std::string& id = field.id;
  if (id.find('[') != std::string::npos) return RowValue(app, field);
  if (id == "programme") return app.programme;
  if (id == "receipt_date") {
    return app.receipt_date ? DateCells(*app.receipt_date) : "";
  }
  if (id == "applicant.kind")
    return Tick(field.value == core::ToString(app.kind));
  if (id == "applicant.name") return app.name;
  if (id == "applicant.ags") return app.ags;
  if (id == "address.recipient") return app.address.recipient;
  if (id == "address.street") return app.address.street;
  if (id == "address.postcode") return app.address.postcode;
  if (id == "address.city") return app.address.city;
  if (id == "contact.name") return app.contact.name;
  if (id == "contact.phone") return app.contact.phone;
  if (id == "contact.email") return app.contact.email;
  if (id == "bank.holder") return app.bank.holder;
  if (id == "bank.iban") return app.bank.iban;
  if (id == "bank.bic") return app.bank.bic.value_or("");
  if (id == "declarations.complete") {
    return Tick(app.declarations.complete_and_correct);
  }
  if (id == "declarations.no_double_funding") {
    return Tick(app.declarations.no_double_funding);
  }
  if (id == "declarations.anbest_k") {
    return Tick(app.declarations.accepts_anbest_k);
  }
  if (id == "signature.place") return app.signature.place;
  if (id == "signature.date") return DateCells(app.signature.date);
  if (id == "signature.name") return app.signature.name;
  if (id == "signature.function") return app.signature.function;
  if (id == "signature.image") return std::string();
  return std::nullopt;
}

}  // namespace bescheid::forms
