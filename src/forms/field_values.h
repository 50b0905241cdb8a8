// The text an application puts into each form field, as a computer prints
// it: the one mapping from field ids (forms/layout.h) to core::Application.
//
// Pure; safe to call from any thread.
#ifndef BESCHEID_FORMS_FIELD_VALUES_H_
#define BESCHEID_FORMS_FIELD_VALUES_H_

#include <optional>
#include <string>

#include "core/application.h"
#include "forms/layout.h"

namespace bescheid::forms {

// What `field` (with its row's id, see PlacePage) shows for `app`:
//   kText: the text ("" when the application leaves it out);
//   kComb: the characters of its cells, separators left out (a date
//          "24072017", VZÄ 0,50 "050", months "06", start "092017");
//   kCheck: "X" when the box is ticked, else "";
//   kSignature: "".
// std::nullopt when the field's row does not exist in `app` (position[7]
// of an application with 5 positions) or the id is unknown.
std::optional<std::string> FieldValue(const core::Application& app,
                                      const Field& field);

// The inverse of FieldValue, for the scan reader: sets what `text` (as
// FieldValue writes it) in `field` says in `*app`. Row fields grow
// app->positions or app->members up to their row. Check fields: "X" sets
// the box's value (kind, qualification) or true (yes/no fields), "" sets
// nothing, resp. false. Empty optional fields (provider, BIC, receipt date)
// become nullopt. kInvalidInput with a German message naming the field for
// text that is no such value (a date "31022018", VZÄ "1x0", an unknown id).
// Values are not checked against the schema's patterns (AGS, IBAN): the
// application is validated like any other afterwards.
Status ApplyFieldValue(core::Application* app, const Field& field,
                       const std::string& text);

}  // namespace bescheid::forms

#endif  // BESCHEID_FORMS_FIELD_VALUES_H_
