// Decision letters: template text (mustache, editable by clerks, read at
// start-up) + DIN 5008 form B page frame + layout + PDF.
//
// Template files in `templates_dir`: zuwendungsbescheid.mustache
// (BEWILLIGUNG, TEILBEWILLIGUNG), ablehnungsbescheid.mustache (ABLEHNUNG),
// nachforderung.mustache (NACHFORDERUNG), and partials/*.mustache usable as
// {{> name}}. docs/letters.md lists the values a template can use.
#ifndef BESCHEID_LETTERS_LETTER_H_
#define BESCHEID_LETTERS_LETTER_H_

#include <cstdint>
#include <memory>
#include <optional>
#include <string>

#include "core/application.h"
#include "core/authority.h"
#include "core/decision.h"
#include "core/programme.h"
#include "core/status.h"

namespace bescheid::letters {

struct LetterOptions {
  std::string templates_dir = "templates/letters";
  std::string font_regular = "fonts/DejaVuSans-letters.ttf";
  std::string font_bold = "fonts/DejaVuSans-Bold-letters.ttf";
  std::string icc_profile = "/usr/share/color/icc/sRGB.icc";
  int request_deadline_days = 28;  // Nachforderung: days after letter date
  core::Authority authority;
  core::ProgrammeRules rules;
};

// The deadline a NACHFORDERUNG letter dated `letter_date` names: the
// configured number of days later, moved to the next working day. The one
// place it is computed; the journal records the same date.
core::Date RequestDeadline(const LetterOptions& options,
                           const core::Date& letter_date);

// The earlier request for missing documents that a completed application
// answers (its letter refers to it).
struct AnsweredRequest {
  core::Date request_date;  // of our request letter
  core::Date deadline;      // it named
};

// The addressee of a copy ("nachrichtlich") of a joint application's
// letter: a member municipality. Empty address fields are left out.
struct CopyRecipient {
  std::string name;  // as the application names the member
  std::string street;
  std::string postcode;
  std::string city;
};

struct LetterInput {
  const core::Application* app = nullptr;
  const core::Decision* decision = nullptr;
  std::string aktenzeichen;
  core::Date letter_date;
  core::Date receipt_date;
  int64_t timestamp = 0;  // for PDF metadata (SOURCE_DATE_EPOCH aware)
  // Set when the application answers a request: the letter names it.
  std::optional<AnsweredRequest> answers = std::nullopt;
  // Set for a copy: the same letter addressed to this member and marked
  // "Abschrift – nachrichtlich" above the subject.
  std::optional<CopyRecipient> copy_to = std::nullopt;
};

struct Letter {
  std::string pdf;
  int pages = 0;
};

class LetterRenderer {
 public:
  // Reads and checks every template and loads fonts and the ICC profile.
  // Errors are kConfig and name the file (and template line).
  static Result<std::unique_ptr<LetterRenderer>> Create(
      const LetterOptions& options);
  ~LetterRenderer();
  LetterRenderer(const LetterRenderer&) = delete;
  LetterRenderer& operator=(const LetterRenderer&) = delete;

  // The template output (letter markup) for `input`.
  Result<std::string> RenderText(const LetterInput& input) const;

  // The finished PDF. Not thread-safe: use one renderer per worker.
  // kInvalidInput (reason in German, for the clerk) when the letter would
  // contain text that cannot be set exactly: a script that needs shaping or
  // right-to-left layout (Arabic, Hebrew, ...), or a character the fonts
  // lack (CJK, ...); see letters/printable.h. The case then needs a clerk.
  Result<Letter> Render(const LetterInput& input);

 private:
  struct Impl;
  explicit LetterRenderer(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

}  // namespace bescheid::letters

#endif  // BESCHEID_LETTERS_LETTER_H_
