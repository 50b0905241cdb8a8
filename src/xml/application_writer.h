// An application as portal XML (schemas/antrag-1.0.xsd), so that an
// application from another channel - a scanned paper form - is checked by
// the one ApplicationReader, against the one schema, exactly like portal
// XML: there is no second validation path.
#ifndef BESCHEID_XML_APPLICATION_WRITER_H_
#define BESCHEID_XML_APPLICATION_WRITER_H_

#include <string>

#include "core/application.h"

namespace bescheid::xml {

// Serialises `app` as an antrag-1.0 document (UTF-8, indented). Every field
// is written as it is, invalid values too, so that the reader reports them;
// Eingangsdatum, Zusammenschluss, BIC and Traeger only when present.
// `signed_by` is not part of the format (the channel knows it). Pure;
// thread-safe; throws std::bad_alloc only when memory runs out.
std::string WriteApplicationXml(const core::Application& app);

}  // namespace bescheid::xml

#endif  // BESCHEID_XML_APPLICATION_WRITER_H_
