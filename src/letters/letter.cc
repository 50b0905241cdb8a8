#include "letters/letter.h"

#include <algorithm>
#include <cctype>
#include <filesystem>
#include <fstream>
#include <kainjow/mustache.hpp>
#include <map>
#include <sstream>

#include "core/format.h"
#include "core/holidays.h"
#include "letters/layout.h"
#include "letters/markup.h"
#include "letters/pdf_writer.h"
#include "letters/printable.h"
#include "letters/template_check.h"

namespace bescheid::letters {
namespace {

namespace mu = kainjow::mustache;

constexpr char kGrantTemplate[] = "zuwendungsbescheid";
constexpr char kRejectionTemplate[] = "ablehnungsbescheid";
constexpr char kRequestTemplate[] = "nachforderung";

// German amounts keep number and currency on one line.
std::string Euro(core::Money m) {
  return core::FormatGermanAmount(m) +
         "\xC2\xA0"
         "EUR";
}

mu::data Bool(bool b) {
  return b ? mu::data::type::bool_true : mu::data::type::bool_false;
}

const char* TemplateFor(core::DecisionKind k) {
  switch (k) {
    case core::DecisionKind::kBewilligung:
    case core::DecisionKind::kTeilbewilligung:
      return kGrantTemplate;
    case core::DecisionKind::kAblehnung:
      return kRejectionTemplate;
    case core::DecisionKind::kNachforderung:
      return kRequestTemplate;
  }
  return kRejectionTemplate;
}

Result<std::string> ReadText(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in)
    return ConfigError("Vorlage '" + path + "' kann nicht gelesen werden.");
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

// Builds the mustache data of a letter and, from the same calls, the names
// a template may use (TemplateNames): the one place that says what a
// template can refer to. Names are collected only when asked for
// (KnownNames, once per renderer), not for every letter.
class Context {
 public:
  explicit Context(bool track_names) : track_(track_names) {}
  // An empty context for an item of a list, collecting names as this one.
  Context Item() const { return Context(track_); }

  void Set(const std::string& name, const std::string& value) {
    data_.set(name, value);
    if (track_) names_.names[name];
  }
  void Flag(const std::string& name, bool value) {
    data_.set(name, Bool(value));
    if (track_) names_.names[name];
  }
  void List(const std::string& name, const std::vector<Context>& items) {
    // mustache's set() copies what it is given: the list is set empty and
    // filled where it lies, so that each item is copied once, not twice.
    data_.set(name, mu::data(mu::data::type::list));
    auto* list = const_cast<mu::data*>(data_.get(name));  // data_'s own
    for (const Context& item : items) list->push_back(item.data_);
    if (!track_) return;
    TemplateNames& inner = names_.names[name];
    for (const Context& item : items) inner.Merge(item.names_);
  }
  const mu::data& data() const { return data_; }
  const TemplateNames& names() const { return names_; }

 private:
  bool track_;
  mu::data data_;
  TemplateNames names_;
};

core::Date FirstDay(core::YearMonth ym) { return {ym.year, ym.month, 1}; }
core::Date LastDay(core::YearMonth ym) {
  return {ym.year, ym.month, core::DaysInMonth(ym.year, ym.month)};
}

// Letter, authority and programme facts.
void AddLetterFacts(Context& c, const LetterInput& in, const LetterOptions& o) {
  const core::Application& a = *in.app;
  c.Set("aktenzeichen", in.aktenzeichen);
  c.Set("datum", core::FormatGerman(in.letter_date));
  c.Set("antragsdatum", core::FormatGerman(a.signature.date));
  c.Set("eingangsdatum", core::FormatGerman(in.receipt_date));
  c.Set("behoerde", o.authority.name);
  c.Set("bearbeitung", o.authority.Clerk());
  c.Set("durchwahl", o.authority.ClerkPhone());
  c.Set("gericht", o.authority.CourtFor(a.ags));
  c.Set("stichtag", core::FormatGerman(o.rules.count_date));
  c.Set("richtlinie", o.rules.guideline);
  c.Set("richtlinie_datum", o.rules.guideline_date
                                ? core::FormatGerman(*o.rules.guideline_date)
                                : "");
  c.Flag("hat_richtlinie_datum", o.rules.guideline_date.has_value());
  c.Set("antwortfrist", core::FormatGerman(RequestDeadline(o, in.letter_date)));
  // A completed application answering our request for missing documents.
  c.Flag("nachreichung", in.answers.has_value());
  c.Set("nachforderung_datum",
        in.answers ? core::FormatGerman(in.answers->request_date) : "");
  c.Set("nachforderung_frist",
        in.answers ? core::FormatGerman(in.answers->deadline) : "");
  c.Flag("nachreichung_verspaetet",
         in.answers && in.answers->deadline < in.receipt_date);
  c.Set("tranche_prozent", core::FormatGerman(o.rules.tranche_percent));
  c.Set("tranche_jahr", std::to_string(o.rules.tranche_year));
  c.Set("mindestbetrag", Euro(o.rules.minimum));
  c.Set("frist_von", core::FormatGerman(o.rules.window_from));
  c.Set("frist_bis", core::FormatGerman(o.rules.window_to));
  c.Set("pro_person", core::FormatGerman(o.rules.per_head));
}

// `text` with its first letter in upper case; for the articles ("der",
// "die", "dem"), which are ASCII.
std::string Capitalized(const std::string& text) {
  if (text.empty()) return text;
  return static_cast<char>(std::toupper(static_cast<unsigned char>(text[0]))) +
         text.substr(1);
}

void AddApplicant(Context& c, const core::Application& a) {
  c.Set("antragsteller", a.name);
  const std::string dative = core::DativeWithArticle(a.name);
  c.Set("antragsteller_dativ", dative);
  // At the start of a sentence: "Der Stadt Tettnang wird ...".
  c.Set("antragsteller_dativ_gross", Capitalized(dative));
  const std::string nominative = core::NominativeWithArticle(a.name);
  c.Set("antragsteller_nominativ", nominative);
  // "Die Gemeinde Kressbronn vertritt ...".
  c.Set("antragsteller_nominativ_gross", Capitalized(nominative));
  c.Set("ags", a.ags);
  c.Set("art", core::ToString(a.kind));
  c.Set("programm", a.programme);
  c.Set("iban", core::FormatIban(a.bank.iban));
  c.Flag("zusammenschluss", !a.members.empty());
  std::vector<Context> members;
  for (const core::Member& m : a.members) {
    Context mc = c.Item();
    mc.Set("name", m.name);
    mc.Set("name_dativ", core::DativeWithArticle(m.name));
    mc.Set("ags", m.ags);
    members.push_back(std::move(mc));
  }
  c.List("mitglieder", members);
}

Context PositionContext(const Context& c, const core::Application& a,
                        const core::Decision& d, size_t i) {
  const core::Position& p = a.positions[i];
  const core::YearMonth last =
      core::YearMonth::FromIndex(p.start.Index() + p.months - 1);
  Context pc = c.Item();
  pc.Set("nr", std::to_string(i + 1));
  pc.Set("person", p.person);
  pc.Set("traeger", p.provider.value_or(""));
  pc.Flag("hat_traeger", p.provider.has_value());
  pc.Set("qualifikation", core::ToString(p.qualification));
  pc.Set("qualifikation_text", core::DescribeQualification(p.qualification));
  pc.Set("vzae", core::FormatHundredths(p.fte_hundredths));
  pc.Set("beginn", core::FormatGerman(p.start));
  pc.Set("ende", core::FormatGerman(last));
  pc.Set("beginn_datum", core::FormatGerman(FirstDay(p.start)));
  pc.Set("ende_datum", core::FormatGerman(LastDay(last)));
  pc.Set("monate", std::to_string(p.months));
  // One unbreakable unit in tables: "07/2017 – 06/2019".
  pc.Set("zeitraum", core::FormatGerman(p.start) +
                         "\xC2\xA0\xE2\x80\x93\xC2\xA0" +
                         core::FormatGerman(last));
  auto amount = [](const std::vector<core::Money>& v, size_t k) {
    return k < v.size() ? core::FormatGermanAmount(v[k]) : std::string();
  };
  pc.Set("betrag", amount(d.position_amounts, i));
  pc.Set("betrag_bewilligt", amount(d.granted_position_amounts, i));
  pc.Flag("nachweis_fehlt", !p.proof_attached);
  return pc;
}

void AddPositions(Context& c, const core::Application& a,
                  const core::Decision& d, int tranche_year) {
  std::vector<Context> positions;
  std::vector<std::string> providers;
  int first = INT32_MAX, last = 0;
  for (size_t i = 0; i < a.positions.size(); ++i) {
    const core::Position& p = a.positions[i];
    positions.push_back(PositionContext(c, a, d, i));
    first = std::min(first, p.start.Index());
    last = std::max(last, p.start.Index() + p.months - 1);
    if (p.provider && std::find(providers.begin(), providers.end(),
                                *p.provider) == providers.end()) {
      providers.push_back(*p.provider);
    }
  }
  c.List("stellen", positions);
  if (a.positions.empty()) first = last = 0;
  c.Set("zeitraum_von",
        core::FormatGerman(FirstDay(core::YearMonth::FromIndex(first))));
  c.Set("zeitraum_bis",
        core::FormatGerman(LastDay(core::YearMonth::FromIndex(last))));
  c.Flag("hat_traeger_stellen", !providers.empty());
  c.Set("traeger_liste", core::JoinGerman(providers));
  // Later years are funded only if the budget provides for them.
  std::vector<std::string> later;
  for (int y = tranche_year + 1; y <= last / 12; ++y)
    later.push_back(std::to_string(y));
  c.Flag("haushaltsvorbehalt", !later.empty());
  c.Set("folgejahre", core::JoinGerman(later));
}

void AddAmounts(Context& c, const core::Decision& d) {
  c.Set("foerderfaehig", Euro(d.eligible));
  c.Set("foerderfaehig_zahl", core::FormatGermanAmount(d.eligible));
  c.Set("planungsrahmen", Euro(d.planning_budget));
  c.Set("bewilligt", Euro(d.granted));
  c.Set("bewilligt_zahl", core::FormatGermanAmount(d.granted));
  c.Set("abgelehnt", Euro(d.eligible - d.granted));
  c.Set("anteil_jahr", Euro(d.share_tranche_year));
  c.Set("erste_tranche", Euro(d.first_tranche));
  c.Flag("erste_tranche_null", d.first_tranche.cents() == 0);
}

void AddReasons(Context& c, const core::Application& a,
                const core::Decision& d) {
  c.Flag("bewilligung", d.kind == core::DecisionKind::kBewilligung);
  c.Flag("teilbewilligung", d.kind == core::DecisionKind::kTeilbewilligung);
  std::vector<Context> reasons;
  for (const core::Reason& r : d.reasons) {
    Context rc = c.Item();
    rc.Set("code", r.code);
    rc.Set("text", r.text);
    reasons.push_back(std::move(rc));
  }
  c.List("gruende", reasons);
  for (const char* code : core::kReasonCodes) {
    c.Flag(code, d.HasReason(code));  // e.g. {{#DOPPELFOERDERUNG}}
  }
  std::vector<Context> unknown, earlier;
  for (const std::string& ags : d.unknown_ags) {
    Context u = c.Item();
    u.Set("ags", ags);
    u.Set("name", core::NameOf(a, ags));
    unknown.push_back(std::move(u));
  }
  c.List("unbekannte_kommunen", unknown);
  for (const core::PriorGrant& g : d.conflicting_grants) {
    Context e = c.Item();
    e.Set("ags", g.ags);
    e.Set("name", core::NameOf(a, g.ags));
    e.Set("aktenzeichen", g.aktenzeichen);
    e.Set("datum", g.date ? core::FormatGerman(*g.date) : "");
    e.Flag("hat_datum", g.date.has_value());
    earlier.push_back(std::move(e));
  }
  c.List("fruehere_bescheide", earlier);
}

void AddMissingItems(Context& c, const core::Application& a,
                     const core::Decision& d) {
  std::vector<Context> no_proof, declarations;
  for (size_t i : d.positions_without_proof) {
    Context n = c.Item();
    n.Set("nr", std::to_string(i + 1));
    n.Set("person", a.positions[i].person);
    n.Set("qualifikation_text",
          core::DescribeQualification(a.positions[i].qualification));
    no_proof.push_back(std::move(n));
  }
  c.List("stellen_ohne_nachweis", no_proof);
  for (const std::string& text : d.missing_declarations) {
    Context e = c.Item();
    e.Set("text", text);
    declarations.push_back(std::move(e));
  }
  c.List("fehlende_erklaerungen", declarations);
}

// The whole context of one letter; with `track_names`, also the names it
// sets (KnownNames).
Context BuildContext(const LetterInput& in, const LetterOptions& o,
                     bool track_names) {
  Context c(track_names);
  AddLetterFacts(c, in, o);
  AddApplicant(c, *in.app);
  AddPositions(c, *in.app, *in.decision, o.rules.tranche_year);
  AddAmounts(c, *in.decision);
  AddReasons(c, *in.app, *in.decision);
  AddMissingItems(c, *in.app, *in.decision);
  return c;
}

// Every name a template may use: the context of an input in which every
// list has an entry and every optional value is present.
TemplateNames KnownNames(const LetterOptions& o) {
  core::Application a;
  a.name = "Gemeinde A";
  a.members = {{"08000001", "Gemeinde B"}};
  core::Position p;
  p.provider = "Träger";
  a.positions = {p};
  core::Decision d;
  d.unknown_ags = {"08000002"};
  d.conflicting_grants = {{"08000001", "AZ", core::Date{2017, 9, 1}}};
  d.positions_without_proof = {0};
  d.missing_declarations = {"Erklärung"};
  for (const char* code : core::kReasonCodes) d.reasons.push_back({code, ""});
  LetterInput in;
  in.app = &a;
  in.decision = &d;
  in.letter_date = in.receipt_date = core::Date{2017, 9, 15};
  return BuildContext(in, o, true).names();
}

// Page frame geometry (DIN 5008 form B), in points from the top-left.
constexpr double kLeft = 25 * kMm;
constexpr double kRight = 190 * kMm;
constexpr double kAddressX = 25 * kMm;  // 20 mm field edge + 5 mm inset
constexpr double kAddressWidth = 80 * kMm;
constexpr double kReturnBaseline = 60.5 * kMm;
constexpr double kAddressTop = 62.7 * kMm;
constexpr double kAddressBottom = 90 * kMm;
constexpr double kInfoX = 125 * kMm;
constexpr double kInfoValueX = 150 * kMm;
constexpr double kReturnMaxSize = 8;
constexpr double kReturnMinSize = 6;
constexpr double kInfoTop = 50 * kMm;  // top of the first line (form B)
constexpr double kInfoValueSize = 8.5;
constexpr double kInfoAscent = 0.93;  // DejaVu Sans, em above the baseline
constexpr double kBodySize = 10;
constexpr double kFooterLine = 274 * kMm;

// The marker of a copy, set above the subject.
Block CopyMarker(const CopyRecipient& to) {
  Block b;
  b.kind = Block::Kind::kParagraph;
  b.spans = {
      {"Abschrift – nachrichtlich an " + core::AccusativeWithArticle(to.name),
       true}};
  return b;
}

}  // namespace

core::Date RequestDeadline(const LetterOptions& options,
                           const core::Date& letter_date) {
  return core::DeadlineEndBw(letter_date, options.request_deadline_days);
}

struct LetterRenderer::Impl {
  LetterOptions options;
  std::map<std::string, std::string> templates;  // name -> source
  std::map<std::string, std::string> partials;   // name -> source
  // Each letter template with its partials inlined (InlinePartials),
  // parsed once with our escaping and reused for every letter of this
  // renderer: rendering parses nothing.
  std::map<std::string, std::unique_ptr<mu::mustache>> compiled;
  std::unique_ptr<PdfWriter> pdf;

  // The return line(s) in the address field's upper zone: the largest size
  // from kReturnMaxSize down to kReturnMinSize at which `text` fits the
  // field's width; below that, broken into lines at the smallest size,
  // filled bottom-up. Never clipped.
  void ReturnLines(const std::string& text, std::vector<TextOp>& t) const {
    double size = kReturnMaxSize;
    while (size > kReturnMinSize &&
           pdf->Width(text, FontStyle::kRegular, size) > kAddressWidth) {
      size -= 0.5;
    }
    const std::vector<Line> lines =
        BreakLines({{text, false}}, *pdf, size, kAddressWidth);
    double y =
        kReturnBaseline - size * 1.2 * static_cast<double>(lines.size() - 1);
    for (const Line& line : lines) {
      for (const Run& r : line) {
        t.push_back({kAddressX + r.x, y, size, FontStyle::kRegular, r.text});
      }
      y += size * 1.2;
    }
  }

  // The address field's lines: the applicant's, or for a copy the
  // member's (lines it lacks are left out).
  static std::vector<std::string> AddressOf(const LetterInput& in) {
    if (!in.copy_to) {
      const core::Address& a = in.app->address;
      return {a.recipient, a.street, a.postcode + " " + a.city};
    }
    const CopyRecipient& to = *in.copy_to;
    std::vector<std::string> lines = {to.name};
    if (!to.street.empty()) lines.push_back(to.street);
    const std::string place =
        to.postcode + (to.postcode.empty() || to.city.empty() ? "" : " ") +
        to.city;
    if (!place.empty()) lines.push_back(place);
    return lines;
  }

  // Fixed parts of every page: letterhead or running header, address
  // field, information block, fold and hole marks, footer, page number.
  void Frame(std::vector<Page>& pages, const LetterInput& in) const {
    const core::Authority& auth = options.authority;
    const core::Application& a = *in.app;
    const int total = static_cast<int>(pages.size());
    for (int n = 0; n < total; ++n) {
      Page& p = pages[static_cast<size_t>(n)];
      std::vector<TextOp> t;
      if (n == 0) {
        t.push_back({kLeft, 18 * kMm, 13, FontStyle::kBold, auth.name});
        t.push_back({kLeft, 23 * kMm, 9, FontStyle::kRegular, auth.unit});
        // Address field: return line, then the recipient's address.
        ReturnLines(auth.ReturnAddress(), t);
        std::vector<std::string> address_lines;
        double size = 10;
        for (; size >= 7; size -= 1) {
          address_lines.clear();
          for (const std::string& raw : AddressOf(in)) {
            for (const Line& line :
                 BreakLines({{raw, false}}, *pdf, size, kAddressWidth)) {
              std::string s;
              for (const Run& r : line) s += r.text;
              address_lines.push_back(s);
            }
          }
          if (address_lines.size() <= 6) break;
        }
        const double lead = size * 1.25;
        for (size_t i = 0; i < address_lines.size() && i < 6; ++i) {
          t.push_back(
              {kAddressX,
               kAddressTop + size * 1.05 + lead * static_cast<double>(i), size,
               FontStyle::kRegular, address_lines[i]});
        }
        // Information block.
        std::vector<std::pair<const char*, std::string>> info = {
            {"Aktenzeichen", in.aktenzeichen},
            {"Ihr Antrag vom", core::FormatGerman(a.signature.date)},
            {"Eingegangen am", core::FormatGerman(in.receipt_date)},
            {"Bearbeitung", auth.Clerk()},
            {"Telefon", auth.ClerkPhone()},
            {"Datum", core::FormatGerman(in.letter_date)},
        };
        if (in.answers) {
          info.insert(info.begin() + 3,
                      {"Unser Schreiben",
                       core::FormatGerman(in.answers->request_date)});
        }
        double y = kInfoTop + kInfoAscent * kInfoValueSize;
        for (const auto& [label, value] : info) {
          t.push_back({kInfoX, y, 7.5, FontStyle::kRegular, label});
          for (const Line& line :
               BreakLines({{value, false}}, *pdf, kInfoValueSize,
                          kRight - kInfoValueX)) {
            for (const Run& r : line) {
              t.push_back({kInfoValueX + r.x, y, kInfoValueSize,
                           FontStyle::kRegular, r.text});
            }
            y += 10.5;
          }
        }
        // Fold marks (105 mm, 210 mm) and hole mark (148.5 mm).
        p.lines.push_back({3 * kMm, 105 * kMm, 7 * kMm, 105 * kMm, 0.4});
        p.lines.push_back({3 * kMm, 210 * kMm, 7 * kMm, 210 * kMm, 0.4});
        p.lines.push_back({3 * kMm, 148.5 * kMm, 9 * kMm, 148.5 * kMm, 0.4});
      } else {
        t.push_back({kLeft, 16 * kMm, 8, FontStyle::kRegular, auth.name});
        const std::string az = "Aktenzeichen " + in.aktenzeichen + " vom " +
                               core::FormatGerman(in.letter_date);
        t.push_back({kRight - pdf->Width(az, FontStyle::kRegular, 8), 16 * kMm,
                     8, FontStyle::kRegular, az});
        p.lines.push_back({kLeft, 18 * kMm, kRight, 18 * kMm, 0.4});
      }
      if (total > 1) {  // "Seite 1 von 1" says nothing
        const std::string page_no =
            "Seite " + std::to_string(n + 1) + " von " + std::to_string(total);
        t.push_back({kRight - pdf->Width(page_no, FontStyle::kRegular, 8),
                     kFooterLine - 2.5 * kMm, 8, FontStyle::kRegular, page_no});
      }
      p.lines.push_back({kLeft, kFooterLine, kRight, kFooterLine, 0.4});
      t.push_back({kLeft, kFooterLine + 4 * kMm, 7, FontStyle::kRegular,
                   auth.name + " · " + auth.unit + " · " + auth.street + " · " +
                       auth.postcode + " " + auth.city});
      t.push_back({kLeft, kFooterLine + 7.5 * kMm, 7, FontStyle::kRegular,
                   "Telefon " + auth.phone + " · E-Mail " + auth.email + " · " +
                       auth.web});
      p.texts.insert(p.texts.begin(), t.begin(), t.end());
    }
  }
};

LetterRenderer::LetterRenderer(std::unique_ptr<Impl> impl)
    : impl_(std::move(impl)) {}
LetterRenderer::~LetterRenderer() = default;

Result<std::unique_ptr<LetterRenderer>> LetterRenderer::Create(
    const LetterOptions& options) {
  auto impl = std::make_unique<Impl>();
  impl->options = options;
  namespace fs = std::filesystem;
  for (const char* name :
       {kGrantTemplate, kRejectionTemplate, kRequestTemplate}) {
    const std::string path = options.templates_dir + "/" + name + ".mustache";
    Result<std::string> text = ReadText(path);
    if (!text.ok()) return text.status();
    impl->templates[name] = std::move(text).value();
  }
  std::error_code ec;
  const fs::path partial_dir = fs::path(options.templates_dir) / "partials";
  if (fs::is_directory(partial_dir, ec)) {
    for (const auto& e : fs::directory_iterator(partial_dir, ec)) {
      if (e.path().extension() != ".mustache") continue;
      Result<std::string> text = ReadText(e.path().string());
      if (!text.ok()) return text.status();
      impl->partials[e.path().stem().string()] = std::move(text).value();
    }
  }
  // Every template and partial must parse, and every name a template uses
  // must be one its context provides; report the first problem.
  for (const auto* group : {&impl->templates, &impl->partials}) {
    for (const auto& [name, source] : *group) {
      mu::mustache t(source);
      if (!t.is_valid()) {
        return ConfigError("Vorlage '" + name +
                           "' ist fehlerhaft: " + t.error_message());
      }
    }
  }
  const TemplateNames known = KnownNames(options);
  for (const auto& [name, source] : impl->templates) {
    Status s = CheckTemplate(name + ".mustache", source, known, impl->partials);
    if (!s.ok()) return s;
  }
  for (const auto& [name, source] : impl->templates) {
    Result<std::string> whole = InlinePartials(source, impl->partials);
    if (!whole.ok()) return whole.status();
    auto t = std::make_unique<mu::mustache>(*whole);
    if (!t->is_valid()) {
      return ConfigError("Vorlage '" + name +
                         "' ist fehlerhaft: " + t->error_message());
    }
    t->set_custom_escape([](const std::string& v) { return EscapeValue(v); });
    impl->compiled[name] = std::move(t);
  }
  auto pdf = PdfWriter::Create(options.font_regular, options.font_bold,
                               options.icc_profile);
  if (!pdf.ok()) return pdf.status();
  impl->pdf = std::move(pdf).value();
  return std::unique_ptr<LetterRenderer>(new LetterRenderer(std::move(impl)));
}

Result<std::string> LetterRenderer::RenderText(const LetterInput& in) const {
  if (in.app == nullptr || in.decision == nullptr) {
    return InternalError("letter input without application or decision");
  }
  Status date_ok =
      core::CheckDecisionDate(impl_->options.rules, in.letter_date);
  if (!date_ok.ok()) return date_ok;
  mu::mustache& t = *impl_->compiled.at(TemplateFor(in.decision->kind));
  // Rendered from the context itself: a copy of its data is a deep copy.
  const Context c = BuildContext(in, impl_->options, false);
  std::string text = t.render(c.data());
  if (!t.is_valid()) {
    return ConfigError("Vorlage " +
                       std::string(TemplateFor(in.decision->kind)) + ": " +
                       t.error_message());
  }
  return text;
}

Result<Letter> LetterRenderer::Render(const LetterInput& in) {
  Result<std::string> text = RenderText(in);
  if (!text.ok()) return text.status();
  std::vector<Block> blocks = ParseMarkup(*text);
  if (in.copy_to) blocks.insert(blocks.begin(), CopyMarker(*in.copy_to));
  Letter letter;
  std::string subject;
  for (const Block& b : blocks) {
    if (b.kind == Block::Kind::kSubject) subject = PlainText(b.spans);
  }
  FlowGeometry g;
  g.left = kLeft;
  g.right = kRight;
  g.first_top = 98.5 * kMm;
  g.first_bottom = 266 * kMm;
  g.next_top = 26 * kMm;
  g.next_bottom = 266 * kMm;
  g.size = kBodySize;
  g.leading = 13.5;
  std::vector<Page> pages = FlowBlocks(blocks, *impl_->pdf, g);
  impl_->Frame(pages, in);
  // Refuse rather than print a name wrongly (kInvalidInput, German reason).
  Status printable = CheckPrintable(
      pages, *in.app, [this](char32_t cp) { return impl_->pdf->CanPrint(cp); });
  if (!printable.ok()) return printable;

  PdfMetadata meta;
  meta.title = subject.empty() ? "Bescheid " + in.aktenzeichen : subject;
  meta.author = impl_->options.authority.name;
  meta.subject = in.aktenzeichen;
  meta.timestamp = in.timestamp;
  meta.printable_checked = true;  // above
  Result<std::string> pdf = impl_->pdf->Write(pages, meta);
  if (!pdf.ok()) return pdf.status();
  letter.pdf = std::move(pdf).value();
  letter.pages = static_cast<int>(pages.size());
  return letter;
}

}  // namespace bescheid::letters
