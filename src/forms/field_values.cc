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

namespace bescheid::forms {
namespace {

Status Unreadable(const Field& field, const std::string& text) {
  return InvalidInput("Feld '" + field.id + "': '" + text +
                      "' ist kein gültiger Wert.");
}

// `text` of exactly `width` digits as a number, else nullopt.
std::optional<int> Number(const std::string& text, size_t width) {
  if (text.size() != width ||
      text.find_first_not_of("0123456789") != std::string::npos) {
    return std::nullopt;
  }
  return std::atoi(text.c_str());
}

// "TTMMJJJJ" as a date that exists.
std::optional<core::Date> DateOfCells(const std::string& text) {
  if (!Number(text, 8)) return std::nullopt;
  const std::string iso =
      text.substr(4, 4) + "-" + text.substr(2, 2) + "-" + text.substr(0, 2);
  Result<core::Date> d = core::Date::ParseIso(iso);
  if (!d.ok()) return std::nullopt;
  return *d;
}

Status ApplyPosition(core::Position* p, const std::string& name,
                     const Field& field, const std::string& text) {
  const bool ticked = text == "X";
  if (name == "person") {
    p->person = text;
  } else if (name == "provider") {
    p->provider = text.empty() ? std::nullopt : std::optional(text);
  } else if (name == "qualification") {
    if (ticked) {
      std::optional<core::Qualification> q =
          core::ParseQualification(field.value);
      if (!q) return Unreadable(field, field.value);
      p->qualification = *q;
    }
  } else if (name == "fte") {
    std::optional<int> v = Number(text, 3);
    if (!v) return Unreadable(field, text);
    p->fte_hundredths = *v;
  } else if (name == "start") {
    std::optional<int> v = Number(text, 6);
    if (!v || *v / 10000 < 1 || *v / 10000 > 12) {
      return Unreadable(field, text);
    }
    p->start = core::YearMonth{*v % 10000, *v / 10000};
  } else if (name == "months") {
    std::optional<int> v = Number(text, 2);
    if (!v) return Unreadable(field, text);
    p->months = *v;
  } else if (name == "proof") {
    p->proof_attached = ticked;
  } else {
    return Unreadable(field, text);
  }
  return Status::Ok();
}

Status ApplyRow(core::Application* app, const Field& field,
                const std::string& text) {
  std::string group, name;
  int row = 0;
  if (!SplitRowId(field.id, &group, &row, &name)) {
    return Unreadable(field, text);
  }
  if (group == "position") {
    if (static_cast<int>(app->positions.size()) <= row) {
      app->positions.resize(row + 1);
    }
    return ApplyPosition(&app->positions[row], name, field, text);
  }
  if (group == "member" && (name == "ags" || name == "name")) {
    if (static_cast<int>(app->members.size()) <= row) {
      app->members.resize(row + 1);
    }
    (name == "ags" ? app->members[row].ags : app->members[row].name) = text;
    return Status::Ok();
  }
  return Unreadable(field, text);
}

// The string member `id` names, or null.
std::string* TextMember(core::Application* app, const std::string& id) {
  if (id == "programme") return &app->programme;
  if (id == "applicant.name") return &app->name;
  if (id == "applicant.ags") return &app->ags;
  if (id == "address.recipient") return &app->address.recipient;
  if (id == "address.street") return &app->address.street;
  if (id == "address.postcode") return &app->address.postcode;
  if (id == "address.city") return &app->address.city;
  if (id == "contact.name") return &app->contact.name;
  if (id == "contact.phone") return &app->contact.phone;
  if (id == "contact.email") return &app->contact.email;
  if (id == "bank.holder") return &app->bank.holder;
  if (id == "bank.iban") return &app->bank.iban;
  if (id == "signature.place") return &app->signature.place;
  if (id == "signature.name") return &app->signature.name;
  if (id == "signature.function") return &app->signature.function;
  return nullptr;
}

// The yes/no member `id` names, or null.
bool* FlagMember(core::Application* app, const std::string& id) {
  if (id == "declarations.complete") {
    return &app->declarations.complete_and_correct;
  }
  if (id == "declarations.no_double_funding") {
    return &app->declarations.no_double_funding;
  }
  if (id == "declarations.anbest_k") {
    return &app->declarations.accepts_anbest_k;
  }
  return nullptr;
}

}  // namespace

Status ApplyFieldValue(core::Application* app, const Field& field,
                       const std::string& text) {
  const std::string& id = field.id;
  if (id.find('[') != std::string::npos) return ApplyRow(app, field, text);
  if (std::string* s = TextMember(app, id)) {
    *s = text;
    return Status::Ok();
  }
  if (bool* b = FlagMember(app, id)) {
    *b = text == "X";
    return Status::Ok();
  }
  if (id == "applicant.kind") {
    if (text != "X") return Status::Ok();
    std::optional<core::ApplicantKind> k =
        core::ParseApplicantKind(field.value);
    if (!k) return Unreadable(field, field.value);
    app->kind = *k;
    return Status::Ok();
  }
  if (id == "bank.bic") {
    app->bank.bic = text.empty() ? std::nullopt : std::optional(text);
    return Status::Ok();
  }
  if (id == "receipt_date" || id == "signature.date") {
    if (id == "receipt_date" && text.empty()) {
      app->receipt_date.reset();
      return Status::Ok();
    }
    std::optional<core::Date> d = DateOfCells(text);
    if (!d) return Unreadable(field, text);
    if (id == "receipt_date") {
      app->receipt_date = *d;
    } else {
      app->signature.date = *d;
    }
    return Status::Ok();
  }
  if (id == "signature.image") return Status::Ok();
  return Unreadable(field, text);
}

}  // namespace bescheid::forms
