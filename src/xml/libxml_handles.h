// Owners for libxml2's C handles. Internal to the xml module.
#ifndef BESCHEID_XML_LIBXML_HANDLES_H_
#define BESCHEID_XML_LIBXML_HANDLES_H_

#include <libxml/parser.h>
#include <libxml/parserInternals.h>
#include <libxml/tree.h>
#include <libxml/xmlschemas.h>
#include <libxml/xmlwriter.h>

#include <memory>

namespace bescheid::xml {

struct DocDeleter {
  void operator()(xmlDoc* p) const { xmlFreeDoc(p); }
};
struct ParserCtxtDeleter {
  void operator()(xmlParserCtxt* p) const { xmlFreeParserCtxt(p); }
};
struct SchemaDeleter {
  void operator()(xmlSchema* p) const { xmlSchemaFree(p); }
};
struct SchemaParserCtxtDeleter {
  void operator()(xmlSchemaParserCtxt* p) const { xmlSchemaFreeParserCtxt(p); }
};
struct SchemaValidCtxtDeleter {
  void operator()(xmlSchemaValidCtxt* p) const { xmlSchemaFreeValidCtxt(p); }
};
struct BufferDeleter {
  void operator()(xmlBuffer* p) const { xmlBufferFree(p); }
};
struct TextWriterDeleter {
  void operator()(xmlTextWriter* p) const { xmlFreeTextWriter(p); }
};
struct XmlCharDeleter {
  void operator()(xmlChar* p) const { xmlFree(p); }
};

using DocPtr = std::unique_ptr<xmlDoc, DocDeleter>;
using ParserCtxtPtr = std::unique_ptr<xmlParserCtxt, ParserCtxtDeleter>;
using SchemaPtr = std::unique_ptr<xmlSchema, SchemaDeleter>;
using SchemaParserCtxtPtr =
    std::unique_ptr<xmlSchemaParserCtxt, SchemaParserCtxtDeleter>;
using SchemaValidCtxtPtr =
    std::unique_ptr<xmlSchemaValidCtxt, SchemaValidCtxtDeleter>;
using BufferPtr = std::unique_ptr<xmlBuffer, BufferDeleter>;
using TextWriterPtr = std::unique_ptr<xmlTextWriter, TextWriterDeleter>;
using XmlCharPtr = std::unique_ptr<xmlChar, XmlCharDeleter>;

inline const char* Str(const xmlChar* s) {
  return reinterpret_cast<const char*>(s);
}
inline const xmlChar* X(const char* s) {
  return reinterpret_cast<const xmlChar*>(s);
}

}  // namespace bescheid::xml

#endif  // BESCHEID_XML_LIBXML_HANDLES_H_
