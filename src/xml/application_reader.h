// Secure intake of portal XML: bytes in, a validated core::Application or a
// German report out.
//
// Security: documents are parsed from memory with network access off, no
// entity substitution, no DTD loading or validation, no XInclude, libxml2's
// default size limits, and a deny-all external entity loader installed
// process-wide. Any DOCTYPE is rejected. Nothing outside the document is
// ever read, so reports can never echo foreign content.
#ifndef BESCHEID_XML_APPLICATION_READER_H_
#define BESCHEID_XML_APPLICATION_READER_H_

#include <memory>
#include <string>
#include <string_view>

#include "core/application.h"
#include "core/status.h"

namespace bescheid::xml {

inline constexpr char kAntragNamespace[] =
    "urn:bescheid:integrationsmanagement:antrag:1";

// Initialises libxml2 once per process and installs the deny-all external
// entity loader. Idempotent and thread-safe; the reader calls it itself.
void InitializeLibxml();

class ApplicationReader {
 public:
  // Compiles the built-in schema (schemas/antrag-1.0.xsd, embedded at build
  // time). Call once at start-up and share the reader.
  static Result<std::unique_ptr<ApplicationReader>> Create();

  ~ApplicationReader();
  ApplicationReader(const ApplicationReader&) = delete;
  ApplicationReader& operator=(const ApplicationReader&) = delete;

  // Parses and validates `bytes`. On failure the status is kInvalidInput
  // and its message is a German report: one line per problem, each of the
  // form "Zeile 12, Spalte 5: Element 'VZAE': Wert 0.20 ist kleiner als
  // 0.25" (line and column where libxml2 knows them). `file_name` is used
  // only in messages. Thread-safe: any number of threads may call Read on
  // one reader at once.
  Result<core::Application> Read(std::string_view bytes,
                                 const std::string& file_name) const;

 private:
  struct Impl;
  explicit ApplicationReader(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

}  // namespace bescheid::xml

#endif  // BESCHEID_XML_APPLICATION_READER_H_
