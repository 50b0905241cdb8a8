// Entry point of the single `bescheid` binary.
#include <Poco/AutoPtr.h>
#include <Poco/Exception.h>

#include <iostream>

#include "cli/app.h"

int main(int argc, char** argv) {
  Poco::AutoPtr<bescheid::cli::App> app = new bescheid::cli::App;
  try {
    app->init(argc, argv);
  } catch (const Poco::Exception& e) {
    // Unknown options, missing option arguments and the like.
    std::cerr << "bescheid: Aufruffehler: " << e.displayText() << "\n"
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
