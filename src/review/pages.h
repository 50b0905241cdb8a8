// The station's pages as HTML, from the templates under templates/web/
// (embedded at build time) with kainjow mustache: every value goes through
// mustache's HTML escaping; only a page body rendered here is placed
// unescaped into the layout. German throughout. Internal to the module.
// Thread-safe (each render parses its template afresh; they are small).
#ifndef BESCHEID_REVIEW_PAGES_H_
#define BESCHEID_REVIEW_PAGES_H_

#include <map>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "core/status.h"
#include "review/station.h"
#include "review/users.h"

namespace bescheid::review {

// The logged-in user a page is made for.
struct Viewer {
  std::string user;
  Role role = Role::kSachbearbeitung;
  std::string csrf;
};

// A notice above a page's content; kind is a CSS class: "fehler",
// "erfolg" or "hinweis".
struct Notice {
  std::string kind;
  std::string text;
};

// A page image of a case, with its pixel size when known (then the field
// boxes are drawn over it).
struct PageImage {
  int number = 1;
  std::optional<std::pair<int, int>> size;  // width, height
};

// What a case page shows besides the case: values the clerk submitted
// (field index -> value) and the validation problems of a save.
struct CaseForm {
  std::map<size_t, std::string> submitted;
  std::vector<std::string> problems;
};

// German label ("Bewilligung", "Prüfung", ...) and CSS class of an
// outcome name; unknown names keep their text and get class "sonst".
std::string OutcomeLabel(const std::string& outcome);
std::string OutcomeCss(const std::string& outcome);
// "2026-11-26" -> "26.11.2026", "2026-11-26 14:05:09" -> "26.11.2026
// 14:05"; anything else unchanged.
std::string GermanDateTime(const std::string& iso);
// Width and height from a PNG's header; nullopt if `bytes` is no PNG.
std::optional<std::pair<int, int>> PngSize(const std::string& bytes);
// "87 %" for 0.87.
std::string Percent(double fraction);

class Pages {
 public:
  // Fails (kInternal) if a template is missing or does not parse.
  static Status Check();

  // A whole page: `body` (rendered by one of the functions below) in the
  // layout, with the navigation for `viewer` (none when null) and the
  // entry `nav` ("/", "/faelle", ...) marked current. `refresh_seconds` > 0
  // makes the page reload itself.
  static std::string Layout(const std::string& title, const std::string& nav,
                            const Viewer* viewer,
                            const std::vector<Notice>& notices,
                            const std::string& body, int refresh_seconds = 0);

  static std::string Login(const std::string& csrf, const std::string& name);
  static std::string OverviewBody(const Overview& o, const std::string& now);
  static std::string Cases(const std::vector<CaseSummary>& cases);
  static std::string CasePage(const Case& c,
                              const std::vector<PageImage>& pages,
                              const CaseForm& form, const std::string& csrf);
  static std::string Saved(const SaveResult& r);
  static std::string Drafts(const std::vector<Draft>& drafts,
                            const Viewer& viewer);
  static std::string Problems(const std::vector<Problem>& problems,
                              const std::string& csrf);
  static std::string Search(const std::string& query, bool searched,
                            const std::vector<SearchHit>& hits);
  static std::string Error(const std::string& text, const std::string& back,
                           const std::string& back_label);
  // The style sheet, served as /static/station.css.
  static const std::string& Css();
};

}  // namespace bescheid::review

#endif  // BESCHEID_REVIEW_PAGES_H_
