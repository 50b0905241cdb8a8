// Checks a letter template against the names its context provides, so that
// a clerk's typo ("{{bewiligt}}") stops start-up (or a reload) with the file,
// the line and the known names instead of printing a letter with a gap.
//
// The names come from the context the renderer really builds
// (LetterRenderer's context builder), never from a second list. Pure; no
// I/O; thread-safe.
#ifndef BESCHEID_LETTERS_TEMPLATE_CHECK_H_
#define BESCHEID_LETTERS_TEMPLATE_CHECK_H_

#include <map>
#include <string>
#include <string_view>

#include "core/status.h"

namespace bescheid::letters {

// The names a template may use: each with the names of its list entries
// (empty for plain values and flags).
struct TemplateNames {
  std::map<std::string, TemplateNames> names;

  // Adds every name of `other` (recursively).
  void Merge(const TemplateNames& other);
};

// Checks `source` (the template file `file`, e.g.
// "zuwendungsbescheid.mustache") against `names` and `partials` (name -> source
// of partials/<name>.mustache, checked where they are included, in the scope
// they are included in). Errors are kConfig, in German, naming the file, the
// line and the known names: "Vorlage zuwendungsbescheid.mustache, Zeile 12:
// unbekannte Variable 'bewiligt'. Bekannt sind: ...".
Status CheckTemplate(const std::string& file, std::string_view source,
                     const TemplateNames& names,
                     const std::map<std::string, std::string>& partials);

// `source` with every partial tag ("{{> name}}") replaced by the source of
// that partial, itself with its partials inlined, so that a template is
// parsed once with everything it includes instead of parsing each partial
// again whenever a letter is rendered. The mustache library renders a
// partial into the same line buffer and context as the tag's template, so
// for a template CheckTemplate accepts (known partials, default
// delimiters, nesting within its depth limit) the output is the same.
// Errors are kConfig: an unknown partial or nesting deeper than that limit.
Result<std::string> InlinePartials(
    std::string_view source,
    const std::map<std::string, std::string>& partials);

}  // namespace bescheid::letters

#endif  // BESCHEID_LETTERS_TEMPLATE_CHECK_H_
