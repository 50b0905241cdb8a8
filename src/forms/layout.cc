#include "forms/layout.h"

#include <algorithm>
#include <cstdlib>
#include <cstring>
#include <functional>
#include <map>
#include <set>

#include "core/text.h"

namespace bescheid::forms {
namespace {

// What the layout may say about each field id (the group part is "[i]").
struct KnownField {
  const char* id;
  FieldKind kind;
  int min_cells;       // kComb: the longest value it must hold
  const char* values;  // kCheck: allowed values, '|'-separated
};

constexpr KnownField kKnownFields[] = {
    {"programme", FieldKind::kText, 0, ""},
    {"receipt_date", FieldKind::kComb, 8, ""},
    {"applicant.kind", FieldKind::kCheck, 0, "Gemeinde|Stadtkreis|Landkreis"},
    {"applicant.name", FieldKind::kText, 0, ""},
    {"applicant.ags", FieldKind::kComb, 8, ""},
    {"address.recipient", FieldKind::kText, 0, ""},
    {"address.street", FieldKind::kText, 0, ""},
    {"address.postcode", FieldKind::kComb, 5, ""},
    {"address.city", FieldKind::kText, 0, ""},
    {"contact.name", FieldKind::kText, 0, ""},
    {"contact.phone", FieldKind::kText, 0, ""},
    {"contact.email", FieldKind::kText, 0, ""},
    {"member[i].ags", FieldKind::kComb, 8, ""},
    {"member[i].name", FieldKind::kText, 0, ""},
    {"bank.holder", FieldKind::kText, 0, ""},
    {"bank.iban", FieldKind::kComb, 34, ""},
    {"bank.bic", FieldKind::kComb, 11, ""},
    {"position[i].person", FieldKind::kText, 0, ""},
    {"position[i].qualification", FieldKind::kCheck, 0, "A|B|C"},
    {"position[i].fte", FieldKind::kComb, 3, ""},
    {"position[i].start", FieldKind::kComb, 6, ""},
    {"position[i].months", FieldKind::kComb, 2, ""},
    {"position[i].provider", FieldKind::kText, 0, ""},
    {"position[i].proof", FieldKind::kCheck, 0, "ja"},
    {"declarations.complete", FieldKind::kCheck, 0, "ja"},
    {"declarations.no_double_funding", FieldKind::kCheck, 0, "ja"},
    {"declarations.anbest_k", FieldKind::kCheck, 0, "ja"},
    {"signature.place", FieldKind::kText, 0, ""},
    {"signature.date", FieldKind::kComb, 8, ""},
    {"signature.name", FieldKind::kText, 0, ""},
    {"signature.function", FieldKind::kText, 0, ""},
    {"signature.image", FieldKind::kSignature, 0, ""},
};

const KnownField* FindKnown(const std::string& id) {
  for (const KnownField& k : kKnownFields) {
    if (id == k.id) return &k;
  }
  return nullptr;
}

std::vector<std::string> SplitValues(const std::string& s) {
  std::vector<std::string> out;
  size_t start = 0;
  for (size_t bar; (bar = s.find('|', start)) != std::string::npos;
       start = bar + 1) {
    out.push_back(s.substr(start, bar - start));
  }
  out.push_back(s.substr(start));
  return out;
}

// One statement: its keyword, key=value pairs and bare flags.
struct Statement {
  int line = 0;
  std::string keyword;
  std::map<std::string, std::string> values;
  std::set<std::string> flags;
};

class Parser {
 public:
  Parser(std::string_view text, std::string file)
      : text_(text), file_(std::move(file)) {}
  Result<FormLayout> Parse();

 private:
  Status Error(int line, const std::string& what, int column = 0) const {
    return ConfigError(
        file_ + ", Zeile " + std::to_string(line) +
        (column > 0 ? ", Spalte " + std::to_string(column) : std::string()) +
        ": " + what);
  }
  Result<Statement> Tokenize(std::string_view line, int number) const;
  Status CheckKeys(const Statement& s, std::set<std::string> allowed,
                   std::set<std::string> flags) const;
  Result<double> Number(const Statement& s, const std::string& key) const;
  Result<std::string> Text(const Statement& s, const std::string& key) const;
  Result<Rect> Box(const Statement& s) const;
  Result<Label> ParseLabel(const Statement& s) const;
  Result<Field> ParseField(const Statement& s) const;
  Status Apply(const Statement& s);
  Status ApplyForm(const Statement& s);
  Status OpenGroup(const Statement& s);
  Status ApplyFormLevel(const Statement& s, bool* handled);
  Status ApplyPageLevel(const Statement& s);
  Status Finish();
  Status CheckField(const Field& f, int line, const Group* group) const;

  std::string_view text_;
  std::string file_;
  FormLayout layout_;
  bool have_form_ = false, have_code_ = false, have_number_ = false;
  Group* group_ = nullptr;  // the open group, if any
  int group_line_ = 0;
  std::vector<std::pair<std::string, int>> placed_;  // fixed field, line
};

Result<Statement> Parser::Tokenize(std::string_view line, int number) const {
  Statement s;
  s.line = number;
  size_t i = 0;
  while (i < line.size()) {
    while (i < line.size() && (line[i] == ' ' || line[i] == '\t')) ++i;
    if (i >= line.size() || line[i] == '#') break;
    const size_t start = i;
    std::string key, value;
    bool has_value = false;
    while (i < line.size() && line[i] != ' ' && line[i] != '\t' &&
           line[i] != '=') {
      key += line[i++];
    }
    if (i < line.size() && line[i] == '=') {
      has_value = true;
      ++i;
      if (i < line.size() && line[i] == '"') {
        const size_t quote = i++;
        while (i < line.size() && line[i] != '"') {
          if (line[i] == '\\' && i + 1 < line.size()) ++i;
          value += line[i++];
        }
        if (i >= line.size()) {
          return Error(number, "Anführungszeichen nicht geschlossen",
                       static_cast<int>(quote) + 1);
        }
        ++i;
      } else {
        while (i < line.size() && line[i] != ' ' && line[i] != '\t') {
          value += line[i++];
        }
      }
    }
    if (key.empty()) {
      return Error(number, "Schlüssel fehlt vor '='",
                   static_cast<int>(start) + 1);
    }
    if (s.keyword.empty()) {
      if (has_value) {
        return Error(number, "Anweisung erwartet statt '" + key + "='", 1);
      }
      s.keyword = key;
    } else if (has_value) {
      if (!s.values.emplace(key, value).second) {
        return Error(number, "'" + key + "' doppelt angegeben",
                     static_cast<int>(start) + 1);
      }
    } else {
      s.flags.insert(key);
    }
  }
  return s;
}

Status Parser::CheckKeys(const Statement& s, std::set<std::string> allowed,
                         std::set<std::string> flags) const {
  for (const auto& [key, value] : s.values) {
    if (allowed.count(key) == 0) {
      return Error(
          s.line, "unbekannter Schlüssel '" + key + "' in '" + s.keyword + "'");
    }
  }
  for (const std::string& f : s.flags) {
    if (flags.count(f) == 0) {
      return Error(s.line, "unbekannte Angabe '" + f + "' in '" + s.keyword +
                               "' (Schlüssel=Wert erwartet)");
    }
  }
  return Status::Ok();
}

Result<std::string> Parser::Text(const Statement& s,
                                 const std::string& key) const {
  auto it = s.values.find(key);
  if (it == s.values.end()) {
    return Error(s.line, "'" + key + "' fehlt in '" + s.keyword + "'");
  }
  return it->second;
}

Result<double> Parser::Number(const Statement& s,
                              const std::string& key) const {
  Result<std::string> text = Text(s, key);
  if (!text.ok()) return text.status();
  const char* begin = text->c_str();
  char* end = nullptr;
  const double v = std::strtod(begin, &end);
  if (text->empty() || *end != '\0' || !(v >= 0) || v > 10000) {
    return Error(s.line, "'" + key +
                             "': Zahl (mm, nicht negativ) erwartet "
                             "statt '" +
                             *text + "'");
  }
  return v;
}

Result<Rect> Parser::Box(const Statement& s) const {
  Rect r;
  for (auto [key, out] : {std::pair<const char*, double*>{"x", &r.x},
                          {"y", &r.y},
                          {"w", &r.w},
                          {"h", &r.h}}) {
    Result<double> v = Number(s, key);
    if (!v.ok()) return v.status();
    *out = *v;
  }
  return r;
}

Result<Label> Parser::ParseLabel(const Statement& s) const {
  Label l;
  Result<double> x = Number(s, "x"), y = Number(s, "y");
  Result<std::string> text = Text(s, "text");
  for (const Status& st : {x.status(), y.status(), text.status()}) {
    if (!st.ok()) return st;
  }
  l.x = *x;
  l.y = *y;
  l.text = *text;
  l.bold = s.flags.count("bold") > 0;
  if (s.values.count("size")) {
    Result<double> size = Number(s, "size");
    if (!size.ok()) return size.status();
    l.size = *size;
  }
  return l;
}

Result<Field> Parser::ParseField(const Statement& s) const {
  Field f;
  Result<std::string> id = Text(s, "id");
  if (!id.ok()) return id.status();
  f.id = *id;
  if (auto it = s.values.find("label"); it != s.values.end()) {
    f.label = it->second;
  }
  if (s.keyword == "check") {
    Result<double> x = Number(s, "x"), y = Number(s, "y"),
                   size = Number(s, "size");
    Result<std::string> value = Text(s, "value");
    for (const Status& st :
         {x.status(), y.status(), size.status(), value.status()}) {
      if (!st.ok()) return st;
    }
    f.kind = FieldKind::kCheck;
    f.box = Rect{*x, *y, *size, *size};
    f.value = *value;
    return f;
  }
  if (s.keyword == "comb") {
    Result<double> x = Number(s, "x"), y = Number(s, "y"),
                   cell = Number(s, "cell"), h = Number(s, "h");
    Result<std::string> pattern = Text(s, "pattern");
    for (const Status& st : {x.status(), y.status(), cell.status(), h.status(),
                             pattern.status()}) {
      if (!st.ok()) return st;
    }
    f.kind = FieldKind::kComb;
    f.pattern = *pattern;
    f.cells =
        static_cast<int>(std::count(f.pattern.begin(), f.pattern.end(), '#'));
    if (f.cells == 0 || f.pattern.front() != '#' || f.pattern.back() != '#') {
      return Error(s.line,
                   "'pattern' muss mit '#' beginnen und enden "
                   "(ein '#' je Kästchen)");
    }
    f.box = Rect{*x, *y, *cell * f.cells, *h};
    f.digits_only = s.flags.count("digits") > 0;
    return f;
  }
  Result<Rect> box = Box(s);
  if (!box.ok()) return box.status();
  f.box = *box;
  f.kind = s.keyword == "signature" ? FieldKind::kSignature : FieldKind::kText;
  return f;
}

Status Parser::CheckField(const Field& f, int line, const Group* group) const {
  const size_t open = f.id.find("[i]");
  if (group == nullptr && open != std::string::npos) {
    return Error(line, "Feld '" + f.id + "' mit [i] nur innerhalb von 'group'");
  }
  if (group != nullptr &&
      f.id.compare(0, group->name.size() + 3, group->name + "[i]") != 0) {
    return Error(line, "Feld '" + f.id + "' gehört nicht in die Gruppe '" +
                           group->name + "' (fehlt 'end' zur Gruppe in Zeile " +
                           std::to_string(group_line_) + "?)");
  }
  const KnownField* known = FindKnown(f.id);
  if (known == nullptr) return Error(line, "unbekanntes Feld '" + f.id + "'");
  if (known->kind != f.kind) {
    return Error(line, "Feld '" + f.id + "' hat hier die falsche Art");
  }
  if (f.kind == FieldKind::kComb && f.cells < known->min_cells) {
    return Error(line, "Feld '" + f.id + "' braucht mindestens " +
                           std::to_string(known->min_cells) + " Kästchen");
  }
  if (f.kind == FieldKind::kCheck) {
    const std::vector<std::string> allowed = SplitValues(known->values);
    if (std::find(allowed.begin(), allowed.end(), f.value) == allowed.end()) {
      return Error(line, "'value' von '" + f.id + "' muss eines von '" +
                             std::string(known->values) + "' sein");
    }
  }
  if (f.box.w <= 0 || f.box.h <= 0 || f.box.x + f.box.w > layout_.page_width ||
      f.box.y + f.box.h > layout_.page_height) {
    return Error(line, "Feld '" + f.id + "' liegt nicht auf der Seite");
  }
  return Status::Ok();
}

Status Parser::ApplyForm(const Statement& s) {
  if (Status st = CheckKeys(s, {"id", "version", "title"}, {}); !st.ok()) {
    return st;
  }
  Result<std::string> id = Text(s, "id"), version = Text(s, "version"),
                      title = Text(s, "title");
  for (const Status& st : {id.status(), version.status(), title.status()}) {
    if (!st.ok()) return st;
  }
  if (id->empty() ||
      id->find_first_not_of("ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-") !=
          std::string::npos) {
    return Error(s.line, "'id' darf nur A-Z, 0-9 und '-' enthalten");
  }
  layout_.form_id = *id;
  layout_.version = *version;
  layout_.title = *title;
  have_form_ = true;
  return Status::Ok();
}

Status Parser::ApplyFormLevel(const Statement& s, bool* handled) {
  *handled = true;
  if (s.keyword == "form") return ApplyForm(s);
  if (s.keyword == "page-size") {
    if (Status st = CheckKeys(s, {"w", "h"}, {}); !st.ok()) return st;
    Result<double> w = Number(s, "w"), h = Number(s, "h");
    if (!w.ok()) return w.status();
    if (!h.ok()) return h.status();
    layout_.page_width = *w;
    layout_.page_height = *h;
    return Status::Ok();
  }
  if (s.keyword == "mark" || s.keyword == "pagecode") {
    if (Status st = CheckKeys(s, {"x", "y", "size"}, {}); !st.ok()) return st;
    Result<double> x = Number(s, "x"), y = Number(s, "y"),
                   size = Number(s, "size");
    for (const Status& st : {x.status(), y.status(), size.status()}) {
      if (!st.ok()) return st;
    }
    const Rect r{*x, *y, *size, *size};
    if (s.keyword == "mark") {
      layout_.marks.push_back(r);
    } else {
      layout_.page_code = r;
      have_code_ = true;
    }
    return Status::Ok();
  }
  if (s.keyword == "header" || s.keyword == "pagenumber") {
    Statement with_text = s;
    if (s.keyword == "pagenumber") {
      if (Status st = CheckKeys(s, {"x", "y", "size"}, {}); !st.ok()) return st;
      with_text.values["text"] = "Seite {n} von {m}";
    } else if (Status st = CheckKeys(s, {"x", "y", "size", "text"}, {});
               !st.ok()) {
      return st;
    }
    Result<Label> l = ParseLabel(with_text);
    if (!l.ok()) return l.status();
    (s.keyword == "header" ? layout_.header : layout_.page_number) = *l;
    have_number_ = have_number_ || s.keyword == "pagenumber";
    return Status::Ok();
  }
  *handled = false;
  return Status::Ok();
}

Status Parser::ApplyPageLevel(const Statement& s) {
  PageTemplate& page = layout_.pages.back();
  if (s.keyword == "label") {
    if (Status st = CheckKeys(s, {"x", "y", "size", "text"}, {"bold"});
        !st.ok()) {
      return st;
    }
    Result<Label> l = ParseLabel(s);
    if (!l.ok()) return l.status();
    (group_ ? group_->labels : page.labels).push_back(*l);
    return Status::Ok();
  }
  if (s.keyword == "frame" || s.keyword == "barcode" || s.keyword == "notes") {
    if (Status st = CheckKeys(s, {"x", "y", "w", "h"}, {}); !st.ok()) return st;
    if (group_) return Error(s.line, "'" + s.keyword + "' nicht in 'group'");
    Result<Rect> r = Box(s);
    if (!r.ok()) return r.status();
    if (s.keyword == "frame") page.frames.push_back(*r);
    if (s.keyword == "barcode") page.barcode = *r;
    if (s.keyword == "notes") page.notes = *r;
    return Status::Ok();
  }
  static const std::map<std::string, std::set<std::string>> kFieldKeys = {
      {"text", {"id", "label", "x", "y", "w", "h"}},
      {"signature", {"id", "label", "x", "y", "w", "h"}},
      {"comb", {"id", "label", "x", "y", "cell", "h", "pattern"}},
      {"check", {"id", "label", "x", "y", "size", "value"}},
  };
  auto keys = kFieldKeys.find(s.keyword);
  if (keys == kFieldKeys.end()) {
    return Error(s.line, "unbekannte Anweisung '" + s.keyword + "'");
  }
  if (Status st =
          CheckKeys(s, keys->second,
                    s.keyword == "comb" ? std::set<std::string>{"digits"}
                                        : std::set<std::string>{});
      !st.ok()) {
    return st;
  }
  Result<Field> f = ParseField(s);
  if (!f.ok()) return f.status();
  if (Status st = CheckField(*f, s.line, group_); !st.ok()) return st;
  if (group_) {
    group_->fields.push_back(*f);
  } else {
    page.fields.push_back(*f);
    if (!page.continuation) {
      placed_.emplace_back(
          f->id +
              (f->kind == FieldKind::kCheck ? "=" + f->value : std::string()),
          s.line);
    }
  }
  return Status::Ok();
}

Status Parser::OpenGroup(const Statement& s) {
  if (Status st = CheckKeys(s, {"name", "rows", "dy", "labels"}, {});
      !st.ok()) {
    return st;
  }
  if (group_) return Error(s.line, "'end' fehlt vor 'group'");
  Group g;
  Result<std::string> name = Text(s, "name");
  Result<double> rows = Number(s, "rows"), dy = Number(s, "dy");
  for (const Status& st : {name.status(), rows.status(), dy.status()}) {
    if (!st.ok()) return st;
  }
  if (*name != "position" && *name != "member") {
    return Error(s.line, "'name' muss 'position' oder 'member' sein");
  }
  if (*rows < 1 || *rows != static_cast<int>(*rows)) {
    return Error(s.line, "'rows': ganze Zahl ab 1 erwartet");
  }
  g.name = *name;
  g.rows = static_cast<int>(*rows);
  g.dy = *dy;
  layout_.pages.back().groups.push_back(std::move(g));
  group_ = &layout_.pages.back().groups.back();
  group_line_ = s.line;
  auto labels = s.values.find("labels");
  group_->labels_first_row_only =
      labels != s.values.end() && labels->second == "first";
  if (labels != s.values.end() && labels->second != "first" &&
      labels->second != "all") {
    return Error(s.line, "'labels' muss 'first' oder 'all' sein");
  }
  return Status::Ok();
}

Status Parser::Apply(const Statement& s) {
  bool handled = false;
  if (Status st = ApplyFormLevel(s, &handled); !st.ok() || handled) {
    if (handled && !layout_.pages.empty()) {
      return Error(s.line, "'" + s.keyword + "' gehört vor die erste 'page'");
    }
    return st;
  }
  if (s.keyword == "page") {
    if (Status st = CheckKeys(s, {"id"}, {"continuation"}); !st.ok()) return st;
    if (group_) return Error(s.line, "'end' fehlt vor 'page'");
    Result<std::string> id = Text(s, "id");
    if (!id.ok()) return id.status();
    if (layout_.Continuation() != nullptr) {
      return Error(s.line,
                   "nach der Fortsetzungsseite ist keine Seite mehr "
                   "erlaubt");
    }
    PageTemplate p;
    p.id = *id;
    p.continuation = s.flags.count("continuation") > 0;
    layout_.pages.push_back(std::move(p));
    return Status::Ok();
  }
  if (layout_.pages.empty()) {
    return Error(s.line, "'" + s.keyword + "' vor der ersten 'page'");
  }
  if (s.keyword == "group") return OpenGroup(s);
  if (s.keyword == "end") {
    if (!group_) return Error(s.line, "'end' ohne 'group'");
    group_ = nullptr;
    return Status::Ok();
  }
  return ApplyPageLevel(s);
}

// Every field a group's rows need, each check value once.
Status CheckComplete(const std::vector<std::string>& have,
                     const std::string& prefix,
                     const std::function<Status(const std::string&)>& error) {
  for (const KnownField& k : kKnownFields) {
    const std::string id = k.id;
    if (id.compare(0, prefix.size(), prefix) != 0) continue;
    if (prefix.empty() && id.find("[i]") != std::string::npos) continue;
    std::vector<std::string> wanted;
    if (k.kind == FieldKind::kCheck) {
      for (const std::string& v : SplitValues(k.values)) {
        wanted.push_back(id + "=" + v);
      }
    } else {
      wanted.push_back(id);
    }
    for (const std::string& w : wanted) {
      const auto n = std::count(have.begin(), have.end(), w);
      if (n != 1) {
        return error("Feld '" + w + "' muss genau einmal vorkommen, kommt " +
                     std::to_string(n) + "-mal vor");
      }
    }
  }
  return Status::Ok();
}

Status Parser::Finish() {
  const int last =
      static_cast<int>(std::count(text_.begin(), text_.end(), '\n')) + 1;
  if (group_) return Error(group_line_, "'end' zu dieser 'group' fehlt");
  if (!have_form_) return Error(last, "'form' fehlt");
  if (!have_code_) return Error(last, "'pagecode' fehlt");
  if (!have_number_) return Error(last, "'pagenumber' fehlt");
  if (layout_.marks.size() < 3) {
    return Error(last, "mindestens drei 'mark' (Passmarken) nötig");
  }
  const PageTemplate* cont = layout_.Continuation();
  if (cont == nullptr || !cont->notes || !cont->barcode) {
    return Error(last,
                 "eine Fortsetzungsseite ('page ... continuation') mit "
                 "'notes' und 'barcode' fehlt");
  }
  bool barcode = false;
  for (const PageTemplate& p : layout_.pages) {
    barcode = barcode || (!p.continuation && p.barcode);
    for (const Group& g : p.groups) {
      std::vector<std::string> have;
      for (const Field& f : g.fields) {
        have.push_back(f.id + (f.kind == FieldKind::kCheck ? "=" + f.value
                                                           : std::string()));
        if (f.box.y + (g.rows - 1) * g.dy + f.box.h > layout_.page_height) {
          return Error(last,
                       "Gruppe '" + g.name + "' auf Seite " + p.id +
                           ": die letzte Zeile liegt nicht auf der Seite");
        }
      }
      Status st =
          CheckComplete(have, g.name + "[i]", [&](const std::string& m) {
            return Error(last,
                         "Seite " + p.id + ", Gruppe '" + g.name + "': " + m);
          });
      if (!st.ok()) return st;
    }
  }
  if (!barcode) return Error(last, "'barcode' fehlt auf den festen Seiten");
  for (const char* name : {"position", "member"}) {
    if (layout_.FixedRows(name) < 1 || layout_.ContinuationRows(name) < 1) {
      return Error(last, std::string("Gruppe '") + name +
                             "' fehlt auf den festen Seiten oder der "
                             "Fortsetzungsseite");
    }
  }
  std::vector<std::string> have;
  for (const auto& p : placed_) have.push_back(p.first);
  return CheckComplete(have, "",
                       [&](const std::string& m) { return Error(last, m); });
}

Result<FormLayout> Parser::Parse() {
  int number = 0;
  size_t start = 0;
  while (start <= text_.size()) {
    size_t end = text_.find('\n', start);
    if (end == std::string_view::npos) end = text_.size();
    ++number;
    std::string_view line = text_.substr(start, end - start);
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    Result<Statement> s = Tokenize(line, number);
    if (!s.ok()) return s.status();
    if (!s->keyword.empty()) {
      if (Status st = Apply(*s); !st.ok()) return st;
    }
    start = end + 1;
  }
  if (Status st = Finish(); !st.ok()) return st;
  return std::move(layout_);
}

}  // namespace

Rect Field::Cell(int k) const {
  const double w = cells > 0 ? box.w / cells : box.w;
  return Rect{box.x + k * w, box.y, w, box.h};
}

const PageTemplate* FormLayout::Continuation() const {
  for (const PageTemplate& p : pages) {
    if (p.continuation) return &p;
  }
  return nullptr;
}

int FormLayout::FixedRows(const std::string& name) const {
  int rows = 0;
  for (const PageTemplate& p : pages) {
    if (p.continuation) continue;
    for (const Group& g : p.groups) {
      if (g.name == name) rows += g.rows;
    }
  }
  return rows;
}

int FormLayout::ContinuationRows(const std::string& name) const {
  const PageTemplate* c = Continuation();
  int rows = 0;
  if (c == nullptr) return 0;
  for (const Group& g : c->groups) {
    if (g.name == name) rows += g.rows;
  }
  return rows;
}

}  // namespace bescheid::forms

namespace bescheid::forms {
namespace {

// `tpl` with its groups' rows placed; `first_row` holds each group's first
// row index on this page and is advanced past its rows.
PlacedPage Place(const PageTemplate& tpl,
                 std::map<std::string, int>* next_row) {
  PlacedPage page;
  page.tpl = &tpl;
  page.fields = tpl.fields;
  page.labels = tpl.labels;
  for (const Group& g : tpl.groups) {
    int& first = (*next_row)[g.name];
    for (int r = 0; r < g.rows; ++r) {
      const int index = first + r;
      const double dy = r * g.dy;
      for (Field f : g.fields) {
        f.id = core::ReplaceAll(f.id, "[i]", "[" + std::to_string(index) + "]");
        f.box.y += dy;
        if (g.labels_first_row_only && r > 0) f.label.clear();
        page.fields.push_back(std::move(f));
      }
      for (Label l : g.labels) {
        l.text = core::ReplaceAll(l.text, "{n}", std::to_string(index + 1));
        l.y += dy;
        page.labels.push_back(std::move(l));
      }
    }
    first += g.rows;
  }
  return page;
}

int CeilDiv(int a, int b) { return a <= 0 ? 0 : (a + b - 1) / b; }

}  // namespace

Result<FormLayout> ParseLayout(std::string_view text,
                               const std::string& file_name) {
  return Parser(text, file_name).Parse();
}

std::vector<PlacedPage> PlacePages(const FormLayout& layout, int positions,
                                   int members, int min_pages) {
  std::vector<PlacedPage> pages;
  std::map<std::string, int> next_row;
  for (const PageTemplate& tpl : layout.pages) {
    if (!tpl.continuation) pages.push_back(Place(tpl, &next_row));
  }
  const PageTemplate* cont = layout.Continuation();
  int extra = 0;
  if (cont != nullptr) {
    extra = std::max(CeilDiv(positions - layout.FixedRows("position"),
                             layout.ContinuationRows("position")),
                     CeilDiv(members - layout.FixedRows("member"),
                             layout.ContinuationRows("member")));
    extra = std::max(extra, min_pages - static_cast<int>(pages.size()));
  }
  for (int k = 0; k < extra; ++k) {
    pages.push_back(Place(*cont, &next_row));
    pages.back().continuation_index = k;
  }
  for (size_t i = 0; i < pages.size(); ++i) {
    pages[i].number = static_cast<int>(i) + 1;
  }
  return pages;
}

std::string FieldTitle(const Field& f) {
  const std::string label = f.label.empty() ? f.id : f.label;
  static const std::pair<const char*, const char*> kParts[] = {
      {"position[", "Stelle "}, {"member[", "Mitglied "}};
  for (const auto& [prefix, part] : kParts) {
    const size_t n = std::strlen(prefix);
    if (f.id.compare(0, n, prefix) != 0) continue;
    const int row = std::atoi(f.id.c_str() + n);
    return part + std::to_string(row + 1) + ", " + label;
  }
  if (f.id.rfind("signature.", 0) == 0) return "Unterzeichnung, " + label;
  return label;
}

}  // namespace bescheid::forms
