// The module's XML writer: a thin checked wrapper around libxml2's text
// writer, indented UTF-8. Internal to `xml` (its header names libxml2).
// Not thread-safe; one per document.
#ifndef BESCHEID_XML_XML_WRITER_H_
#define BESCHEID_XML_XML_WRITER_H_

#include <new>
#include <string>

#include "xml/libxml_handles.h"

namespace bescheid::xml {

// Throws std::bad_alloc on failure: libxml2's writer fails only when
// memory runs out. Callers are pure functions whose callers catch.
class Writer {
 public:
  Writer() : buffer_(xmlBufferCreate()) {
    if (!buffer_) throw std::bad_alloc();
    writer_.reset(xmlNewTextWriterMemory(buffer_.get(), 0));
    if (!writer_) throw std::bad_alloc();
    xmlTextWriterSetIndent(writer_.get(), 1);
    xmlTextWriterSetIndentString(writer_.get(), X("  "));
  }

  void StartDocument() {
    Check(xmlTextWriterStartDocument(writer_.get(), "1.0", "UTF-8", nullptr));
  }
  void Start(const char* name) {
    Check(xmlTextWriterStartElement(writer_.get(), X(name)));
  }
  void Attribute(const char* name, const std::string& value) {
    Check(
        xmlTextWriterWriteAttribute(writer_.get(), X(name), X(value.c_str())));
  }
  void String(const std::string& text) {
    Check(xmlTextWriterWriteString(writer_.get(), X(text.c_str())));
  }
  void End() { Check(xmlTextWriterEndElement(writer_.get())); }
  void Element(const char* name, const std::string& text) {
    Check(xmlTextWriterWriteElement(writer_.get(), X(name), X(text.c_str())));
  }
  std::string Finish() {
    Check(xmlTextWriterEndDocument(writer_.get()));
    writer_.reset();  // flushes
    std::string out(Str(xmlBufferContent(buffer_.get())),
                    static_cast<size_t>(xmlBufferLength(buffer_.get())));
    if (out.empty() || out.back() != '\n') out += '\n';
    return out;
  }

 private:
  static void Check(int rc) {
    if (rc < 0) throw std::bad_alloc();
  }
  BufferPtr buffer_;
  TextWriterPtr writer_;
};

}  // namespace bescheid::xml

#endif  // BESCHEID_XML_XML_WRITER_H_
