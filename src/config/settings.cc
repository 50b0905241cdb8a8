#include "config/settings.h"

#include <Poco/AutoPtr.h>
#include <Poco/Exception.h>
#include <Poco/File.h>
#include <Poco/Path.h>
#include <Poco/Util/PropertyFileConfiguration.h>

#include <algorithm>
#include <cstdlib>
#include <fstream>
#include <functional>
#include <sstream>

#include "core/format.h"

namespace bescheid::config {
namespace {

// Every key some module reads (from DescribeKeys()).
const std::vector<std::string>& KnownKeyList();

// A properties file whose keys can be listed exactly as written. (Walking
// the key tree with keys() instead never ends on a key with an empty first
// part such as ".a": its subtree is the root again.)
std::string PlainDecimal(core::Decimal d);

class PropertyFile : public Poco::Util::PropertyFileConfiguration {
 public:
  using PropertyFileConfiguration::PropertyFileConfiguration;

  // Copies every key with its raw (unexpanded) value into `out`.
  void CopyTo(RawConfig& out) const {
    for (auto it = begin(); it != end(); ++it) out[it->first] = it->second;
  }
};

// Adds the properties file that `open` returns to `out`; Poco's errors become
// kConfig naming `source`.
template <typename Open>
Status MergeLayer(const std::string& source, Open open, RawConfig& out) {
  try {
    Poco::AutoPtr<PropertyFile> cfg(open());
    cfg->CopyTo(out);
    return Status::Ok();
  } catch (const Poco::Exception& e) {
    return ConfigError("Konfigurationsdatei '" + source +
                       "' kann nicht gelesen werden: " + e.displayText());
  }
}

Status ReadFileLayer(const std::string& file, RawConfig& out) {
  return MergeLayer(
      file, [&] { return new PropertyFile(file); }, out);
}

// The 1-based line of `file` where `key` is set (0 if not found).
int LineOfKey(const std::string& file, const std::string& key) {
  std::ifstream in(file);
  std::string line;
  for (int n = 1; std::getline(in, line); ++n) {
    const size_t start = line.find_first_not_of(" \t");
    if (start == std::string::npos ||
        line.compare(start, key.size(), key) != 0) {
      continue;
    }
    const size_t after = line.find_first_not_of(" \t", start + key.size());
    if (after != std::string::npos &&
        (line[after] == '=' || line[after] == ':')) {
      return n;
    }
  }
  return 0;
}

// Edit distance, for suggesting the key someone meant.
size_t Distance(const std::string& a, const std::string& b) {
  std::vector<size_t> row(b.size() + 1);
  for (size_t j = 0; j <= b.size(); ++j) row[j] = j;
  for (size_t i = 1; i <= a.size(); ++i) {
    size_t diagonal = row[0];
    row[0] = i;
    for (size_t j = 1; j <= b.size(); ++j) {
      const size_t up = row[j];
      row[j] = std::min({row[j] + 1, row[j - 1] + 1,
                         diagonal + (a[i - 1] == b[j - 1] ? 0 : 1)});
      diagonal = up;
    }
  }
  return row[b.size()];
}

std::string NearestKnownKey(const std::string& key) {
  std::string best;
  size_t best_distance = static_cast<size_t>(-1);
  for (const std::string& known : KnownKeyList()) {
    const size_t d = Distance(key, known);
    if (d < best_distance) {
      best = known;
      best_distance = d;
    }
  }
  return best;
}

std::string Trim(std::string s) {
  const char* ws = " \t\r\n";
  s.erase(s.find_last_not_of(ws) + 1);
  s.erase(0, s.find_first_not_of(ws));
  return s;
}

// Reads typed values from the raw configuration. With `docs`, it also
// notes each key it is asked for, with its type and the value the field
// holds before reading (on default settings: the built-in default), so
// that one list of calls (ReadAll) is the table of keys.
class Reader {
 public:
  explicit Reader(const RawConfig& raw, std::vector<KeyDoc>* docs = nullptr)
      : raw_(raw), docs_(docs) {}

  void String(const char* key, std::string& out) {
    Note(key, "text", out);
    auto it = raw_.find(key);
    if (it != raw_.end()) out = Trim(it->second);
  }
  void Date(const char* key, core::Date& out) {
    Note(key, "date YYYY-MM-DD", out.ToIso());
    Parse(
        key,
        [&](const std::string& v) {
          auto d = core::Date::ParseIso(v);
          if (d.ok()) out = *d;
          return d.ok();
        },
        "ein Datum JJJJ-MM-TT");
  }
  // An empty value leaves the date unset.
  void OptionalDate(const char* key, std::optional<core::Date>& out) {
    Note(key, "date YYYY-MM-DD, or empty for none", out ? out->ToIso() : "");
    auto it = raw_.find(key);
    if (it != raw_.end() && Trim(it->second).empty()) {
      out.reset();
      return;
    }
    core::Date d;
    bool set = false;
    Parse(
        key,
        [&](const std::string& v) {
          auto p = core::Date::ParseIso(v);
          if (p.ok()) d = *p, set = true;
          return p.ok();
        },
        "ein Datum JJJJ-MM-TT oder nichts");
    if (set) out = d;
  }
  void Decimal(const char* key, core::Decimal& out) {
    Note(key, "decimal number >= 0 (point)", PlainDecimal(out));
    Parse(
        key,
        [&](const std::string& v) {
          auto d = core::Decimal::Parse(v);
          if (d.ok() && d->micros() >= 0) out = *d;
          return d.ok() && d->micros() >= 0;
        },
        "eine nicht negative Dezimalzahl mit Punkt");
  }
  void Money(const char* key, core::Money& out) {
    Note(key, "amount in EUR (point, at most 2 decimals)",
         core::FormatPlain(out));
    Parse(
        key,
        [&](const std::string& v) {
          auto m = core::ParseMoney(v);
          if (m.ok() && m->cents() >= 0) out = *m;
          return m.ok() && m->cents() >= 0;
        },
        "ein Betrag mit höchstens zwei Nachkommastellen");
  }
  template <typename Int>
  void Integer(const char* key, Int& out, long long lo, long long hi) {
    Note(key,
         "whole number " + std::to_string(lo) + " to " + std::to_string(hi),
         std::to_string(out));
    Parse(
        key,
        [&](const std::string& v) {
          if (v.empty() || v.size() > 18 ||
              v.find_first_not_of("0123456789") != std::string::npos) {
            return false;
          }
          const long long n = std::stoll(v);
          if (n < lo || n > hi) return false;
          out = static_cast<Int>(n);
          return true;
        },
        "eine ganze Zahl von " + std::to_string(lo) + " bis " +
            std::to_string(hi));
  }

  void Bool(const char* key, bool& out) {
    Note(key, "true or false", out ? "true" : "false");
    Parse(
        key,
        [&](const std::string& v) {
          if (v == "true" || v == "yes" || v == "1") {
            out = true;
          } else if (v == "false" || v == "no" || v == "0") {
            out = false;
          } else {
            return false;
          }
          return true;
        },
        "true oder false");
  }
  // A time of day "HH:MM" (24 hours), as minutes after midnight.
  void TimeOfDay(const char* key, int& minutes) {
    const auto two = [](int n) {
      return std::string(1, static_cast<char>('0' + n / 10 % 10)) +
             static_cast<char>('0' + n % 10);
    };
    Note(key, "time of day HH:MM", two(minutes / 60) + ":" + two(minutes % 60));
    Parse(
        key,
        [&](const std::string& v) {
          if (v.size() != 5 || v[2] != ':') return false;
          for (size_t i : {0u, 1u, 3u, 4u}) {
            if (v[i] < '0' || v[i] > '9') return false;
          }
          const int h = (v[0] - '0') * 10 + (v[1] - '0');
          const int m = (v[3] - '0') * 10 + (v[4] - '0');
          if (h > 23 || m > 59) return false;
          minutes = h * 60 + m;
          return true;
        },
        "eine Uhrzeit SS:MM wie 16:00");
  }
  void List(const char* key, std::vector<std::string>& out) {
    std::string joined;
    for (const auto& item : out) joined += (joined.empty() ? "" : ", ") + item;
    Note(key, "comma-separated list", joined);
    auto it = raw_.find(key);
    if (it == raw_.end()) return;
    out.clear();
    std::string item;
    for (char c : it->second + ",") {
      if (c == ',') {
        item = Trim(item);
        if (!item.empty()) out.push_back(item);
        item.clear();
      } else {
        item += c;
      }
    }
  }
  void OneOf(const char* key, std::string& out,
             const std::vector<std::string>& allowed) {
    std::string joined;
    for (const auto& a : allowed) joined += (joined.empty() ? "" : ", ") + a;
    Note(key, "one of: " + joined, out);
    Parse(
        key,
        [&](const std::string& v) {
          if (std::find(allowed.begin(), allowed.end(), v) == allowed.end()) {
            return false;
          }
          out = v;
          return true;
        },
        "einer von: " + joined);
  }

  Status status() const { return status_; }

 private:
  void Parse(const char* key, const std::function<bool(const std::string&)>& f,
             const std::string& expected) {
    auto it = raw_.find(key);
    if (it == raw_.end() || !status_.ok()) return;
    const std::string v = Trim(it->second);
    if (!f(v)) {
      status_ = ConfigError("Konfiguration '" + std::string(key) + "': '" + v +
                            "' ist ungültig, erwartet wird " + expected + ".");
    }
  }

  void Note(const char* key, const std::string& type,
            const std::string& value) {
    if (docs_) docs_->push_back(KeyDoc{key, type, value, ""});
  }

  const RawConfig& raw_;
  std::vector<KeyDoc>* docs_;
  Status status_;
};

// "58000", "796.08", "0.5": a Decimal as the configuration file writes it.
std::string PlainDecimal(core::Decimal d) {
  const int64_t scale = core::Decimal::kScale;
  std::string out = std::to_string(d.micros() / scale);
  int64_t frac = d.micros() % scale;
  if (frac == 0) return out;
  std::string digits = std::to_string(frac + scale).substr(1);
  while (!digits.empty() && digits.back() == '0') digits.pop_back();
  return out + "." + digits;
}

}  // namespace

Status MergeProperties(std::string_view text, const std::string& source,
                       RawConfig& raw) {
  std::istringstream in{std::string(text)};
  return MergeLayer(
      source, [&] { return new PropertyFile(in); }, raw);
}

Result<RawConfig> LoadLayers(const std::string& base_file, bool base_required,
                             const std::vector<std::string>& files,
                             const std::vector<std::string>& defines) {
  return LoadLayers(base_file, base_required, files, defines, nullptr);
}

Result<RawConfig> LoadLayers(const std::string& base_file, bool base_required,
                             const std::vector<std::string>& files,
                             const std::vector<std::string>& defines,
                             Origins* origins) {
  RawConfig raw;
  auto layer = [&](const std::string& file) {
    RawConfig one;
    Status s = ReadFileLayer(file, one);
    for (const auto& [k, v] : one) {
      raw[k] = v;
      if (origins) (*origins)[k] = file;
    }
    return s;
  };
  const bool base_exists = !base_file.empty() && Poco::File(base_file).exists();
  if (base_exists || (base_required && !base_file.empty())) {
    Status s = layer(base_file);
    if (!s.ok()) return s;
  }
  for (const std::string& f : files) {
    if (!Poco::File(f).exists()) {
      return ConfigError("Konfigurationsdatei '" + f + "' gibt es nicht.");
    }
    Status s = layer(f);
    if (!s.ok()) return s;
  }
  for (const std::string& d : defines) {
    const size_t eq = d.find('=');
    if (eq == std::string::npos || Trim(d.substr(0, eq)).empty()) {
      return ConfigError("--define '" + d + "': erwartet wird key=value.");
    }
    raw[Trim(d.substr(0, eq))] = d.substr(eq + 1);
    if (origins) (*origins)[Trim(d.substr(0, eq))] = "";
  }
  return raw;
}

Status CheckKnownKeys(const RawConfig& raw, const Origins& origins) {
  for (const std::string& key : UnknownKeys(raw)) {
    auto origin = origins.find(key);
    const std::string file =
        origin == origins.end() ? std::string() : origin->second;
    std::string where = "--define";
    if (!file.empty()) {
      const int line = LineOfKey(file, key);
      where = "'" + file + "'" +
              (line > 0 ? ", Zeile " + std::to_string(line) : std::string());
    }
    return ConfigError("Unbekannter Konfigurationsschlüssel '" + key + "' (" +
                       where + "). Meinten Sie '" + NearestKnownKey(key) +
                       "'? Ein Tippfehler darf nicht unbemerkt den "
                       "Standardwert gelten lassen; bitte korrigieren Sie "
                       "den Schlüssel.");
  }
  return Status::Ok();
}

std::string DefaultConfigFile(const std::string& source_tree_config) {
  if (const char* env = std::getenv("BESCHEID_CONFIG"); env && *env) {
    return env;
  }
  for (const std::string& candidate :
       {std::string("/etc/bescheid/bescheid.properties"), source_tree_config}) {
    if (!candidate.empty() && Poco::File(candidate).exists()) return candidate;
  }
  return "";
}

const std::vector<std::string>& KnownKeys() { return KnownKeyList(); }

int LineOfKeyInFile(const std::string& file, const std::string& key) {
  return LineOfKey(file, key);
}

std::vector<std::string> UnknownKeys(const RawConfig& raw) {
  std::vector<std::string> unknown;
  const auto& known = KnownKeyList();
  for (const auto& [key, value] : raw) {
    if (std::find(known.begin(), known.end(), key) == known.end()) {
      unknown.push_back(key);
    }
  }
  return unknown;
}

namespace {

// Every key, read into `s`: the one list of keys, their types and (with a
// documenting Reader) their defaults.
void ReadAll(Reader& r, Settings& s) {
  core::ProgrammeRules& p = s.rules;
  r.String("programme.code", p.code);
  r.Date("programme.window.from", p.window_from);
  r.Date("programme.window.to", p.window_to);
  r.Decimal("programme.rate.A", p.rate_a);
  r.Decimal("programme.rate.B", p.rate_b);
  r.Decimal("programme.rate.C", p.rate_c);
  r.Decimal("programme.per-head", p.per_head);
  r.Money("programme.minimum", p.minimum);
  r.Decimal("programme.tranche-percent", p.tranche_percent);
  r.Integer("programme.tranche-year", p.tranche_year, 2000, 2100);
  std::string split = core::ToString(p.cap_split);
  r.OneOf("programme.cap-split", split, {"anteilig", "reihenfolge"});
  p.cap_split = core::ParseCapSplit(split).value_or(p.cap_split);
  r.OptionalDate("programme.decision-period.from", p.decision_from);
  r.OptionalDate("programme.decision-period.to", p.decision_to);
  r.String("programme.guideline", p.guideline);
  r.OptionalDate("programme.guideline-date", p.guideline_date);
  r.Date("reference.count-date", p.count_date);
  r.String("reference.gemeinden", s.reference_path);
  r.String("store.path", s.store_path);
  r.Integer("store.commit-group", s.store_commit_group, 1, 4096);
  r.String("aktenzeichen.prefix", s.aktenzeichen_prefix);
  r.Integer("intake.max-bytes", s.intake_max_bytes, 1, 1LL << 34);
  core::Authority& a = s.authority;
  r.String("authority.name", a.name);
  r.String("authority.unit", a.unit);
  r.String("authority.street", a.street);
  r.String("authority.postcode", a.postcode);
  r.String("authority.city", a.city);
  r.String("authority.contact", a.contact);
  r.String("authority.phone", a.phone);
  r.String("authority.email", a.email);
  r.String("authority.web", a.web);
  r.String("authority.return-address", a.return_address);
  r.String("authority.clerk", a.clerk);
  r.String("authority.clerk-phone", a.clerk_phone);
  r.String("authority.court.default", a.default_court);
  for (char district : {'1', '2', '3', '4'}) {
    const std::string key = std::string("authority.court.") + district;
    r.String(key.c_str(), a.courts[district]);
  }
  r.String("letters.templates", s.letters.templates_dir);
  r.String("letters.font.regular", s.letters.font_regular);
  r.String("letters.font.bold", s.letters.font_bold);
  r.String("letters.icc-profile", s.letters.icc_profile);
  r.Integer("letters.request-deadline-days", s.letters.request_deadline_days, 1,
            365);
  r.String("forms.layout", s.forms.layout);
  r.String("forms.font.handwriting", s.forms.font_handwriting);
  scan::ScanLimits& sl = s.scan.limits;
  r.Integer("scan.max-bytes", sl.max_bytes, 1, 1LL << 34);
  r.Integer("scan.max-pixels-per-side", sl.max_pixels_per_side, 100, 60000);
  r.Integer("scan.max-megapixels", sl.max_megapixels, 1, 2000);
  r.Integer("scan.max-pages", sl.max_pages, 1, 1000);
  r.Integer("scan.page-timeout-seconds", sl.page_timeout_seconds, 1, 3600);
  r.Integer("scan.pdf-dpi", sl.pdf_dpi, 100, 1200);
  r.Decimal("scan.min-confidence", s.scan.min_confidence);
  r.String("scan.tessdata", s.scan.tessdata);
  WatchSettings& w = s.watch;
  r.String("watch.root", w.root);
  r.Integer("watch.rescan-seconds", w.rescan_seconds, 1, 86400);
  r.Integer("watch.stable-seconds", w.stable_seconds, 0, 3600);
  r.Integer("watch.incomplete-seconds", w.incomplete_seconds, 1, 86400);
  r.Bool("watch.polling", w.polling);
  r.Integer("watch.workers", w.workers, 0, 64);
  r.Integer("watch.shutdown-seconds", w.shutdown_seconds, 1, 3600);
  r.Integer("watch.status-seconds", w.status_seconds, 0, 86400);
  r.List("watch.ignore", w.ignore);
  r.Integer("intake.timeout-seconds", w.timeout_seconds, 1, 86400);
  r.Integer("intake.max-attempts", w.max_attempts, 1, 100);
  review::ServerOptions& h = s.http;
  r.Bool("http.enabled", h.enabled);
  r.String("http.address", h.address);
  r.Integer("http.port", h.port, 0, 65535);
  r.Bool("http.secure-cookies", h.secure_cookies);
  r.String("http.users-file", h.users_file);
  r.Integer("http.session-idle-minutes", h.session_idle_minutes, 1, 1440);
  r.Integer("http.threads", h.threads, 1, 64);
  r.Integer("http.queue", h.queue, 1, 1024);
  r.Integer("http.max-body-bytes", h.max_body_bytes, 1024, 16 << 20);
  r.OneOf("log.level", w.log_level,
          {"fatal", "critical", "error", "warning", "notice", "information",
           "debug", "trace"});
  r.String("log.file", w.log_file);
  PrintSettings& pr = s.print;
  r.OneOf("print.mode", pr.mode, {"off", "batch", "immediate"});
  r.String("print.queue", pr.queue);
  r.TimeOfDay("print.batch-time", pr.batch_minute);
  r.Integer("print.wait-seconds", pr.wait_seconds, 0, 3600);
  r.OneOf("release.mode", s.release.mode, {"auto", "manual"});
}

// What each key means, for `config show` and docs/configuration.md.
const std::map<std::string, std::string>& Meanings() {
  static const std::map<std::string, std::string> m = {
      {"programme.code",
       "Programme this service decides; applications for another are "
       "rejected."},
      {"programme.window.from",
       "First day applications are accepted (receipt date)."},
      {"programme.window.to",
       "Last day applications are accepted (receipt date)."},
      {"programme.rate.A",
       "Fixed amount per full-time equivalent and 12 months, qualification A."},
      {"programme.rate.B",
       "Fixed amount per full-time equivalent and 12 months, qualification B."},
      {"programme.rate.C",
       "Fixed amount per full-time equivalent and 12 months, qualification C."},
      {"programme.per-head",
       "Planning budget per person in follow-up accommodation (EUR)."},
      {"programme.minimum",
       "Grants below this amount are refused (UNTER_MINDESTBETRAG)."},
      {"programme.tranche-percent",
       "Share of the first year's amount paid as first tranche (percent)."},
      {"programme.tranche-year", "Budget year of the first tranche."},
      {"programme.cap-split",
       "How a grant capped by the planning budget is split over the "
       "positions."},
      {"programme.decision-period.from",
       "Earliest plausible decision date; earlier ones go to review."},
      {"programme.decision-period.to",
       "Latest plausible decision date; later ones go to review."},
      {"programme.guideline",
       "Title of the funding guideline, named in letters as legal basis."},
      {"programme.guideline-date",
       "Date of the funding guideline, named with its title."},
      {"reference.gemeinden",
       "Reference table of municipalities entitled to apply "
       "(AGS;Name;Art;PersonenAU, optionally ;Strasse;PLZ;Ort: the town "
       "hall's address, for copies of joint applications' letters)."},
      {"reference.count-date",
       "Count date of the persons in the reference table; letters name it."},
      {"store.path",
       "The journal (SQLite): inputs, decisions, funded municipalities, "
       "numbers."},
      {"store.commit-group",
       "Most decided letters made durable together: their files synced in "
       "one pass and their journal entries committed in one transaction. "
       "A group never waits for more; 1 syncs and commits each alone."},
      {"aktenzeichen.prefix",
       "Prefix of every Aktenzeichen; the number follows."},
      {"intake.max-bytes",
       "Largest XML application accepted; larger files are rejected (a scan "
       "is held to scan.max-bytes instead)."},
      {"intake.timeout-seconds",
       "A file taking longer ends the process for a restart (watchdog)."},
      {"intake.max-attempts",
       "Crashed or hung attempts before a file is rejected."},
      {"authority.name", "The authority's name in letters."},
      {"authority.unit", "Department line under the name."},
      {"authority.street", "Street of the authority's address."},
      {"authority.postcode", "Postcode of the authority's address."},
      {"authority.city", "City of the authority's address."},
      {"authority.contact", "Contact office named in letters."},
      {"authority.phone", "General phone number."},
      {"authority.email", "Mailbox for the programme."},
      {"authority.web", "Web address in the footer."},
      {"authority.return-address",
       "Short sender line above the address (must fit the window)."},
      {"authority.clerk", "Clerk named in the information block."},
      {"authority.clerk-phone", "Clerk's direct line."},
      {"authority.court.default",
       "Administrative court when the applicant's district is unknown."},
      {"authority.court.1",
       "Administrative court for Regierungsbezirk Stuttgart (AGS 081...)."},
      {"authority.court.2",
       "Administrative court for Regierungsbezirk Karlsruhe (AGS 082...)."},
      {"authority.court.3",
       "Administrative court for Regierungsbezirk Freiburg (AGS 083...)."},
      {"authority.court.4",
       "Administrative court for Regierungsbezirk Tübingen (AGS 084...)."},
      {"letters.templates",
       "Folder of the letter templates (mustache), checked at start."},
      {"letters.font.regular", "Regular TrueType font of the letters."},
      {"letters.font.bold", "Bold TrueType font of the letters."},
      {"letters.icc-profile",
       "sRGB ICC profile embedded as PDF output intent."},
      {"letters.request-deadline-days",
       "Days a Nachforderung gives; moved to the next working day."},
      {"forms.layout",
       "Layout of the paper form (bescheid form, scans); see docs/forms.md."},
      {"forms.font.handwriting",
       "TrueType font for handwriting on test forms (form --handwriting)."},
      {"scan.max-bytes",
       "Largest scan file (TIFF, PNG, JPEG, PNM, PDF); larger ones are "
       "rejected unread."},
      {"scan.max-pixels-per-side",
       "Widest and tallest page of a scan, in pixels, read from the header "
       "before decoding (PDF: at scan.pdf-dpi)."},
      {"scan.max-megapixels",
       "Most pixels of one page (width x height, millions), checked before "
       "decoding; bounds a page's decoding time and memory."},
      {"scan.max-pages", "Most pages in one scan file."},
      {"scan.page-timeout-seconds",
       "Longest recognition of one page; then the file is rejected. "
       "Decoding is bounded by the pixel caps instead."},
      {"scan.pdf-dpi", "Resolution PDF scans are rendered at."},
      {"scan.min-confidence",
       "Fields read with less confidence (0 to 1) go to a person for "
       "verification."},
      {"scan.tessdata",
       "Folder of Tesseract's language models (deu.traineddata)."},
      {"watch.root", "The watch root (inbox/, outbox/, ...); must exist."},
      {"watch.rescan-seconds", "Full scan of the inbox at least this often."},
      {"watch.stable-seconds",
       "A file must be unchanged this long before it is taken (not XML that "
       "ends with its closing tag, nor a scan renamed into the inbox, unless "
       "a file seen before them still waits)."},
      {"watch.incomplete-seconds",
       "Then a scan that is still incomplete is rejected as truncated."},
      {"watch.polling", "true on network shares, where inotify sees nothing."},
      {"watch.workers",
       "Worker threads; 0 means one per CPU core (one thread more takes XML "
       "only, so XML never waits behind scans)."},
      {"watch.shutdown-seconds",
       "Longest stop; files still in flight stay claimed for the next start."},
      {"watch.status-seconds",
       "A status line in the log this often; 0 turns it off."},
      {"watch.ignore", "Names in the inbox never touched (shell patterns)."},
      {"http.enabled",
       "Serve the review station (web pages for the clerks, /healthz, "
       "/metrics); see docs/station.md."},
      {"http.address",
       "IP address the station listens on; keep 127.0.0.1 behind a TLS "
       "proxy."},
      {"http.port", "Port of the station; 0 picks a free one."},
      {"http.secure-cookies",
       "Mark the session cookie Secure (true when served through HTTPS)."},
      {"http.users-file",
       "The station's users and password hashes (bescheid user); empty: "
       "'users' in the folder of store.path."},
      {"http.session-idle-minutes",
       "A session ends after this long without a request."},
      {"http.threads",
       "Threads answering station requests (apart from the decision "
       "workers)."},
      {"http.queue",
       "Connections that may wait for a station thread; more are refused."},
      {"http.max-body-bytes",
       "Largest request body (form) the station accepts; larger get 413."},
      {"log.level", "Lowest level logged."},
      {"release.mode",
       "auto: letters go to outbox/<date>/ when decided; manual: they wait "
       "in entwurf/ until released in the review station (four eyes)."},
      {"log.file",
       "Log file; empty logs to standard output (journald under systemd)."},
      {"print.mode",
       "Printing by the service: off, batch (the day's letters at "
       "print.batch-time) or immediate (after each letter); see "
       "docs/printing.md."},
      {"print.queue",
       "CUPS queue print batches go to (bescheid print --queue overrides)."},
      {"print.batch-time",
       "Time of day the service prints (print.mode=batch)."},
      {"print.wait-seconds",
       "How long a print run waits for CUPS to report a job's outcome; "
       "later runs ask again."},
  };
  return m;
}

}  // namespace

std::vector<KeyDoc> DescribeKeys() {
  std::vector<KeyDoc> docs;
  Settings s;
  const RawConfig none;
  Reader r(none, &docs);
  ReadAll(r, s);
  for (KeyDoc& d : docs) {
    auto it = Meanings().find(d.key);
    if (it != Meanings().end()) d.meaning = it->second;
  }
  return docs;
}

namespace {

const std::vector<std::string>& KnownKeyList() {
  static const std::vector<std::string> keys = [] {
    std::vector<std::string> k;
    for (const KeyDoc& d : DescribeKeys()) k.push_back(d.key);
    return k;
  }();
  return keys;
}

}  // namespace

std::string ConfigurationMarkdown() {
  std::string out =
      "# Configuration\n\n"
      "Generated from the key table in `src/config/settings.cc` by\n"
      "`bescheid config doc`; a test keeps this file equal to it. Which file\n"
      "is read, layering and path resolution: see the README.\n\n"
      "| key | type | built-in default | meaning |\n"
      "|---|---|---|---|\n";
  for (const KeyDoc& d : DescribeKeys()) {
    std::string value = d.default_value;
    for (size_t at = value.find('|'); at != std::string::npos;
         at = value.find('|', at + 2)) {
      value.replace(at, 1, "\\|");
    }
    out += "| `" + d.key + "` | " + d.type + " | " +
           (value.empty() ? "(empty)" : "`" + value + "`") + " | " + d.meaning +
           " |\n";
  }
  return out;
}

Result<Settings> ParseSettings(const RawConfig& raw) {
  Settings s;
  Reader r(raw);
  ReadAll(r, s);
  if (!r.status().ok()) return r.status();
  const core::ProgrammeRules& p = s.rules;
  if (p.window_to < p.window_from) {
    return ConfigError(
        "Konfiguration: programme.window.to liegt vor programme.window.from.");
  }
  if (p.decision_from && p.decision_to && *p.decision_to < *p.decision_from) {
    return ConfigError(
        "Konfiguration: programme.decision-period.to liegt vor "
        "programme.decision-period.from.");
  }
  if (p.decision_from && *p.decision_from < p.count_date) {
    return ConfigError(
        "Konfiguration: programme.decision-period.from liegt vor dem "
        "Stichtag reference.count-date; vor der Zählung gibt es keinen "
        "Planungsrahmen.");
  }
  if (s.scan.min_confidence.micros() > core::Decimal::kScale) {
    return ConfigError(
        "Konfiguration 'scan.min-confidence': '" +
        PlainDecimal(s.scan.min_confidence) +
        "' ist ungültig, erwartet wird eine Zahl von 0 bis 1 (z. B. 0.8).");
  }
  if (p.tranche_percent.micros() > 100 * core::Decimal::kScale) {
    return ConfigError(
        "Konfiguration: programme.tranche-percent ist größer als 100.");
  }
  return s;
}

namespace {

// An empty http.users-file means "users" beside the journal.
void UsersFileBesideStore(Settings& s) {
  if (!s.http.users_file.empty()) return;
  const size_t slash = s.store_path.rfind('/');
  s.http.users_file = slash == std::string::npos
                          ? "users"
                          : s.store_path.substr(0, slash + 1) + "users";
}

}  // namespace

void ResolvePaths(const std::string& cwd, const Origins& origins, Settings& s) {
  auto base_for = [&](const char* key) {
    auto it = origins.find(key);
    if (it == origins.end() || it->second.empty()) return cwd;
    const Poco::Path file = Poco::Path(it->second).absolute(Poco::Path(cwd));
    return file.parent().toString();
  };
  auto resolve = [&](const char* key, std::string& p) {
    if (p.empty() || p[0] == '/') return;
    std::string dir = base_for(key);
    while (dir.size() > 1 && dir.back() == '/') dir.pop_back();
    p = dir + "/" + p;
  };
  resolve("reference.gemeinden", s.reference_path);
  resolve("store.path", s.store_path);
  resolve("letters.templates", s.letters.templates_dir);
  resolve("letters.font.regular", s.letters.font_regular);
  resolve("letters.font.bold", s.letters.font_bold);
  resolve("letters.icc-profile", s.letters.icc_profile);
  resolve("forms.layout", s.forms.layout);
  resolve("forms.font.handwriting", s.forms.font_handwriting);
  resolve("scan.tessdata", s.scan.tessdata);
  resolve("watch.root", s.watch.root);
  resolve("log.file", s.watch.log_file);
  resolve("http.users-file", s.http.users_file);
  UsersFileBesideStore(s);
}

void ResolvePaths(const std::string& base, Settings& s) {
  std::string dir = base;
  while (dir.size() > 1 && dir.back() == '/') dir.pop_back();
  auto resolve = [&](std::string& p) {
    if (!p.empty() && p[0] != '/') p = dir + "/" + p;
  };
  resolve(s.reference_path);
  resolve(s.store_path);
  resolve(s.letters.templates_dir);
  resolve(s.letters.font_regular);
  resolve(s.letters.font_bold);
  resolve(s.letters.icc_profile);
  resolve(s.forms.layout);
  resolve(s.forms.font_handwriting);
  resolve(s.scan.tessdata);
  resolve(s.watch.root);
  resolve(s.watch.log_file);
  resolve(s.http.users_file);
  UsersFileBesideStore(s);
}

}  // namespace bescheid::config
