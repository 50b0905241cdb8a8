#include "letters/letter.h"

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <kainjow/mustache.hpp>
#include <map>
#include <sstream>

#include "core/format.h"
#include "letters/layout.h"
#include "letters/markup.h"
#include "letters/pdf_writer.h"
#include "letters/printable.h"

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

std::string LastMonth(const core::Position& p) {
  return core::FormatGerman(
      core::YearMonth::FromIndex(p.start.Index() + p.months - 1));
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
constexpr double kInfoTop = 50 * kMm;
constexpr double kBodySize = 10;
constexpr double kFooterLine = 274 * kMm;

}  // namespace

struct LetterRenderer::Impl {
  LetterOptions options;
  std::map<std::string, std::string> templates;  // name -> source
  std::map<std::string, std::string> partials;   // name -> source
  // Each letter template parsed once (with our escaping), reused for every
  // letter of this renderer.
  std::map<std::string, std::unique_ptr<mu::mustache>> compiled;
  std::unique_ptr<PdfWriter> pdf;

  mu::data Data(const LetterInput& in) const {
    const core::Application& a = *in.app;
    const core::Decision& d = *in.decision;
    const core::Authority& auth = options.authority;
    mu::data data;
    data.set("aktenzeichen", in.aktenzeichen);
    data.set("datum", core::FormatGerman(in.letter_date));
    data.set("antragsdatum", core::FormatGerman(a.signature.date));
    data.set("eingangsdatum", core::FormatGerman(in.receipt_date));
    data.set("antragsteller", a.name);
    data.set("ags", a.ags);
    data.set("art", core::ToString(a.kind));
    data.set("programm", a.programme);
    data.set("behoerde", auth.name);
    data.set("gericht", auth.CourtFor(a.ags));
    data.set("bewilligung", Bool(d.kind == core::DecisionKind::kBewilligung));
    data.set("teilbewilligung",
             Bool(d.kind == core::DecisionKind::kTeilbewilligung));

    data.set("zusammenschluss", Bool(!a.members.empty()));
    mu::data members{mu::data::type::list};
    for (const core::Member& m : a.members) {
      mu::data md;
      md.set("name", m.name);
      md.set("ags", m.ags);
      members.push_back(md);
    }
    data.set("mitglieder", members);

    mu::data positions{mu::data::type::list};
    int first = INT32_MAX, last = 0;
    for (size_t i = 0; i < a.positions.size(); ++i) {
      const core::Position& p = a.positions[i];
      mu::data pd;
      pd.set("nr", std::to_string(i + 1));
      pd.set("person", p.person);
      pd.set("traeger", p.provider.value_or(""));
      pd.set("hat_traeger", Bool(p.provider.has_value()));
      pd.set("qualifikation", core::ToString(p.qualification));
      pd.set("qualifikation_text",
             core::DescribeQualification(p.qualification));
      pd.set("vzae", core::FormatHundredths(p.fte_hundredths));
      pd.set("beginn", core::FormatGerman(p.start));
      pd.set("ende", LastMonth(p));
      pd.set("monate", std::to_string(p.months));
      // One unbreakable unit in tables: "07/2017 – 06/2019".
      pd.set("zeitraum", core::FormatGerman(p.start) +
                             "\xC2\xA0\xE2\x80\x93\xC2\xA0" + LastMonth(p));
      pd.set("betrag", i < d.position_amounts.size()
                           ? core::FormatGermanAmount(d.position_amounts[i])
                           : "");
      pd.set("nachweis_fehlt", Bool(!p.proof_attached));
      positions.push_back(pd);
      first = std::min(first, p.start.Index());
      last = std::max(last, p.start.Index() + p.months - 1);
    }
    data.set("stellen", positions);
    if (!a.positions.empty()) {
      data.set("zeitraum_von",
               core::FormatGerman(core::YearMonth::FromIndex(first)));
      data.set("zeitraum_bis",
               core::FormatGerman(core::YearMonth::FromIndex(last)));
    }

    data.set("foerderfaehig", Euro(d.eligible));
    data.set("foerderfaehig_zahl", core::FormatGermanAmount(d.eligible));
    data.set("planungsrahmen", Euro(d.planning_budget));
    data.set("bewilligt", Euro(d.granted));
    data.set("anteil_jahr", Euro(d.share_tranche_year));
    data.set("erste_tranche", Euro(d.first_tranche));
    data.set("erste_tranche_null", Bool(d.first_tranche.cents() == 0));
    data.set("tranche_prozent",
             core::FormatGerman(options.rules.tranche_percent));
    data.set("tranche_jahr", std::to_string(options.rules.tranche_year));
    data.set("mindestbetrag", Euro(options.rules.minimum));
    data.set("frist_von", core::FormatGerman(options.rules.window_from));
    data.set("frist_bis", core::FormatGerman(options.rules.window_to));
    data.set("pro_person", core::FormatGerman(options.rules.per_head));

    mu::data reasons{mu::data::type::list};
    for (const core::Reason& r : d.reasons) {
      mu::data rd;
      rd.set("code", r.code);
      rd.set("text", r.text);
      reasons.push_back(rd);
      data.set(r.code, Bool(true));  // e.g. {{#DOPPELFOERDERUNG}}
    }
    data.set("gruende", reasons);
    mu::data unknown{mu::data::type::list};
    for (const std::string& ags : d.unknown_ags) {
      mu::data u;
      u.set("ags", ags);
      u.set("name", core::NameOf(a, ags));
      unknown.push_back(u);
    }
    data.set("unbekannte_kommunen", unknown);
    mu::data earlier{mu::data::type::list};
    for (const core::PriorGrant& g : d.conflicting_grants) {
      mu::data e;
      e.set("ags", g.ags);
      e.set("aktenzeichen", g.aktenzeichen);
      earlier.push_back(e);
    }
    data.set("fruehere_bescheide", earlier);

    mu::data no_proof{mu::data::type::list};
    for (size_t i : d.positions_without_proof) {
      mu::data n;
      n.set("nr", std::to_string(i + 1));
      n.set("person", a.positions[i].person);
      n.set("qualifikation_text",
            core::DescribeQualification(a.positions[i].qualification));
      no_proof.push_back(n);
    }
    data.set("stellen_ohne_nachweis", no_proof);
    data.set("iban", core::FormatIban(a.bank.iban));
    mu::data declarations{mu::data::type::list};
    for (const std::string& text : d.missing_declarations) {
      mu::data e;
      e.set("text", text);
      declarations.push_back(e);
    }
    data.set("fehlende_erklaerungen", declarations);
    data.set("antwortfrist", core::FormatGerman(in.letter_date.PlusDays(
                                 options.request_deadline_days)));

    for (const auto& [name, source] : partials) {
      const std::string text = source;
      data.set(name, mu::partial([text] { return text; }));
    }
    return data;
  }

  // Fixed parts of every page: letterhead or running header, address
  // field, information block, fold and hole marks, footer, page number.
  void Frame(std::vector<Page>& pages, const LetterInput& in) const {
    const core::Authority& auth = options.authority;
    const core::Application& a = *in.app;
    auto enc = [](const std::string& s) { return s; };  // texts are UTF-8
    const int total = static_cast<int>(pages.size());
    for (int n = 0; n < total; ++n) {
      Page& p = pages[static_cast<size_t>(n)];
      std::vector<TextOp> t;
      if (n == 0) {
        t.push_back({kLeft, 18 * kMm, 13, FontStyle::kBold, enc(auth.name)});
        t.push_back({kLeft, 23 * kMm, 9, FontStyle::kRegular, enc(auth.unit)});
        // Address field: return line, then the recipient's address.
        t.push_back({kAddressX, kReturnBaseline, 7, FontStyle::kRegular,
                     enc(auth.ReturnAddress())});
        std::vector<std::string> address_lines;
        double size = 10;
        for (; size >= 7; size -= 1) {
          address_lines.clear();
          for (const std::string& raw :
               {a.address.recipient, a.address.street,
                a.address.postcode + " " + a.address.city}) {
            for (const Line& line :
                 BreakLines({{enc(raw), false}}, *pdf, size, kAddressWidth)) {
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
        const std::pair<const char*, std::string> info[] = {
            {"Aktenzeichen", in.aktenzeichen},
            {"Ihr Antrag vom", core::FormatGerman(a.signature.date)},
            {"Eingegangen am", core::FormatGerman(in.receipt_date)},
            {"Bearbeitung", auth.contact},
            {"Telefon", auth.phone},
            {"Datum", core::FormatGerman(in.letter_date)},
        };
        double y = kInfoTop;
        for (const auto& [label, value] : info) {
          t.push_back({kInfoX, y, 7.5, FontStyle::kRegular, enc(label)});
          for (const Line& line : BreakLines({{enc(value), false}}, *pdf, 8.5,
                                             kRight - kInfoValueX)) {
            for (const Run& r : line) {
              t.push_back(
                  {kInfoValueX + r.x, y, 8.5, FontStyle::kRegular, r.text});
            }
            y += 10.5;
          }
        }
        // Fold marks (105 mm, 210 mm) and hole mark (148.5 mm).
        p.lines.push_back({3 * kMm, 105 * kMm, 7 * kMm, 105 * kMm, 0.4});
        p.lines.push_back({3 * kMm, 210 * kMm, 7 * kMm, 210 * kMm, 0.4});
        p.lines.push_back({3 * kMm, 148.5 * kMm, 9 * kMm, 148.5 * kMm, 0.4});
      } else {
        t.push_back({kLeft, 16 * kMm, 8, FontStyle::kRegular, enc(auth.name)});
        const std::string az = enc("Aktenzeichen " + in.aktenzeichen + " vom " +
                                   core::FormatGerman(in.letter_date));
        t.push_back({kRight - pdf->Width(az, FontStyle::kRegular, 8), 16 * kMm,
                     8, FontStyle::kRegular, az});
        p.lines.push_back({kLeft, 18 * kMm, kRight, 18 * kMm, 0.4});
      }
      const std::string page_no =
          "Seite " + std::to_string(n + 1) + " von " + std::to_string(total);
      t.push_back({kRight - pdf->Width(page_no, FontStyle::kRegular, 8),
                   kFooterLine - 2.5 * kMm, 8, FontStyle::kRegular, page_no});
      p.lines.push_back({kLeft, kFooterLine, kRight, kFooterLine, 0.4});
      t.push_back({kLeft, kFooterLine + 4 * kMm, 7, FontStyle::kRegular,
                   enc(auth.name + " · " + auth.unit + " · " + auth.street +
                       " · " + auth.postcode + " " + auth.city)});
      t.push_back({kLeft, kFooterLine + 7.5 * kMm, 7, FontStyle::kRegular,
                   enc("Telefon " + auth.phone + " · E-Mail " + auth.email +
                       " · " + auth.web)});
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
  // Every template and partial must parse; report the first problem.
  for (const auto* group : {&impl->templates, &impl->partials}) {
    for (const auto& [name, source] : *group) {
      mu::mustache t(source);
      if (!t.is_valid()) {
        return ConfigError("Vorlage '" + name +
                           "' ist fehlerhaft: " + t.error_message());
      }
    }
  }
  for (const auto& [name, source] : impl->templates) {
    auto t = std::make_unique<mu::mustache>(source);
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
  mu::mustache& t = *impl_->compiled.at(TemplateFor(in.decision->kind));
  std::string text = t.render(impl_->Data(in));
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
  for (Page& p : pages) {
    for (TextOp& t : p.texts) {
      if (t.text == "\x96") t.text = "\xE2\x80\x93";  // layout's CP1252 bullet
    }
  }
  // Refuse rather than print a name wrongly (kInvalidInput, German reason).
  Status printable = CheckPrintable(
      pages, *in.app, [this](char32_t cp) { return impl_->pdf->CanPrint(cp); });
  if (!printable.ok()) return printable;

  PdfMetadata meta;
  meta.title = subject.empty() ? "Bescheid " + in.aktenzeichen : subject;
  meta.author = impl_->options.authority.name;
  meta.subject = in.aktenzeichen;
  meta.timestamp = in.timestamp;
  Result<std::string> pdf = impl_->pdf->Write(pages, meta);
  if (!pdf.ok()) return pdf.status();
  letter.pdf = std::move(pdf).value();
  letter.pages = static_cast<int>(pages.size());
  return letter;
}

}  // namespace bescheid::letters
