#include "letters/template_check.h"

#include <set>
#include <vector>

namespace bescheid::letters {
namespace {

constexpr int kMaxPartialDepth = 8;

struct Tag {
  char kind = 0;  // 0 variable, '#', '^', '/', '>', '!', '&', '{', '='
  std::string name;
  int line = 1;
};

std::string TrimName(std::string_view s) {
  size_t b = 0, e = s.size();
  while (b < e && (s[b] == ' ' || s[b] == '\t')) ++b;
  while (e > b && (s[e - 1] == ' ' || s[e - 1] == '\t')) --e;
  return std::string(s.substr(b, e - b));
}

// Splits `source` into its tags, with line numbers. An unclosed tag ends
// the list (the mustache parser reports it).
std::vector<Tag> Tags(std::string_view source) {
  std::vector<Tag> tags;
  int line = 1;
  size_t pos = 0;
  while (true) {
    const size_t open = source.find("{{", pos);
    if (open == std::string_view::npos) break;
    for (size_t i = pos; i < open; ++i) line += source[i] == '\n';
    const bool triple = source.substr(open, 3) == "{{{";
    const size_t body = open + (triple ? 3 : 2);
    const size_t close = source.find(triple ? "}}}" : "}}", body);
    if (close == std::string_view::npos) break;
    Tag t;
    t.line = line;
    std::string_view inner = source.substr(body, close - body);
    if (triple) {
      t.kind = '{';
    } else if (!inner.empty() && std::string_view("#^/>!&=").find(inner[0]) !=
                                     std::string_view::npos) {
      t.kind = inner[0];
      inner.remove_prefix(1);
    }
    t.name = TrimName(inner);
    tags.push_back(t);
    for (size_t i = open; i < close; ++i) line += source[i] == '\n';
    pos = close + (triple ? 3 : 2);
  }
  return tags;
}

// The names visible in a scope: the current one and every enclosing one.
using Scope = std::vector<const TemplateNames*>;

const TemplateNames* Lookup(const Scope& scope, const std::string& name) {
  // "a.b" is looked up by its first part; "." is the current entry.
  const std::string head = name.substr(0, name.find('.'));
  for (auto it = scope.rbegin(); it != scope.rend(); ++it) {
    auto found = (*it)->names.find(head);
    if (found != (*it)->names.end()) return &found->second;
  }
  return nullptr;
}

std::string Known(const Scope& scope) {
  std::set<std::string> all;
  for (const TemplateNames* s : scope) {
    for (const auto& [name, inner] : s->names) all.insert(name);
  }
  std::string out;
  for (const std::string& n : all) out += (out.empty() ? "" : ", ") + n;
  return out;
}

class Checker {
 public:
  explicit Checker(const std::map<std::string, std::string>& partials)
      : partials_(partials) {}

  Status Check(const std::string& file, std::string_view source, Scope scope,
               int depth) {
    std::vector<std::string> open;  // section names, innermost last
    for (const Tag& t : Tags(source)) {
      auto fail = [&](const std::string& what) {
        return ConfigError("Vorlage " + file + ", Zeile " +
                           std::to_string(t.line) + ": " + what);
      };
      switch (t.kind) {
        case '!':
          break;
        case '=':
          return fail(
              "Wechsel der Begrenzer ({{=...=}}) wird nicht "
              "unterstützt.");
        case '/':
          if (open.empty() || open.back() != t.name) {
            return fail("'{{/" + t.name +
                        "}}' schließt keinen offenen "
                        "Abschnitt.");
          }
          open.pop_back();
          scope.pop_back();
          break;
        case '>': {
          auto p = partials_.find(t.name);
          if (p == partials_.end()) {
            return fail("unbekannter Baustein '" + t.name +
                        "'. Bekannt sind: " + PartialNames() + ".");
          }
          if (depth >= kMaxPartialDepth) {
            return fail("Bausteine sind zu tief verschachtelt.");
          }
          Status s = Check("partials/" + t.name + ".mustache", p->second, scope,
                           depth + 1);
          if (!s.ok()) return s;
          break;
        }
        case '#':
        case '^': {
          const TemplateNames* inner = Lookup(scope, t.name);
          if (inner == nullptr) {
            return fail("unbekannter Abschnitt '" + t.name +
                        "'. Bekannt sind: " + Known(scope) + ".");
          }
          open.push_back(t.name);
          scope.push_back(inner);
          break;
        }
        default:
          if (t.name != "." && Lookup(scope, t.name) == nullptr) {
            return fail("unbekannte Variable '" + t.name +
                        "'. Bekannt sind: " + Known(scope) + ".");
          }
      }
    }
    return Status::Ok();
  }

 private:
  std::string PartialNames() const {
    std::string out;
    for (const auto& [name, text] : partials_)
      out += (out.empty() ? "" : ", ") + name;
    return out;
  }
  const std::map<std::string, std::string>& partials_;
};

}  // namespace

void TemplateNames::Merge(const TemplateNames& other) {
  for (const auto& [name, inner] : other.names) names[name].Merge(inner);
}

Status CheckTemplate(const std::string& file, std::string_view source,
                     const TemplateNames& names,
                     const std::map<std::string, std::string>& partials) {
  return Checker(partials).Check(file, source, Scope{&names}, 0);
}

namespace {

Status InlineInto(std::string_view source,
                  const std::map<std::string, std::string>& partials, int depth,
                  std::string& out) {
  size_t pos = 0;
  while (true) {
    const size_t open = source.find("{{", pos);
    if (open == std::string_view::npos) break;
    const bool triple = source.substr(open, 3) == "{{{";
    const size_t body = open + (triple ? 3 : 2);
    const size_t close = source.find(triple ? "}}}" : "}}", body);
    if (close == std::string_view::npos) break;
    const size_t end = close + (triple ? 3 : 2);
    if (triple || source[body] != '>') {
      out.append(source.substr(pos, end - pos));
      pos = end;
      continue;
    }
    out.append(source.substr(pos, open - pos));
    const std::string name =
        TrimName(source.substr(body + 1, close - body - 1));
    const auto p = partials.find(name);
    if (p == partials.end()) {
      return ConfigError("Vorlage: unbekannter Baustein '" + name + "'.");
    }
    if (depth >= kMaxPartialDepth) {
      return ConfigError("Vorlage: Baustein '" + name +
                         "' ist zu tief verschachtelt (höchstens " +
                         std::to_string(kMaxPartialDepth) + " Ebenen).");
    }
    Status s = InlineInto(p->second, partials, depth + 1, out);
    if (!s.ok()) return s;
    pos = end;
  }
  out.append(source.substr(pos));
  return Status::Ok();
}

}  // namespace

Result<std::string> InlinePartials(
    std::string_view source,
    const std::map<std::string, std::string>& partials) {
  std::string out;
  Status s = InlineInto(source, partials, 0, out);
  if (!s.ok()) return s;
  return out;
}

}  // namespace bescheid::letters
