#include "forms/assemble.h"

#include <algorithm>
#include <cstdlib>
#include <map>
#include <set>

#include "forms/field_values.h"

namespace bescheid::forms {
namespace {

using Row = std::pair<std::string, int>;

void CheckStructure(const std::vector<FieldText>& texts,
                    const std::set<Row>& rows,
                    std::vector<AssemblyProblem>* problems) {
  std::map<std::string, int> ticks;
  for (const FieldText& t : texts) {
    const bool choice = t.id == "applicant.kind" ||
                        (t.id.find(".qualification") != std::string::npos &&
                         rows.count(RowOfFieldId(t.id)));
    if (choice) ticks[t.id] += t.value == "X" ? 1 : 0;
  }
  for (const auto& [id, n] : ticks) {
    if (n == 1) continue;
    problems->push_back(
        {AssemblyProblemKind::kAmbiguous, id,
         "Feld '" + id + "': " +
             (n == 0 ? "kein Kästchen" : std::to_string(n) + " Kästchen") +
             " angekreuzt, genau eines erwartet.",
         -1});
  }
  std::map<std::string, int> count;
  for (const auto& [group, row] : rows) {
    count[group] = std::max(count[group], row + 1);
  }
  for (const auto& [group, n] : count) {
    for (int row = 0; row < n; ++row) {
      if (rows.count({group, row})) continue;
      problems->push_back({AssemblyProblemKind::kRowGap,
                           group + "[" + std::to_string(row) + "]",
                           "Zeile " + std::to_string(row + 1) + " (" + group +
                               ") ist leer, spätere Zeilen sind ausgefüllt.",
                           -1});
    }
  }
}

}  // namespace

std::pair<std::string, int> RowOfFieldId(const std::string& id) {
  const size_t open = id.find('['), close = id.find(']');
  if (open == std::string::npos || close == std::string::npos) return {"", -1};
  return {id.substr(0, open), std::atoi(id.c_str() + open + 1)};
}

core::Application AssembleApplication(const std::vector<FieldText>& texts,
                                      std::vector<AssemblyProblem>* problems) {
  std::set<Row> rows;
  for (const FieldText& t : texts) {
    if (!t.value.empty() && RowOfFieldId(t.id).second >= 0) {
      rows.insert(RowOfFieldId(t.id));
    }
  }
  core::Application app;
  for (size_t i = 0; i < texts.size(); ++i) {
    const FieldText& t = texts[i];
    if (RowOfFieldId(t.id).second >= 0 && !rows.count(RowOfFieldId(t.id))) {
      continue;
    }
    if (t.field == nullptr) continue;
    if (Status s = ApplyFieldValue(&app, *t.field, t.value); !s.ok()) {
      problems->push_back({AssemblyProblemKind::kUnparsable, t.id, s.message(),
                           static_cast<int>(i)});
    }
  }
  CheckStructure(texts, rows, problems);
  return app;
}

}  // namespace bescheid::forms
