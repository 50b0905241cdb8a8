#include "form_source.h"

#include "forms/field_values.h"

namespace bescheid::corpus {

Result<std::unique_ptr<PaperForm>> PaperForm::Create(
    const std::string& layout_file, const formpdf::FormFonts& fonts) {
  Result<forms::FormLayout> layout = formpdf::LoadLayoutFile(layout_file);
  if (!layout.ok()) return layout.status();
  Result<std::unique_ptr<formpdf::FormRenderer>> renderer =
      formpdf::FormRenderer::Create(fonts);
  if (!renderer.ok()) return renderer.status();
  return std::unique_ptr<PaperForm>(
      new PaperForm(std::move(layout).value(), std::move(renderer).value()));
}

Result<std::string> PaperForm::Render(const core::Application& app,
                                      const formpdf::FormOptions& options) {
  Result<formpdf::RenderedForm> form =
      renderer_->Render(layout_, &app, options);
  if (!form.ok()) return form.status();
  return std::move(form->pdf);
}

std::optional<std::string> PaperForm::PrintedValue(
    const core::Application& app, const std::string& field_id) {
  const std::vector<forms::PlacedPage> pages =
      forms::PlacePages(layout_, static_cast<int>(app.positions.size()),
                        static_cast<int>(app.members.size()));
  for (const forms::PlacedPage& page : pages) {
    for (const forms::Field& field : page.fields) {
      if (field.id == field_id) return forms::FieldValue(app, field);
    }
  }
  return std::nullopt;
}

}  // namespace bescheid::corpus
