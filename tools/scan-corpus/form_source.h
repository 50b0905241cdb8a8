// The generator's FormSource backed by the real paper form: the layout
// file and formpdf::FormRenderer. One per thread (the renderer is not
// thread-safe).
#ifndef BESCHEID_TOOLS_SCAN_CORPUS_FORM_SOURCE_H_
#define BESCHEID_TOOLS_SCAN_CORPUS_FORM_SOURCE_H_

#include <memory>
#include <string>

#include "corpus.h"
#include "forms/layout.h"

namespace bescheid::corpus {

class PaperForm : public FormSource {
 public:
  // Loads the layout from `layout_file` and the renderer's fonts; kConfig
  // naming the file on error.
  static Result<std::unique_ptr<PaperForm>> Create(
      const std::string& layout_file, const formpdf::FormFonts& fonts);

  Result<std::string> Render(const core::Application& app,
                             const formpdf::FormOptions& options) override;
  std::optional<std::string> PrintedValue(const core::Application& app,
                                          const std::string& field_id) override;
  std::optional<forms::Rect> PageCodeArea() const override {
    return layout_.page_code;
  }

 private:
  PaperForm(forms::FormLayout layout,
            std::unique_ptr<formpdf::FormRenderer> renderer)
      : layout_(std::move(layout)), renderer_(std::move(renderer)) {}

  forms::FormLayout layout_;
  std::unique_ptr<formpdf::FormRenderer> renderer_;
};

}  // namespace bescheid::corpus

#endif  // BESCHEID_TOOLS_SCAN_CORPUS_FORM_SOURCE_H_
