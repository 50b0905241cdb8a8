// `bescheid form`: the paper application form as PDF, blank or prefilled
// from an application (with its data in a QR code).
#include <iostream>

#include "cli/app.h"
#include "cli/common.h"
#include "env/env.h"
#include "formpdf/form_renderer.h"
#include "xml/application_reader.h"

namespace bescheid::cli {

std::string FormHelp() {
  return "Aufruf: bescheid form [--prefill ANTRAG.xml] [--no-barcode] "
         "[--sample-signature]\n"
         "                     [--handwriting] --out FORMULAR.pdf\n\n"
         "Schreibt das Papierformular des Antrags (A4, Beschreibung in "
         "forms.layout,\nsiehe docs/forms.md): leer zum Ausfüllen von Hand "
         "oder mit --prefill mit\nden Angaben eines Antrags ausgefüllt und "
         "einem QR-Code, der den ganzen\nAntrag enthält.\n\n"
         "  --prefill DATEI      Antrag (XML), der eingetragen wird; ein "
         "ungültiger\n"
         "                       Antrag wird mit demselben Bericht wie bei "
         "validate\n"
         "                       abgelehnt\n"
         "  --no-barcode         ohne QR-Code der Antragsdaten\n"
         "  --sample-signature   mit einer Musterunterschrift (Tests)\n"
         "  --handwriting        Angaben in einer Handschrift (Tests)\n"
         "  -o, --out DATEI      die PDF-Datei, die geschrieben wird\n\n"
         "Exit-Status: 0 geschrieben, 1 Antrag ungültig oder Datei nicht "
         "schreibbar,\n2 Aufruf- oder Konfigurationsfehler.\n";
}

int App::Form(const std::vector<std::string>& args) {
  if (!args.empty() || !out_dir_) {
    return UsageError("form", args.empty()
                                  ? "--out DATEI.pdf fehlt"
                                  : "unerwartetes Argument '" + args[0] + "'");
  }
  Result<config::Settings> settings = LoadSettings();
  if (!settings.ok()) return StartFailure(settings.status());
  Result<forms::FormLayout> layout =
      formpdf::LoadLayoutFile(settings->forms.layout);
  if (!layout.ok()) return StartFailure(layout.status());
  auto renderer = formpdf::FormRenderer::Create(
      {settings->letters.font_regular, settings->letters.font_bold,
       settings->forms.font_handwriting, settings->letters.icc_profile});
  if (!renderer.ok()) return StartFailure(renderer.status());

  Env* env = DefaultEnv();
  std::optional<core::Application> app;
  if (form_.prefill) {
    auto reader = xml::ApplicationReader::Create();
    if (!reader.ok()) return StartFailure(reader.status());
    Result<std::string> bytes =
        env->ReadFile(*form_.prefill, settings->intake_max_bytes);
    Result<core::Application> read =
        bytes.ok() ? (*reader)->Read(*bytes, BaseName(*form_.prefill))
                   : Result<core::Application>(bytes.status());
    if (!read.ok()) {
      ReportFileProblem(*form_.prefill, read.status());
      return kExitSomeFailed;
    }
    app = std::move(read).value();
  }
  formpdf::FormOptions options;
  options.barcode = !form_.no_barcode;
  options.sample_signature = form_.sample_signature;
  options.handwriting = form_.handwriting;
  options.timestamp = DocumentTime(env);
  Result<formpdf::RenderedForm> form =
      (*renderer)->Render(*layout, app ? &*app : nullptr, options);
  if (!form.ok()) {
    std::cerr << "bescheid form: " << form.status().message() << "\n";
    return form.status().code() == StatusCode::kInvalidInput ? kExitSomeFailed
                                                             : kExitUsage;
  }
  if (Status s = env->WriteFileAtomic(*out_dir_, form->pdf); !s.ok()) {
    std::cerr << "bescheid form: '" << *out_dir_
              << "' kann nicht geschrieben werden (" << s.message() << ")\n";
    return kExitSomeFailed;
  }
  std::cout << *out_dir_ << ": " << form->pages.size() << " Seite"
            << (form->pages.size() == 1 ? "" : "n") << "\n";
  return kExitOk;
}

}  // namespace bescheid::cli
