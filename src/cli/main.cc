// Entry point of the single `bescheid` binary.
#include <Poco/AutoPtr.h>
#include <Poco/Exception.h>
#include <Poco/Util/OptionException.h>

#include <iostream>
#include <string>

#include "cli/app.h"
#include "scan/ocr.h"

namespace {

// A German sentence for a mistake in the command line.
std::string UsageMessage(const Poco::Exception& e) {
  const std::string what = e.message();
  if (dynamic_cast<const Poco::Util::UnknownOptionException*>(&e)) {
    return "unbekannte Option '" + what + "'";
  }
  if (dynamic_cast<const Poco::Util::MissingArgumentException*>(&e)) {
    return "bei der Option '" + what + "' fehlt der Wert";
  }
  if (dynamic_cast<const Poco::Util::UnexpectedArgumentException*>(&e)) {
    return "die Option '" + what + "' erwartet keinen Wert";
  }
  if (dynamic_cast<const Poco::Util::AmbiguousOptionException*>(&e)) {
    return "die Option '" + what + "' ist mehrdeutig; bitte ausschreiben";
  }
  if (dynamic_cast<const Poco::Util::DuplicateOptionException*>(&e)) {
    return "die Option '" + what + "' ist doppelt angegeben";
  }
  return what;  // our own checks throw German messages
}

}  // namespace

int main(int argc, char** argv) {
  // Tesseract's OpenMP runtime reads OMP_THREAD_LIMIT when it is loaded:
  // re-executes with it set to 1 when unset (scan/ocr.h).
  bescheid::scan::EnsureOmpThreadLimit(argc, argv);
  Poco::AutoPtr<bescheid::cli::App> app = new bescheid::cli::App;
  try {
    app->init(argc, argv);
  } catch (const Poco::Exception& e) {
    // Unknown options, missing option arguments and the like.
    std::cerr << "bescheid: " << UsageMessage(e) << "\n"
              << "Hilfe: bescheid --help\n";
    return bescheid::cli::kExitUsage;
  }
  try {
    return app->run();
  } catch (const std::exception& e) {
    std::cerr << "bescheid: interner Fehler: " << e.what() << "\n";
    return 3;
  }
}
