#include "review/pages.h"

#include <algorithm>
#include <cmath>
#include <kainjow/mustache.hpp>

#include "core/date.h"
#include "core/format.h"

namespace bescheid::review {

// Generated from templates/web/ (cmake/EmbedFiles.cmake).
const std::map<std::string, std::string>& WebFiles();

namespace {

namespace mu = kainjow::mustache;

// Outcomes in the order charts and tables show them.
const std::vector<std::pair<std::string, std::string>>& KnownOutcomes() {
  static const std::vector<std::pair<std::string, std::string>> known = {
      {"BEWILLIGUNG", "Bewilligung"}, {"TEILBEWILLIGUNG", "Teilbewilligung"},
      {"ABLEHNUNG", "Ablehnung"},     {"NACHFORDERUNG", "Nachforderung"},
      {"PRUEFUNG", "Prüfung"},        {"ABGEWIESEN", "Abgewiesen"},
      {"DUPLIKAT", "Duplikat"}};
  return known;
}

std::string Render(const std::string& name, const mu::data& data) {
  mu::mustache page(WebFiles().at(name));
  return page.render(data);
}

mu::data List() { return mu::data(mu::data::type::list); }

mu::data Strings(const std::vector<std::string>& items) {
  mu::data list = List();
  for (const std::string& s : items) list.push_back(mu::data(s));
  return list;
}

mu::data Number(int64_t n) { return mu::data(std::to_string(n)); }

// The outcomes of `days`, known ones first in their order, then the rest.
std::vector<std::string> OutcomesIn(const std::vector<DayCount>& days) {
  std::vector<std::string> seen;
  for (const DayCount& d : days) {
    for (const auto& [outcome, n] : d.outcomes) {
      if (n > 0 && std::find(seen.begin(), seen.end(), outcome) == seen.end()) {
        seen.push_back(outcome);
      }
    }
  }
  auto rank = [](const std::string& o) {
    const auto& known = KnownOutcomes();
    for (size_t i = 0; i < known.size(); ++i) {
      if (known[i].first == o) return i;
    }
    return known.size();
  };
  std::stable_sort(seen.begin(), seen.end(),
                   [&](const std::string& a, const std::string& b) {
                     return rank(a) < rank(b) || (rank(a) == rank(b) && a < b);
                   });
  return seen;
}

int64_t CountOf(const DayCount& d, const std::string& outcome) {
  auto it = d.outcomes.find(outcome);
  return it == d.outcomes.end() ? 0 : it->second;
}

// Stacked bars, one column per day, in SVG user units.
void AddChart(const std::vector<DayCount>& days, mu::data& data) {
  constexpr int kWidth = 640, kHeight = 240, kLeft = 40, kTop = 12;
  constexpr int kBottom = 210;
  const std::vector<std::string> outcomes = OutcomesIn(days);
  int64_t max = 1;
  for (const DayCount& d : days) {
    int64_t total = 0;
    for (const std::string& o : outcomes) total += CountOf(d, o);
    max = std::max(max, total);
  }
  const double slot = static_cast<double>(kWidth - kLeft) /
                      static_cast<double>(std::max<size_t>(1, days.size()));
  const double scale = static_cast<double>(kBottom - kTop) / max;
  mu::data bars = List(), labels = List(), rows = List();
  for (size_t i = 0; i < days.size(); ++i) {
    const int x = kLeft + static_cast<int>(slot * i + slot * 0.15);
    double y = kBottom;
    mu::data counts = List();
    for (const std::string& o : outcomes) {
      const int64_t n = CountOf(days[i], o);
      counts.push_back(Number(n));
      if (n == 0) continue;
      const double h = n * scale;
      y -= h;
      mu::data bar;
      bar.set("css", OutcomeCss(o));
      bar.set("x", Number(x));
      bar.set("y", Number(std::lround(y)));
      bar.set("w", Number(std::max(1L, std::lround(slot * 0.7))));
      bar.set("h", Number(std::max(1L, std::lround(h))));
      bar.set("title", GermanDateTime(days[i].date) + ": " + OutcomeLabel(o) +
                           " " + std::to_string(n));
      bars.push_back(bar);
    }
    mu::data label;
    label.set("x", Number(x));
    label.set("y", Number(kBottom + 16));
    label.set("text", GermanDateTime(days[i].date).substr(0, 6));
    labels.push_back(label);
    mu::data row;
    row.set("date", GermanDateTime(days[i].date));
    row.set("counts", counts);
    rows.push_back(row);
  }
  mu::data legend = List();
  for (const std::string& o : outcomes) {
    mu::data item;
    item.set("css", OutcomeCss(o));
    item.set("label", OutcomeLabel(o));
    legend.push_back(item);
  }
  data.set("has_days", !days.empty());
  data.set("chart_width", Number(kWidth));
  data.set("chart_height", Number(kHeight));
  data.set("axis_x", Number(kLeft));
  data.set("axis_y", Number(kBottom));
  data.set("axis_label_x", Number(4));
  data.set("top_y", Number(kTop + 8));
  data.set("max", Number(max));
  data.set("bars", bars);
  data.set("day_labels", labels);
  data.set("legend", legend);
  data.set("days", rows);
}

mu::data FieldData(const Case& c, size_t i, const CaseForm& form) {
  const Field& f = c.fields[i];
  auto submitted = form.submitted.find(i);
  mu::data d;
  d.set("index", std::to_string(i));
  d.set("number", std::to_string(i + 1));
  d.set("case_id", c.summary.id);
  d.set("label", f.label.empty() ? f.id : f.label);
  d.set("value",
        submitted == form.submitted.end() ? f.value : submitted->second);
  d.set("confidence", Percent(f.confidence));
  d.set("reason", f.reason);
  d.set("has_crop", f.has_crop);
  return d;
}

mu::data PagesData(const Case& c, const std::vector<PageImage>& pages) {
  mu::data list = List();
  for (const PageImage& p : pages) {
    mu::data d;
    d.set("number", std::to_string(p.number));
    d.set("src", "/fall/" + c.summary.id + "/seite/" +
                     std::to_string(p.number) + ".png");
    d.set("has_size", p.size.has_value());
    if (p.size) {
      d.set("width", std::to_string(p.size->first));
      d.set("height", std::to_string(p.size->second));
    }
    // Box numbers in proportion to the page: 1/40 of its width.
    const int label_size = p.size ? std::max(8, p.size->first / 40) : 12;
    mu::data boxes = List();
    for (size_t i = 0; i < c.fields.size(); ++i) {
      const Field& f = c.fields[i];
      if (f.page != p.number || f.box.w <= 0 || f.box.h <= 0) continue;
      mu::data b;
      b.set("number", std::to_string(i + 1));
      b.set("label", f.label.empty() ? f.id : f.label);
      b.set("doubt", !f.reason.empty());
      b.set("x", std::to_string(f.box.x));
      b.set("y", std::to_string(f.box.y));
      b.set("w", std::to_string(f.box.w));
      b.set("h", std::to_string(f.box.h));
      b.set("label_y",
            std::to_string(std::max(label_size, f.box.y - label_size / 5)));
      b.set("label_size", std::to_string(label_size));
      boxes.push_back(b);
    }
    d.set("boxes", boxes);
    list.push_back(d);
  }
  return list;
}

mu::data AuditData(const std::vector<AuditEntry>& audit) {
  mu::data list = List();
  for (const AuditEntry& a : audit) {
    mu::data d;
    d.set("at", GermanDateTime(a.at));
    d.set("user", a.user);
    d.set("action", a.action);
    d.set("field", a.field);
    d.set("old_value", a.old_value);
    d.set("new_value", a.new_value);
    list.push_back(d);
  }
  return list;
}

}  // namespace

std::string OutcomeLabel(const std::string& outcome) {
  for (const auto& [name, label] : KnownOutcomes()) {
    if (name == outcome) return label;
  }
  return outcome;
}

std::string OutcomeCss(const std::string& outcome) {
  for (const auto& [name, label] : KnownOutcomes()) {
    if (name == outcome) {
      std::string css = name;
      std::transform(css.begin(), css.end(), css.begin(),
                     [](unsigned char ch) { return std::tolower(ch); });
      return css;
    }
  }
  return "sonst";
}

std::string GermanDateTime(const std::string& iso) {
  if (iso.size() < 10) return iso;
  Result<core::Date> date = core::Date::ParseIso(iso.substr(0, 10));
  if (!date.ok()) return iso;
  std::string out = core::FormatGerman(*date);
  if (iso.size() >= 16 && iso[10] == ' ' && iso[13] == ':') {
    out += " " + iso.substr(11, 5);
  }
  return out;
}

std::optional<std::pair<int, int>> PngSize(const std::string& bytes) {
  static const std::string kSignature("\x89PNG\r\n\x1a\n", 8);
  if (bytes.size() < 24 || bytes.compare(0, 8, kSignature) != 0 ||
      bytes.compare(12, 4, "IHDR") != 0) {
    return std::nullopt;
  }
  auto be32 = [&](size_t at) {
    uint32_t v = 0;
    for (size_t i = 0; i < 4; ++i) {
      v = v << 8 | static_cast<unsigned char>(bytes[at + i]);
    }
    return v;
  };
  const uint32_t w = be32(16), h = be32(20);
  if (w == 0 || h == 0 || w > 100000 || h > 100000) return std::nullopt;
  return std::make_pair(static_cast<int>(w), static_cast<int>(h));
}

std::string Percent(double fraction) {
  if (!(fraction >= 0)) fraction = 0;
  if (fraction > 1) fraction = 1;
  return std::to_string(std::lround(fraction * 100)) + " %";
}

Status Pages::Check() {
  for (const char* name :
       {"layout.mustache", "login.mustache", "overview.mustache",
        "cases.mustache", "case.mustache", "saved.mustache", "drafts.mustache",
        "problems.mustache", "search.mustache", "error.mustache",
        "station.css"}) {
    auto it = WebFiles().find(name);
    if (it == WebFiles().end()) {
      return InternalError(std::string("web template missing: ") + name);
    }
    mu::mustache t(it->second);
    if (!t.is_valid()) {
      return InternalError(std::string(name) + ": " + t.error_message());
    }
  }
  return Status::Ok();
}

std::string Pages::Layout(const std::string& title, const std::string& nav,
                          const Viewer* viewer,
                          const std::vector<Notice>& notices,
                          const std::string& body, int refresh_seconds) {
  static const std::vector<std::pair<std::string, std::string>> kNav = {
      {"/", "Übersicht"},
      {"/faelle", "Prüffälle"},
      {"/entwuerfe", "Entwürfe"},
      {"/probleme", "Probleme"},
      {"/suche", "Suche"}};
  mu::data d;
  d.set("title", title);
  d.set("has_refresh", refresh_seconds > 0);
  d.set("refresh", std::to_string(refresh_seconds));
  d.set("has_user", viewer != nullptr);
  if (viewer) {
    d.set("user", viewer->user);
    d.set("role", viewer->role == Role::kSchlusszeichnung ? "Schlusszeichnung"
                                                          : "Sachbearbeitung");
    d.set("csrf", viewer->csrf);
    mu::data items = List();
    for (const auto& [href, label] : kNav) {
      mu::data item;
      item.set("href", href);
      item.set("label", label);
      item.set("current", href == nav);
      items.push_back(item);
    }
    d.set("nav", items);
  }
  mu::data list = List();
  for (const Notice& n : notices) {
    mu::data item;
    item.set("kind", n.kind);
    item.set("text", n.text);
    list.push_back(item);
  }
  d.set("messages", list);
  d.set("body", body);
  return Render("layout.mustache", d);
}

std::string Pages::Login(const std::string& csrf, const std::string& name) {
  mu::data d;
  d.set("csrf", csrf);
  d.set("name", name);
  return Render("login.mustache", d);
}

std::string Pages::OverviewBody(const Overview& o, const std::string& now) {
  mu::data d;
  d.set("now", now);
  mu::data today = List();
  std::vector<DayCount> one{DayCount{"", o.today}};
  for (const std::string& outcome : OutcomesIn(one)) {
    mu::data row;
    row.set("label", OutcomeLabel(outcome));
    row.set("css", OutcomeCss(outcome));
    row.set("count", Number(o.today.at(outcome)));
    today.push_back(row);
  }
  d.set("has_today", !OutcomesIn(one).empty());
  d.set("today", today);
  d.set("errors_today", Number(o.errors_today));
  d.set("inbox", Number(o.inbox));
  d.set("processing", Number(o.processing));
  d.set("review", Number(o.review));
  d.set("awaiting_release", Number(o.awaiting_release));
  AddChart(o.last_days, d);
  return Render("overview.mustache", d);
}

std::string Pages::Cases(const std::vector<CaseSummary>& cases) {
  mu::data list = List();
  for (const CaseSummary& c : cases) {
    mu::data d;
    d.set("id", c.id);
    d.set("file", c.file);
    d.set("received", GermanDateTime(c.received));
    d.set("applicant", c.applicant);
    d.set("reason", c.first_reason);
    d.set("open", c.open);
    list.push_back(d);
  }
  mu::data d;
  d.set("has_cases", !cases.empty());
  d.set("cases", list);
  return Render("cases.mustache", d);
}

std::string Pages::CasePage(const Case& c, const std::vector<PageImage>& pages,
                            const CaseForm& form, const std::string& csrf) {
  mu::data d;
  d.set("id", c.summary.id);
  d.set("file", c.summary.file);
  d.set("received", GermanDateTime(c.summary.received));
  d.set("applicant", c.summary.applicant);
  d.set("open", c.summary.open);
  d.set("csrf", csrf);
  d.set("has_corrected_by", !c.corrected_by.empty());
  d.set("corrected_by", c.corrected_by);
  d.set("has_problems", !form.problems.empty());
  d.set("problems", Strings(form.problems));
  d.set("has_reasons", !c.reasons.empty());
  d.set("reasons", Strings(c.reasons));
  d.set("pages", PagesData(c, pages));
  mu::data doubtful = List(), others = List();
  size_t other_count = 0;
  bool first = true;
  for (size_t i = 0; i < c.fields.size(); ++i) {
    mu::data f = FieldData(c, i, form);
    if (c.fields[i].reason.empty()) {
      others.push_back(f);
      ++other_count;
    } else {
      f.set("first", first);
      first = false;
      doubtful.push_back(f);
    }
  }
  d.set("doubtful", doubtful);
  d.set("others", others);
  d.set("has_others", other_count > 0);
  d.set("others_count", std::to_string(other_count));
  d.set("has_audit", !c.audit.empty());
  d.set("audit", AuditData(c.audit));
  return Render("case.mustache", d);
}

std::string Pages::Saved(const SaveResult& r) {
  mu::data d;
  d.set("decided", r.aktenzeichen.has_value());
  d.set("aktenzeichen", r.aktenzeichen.value_or(""));
  d.set("awaiting_release", r.awaiting_release);
  return Render("saved.mustache", d);
}

std::string Pages::Drafts(const std::vector<Draft>& drafts,
                          const Viewer& viewer) {
  mu::data list = List();
  for (size_t i = 0; i < drafts.size(); ++i) {
    const Draft& dr = drafts[i];
    mu::data d;
    d.set("index", std::to_string(i));
    d.set("aktenzeichen", dr.aktenzeichen);
    d.set("outcome", OutcomeLabel(dr.outcome));
    d.set("applicant", dr.applicant);
    d.set("decided_at", GermanDateTime(dr.decided_at));
    d.set("corrected_by", dr.corrected_by);
    d.set("own", !dr.corrected_by.empty() && dr.corrected_by == viewer.user);
    list.push_back(d);
  }
  mu::data d;
  d.set("csrf", viewer.csrf);
  d.set("may_release", viewer.role == Role::kSchlusszeichnung);
  d.set("has_drafts", !drafts.empty());
  d.set("drafts", list);
  return Render("drafts.mustache", d);
}

std::string Pages::Problems(const std::vector<Problem>& problems,
                            const std::string& csrf) {
  mu::data list = List();
  for (const Problem& p : problems) {
    mu::data d;
    d.set("id", p.id);
    d.set("file", p.file);
    d.set("kind", OutcomeLabel(p.kind));
    d.set("reason", p.reason);
    d.set("at", GermanDateTime(p.at));
    list.push_back(d);
  }
  mu::data d;
  d.set("csrf", csrf);
  d.set("has_problems", !problems.empty());
  d.set("problems", list);
  return Render("problems.mustache", d);
}

std::string Pages::Search(const std::string& query, bool searched,
                          const std::vector<SearchHit>& hits) {
  mu::data list = List();
  for (const SearchHit& h : hits) {
    mu::data d;
    d.set("has_az", !h.aktenzeichen.empty());
    d.set("aktenzeichen", h.aktenzeichen);
    d.set("has_case", h.aktenzeichen.empty() && !h.case_id.empty());
    d.set("case_id", h.case_id);
    d.set("applicant", h.applicant);
    d.set("ags", h.ags);
    d.set("outcome", OutcomeLabel(h.outcome));
    d.set("date", GermanDateTime(h.date));
    list.push_back(d);
  }
  mu::data d;
  d.set("query", query);
  d.set("searched", searched);
  d.set("has_hits", !hits.empty());
  d.set("hits", list);
  return Render("search.mustache", d);
}

std::string Pages::Error(const std::string& text, const std::string& back,
                         const std::string& back_label) {
  mu::data d;
  d.set("text", text);
  d.set("back", back);
  d.set("back_label", back_label);
  return Render("error.mustache", d);
}

const std::string& Pages::Css() { return WebFiles().at("station.css"); }

}  // namespace bescheid::review
