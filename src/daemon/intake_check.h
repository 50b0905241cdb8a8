// What kind of file was dropped, and whether it has arrived completely.
// Pure: works on the file's bytes.
#ifndef BESCHEID_DAEMON_INTAKE_CHECK_H_
#define BESCHEID_DAEMON_INTAKE_CHECK_H_

#include <string_view>

namespace bescheid::daemon {

enum class FileKind {
  kXml,    // starts with '<' (after a BOM and white space)
  kScan,   // PDF, TIFF, PNG or JPEG: a scanned form
  kOther,  // anything else
};

FileKind Sniff(std::string_view bytes);

// False while a file is still being written: an XML document must end with
// its root element's end tag (or be a single empty root element), a PDF
// with %%EOF, a TIFF must hold its first directory. A file that is complete
// may still be invalid; that is for validation to say.
bool LooksComplete(FileKind kind, std::string_view bytes);

}  // namespace bescheid::daemon

#endif  // BESCHEID_DAEMON_INTAKE_CHECK_H_
